package cla

import (
	"crypto/sha1"
	"encoding/hex"
	"strconv"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

// Identities used across the tests.
var (
	ann     = snapshot.Identity{Name: "Ann Lee", Email: "ann@example.org", Login: "ann", ID: 1, Type: "User"}
	bob     = snapshot.Identity{Name: "Bob Roe", Email: "bob@acme.com", Login: "bob", ID: 2, Type: "User"}
	cy      = snapshot.Identity{Name: "Cy Unlinked", Email: "cy@laptop.local"} // no GitHub account
	dee     = snapshot.Identity{Name: "Dee", Email: "dee@eu.acme.com", Login: "dee", ID: 4, Type: "User"}
	maint   = snapshot.Identity{Name: "Maintainer", Email: "maint@example.org", Login: "maint", ID: 5, Type: "User"}
	webflow = snapshot.Identity{Name: "GitHub", Email: "noreply@github.com", Login: "web-flow", ID: 19864447, Type: "User"}
	depbot  = snapshot.Identity{Name: "dependabot[bot]", Email: "49699333+dependabot[bot]@users.noreply.github.com", Login: "dependabot[bot]", ID: 49699333, Type: "Bot"}
)

var (
	now    = time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)
	before = now.Add(-30 * 24 * time.Hour)
	later  = now.Add(30 * 24 * time.Hour)
)

func sha(n int) string {
	s := sha1.Sum([]byte("commit " + strconv.Itoa(n)))
	return hex.EncodeToString(s[:])
}

// cfg is an enabled CLA configuration with an individual agreement v2.0.
func cfg(opts ...func(*config.CLA)) config.CLA {
	c := config.DefaultCLA()
	c.Enabled = true
	c.Agreements = []config.Agreement{{ID: "icla", Title: "Acme CLA", URL: "https://example.org/icla", Version: "2.0"}}
	for _, o := range opts {
		o(&c)
	}
	return c
}

func commit(author snapshot.Identity, message string) snapshot.Commit {
	return snapshot.Commit{Author: author, Committer: author, Message: message}
}

func committed(c snapshot.Commit, committer snapshot.Identity) snapshot.Commit {
	c.Committer = committer
	return c
}

func verified(c snapshot.Commit) snapshot.Commit { c.Verified = true; return c }

func withCoauthors(c snapshot.Commit, resolved ...snapshot.Identity) snapshot.Commit {
	c.CoAuthors = resolved
	return c
}

// pr builds a snapshot of commits by prAuthor evaluated at now.
func pr(prAuthor snapshot.Identity, commits ...snapshot.Commit) *snapshot.Snapshot {
	s := &snapshot.Snapshot{
		Repository:  snapshot.Repository{Owner: "acme", Name: "widget", OwnerType: "Organization"},
		PullRequest: snapshot.PullRequest{Number: 7, BaseSHA: sha(0), CreatedAt: before, Author: prAuthor.Account()},
		EvaluatedAt: now,
		CLA:         &snapshot.CLAFacts{},
	}
	for i, c := range commits {
		c.SHA = sha(i + 1)
		c.Parents = []string{sha(i)}
		s.Commits = append(s.Commits, c)
	}
	if len(commits) > 0 {
		s.PullRequest.HeadSHA = s.Commits[len(s.Commits)-1].SHA
	}
	return s
}

func signed(s *snapshot.Snapshot, who snapshot.Identity, version string) *snapshot.Snapshot {
	s.CLA.Signatures = append(s.CLA.Signatures, snapshot.Signature{AgreementID: "icla", Version: version, GitHubID: who.ID, Login: who.Login, SignedAt: before})
	return s
}

func member(s *snapshot.Snapshot, who snapshot.Identity, org, team string, isMember, visible bool) *snapshot.Snapshot {
	s.CLA.Memberships = append(s.CLA.Memberships, snapshot.Membership{Org: org, Team: team, GitHubID: who.ID, Login: who.Login, Member: isMember, Visible: visible})
	return s
}

// acmeCorp is an active corporate agreement approving acme.com.
func acmeCorp(approvals ...config.Approval) config.CorporateAgreement {
	if len(approvals) == 0 {
		approvals = []config.Approval{{Type: config.ApproveDomain, Value: "acme.com"}}
	}
	return config.CorporateAgreement{ID: "ccla-acme", Company: "Acme", Approvals: approvals}
}

// verdict is the part of an identity's result the tables compare.
type verdict struct {
	Who        string
	Conclusion Conclusion
	Basis      string
	Reason     Reason
}

func verdicts(r Result) []verdict {
	var out []verdict
	for _, x := range r.Identities {
		out = append(out, verdict{Who: x.Display(), Conclusion: x.Conclusion, Basis: x.Basis, Reason: x.Reason})
	}
	return out
}
