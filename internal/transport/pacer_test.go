package transport

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestPacerSpacesWrites(t *testing.T) {
	tests := []struct {
		name     string
		interval time.Duration
		want     []time.Duration
	}{
		{name: "default 1 s", want: []time.Duration{time.Second, time.Second, 600 * time.Millisecond}},
		{name: "250 ms", interval: 250 * time.Millisecond, want: []time.Duration{250 * time.Millisecond, 250 * time.Millisecond}},
		{name: "none", interval: -1, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newScripted(t)
			fc := NewFakeClock(epoch)
			stats := new(Stats)
			rt := NewPacer(s.base(t), PacerOptions{MinInterval: tt.interval, Clock: fc, Stats: stats})
			do := func(method, path string) {
				t.Helper()
				resp, err := rt.RoundTrip(newRequest(t, t.Context(), method, s.URL+path, "{}"))
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
			}
			do("POST", "/repos/o/r/issues/1/comments")
			do("GET", "/repos/o/r/pulls/1") // reads never wait
			do("PATCH", "/repos/o/r/issues/comments/1")
			do("DELETE", "/repos/o/r/issues/1/labels/x")
			fc.Advance(400 * time.Millisecond) // time passes between writes
			do("PUT", "/repos/o/r/issues/1/labels")
			if diff := cmp.Diff(tt.want, fc.Sleeps()); diff != "" {
				t.Errorf("sleeps (-want +got):\n%s", diff)
			}
			var total time.Duration
			for _, d := range tt.want {
				total += d
			}
			if got := stats.Snapshot().PaceWait; got != total {
				t.Errorf("PaceWait = %v, want %v", got, total)
			}
		})
	}
}

func TestPacerGraphQL(t *testing.T) {
	s := newScripted(t)
	fc := NewFakeClock(epoch)
	rt := NewPacer(s.base(t), PacerOptions{Clock: fc})
	do := func(ctx context.Context) {
		t.Helper()
		resp, err := rt.RoundTrip(newRequest(t, ctx, "POST", s.URL+"/api/graphql", `{"query":"{viewer{login}}"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	q := WithGraphQLQuery(t.Context())
	do(t.Context()) // mutation
	do(q)
	do(q)
	if n := len(fc.Sleeps()); n != 0 {
		t.Fatalf("queries were paced: %v", fc.Sleeps())
	}
	do(t.Context()) // mutation: paced
	if diff := cmp.Diff([]time.Duration{time.Second}, fc.Sleeps()); diff != "" {
		t.Errorf("sleeps (-want +got):\n%s", diff)
	}
}

// TestPacerReadsNotBlockedByWrites holds a write open on the server and
// checks that reads and GraphQL queries still complete, and that a second
// write does not reach the server until the first is done.
func TestPacerReadsNotBlockedByWrites(t *testing.T) {
	release := make(chan struct{})
	writeArrived := make(chan string, 2)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/write" || r.URL.Path == "/write2" {
			writeArrived <- r.URL.Path
			<-release
		}
		w.WriteHeader(200)
	}))
	defer srv.Close()
	defer srv.CloseClientConnections()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	rt := NewPacer(tr, PacerOptions{MinInterval: -1, Clock: NewFakeClock(epoch)})

	var wg sync.WaitGroup
	wg.Go(func() {
		resp, err := rt.RoundTrip(newRequest(t, t.Context(), "POST", srv.URL+"/write", "a"))
		if err == nil {
			resp.Body.Close()
		}
	})
	if got := <-writeArrived; got != "/write" {
		t.Fatalf("first write arrived as %s", got)
	}
	second := make(chan error, 1)
	go func() {
		resp, err := rt.RoundTrip(newRequest(t, t.Context(), "PUT", srv.URL+"/write2", "b"))
		if err == nil {
			resp.Body.Close()
		}
		second <- err
	}()

	// With a write in flight, reads and GraphQL queries go through.
	for _, req := range []*http.Request{
		newRequest(t, t.Context(), "GET", srv.URL+"/read", ""),
		newRequest(t, WithGraphQLQuery(t.Context()), "POST", srv.URL+"/graphql", "{}"),
	} {
		resp, err := rt.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	select {
	case p := <-writeArrived:
		t.Fatalf("%s reached the server while the first write was in flight", p)
	default:
	}
	close(release)
	wg.Wait()
	if err := <-second; err != nil {
		t.Fatal(err)
	}
	if got := <-writeArrived; got != "/write2" {
		t.Fatalf("second write arrived as %s", got)
	}
}

func TestPacerSerialisesConcurrentWrites(t *testing.T) {
	var inflight, peak atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inflight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(time.Millisecond) // server-side work, to give overlaps a chance
		inflight.Add(-1)
	}))
	defer srv.Close()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	fc := NewFakeClock(epoch)
	rt := NewPacer(tr, PacerOptions{Clock: fc})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			resp, err := rt.RoundTrip(newRequest(t, t.Context(), "POST", srv.URL+"/w", "x"))
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
		})
	}
	wg.Wait()
	if p := peak.Load(); p != 1 {
		t.Errorf("%d writes in flight at once, want 1", p)
	}
	if n := len(fc.Sleeps()); n != 7 {
		t.Errorf("%d pacing sleeps, want 7", n)
	}
}

func TestPacerContextDoneWhileQueued(t *testing.T) {
	release := make(chan struct{})
	arrived := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-release
	}))
	defer srv.Close()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	rt := NewPacer(tr, PacerOptions{Clock: NewFakeClock(epoch)})
	done := make(chan struct{})
	go func() {
		defer close(done)
		if resp, err := rt.RoundTrip(newRequest(t, t.Context(), "POST", srv.URL+"/w", "x")); err == nil {
			resp.Body.Close()
		}
	}()
	<-arrived
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	req := newRequest(t, ctx, "POST", srv.URL+"/w", "")
	body := &trackingBody{Reader: http.NoBody}
	req.Body = body
	_, err := rt.RoundTrip(req)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	if !body.closed {
		t.Error("request body not closed")
	}
	close(release)
	<-done
}

func TestPacerDeadline(t *testing.T) {
	s := newScripted(t)
	fc := NewFakeClock(time.Now())
	rt := NewPacer(s.base(t), PacerOptions{Clock: fc})
	resp, err := rt.RoundTrip(newRequest(t, t.Context(), "POST", s.URL+"/w", "x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	_, err = rt.RoundTrip(newRequest(t, ctx, "POST", s.URL+"/w", "x"))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want context.DeadlineExceeded", err)
	}
	if len(fc.Sleeps()) != 0 || len(s.Hits()) != 1 {
		t.Errorf("slept %v; server saw %d requests", fc.Sleeps(), len(s.Hits()))
	}
}
