package transport

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RateLimitError is returned instead of a 403/429 rate-limit response when
// the retry layer will not wait for the limit to lift: the wait exceeds the
// budget (RetryOptions.MaxWait) or the context deadline, or the attempts are
// used up. The caller always gets an error, never the rejected response as
// if it were a result.
type RateLimitError struct {
	// Reset is when the primary limit resets (X-RateLimit-Reset); zero if
	// GitHub did not say.
	Reset time.Time
	// Secondary is true for a secondary (abuse) limit, false for the
	// primary hourly limit.
	Secondary bool
	// RetryAfter is how long from the rejection the caller should wait
	// before trying again, including the 1 s margin.
	RetryAfter time.Duration

	StatusCode int    // 403 or 429
	Method     string // of the rejected request
	Path       string // URL path, without the query
	Message    string // GitHub's "message", if any
	Reason     string // why the transport did not wait
}

func (e *RateLimitError) Error() string {
	kind := "primary"
	if e.Secondary {
		kind = "secondary"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "github %s rate limit (%d) on %s %s", kind, e.StatusCode, e.Method, e.Path)
	if e.Message != "" {
		fmt.Fprintf(&b, ": %q", e.Message)
	}
	fmt.Fprintf(&b, "; retry after %v", e.RetryAfter)
	if !e.Reset.IsZero() {
		fmt.Fprintf(&b, " (resets at %s)", e.Reset.UTC().Format(time.RFC3339))
	}
	if e.Reason != "" {
		fmt.Fprintf(&b, "; not waited: %s", e.Reason)
	}
	return b.String()
}

// rateLimit is what a 403/429 response says about a rate limit.
type rateLimit struct {
	secondary bool
	// wait is the least time to wait before retrying, with the 1 s margin;
	// noHint is true when GitHub gave neither Retry-After nor a reset (the
	// "wait at least a minute" rule applies).
	wait    time.Duration
	noHint  bool
	reset   time.Time
	message string
}

// secondaryNoHintWait is GitHub's "wait at least one minute" for a secondary
// limit without Retry-After.
const secondaryNoHintWait = time.Minute

const peekLimit = 16 << 10

// rateLimitOf reports whether resp (403 or 429) is a rate-limit rejection,
// following GitHub's rules (github-limits.md §1.3):
//
//   - Retry-After present: secondary; wait that long.
//   - X-RateLimit-Remaining: 0: primary unless the message names the
//     secondary limit; wait until X-RateLimit-Reset.
//   - a message naming the secondary limit (or GHES's older "abuse
//     detection"), a documentation_url ending in "secondary-rate-limits", or
//     any 429: secondary; wait at least a minute.
//
// Any other 403 (a permission error) is not a rate limit. All waits get 1 s
// of margin. The body is peeked and left readable.
func rateLimitOf(resp *http.Response, now time.Time) (rateLimit, bool) {
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusTooManyRequests {
		return rateLimit{}, false
	}
	msg, secondaryMsg := peekMessage(resp)
	retryAfter, hasRetryAfter := parseRetryAfter(resp.Header.Get("Retry-After"), now)
	remainingZero := strings.TrimSpace(resp.Header.Get("X-RateLimit-Remaining")) == "0"
	reset, hasReset := parseReset(resp.Header)

	rl := rateLimit{message: msg, reset: reset}
	switch {
	case hasRetryAfter:
		rl.secondary = true
		rl.wait = retryAfter + time.Second
	case remainingZero:
		rl.secondary = secondaryMsg
		if hasReset {
			rl.wait = max(reset.Sub(now), 0) + time.Second
		} else {
			rl.wait, rl.noHint = secondaryNoHintWait, true
		}
	case secondaryMsg || resp.StatusCode == http.StatusTooManyRequests:
		rl.secondary = true
		rl.wait, rl.noHint = secondaryNoHintWait, true
	default:
		return rateLimit{}, false
	}
	return rl, true
}

// peekMessage reads the start of a JSON error body and puts it back. It
// returns GitHub's message and whether the body names the secondary limit.
func peekMessage(resp *http.Response) (string, bool) {
	if resp.Body == nil || resp.Body == http.NoBody {
		return "", false
	}
	buf, _ := io.ReadAll(io.LimitReader(resp.Body, peekLimit))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(buf), resp.Body), resp.Body}

	var e struct {
		Message          string `json:"message"`
		DocumentationURL string `json:"documentation_url"`
	}
	_ = json.Unmarshal(buf, &e) // not JSON: fall back to the raw text below
	text := strings.ToLower(string(buf))
	secondary := strings.Contains(text, "secondary rate limit") ||
		strings.Contains(text, "abuse detection") ||
		strings.HasSuffix(strings.TrimRight(e.DocumentationURL, "/"), "secondary-rate-limits")
	msg := e.Message
	if len(msg) > 300 {
		msg = msg[:300] + "…"
	}
	return msg, secondary
}

// parseRetryAfter reads Retry-After as delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		const maxSeconds = 1 << 30 // keeps the Duration from overflowing
		return time.Duration(min(max(n, 0), maxSeconds)) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
