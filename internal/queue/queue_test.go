package queue

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// recorder is a Handler that counts evaluations and can hold one open.
type recorder struct {
	mu      sync.Mutex
	evals   map[string]int
	active  map[string]int
	overlap atomic.Int32
	hold    chan struct{} // when set, Evaluate waits on it
	started chan string
	reqs    []Request
}

func newRecorder() *recorder {
	return &recorder{evals: map[string]int{}, active: map[string]int{}, started: make(chan string, 100)}
}

func (r *recorder) Evaluate(ctx context.Context, pr PR, reqs []Request) error {
	r.mu.Lock()
	r.active[pr.Key()]++
	if r.active[pr.Key()] > 1 {
		r.overlap.Add(1)
	}
	r.reqs = append(r.reqs, reqs...)
	hold := r.hold
	r.mu.Unlock()
	r.started <- pr.Key()
	if hold != nil {
		select {
		case <-hold:
		case <-ctx.Done():
		}
	}
	r.mu.Lock()
	r.active[pr.Key()]--
	r.evals[pr.Key()]++
	r.mu.Unlock()
	return nil
}

func (r *recorder) MergeGroup(context.Context, MergeGroupArgs) error       { return nil }
func (r *recorder) SweepRepo(context.Context, SweepRepoArgs) ([]PR, error) { return nil, nil }
func (r *recorder) Reconcile(context.Context, *Queue) error                { return nil }
func (r *recorder) count(key string) int                                   { r.mu.Lock(); defer r.mu.Unlock(); return r.evals[key] }

func openTest(t *testing.T, h Handler, o Options) *Queue {
	t.Helper()
	o.Handler = h
	if o.DatabaseURL == "" && o.SQLitePath == "" {
		o.SQLitePath = filepath.Join(t.TempDir(), "q.db")
	}
	o.ReconcileInterval = -1
	q, err := Open(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = q.Stop(ctx)
		q.Close()
	})
	return q
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var pr1 = PR{InstallationID: 1, Owner: "o", Repo: "r", Number: 1}

func delivery(id string, pr PR) *Delivery {
	return &Delivery{ID: id, Event: "pull_request", Action: "synchronize", InstallationID: pr.InstallationID, PR: &pr}
}

func TestDedupeAndCoalesce(t *testing.T) {
	r := newRecorder()
	q := openTest(t, r, Options{})
	ctx := context.Background()
	// Stored before the workers start: a burst coalesces into one job.
	for i := 0; i < 6; i++ {
		if o, err := q.Submit(ctx, delivery(fmt.Sprint("d", i), pr1)); err != nil || o != Stored {
			t.Fatalf("submit %d: %v %v", i, o, err)
		}
	}
	if o, err := q.Submit(ctx, delivery("d0", pr1)); err != nil || o != Duplicate {
		t.Fatalf("replay: %v %v, want Duplicate", o, err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the evaluation", func() bool { return r.count(pr1.Key()) == 1 })
	waitFor(t, "every delivery processed", func() bool {
		ds, _ := q.Deliveries(ctx)
		for _, d := range ds {
			if !d.Processed {
				return false
			}
		}
		return len(ds) == 6
	})
	time.Sleep(300 * time.Millisecond)
	if n := r.count(pr1.Key()); n != 1 {
		t.Errorf("%d evaluations for a burst of 6 deliveries, want 1", n)
	}
}

// An event that arrives while the pull request's job runs must lead to one
// more evaluation (River's unique job is held while running).
func TestEventWhileRunningRunsAgain(t *testing.T) {
	r := newRecorder()
	r.hold = make(chan struct{})
	q := openTest(t, r, Options{})
	ctx := context.Background()
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := q.Submit(ctx, delivery("a", pr1)); err != nil {
		t.Fatal(err)
	}
	<-r.started // running now
	for _, id := range []string{"b", "c"} {
		if o, err := q.Submit(ctx, delivery(id, pr1)); err != nil || o != Stored {
			t.Fatalf("submit: %v %v", o, err)
		}
	}
	r.mu.Lock()
	h := r.hold
	r.hold = nil
	r.mu.Unlock()
	close(h)
	waitFor(t, "a second evaluation", func() bool { return r.count(pr1.Key()) == 2 })
	time.Sleep(300 * time.Millisecond)
	if n := r.count(pr1.Key()); n != 2 {
		t.Errorf("%d evaluations, want 2 (one running, one after the events that came meanwhile)", n)
	}
	if r.overlap.Load() != 0 {
		t.Error("the pull request was evaluated twice at once")
	}
}

// Concurrent submissions land in shared batches: ids repeated within a batch
// and across batches are duplicates, the rest stored exactly once.
func TestConcurrentSubmitDedupes(t *testing.T) {
	r := newRecorder()
	q := openTest(t, r, Options{})
	ctx := context.Background()
	var stored, dups atomic.Int32
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				pr := PR{InstallationID: 1, Owner: "o", Repo: "r", Number: i%5 + 1}
				o, err := q.Submit(ctx, delivery(fmt.Sprint("id-", i), pr))
				if err != nil {
					t.Error(err)
					return
				}
				if o == Stored {
					stored.Add(1)
				} else {
					dups.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if stored.Load() != 50 || dups.Load() != 350 {
		t.Fatalf("stored %d, duplicates %d; want 50 and 350", stored.Load(), dups.Load())
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	for n := 1; n <= 5; n++ {
		key := PR{Owner: "o", Repo: "r", Number: n}.Key()
		waitFor(t, key, func() bool { return r.count(key) >= 1 })
	}
}
