package ghfake

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
)

// client returns the real go-github client pointed at the fake.
func client(t testing.TB, f *Fake, token string) *github.Client {
	t.Helper()
	gh := github.NewClient(&http.Client{Timeout: time.Minute}).WithAuthToken(token)
	u, err := gh.BaseURL.Parse(f.URL())
	if err != nil {
		t.Fatal(err)
	}
	gh.BaseURL = u
	return gh
}

// seedRepo adds o/r with a default branch holding one commit.
func seedRepo(f *Fake) {
	f.AddRepo(Repo{Owner: "o", Name: "r"})
	f.SetFile("o", "r", "main", "README.md", "hello\n")
}

// graphql posts a query and decodes the answer.
func graphql(t testing.TB, f *Fake, token, query string, vars map[string]any) (int, map[string]any) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, f.GraphQLURL(), bytes.NewReader(body))
	req.Header.Set("Authorization", "bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(b) > 0 {
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("graphql answer %q: %v", b, err)
		}
	}
	return resp.StatusCode, out
}

// dig walks a decoded JSON value: dig(v, "data", "repository", "name").
func dig(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

// rawGet does a plain GET with a token (for headers go-github hides).
func rawGet(t testing.TB, f *Fake, token, rel string, hdr map[string]string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, f.URL()+strings.TrimPrefix(rel, "/"), nil)
	if token != "" {
		req.Header.Set("Authorization", "token "+token)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

func statusOpt(state, context string) *github.RepoStatus {
	return &github.RepoStatus{State: github.String(state), Context: github.String(context)}
}
