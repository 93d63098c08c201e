package gh

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/reconcile"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

// PullContextQuery names what PullContext reads.
type PullContextQuery struct {
	Owner, Repo string
	Number      int
	// HeadSHA is the commit whose statuses are read; BaseSHA the commit the
	// configuration is read at (never the PR head: a PR must not be able to
	// change the policy it is judged by).
	HeadSHA, BaseSHA string
	// PolicyPath is the configuration file's path (default
	// .github/contribution-policy.yml); the org fallback uses the same path.
	PolicyPath string
	// CorporatePath is the CLA corporate agreements file read at BaseSHA
	// (default config.DefaultCorporateFile), so that the usual location
	// costs no extra call.
	CorporatePath string
}

// PullContext is everything about a pull request that one GraphQL query
// returns: the PR itself, the configuration files at the base commit, the
// statuses on the head commit and the PR's comments. One round trip replaces
// five REST calls.
type PullContext struct {
	Repo        snapshot.Repository
	PR          snapshot.PullRequest
	State       string // OPEN, CLOSED, MERGED
	CommitCount int
	Files       config.Files
	// CorporateFile is the CLA corporate agreements file at the base
	// commit (CorporatePath), nil when absent.
	CorporateFile *config.File
	// HeadStatuses are the latest statuses on HeadSHA, keyed by lower-cased
	// context.
	HeadStatuses map[string]reconcile.Status
	Comments     []reconcile.Comment
}

const pullContextQuery = `query PolicyContext($owner: String!, $name: String!, $number: Int!, $head: GitObjectID!, $policy: String!, $dco: String!, $orgPolicy: String!, $corp: String!) {
  repository(owner: $owner, name: $name) {
    owner { login __typename }
    policy: object(expression: $policy) { ...file }
    dco: object(expression: $dco) { ...file }
    corp: object(expression: $corp) { ...file }
    head: object(oid: $head) { ... on Commit { status { contexts { context state description targetUrl } } } }
    pullRequest(number: $number) {
      number title createdAt state isDraft authorAssociation
      headRefOid baseRefOid headRefName baseRefName
      author { login __typename ... on User { databaseId } ... on Bot { databaseId } }
      labels(first: 100) { nodes { name } }
      commits(first: 1) { totalCount }
      comments(first: 100) { pageInfo { hasNextPage endCursor } nodes { ...comment } }
    }
  }
  org: repository(owner: $owner, name: ".github") {
    policy: object(expression: $orgPolicy) { ...file }
  }
}
fragment file on GitObject { ... on Blob { text isTruncated byteSize } }
fragment comment on IssueComment { databaseId url body author { login __typename } }`

const pullCommentsQuery = `query PolicyComments($owner: String!, $name: String!, $number: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      comments(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { ...comment } }
    }
  }
}
fragment comment on IssueComment { databaseId url body author { login __typename } }`

type gqlBlob struct {
	Text        *string `json:"text"`
	IsTruncated bool    `json:"isTruncated"`
	ByteSize    int     `json:"byteSize"`
}

type gqlComments struct {
	PageInfo pageInfo `json:"pageInfo"`
	Nodes    []struct {
		DatabaseID int64  `json:"databaseId"`
		URL        string `json:"url"`
		Body       string `json:"body"`
		Author     *struct {
			Login    string `json:"login"`
			Typename string `json:"__typename"`
		} `json:"author"`
	} `json:"nodes"`
}

func (g gqlComments) comments() []reconcile.Comment {
	out := make([]reconcile.Comment, 0, len(g.Nodes))
	for _, n := range g.Nodes {
		c := reconcile.Comment{ID: n.DatabaseID, URL: n.URL, Body: n.Body}
		if n.Author != nil {
			c.Author = restLogin(n.Author.Login, n.Author.Typename)
		}
		out = append(out, c)
	}
	return out
}

// PullContext reads the pull request's context in one GraphQL query (plus
// one per further 100 comments).
func (c *Client) PullContext(ctx context.Context, q PullContextQuery) (*PullContext, error) {
	var data struct {
		Repository *struct {
			Owner struct {
				Login    string `json:"login"`
				Typename string `json:"__typename"`
			} `json:"owner"`
			Policy *gqlBlob `json:"policy"`
			DCO    *gqlBlob `json:"dco"`
			Corp   *gqlBlob `json:"corp"`
			Head   *struct {
				Status *struct {
					Contexts []struct {
						Context     string `json:"context"`
						State       string `json:"state"`
						Description string `json:"description"`
						TargetURL   string `json:"targetUrl"`
					} `json:"contexts"`
				} `json:"status"`
			} `json:"head"`
			PullRequest *struct {
				Number            int       `json:"number"`
				Title             string    `json:"title"`
				CreatedAt         time.Time `json:"createdAt"`
				State             string    `json:"state"`
				IsDraft           bool      `json:"isDraft"`
				AuthorAssociation string    `json:"authorAssociation"`
				HeadRefOid        string    `json:"headRefOid"`
				BaseRefOid        string    `json:"baseRefOid"`
				HeadRefName       string    `json:"headRefName"`
				BaseRefName       string    `json:"baseRefName"`
				Author            *struct {
					Login      string `json:"login"`
					Typename   string `json:"__typename"`
					DatabaseID int64  `json:"databaseId"`
				} `json:"author"`
				Labels struct {
					Nodes []struct {
						Name string `json:"name"`
					} `json:"nodes"`
				} `json:"labels"`
				Commits struct {
					TotalCount int `json:"totalCount"`
				} `json:"commits"`
				Comments gqlComments `json:"comments"`
			} `json:"pullRequest"`
		} `json:"repository"`
		Org *struct {
			Policy *gqlBlob `json:"policy"`
		} `json:"org"`
	}
	policyPath := q.PolicyPath
	if policyPath == "" {
		policyPath = config.PolicyPath
	}
	corpPath := q.CorporatePath
	if corpPath == "" {
		corpPath = config.DefaultCorporateFile
	}
	vars := map[string]any{
		"owner": q.Owner, "name": q.Repo, "number": q.Number, "head": q.HeadSHA,
		"policy":    q.BaseSHA + ":" + policyPath,
		"dco":       q.BaseSHA + ":" + config.DCOPath,
		"orgPolicy": "HEAD:" + policyPath,
		"corp":      q.BaseSHA + ":" + corpPath,
	}
	pr := fmt.Sprintf("%s/%s#%d", q.Owner, q.Repo, q.Number)
	// A missing or private org .github repository is normal: no org config.
	if _, err := c.graphql(ctx, "PolicyContext", pullContextQuery, vars, &data, "org"); err != nil {
		return nil, fmt.Errorf("read context of %s: %w", pr, err)
	}
	r := data.Repository
	if r == nil || r.PullRequest == nil {
		return nil, fmt.Errorf("read context of %s: pull request not found", pr)
	}
	p := r.PullRequest
	out := &PullContext{
		Repo: snapshot.Repository{Owner: q.Owner, Name: q.Repo, OwnerType: ownerType(r.Owner.Typename)},
		PR: snapshot.PullRequest{
			Number: p.Number, CreatedAt: p.CreatedAt, AuthorAssociation: p.AuthorAssociation,
			BaseSHA: p.BaseRefOid, HeadSHA: p.HeadRefOid, BaseRef: p.BaseRefName, HeadRef: p.HeadRefName,
			Title: p.Title, Draft: p.IsDraft,
		},
		State:        p.State,
		CommitCount:  p.Commits.TotalCount,
		HeadStatuses: map[string]reconcile.Status{},
	}
	if p.Author != nil {
		out.PR.Author = snapshot.Account{Login: restLogin(p.Author.Login, p.Author.Typename), ID: p.Author.DatabaseID, Type: p.Author.Typename}
	}
	for _, l := range p.Labels.Nodes {
		out.PR.Labels = append(out.PR.Labels, l.Name)
	}
	if r.Head != nil && r.Head.Status != nil {
		for _, s := range r.Head.Status.Contexts {
			out.HeadStatuses[strings.ToLower(s.Context)] = reconcile.Status{
				Context: s.Context, State: strings.ToLower(s.State), Description: s.Description, TargetURL: s.TargetURL,
			}
		}
	}
	var err error
	if out.Files.Policy, err = blobFile(r.Policy, q, q.BaseSHA, policyPath); err != nil {
		return nil, err
	}
	if out.Files.DCO, err = blobFile(r.DCO, q, q.BaseSHA, config.DCOPath); err != nil {
		return nil, err
	}
	if out.CorporateFile, err = blobFile(r.Corp, q, q.BaseSHA, corpPath); err != nil {
		return nil, err
	}
	if data.Org != nil {
		orgQ := PullContextQuery{Owner: q.Owner, Repo: ".github"}
		if out.Files.OrgPolicy, err = blobFile(data.Org.Policy, orgQ, "HEAD", policyPath); err != nil {
			return nil, err
		}
	}
	out.Comments = p.Comments.comments()
	for page := p.Comments.PageInfo; page.HasNextPage; {
		more, next, err := c.commentsPage(ctx, q, page.EndCursor)
		if err != nil {
			return nil, fmt.Errorf("read comments of %s: %w", pr, err)
		}
		out.Comments = append(out.Comments, more...)
		page = next
	}
	return out, nil
}

type pageInfo = struct {
	HasNextPage bool   `json:"hasNextPage"`
	EndCursor   string `json:"endCursor"`
}

func (c *Client) commentsPage(ctx context.Context, q PullContextQuery, after string) ([]reconcile.Comment, pageInfo, error) {
	var data struct {
		Repository struct {
			PullRequest struct {
				Comments gqlComments `json:"comments"`
			} `json:"pullRequest"`
		} `json:"repository"`
	}
	vars := map[string]any{"owner": q.Owner, "name": q.Repo, "number": q.Number, "after": nil}
	if after != "" {
		vars["after"] = after
	}
	_, err := c.graphql(ctx, "PolicyComments", pullCommentsQuery, vars, &data)
	cs := data.Repository.PullRequest.Comments
	return cs.comments(), cs.PageInfo, err
}

// Comments lists every comment of the pull request (used to check whether a
// comment whose creation response was lost did land).
func (c *Client) Comments(ctx context.Context, owner, repo string, number int) ([]reconcile.Comment, error) {
	q := PullContextQuery{Owner: owner, Repo: repo, Number: number}
	var all []reconcile.Comment
	cursor := ""
	for {
		page, info, err := c.commentsPage(ctx, q, cursor)
		if err != nil {
			return nil, fmt.Errorf("list comments of %s/%s#%d: %w", owner, repo, number, err)
		}
		all = append(all, page...)
		if !info.HasNextPage {
			return all, nil
		}
		cursor = info.EndCursor
	}
}

func blobFile(b *gqlBlob, q PullContextQuery, ref, path string) (*config.File, error) {
	if b == nil || (b.Text == nil && b.ByteSize == 0) {
		return nil, nil
	}
	src := config.Source{Repo: q.Owner + "/" + q.Repo, Ref: ref, Path: path}
	if b.Text == nil || b.IsTruncated {
		// GitHub leaves text out for binary blobs and truncates large ones; a
		// policy file must be read whole or not at all.
		return nil, fmt.Errorf("%s: file is binary or too large (%d bytes) to be a configuration", src, b.ByteSize)
	}
	return &config.File{Source: src, Data: []byte(*b.Text)}, nil
}

// restLogin gives a login in REST's form: GraphQL names a bot account
// "github-actions", REST and the web "github-actions[bot]".
func restLogin(login, typename string) string {
	if typename == "Bot" && !strings.HasSuffix(login, "[bot]") {
		return login + "[bot]"
	}
	return login
}

func ownerType(typename string) string {
	if typename == "Organization" {
		return "Organization"
	}
	return "User"
}
