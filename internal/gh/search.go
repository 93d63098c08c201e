package gh

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"
)

// SearchCap is how many results GitHub's search API serves for one query;
// a query with more must be split.
const SearchCap = 1000

// SearchPR is one pull request a search found.
type SearchPR struct {
	Repo       string // owner/name
	Number     int
	Author     string
	AuthorID   int64
	AuthorType string
	CreatedAt  time.Time
	MergedAt   time.Time // zero when not merged
	Labels     []string
}

// SearchPRs runs one page of a pull request search (GET /search/issues,
// newest first) and returns the total count GitHub reports, the page's
// pull requests and whether GitHub said the results are incomplete.
func (c *Client) SearchPRs(ctx context.Context, query string, page, perPage int) (total int, prs []SearchPR, incomplete bool, err error) {
	opts := &github.SearchOptions{Sort: "created", Order: "desc", ListOptions: github.ListOptions{Page: page, PerPage: perPage}}
	res, _, err := c.rest.Search.Issues(ctx, query, opts)
	if err != nil {
		return 0, nil, false, fmt.Errorf("search %q: %w", query, ctxErr(ctx, err))
	}
	for _, is := range res.Issues {
		if is.PullRequestLinks == nil {
			continue
		}
		p := SearchPR{Repo: repoFromURL(is.GetRepositoryURL()), Number: is.GetNumber(), Author: is.GetUser().GetLogin(),
			AuthorID: is.GetUser().GetID(), AuthorType: is.GetUser().GetType(), CreatedAt: is.GetCreatedAt().Time}
		if m := is.PullRequestLinks.MergedAt; m != nil {
			p.MergedAt = m.Time
		}
		for _, l := range is.Labels {
			p.Labels = append(p.Labels, l.GetName())
		}
		prs = append(prs, p)
	}
	return res.GetTotal(), prs, res.GetIncompleteResults(), nil
}

// repoFromURL takes owner/name from a repository API URL
// (".../repos/OWNER/NAME").
func repoFromURL(u string) string {
	i := strings.LastIndex(u, "/repos/")
	if i < 0 {
		return ""
	}
	return strings.Trim(u[i+len("/repos/"):], "/")
}
