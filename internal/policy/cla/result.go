// Package cla is the CLA rule engine: a pure function from the CLA
// configuration and a snapshot of a pull request to a verdict on every
// identity the pull request needs covered. It does no I/O and reads no
// clock: "now" is the snapshot's evaluation time.
//
// One rule per file: required.go (who must be covered and how each identity
// is resolved), allowlist.go (exemptions and bot anti-spoofing),
// individual.go (signatures and versions), corporate.go (approval rules),
// evaluate.go (first match wins, reason precedence), queries.go (what the
// snapshot builder must read). The spec is ../shared/research/cla.md §6.
package cla

import "github.com/contribution-policy/contribution-policy/internal/snapshot"

// Reason is why an identity is not covered (or covered with a warning). The
// strings are stable codes, part of the public JSON verdict (cla.md §6.3).
type Reason string

// Reasons.
const (
	MissingSignature        Reason = "MISSING_SIGNATURE"          // no signature, no allowlist entry, no corporate approval
	ResignRequired          Reason = "RESIGN_REQUIRED"            // signed only a version that no longer counts
	UnlinkedEmail           Reason = "UNLINKED_EMAIL"             // a commit email GitHub links to no account
	UnresolvedCoauthor      Reason = "UNRESOLVED_COAUTHOR"        // a Co-authored-by email GitHub links to no account
	CorpAckRequired         Reason = "CORP_ACK_REQUIRED"          // a corporate agreement covers them once they acknowledge it
	CorpInactive            Reason = "CORP_INACTIVE"              // the matching corporate agreement is suspended, terminated, expired or not yet signed
	OrgMembershipNotVisible Reason = "ORG_MEMBERSHIP_NOT_VISIBLE" // an org/team rule may match a concealed membership the token cannot see
	Revoked                 Reason = "REVOKED"                    // their signature was revoked
	BotNotAuthenticated     Reason = "BOT_NOT_AUTHENTICATED"      // an allowlisted bot's identity on a commit nobody can vouch for
	ResignSoon              Reason = "RESIGN_SOON"                // warning: covered by an older version during the grace period
)

// Conclusion is an identity's verdict. The strings are part of the JSON
// verdict.
type Conclusion string

// Conclusions.
const (
	Covered Conclusion = "covered" // covered (maybe with a warning, see Warning)
	Missing Conclusion = "missing" // not covered: the check fails
	Warning Conclusion = "warning" // not covered, but only warned about (coauthors: warn)
)

// Role is how an identity takes part in the pull request.
type Role string

// Roles.
const (
	RoleCommitAuthor Role = "commit_author"
	RoleCoauthor     Role = "coauthor"
	RoleCommitter    Role = "committer"
	RolePRAuthor     Role = "pr_author"
)

// Identity is one person (or bot) the pull request needs covered.
type Identity struct {
	// GitHubID and Login are the account; zero/empty when unresolved.
	GitHubID int64  `json:"github_id,omitempty"`
	Login    string `json:"login,omitempty"`
	Type     string `json:"type,omitempty"`
	// Name and Email are as written in the commit or trailer that first
	// named the identity (display only: never matched on).
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	// Unresolved identities are emails GitHub links to no account.
	Unresolved bool `json:"unresolved,omitempty"`
	// TrustedEmails are emails GitHub links to the account (the commit's own
	// author email when GitHub attributed the commit): what domain and email
	// approval rules may match. Noreply addresses are left out.
	TrustedEmails []string `json:"-"`
	Roles         []Role   `json:"roles"`
	// Commits are the SHAs the identity appears in, in commit order.
	Commits []string `json:"commits,omitempty"`
	// attributed are the indexes of the commits the identity authored or
	// committed (for the bot anti-spoofing rule).
	attributed []int
}

// Has reports whether the identity has role r.
func (id Identity) Has(r Role) bool {
	for _, x := range id.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// IsBot reports whether the account is a bot: GitHub says so, or its login
// ends in "[bot]", which GitHub reserves for App bot accounts.
func (id Identity) IsBot() bool {
	return id.Type == "Bot" || hasSuffixFold(id.Login, "[bot]")
}

// Display is how reports name the identity: @login, or the email.
func (id Identity) Display() string {
	if id.Login != "" {
		return "@" + id.Login
	}
	if id.Email != "" {
		return id.Email
	}
	return id.Name
}

// IdentityResult is the verdict on one identity.
type IdentityResult struct {
	Identity
	Conclusion Conclusion `json:"conclusion"`
	// Basis says why a covered identity is covered (cla.md §6.1):
	// "allowlist:github_id:49699333", "icla:2.0.0",
	// "ccla:ccla-acme/domain:acme.com".
	Basis string `json:"basis,omitempty"`
	// Reason is why it is not covered (or the warning when covered).
	Reason Reason `json:"reason,omitempty"`
	// Detail is one human sentence.
	Detail string `json:"detail"`
	// Company names the corporate agreement involved, if any.
	Company string `json:"company,omitempty"`
	// CorporateID is that agreement's id (for /cla ack).
	CorporateID string `json:"corporate_id,omitempty"`
	// SignedVersion is the version of the signature involved, if any.
	SignedVersion string `json:"signed_version,omitempty"`
}

// Agreement is the individual agreement as reports show it.
type Agreement struct {
	ID, Title, URL, Version string
	// GraceUntil is the end of the grace period ("2006-01-02"), if any.
	GraceUntil string
}

// Result is the CLA check's verdict on a pull request.
type Result struct {
	Identities []IdentityResult
	// Incomplete is set when the snapshot's commit list is shorter than
	// the pull request: identities may be missing, so the check fails.
	Incomplete  bool
	Seen, Total int
	// Unavailable is set when the signature store could not be used.
	Unavailable *snapshot.CLAUnavailable
	// Agreement is the individual agreement to sign; SignPhrase the exact
	// comment that signs it (placeholders filled in).
	Agreement  Agreement
	SignPhrase string
	// RebaseOnto is the commit to rebase onto when commits must be
	// rewritten (the parent of the pull request's first commit).
	RebaseOnto string
}

// Missing lists the identities that make the check fail.
func (r Result) Missing() []IdentityResult {
	return r.filter(func(x IdentityResult) bool { return x.Conclusion == Missing })
}

// Warnings lists the identities reported with a warning: not covered but
// not required (coauthors: warn), or covered during a grace period.
func (r Result) Warnings() []IdentityResult {
	return r.filter(func(x IdentityResult) bool { return x.Conclusion == Warning || x.Reason == ResignSoon })
}

// Covered lists the covered identities.
func (r Result) Covered() []IdentityResult {
	return r.filter(func(x IdentityResult) bool { return x.Conclusion == Covered })
}

// Passed reports whether nothing blocks: the store was usable, the commit
// list complete, and no identity is missing.
func (r Result) Passed() bool {
	return r.Unavailable == nil && !r.Incomplete && len(r.Missing()) == 0
}

func (r Result) filter(keep func(IdentityResult) bool) []IdentityResult {
	var out []IdentityResult
	for _, x := range r.Identities {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}
