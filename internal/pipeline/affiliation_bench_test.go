package pipeline

import (
	"context"
	"testing"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/ghfake"
)

// BenchmarkRunAffiliation measures one event end to end with affiliation
// and guidance on, against the fake on loopback, for the typical cases of
// a mapped company (its label already exists in the repository):
// "first-time" is the opened event of a first-time contributor whose
// author_association is NONE (search, label and comment), "returning" the
// opened event of an author with an earlier pull request (label only), and
// "rerun" a second event on either (zero writes). reads/op and writes/op
// are the API calls the fake answered.
func BenchmarkRunAffiliation(b *testing.B) {
	for _, mode := range []string{"first-time", "returning", "rerun"} {
		b.Run(mode, func(b *testing.B) {
			e := newAffEnv(&testing.T{}, "")
			defer e.fake.Close()
			e.fake.AddRepo(ghfake.Repo{Owner: owner, Name: "seed", OwnerType: "Organization"})
			ctx := context.Background()
			seed := e.pull("veteran", "veteran@acme.com", "CONTRIBUTOR", 1, t0)
			if _, err := e.p.Run(ctx, opened(seed)); err != nil { // creates the label
				b.Fatal(err)
			}
			n := 0
			next := func() Target {
				n++
				login := "veteran"
				if mode == "first-time" {
					login = "newbie" + itoa(n)
					e.users[login] = e.fake.AddUser(ghfake.User{Login: login, Emails: []string{login + "@acme.com"}})
				}
				p := e.pull(login, login+"@acme.com", "NONE", 1, t0.Add(time.Duration(n)*time.Minute))
				return opened(p)
			}
			tg := next()
			if mode == "rerun" {
				if _, err := e.p.Run(ctx, tg); err != nil {
					b.Fatal(err)
				}
			}
			var reads, writes int
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				if mode != "rerun" && i > 0 {
					tg = next()
				}
				e.fake.ResetCalls()
				b.StartTimer()
				out, err := e.p.Run(ctx, tg)
				if err != nil || out.Decision.Result != "pass" || out.Decision.Affiliation == nil || out.Decision.Affiliation.Label == "" {
					b.Fatalf("run: %v", err)
				}
				b.StopTimer()
				reads += len(e.fake.Reads())
				writes += len(e.fake.Writes())
				b.StartTimer()
			}
			b.ReportMetric(float64(reads)/float64(b.N), "reads/op")
			b.ReportMetric(float64(writes)/float64(b.N), "writes/op")
		})
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	s := ""
	for ; i > 0; i /= 10 {
		s = string(rune('0'+i%10)) + s
	}
	return s
}
