package gh

import (
	"context"
	"fmt"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

// RepoContext is what evaluating commits outside a pull request (a merge
// group) needs: the repository and its configuration files at a commit.
type RepoContext struct {
	Repo  snapshot.Repository
	Files config.Files
}

const repoContextQuery = `query RepoContext($owner: String!, $name: String!, $policy: String!, $dco: String!, $orgPolicy: String!) {
  repository(owner: $owner, name: $name) {
    owner { login __typename }
    policy: object(expression: $policy) { ...file }
    dco: object(expression: $dco) { ...file }
  }
  org: repository(owner: $owner, name: ".github") {
    policy: object(expression: $orgPolicy) { ...file }
  }
}
fragment file on GitObject { ... on Blob { text isTruncated byteSize } }`

// RepoContextAt reads the repository and its configuration files at ref.
func (c *Client) RepoContextAt(ctx context.Context, owner, repo, ref, policyPath string) (*RepoContext, error) {
	if policyPath == "" {
		policyPath = config.PolicyPath
	}
	var data struct {
		Repository *struct {
			Owner struct {
				Login    string `json:"login"`
				Typename string `json:"__typename"`
			} `json:"owner"`
			Policy *gqlBlob `json:"policy"`
			DCO    *gqlBlob `json:"dco"`
		} `json:"repository"`
		Org *struct {
			Policy *gqlBlob `json:"policy"`
		} `json:"org"`
	}
	vars := map[string]any{"owner": owner, "name": repo, "policy": ref + ":" + policyPath, "dco": ref + ":" + config.DCOPath, "orgPolicy": "HEAD:" + policyPath}
	if _, err := c.graphql(ctx, "RepoContext", repoContextQuery, vars, &data, "org"); err != nil {
		return nil, fmt.Errorf("read context of %s/%s@%s: %w", owner, repo, short(ref), err)
	}
	if data.Repository == nil {
		return nil, fmt.Errorf("read context of %s/%s: repository not found", owner, repo)
	}
	q := PullContextQuery{Owner: owner, Repo: repo}
	out := &RepoContext{Repo: snapshot.Repository{Owner: owner, Name: repo, OwnerType: ownerType(data.Repository.Owner.Typename)}}
	var err error
	if out.Files.Policy, err = blobFile(data.Repository.Policy, q, ref, policyPath); err != nil {
		return nil, err
	}
	if out.Files.DCO, err = blobFile(data.Repository.DCO, q, ref, config.DCOPath); err != nil {
		return nil, err
	}
	if data.Org != nil {
		if out.Files.OrgPolicy, err = blobFile(data.Org.Policy, PullContextQuery{Owner: owner, Repo: ".github"}, "HEAD", policyPath); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CompareCommits reads the commits of base...head (paginated, no cap).
func (c *Client) CompareCommits(ctx context.Context, owner, repo, base, head string) ([]snapshot.Commit, error) {
	return c.compareCommits(ctx, owner, repo, base, head)
}
