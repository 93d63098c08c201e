package clastore

import (
	"path/filepath"
	"testing"

	"github.com/contribution-policy/contribution-policy/internal/ghfake"
	"github.com/contribution-policy/contribution-policy/internal/pgtest"
)

// BenchmarkGitFileAppend records new signatures one at a time against the
// fake GitHub (real client and transport): issue 3's budget is at most 2
// API calls per uncontended record (calls/op).
func BenchmarkGitFileAppend(b *testing.B) {
	f := ghfake.New(b)
	f.AddRepo(ghfake.Repo{Owner: owner, Name: repo})
	f.SetFile(owner, repo, "cla-signatures", "README.md", "x\n")
	f.SetRateLimitRemaining(ghfake.DefaultToken, 1<<30)
	s := fakeStore(b, f, ghfake.DefaultToken)
	f.ResetCalls()
	b.ResetTimer()
	i := int64(0)
	for b.Loop() {
		i++
		if _, created, err := s.Append(ctx, sig(i, "1")); err != nil || !created {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(len(f.Calls()))/float64(i), "calls/op")
}

// BenchmarkGitFileLookup reads the signatures of a pull request's five
// identities from a store of 2,000 signatures: one GraphQL query.
func BenchmarkGitFileLookup(b *testing.B) {
	f := ghfake.New(b)
	f.AddRepo(ghfake.Repo{Owner: owner, Name: repo})
	f.SetFile(owner, repo, "main", "README.md", "x\n")
	f.SetRateLimitRemaining(ghfake.DefaultToken, 1<<30)
	s := fakeStore(b, f, ghfake.DefaultToken)
	var rs []Record
	for i := int64(1); i <= 2000; i++ {
		rs = append(rs, sig(i, "1"))
	}
	if _, err := s.Import(ctx, rs); err != nil {
		b.Fatal(err)
	}
	f.ResetCalls()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		n++
		got, err := s.Lookup(ctx, []int64{3, 700, 1500, 1999, 5000}, []string{"icla", "ccla-acme"})
		if err != nil || len(got) != 4 {
			b.Fatal(len(got), err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(len(f.Calls()))/float64(n), "calls/op")
}

func BenchmarkSQLiteAppend(b *testing.B) {
	s, err := Open(ctx, filepath.Join(b.TempDir(), "cla.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	i := int64(0)
	for b.Loop() {
		i++
		if _, _, err := s.Append(ctx, sig(i, "1")); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPostgresAppend(b *testing.B) {
	s, err := Open(ctx, pgtest.DSN(b))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	i := int64(0)
	for b.Loop() {
		i++
		if _, _, err := s.Append(ctx, sig(i, "1")); err != nil {
			b.Fatal(err)
		}
	}
}
