package transport

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Stats accumulates what the stack did. The zero value is ready to use and
// it is safe for concurrent use. All methods accept a nil *Stats and then do
// nothing, so layers can record unconditionally.
type Stats struct {
	reads, writes, gqlQueries, gqlMutations atomic.Int64
	status                                  [6]atomic.Int64 // index = status/100; 0 = other
	notModified, errs, rateLimitErrs        atomic.Int64

	retries                                                       atomic.Int64
	retryServer, retryNetwork, retryRateLimit, retryNotFoundCount atomic.Int64
	retryWait, paceWait                                           atomic.Int64 // nanoseconds

	mu         sync.Mutex
	latest     RateLimit
	byResource map[string]RateLimit
}

// RateLimit is the rate-limit state GitHub reported in a response's
// X-RateLimit-* headers.
type RateLimit struct {
	Limit     int
	Remaining int
	Used      int
	Reset     time.Time
	Resource  string    // "core", "graphql", "search", ...
	Observed  time.Time // when the response was seen (Clock time of the observer)
}

// Snapshot is a point-in-time copy of Stats.
type Snapshot struct {
	// Logical requests by kind, as the caller issued them (retries are not
	// counted again). GraphQL requests are the POSTs to .../graphql; the
	// ones marked WithGraphQLQuery are queries, the others mutations.
	Reads, Writes, GraphQLQueries, GraphQLMutations int64
	Requests                                        int64 // the sum of the four above
	// Attempts is how many HTTP requests were made for them, retries
	// included: Requests + Retries.
	Attempts int64

	// Final outcomes as the caller saw them.
	Status1xx, Status2xx, Status3xx, Status4xx, Status5xx int64
	NotModified                                           int64 // 304s (free against the primary limit)
	Errors                                                int64 // calls that ended in an error, rate-limit errors included
	RateLimitErrors                                       int64 // calls that ended in a *RateLimitError

	// Retries by cause; Retries is their sum.
	Retries, RetriedServerErrors, RetriedNetworkErrors, RetriedRateLimits, RetriedNotFound int64
	RetryWait                                                                              time.Duration // total backoff and rate-limit sleeping
	PaceWait                                                                               time.Duration // total sleeping by the write pacer

	// RateLimit is the most recent X-RateLimit-* state seen on any
	// response; RateLimits holds the most recent one per resource.
	RateLimit  RateLimit
	RateLimits map[string]RateLimit
}

// Snapshot returns a copy of the counters.
func (s *Stats) Snapshot() Snapshot {
	if s == nil {
		return Snapshot{}
	}
	var out Snapshot
	out.Reads = s.reads.Load()
	out.Writes = s.writes.Load()
	out.GraphQLQueries = s.gqlQueries.Load()
	out.GraphQLMutations = s.gqlMutations.Load()
	out.Requests = out.Reads + out.Writes + out.GraphQLQueries + out.GraphQLMutations
	out.Status1xx = s.status[1].Load()
	out.Status2xx = s.status[2].Load()
	out.Status3xx = s.status[3].Load()
	out.Status4xx = s.status[4].Load()
	out.Status5xx = s.status[5].Load()
	out.NotModified = s.notModified.Load()
	out.Errors = s.errs.Load()
	out.RateLimitErrors = s.rateLimitErrs.Load()
	out.RetriedServerErrors = s.retryServer.Load()
	out.RetriedNetworkErrors = s.retryNetwork.Load()
	out.RetriedRateLimits = s.retryRateLimit.Load()
	out.RetriedNotFound = s.retryNotFoundCount.Load()
	out.Retries = s.retries.Load()
	out.Attempts = out.Requests + out.Retries
	out.RetryWait = time.Duration(s.retryWait.Load())
	out.PaceWait = time.Duration(s.paceWait.Load())
	s.mu.Lock()
	out.RateLimit = s.latest
	if len(s.byResource) > 0 {
		out.RateLimits = make(map[string]RateLimit, len(s.byResource))
		for k, v := range s.byResource {
			out.RateLimits[k] = v
		}
	}
	s.mu.Unlock()
	return out
}

type requestKind int

const (
	kindRead requestKind = iota
	kindWrite
	kindGraphQLQuery
	kindGraphQLMutation
)

func classify(req *http.Request) requestKind {
	if isGraphQLPath(req.URL.Path) && req.Method == http.MethodPost {
		if isGraphQLQueryCtx(req.Context()) {
			return kindGraphQLQuery
		}
		return kindGraphQLMutation
	}
	if isMutatingMethod(req.Method) {
		return kindWrite
	}
	return kindRead
}

// isGraphQLPath matches api.github.com/graphql and GHES's /api/graphql.
func isGraphQLPath(p string) bool { return strings.HasSuffix(p, "/graphql") }

func isMutatingMethod(m string) bool {
	switch m {
	case http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

func (s *Stats) countRequest(k requestKind) {
	if s == nil {
		return
	}
	switch k {
	case kindRead:
		s.reads.Add(1)
	case kindWrite:
		s.writes.Add(1)
	case kindGraphQLQuery:
		s.gqlQueries.Add(1)
	case kindGraphQLMutation:
		s.gqlMutations.Add(1)
	}
}

func (s *Stats) countOutcome(resp *http.Response, err error) {
	if s == nil {
		return
	}
	if err != nil {
		s.errs.Add(1)
		var rle *RateLimitError
		if errors.As(err, &rle) {
			s.rateLimitErrs.Add(1)
		}
		return
	}
	if resp == nil {
		return
	}
	c := resp.StatusCode / 100
	if c < 1 || c > 5 {
		c = 0
	}
	s.status[c].Add(1)
	if resp.StatusCode == http.StatusNotModified {
		s.notModified.Add(1)
	}
}

type retryCause int

const (
	causeServer retryCause = iota
	causeNetwork
	causeRateLimit
	causeNotFound
)

func (c retryCause) String() string {
	return [...]string{"server error", "network error", "rate limit", "not found"}[c]
}

func (s *Stats) countRetry(c retryCause, wait time.Duration) {
	if s == nil {
		return
	}
	s.retries.Add(1)
	s.retryWait.Add(int64(wait))
	switch c {
	case causeServer:
		s.retryServer.Add(1)
	case causeNetwork:
		s.retryNetwork.Add(1)
	case causeRateLimit:
		s.retryRateLimit.Add(1)
	case causeNotFound:
		s.retryNotFoundCount.Add(1)
	}
}

func (s *Stats) countPace(wait time.Duration) {
	if s == nil {
		return
	}
	s.paceWait.Add(int64(wait))
}

// observeRateLimit records the X-RateLimit-* headers of resp, if any.
func (s *Stats) observeRateLimit(resp *http.Response, now time.Time) {
	if s == nil || resp == nil {
		return
	}
	rl, ok := parseRateLimit(resp.Header)
	if !ok {
		return
	}
	rl.Observed = now
	s.mu.Lock()
	s.latest = rl
	if rl.Resource != "" {
		if s.byResource == nil {
			s.byResource = make(map[string]RateLimit)
		}
		s.byResource[rl.Resource] = rl
	}
	s.mu.Unlock()
}

func parseRateLimit(h http.Header) (RateLimit, bool) {
	rem := h.Get("X-RateLimit-Remaining")
	if rem == "" {
		return RateLimit{}, false
	}
	var rl RateLimit
	rl.Remaining, _ = strconv.Atoi(strings.TrimSpace(rem))
	rl.Limit, _ = strconv.Atoi(strings.TrimSpace(h.Get("X-RateLimit-Limit")))
	rl.Used, _ = strconv.Atoi(strings.TrimSpace(h.Get("X-RateLimit-Used")))
	rl.Reset, _ = parseReset(h)
	rl.Resource = h.Get("X-RateLimit-Resource")
	return rl, true
}

func parseReset(h http.Header) (time.Time, bool) {
	v := strings.TrimSpace(h.Get("X-RateLimit-Reset"))
	if v == "" {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}, false
	}
	return time.Unix(n, 0), true
}

// NewMeter returns a RoundTripper that records every call through it into
// stats (and into the Stats a request's context carries, see WithStats).
// Placed outermost, it counts logical calls; the retry and pacer layers add
// retries and waits when given the same Stats.
func NewMeter(next http.RoundTripper, stats *Stats) http.RoundTripper {
	return &meter{next: next, stats: stats, clock: RealClock()}
}

type meter struct {
	next  http.RoundTripper
	stats *Stats
	clock Clock
}

func (m *meter) RoundTrip(req *http.Request) (*http.Response, error) {
	k := classify(req)
	cs := statsFromContext(req.Context())
	m.stats.countRequest(k)
	cs.countRequest(k)
	resp, err := m.next.RoundTrip(req)
	m.stats.countOutcome(resp, err)
	cs.countOutcome(resp, err)
	if err == nil {
		now := m.clock.Now()
		m.stats.observeRateLimit(resp, now)
		cs.observeRateLimit(resp, now)
	}
	return resp, err
}
