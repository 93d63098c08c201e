package ghfake

import (
	"net/http"
	"regexp"
	"strings"
	"time"
)

// Fault is an injected misbehaviour. Rules are evaluated in the order they
// were added; the first one that matches (and wins its Probability roll)
// shapes the answer.
type Fault struct {
	Method string // "" = any
	// Path is a glob on the escaped path after the base path ("/graphql" for
	// GraphQL): * matches within a segment, ** across segments; "" = any.
	Path        string
	Times       int           // how many times it fires; 0 = forever
	Status      int           // answer this status (0 = answer normally after Delay)
	RetryAfter  string        // Retry-After header value
	Message     string        // overrides the error message
	Delay       time.Duration // hold the request before answering
	Probability float64       // 0 = always; else fire with this probability (seeded RNG)
	// AfterApply performs the request first, then answers the fault: "the
	// comment was created but the response was lost".
	AfterApply bool
	// NotFoundThenOK answers 404 Not Found for the first Times calls.
	NotFoundThenOK bool
}

type faultRule struct {
	Fault
	re    *regexp.Regexp
	fired int
}

// Inject adds a fault rule.
func (f *Fake) Inject(ft Fault) {
	rule := &faultRule{Fault: ft}
	if ft.Path != "" {
		rule.re = globRegexp(ft.Path)
	}
	if ft.NotFoundThenOK {
		rule.Status = http.StatusNotFound
		if rule.Times == 0 {
			rule.Times = 1
		}
	}
	f.mu.Lock()
	f.faults = append(f.faults, rule)
	f.mu.Unlock()
}

// ClearFaults removes every fault rule.
func (f *Fake) ClearFaults() {
	f.mu.Lock()
	f.faults = nil
	f.mu.Unlock()
}

func globRegexp(glob string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(glob); i++ {
		switch {
		case strings.HasPrefix(glob[i:], "**"):
			b.WriteString(".*")
			i++
		case glob[i] == '*':
			b.WriteString("[^/]*")
		case glob[i] == '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(glob[i : i+1]))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// pickFault returns the rule that fires for this request, if any.
func (f *Fake) pickFault(method, rel string) *faultRule {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.faults {
		if r.Times > 0 && r.fired >= r.Times {
			continue
		}
		if r.Method != "" && !strings.EqualFold(r.Method, method) {
			continue
		}
		if r.re != nil && !r.re.MatchString(rel) {
			continue
		}
		if r.Probability > 0 && f.rng.Float64() >= r.Probability {
			continue
		}
		r.fired++
		cp := *r
		return &cp
	}
	return nil
}

// response builds the fault's answer; nil means "answer normally".
func (r *faultRule) response() *response {
	if r.Status == 0 {
		return nil
	}
	var resp *response
	switch {
	case r.NotFoundThenOK || r.Status == http.StatusNotFound:
		resp = notFound()
	case r.Status == http.StatusForbidden || r.Status == http.StatusTooManyRequests:
		resp = errResp(r.Status, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID FAKE.",
			"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits")
	case r.Status >= 500:
		resp = errResp(r.Status, http.StatusText(r.Status), "")
		resp.body = map[string]any{"message": "Server Error"}
	default:
		resp = errResp(r.Status, http.StatusText(r.Status), "")
	}
	if r.Message != "" {
		resp.body.(map[string]any)["message"] = r.Message
	}
	if r.RetryAfter != "" {
		resp.setHeader("Retry-After", r.RetryAfter)
	}
	return resp
}
