package ghfake

import (
	"bytes"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEveryOperationHasAHandler(t *testing.T) {
	ids, err := OperationIDs()
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 33 {
		t.Errorf("the trimmed description has %d operations, want 33", len(ids))
	}
	handled := HandledOperations()
	sort.Strings(handled)
	if diff := cmp.Diff(ids, handled); diff != "" {
		t.Errorf("operations vs handlers (-spec +handlers):\n%s", diff)
	}
}

// Violations are checked on fakes made with Start, so these tests do not
// fail themselves.
func TestContractViolationsAreCaught(t *testing.T) {
	do := func(t *testing.T, f *Fake, method, url, body string) int {
		req, _ := http.NewRequest(method, url, strings.NewReader(body))
		req.Header.Set("Authorization", "token "+DefaultToken)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, tc := range []struct {
		name, method, rel, body string
		status                  int
		violation               string
	}{
		{"bad enum in a body", "POST", "repos/o/r/statuses/SHA", `{"state":"bogus"}`, 422, "repos/create-commit-status"},
		{"unrouted path", "GET", "repos/o/r/issues", "", 404, "not in the REST contract"},
		{"method outside the contract", "DELETE", "repos/o/r/issues/comments/1", "", 404, "not in the REST contract"},
		{"non-integer path parameter", "GET", "repos/o/r/pulls/abc", "", 422, "pulls/get"},
		{"missing required query", "GET", "search/issues", "", 422, "search/issues-and-pull-requests"},
		{"lost base path", "GET", "/repos/o/r/pulls/1", "", 404, "path prefix is not preserved"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Start()
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			seedRepo(f)
			pr := f.AddLinearPR("o", "r", 1, nil)
			url := f.URL() + strings.ReplaceAll(tc.rel, "SHA", pr.HeadSHA)
			if strings.HasPrefix(tc.rel, "/") {
				url = strings.TrimSuffix(f.ServerURL(), "/") + tc.rel
			}
			if got := do(t, f, tc.method, url, tc.body); got != tc.status {
				t.Errorf("status %d, want %d", got, tc.status)
			}
			v := f.Violations()
			if len(v) != 1 || !strings.Contains(v[0], tc.violation) {
				t.Errorf("violations %q, want one about %q", v, tc.violation)
			}
		})
	}
}

func TestResponseValidationCatchesTheFake(t *testing.T) {
	s, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, "http://x/api/v3/repos/o/r/check-runs", bytes.NewReader([]byte(`{"name":"n","head_sha":"abc"}`)))
	req.Header.Set("Content-Type", "application/json")
	rt, err := s.find(req, "/repos/o/r/check-runs", []byte(`{"name":"n","head_sha":"abc"}`))
	if err != nil {
		t.Fatal(err)
	}
	hdr := http.Header{"Content-Type": {"application/json"}}
	if err := s.validateResponse(ctx, rt, 201, hdr, []byte(`{}`)); err == nil {
		t.Error("an empty check run validated")
	}
	if err := s.validateResponse(ctx, rt, 418, hdr, []byte(`{"nope":1}`)); err == nil {
		t.Error("an error body without a message validated")
	}
}
