package pipeline

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkRun measures one evaluation end to end against the fake GitHub on
// loopback — the GraphQL context query, the commit list (compare pages above
// 250), membership lookups, evaluation and reconciliation — for PRs of
// several sizes. "first" is an event on a PR never seen (writes the status);
// "rerun" the same event again (zero writes). reads/op and writes/op are the
// API calls the fake answered.
func BenchmarkRun(b *testing.B) {
	for _, n := range []int{1, 50, 100, 250, 300, 1000, 5000} {
		for _, mode := range []string{"first", "rerun"} {
			b.Run(fmt.Sprintf("commits=%d/%s", n, mode), func(b *testing.B) {
				e := newEnv(&testing.T{})
				defer e.fake.Close()
				e.t = nil
				pr := e.pr(n, signed)
				tg := target(pr, n)
				ctx := context.Background()
				if mode == "rerun" {
					if _, err := e.p.Run(ctx, tg); err != nil {
						b.Fatal(err)
					}
				}
				var reads, writes int
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					if mode == "first" && i > 0 {
						pr = e.pr(n, signed)
						tg = target(pr, n)
					}
					e.fake.ResetCalls()
					b.StartTimer()
					out, err := e.p.Run(ctx, tg)
					if err != nil || out.Decision.Result != "pass" {
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
}
