package cla

import (
	"sort"
	"strings"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

// SignatureQuery is what the snapshot builder must read from the store: the
// records of these accounts for these agreements (the individual agreement
// and the corporate agreements that need an acknowledgement).
type SignatureQuery struct {
	GitHubIDs  []int64
	Agreements []string
}

// SignatureQueries lists the accounts whose signatures can change the
// verdict: resolved identities that the allowlist does not already cover.
// IDs are sorted and distinct.
func SignatureQueries(cfg config.CLA, s *snapshot.Snapshot) SignatureQuery {
	var q SignatureQuery
	if a := IndividualAgreement(cfg); a != nil {
		q.Agreements = append(q.Agreements, a.ID)
	}
	for _, ca := range cfg.Corporate {
		if ca.RequireAck {
			q.Agreements = append(q.Agreements, ca.ID)
		}
	}
	seen := map[int64]bool{}
	for _, id := range Required(cfg, s) {
		if id.GitHubID <= 0 || seen[id.GitHubID] {
			continue
		}
		if basis := allowlisted(cfg.Allowlist, id); basis != "" && (!id.IsBot() || authenticatedBot(id, s)) {
			continue
		}
		seen[id.GitHubID] = true
		q.GitHubIDs = append(q.GitHubIDs, id.GitHubID)
	}
	sort.Slice(q.GitHubIDs, func(i, j int) bool { return q.GitHubIDs[i] < q.GitHubIDs[j] })
	return q
}

// MembershipQuery is one organisation (Team empty) or team membership the
// snapshot builder must read.
type MembershipQuery struct {
	Org, Team string
	GitHubID  int64
	Login     string
}

// MembershipQueries lists the memberships that can change the verdict, so
// the snapshot builder asks GitHub about those and no others: for each
// identity that nothing else covers (allowlist, signature, a corporate rule
// not based on membership), the github_org and github_team rules of the
// corporate agreements. s must already carry the signatures.
func MembershipQueries(cfg config.CLA, s *snapshot.Snapshot) []MembershipQuery {
	var rules []config.Approval
	for _, ca := range cfg.Corporate {
		for _, ap := range ca.Approvals {
			if ap.Type == config.ApproveOrg || ap.Type == config.ApproveTeam {
				rules = append(rules, ap)
			}
		}
	}
	if len(rules) == 0 {
		return nil
	}
	// Judge without any membership: whoever is still missing (or warned
	// about) is whom a membership could cover.
	bare := *s
	if s.CLA != nil {
		f := *s.CLA
		f.Memberships = nil
		bare.CLA = &f
	}
	r := Evaluate(cfg, &bare)
	var out []MembershipQuery
	seen := map[MembershipQuery]bool{}
	for _, x := range r.Identities {
		if x.Conclusion == Covered || x.GitHubID == 0 || x.Login == "" {
			continue
		}
		for _, ap := range rules {
			q := MembershipQuery{Org: ap.Org, GitHubID: x.GitHubID, Login: x.Login}
			if ap.Type == config.ApproveTeam {
				q.Team = ap.Team
			}
			k := q
			k.Org, k.Team, k.Login = strings.ToLower(k.Org), strings.ToLower(k.Team), ""
			if !seen[k] {
				seen[k] = true
				out = append(out, q)
			}
		}
	}
	return out
}
