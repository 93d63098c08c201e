// Package gh is the only package that talks to GitHub through go-github. It
// builds clients (token or App installation), runs the GraphQL queries the
// project needs, paginates, and converts GitHub's types into the project's
// own structs (snapshot, config, reconcile), so nothing else depends on
// go-github's shapes.
package gh

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/go-github/v60/github"
)

// DefaultAPIURL is github.com's REST endpoint.
const DefaultAPIURL = "https://api.github.com/"

// Client is a GitHub client for one token.
type Client struct {
	rest       *github.Client
	httpClient *http.Client
	graphqlURL string
}

// Options configure a client.
type Options struct {
	// APIURL is the REST base URL (GITHUB_API_URL): https://api.github.com/,
	// or a GHES URL ending in /api/v3/.
	APIURL string
	// GraphQLURL is the GraphQL endpoint (GITHUB_GRAPHQL_URL); derived from
	// APIURL when empty.
	GraphQLURL string
	// Token authenticates every request. Empty when HTTPClient already
	// authenticates (an App installation transport).
	Token string
	// HTTPClient carries the transport stack (retries, pacing, metering).
	HTTPClient *http.Client
}

// New builds a client.
func New(opts Options) (*Client, error) {
	hc := opts.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	api := opts.APIURL
	if api == "" {
		api = DefaultAPIURL
	}
	if !strings.HasSuffix(api, "/") {
		api += "/"
	}
	if _, err := url.Parse(api); err != nil {
		return nil, fmt.Errorf("parse API URL %q: %w", api, err)
	}
	rest := github.NewClient(hc)
	if opts.Token != "" {
		rest = rest.WithAuthToken(opts.Token)
	}
	if api != DefaultAPIURL {
		var err error
		// WithEnterpriseURLs leaves api.github.com-style hosts and URLs that
		// already end in /api/v3/ alone, so it is right for github.com,
		// GHES and GHE.com alike.
		if rest, err = rest.WithEnterpriseURLs(api, api); err != nil {
			return nil, fmt.Errorf("configure API URL %q: %w", api, err)
		}
	}
	// Leave User-Agent to the transport stack, which names this project (set
	// last: go-github's With* copies restore its default).
	rest.UserAgent = ""
	gql := opts.GraphQLURL
	if gql == "" {
		gql = GraphQLURLFor(api)
	}
	return &Client{rest: rest, httpClient: rest.Client(), graphqlURL: gql}, nil
}

// GraphQLURLFor derives the GraphQL endpoint from a REST base URL:
// https://api.github.com/ → https://api.github.com/graphql, and
// https://host/api/v3/ → https://host/api/graphql (GHES).
func GraphQLURLFor(api string) string {
	api = strings.TrimSuffix(api, "/")
	if strings.HasSuffix(api, "/api/v3") {
		return strings.TrimSuffix(api, "/v3") + "/graphql"
	}
	return api + "/graphql"
}

// StatusCode returns the HTTP status of a go-github error, or 0.
func StatusCode(err error) int {
	var er *github.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		return er.Response.StatusCode
	}
	return 0
}

// IsForbidden reports whether err is GitHub refusing a call for lack of
// permission ("Resource not accessible by integration"), e.g. a read-only
// token on a fork's pull_request event.
func IsForbidden(err error) bool {
	var er *github.ErrorResponse
	if !errors.As(err, &er) || er.Response == nil {
		return false
	}
	return er.Response.StatusCode == http.StatusForbidden &&
		!strings.Contains(strings.ToLower(er.Message), "rate limit")
}

func asErrorResponse(err error, target **github.ErrorResponse) bool {
	return errors.As(err, target) && (*target).Response != nil
}

// IsNotFound reports a 404.
func IsNotFound(err error) bool { return StatusCode(err) == http.StatusNotFound }

// ctxErr prefers the context's error when the context ended, which names the
// real cause (a deadline) instead of a transport detail.
func ctxErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}
