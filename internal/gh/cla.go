package gh

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

const coauthorsQuery = `query CoAuthors($owner: String!, $name: String!%s) {
  repository(owner: $owner, name: $name) {
%s  }
}
fragment authors on Commit { authors(first: 30) { nodes { name email user { login databaseId } } } }`

// CoAuthors resolves the Co-authored-by identities of commits the way
// GitHub does (GraphQL Commit.authors: the git author first, then one entry
// per trailer, with the account GitHub links the email to). It returns, per
// SHA, the co-authors (the entries after the first). One query per 50
// commits; the caller passes only commits that have trailers.
func (c *Client) CoAuthors(ctx context.Context, owner, repo string, shas []string) (map[string][]snapshot.Identity, error) {
	out := make(map[string][]snapshot.Identity, len(shas))
	const chunk = 50
	for lo := 0; lo < len(shas); lo += chunk {
		part := shas[lo:min(lo+chunk, len(shas))]
		vars := map[string]any{"owner": owner, "name": repo}
		decl, sel := aliased(vars, "c", "GitObjectID!", len(part), func(i int) (string, any) {
			return fmt.Sprintf("c%d: object(oid: $c%d) { ...authors }", i, i), part[i]
		})
		var data struct {
			Repository map[string]*struct {
				Authors struct {
					Nodes []struct {
						Name  string `json:"name"`
						Email string `json:"email"`
						User  *struct {
							Login      string `json:"login"`
							DatabaseID int64  `json:"databaseId"`
						} `json:"user"`
					} `json:"nodes"`
				} `json:"authors"`
			} `json:"repository"`
		}
		q := fmt.Sprintf(coauthorsQuery, decl, sel)
		if _, err := c.graphql(ctx, "CoAuthors", q, vars, &data); err != nil {
			return nil, fmt.Errorf("read co-authors of %d commits of %s/%s: %w", len(part), owner, repo, err)
		}
		for i, sha := range part {
			obj := data.Repository["c"+strconv.Itoa(i)]
			if obj == nil || len(obj.Authors.Nodes) < 2 {
				continue
			}
			for _, n := range obj.Authors.Nodes[1:] {
				id := snapshot.Identity{Name: n.Name, Email: n.Email}
				if n.User != nil && n.User.Login != "" {
					// GitActor.user is a User: bots never resolve here.
					id.Login, id.ID, id.Type = n.User.Login, n.User.DatabaseID, "User"
				}
				out[sha] = append(out[sha], id)
			}
		}
	}
	return out, nil
}

// OrgMembership reports whether login is a member of org, and whether the
// token could see private memberships: GitHub redirects a token that
// cannot to the public-membership check, so "not a member" then may be a
// concealed membership.
func (c *Client) OrgMembership(ctx context.Context, org, login string) (member, visible bool, err error) {
	ok, resp, err := c.rest.Organizations.IsMember(ctx, org, login)
	if err != nil {
		return false, false, fmt.Errorf("check membership of %s in %s: %w", login, org, ctxErr(ctx, err))
	}
	visible = true
	if resp != nil && resp.Response != nil && resp.Response.Request != nil &&
		strings.Contains(resp.Response.Request.URL.Path, "/public_members/") {
		visible = false
	}
	return ok, visible, nil
}

const teamMembershipQuery = `query TeamMembership($org: String!, $team: String!, $login: String!) {
  organization(login: $org) {
    team(slug: $team) { members(query: $login, first: 100, membership: ALL) { nodes { login databaseId } } }
  }
}`

// TeamMembership reports whether the account id (login) is a member of
// org's team, and whether the token could see the team at all (secret
// teams and tokens without members:read see nothing).
func (c *Client) TeamMembership(ctx context.Context, org, team, login string, id int64) (member, visible bool, err error) {
	var data struct {
		Organization *struct {
			Team *struct {
				Members struct {
					Nodes []struct {
						Login      string `json:"login"`
						DatabaseID int64  `json:"databaseId"`
					} `json:"nodes"`
				} `json:"members"`
			} `json:"team"`
		} `json:"organization"`
	}
	vars := map[string]any{"org": org, "team": team, "login": login}
	if _, err := c.graphql(ctx, "TeamMembership", teamMembershipQuery, vars, &data, "organization"); err != nil {
		return false, false, fmt.Errorf("check membership of %s in %s/%s: %w", login, org, team, err)
	}
	if data.Organization == nil || data.Organization.Team == nil {
		return false, false, nil
	}
	for _, n := range data.Organization.Team.Members.Nodes {
		if (id != 0 && n.DatabaseID == id) || (id == 0 && strings.EqualFold(n.Login, login)) {
			return true, true, nil
		}
	}
	return false, true, nil
}
