package transport

import (
	"log/slog"
	"net/http"
)

// Options configures New.
type Options struct {
	// Version goes into "User-Agent: contribution-policy/<version>".
	Version string
	// Clock and Logger are shared by the layers unless Retry or Pacer set
	// their own. Defaults: RealClock(), discard.
	Clock  Clock
	Logger *slog.Logger
	Retry  RetryOptions
	Pacer  PacerOptions
}

// New builds the full stack over base (nil: http.DefaultTransport), outermost
// first: meter → retry → pacer → headers → base (see the package comment for
// why), and returns it with the Stats it records into.
//
// Build one stack per token or installation: the pacer's spacing and the
// rate-limit headers in Stats are per stack.
func New(base http.RoundTripper, opts Options) (http.RoundTripper, *Stats) {
	if base == nil {
		base = http.DefaultTransport
	}
	if opts.Clock == nil {
		opts.Clock = RealClock()
	}
	stats := new(Stats)

	ro := opts.Retry
	if ro.Clock == nil {
		ro.Clock = opts.Clock
	}
	if ro.Logger == nil {
		ro.Logger = opts.Logger
	}
	if ro.Stats == nil {
		ro.Stats = stats
	}
	po := opts.Pacer
	if po.Clock == nil {
		po.Clock = opts.Clock
	}
	if po.Stats == nil {
		po.Stats = stats
	}

	var rt http.RoundTripper = NewHeaders(base, opts.Version)
	rt = NewPacer(rt, po)
	rt = NewRetry(rt, ro)
	rt = &meter{next: rt, stats: stats, clock: opts.Clock}
	return rt, stats
}
