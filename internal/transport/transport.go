package transport

import (
	"log/slog"
	"net/http"
	"time"
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
		base = DefaultBase(0)
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

// NewClient is New wrapped in an http.Client whose Timeout bounds a whole
// call by the stack's own budget (CallBudget). http.Client.Timeout becomes
// the request context's deadline, and the retry layer never starts a wait
// past the deadline: a shorter, hand-picked timeout (the Action once had
// 30 s) silently refuses the longer rate-limit waits the budget allows,
// such as the 60 s a secondary limit usually asks for.
func NewClient(base http.RoundTripper, opts Options) (*http.Client, *Stats) {
	rt, stats := New(base, opts)
	return &http.Client{Transport: rt, Timeout: CallBudget(opts.Retry)}, stats
}

// CallBudget is the longest one call through a stack with these retry
// options may legitimately take: the rate-limit wait budget, every attempt's
// response-header timeout and backoff, the doubling 404 waits, and slack for
// reading bodies and write pacing.
func CallBudget(o RetryOptions) time.Duration {
	o = o.withDefaults()
	perAttempt := DefaultHeaderTimeout + o.MaxDelay
	notFound := o.NotFoundDelay << min(o.MaxAttempts, 10)
	return o.MaxWait + time.Duration(o.MaxAttempts)*perAttempt + notFound + 30*time.Second
}

// DefaultHeaderTimeout bounds how long one attempt waits for GitHub's
// response headers. GitHub itself gives up on a request after 10 s, so a
// longer silence is a hung connection: the attempt is abandoned and the
// retry layer decides whether to try again.
const DefaultHeaderTimeout = 20 * time.Second

// DefaultBase is the base transport: Go's default transport with a
// per-attempt response-header timeout (headerTimeout; 0 = the default).
// http.Client.Timeout cannot play this role: it bounds the whole call,
// retries included, so a first attempt that hangs would use up the budget
// of the retries that follow.
func DefaultBase(headerTimeout time.Duration) *http.Transport {
	if headerTimeout <= 0 {
		headerTimeout = DefaultHeaderTimeout
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.ResponseHeaderTimeout = headerTimeout
	return t
}
