package ghfake

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-github/v60/github"
)

// go test -run '^$' -bench . ./internal/ghfake/

func BenchmarkSpecLoad(b *testing.B) {
	for b.Loop() {
		if _, err := readSpec(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGraphQLSchemaLoad(b *testing.B) {
	for b.Loop() {
		if _, err := parseGitHubSchema(schemaGz); err != nil {
			b.Fatal(err)
		}
	}
}

func benchFake(b *testing.B) (*Fake, Pull, *github.Client) {
	f, err := Start()
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(f.Close)
	seedRepo(f)
	pr := f.AddLinearPR("o", "r", 100, func(int) Commit { return Commit{AuthorLogin: "alice"} })
	return f, pr, client(b, f, DefaultToken)
}

// The baseline: the same client against a handler that only returns JSON.
func BenchmarkBaselinePlainServer(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"number":1,"title":"t"}`))
	}))
	defer srv.Close()
	gh := github.NewClient(nil).WithAuthToken("x")
	gh.BaseURL, _ = gh.BaseURL.Parse(srv.URL + "/api/v3/")
	for b.Loop() {
		if _, _, err := gh.PullRequests.Get(ctx, "o", "r", 1); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetPull(b *testing.B) {
	f, pr, gh := benchFake(b)
	for b.Loop() {
		if _, _, err := gh.PullRequests.Get(ctx, "o", "r", pr.Number); err != nil {
			b.Fatal(err)
		}
		f.ResetCalls()
	}
}

func BenchmarkCreateStatus(b *testing.B) {
	f, pr, gh := benchFake(b)
	for b.Loop() {
		if _, _, err := gh.Repositories.CreateStatus(ctx, "o", "r", pr.HeadSHA, statusOpt("success", "c")); err != nil {
			b.Fatal(err)
		}
		f.ResetCalls()
	}
}

func BenchmarkListCommits100(b *testing.B) {
	f, pr, gh := benchFake(b)
	for b.Loop() {
		if _, _, err := gh.PullRequests.ListCommits(ctx, "o", "r", pr.Number, &github.ListOptions{PerPage: 100}); err != nil {
			b.Fatal(err)
		}
		f.ResetCalls()
	}
}

func BenchmarkGraphQLSnapshot(b *testing.B) {
	f, pr, _ := benchFake(b)
	vars := map[string]any{"owner": "o", "name": "r", "n": pr.Number}
	for b.Loop() {
		if code, _ := graphql(b, f, DefaultToken, prQuery, vars); code != 200 {
			b.Fatal(code)
		}
		f.ResetCalls()
	}
}
