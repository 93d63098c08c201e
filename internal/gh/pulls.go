package gh

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/google/go-github/v60/github"

	"github.com/contribution-policy/contribution-policy/internal/snapshot"
	"github.com/contribution-policy/contribution-policy/internal/transport"
)

// MaxListedCommits is GitHub's cap on GET /pulls/{n}/commits: it returns at
// most 250 commits however many pages are requested.
const MaxListedCommits = 250

// maxPages bounds any pagination loop (100 per page: 100,000 items).
const maxPages = 1000

// PullHead is what the REST pull request endpoint says about a PR, used when
// an event did not carry it (comments, the CLI).
type PullHead struct {
	Number      int
	State       string // open, closed
	Merged      bool
	HeadSHA     string
	BaseSHA     string
	HeadRepo    string // "owner/repo" of the head branch; differs for forks
	BaseRepo    string
	CommitCount int
}

// PullRequest reads a pull request's head, base and size.
func (c *Client) PullRequest(ctx context.Context, owner, repo string, number int) (*PullHead, error) {
	// A pull request can 404 for a moment right after the event that
	// announced it (replication lag): retry the read twice before giving up.
	pr, _, err := c.rest.PullRequests.Get(transport.WithRetryNotFound(ctx, 2), owner, repo, number)
	if err != nil {
		return nil, fmt.Errorf("get pull request %s/%s#%d: %w", owner, repo, number, ctxErr(ctx, err))
	}
	return &PullHead{
		Number:      pr.GetNumber(),
		State:       pr.GetState(),
		Merged:      pr.GetMerged(),
		HeadSHA:     pr.GetHead().GetSHA(),
		BaseSHA:     pr.GetBase().GetSHA(),
		HeadRepo:    pr.GetHead().GetRepo().GetFullName(),
		BaseRepo:    pr.GetBase().GetRepo().GetFullName(),
		CommitCount: pr.GetCommits(),
	}, nil
}

// PullCommits reads every commit of a pull request, oldest first. total is
// the PR's commit count when known (0 = unknown). Up to 250 commits come
// from the pull request's commit list; beyond GitHub's cap there, the commits
// come from the paginated compare of base...head, which has no cap. The
// caller compares len(result) with the PR's count and fails closed on a
// shortfall, so a truncated read can never pass silently.
//
// Pages after the first are fetched concurrently (a few at a time) once the
// size is known: on real GitHub each page is a round trip of a few hundred
// milliseconds, so a 5,000-commit PR costs ~13 round trips instead of 50.
func (c *Client) PullCommits(ctx context.Context, owner, repo string, number, total int, base, head string) ([]snapshot.Commit, error) {
	if total > MaxListedCommits && base != "" && head != "" {
		return c.compareCommits(ctx, owner, repo, base, head)
	}
	pr := fmt.Sprintf("%s/%s#%d", owner, repo, number)
	page := func(ctx context.Context, n int) ([]*github.RepositoryCommit, *github.Response, error) {
		cs, resp, err := c.rest.PullRequests.ListCommits(ctx, owner, repo, number, &github.ListOptions{PerPage: perPage, Page: n})
		if err != nil {
			return nil, nil, fmt.Errorf("list commits of %s (page %d): %w", pr, n, ctxErr(ctx, err))
		}
		return cs, resp, nil
	}
	knownPages := 0
	if total > 0 {
		knownPages = (min(total, MaxListedCommits) + perPage - 1) / perPage
	}
	out, err := paginate(ctx, knownPages, page)
	if err != nil {
		return nil, err
	}
	if len(out) >= MaxListedCommits && total == 0 && base != "" && head != "" {
		// We could not know the size beforehand and hit the cap: read it all.
		return c.compareCommits(ctx, owner, repo, base, head)
	}
	return out, nil
}

func (c *Client) compareCommits(ctx context.Context, owner, repo, base, head string) ([]snapshot.Commit, error) {
	var total int
	var mu sync.Mutex
	page := func(ctx context.Context, n int) ([]*github.RepositoryCommit, *github.Response, error) {
		cmp, resp, err := c.rest.Repositories.CompareCommits(ctx, owner, repo, base, head, &github.ListOptions{PerPage: perPage, Page: n})
		if err != nil {
			return nil, nil, fmt.Errorf("compare %s/%s %s...%s (page %d): %w", owner, repo, short(base), short(head), n, ctxErr(ctx, err))
		}
		mu.Lock()
		total = cmp.GetTotalCommits()
		mu.Unlock()
		return cmp.Commits, resp, nil
	}
	// The first page says how many commits there are; the rest follow in
	// parallel.
	first, resp, err := page(ctx, 1)
	if err != nil {
		return nil, err
	}
	out := make([]snapshot.Commit, 0, total)
	for _, rc := range first {
		out = append(out, convertCommit(rc))
	}
	if resp.NextPage == 0 || len(first) == 0 {
		return out, nil
	}
	rest, err := paginateFrom(ctx, 2, (total+perPage-1)/perPage, page)
	if err != nil {
		return nil, err
	}
	return append(out, rest...), nil
}

const (
	perPage = 100
	// pageWorkers bounds concurrent page reads (GitHub allows 100 concurrent
	// requests per token; a handful keeps well clear of secondary limits).
	pageWorkers = 4
)

type pageFunc func(ctx context.Context, n int) ([]*github.RepositoryCommit, *github.Response, error)

// paginate reads pages 1..knownPages concurrently when the count is known,
// else follows NextPage links one by one.
func paginate(ctx context.Context, knownPages int, page pageFunc) ([]snapshot.Commit, error) {
	if knownPages > 1 {
		return paginateFrom(ctx, 1, knownPages, page)
	}
	var out []snapshot.Commit
	for n := 1; n <= maxPages; {
		cs, resp, err := page(ctx, n)
		if err != nil {
			return nil, err
		}
		for _, rc := range cs {
			out = append(out, convertCommit(rc))
		}
		if resp.NextPage == 0 {
			break
		}
		n = resp.NextPage
	}
	return out, nil
}

// paginateFrom reads pages from..to with a few workers and returns their
// commits in page order. A page that comes back full although it is the
// last expected one means the list grew meanwhile: the pages after it are
// read sequentially so nothing is missed.
func paginateFrom(ctx context.Context, from, to int, page pageFunc) ([]snapshot.Commit, error) {
	if to > maxPages {
		to = maxPages
	}
	if to < from {
		return nil, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([][]*github.RepositoryCommit, to-from+1)
	var last *github.Response
	errs := make([]error, len(results))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < min(pageWorkers, len(results)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				cs, resp, err := page(ctx, from+i)
				if err != nil {
					errs[i] = err
					cancel()
					continue
				}
				results[i] = cs
				if i == len(results)-1 {
					last = resp
				}
			}
		}()
	}
	for i := range results {
		select {
		case next <- i:
		case <-ctx.Done():
		}
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	var out []snapshot.Commit
	for _, cs := range results {
		for _, rc := range cs {
			out = append(out, convertCommit(rc))
		}
	}
	// The server may page smaller than asked (or the list grew): follow its
	// links from the last page read so nothing is missed.
	for n := 0; last != nil && last.NextPage != 0 && n < maxPages; n++ {
		cs, resp, err := page(ctx, last.NextPage)
		if err != nil {
			return nil, err
		}
		for _, rc := range cs {
			out = append(out, convertCommit(rc))
		}
		last = resp
	}
	return out, nil
}

func convertCommit(rc *github.RepositoryCommit) snapshot.Commit {
	gc := rc.GetCommit()
	c := snapshot.Commit{
		SHA:       rc.GetSHA(),
		Message:   gc.GetMessage(),
		Verified:  gc.GetVerification().GetVerified(),
		Author:    identity(gc.GetAuthor(), rc.GetAuthor()),
		Committer: identity(gc.GetCommitter(), rc.GetCommitter()),
	}
	for _, p := range rc.Parents {
		c.Parents = append(c.Parents, p.GetSHA())
	}
	return c
}

// identity joins the git identity with the account GitHub linked it to.
func identity(git *github.CommitAuthor, acct *github.User) snapshot.Identity {
	id := snapshot.Identity{Name: git.GetName(), Email: git.GetEmail()}
	if acct != nil && acct.GetLogin() != "" {
		id.Login, id.ID, id.Type = acct.GetLogin(), acct.GetID(), acct.GetType()
	}
	return id
}

// IsOrgMember reports whether login is a member of org as far as the token
// can see: private memberships need a token with members:read (GitHub
// redirects other tokens to the public membership check, which go-github
// follows).
func (c *Client) IsOrgMember(ctx context.Context, org, login string) (bool, error) {
	ok, _, err := c.rest.Organizations.IsMember(ctx, org, login)
	if err != nil {
		return false, fmt.Errorf("check membership of %s in %s: %w", login, org, ctxErr(ctx, err))
	}
	return ok, nil
}

func short(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}
