package pipeline

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestConfiguredURLsAreNeverFetched: URLs in the configuration (agreement
// documents, links shown to contributors) are rendered, never requested — a
// configuration cannot make the bot call an internal address (SSRF). The
// only host the pipeline talks to is the GitHub API it was given.
func TestConfiguredURLsAreNeverFetched(t *testing.T) {
	var hits atomic.Int64
	trap := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		t.Errorf("the bot fetched a configured URL: %s %s", r.Method, r.URL)
	}))
	defer trap.Close()
	e := newCLAEnv(t, "")
	policyFile := strings.ReplaceAll(claPolicy, "https://example.org/icla", trap.URL+"/icla")
	policyFile = strings.Replace(policyFile, "%s", "", 1)
	e.fake.SetFile(owner, repo, "main", ".github/contribution-policy.yml", policyFile)
	p := e.pr(1, byDev())
	out := e.run(target(p, 1))
	if out.Decision.CLA == nil {
		t.Fatal("the CLA check did not run")
	}
	if !strings.Contains(out.Comment, trap.URL+"/icla") {
		t.Errorf("the agreement link should be rendered in the comment")
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("%d requests to a configured URL", n)
	}
}
