package gh

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/go-github/v60/github"
)

// UserCompany returns the company field of a user's profile (GET
// /users/{username}); "" when empty. Free text the user typed: callers
// treat it as a low-confidence hint.
func (c *Client) UserCompany(ctx context.Context, login string) (string, error) {
	u, _, err := c.rest.Users.Get(ctx, login)
	if err != nil {
		return "", fmt.Errorf("read the profile of %s: %w", login, ctxErr(ctx, err))
	}
	return strings.TrimSpace(u.GetCompany()), nil
}

// UserOrgs lists the organisations whose membership of login GitHub shows
// (GET /users/{username}/orgs: public memberships).
func (c *Client) UserOrgs(ctx context.Context, login string) ([]string, error) {
	var out []string
	opts := &github.ListOptions{PerPage: 100}
	for {
		orgs, resp, err := c.rest.Organizations.List(ctx, login, opts)
		if err != nil {
			return nil, fmt.Errorf("list the organisations of %s: %w", login, ctxErr(ctx, err))
		}
		for _, o := range orgs {
			out = append(out, o.GetLogin())
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}
