package transport

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"
)

// RetryOptions configures NewRetry. Zero values take the defaults.
type RetryOptions struct {
	// MaxAttempts bounds the attempts per request, rate-limit waits
	// included. Default 4.
	MaxAttempts int
	// BaseDelay and MaxDelay shape the backoff for 5xx and network errors:
	// before retry n (1-based) the layer sleeps a uniformly random time in
	// [0, min(MaxDelay, BaseDelay·2^(n-1))] ("full jitter").
	// Defaults 200 ms and 5 s.
	BaseDelay, MaxDelay time.Duration
	// MaxWait is the most one request may spend waiting for rate limits to
	// lift, summed over its attempts. A wait that would exceed it is not
	// started: the request fails with *RateLimitError. Default 90 s (the
	// Action); the App may use 2 min. Negative: never wait.
	MaxWait time.Duration
	// NotFoundDelay is the first wait before retrying a 404 for a request
	// marked WithRetryNotFound; it doubles on each further 404. Default 1 s.
	NotFoundDelay time.Duration
	// MaxBufferedBody bounds how much of a request body without GetBody is
	// buffered up front to make retries possible. A larger body is sent once,
	// without retries. Default 4 MiB; negative: never buffer.
	MaxBufferedBody int64

	Clock  Clock        // default RealClock()
	Logger *slog.Logger // debug line per attempt; default discards
	Stats  *Stats       // optional; receives retries, waits and the rate-limit headers of discarded responses
	// Jitter returns the sleep for a backoff bound d, in [0, d]. Default:
	// uniformly random. Tests set it to make the schedule exact.
	Jitter func(d time.Duration) time.Duration
}

const (
	DefaultMaxAttempts     = 4
	DefaultBaseDelay       = 200 * time.Millisecond
	DefaultMaxDelay        = 5 * time.Second
	DefaultMaxWait         = 90 * time.Second // room for GitHub's usual "Retry-After: 60" (+1 s)
	DefaultNotFoundDelay   = time.Second
	DefaultMaxBufferedBody = 4 << 20
)

func (o RetryOptions) withDefaults() RetryOptions {
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = DefaultMaxAttempts
	}
	if o.BaseDelay <= 0 {
		o.BaseDelay = DefaultBaseDelay
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = DefaultMaxDelay
	}
	switch {
	case o.MaxWait == 0:
		o.MaxWait = DefaultMaxWait
	case o.MaxWait < 0:
		o.MaxWait = 0
	}
	if o.NotFoundDelay <= 0 {
		o.NotFoundDelay = DefaultNotFoundDelay
	}
	if o.MaxBufferedBody == 0 {
		o.MaxBufferedBody = DefaultMaxBufferedBody
	}
	if o.Clock == nil {
		o.Clock = RealClock()
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Jitter == nil {
		o.Jitter = fullJitter
	}
	return o
}

func fullJitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(d) + 1))
}

// NewRetry returns a RoundTripper that retries what GitHub asks clients to
// retry:
//
//   - 500, 502, 503, 504 and transient network errors (see retryableError),
//     with exponential backoff and full jitter, up to MaxAttempts. When the
//     attempts run out the last response is returned as is (the caller's
//     client turns a 5xx into an error), or the last error.
//   - 403/429 rate limits (see rateLimitOf): waits Retry-After + 1 s, or until
//     X-RateLimit-Reset + 1 s, or at least 60 s (doubling) for a secondary
//     limit without either, while the request's total wait stays within
//     MaxWait; otherwise fails at once with *RateLimitError. A rate-limit
//     rejection means the request was not applied, so this holds for every
//     method.
//   - 404 on a GET whose context carries WithRetryNotFound(ctx, n), at most n
//     times.
//
// Requests that may have been applied are repeated only when that is safe:
// GET, HEAD, OPTIONS, TRACE, PUT and DELETE always; POST and PATCH only when
// the context says so (WithIdempotent, or WithGraphQLQuery on a GraphQL
// query), or when the error proves the request was never sent (see notSent).
//
// No wait runs past the context's deadline: if the next wait would, the
// layer returns at once (the last response, the last error joined with
// context.DeadlineExceeded, or a *RateLimitError). Discarded responses are
// drained and closed. The request is never modified; bodies are replayed from
// GetBody or from a bounded up-front buffer.
func NewRetry(next http.RoundTripper, opts RetryOptions) http.RoundTripper {
	return &retry{next: next, opts: opts.withDefaults()}
}

type retry struct {
	next http.RoundTripper
	opts RetryOptions
}

type action int

const (
	actReturn action = iota // hand resp/err (or decision.err) to the caller
	actRetry                // discard, sleep decision.wait, try again
	actFail                 // discard, return decision.err
)

type decision struct {
	act   action
	wait  time.Duration
	cause retryCause
	err   error // for actFail; for actReturn, replaces the attempt's error if set
}

type retryState struct {
	backoffs     int           // 5xx/network retries so far (the backoff exponent)
	notFound     int           // 404 retries so far
	rlNoHint     int           // rate-limit waits without a hint so far
	rateLimitSum time.Duration // rate-limit waiting so far
}

func (t *retry) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	body, err := t.prepareBody(req)
	if err != nil {
		return nil, err
	}
	maxAttempts := t.opts.MaxAttempts
	if !body.replayable {
		maxAttempts = 1
	}
	var st retryState
	for attempt := 1; ; attempt++ {
		r := req
		if attempt > 1 || body.first != nil {
			if r, err = body.request(req, attempt); err != nil {
				return nil, fmt.Errorf("replaying the body of %s %s: %w", req.Method, req.URL.Path, err)
			}
		}
		resp, err := t.next.RoundTrip(r)
		now := t.opts.Clock.Now()
		d := t.decide(ctx, req, attempt, maxAttempts, resp, err, now, &st)
		t.log(ctx, req, attempt, resp, err, d)

		switch d.act {
		case actReturn:
			if d.err != nil {
				err = d.err
			}
			if err != nil && attempt > 1 {
				err = fmt.Errorf("after %d attempts: %w", attempt, err)
			}
			return resp, err
		case actFail:
			t.observe(ctx, resp, now)
			discard(resp)
			return nil, d.err
		}
		t.observe(ctx, resp, now)
		discard(resp)
		if err := t.opts.Clock.Sleep(ctx, d.wait); err != nil {
			return nil, fmt.Errorf("waiting %v to retry %s %s after a %s: %w", d.wait, req.Method, req.URL.Path, d.cause, err)
		}
		t.opts.Stats.countRetry(d.cause, d.wait)
		statsFromContext(ctx).countRetry(d.cause, d.wait)
	}
}

func (t *retry) decide(ctx context.Context, req *http.Request, attempt, maxAttempts int, resp *http.Response, err error, now time.Time, st *retryState) decision {
	ret := decision{act: actReturn}
	if err != nil {
		if ctx.Err() != nil || !retryableError(err) || attempt >= maxAttempts {
			return ret
		}
		if !idempotent(req) && !notSent(err) {
			return ret
		}
		wait := t.backoff(st.backoffs)
		if pastDeadline(ctx, now, wait) {
			return decision{act: actReturn, err: fmt.Errorf(
				"%w (not retried: waiting %v would pass the context deadline: %w)", err, wait, context.DeadlineExceeded)}
		}
		st.backoffs++
		return decision{act: actRetry, wait: wait, cause: causeNetwork}
	}
	if resp == nil {
		return ret
	}

	switch resp.StatusCode {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		if attempt >= maxAttempts || !idempotent(req) {
			return ret
		}
		wait := t.backoff(st.backoffs)
		if pastDeadline(ctx, now, wait) {
			return ret
		}
		st.backoffs++
		return decision{act: actRetry, wait: wait, cause: causeServer}

	case http.StatusForbidden, http.StatusTooManyRequests:
		rl, ok := rateLimitOf(resp, now)
		if !ok {
			return ret
		}
		wait := rl.wait
		if rl.noHint {
			wait <<= min(st.rlNoHint, 10)
		}
		var reason string
		switch {
		case attempt >= maxAttempts:
			reason = fmt.Sprintf("no attempts left (%d made)", attempt)
		case st.rateLimitSum+wait > t.opts.MaxWait && st.rateLimitSum > 0:
			reason = fmt.Sprintf("the wait exceeds the %v left of the %v budget", t.opts.MaxWait-st.rateLimitSum, t.opts.MaxWait)
		case st.rateLimitSum+wait > t.opts.MaxWait:
			reason = fmt.Sprintf("the wait exceeds the %v budget", t.opts.MaxWait)
		case pastDeadline(ctx, now, wait):
			reason = "the wait would pass the context deadline"
		}
		if reason != "" {
			return decision{act: actFail, err: &RateLimitError{
				Reset: rl.reset, Secondary: rl.secondary, RetryAfter: wait,
				StatusCode: resp.StatusCode, Method: req.Method, Path: req.URL.Path,
				Message: rl.message, Reason: reason,
			}}
		}
		st.rateLimitSum += wait
		if rl.noHint {
			st.rlNoHint++
		}
		return decision{act: actRetry, wait: wait, cause: causeRateLimit}

	case http.StatusNotFound:
		if req.Method != http.MethodGet || st.notFound >= retryNotFound(ctx) || attempt >= maxAttempts {
			return ret
		}
		wait := t.opts.NotFoundDelay << min(st.notFound, 10)
		if pastDeadline(ctx, now, wait) {
			return ret
		}
		st.notFound++
		return decision{act: actRetry, wait: wait, cause: causeNotFound}
	}
	return ret
}

func (t *retry) backoff(n int) time.Duration {
	bound := t.opts.MaxDelay
	if n < 30 {
		bound = min(t.opts.BaseDelay<<n, t.opts.MaxDelay)
	}
	return min(max(t.opts.Jitter(bound), 0), bound)
}

// idempotent reports whether repeating req is harmless even if the server
// applied an earlier attempt.
func idempotent(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace, http.MethodPut, http.MethodDelete:
		return true
	}
	ctx := req.Context()
	return isIdempotentCtx(ctx) || (isGraphQLPath(req.URL.Path) && isGraphQLQueryCtx(ctx))
}

func pastDeadline(ctx context.Context, now time.Time, wait time.Duration) bool {
	dl, ok := ctx.Deadline()
	return ok && now.Add(wait).After(dl)
}

func (t *retry) observe(ctx context.Context, resp *http.Response, now time.Time) {
	t.opts.Stats.observeRateLimit(resp, now)
	statsFromContext(ctx).observeRateLimit(resp, now)
}

func (t *retry) log(ctx context.Context, req *http.Request, attempt int, resp *http.Response, err error, d decision) {
	if !t.opts.Logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	// Only the method and the path: the query may carry tokens, and headers
	// carry the Authorization value.
	attrs := make([]slog.Attr, 0, 7)
	attrs = append(attrs,
		slog.String("method", req.Method),
		slog.String("path", req.URL.Path),
		slog.Int("attempt", attempt))
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", redact(err.Error(), req)))
	}
	switch d.act {
	case actRetry:
		attrs = append(attrs, slog.Duration("wait", d.wait), slog.String("retry", d.cause.String()))
	case actFail:
		attrs = append(attrs, slog.String("error", redact(d.err.Error(), req)))
	}
	t.opts.Logger.LogAttrs(ctx, slog.LevelDebug, "github api attempt", attrs...)
}

// redact removes the request's query string from an error message (a
// *url.Error from an inner layer prints the full URL).
func redact(msg string, req *http.Request) string {
	if q := req.URL.RawQuery; q != "" {
		msg = strings.ReplaceAll(msg, q, "REDACTED")
	}
	return msg
}

// discard drains (a bounded amount of) a response nobody will read, so its
// connection can be reused, and closes it.
func discard(resp *http.Response) {
	if resp == nil || resp.Body == nil {
		return
	}
	_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
	resp.Body.Close()
}

// replayBody knows how to produce the request body for each attempt.
type replayBody struct {
	replayable bool
	getBody    func() (io.ReadCloser, error)
	// first, if set, is the body for attempt 1 in place of req.Body (which
	// was consumed while buffering).
	first io.ReadCloser
}

// prepareBody makes the body replayable: no body and GetBody need nothing;
// otherwise the body is read into memory up to MaxBufferedBody. A larger
// body is streamed once, unretried.
func (t *retry) prepareBody(req *http.Request) (replayBody, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return replayBody{replayable: true}, nil
	}
	if req.GetBody != nil {
		return replayBody{replayable: true, getBody: req.GetBody}, nil
	}
	if t.opts.MaxBufferedBody < 0 {
		return replayBody{}, nil
	}
	buf, err := io.ReadAll(io.LimitReader(req.Body, t.opts.MaxBufferedBody+1))
	if err != nil {
		req.Body.Close()
		return replayBody{}, fmt.Errorf("reading the body of %s %s: %w", req.Method, req.URL.Path, err)
	}
	if int64(len(buf)) > t.opts.MaxBufferedBody {
		first := struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(buf), req.Body), req.Body}
		return replayBody{first: first}, nil
	}
	req.Body.Close()
	get := func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(buf)), nil }
	first, _ := get()
	return replayBody{replayable: true, getBody: get, first: first}, nil
}

// request returns the request for an attempt: a copy of req with a fresh
// body.
func (b replayBody) request(req *http.Request, attempt int) (*http.Request, error) {
	r := req.Clone(req.Context())
	switch {
	case attempt == 1 && b.first != nil:
		r.Body = b.first
	case b.getBody != nil:
		body, err := b.getBody()
		if err != nil {
			return nil, err
		}
		r.Body = body
	}
	if b.getBody != nil {
		r.GetBody = b.getBody
	}
	return r, nil
}
