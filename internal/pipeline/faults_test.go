package pipeline

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/gh"
	"github.com/contribution-policy/contribution-policy/internal/ghfake"
	"github.com/contribution-policy/contribution-policy/internal/policy"
	"github.com/contribution-policy/contribution-policy/internal/transport"
)

// TestFaultMatrix drives one failing pull request (one unsigned commit, so
// the correct end state is a `failure` status and exactly one policy
// comment) through every kind of GitHub fault the project must survive. The
// Action and the App share this path (pipeline → gh → transport), so the
// matrix covers both. Each case must end in the correct final state or an
// honest error — never a false success, never a duplicate comment — and a
// clean rerun afterwards must converge with zero writes where it already had.
func TestFaultMatrix(t *testing.T) {
	type outcome int
	const (
		converges outcome = iota // the faulty run itself ends in the right state
		honest                   // the faulty run errors; the gate never shows success
	)
	tests := []struct {
		name    string
		faults  []ghfake.Fault
		timeout time.Duration
		want    outcome
		setup   func(e *env)
	}{
		{name: "5xx burst on every call", want: converges,
			faults: []ghfake.Fault{{Status: 502, Times: 2}, {Status: 503, Times: 1}}},
		{name: "500 on the GraphQL context query", want: converges,
			faults: []ghfake.Fault{{Method: "POST", Path: "/graphql", Status: 500, Times: 2}}},
		{name: "secondary limit with Retry-After on the status", want: converges,
			faults: []ghfake.Fault{{Method: "POST", Path: "/repos/*/*/statuses/*", Status: 403, RetryAfter: "5", Times: 1}}},
		{name: "429 with Retry-After on the commit list", want: converges,
			faults: []ghfake.Fault{{Method: "GET", Path: "/repos/*/*/pulls/*/commits", Status: 429, RetryAfter: "2", Times: 1}}},
		{name: "secondary limit without Retry-After (waits a minute)", want: converges,
			faults: []ghfake.Fault{{Method: "POST", Path: "/repos/*/*/issues/*/comments", Status: 403, Times: 1,
				Message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}}},
		{name: "retry-after beyond the wait budget", want: honest,
			faults: []ghfake.Fault{{Method: "GET", Path: "/repos/*/*/pulls/*/commits", Status: 429, RetryAfter: "3600"}}},
		{name: "primary limit exhausted", want: honest,
			setup: func(e *env) { e.fake.SetRateLimitRemaining(ghfake.DefaultToken, 0) }},
		{name: "timeout on a read", want: converges, timeout: 300 * time.Millisecond,
			faults: []ghfake.Fault{{Method: "GET", Path: "/repos/*/*/pulls/*/commits", Delay: time.Second, Times: 1}}},
		// The client gives up before GitHub answers and the re-read finds no
		// comment: a blind retry could duplicate it if the first request
		// lands late, so the run reports an error and the next event (or
		// /recheck) creates it.
		{name: "timeout on the comment (not applied)", want: honest, timeout: 300 * time.Millisecond,
			faults: []ghfake.Fault{{Method: "POST", Path: "/repos/*/*/issues/*/comments", Delay: time.Second, Times: 1}}},
		{name: "comment created, 502 answered", want: converges,
			faults: []ghfake.Fault{{Method: "POST", Path: "/repos/*/*/issues/*/comments", Status: 502, AfterApply: true, Times: 1}}},
		{name: "status created, 502 answered", want: converges,
			faults: []ghfake.Fault{{Method: "POST", Path: "/repos/*/*/statuses/*", Status: 502, AfterApply: true, Times: 1}}},
		{name: "404 then 200 on the pull request (just created)", want: converges,
			faults: []ghfake.Fault{{Method: "GET", Path: "/repos/*/*/pulls/*", NotFoundThenOK: true, Times: 1}}},
		{name: "GitHub down", want: honest,
			faults: []ghfake.Fault{{Status: 503}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnvTimeout(t, tc.timeout)
			p := e.pr(2, func(i int) ghfake.Commit {
				if i == 1 {
					return unsigned(i)
				}
				return signed(i)
			})
			// The 404-then-200 case is a comment event: the PR is read first.
			tg := target(p, 2)
			if tc.name == "404 then 200 on the pull request (just created)" {
				tg.HeadSHA, tg.BaseSHA = "", ""
			}
			if tc.setup != nil {
				tc.setup(e)
			}
			for _, f := range tc.faults {
				e.fake.Inject(f)
			}
			out, err := e.p.Run(context.Background(), tg)
			if err == nil && out.WriteErr != nil {
				err = out.WriteErr
			}
			st := e.dcoStatus(p.HeadSHA)
			if st.State == "success" || (out != nil && out.Decision != nil && out.Decision.Result == policy.Pass) {
				t.Fatalf("false success under faults: status %+v", st)
			}
			if n := len(e.botComments(p.Number)); n > 1 {
				t.Fatalf("%d policy comments: a fault must never duplicate it", n)
			}
			switch tc.want {
			case converges:
				if err != nil {
					t.Fatalf("the run should survive this fault: %v", err)
				}
				if st.State != "failure" || len(e.botComments(p.Number)) != 1 {
					t.Fatalf("final state: status %+v, %d comments", st, len(e.botComments(p.Number)))
				}
			case honest:
				if err == nil {
					t.Fatalf("the run must report an error, got status %+v", st)
				}
			}
			// Afterwards, with GitHub healthy, everything converges.
			e.fake.ClearFaults()
			if tc.setup != nil {
				e.fake.SetRateLimitRemaining(ghfake.DefaultToken, 5000)
			}
			e.run(target(p, 2))
			if st := e.dcoStatus(p.HeadSHA); st.State != "failure" || len(e.botComments(p.Number)) != 1 {
				t.Fatalf("after recovery: status %+v, %d comments", st, len(e.botComments(p.Number)))
			}
			e.run(target(p, 2))
			if _, writes := e.counts(); writes != 0 {
				t.Errorf("a rerun after recovery made %d writes", writes)
			}
		})
	}
}

// newEnvTimeout is newEnv with a per-request client timeout (0 = 10 s).
func newEnvTimeout(t *testing.T, timeout time.Duration) *env {
	e := newEnv(t)
	if timeout == 0 {
		return e
	}
	// The timeout is per attempt (the base transport's header timeout), so
	// the retry layer can try again.
	rt, stats := transport.New(transport.DefaultBase(timeout), transport.Options{
		Clock: transport.NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)),
		Pacer: transport.PacerOptions{MinInterval: -1},
	})
	c, err := gh.New(gh.Options{APIURL: e.fake.URL(), GraphQLURL: e.fake.GraphQLURL(), Token: ghfake.DefaultToken,
		HTTPClient: &http.Client{Transport: rt, Timeout: time.Minute}})
	if err != nil {
		t.Fatal(err)
	}
	e.p.GitHub, e.stats = c, stats
	return e
}
