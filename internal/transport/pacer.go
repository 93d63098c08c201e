package transport

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// PacerOptions configures NewPacer.
type PacerOptions struct {
	// MinInterval is the least time between the starts of two mutating
	// requests. 0 means the default of 1 s (GitHub's guidance, and what the
	// App uses); a negative value means no spacing, only serialisation
	// (the Action writes at most a few times per run).
	MinInterval time.Duration
	Clock       Clock  // default RealClock()
	Stats       *Stats // optional; receives the time spent pacing
}

// DefaultMinInterval is the spacing between writes GitHub asks for.
const DefaultMinInterval = time.Second

// NewPacer returns a RoundTripper that serialises mutating requests (POST,
// PATCH, PUT, DELETE, including GraphQL mutations) and starts each at least
// MinInterval after the previous one started. Use one pacer per token or
// installation: that is the unit GitHub's secondary limits apply to.
//
// Reads, and GraphQL POSTs marked WithGraphQLQuery, pass straight through:
// they never wait behind a write.
//
// A write holds its slot until the next layer returns response headers, not
// until its body is read; write responses are small.
func NewPacer(next http.RoundTripper, opts PacerOptions) http.RoundTripper {
	if opts.MinInterval == 0 {
		opts.MinInterval = DefaultMinInterval
	}
	if opts.MinInterval < 0 {
		opts.MinInterval = 0
	}
	if opts.Clock == nil {
		opts.Clock = RealClock()
	}
	return &pacer{next: next, opts: opts, slot: make(chan struct{}, 1)}
}

type pacer struct {
	next http.RoundTripper
	opts PacerOptions
	slot chan struct{} // holds one token while a write is in flight
	last time.Time     // start of the previous write; guarded by slot
}

func (p *pacer) RoundTrip(req *http.Request) (*http.Response, error) {
	if k := classify(req); k != kindWrite && k != kindGraphQLMutation {
		return p.next.RoundTrip(req)
	}
	ctx := req.Context()
	select {
	case p.slot <- struct{}{}:
	case <-ctx.Done():
		closeRequestBody(req)
		return nil, fmt.Errorf("waiting for the write slot for %s %s: %w", req.Method, req.URL.Path, ctx.Err())
	}
	defer func() { <-p.slot }()

	if !p.last.IsZero() && p.opts.MinInterval > 0 {
		now := p.opts.Clock.Now()
		if wait := p.last.Add(p.opts.MinInterval).Sub(now); wait > 0 {
			if err := p.sleep(ctx, req, now, wait); err != nil {
				closeRequestBody(req)
				return nil, err
			}
		}
	}
	p.last = p.opts.Clock.Now()
	return p.next.RoundTrip(req)
}

func (p *pacer) sleep(ctx context.Context, req *http.Request, now time.Time, wait time.Duration) error {
	if dl, ok := ctx.Deadline(); ok && now.Add(wait).After(dl) {
		return fmt.Errorf("pacing %s %s: waiting %v would pass the context deadline: %w",
			req.Method, req.URL.Path, wait, context.DeadlineExceeded)
	}
	if err := p.opts.Clock.Sleep(ctx, wait); err != nil {
		return fmt.Errorf("pacing %s %s: %w", req.Method, req.URL.Path, err)
	}
	p.opts.Stats.countPace(wait)
	statsFromContext(ctx).countPace(wait)
	return nil
}

func closeRequestBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}
