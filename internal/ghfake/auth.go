package ghfake

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Operations authenticated with the App's JWT rather than a token.
var jwtOperations = map[string]bool{
	"apps/list-webhook-deliveries":          true,
	"apps/redeliver-webhook-delivery":       true,
	"apps/list-installations":               true,
	"apps/create-installation-access-token": true,
	"apps/get-repo-installation":            true,
}

// acceptedPermissions is what GitHub puts in X-Accepted-GitHub-Permissions.
var acceptedPermissions = map[string]string{
	"checks/create":                        "checks=write",
	"checks/update":                        "checks=write",
	"checks/list-for-ref":                  "checks=read",
	"repos/create-commit-status":           "statuses=write",
	"repos/create-or-update-file-contents": "contents=write",
	"repos/get-content":                    "contents=read",
	"repos/compare-commits-with-basehead":  "contents=read",
	"issues/create-comment":                "issues=write; pull_requests=write",
	"issues/update-comment":                "issues=write; pull_requests=write",
	"issues/add-labels":                    "issues=write; pull_requests=write",
	"issues/remove-label":                  "issues=write; pull_requests=write",
	"issues/remove-all-labels":             "issues=write; pull_requests=write",
	"issues/lock":                          "issues=write; pull_requests=write",
	"issues/create-label":                  "issues=write; pull_requests=write",
	"issues/list-comments":                 "issues=read; pull_requests=read",
	"issues/get-comment":                   "issues=read; pull_requests=read",
	"issues/list-labels-for-repo":          "issues=read; pull_requests=read",
	"pulls/update":                         "pull_requests=write",
	"pulls/get":                            "pull_requests=read",
	"pulls/list-commits":                   "pull_requests=read",
	"pulls/list-files":                     "pull_requests=read",
	"orgs/check-membership-for-user":       "members=read",
}

const docAuth = "https://docs.github.com/rest"

// authenticate resolves the caller; a non-nil response refuses the call.
func (f *Fake) authenticate(c *reqCtx, write bool) *response {
	if jwtOperations[c.opID] {
		app, msg := f.verifyJWT(c.token)
		if app == nil {
			return errResp(401, msg, docAuth)
		}
		c.app = app
		return nil
	}
	if c.token == "" {
		return errResp(401, "Requires authentication", docAuth)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	tok := f.tokens[c.token]
	if tok == nil || (!tok.ExpiresAt.IsZero() && !f.clock().Before(tok.ExpiresAt)) {
		return errResp(401, "Bad credentials", docAuth)
	}
	c.tok = tok
	if owner, repo := c.params["owner"], c.params["repo"]; owner != "" && repo != "" && !tok.canAccess(owner+"/"+repo) {
		return notFound()
	}
	if write {
		if msg := tok.denyWrite(c.opID); msg != "" {
			r := errResp(403, msg, docAuth)
			r.setHeader("X-Accepted-GitHub-Permissions", acceptedPermissions[c.opID])
			return r
		}
	}
	return nil
}

func (t *tokenState) canAccess(fullName string) bool {
	if len(t.Repos) == 0 {
		return true
	}
	for _, r := range t.Repos {
		if strings.EqualFold(r, fullName) {
			return true
		}
	}
	return false
}

// denyWrite returns GitHub's refusal message, or "" when the write is allowed.
func (t *tokenState) denyWrite(opID string) string {
	if t.ReadOnly {
		return "Resource not accessible by integration"
	}
	if t.Permissions == nil {
		return ""
	}
	for _, p := range strings.Split(acceptedPermissions[opID], ";") {
		name, level, _ := strings.Cut(strings.TrimSpace(p), "=")
		if name != "" && level == "write" && t.Permissions[name] == "write" {
			return ""
		}
	}
	if acceptedPermissions[opID] == "" {
		return ""
	}
	return "Resource not accessible by integration"
}

// ---- rate limits ----

var rateLimits = map[string]int{"core": 5000, "search": 30, "graphql": 5000}

func (f *Fake) bucketLocked(tok *tokenState, resource string) *bucket {
	b := tok.buckets[resource]
	now := f.clock()
	if b == nil || !now.Before(b.reset) {
		limit := rateLimits[resource]
		if b != nil && b.limit > limit {
			limit = b.limit
		}
		b = &bucket{limit: limit, remaining: limit, reset: now.Add(time.Hour).Truncate(time.Second)}
		tok.buckets[resource] = b
	}
	return b
}

// takeRate spends one request of the token's budget, or refuses the call
// with GitHub's primary rate limit answer.
func (f *Fake) takeRate(c *reqCtx, resource string) (*response, *bucket) {
	if c.tok == nil {
		return nil, nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	b := f.bucketLocked(c.tok, resource)
	if b.remaining <= 0 {
		r := errResp(403, fmt.Sprintf("API rate limit exceeded for user ID %d. If you reach out to GitHub Support for help, please include the request ID FAKE.", c.tok.ID),
			"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit")
		setRateHeaders(r, b, resource)
		return r, b
	}
	if c.opID != "rate-limit/get" { // GET /rate_limit is free
		b.remaining--
	}
	return nil, b
}

func (f *Fake) refundRate(c *reqCtx, resource string, resp *response) {
	f.mu.Lock()
	defer f.mu.Unlock()
	b := f.bucketLocked(c.tok, resource)
	if c.opID != "rate-limit/get" && b.remaining < b.limit {
		b.remaining++
	}
	setRateHeaders(resp, b, resource)
}

func (f *Fake) rateHeaders(c *reqCtx, resource string, resp *response) {
	f.mu.Lock()
	defer f.mu.Unlock()
	setRateHeaders(resp, f.bucketLocked(c.tok, resource), resource)
}

func setRateHeaders(resp *response, b *bucket, resource string) {
	resp.setHeader("X-RateLimit-Limit", strconv.Itoa(b.limit))
	resp.setHeader("X-RateLimit-Remaining", strconv.Itoa(b.remaining))
	resp.setHeader("X-RateLimit-Used", strconv.Itoa(b.limit-b.remaining))
	resp.setHeader("X-RateLimit-Reset", strconv.FormatInt(b.reset.Unix(), 10))
	resp.setHeader("X-RateLimit-Resource", resource)
}

// SetRateLimitRemaining sets what is left of every budget (core, search,
// graphql) of a token; 0 makes the next call fail with the primary limit.
func (f *Fake) SetRateLimitRemaining(token string, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	tok := f.tokens[token]
	if tok == nil {
		panic("ghfake: SetRateLimitRemaining: unknown token")
	}
	for res := range rateLimits {
		b := f.bucketLocked(tok, res)
		if n > b.limit {
			b.limit = n
		}
		b.remaining = n
	}
}

// ---- App JWTs ----

// verifyJWT checks an App JWT the way GitHub does: RS256 signed by a
// registered app, iss = app id, exp in the future and at most 10 minutes away.
func (f *Fake) verifyJWT(tok string) (*appState, string) {
	const undecodable = "A JSON web token could not be decoded"
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return nil, undecodable
	}
	dec := func(s string, v any) error {
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil {
			return err
		}
		return json.Unmarshal(b, v)
	}
	var hdr struct {
		Alg string `json:"alg"`
	}
	var claims struct {
		Iss json.RawMessage `json:"iss"`
		Iat json.Number     `json:"iat"`
		Exp json.Number     `json:"exp"`
	}
	if dec(parts[0], &hdr) != nil || dec(parts[1], &claims) != nil || hdr.Alg != "RS256" {
		return nil, undecodable
	}
	iss, err := strconv.ParseInt(strings.Trim(string(claims.Iss), `"`), 10, 64)
	if err != nil {
		return nil, undecodable
	}
	f.mu.Lock()
	app := f.apps[iss]
	f.mu.Unlock()
	if app == nil || app.key == nil {
		return nil, "Integration not found"
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return nil, undecodable
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(app.key, crypto.SHA256, sum[:], sig) != nil {
		return nil, undecodable
	}
	exp, err1 := claims.Exp.Int64()
	iat, err2 := claims.Iat.Int64()
	now := f.clock().Unix()
	switch {
	case err1 != nil || exp <= now:
		return nil, "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"
	case exp > now+600+5:
		return nil, "'Expiration time' claim ('exp') is too far in the future"
	case err2 != nil || iat > now+60:
		return nil, "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued"
	}
	return app, ""
}
