package ghfake_test

import (
	"context"
	"fmt"
	"net/url"

	"github.com/contribution-policy/contribution-policy/internal/ghfake"
	"github.com/google/go-github/v60/github"
)

func Example() {
	f, err := ghfake.Start() // in a test: f := ghfake.New(t)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	f.AddRepo(ghfake.Repo{Owner: "o", Name: "r"})
	pr := f.AddLinearPR("o", "r", 2, nil)

	gh := github.NewClient(nil).WithAuthToken(ghfake.DefaultToken)
	gh.BaseURL, _ = url.Parse(f.URL())
	_, _, err = gh.Repositories.CreateStatus(context.Background(), "o", "r", pr.HeadSHA,
		&github.RepoStatus{State: github.String("success"), Context: github.String("contribution-policy/dco")})
	fmt.Println(err, f.LatestStatuses("o", "r", pr.HeadSHA)["contribution-policy/dco"].State)
	for _, c := range f.Writes() {
		fmt.Println(c.Method, c.Status)
	}
	fmt.Println(len(f.Violations()))
	// Output:
	// <nil> success
	// POST 201
	// 0
}
