package transport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func newTestRetry(t *testing.T, s *scripted, opts RetryOptions) (http.RoundTripper, *FakeClock) {
	t.Helper()
	fc, _ := opts.Clock.(*FakeClock)
	if fc == nil {
		fc = NewFakeClock(epoch)
		opts.Clock = fc
	}
	var base http.RoundTripper = s.base(t)
	return NewRetry(base, opts), fc
}

func TestRetryServerErrorThenSuccess(t *testing.T) {
	s := newScripted(t, step{status: 502}, step{status: 503}, step{status: 200, body: "ok"})
	rt, fc := newTestRetry(t, s, RetryOptions{})
	resp, err := rt.RoundTrip(newRequest(t, t.Context(), "GET", s.URL+"/repos/o/r", ""))
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || readBody(t, resp) != "ok" {
		t.Fatalf("got %d, want 200 ok", resp.StatusCode)
	}
	if n := len(s.Hits()); n != 3 {
		t.Fatalf("server saw %d requests, want 3", n)
	}
	sleeps := fc.Sleeps()
	if len(sleeps) != 2 {
		t.Fatalf("sleeps = %v, want 2", sleeps)
	}
	for i, bound := range []time.Duration{200 * time.Millisecond, 400 * time.Millisecond} {
		if sleeps[i] < 0 || sleeps[i] > bound {
			t.Errorf("sleep %d = %v, want within [0, %v]", i, sleeps[i], bound)
		}
	}
}

func TestRetryBackoffSchedule(t *testing.T) {
	var steps []step
	for range 7 {
		steps = append(steps, step{status: 500})
	}
	s := newScripted(t, steps...)
	rt, fc := newTestRetry(t, s, RetryOptions{MaxAttempts: 8, Jitter: identityJitter})
	resp, err := rt.RoundTrip(newRequest(t, t.Context(), "GET", s.URL+"/x", ""))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	ms := time.Millisecond
	want := []time.Duration{200 * ms, 400 * ms, 800 * ms, 1600 * ms, 3200 * ms, 5000 * ms, 5000 * ms}
	if diff := cmp.Diff(want, fc.Sleeps()); diff != "" {
		t.Errorf("sleeps (-want +got):\n%s", diff)
	}
}

func TestRetryExhaustedReturnsLastResponse(t *testing.T) {
	var steps []step
	for i := 1; i <= 5; i++ {
		steps = append(steps, step{status: 500, body: "boom " + strconv.Itoa(i)})
	}
	s := newScripted(t, steps...)
	rt, fc := newTestRetry(t, s, RetryOptions{})
	// Through an http.Client, as go-github uses it: the 5xx reaches the
	// caller, whose client then turns it into an error.
	resp, err := (&http.Client{Transport: rt}).Get(s.URL + "/x")
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 500 {
		t.Fatalf("status %d, want 500", resp.StatusCode)
	}
	if got := readBody(t, resp); got != "boom 4" {
		t.Errorf("body %q, want the last attempt's %q", got, "boom 4")
	}
	if n := len(s.Hits()); n != DefaultMaxAttempts {
		t.Errorf("server saw %d requests, want %d", n, DefaultMaxAttempts)
	}
	if n := len(fc.Sleeps()); n != DefaultMaxAttempts-1 {
		t.Errorf("%d sleeps, want %d", n, DefaultMaxAttempts-1)
	}
}

func TestRetryNetworkError(t *testing.T) {
	s := newScripted(t, step{hijack: true}, step{status: 200, body: "ok"})
	rt, fc := newTestRetry(t, s, RetryOptions{})
	resp, err := rt.RoundTrip(newRequest(t, t.Context(), "GET", s.URL+"/x", ""))
	if err != nil {
		t.Fatal(err)
	}
	if readBody(t, resp) != "ok" {
		t.Error("wrong body")
	}
	if n := len(s.Hits()); n != 2 {
		t.Errorf("server saw %d requests, want 2", n)
	}
	if n := len(fc.Sleeps()); n != 1 {
		t.Errorf("%d sleeps, want 1", n)
	}
}

func TestRetryNetworkErrorExhausted(t *testing.T) {
	s := newScripted(t, step{hijack: true}, step{hijack: true}, step{hijack: true}, step{hijack: true})
	rt, _ := newTestRetry(t, s, RetryOptions{})
	resp, err := rt.RoundTrip(newRequest(t, t.Context(), "GET", s.URL+"/x", ""))
	if err == nil {
		resp.Body.Close()
		t.Fatal("want an error")
	}
	if !strings.Contains(err.Error(), "after 4 attempts") {
		t.Errorf("error %q does not say how many attempts", err)
	}
}

func TestRateLimits(t *testing.T) {
	at := func(d time.Duration) string { return strconv.FormatInt(epoch.Add(d).Unix(), 10) }
	tests := []struct {
		name    string
		opts    RetryOptions
		steps   []step
		wantErr *RateLimitError // nil: expect the final 200
		sleeps  []time.Duration
	}{
		{
			name:   "secondary with Retry-After seconds",
			steps:  []step{{status: 403, header: map[string]string{"Retry-After": "3"}, body: secondaryBody}},
			sleeps: []time.Duration{4 * time.Second},
		},
		{
			name: "secondary with Retry-After date",
			steps: []step{{status: 403, body: secondaryBody,
				header: map[string]string{"Retry-After": epoch.Add(10 * time.Second).Format(http.TimeFormat)}}},
			sleeps: []time.Duration{11 * time.Second},
		},
		{
			name:  "Retry-After beyond MaxWait fails fast",
			steps: []step{{status: 403, header: map[string]string{"Retry-After": "120"}, body: secondaryBody}},
			wantErr: &RateLimitError{Secondary: true, RetryAfter: 121 * time.Second, StatusCode: 403,
				Method: "GET", Path: "/x", Reason: "the wait exceeds the 1m30s budget",
				Message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."},
		},
		{
			name:   "GitHub's usual Retry-After: 60 fits the default budget",
			steps:  []step{{status: 403, header: map[string]string{"Retry-After": "60"}, body: secondaryBody}},
			sleeps: []time.Duration{61 * time.Second},
		},
		{
			name:   "Retry-After within the App's 2 min budget",
			opts:   RetryOptions{MaxWait: 2 * time.Minute},
			steps:  []step{{status: 403, header: map[string]string{"Retry-After": "110"}, body: secondaryBody}},
			sleeps: []time.Duration{111 * time.Second},
		},
		{
			name: "primary limit resets in 30 s",
			steps: []step{{status: 403, body: `{"message":"API rate limit exceeded for installation ID 1."}`,
				header: map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": at(30 * time.Second)}}},
			sleeps: []time.Duration{31 * time.Second},
		},
		{
			name: "primary limit resets in an hour",
			steps: []step{{status: 403, body: `{"message":"API rate limit exceeded for installation ID 1."}`,
				header: map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": at(time.Hour)}}},
			wantErr: &RateLimitError{Reset: epoch.Add(time.Hour), RetryAfter: time.Hour + time.Second,
				StatusCode: 403, Method: "GET", Path: "/x", Reason: "the wait exceeds the 1m30s budget",
				Message: "API rate limit exceeded for installation ID 1."},
		},
		{
			name: "primary limit as 429",
			steps: []step{{status: 429,
				header: map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": at(5 * time.Second)}}},
			sleeps: []time.Duration{6 * time.Second},
		},
		{
			name: "secondary without headers waits a minute",
			steps: []step{{status: 403, body: secondaryBody,
				header: map[string]string{"X-RateLimit-Remaining": "4000"}}},
			sleeps: []time.Duration{time.Minute},
		},
		{
			name: "secondary without headers, twice: the doubled wait exceeds the budget",
			steps: []step{
				{status: 403, body: secondaryBody},
				{status: 403, body: secondaryBody},
			},
			sleeps: []time.Duration{time.Minute},
			wantErr: &RateLimitError{Secondary: true, RetryAfter: 2 * time.Minute, StatusCode: 403,
				Method: "GET", Path: "/x", Reason: "the wait exceeds the 30s left of the 1m30s budget",
				Message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."},
		},
		{
			name:  "secondary without headers, budget below a minute",
			opts:  RetryOptions{MaxWait: 30 * time.Second},
			steps: []step{{status: 403, body: secondaryBody}},
			wantErr: &RateLimitError{Secondary: true, RetryAfter: time.Minute, StatusCode: 403,
				Method: "GET", Path: "/x", Reason: "the wait exceeds the 30s budget",
				Message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."},
		},
		{
			name:   "secondary recognised by documentation_url",
			steps:  []step{{status: 403, body: `{"message":"slow down","documentation_url":"https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`}},
			sleeps: []time.Duration{time.Minute},
		},
		{
			name:   "429 without headers",
			steps:  []step{{status: 429}},
			sleeps: []time.Duration{time.Minute},
		},
		{
			name:   "429 with Retry-After",
			steps:  []step{{status: 429, header: map[string]string{"Retry-After": "1"}}},
			sleeps: []time.Duration{2 * time.Second},
		},
		{
			name:  "never wait",
			opts:  RetryOptions{MaxWait: -1},
			steps: []step{{status: 429, header: map[string]string{"Retry-After": "1"}}},
			wantErr: &RateLimitError{Secondary: true, RetryAfter: 2 * time.Second, StatusCode: 429,
				Method: "GET", Path: "/x", Reason: "the wait exceeds the 0s budget"},
		},
		{
			name: "attempts used up",
			opts: RetryOptions{MaxAttempts: 2},
			steps: []step{
				{status: 429, header: map[string]string{"Retry-After": "1"}},
				{status: 429, header: map[string]string{"Retry-After": "1"}},
			},
			sleeps: []time.Duration{2 * time.Second},
			wantErr: &RateLimitError{Secondary: true, RetryAfter: 2 * time.Second, StatusCode: 429,
				Method: "GET", Path: "/x", Reason: "no attempts left (2 made)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newScripted(t, append(tt.steps, step{status: 200, body: "ok"})...)
			rt, fc := newTestRetry(t, s, tt.opts)
			resp, err := rt.RoundTrip(newRequest(t, t.Context(), "GET", s.URL+"/x", ""))
			if tt.wantErr != nil {
				var rle *RateLimitError
				if !errors.As(err, &rle) {
					if resp != nil {
						resp.Body.Close()
					}
					t.Fatalf("got %v, want *RateLimitError", err)
				}
				if diff := cmp.Diff(tt.wantErr, rle); diff != "" {
					t.Errorf("error (-want +got):\n%s", diff)
				}
				if resp != nil {
					t.Error("a response came with the error")
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				if resp.StatusCode != 200 {
					t.Errorf("status %d, want 200", resp.StatusCode)
				}
				resp.Body.Close()
			}
			if diff := cmp.Diff(tt.sleeps, fc.Sleeps()); diff != "" {
				t.Errorf("sleeps (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRateLimitErrorMessage(t *testing.T) {
	e := &RateLimitError{Reset: epoch, RetryAfter: time.Hour, StatusCode: 403, Method: "GET", Path: "/x",
		Message: "API rate limit exceeded", Reason: "the wait exceeds the 1m30s budget"}
	want := `github primary rate limit (403) on GET /x: "API rate limit exceeded"; retry after 1h0m0s (resets at 2026-03-01T12:00:00Z); not waited: the wait exceeds the 1m30s budget`
	if got := e.Error(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestForbiddenIsNotRateLimit(t *testing.T) {
	for _, body := range []string{
		`{"message":"Resource not accessible by integration","documentation_url":"https://docs.github.com/rest"}`,
		`{"message":"` + strings.Repeat("long ", 10000) + `"}`, // longer than the peek
	} {
		testForbidden(t, body)
	}
}

func testForbidden(t *testing.T, body string) {
	s := newScripted(t, step{status: 403, body: body, header: map[string]string{"X-RateLimit-Remaining": "4990"}})
	rt, fc := newTestRetry(t, s, RetryOptions{})
	resp, err := rt.RoundTrip(newRequest(t, t.Context(), "GET", s.URL+"/x", ""))
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 403 || readBody(t, resp) != body {
		t.Errorf("want the 403 with its body intact")
	}
	if len(s.Hits()) != 1 || len(fc.Sleeps()) != 0 {
		t.Errorf("retried a permission error")
	}
}

func TestNoRetryFor4xx(t *testing.T) {
	for _, code := range []int{400, 401, 404, 409, 422} {
		s := newScripted(t, step{status: code})
		rt, _ := newTestRetry(t, s, RetryOptions{})
		resp, err := rt.RoundTrip(newRequest(t, t.Context(), "GET", s.URL+"/x", ""))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != code || len(s.Hits()) != 1 {
			t.Errorf("%d: got %d after %d requests", code, resp.StatusCode, len(s.Hits()))
		}
	}
}

func TestContextDeadlineShorterThanBackoff(t *testing.T) {
	// The fake clock starts at the real time so the context's real deadline
	// means something to it.
	t.Run("network error", func(t *testing.T) {
		s := newScripted(t, step{hijack: true})
		fc := NewFakeClock(time.Now())
		rt, _ := newTestRetry(t, s, RetryOptions{Clock: fc, Jitter: identityJitter, BaseDelay: time.Minute, MaxDelay: time.Minute})
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		start := time.Now()
		resp, err := rt.RoundTrip(newRequest(t, ctx, "GET", s.URL+"/x", ""))
		if err == nil {
			resp.Body.Close()
			t.Fatal("want an error")
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("error %v does not match context.DeadlineExceeded", err)
		}
		if el := time.Since(start); el > 10*time.Second {
			t.Errorf("took %v", el)
		}
		if len(fc.Sleeps()) != 0 || len(s.Hits()) != 1 {
			t.Errorf("slept %v, %d requests", fc.Sleeps(), len(s.Hits()))
		}
	})
	t.Run("5xx", func(t *testing.T) {
		s := newScripted(t, step{status: 503, body: "down"})
		fc := NewFakeClock(time.Now())
		// A backoff of a minute against a deadline of 5 s: the request
		// itself always fits (a 50 ms deadline did not on a loaded machine).
		rt, _ := newTestRetry(t, s, RetryOptions{Clock: fc, Jitter: identityJitter, BaseDelay: time.Minute, MaxDelay: time.Minute})
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		resp, err := rt.RoundTrip(newRequest(t, ctx, "GET", s.URL+"/x", ""))
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 503 || readBody(t, resp) != "down" {
			t.Errorf("want the 503 itself")
		}
		if len(fc.Sleeps()) != 0 || len(s.Hits()) != 1 {
			t.Errorf("slept %v, %d requests", fc.Sleeps(), len(s.Hits()))
		}
	})
	t.Run("rate limit", func(t *testing.T) {
		s := newScripted(t, step{status: 429, header: map[string]string{"Retry-After": "10"}})
		fc := NewFakeClock(time.Now())
		rt, _ := newTestRetry(t, s, RetryOptions{Clock: fc})
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		_, err := rt.RoundTrip(newRequest(t, ctx, "GET", s.URL+"/x", ""))
		var rle *RateLimitError
		if !errors.As(err, &rle) || rle.Reason != "the wait would pass the context deadline" {
			t.Fatalf("got %v", err)
		}
		if len(fc.Sleeps()) != 0 {
			t.Errorf("slept %v", fc.Sleeps())
		}
	})
}

func TestCancelDuringWait(t *testing.T) {
	s := newScripted(t, step{status: 429, header: map[string]string{"Retry-After": "30"}})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	base := s.base(t)
	// Cancel once the first response is in: the retry layer is then about
	// to sleep 31 s on the real clock.
	next := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := base.RoundTrip(r)
		cancel()
		return resp, err
	})
	rt := NewRetry(next, RetryOptions{})
	start := time.Now()
	_, err := rt.RoundTrip(newRequest(t, ctx, "GET", s.URL+"/x", ""))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("took %v", el)
	}
}

func TestIdempotency(t *testing.T) {
	tests := []struct {
		name    string
		method  string
		path    string
		ctx     func(context.Context) context.Context
		first   step
		refuse  bool // first dial is refused
		wantHit int
		wantErr bool
	}{
		{name: "POST comment after 502", method: "POST", path: "/repos/o/r/issues/1/comments", first: step{status: 502}, wantHit: 1},
		{name: "POST comment after reset", method: "POST", path: "/repos/o/r/issues/1/comments", first: step{hijack: true}, wantHit: 1, wantErr: true},
		{name: "POST comment after connection refused", method: "POST", path: "/repos/o/r/issues/1/comments", refuse: true, wantHit: 1},
		{name: "PATCH after 502", method: "PATCH", path: "/repos/o/r/issues/comments/1", first: step{status: 502}, wantHit: 1},
		{name: "POST status WithIdempotent after 502", method: "POST", path: "/repos/o/r/statuses/abc",
			ctx: WithIdempotent, first: step{status: 502}, wantHit: 2},
		{name: "POST status WithIdempotent after reset", method: "POST", path: "/repos/o/r/statuses/abc",
			ctx: WithIdempotent, first: step{hijack: true}, wantHit: 2},
		{name: "PUT after 502", method: "PUT", path: "/repos/o/r/issues/1/labels", first: step{status: 502}, wantHit: 2},
		{name: "DELETE after 504", method: "DELETE", path: "/repos/o/r/issues/1/labels/x", first: step{status: 504}, wantHit: 2},
		{name: "HEAD after 500", method: "HEAD", path: "/x", first: step{status: 500}, wantHit: 2},
		{name: "GraphQL query after 502", method: "POST", path: "/graphql", ctx: WithGraphQLQuery, first: step{status: 502}, wantHit: 2},
		{name: "GraphQL mutation after 502", method: "POST", path: "/graphql", first: step{status: 502}, wantHit: 1},
		{name: "POST after secondary limit", method: "POST", path: "/repos/o/r/issues/1/comments",
			first: step{status: 403, header: map[string]string{"Retry-After": "1"}, body: secondaryBody}, wantHit: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var steps []step
			if !tt.refuse {
				steps = append(steps, tt.first)
			}
			s := newScripted(t, append(steps, step{status: 201, body: "done"})...)
			var base http.RoundTripper = s.base(t)
			if tt.refuse {
				base = refusingOnce(t)
			}
			rt := NewRetry(base, RetryOptions{Clock: NewFakeClock(epoch)})
			ctx := t.Context()
			if tt.ctx != nil {
				ctx = tt.ctx(ctx)
			}
			body := ""
			if tt.method != "HEAD" {
				body = `{"body":"hello"}`
			}
			resp, err := rt.RoundTrip(newRequest(t, ctx, tt.method, s.URL+tt.path, body))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error: %v", err, tt.wantErr)
			}
			if err == nil {
				resp.Body.Close()
				if want := map[bool]int{true: 201, false: tt.first.status}[tt.wantHit == 2 || tt.refuse]; resp.StatusCode != want {
					t.Errorf("status %d, want %d", resp.StatusCode, want)
				}
			}
			hits := s.Hits()
			if len(hits) != tt.wantHit {
				t.Fatalf("server saw %d requests, want %d (err %v)", len(hits), tt.wantHit, err)
			}
			for _, h := range hits {
				if h.body != body {
					t.Errorf("server got body %q, want %q", h.body, body)
				}
			}
		})
	}
}

func TestRetryNotFound(t *testing.T) {
	tests := []struct {
		name       string
		method     string
		n          int
		steps      []step
		wantStatus int
		wantSleeps []time.Duration
	}{
		{name: "no flag", method: "GET", steps: []step{{status: 404}}, wantStatus: 404},
		{name: "twice then found", method: "GET", n: 2, steps: []step{{status: 404}, {status: 404}},
			wantStatus: 200, wantSleeps: []time.Duration{time.Second, 2 * time.Second}},
		{name: "still missing after n", method: "GET", n: 1, steps: []step{{status: 404}, {status: 404}},
			wantStatus: 404, wantSleeps: []time.Duration{time.Second}},
		{name: "not for POST", method: "POST", n: 2, steps: []step{{status: 404}}, wantStatus: 404},
		{name: "not for PUT", method: "PUT", n: 2, steps: []step{{status: 404}}, wantStatus: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newScripted(t, append(tt.steps, step{status: 200})...)
			rt, fc := newTestRetry(t, s, RetryOptions{})
			ctx := t.Context()
			if tt.n > 0 {
				ctx = WithRetryNotFound(ctx, tt.n)
			}
			resp, err := rt.RoundTrip(newRequest(t, ctx, tt.method, s.URL+"/repos/o/r/pulls/1", ""))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			if diff := cmp.Diff(tt.wantSleeps, fc.Sleeps()); diff != "" {
				t.Errorf("sleeps (-want +got):\n%s", diff)
			}
		})
	}
}

// trackingBody is a request body without GetBody that records Close.
type trackingBody struct {
	io.Reader
	closed bool
}

func (b *trackingBody) Close() error { b.closed = true; return nil }

func TestBodyReplay(t *testing.T) {
	payload := `{"state":"success","context":"dco","description":"` + strings.Repeat("x", 100) + `"}`
	t.Run("GetBody", func(t *testing.T) {
		s := newScripted(t, step{status: 502}, step{status: 500})
		rt, _ := newTestRetry(t, s, RetryOptions{})
		req := newRequest(t, WithIdempotent(t.Context()), "POST", s.URL+"/repos/o/r/statuses/abc", payload)
		if req.GetBody == nil {
			t.Fatal("http.NewRequest did not set GetBody")
		}
		resp, err := rt.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		assertBodies(t, s.Hits(), payload, 3)
	})
	t.Run("buffered", func(t *testing.T) {
		s := newScripted(t, step{status: 502})
		rt, _ := newTestRetry(t, s, RetryOptions{})
		req := newRequest(t, WithIdempotent(t.Context()), "POST", s.URL+"/repos/o/r/statuses/abc", "")
		body := &trackingBody{Reader: strings.NewReader(payload)}
		req.Body, req.GetBody, req.ContentLength = body, nil, int64(len(payload))
		resp, err := rt.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		assertBodies(t, s.Hits(), payload, 2)
		if !body.closed {
			t.Error("the original body was not closed")
		}
		if req.Body != body {
			t.Error("the caller's request was modified")
		}
	})
	t.Run("too large to buffer: sent once", func(t *testing.T) {
		s := newScripted(t, step{status: 502})
		rt, _ := newTestRetry(t, s, RetryOptions{MaxBufferedBody: 16})
		req := newRequest(t, WithIdempotent(t.Context()), "POST", s.URL+"/repos/o/r/statuses/abc", "")
		body := &trackingBody{Reader: strings.NewReader(payload)}
		req.Body, req.GetBody, req.ContentLength = body, nil, int64(len(payload))
		resp, err := rt.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 502 {
			t.Errorf("status %d, want the unretried 502", resp.StatusCode)
		}
		assertBodies(t, s.Hits(), payload, 1)
		if !body.closed {
			t.Error("the original body was not closed")
		}
	})
}

func assertBodies(t *testing.T, hits []hit, want string, n int) {
	t.Helper()
	if len(hits) != n {
		t.Fatalf("server saw %d requests, want %d", len(hits), n)
	}
	for i, h := range hits {
		if h.body != want {
			t.Errorf("attempt %d: body %q, want %q", i+1, h.body, want)
		}
	}
}
