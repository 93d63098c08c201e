package gh

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"
)

// OpenPR is an open pull request as the App's sweeps see it.
type OpenPR struct {
	Owner, Repo string
	Number      int
	HeadSHA     string
	UpdatedAt   time.Time
}

const openPullsQuery = `query OpenPulls($owner: String!, $name: String!, $after: String) {
  repository(owner: $owner, name: $name) {
    pullRequests(states: OPEN, first: 100, after: $after, orderBy: {field: UPDATED_AT, direction: DESC}) {
      pageInfo { hasNextPage endCursor }
      nodes { number headRefOid updatedAt }
    }
  }
}`

// OpenPullRequests lists a repository's open pull requests, most recently
// updated first (GET /repos/{o}/{r}/pulls is outside the API contract).
func (c *Client) OpenPullRequests(ctx context.Context, owner, repo string) ([]OpenPR, error) {
	var out []OpenPR
	cursor := ""
	for page := 0; page < maxPages; page++ {
		var data struct {
			Repository struct {
				PullRequests struct {
					PageInfo pageInfo `json:"pageInfo"`
					Nodes    []struct {
						Number     int       `json:"number"`
						HeadRefOid string    `json:"headRefOid"`
						UpdatedAt  time.Time `json:"updatedAt"`
					} `json:"nodes"`
				} `json:"pullRequests"`
			} `json:"repository"`
		}
		vars := map[string]any{"owner": owner, "name": repo, "after": nil}
		if cursor != "" {
			vars["after"] = cursor
		}
		if _, err := c.graphql(ctx, "OpenPulls", openPullsQuery, vars, &data); err != nil {
			return nil, fmt.Errorf("list open pull requests of %s/%s: %w", owner, repo, err)
		}
		prs := data.Repository.PullRequests
		for _, n := range prs.Nodes {
			out = append(out, OpenPR{Owner: owner, Repo: repo, Number: n.Number, HeadSHA: n.HeadRefOid, UpdatedAt: n.UpdatedAt})
		}
		if !prs.PageInfo.HasNextPage {
			break
		}
		cursor = prs.PageInfo.EndCursor
	}
	return out, nil
}

// UpdatedOpenPRs finds the open pull requests of an account's repositories
// (those the installation can see) updated at or after since, with one
// search request per 100 results.
func (c *Client) UpdatedOpenPRs(ctx context.Context, account string, since time.Time) ([]OpenPR, error) {
	q := fmt.Sprintf("is:pr is:open user:%s updated:>=%s", account, since.UTC().Format("2006-01-02T15:04:05Z"))
	prs, err := c.searchOpenPRs(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("search updated pull requests of %s: %w", account, err)
	}
	return prs, nil
}

// OpenPRsByAuthor finds the open pull requests login authored in an
// account's repositories: after someone signs the CLA, these are the other
// pull requests most likely to be waiting on that signature.
func (c *Client) OpenPRsByAuthor(ctx context.Context, account, login string) ([]OpenPR, error) {
	prs, err := c.searchOpenPRs(ctx, fmt.Sprintf("is:pr is:open user:%s author:%s", account, login))
	if err != nil {
		return nil, fmt.Errorf("search open pull requests of %s in %s: %w", login, account, err)
	}
	return prs, nil
}

// searchOpenPRs runs an issue search, one request per 100 results (the
// search API serves 1,000 at most).
func (c *Client) searchOpenPRs(ctx context.Context, q string) ([]OpenPR, error) {
	opts := &github.SearchOptions{Sort: "updated", Order: "desc", ListOptions: github.ListOptions{PerPage: 100}}
	var out []OpenPR
	for page := 0; page < 10; page++ {
		res, resp, err := c.rest.Search.Issues(ctx, q, opts)
		if err != nil {
			return nil, ctxErr(ctx, err)
		}
		for _, is := range res.Issues {
			owner, repo, ok := repoFromAPIURL(is.GetRepositoryURL())
			if !ok {
				continue
			}
			out = append(out, OpenPR{Owner: owner, Repo: repo, Number: is.GetNumber(), UpdatedAt: is.GetUpdatedAt().Time})
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	return out, nil
}

// repoFromAPIURL takes owner and name from ".../repos/{owner}/{repo}".
func repoFromAPIURL(u string) (string, string, bool) {
	i := strings.LastIndex(u, "/repos/")
	if i < 0 {
		return "", "", false
	}
	owner, repo, ok := strings.Cut(u[i+len("/repos/"):], "/")
	return owner, repo, ok && owner != "" && repo != "" && !strings.Contains(repo, "/")
}

// InstallationRepos lists the repositories ("owner/name") the installation
// covers.
func (c *Client) InstallationRepos(ctx context.Context) ([]string, error) {
	var out []string
	opts := &github.ListOptions{PerPage: 100}
	for page := 0; page < maxPages; page++ {
		res, resp, err := c.rest.Apps.ListRepos(ctx, opts)
		if err != nil {
			return nil, fmt.Errorf("list the installation's repositories: %w", ctxErr(ctx, err))
		}
		for _, r := range res.Repositories {
			out = append(out, r.GetFullName())
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	return out, nil
}

const permissionQuery = `query Permission($owner: String!, $name: String!, $login: String!) {
  repository(owner: $owner, name: $name) {
    collaborators(first: 1, login: $login) { edges { permission node { login } } }
  }
}`

// Permission returns login's permission on the repository as GraphQL names
// it (ADMIN, MAINTAIN, WRITE, TRIAGE, READ), or "" when login is no
// collaborator.
func (c *Client) Permission(ctx context.Context, owner, repo, login string) (string, error) {
	var data struct {
		Repository struct {
			Collaborators *struct {
				Edges []struct {
					Permission string `json:"permission"`
					Node       struct {
						Login string `json:"login"`
					} `json:"node"`
				} `json:"edges"`
			} `json:"collaborators"`
		} `json:"repository"`
	}
	vars := map[string]any{"owner": owner, "name": repo, "login": login}
	if _, err := c.graphql(ctx, "Permission", permissionQuery, vars, &data); err != nil {
		return "", fmt.Errorf("read %s's permission on %s/%s: %w", login, owner, repo, err)
	}
	if cs := data.Repository.Collaborators; cs != nil {
		for _, e := range cs.Edges {
			if strings.EqualFold(e.Node.Login, login) {
				return e.Permission, nil
			}
		}
	}
	return "", nil
}

// IsMaintainer reports whether a permission lets its holder override a
// check: write access or more.
func IsMaintainer(permission string) bool {
	switch permission {
	case "ADMIN", "MAINTAIN", "WRITE":
		return true
	}
	return false
}
