// Package ghfake is a stateful fake GitHub for tests: REST under /api/v3/
// and GraphQL at /api/graphql (the GitHub Enterprise Server layout), served
// over real HTTP on 127.0.0.1.
//
// Every request and every response is checked against GitHub's own OpenAPI
// description trimmed to the project's REST contract
// (../shared/fixtures/github-openapi/api.github.com.trimmed.json, or
// $CP_OPENAPI_SPEC), and every GraphQL query against GitHub's public GraphQL
// schema. A call outside the contract, an invalid request, or a response of
// the fake that GitHub would not send is recorded as a violation; New fails
// the test at cleanup if there is any.
//
//	f := ghfake.New(t)
//	f.AddRepo(ghfake.Repo{Owner: "o", Name: "r"})
//	pr := f.AddLinearPR("o", "r", 3, nil)
//	gh := github.NewClient(nil).WithAuthToken(ghfake.DefaultToken)
//	gh.BaseURL, _ = url.Parse(f.URL())
//	// ... run the code under test, then inspect f.Comments, f.LatestStatuses, f.Writes() ...
package ghfake

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// DefaultToken is registered by New and Start: a writable token whose account
// is github-actions[bot], like an Actions GITHUB_TOKEN.
const DefaultToken = "ghs_fake_default"

const (
	basePath     = "/api/v3"
	graphQLPath  = "/api/graphql"
	actionsAppID = 15368 // the GitHub Actions app, owner of GITHUB_TOKEN check runs
)

// Option configures a Fake.
type Option func(*config)

type config struct {
	maxPerPage int
	seed       uint64
	clock      func() time.Time
}

// WithMaxPerPage lowers the per_page cap (GitHub's is 100) to force pagination.
func WithMaxPerPage(n int) Option { return func(c *config) { c.maxPerPage = n } }

// WithSeed seeds the RNG used by probabilistic faults.
func WithSeed(seed uint64) Option { return func(c *config) { c.seed = seed } }

// WithClock sets the clock used for timestamps and token expiry.
func WithClock(now func() time.Time) Option { return func(c *config) { c.clock = now } }

// Fake is a running fake GitHub.
type Fake struct {
	cfg   config
	clock func() time.Time
	epoch time.Time
	spec  *restSpec
	srv   *httptest.Server
	api   string // http://127.0.0.1:PORT/api/v3 (no slash)
	web   string // http://127.0.0.1:PORT (no slash)

	mu             sync.Mutex
	ids            map[string]int64
	users          map[string]*User
	repos          map[string]*repoState
	commits        map[string]*commitState
	members        map[string]map[string]bool // org → login → public
	apps           map[int64]*appState
	installations  map[int64]*installationState
	tokens         map[string]*tokenState
	deliveries     []*HookDelivery
	redeliveries   []Redelivery
	commentsByNode map[string]*commentState
	perms          map[string]string          // "owner/repo@login" → permission (graphql_sweeps.go)
	teams          map[string]map[string]bool // "org/slug" → login → member (graphql_signing.go)
	violations     []string
	calls          []Call
	faults         []*faultRule
	rng            *rand.Rand
}

// New starts a Fake for a test. On cleanup it closes the server and fails
// the test if any contract violation was recorded.
func New(t testing.TB, opts ...Option) *Fake {
	t.Helper()
	f, err := Start(opts...)
	if err != nil {
		t.Fatalf("ghfake: %v", err)
	}
	t.Cleanup(func() {
		f.Close()
		if v := f.Violations(); len(v) > 0 {
			t.Errorf("ghfake: %d GitHub contract violation(s):\n  %s", len(v), strings.Join(v, "\n  "))
		}
	})
	return f
}

// Start starts a Fake without a test (for a standalone process or a
// benchmark); read Violations yourself and Close it when done.
func Start(opts ...Option) (*Fake, error) {
	cfg := config{maxPerPage: 100, seed: 1, clock: time.Now}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.maxPerPage <= 0 || cfg.maxPerPage > 100 {
		cfg.maxPerPage = 100
	}
	spec, err := loadSpec()
	if err != nil {
		return nil, err
	}
	f := &Fake{
		cfg: cfg, clock: cfg.clock, spec: spec,
		ids:            map[string]int64{"user": 1000, "repo": 500000, "pull": 1800000000, "comment": 2000000000, "label": 3000000000, "status": 4000000000, "check": 5000000000, "delivery": 6000000000, "token": 0},
		users:          map[string]*User{},
		repos:          map[string]*repoState{},
		commits:        map[string]*commitState{},
		members:        map[string]map[string]bool{},
		apps:           map[int64]*appState{},
		installations:  map[int64]*installationState{},
		tokens:         map[string]*tokenState{},
		commentsByNode: map[string]*commentState{},
		rng:            rand.New(rand.NewPCG(cfg.seed, cfg.seed^0x9e3779b97f4a7c15)),
	}
	f.epoch = f.now().Add(-30 * 24 * time.Hour).Truncate(time.Hour)
	f.addUserLocked(User{Login: "github-actions[bot]", ID: 41898282, Type: "Bot"})
	f.apps[actionsAppID] = &appState{id: actionsAppID, slug: "github-actions", botID: 41898282, nodeID: nodeID("A", fmt.Sprint(actionsAppID))}
	f.addTokenLocked(DefaultToken, TokenSpec{Login: "github-actions[bot]", ID: 41898282, Type: "Bot", AppID: actionsAppID})

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("ghfake: listen: %w", err)
	}
	f.srv = httptest.NewUnstartedServer(f)
	f.srv.Listener.Close()
	f.srv.Listener = ln
	f.srv.Start()
	f.web = f.srv.URL
	f.api = f.srv.URL + basePath
	return f, nil
}

// Close stops the server.
func (f *Fake) Close() { f.srv.Close() }

// URL is the REST base URL, with a trailing slash: http://127.0.0.1:PORT/api/v3/.
func (f *Fake) URL() string { return f.api + "/" }

// GraphQLURL is the GraphQL endpoint: http://127.0.0.1:PORT/api/graphql.
func (f *Fake) GraphQLURL() string { return f.web + graphQLPath }

// ServerURL is the web URL used in html_url links: http://127.0.0.1:PORT/.
func (f *Fake) ServerURL() string { return f.web + "/" }

// Client returns an HTTP client for the fake (no auth of its own).
func (f *Fake) Client() *http.Client { return f.srv.Client() }

// Violations lists the contract violations recorded so far.
func (f *Fake) Violations() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.violations...)
}

func (f *Fake) violation(format string, args ...any) {
	f.mu.Lock()
	f.violations = append(f.violations, fmt.Sprintf(format, args...))
	f.mu.Unlock()
}

// response is what a handler produces.
type response struct {
	status int
	body   any    // marshalled as JSON unless raw is set
	raw    []byte // sent as is (with header Content-Type)
	header http.Header
}

func (r *response) setHeader(k, v string) {
	if r.header == nil {
		r.header = http.Header{}
	}
	r.header.Set(k, v)
}

func jsonResp(status int, body any) *response { return &response{status: status, body: body} }

func errResp(status int, msg, doc string) *response {
	if doc == "" {
		doc = "https://docs.github.com/rest"
	}
	return &response{status: status, body: map[string]any{"message": msg, "documentation_url": doc, "status": strconv.Itoa(status)}}
}

func notFound() *response { return errResp(404, "Not Found", "") }

func validationFailed(doc string, errs ...map[string]any) *response {
	body := map[string]any{"message": "Validation Failed", "documentation_url": doc, "status": "422"}
	if len(errs) > 0 {
		l := make([]any, len(errs))
		for i, e := range errs {
			l[i] = e
		}
		body["errors"] = l
	}
	return &response{status: 422, body: body}
}

// ServeHTTP dispatches REST and GraphQL requests.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	switch {
	case r.URL.Path == graphQLPath:
		f.serveGraphQL(w, r, body)
	case strings.HasPrefix(r.URL.Path, basePath+"/"):
		f.serveREST(w, r, body)
	default:
		// go-github's own test trick: a client that builds absolute paths
		// (or drops the base path) is caught here.
		msg := "Client.BaseURL path prefix is not preserved in the request URL: " + r.Method + " " + r.URL.RequestURI()
		f.violation("%s", msg)
		f.logCall(Call{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery, Status: 404, Token: bearer(r)})
		writeResponse(w, errResp(404, msg, ""), nil)
	}
}

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	for _, p := range []string{"token ", "Token ", "bearer ", "Bearer "} {
		if strings.HasPrefix(h, p) {
			return strings.TrimSpace(h[len(p):])
		}
	}
	return ""
}

// reqCtx is one REST request being served.
type reqCtx struct {
	f      *Fake
	r      *http.Request
	rel    string // escaped path after the base path
	body   []byte
	params map[string]string // unescaped path parameters
	query  map[string][]string
	tok    *tokenState // nil for App JWT calls
	app    *appState   // set for App JWT calls
	opID   string
	token  string
}

func (c *reqCtx) q(name string) string {
	if v := c.query[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func (f *Fake) serveREST(w http.ResponseWriter, r *http.Request, body []byte) {
	start := f.clock()
	rel := strings.TrimPrefix(r.URL.EscapedPath(), basePath)
	call := Call{Method: r.Method, Path: rel, Query: r.URL.RawQuery, Token: bearer(r), Time: start}
	finish := func(resp *response, validate func(status int, h http.Header, b []byte)) {
		call.Status = resp.status
		f.logCall(call)
		writeResponse(w, resp, validate)
	}

	rt, err := f.spec.find(r, rel, body)
	if err != nil {
		f.violation("%s %s: not in the REST contract (%v)", r.Method, rel, err)
		finish(errResp(404, fmt.Sprintf("Not Found: %s %s is not an operation of the trimmed OpenAPI description (%v)", r.Method, rel, err), ""), nil)
		return
	}
	op := rt.route.Operation
	doc := ""
	if op.ExternalDocs != nil {
		doc = op.ExternalDocs.URL
	}
	if err := f.spec.validateRequest(r.Context(), rt, body); err != nil {
		f.violation("%s %s (%s): request does not match GitHub's description: %v", r.Method, rel, op.OperationID, err)
		finish(&response{status: 422, body: map[string]any{"message": "Invalid request.\n\n" + err.Error(), "documentation_url": doc, "status": "422"}}, nil)
		return
	}
	c := &reqCtx{f: f, r: r, rel: rel, body: body, params: map[string]string{}, query: r.URL.Query(), opID: op.OperationID, token: call.Token}
	for k, v := range rt.params {
		if u, err := pathUnescape(v); err == nil {
			c.params[k] = u
		} else {
			c.params[k] = v
		}
	}
	h := restHandlers[op.OperationID]
	if h == nil {
		f.violation("%s %s: no handler for %s", r.Method, rel, op.OperationID)
		finish(errResp(501, "ghfake: no handler for "+op.OperationID, ""), nil)
		return
	}
	write := r.Method != http.MethodGet && r.Method != http.MethodHead

	fault := f.pickFault(r.Method, rel)
	if fault != nil {
		call.Faulted = true
	}
	if fault != nil && !fault.AfterApply {
		if !sleepCtx(r.Context(), fault.Delay) {
			call.Status = 0
			f.logCall(call)
			return
		}
		if fr := fault.response(); fr != nil {
			finish(fr, nil)
			return
		}
	}

	// Authentication, then the rate limit, then the handler.
	var resp *response
	resource := "core"
	if strings.HasPrefix(rel, "/search/") {
		resource = "search"
	}
	if auth := f.authenticate(c, write); auth != nil {
		resp = auth
	} else if rl, _ := f.takeRate(c, resource); rl != nil {
		resp = rl
	} else {
		resp = h(c)
		if c.tok != nil {
			f.rateHeaders(c, resource, resp)
		}
	}
	if perms := acceptedPermissions[op.OperationID]; perms != "" {
		resp.setHeader("X-Accepted-GitHub-Permissions", perms)
	}

	faultedAfter := false
	if fault != nil && fault.AfterApply {
		if !sleepCtx(r.Context(), fault.Delay) {
			call.Status = 0
			f.logCall(call)
			return
		}
		if fr := fault.response(); fr != nil {
			resp, faultedAfter = fr, true
		}
	}
	// Conditional requests: equal ETag → 304, not counted against the limit.
	var payload []byte
	if resp.raw != nil {
		payload = resp.raw
	} else if resp.body != nil {
		payload, _ = json.Marshal(resp.body)
	}
	if r.Method == http.MethodGet && resp.status == 200 && !faultedAfter {
		sum := sha256.Sum256(payload)
		etag := `W/"` + hex.EncodeToString(sum[:16]) + `"`
		resp.setHeader("ETag", etag)
		if etagMatch(r.Header.Get("If-None-Match"), etag) {
			if c.tok != nil {
				f.refundRate(c, resource, resp)
			}
			resp.status, resp.body, resp.raw = http.StatusNotModified, nil, []byte{}
			payload = nil
		}
	}
	if payload != nil {
		resp.raw = payload
		resp.body = nil
	}
	var validate func(int, http.Header, []byte)
	if !faultedAfter { // a faulted answer is off-contract on purpose
		validate = func(status int, hdr http.Header, b []byte) {
			if err := f.spec.validateResponse(context.Background(), rt, status, hdr, b); err != nil {
				f.violation("%s %s (%s): the fake's %d response does not match GitHub's description: %v", r.Method, rel, op.OperationID, status, err)
			}
		}
	}
	finish(resp, validate)
}

func etagMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	strip := func(s string) string { return strings.TrimPrefix(strings.TrimSpace(s), "W/") }
	for _, v := range strings.Split(header, ",") {
		if strings.TrimSpace(v) == "*" || strip(v) == strip(etag) {
			return true
		}
	}
	return false
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

var requestSeq struct {
	sync.Mutex
	n int
}

// writeResponse sends resp; validate (if set) sees exactly what is sent.
func writeResponse(w http.ResponseWriter, resp *response, validate func(int, http.Header, []byte)) {
	payload := resp.raw
	if payload == nil && resp.body != nil {
		payload, _ = json.Marshal(resp.body)
	}
	h := w.Header()
	for k, v := range resp.header {
		h[k] = v
	}
	if h.Get("Content-Type") == "" && len(payload) > 0 {
		h.Set("Content-Type", "application/json; charset=utf-8")
	}
	if strings.HasPrefix(h.Get("Content-Type"), "application/json") {
		h.Set("X-GitHub-Media-Type", "github.v3; format=json")
	}
	requestSeq.Lock()
	requestSeq.n++
	n := requestSeq.n
	requestSeq.Unlock()
	h.Set("X-GitHub-Request-Id", fmt.Sprintf("FAKE:%04X:%06X", n>>16, n))
	h.Set("X-GitHub-Api-Version-Selected", "2022-11-28")
	if validate != nil {
		validate(resp.status, h.Clone(), payload)
	}
	if resp.status == http.StatusNoContent || resp.status == http.StatusNotModified {
		payload = nil
	}
	w.WriteHeader(resp.status)
	if len(payload) > 0 {
		_, _ = io.Copy(w, bytes.NewReader(payload))
	}
}

func pathUnescape(s string) (string, error) { return url.PathUnescape(s) }
