package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestMeterCounts(t *testing.T) {
	reset := strconv.FormatInt(epoch.Add(time.Hour).Unix(), 10)
	core := func(remaining string) map[string]string {
		return map[string]string{"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": remaining,
			"X-RateLimit-Used": "10", "X-RateLimit-Reset": reset, "X-RateLimit-Resource": "core"}
	}
	s := newScripted(t,
		step{status: 200, header: core("4990")}, // GET
		step{status: 304, header: core("4990")}, // GET, conditional
		step{status: 201, header: core("4989")}, // POST comment
		step{status: 200, header: map[string]string{ // GraphQL query
			"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "4900", "X-RateLimit-Reset": reset, "X-RateLimit-Resource": "graphql"}},
		step{status: 200},                       // GraphQL mutation
		step{status: 502, header: core("4988")}, // GET, retried
		step{status: 200, header: core("4987")}, //   ... and its retry
		step{status: 403, header: core("0")},    // GET, primary limit: RateLimitError
	)
	fc := NewFakeClock(epoch)
	rt, stats := New(s.base(t), Options{Clock: fc, Retry: RetryOptions{Jitter: identityJitter}})
	perEvent := new(Stats)
	ev := WithStats(t.Context(), perEvent)

	calls := []struct {
		ctx    context.Context
		method string
		path   string
	}{
		{ev, "GET", "/repos/o/r/pulls/1"},
		{ev, "GET", "/repos/o/r/pulls/1"},
		{ev, "POST", "/repos/o/r/issues/1/comments"},
		{WithGraphQLQuery(t.Context()), "POST", "/graphql"},
		{t.Context(), "POST", "/graphql"},
		{ev, "GET", "/repos/o/r/pulls/1/commits"},
		{t.Context(), "GET", "/repos/o/r/labels"},
	}
	for _, c := range calls {
		resp, err := rt.RoundTrip(newRequest(t, c.ctx, c.method, s.URL+c.path, ""))
		if err == nil {
			resp.Body.Close()
		}
	}

	coreRL := func(remaining int) RateLimit {
		return RateLimit{Limit: 5000, Remaining: remaining, Used: 10, Reset: epoch.Add(time.Hour), Resource: "core", Observed: epoch.Add(1200 * time.Millisecond)}
	}
	want := Snapshot{
		Reads: 4, Writes: 1, GraphQLQueries: 1, GraphQLMutations: 1, Requests: 7, Attempts: 8,
		Status2xx: 5, Status3xx: 1, NotModified: 1, Errors: 1, RateLimitErrors: 1,
		Retries: 1, RetriedServerErrors: 1,
		RetryWait: 200 * time.Millisecond, // identity jitter: the full first backoff
		PaceWait:  time.Second,            // the GraphQL mutation, right after the comment
		RateLimit: coreRL(0),
		RateLimits: map[string]RateLimit{
			"core":    coreRL(0),
			"graphql": {Limit: 5000, Remaining: 4900, Reset: epoch.Add(time.Hour), Resource: "graphql", Observed: epoch},
		},
	}
	if diff := cmp.Diff(want, stats.Snapshot()); diff != "" {
		t.Errorf("stack stats (-want +got):\n%s", diff)
	}

	wantEvent := Snapshot{
		Reads: 3, Writes: 1, Requests: 4, Attempts: 5, Status2xx: 3, Status3xx: 1, NotModified: 1,
		Retries: 1, RetriedServerErrors: 1, RetryWait: 200 * time.Millisecond,
		RateLimit:  coreRL(4987),
		RateLimits: map[string]RateLimit{"core": coreRL(4987)},
	}
	if diff := cmp.Diff(wantEvent, perEvent.Snapshot()); diff != "" {
		t.Errorf("per-event stats (-want +got):\n%s", diff)
	}
}

func TestNilStatsIsNoop(t *testing.T) {
	var s *Stats
	s.countRequest(kindRead)
	s.countRetry(causeServer, time.Second)
	if got := s.Snapshot(); got.Requests != 0 {
		t.Errorf("nil Stats counted")
	}
}

// TestNewOrder checks the composition: the meter counts the logical call
// once, the retry layer's retry is counted, and the retried write is paced
// again (the pacer sits inside the retry layer).
func TestNewOrder(t *testing.T) {
	s := newScripted(t, step{status: 502}, step{status: 201})
	fc := NewFakeClock(epoch)
	rt, stats := New(s.base(t), Options{Version: "1.2.3", Clock: fc, Retry: RetryOptions{Jitter: identityJitter}})
	resp, err := rt.RoundTrip(newRequest(t, WithIdempotent(t.Context()), "POST", s.URL+"/repos/o/r/statuses/abc", `{"state":"success"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	// 200 ms backoff, then the pacer waits out the rest of its 1 s.
	if diff := cmp.Diff([]time.Duration{200 * time.Millisecond, 800 * time.Millisecond}, fc.Sleeps()); diff != "" {
		t.Errorf("sleeps (-want +got):\n%s", diff)
	}
	got := stats.Snapshot()
	if got.Writes != 1 || got.Attempts != 2 || got.Retries != 1 || got.PaceWait != 800*time.Millisecond {
		t.Errorf("stats %+v", got)
	}
	for i, h := range s.Hits() {
		if ua := h.header.Get("User-Agent"); ua != "contribution-policy/1.2.3" {
			t.Errorf("attempt %d: User-Agent %q", i+1, ua)
		}
		if v := h.header.Get("X-GitHub-Api-Version"); v != APIVersion {
			t.Errorf("attempt %d: X-GitHub-Api-Version %q", i+1, v)
		}
	}
}

func TestHeaders(t *testing.T) {
	s := newScripted(t, step{status: 200}, step{status: 200})
	rt := NewHeaders(s.base(t), "")
	req := newRequest(t, t.Context(), "GET", s.URL+"/x", "")
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(req.Header) != 0 {
		t.Errorf("the caller's request was modified: %v", req.Header)
	}
	req = newRequest(t, t.Context(), "GET", s.URL+"/x", "")
	req.Header.Set("User-Agent", "go-github/v60.0.0")
	req.Header.Set("X-GitHub-Api-Version", "2026-03-10")
	resp, err = rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	hits := s.Hits()
	for i, want := range [][2]string{{"contribution-policy/dev", APIVersion}, {"go-github/v60.0.0", "2026-03-10"}} {
		if got := [2]string{hits[i].header.Get("User-Agent"), hits[i].header.Get("X-GitHub-Api-Version")}; got != want {
			t.Errorf("request %d: got %v, want %v", i+1, got, want)
		}
	}
}

func TestLogsNoSecrets(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s := newScripted(t, step{status: 502}, step{status: 200})
	fc := NewFakeClock(epoch)
	rt, _ := New(s.base(t), Options{Clock: fc, Logger: logger, Retry: RetryOptions{Jitter: identityJitter}})
	req := newRequest(t, t.Context(), "GET", s.URL+"/repos/o/r/pulls?access_token=QUERYSECRET&state=open", "")
	req.Header.Set("Authorization", "token ghs_HEADERSECRET")
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	// An inner layer's *url.Error prints the full URL; the log must not.
	failing := NewRetry(roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return nil, &url.Error{Op: "Get", URL: r.URL.String(), Err: errors.New("boom")}
	}), RetryOptions{Clock: fc, Logger: logger})
	req = newRequest(t, t.Context(), "GET", s.URL+"/x?access_token=QUERYSECRET", "")
	req.Header.Set("Authorization", "token ghs_HEADERSECRET")
	if _, err := failing.RoundTrip(req); err == nil {
		t.Fatal("want an error")
	}

	out := buf.String()
	for _, secret := range []string{"QUERYSECRET", "HEADERSECRET", "Authorization", "access_token"} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains %q:\n%s", secret, out)
		}
	}
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		delete(m, "time")
		lines = append(lines, m)
	}
	want := []map[string]any{
		{"level": "DEBUG", "msg": "github api attempt", "method": "GET", "path": "/repos/o/r/pulls", "attempt": 1.0, "status": 502.0, "wait": 200e6, "retry": "server error"},
		{"level": "DEBUG", "msg": "github api attempt", "method": "GET", "path": "/repos/o/r/pulls", "attempt": 2.0, "status": 200.0},
		{"level": "DEBUG", "msg": "github api attempt", "method": "GET", "path": "/x", "attempt": 1.0, "error": `Get "` + s.URL + `/x?REDACTED": boom`},
	}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("log lines (-want +got):\n%s", diff)
	}
}

// TestConcurrentUse runs mixed traffic through one stack from many
// goroutines; run with -race.
func TestConcurrentUse(t *testing.T) {
	var mu sync.Mutex
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		fail := n%5 == 0
		mu.Unlock()
		w.Header().Set("X-RateLimit-Remaining", "100")
		w.Header().Set("X-RateLimit-Resource", "core")
		if fail {
			w.WriteHeader(503)
			return
		}
		fmt.Fprint(w, "{}")
	}))
	defer srv.Close()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	rt, stats := New(tr, Options{Clock: NewFakeClock(epoch)})
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			method := "GET"
			if i%4 == 0 {
				method = "PUT"
			}
			resp, err := rt.RoundTrip(newRequest(t, t.Context(), method, srv.URL+"/x", "{}"))
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("status %d", resp.StatusCode)
			}
		})
	}
	wg.Wait()
	got := stats.Snapshot()
	if got.Requests != 40 || got.Writes != 10 || got.Status2xx != 40 || got.Attempts != int64(n) {
		t.Errorf("stats %+v, server saw %d", got, n)
	}
}

func TestRealClock(t *testing.T) {
	c := RealClock()
	if err := c.Sleep(t.Context(), time.Millisecond); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := c.Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
}

// BenchmarkStack measures what the whole stack adds to a GET against a
// loopback server; compare with BenchmarkBare.
func BenchmarkStack(b *testing.B) { benchmarkGET(b, true) }

func BenchmarkBare(b *testing.B) { benchmarkGET(b, false) }

func benchmarkGET(b *testing.B, stack bool) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Limit", "5000")
		w.Header().Set("X-RateLimit-Remaining", "4999")
		w.Header().Set("X-RateLimit-Reset", "1772366400")
		w.Header().Set("X-RateLimit-Resource", "core")
		fmt.Fprint(w, `{"number":1}`)
	}))
	defer srv.Close()
	tr := &http.Transport{MaxIdleConnsPerHost: 4}
	defer tr.CloseIdleConnections()
	var rt http.RoundTripper = tr
	if stack {
		rt, _ = New(tr, Options{Version: "bench"})
	}
	req, _ := http.NewRequest("GET", srv.URL+"/repos/o/r/pulls/1", nil)
	req.Header.Set("User-Agent", "x")
	b.ReportAllocs()
	for b.Loop() {
		resp, err := rt.RoundTrip(req)
		if err != nil {
			b.Fatal(err)
		}
		discard(resp)
	}
}

// BenchmarkStackInMemory isolates the stack's own cost: the base answers
// from memory, so there is no network in the figure.
func BenchmarkStackInMemory(b *testing.B) {
	h := http.Header{}
	h.Set("X-RateLimit-Remaining", "4999")
	h.Set("X-RateLimit-Resource", "core")
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: h, Body: http.NoBody, Request: r}, nil
	})
	rt, _ := New(base, Options{Version: "bench"})
	req, _ := http.NewRequest("GET", "https://api.github.com/repos/o/r/pulls/1", nil)
	b.ReportAllocs()
	for b.Loop() {
		resp, err := rt.RoundTrip(req)
		if err != nil {
			b.Fatal(err)
		}
		discard(resp)
	}
}

func TestNewMeterStandalone(t *testing.T) {
	s := newScripted(t, step{status: 404}, step{hijack: true})
	stats := new(Stats)
	rt := NewMeter(s.base(t), stats)
	resp, err := rt.RoundTrip(newRequest(t, t.Context(), "GET", s.URL+"/x", ""))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if _, err := rt.RoundTrip(newRequest(t, t.Context(), "DELETE", s.URL+"/x", "")); err == nil {
		t.Fatal("want an error")
	}
	want := Snapshot{Reads: 1, Writes: 1, Requests: 2, Attempts: 2, Status4xx: 1, Errors: 1}
	if diff := cmp.Diff(want, stats.Snapshot()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestClientWaitsOutSecondaryLimit: a client from NewClient waits out a
// secondary limit's "Retry-After: 60", GitHub's usual value (within the
// default 90 s budget). The Action's
// client once had a fixed 30 s http.Client.Timeout, which becomes the
// request's deadline, so the retry layer refused every such wait and the run
// ended in an error it had the budget to avoid.
func TestClientWaitsOutSecondaryLimit(t *testing.T) {
	limited := step{status: 403, header: map[string]string{"Retry-After": "60"}, body: secondaryBody}
	get := func(t *testing.T, c *http.Client, url string) error {
		req, err := http.NewRequestWithContext(t.Context(), "GET", url, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := c.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		return nil
	}
	t.Run("NewClient", func(t *testing.T) {
		s := newScripted(t, limited)
		fc := NewFakeClock(time.Now()) // deadlines are real times
		c, stats := NewClient(s.base(t), Options{Clock: fc})
		if err := get(t, c, s.URL+"/x"); err != nil {
			t.Fatalf("got %v, want the retry to succeed", err)
		}
		if diff := cmp.Diff([]time.Duration{61 * time.Second}, fc.Sleeps()); diff != "" {
			t.Errorf("sleeps (-want +got):\n%s", diff)
		}
		if got := stats.Snapshot().Attempts; got != 2 {
			t.Errorf("%d attempts, want 2", got)
		}
	})
	t.Run("a 30 s client timeout refuses the wait", func(t *testing.T) {
		s := newScripted(t, limited)
		fc := NewFakeClock(time.Now())
		rt, _ := New(s.base(t), Options{Clock: fc})
		err := get(t, &http.Client{Transport: rt, Timeout: 30 * time.Second}, s.URL+"/x")
		var rle *RateLimitError
		if !errors.As(err, &rle) || rle.Reason != "the wait would pass the context deadline" {
			t.Fatalf("got %v, want the rate-limit error the old client gave", err)
		}
	})
	if b := CallBudget(RetryOptions{}); b < DefaultMaxWait+DefaultMaxAttempts*DefaultHeaderTimeout {
		t.Errorf("CallBudget = %v: shorter than the waits and attempts it must allow", b)
	}
}
