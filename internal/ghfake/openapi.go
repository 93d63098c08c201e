package ghfake

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/fixtures"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// SpecEnv overrides where the trimmed OpenAPI description is read from.
const SpecEnv = "CP_OPENAPI_SPEC"

const specRel = "shared/fixtures/github-openapi/api.github.com.trimmed.json"

// restSpec is GitHub's OpenAPI description, trimmed to the project's REST
// contract, prepared for routing and validation. It is read-only after load
// and shared by every Fake in the process.
type restSpec struct {
	doc        *openapi3.T
	router     routers.Router
	ops        map[string]*openapi3.Operation // operationId → operation
	opKeys     map[string]string              // operationId → "METHOD /path"
	basicError *openapi3.Schema
	loadTime   time.Duration
}

var (
	specOnce sync.Once
	specVal  *restSpec
	specErr  error
)

// loadSpec loads the description once per process (about 100 ms).
func loadSpec() (*restSpec, error) {
	specOnce.Do(func() { specVal, specErr = readSpec() })
	return specVal, specErr
}

// SpecLoadTime reports how long loading and preparing the OpenAPI
// description took (loading it if no Fake has yet).
func SpecLoadTime() time.Duration {
	s, err := loadSpec()
	if err != nil {
		return 0
	}
	return s.loadTime
}

func findSpecFile() (string, error) {
	if p := os.Getenv(SpecEnv); p != "" {
		return p, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	// The shared directory is a sibling of the repository root, so from any
	// package directory walk up until ../shared/fixtures/... exists.
	for dir := wd; ; dir = filepath.Dir(dir) {
		for _, cand := range []string{filepath.Join(dir, "..", specRel), filepath.Join(dir, specRel)} {
			if _, err := os.Stat(cand); err == nil {
				return filepath.Clean(cand), nil
			}
		}
		if filepath.Dir(dir) == dir {
			break
		}
	}
	return "", fmt.Errorf("ghfake: cannot find %s above %s (set %s)", specRel, wd, SpecEnv)
}

// loadSpecDoc reads the description from $CP_OPENAPI_SPEC, from ../shared
// when it is there, else from the copy embedded in internal/fixtures (so the
// fake works in any checkout).
func loadSpecDoc() (*openapi3.T, string, error) {
	loader := openapi3.NewLoader()
	file, err := findSpecFile()
	if err != nil {
		data, rerr := fixtures.Read(fixtures.OpenAPISpecPath)
		if rerr != nil {
			return nil, "", errors.Join(err, rerr)
		}
		doc, err := loader.LoadFromData(data)
		return doc, "internal/fixtures/data/" + fixtures.OpenAPISpecPath, err
	}
	doc, err := loader.LoadFromFile(file)
	return doc, file, err
}

func readSpec() (*restSpec, error) {
	start := time.Now()
	doc, file, err := loadSpecDoc()
	if err != nil {
		return nil, fmt.Errorf("ghfake: load %s: %w", file, err)
	}
	// Gotcha 1: the spec's server is https://api.github.com; the fake strips
	// its own base path, so route on the path alone.
	doc.Servers = nil
	// Gotcha 2: a discriminator without a mapping (POST check-runs) rejects
	// bodies without "status", which GitHub accepts; the oneOf still holds.
	// Also, a oneOf whose alternatives all accept any object (the 409 of PUT
	// contents: basic-error | repository-rule-violation-error) rejects every
	// body as "matches more than one"; it is really an anyOf.
	fixSchemas(doc)
	// Gotcha 4: GitHub's own examples fail its format checks. (NewRouter
	// validates the document.)
	router, err := legacy.NewRouter(doc, openapi3.DisableExamplesValidation())
	if err != nil {
		return nil, fmt.Errorf("ghfake: %s: %w", file, err)
	}
	s := &restSpec{doc: doc, router: router, ops: map[string]*openapi3.Operation{}, opKeys: map[string]string{}}
	for p, item := range doc.Paths.Map() {
		for m, op := range item.Operations() {
			s.ops[op.OperationID] = op
			s.opKeys[op.OperationID] = m + " " + p
		}
	}
	if ref := doc.Components.Schemas["basic-error"]; ref != nil {
		s.basicError = ref.Value
	}
	s.loadTime = time.Since(start)
	return s, nil
}

// fixSchemas drops discriminators that have no mapping and turns
// undecidable oneOfs into anyOfs, everywhere.
func fixSchemas(doc *openapi3.T) {
	seen := map[*openapi3.Schema]bool{}
	var visit func(ref *openapi3.SchemaRef)
	visit = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen[s] = true
		if s.Discriminator != nil && len(s.Discriminator.Mapping) == 0 {
			s.Discriminator = nil
		}
		if len(s.OneOf) > 1 && s.Discriminator == nil && allLooseObjects(s.OneOf) {
			s.AnyOf, s.OneOf = s.OneOf, nil
		}
		for _, l := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf, s.AllOf} {
			for _, r := range l {
				visit(r)
			}
		}
		visit(s.Not)
		visit(s.Items)
		for _, p := range s.Properties {
			visit(p)
		}
		if s.AdditionalProperties.Schema != nil {
			visit(s.AdditionalProperties.Schema)
		}
	}
	for _, r := range doc.Components.Schemas {
		visit(r)
	}
	content := func(c openapi3.Content) {
		for _, mt := range c {
			visit(mt.Schema)
		}
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, p := range op.Parameters {
				if p.Value != nil {
					visit(p.Value.Schema)
				}
			}
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				content(op.RequestBody.Value.Content)
			}
			for _, r := range op.Responses.Map() {
				if r.Value != nil {
					content(r.Value.Content)
				}
			}
		}
	}
}

// allLooseObjects reports whether every alternative is an object schema
// that accepts any object (no required properties, extra properties allowed).
func allLooseObjects(refs openapi3.SchemaRefs) bool {
	for _, r := range refs {
		v := r.Value
		if v == nil || !v.Type.Is("object") || len(v.Required) > 0 || len(v.OneOf)+len(v.AnyOf)+len(v.AllOf) > 0 ||
			(v.AdditionalProperties.Has != nil && !*v.AdditionalProperties.Has) {
			return false
		}
	}
	return true
}

// OperationIDs lists the operationIds of the REST contract, sorted.
func OperationIDs() ([]string, error) {
	s, err := loadSpec()
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(s.ops))
	for id := range s.ops {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids, nil
}

// routeEscape re-escapes slashes in the tails that GitHub accepts raw
// (contents paths, compare ranges), so the one-segment path templates match
// (gotcha 3). The input is the escaped path after the base path.
func routeEscape(p string) string {
	for _, marker := range []string{"/contents/", "/compare/"} {
		i := strings.Index(p, marker)
		if i < 0 || !strings.HasPrefix(p, "/repos/") || strings.Count(p[:i], "/") != 3 {
			continue
		}
		tail := p[i+len(marker):]
		return p[:i+len(marker)] + strings.ReplaceAll(tail, "/", "%2F")
	}
	return p
}

// routed is the outcome of matching and validating a request.
type routed struct {
	route  *routers.Route
	params map[string]string // still escaped
	input  *openapi3filter.RequestValidationInput
}

var validationOptions = func() *openapi3filter.Options {
	o := &openapi3filter.Options{
		AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
		IncludeResponseStatus: true,
		MultiError:            true,
	}
	// Say where and why, without kin-openapi's dump of the whole schema.
	o.WithCustomSchemaErrorFunc(func(err *openapi3.SchemaError) string {
		v, _ := json.Marshal(err.Value)
		return fmt.Sprintf("at /%s: %s (value %.80s)", strings.Join(err.JSONPointer(), "/"), err.Reason, v)
	})
	return o
}()

// find routes a request whose path (relative to the base path, escaped) is rel.
func (s *restSpec) find(r *http.Request, rel string, body []byte) (*routed, error) {
	rr := r.Clone(r.Context())
	u := *r.URL
	u.Path = routeEscape(rel) // literal %2F keeps a tail in one segment
	u.RawPath = ""
	rr.URL = &u
	rr.Body = io.NopCloser(bytes.NewReader(body))
	route, params, err := s.router.FindRoute(rr)
	if err != nil {
		return nil, err
	}
	return &routed{route: route, params: params, input: &openapi3filter.RequestValidationInput{
		Request: rr, PathParams: params, Route: route, Options: validationOptions,
	}}, nil
}

func (s *restSpec) validateRequest(ctx context.Context, rt *routed, body []byte) error {
	// go-github and ghinstallation send a JSON null for an optional body
	// (POST access_tokens with no options); GitHub takes it as no body.
	if rb := rt.route.Operation.RequestBody; rb != nil && rb.Value != nil && !rb.Value.Required && string(bytes.TrimSpace(body)) == "null" {
		body = nil
	}
	rt.input.Request.Body = io.NopCloser(bytes.NewReader(body))
	return openapi3filter.ValidateRequest(ctx, rt.input)
}

// validateResponse checks what the fake is about to send. Error statuses
// GitHub does not document for an operation (401, 403, 404, 5xx are possible
// everywhere) must still carry GitHub's basic-error body.
func (s *restSpec) validateResponse(ctx context.Context, rt *routed, status int, hdr http.Header, body []byte) error {
	if status == http.StatusNotModified {
		if len(body) != 0 {
			return errors.New("304 with a body")
		}
		return nil
	}
	ct := hdr.Get("Content-Type")
	if ct != "" && !strings.HasPrefix(ct, "application/json") {
		return nil // gotcha 6: raw media types are not described
	}
	resps := rt.route.Operation.Responses
	if resps.Status(status) == nil && resps.Default() == nil && status >= 400 {
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			return fmt.Errorf("error body is not JSON: %w", err)
		}
		if m, ok := v.(map[string]any); !ok || m["message"] == nil {
			return errors.New("error body has no message")
		}
		if s.basicError != nil {
			return s.basicError.VisitJSON(v)
		}
		return nil
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: rt.input,
		Status:                 status,
		Header:                 hdr,
		Options:                validationOptions,
	}
	in.SetBodyBytes(body)
	return openapi3filter.ValidateResponse(ctx, in)
}
