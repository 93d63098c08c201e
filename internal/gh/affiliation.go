package gh

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// AffiliationQuery names the parts of AffiliationState to read; each part
// is read only when asked for (GraphQL @include), and all in one query.
type AffiliationQuery struct {
	Owner, Repo string
	Number      int
	// Label: does this repository label exist (to create it with a colour
	// and a description first)? "" = not asked.
	Label string
	// Timeline: who added and removed the pull request's labels (the last
	// 100 such events), to leave alone the labels people set.
	Timeline bool
	// Search is a search query for the author's earlier pull requests
	// ("is:pr author:LOGIN repo:O/R created:<T"); "" = not asked.
	Search string
	// Member is a login whose membership of Owner (an organisation) to
	// check, as far as the token can see; "" = not asked.
	Member string
}

// LabelEvent is one labelled or unlabelled event of a pull request.
type LabelEvent struct {
	Label string
	Actor string // login in REST's form ("github-actions[bot]"); "" = a deleted account
	Added bool
	At    time.Time
}

// SearchHit is one pull request the search found.
type SearchHit struct {
	Repo      string
	Number    int
	CreatedAt time.Time
	Merged    bool
}

// AffiliationState is what AffiliationQuery read.
type AffiliationState struct {
	LabelExists bool
	LabelEvents []LabelEvent // oldest first
	SearchTotal int
	SearchHits  []SearchHit // newest first
	Searched    bool
	Member      bool
}

const affiliationQuery = `query AffiliationState($owner: String!, $name: String!, $number: Int!, $label: String!, $withLabel: Boolean!, $withTimeline: Boolean!, $search: String!, $withSearch: Boolean!, $login: String!, $withMember: Boolean!) {
  repository(owner: $owner, name: $name) {
    label(name: $label) @include(if: $withLabel) { name }
    pullRequest(number: $number) @include(if: $withTimeline) {
      timelineItems(itemTypes: [LABELED_EVENT, UNLABELED_EVENT], last: 100) {
        nodes {
          __typename
          ... on LabeledEvent { createdAt actor { login __typename } label { name } }
          ... on UnlabeledEvent { createdAt actor { login __typename } label { name } }
        }
      }
    }
  }
  search(query: $search, type: ISSUE, first: 20) @include(if: $withSearch) {
    issueCount
    nodes { ... on PullRequest { number createdAt merged repository { nameWithOwner } } }
  }
  user(login: $login) @include(if: $withMember) { organization(login: $owner) { login } }
}`

// AffiliationState reads, in one GraphQL query, the parts q asks for.
func (c *Client) AffiliationState(ctx context.Context, q AffiliationQuery) (*AffiliationState, error) {
	var data struct {
		Repository *struct {
			Label *struct {
				Name string `json:"name"`
			} `json:"label"`
			PullRequest *struct {
				TimelineItems struct {
					Nodes []struct {
						Typename  string    `json:"__typename"`
						CreatedAt time.Time `json:"createdAt"`
						Actor     *struct {
							Login    string `json:"login"`
							Typename string `json:"__typename"`
						} `json:"actor"`
						Label *struct {
							Name string `json:"name"`
						} `json:"label"`
					} `json:"nodes"`
				} `json:"timelineItems"`
			} `json:"pullRequest"`
		} `json:"repository"`
		Search *struct {
			IssueCount int `json:"issueCount"`
			Nodes      []struct {
				Number     int       `json:"number"`
				CreatedAt  time.Time `json:"createdAt"`
				Merged     bool      `json:"merged"`
				Repository *struct {
					NameWithOwner string `json:"nameWithOwner"`
				} `json:"repository"`
			} `json:"nodes"`
		} `json:"search"`
		User *struct {
			Organization *struct {
				Login string `json:"login"`
			} `json:"organization"`
		} `json:"user"`
	}
	vars := map[string]any{
		"owner": q.Owner, "name": q.Repo, "number": q.Number,
		"label": q.Label, "withLabel": q.Label != "", "withTimeline": q.Timeline,
		"search": q.Search, "withSearch": q.Search != "",
		"login": q.Member, "withMember": q.Member != "",
	}
	// A login that is no user (a deleted account) is simply no member.
	if _, err := c.graphql(ctx, "AffiliationState", affiliationQuery, vars, &data, "user"); err != nil {
		return nil, fmt.Errorf("read the affiliation state of %s/%s#%d: %w", q.Owner, q.Repo, q.Number, err)
	}
	out := &AffiliationState{}
	if r := data.Repository; r != nil {
		out.LabelExists = r.Label != nil
		if r.PullRequest != nil {
			for _, n := range r.PullRequest.TimelineItems.Nodes {
				if n.Label == nil || (n.Typename != "LabeledEvent" && n.Typename != "UnlabeledEvent") {
					continue
				}
				ev := LabelEvent{Label: n.Label.Name, Added: n.Typename == "LabeledEvent", At: n.CreatedAt}
				if n.Actor != nil {
					ev.Actor = restLogin(n.Actor.Login, n.Actor.Typename)
				}
				out.LabelEvents = append(out.LabelEvents, ev)
			}
		}
	}
	if s := data.Search; s != nil {
		out.Searched, out.SearchTotal = true, s.IssueCount
		for _, n := range s.Nodes {
			if n.Number == 0 || n.Repository == nil {
				continue // an issue, not a pull request
			}
			out.SearchHits = append(out.SearchHits, SearchHit{Repo: n.Repository.NameWithOwner, Number: n.Number, CreatedAt: n.CreatedAt, Merged: n.Merged})
		}
	}
	out.Member = data.User != nil && data.User.Organization != nil
	return out, nil
}

const blobOIDsQuery = `query BlobOIDs($owner: String!, $name: String!%s) {
  repository(owner: $owner, name: $name) {
%s  }
}`

// BlobOIDs returns the blob ids of files at ref, in one GraphQL query
// (content not read): what a cache of parsed files is keyed by. Missing
// files are absent.
func (c *Client) BlobOIDs(ctx context.Context, owner, repo, ref string, paths []string) (map[string]string, error) {
	out := make(map[string]string, len(paths))
	if len(paths) == 0 {
		return out, nil
	}
	vars := map[string]any{"owner": owner, "name": repo}
	decl, sel := aliased(vars, "p", "String!", len(paths), func(i int) (string, any) {
		return fmt.Sprintf("f%d: object(expression: $p%d) { ... on Blob { oid } }", i, i), ref + ":" + paths[i]
	})
	var data struct {
		Repository map[string]*struct {
			OID string `json:"oid"`
		} `json:"repository"`
	}
	if _, err := c.graphql(ctx, "BlobOIDs", fmt.Sprintf(blobOIDsQuery, decl, sel), vars, &data); err != nil {
		return nil, fmt.Errorf("read blob ids in %s/%s@%s: %w", owner, repo, ref, err)
	}
	for i, p := range paths {
		if b := data.Repository["f"+strconv.Itoa(i)]; b != nil && b.OID != "" {
			out[p] = b.OID
		}
	}
	return out, nil
}
