package ghfake

import (
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
)

func TestFaults(t *testing.T) {
	status := func(err error) int {
		var er *github.ErrorResponse
		if errors.As(err, &er) {
			return er.Response.StatusCode
		}
		var ab *github.AbuseRateLimitError
		if errors.As(err, &ab) {
			return ab.Response.StatusCode
		}
		if err != nil {
			return -1
		}
		return 200
	}
	getPull := func(t *testing.T, f *Fake, n int) error {
		_, _, err := client(t, f, DefaultToken).PullRequests.Get(ctx, "o", "r", n)
		return err
	}
	setup := func(t *testing.T) (*Fake, Pull) {
		f := New(t)
		seedRepo(f)
		return f, f.AddLinearPR("o", "r", 1, nil)
	}

	t.Run("5xx twice", func(t *testing.T) {
		f, pr := setup(t)
		f.Inject(Fault{Method: "GET", Path: "/repos/o/r/pulls/*", Times: 2, Status: 502})
		var got []int
		for range 3 {
			got = append(got, status(getPull(t, f, pr.Number)))
		}
		if got[0] != 502 || got[1] != 502 || got[2] != 200 {
			t.Errorf("statuses %v, want 502 502 200", got)
		}
		if c := f.Calls(); !c[0].Faulted || c[2].Faulted {
			t.Errorf("faulted flags: %+v", c)
		}
	})
	t.Run("secondary rate limit 403", func(t *testing.T) {
		f, pr := setup(t)
		f.Inject(Fault{Path: "/repos/o/r/**", Times: 1, Status: 403, RetryAfter: "2"})
		err := getPull(t, f, pr.Number)
		var ab *github.AbuseRateLimitError
		if !errors.As(err, &ab) || ab.RetryAfter == nil || *ab.RetryAfter != 2*time.Second {
			t.Errorf("err %v, want a secondary limit with Retry-After 2s", err)
		}
	})
	t.Run("429", func(t *testing.T) {
		f, pr := setup(t)
		f.Inject(Fault{Times: 1, Status: 429, RetryAfter: "1"})
		err := getPull(t, f, pr.Number)
		var er *github.ErrorResponse
		if !errors.As(err, &er) || er.Response.StatusCode != 429 || er.Response.Header.Get("Retry-After") != "1" {
			t.Errorf("err %v", err)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		f, pr := setup(t)
		f.Inject(Fault{Times: 1, Delay: 2 * time.Second})
		gh := github.NewClient(&http.Client{Timeout: 200 * time.Millisecond}).WithAuthToken(DefaultToken)
		gh.BaseURL, _ = gh.BaseURL.Parse(f.URL())
		_, _, err := gh.PullRequests.Get(ctx, "o", "r", pr.Number)
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Errorf("err %v, want a client timeout", err)
		}
		if err := getPull(t, f, pr.Number); err != nil {
			t.Errorf("after the fault: %v", err)
		}
	})
	t.Run("after apply", func(t *testing.T) {
		f, pr := setup(t)
		f.Inject(Fault{Method: "POST", Path: "/repos/o/r/issues/*/comments", Times: 1, Status: 502, AfterApply: true})
		_, _, err := client(t, f, DefaultToken).Issues.CreateComment(ctx, "o", "r", pr.Number, &github.IssueComment{Body: github.String("x")})
		if status(err) != 502 {
			t.Errorf("err %v, want 502", err)
		}
		if n := len(f.Comments("o", "r", pr.Number)); n != 1 {
			t.Errorf("%d comments, want the write applied once", n)
		}
	})
	t.Run("not found then ok", func(t *testing.T) {
		f, pr := setup(t)
		f.Inject(Fault{Path: "/repos/o/r/pulls/*", Times: 2, NotFoundThenOK: true})
		got := []int{status(getPull(t, f, pr.Number)), status(getPull(t, f, pr.Number)), status(getPull(t, f, pr.Number))}
		if got[0] != 404 || got[1] != 404 || got[2] != 200 {
			t.Errorf("statuses %v, want 404 404 200", got)
		}
	})
	t.Run("probability is seeded", func(t *testing.T) {
		run := func() []bool {
			f := New(t, WithSeed(42))
			seedRepo(f)
			pr := f.AddLinearPR("o", "r", 1, nil)
			f.Inject(Fault{Status: 500, Probability: 0.3})
			var out []bool
			for range 40 {
				out = append(out, getPull(t, f, pr.Number) != nil)
			}
			return out
		}
		a, b := run(), run()
		n := 0
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("call %d differs between runs with the same seed", i)
			}
			if a[i] {
				n++
			}
		}
		if n < 4 || n > 24 {
			t.Errorf("%d of 40 calls faulted at p=0.3", n)
		}
	})
	t.Run("graphql", func(t *testing.T) {
		f, _ := setup(t)
		f.Inject(Fault{Path: "/graphql", Times: 1, Status: 502})
		code, _ := graphql(t, f, DefaultToken, `{ repository(owner: "o", name: "r") { name } }`, nil)
		if code != 502 {
			t.Errorf("status %d, want 502", code)
		}
		if code, _ := graphql(t, f, DefaultToken, `{ repository(owner: "o", name: "r") { name } }`, nil); code != 200 {
			t.Errorf("after the fault: %d", code)
		}
	})
}
