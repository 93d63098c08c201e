package cli

import (
	"fmt"

	"github.com/contribution-policy/contribution-policy/internal/gh"
	"github.com/contribution-policy/contribution-policy/internal/transport"
	"github.com/contribution-policy/contribution-policy/internal/version"
)

// apiClient is a client for GITHUB_TOKEN (or GH_TOKEN).
func apiClient(env Env, apiURL string) (*gh.Client, error) {
	token := env.Getenv("GITHUB_TOKEN")
	if token == "" {
		token = env.Getenv("GH_TOKEN")
	}
	if token == "" {
		return nil, fmt.Errorf("no token: set GITHUB_TOKEN (or GH_TOKEN)")
	}
	if apiURL == "" {
		apiURL = env.Getenv("GITHUB_API_URL")
	}
	hc, _ := transport.NewClient(nil, transport.Options{Version: version.Version})
	return gh.New(gh.Options{APIURL: apiURL, GraphQLURL: env.Getenv("GITHUB_GRAPHQL_URL"), Token: token,
		HTTPClient: hc})
}
