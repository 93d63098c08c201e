package dco

import (
	"strconv"
	"strings"
	"testing"

	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

// benchSnapshot is a pull request of n commits with realistic messages: a
// subject, a wrapped body, trailers; one in ten fails, one in fifty is a
// merge, and the last commit remediates the failing ones.
func benchSnapshot(n int) *snapshot.Snapshot {
	body := strings.Repeat("This paragraph explains the change in enough words to wrap.\n", 6)
	var cs []snapshot.Commit
	for i := 1; i < n; i++ {
		author := snapshot.Identity{Name: "Dev " + strconv.Itoa(i%17), Email: "dev" + strconv.Itoa(i%17) + "@example.org", Login: "dev" + strconv.Itoa(i%17), Type: "User"}
		m := "component: change number " + strconv.Itoa(i) + "\n\n" + body + "\nReviewed-by: R <r@example.org>\n" + so(author) + "\n"
		switch {
		case i%50 == 0:
			cs = append(cs, merge(commit(author, author, "Merge branch 'main'")))
			continue
		case i%10 == 0:
			m = "component: change number " + strconv.Itoa(i) + "\n\n" + body
		}
		cs = append(cs, commit(author, author, m))
	}
	// Dev 0 remediates their own failing commits in a last commit.
	dev0 := snapshot.Identity{Name: "Dev 0", Email: "dev0@example.org", Login: "dev0", Type: "User"}
	var mine []string
	for i := 10; i < n; i += 10 {
		if i%17 == 0 && i%50 != 0 {
			mine = append(mine, remedy(dev0, sha(i)))
		}
	}
	cs = append(cs, commit(dev0, dev0, msg("Remediation", append(mine, "", so(dev0))...)))
	s := pr(cs...)
	s.CommitCount = n
	return s
}

func benchmarkEvaluate(b *testing.B, n int) {
	s := benchSnapshot(n)
	cfg := cfgWith(individualRem)
	r := Evaluate(cfg, s)
	if len(r.Commits) != n || len(r.Failed()) == 0 {
		b.Fatalf("bad fixture: %d commits, %d failing", len(r.Commits), len(r.Failed()))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Evaluate(cfg, s)
	}
}

func BenchmarkEvaluate250(b *testing.B)  { benchmarkEvaluate(b, 250) }
func BenchmarkEvaluate5000(b *testing.B) { benchmarkEvaluate(b, 5000) }
