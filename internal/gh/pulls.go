package gh

import (
	"context"
	"fmt"

	"github.com/google/go-github/v60/github"

	"github.com/contribution-policy/contribution-policy/internal/snapshot"
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
	pr, _, err := c.rest.PullRequests.Get(ctx, owner, repo, number)
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
func (c *Client) PullCommits(ctx context.Context, owner, repo string, number, total int, base, head string) ([]snapshot.Commit, error) {
	if total > MaxListedCommits && base != "" && head != "" {
		return c.compareCommits(ctx, owner, repo, base, head)
	}
	var out []snapshot.Commit
	opts := &github.ListOptions{PerPage: 100}
	for page := 0; page < maxPages; page++ {
		cs, resp, err := c.rest.PullRequests.ListCommits(ctx, owner, repo, number, opts)
		if err != nil {
			return nil, fmt.Errorf("list commits of %s/%s#%d: %w", owner, repo, number, ctxErr(ctx, err))
		}
		for _, rc := range cs {
			out = append(out, convertCommit(rc))
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	if len(out) >= MaxListedCommits && total == 0 && base != "" && head != "" {
		// We could not know the size beforehand and hit the cap: read it all.
		return c.compareCommits(ctx, owner, repo, base, head)
	}
	return out, nil
}

func (c *Client) compareCommits(ctx context.Context, owner, repo, base, head string) ([]snapshot.Commit, error) {
	var out []snapshot.Commit
	opts := &github.ListOptions{PerPage: 100}
	for page := 0; page < maxPages; page++ {
		cmp, resp, err := c.rest.Repositories.CompareCommits(ctx, owner, repo, base, head, opts)
		if err != nil {
			return nil, fmt.Errorf("compare %s/%s %s...%s: %w", owner, repo, short(base), short(head), ctxErr(ctx, err))
		}
		for _, rc := range cmp.Commits {
			out = append(out, convertCommit(rc))
		}
		if resp.NextPage == 0 || len(cmp.Commits) == 0 {
			break
		}
		opts.Page = resp.NextPage
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
