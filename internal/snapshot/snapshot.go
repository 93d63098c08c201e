// Package snapshot defines the facts the policy engine judges: one pull
// request, its commits and the identities behind them. The GitHub adapter
// builds a Snapshot from the API; `check --snapshot` reads one from a file.
// The JSON form is a public, documented format (docs/snapshot.md and
// snapshot.schema.json), so field names are part of the contract.
package snapshot

import (
	"encoding/json"
	"time"
)

// Snapshot is everything policy.Evaluate needs. It holds no handles, clients
// or clocks, so evaluation is a pure function of it and the config.
type Snapshot struct {
	Repository  Repository  `json:"repository" required:"true" doc:"The base repository of the pull request."`
	PullRequest PullRequest `json:"pull_request" required:"true" doc:"The pull request being judged."`
	Commits     []Commit    `json:"commits" required:"true" doc:"The pull request's commits, oldest first."`

	// CommitCount is how many commits GitHub says the pull request has. When it
	// is larger than len(Commits), the list is known to be incomplete and the
	// DCO check fails closed instead of passing on what it saw. Zero means
	// "the same as len(Commits)" (offline snapshots).
	CommitCount int `json:"commit_count,omitempty" minimum:"0" doc:"How many commits GitHub says the pull request has; when larger than the list, the list is incomplete and the DCO check fails closed. 0 means the length of commits."`

	// OrgMembers lists logins confirmed, with a token that can see them, to be
	// members of the organisation that owns the repository. Only consulted for
	// the DCO member exemption; absence means "not a member or not visible".
	OrgMembers []string `json:"org_members,omitempty" minLength:"1" doc:"Logins confirmed to be members of the organisation owning the repository (for the DCO member exemption)."`

	// Event is the trigger being evaluated ("pull_request", "merge_group", ...);
	// empty for offline snapshots, which are judged as pull requests.
	Event string `json:"event,omitempty" doc:"The triggering event (pull_request, merge_group, ...); empty for offline snapshots."`

	// EvaluatedAt is "now" for the engine, which reads no clock: CLA grace
	// periods and corporate expiry are judged at this time. The pipeline sets
	// it from its injected clock.
	EvaluatedAt time.Time `json:"evaluated_at,omitzero" doc:"When the pull request is judged (RFC 3339): CLA grace periods and corporate agreement expiry are checked at this time. Absent: the pull request's created_at."`

	// CLA holds the CLA check's facts; absent means no signatures.
	CLA *CLAFacts `json:"cla,omitempty" doc:"Facts for the CLA check: signatures, memberships, store availability."`

	// Affiliation holds the affiliation check's and the guidance's facts
	// (affiliation.go); absent means none were read.
	Affiliation *AffiliationFacts `json:"affiliation,omitempty" doc:"Facts for the affiliation check and the first-time guidance: profile, memberships, overrides, first-timer search."`

	// Config is the repository configuration, only in offline snapshots: the
	// API path reads it from the base branch instead. Kept raw so that config
	// errors can point at their own line and column.
	Config json.RawMessage `json:"config,omitempty" doc:"The repository configuration, as in .github/contribution-policy.yml; absent means the defaults."`
}

// Repository identifies the base repository of the pull request.
type Repository struct {
	Owner string `json:"owner" required:"true" minLength:"1" doc:"The owner's login."`
	Name  string `json:"name" required:"true" minLength:"1" doc:"The repository name."`
	// OwnerType is "Organization" or "User"; it decides what "member" means.
	OwnerType string `json:"owner_type" required:"true" enum:"Organization,User" doc:"The owner's account type; decides what member means."`
}

// FullName is "owner/name".
func (r Repository) FullName() string { return r.Owner + "/" + r.Name }

// PullRequest is the pull request being judged.
type PullRequest struct {
	Number    int       `json:"number" required:"true" minimum:"1" doc:"The pull request number."`
	CreatedAt time.Time `json:"created_at" required:"true" doc:"When the pull request was opened (RFC 3339)."`
	Author    Account   `json:"author" required:"true" doc:"The pull request author."`
	// AuthorAssociation is GitHub's author_association at evaluation time
	// (FIRST_TIME_CONTRIBUTOR, MEMBER, ...). A hint only: GitHub reports
	// private members as CONTRIBUTOR.
	AuthorAssociation string   `json:"author_association,omitempty" doc:"GitHub's author_association (a hint only)."`
	BaseSHA           string   `json:"base_sha" required:"true" pattern:"^([0-9a-f]{40}|[0-9a-f]{64})$" patternDoc:"a full commit SHA (40 or 64 lowercase hexadecimal characters)" doc:"The base commit."`
	HeadSHA           string   `json:"head_sha" required:"true" pattern:"^([0-9a-f]{40}|[0-9a-f]{64})$" patternDoc:"a full commit SHA (40 or 64 lowercase hexadecimal characters)" doc:"The head commit."`
	BaseRef           string   `json:"base_ref,omitempty" doc:"The base branch."`
	HeadRef           string   `json:"head_ref,omitempty" doc:"The head branch."`
	Title             string   `json:"title,omitempty" doc:"The pull request title."`
	Draft             bool     `json:"draft,omitempty" doc:"Whether the pull request is a draft."`
	Labels            []string `json:"labels,omitempty" doc:"The pull request's label names."`
}

// Account is a GitHub account.
type Account struct {
	Login string `json:"login" required:"true" minLength:"1" doc:"The account login."`
	ID    int64  `json:"id" doc:"The account id."`
	// Type is GitHub's account type: "User", "Bot" or "Organization". Bots are
	// recognised by this field only, never by a name or an email.
	Type string `json:"type" enum:"User,Bot,Organization," doc:"GitHub's account type."`
}

// IsBot reports whether GitHub says the account is a bot.
func (a Account) IsBot() bool { return a.Type == "Bot" }

// Commit is one commit of the pull request.
type Commit struct {
	SHA     string   `json:"sha" required:"true" pattern:"^([0-9a-f]{40}|[0-9a-f]{64})$" patternDoc:"a full commit SHA (40 or 64 lowercase hexadecimal characters)" doc:"The commit SHA."`
	Parents []string `json:"parents" pattern:"^([0-9a-f]{40}|[0-9a-f]{64})$" patternDoc:"a full commit SHA (40 or 64 lowercase hexadecimal characters)" doc:"Parent SHAs; empty for a root commit, two or more for a merge."`
	Message string   `json:"message" required:"true" doc:"The full commit message."`
	// Verified is GitHub's signature verification verdict for the commit.
	Verified  bool     `json:"verified" doc:"Whether GitHub verified the commit's signature."`
	Author    Identity `json:"author" required:"true" doc:"The git author."`
	Committer Identity `json:"committer" required:"true" doc:"The git committer."`
	// CoAuthors are the commit's Co-authored-by identities as GitHub resolved
	// them (GraphQL Commit.authors after the first), so a co-author whose
	// email GitHub links to an account carries that account.
	CoAuthors []Identity `json:"coauthors,omitempty" doc:"The Co-authored-by identities with the accounts GitHub links their emails to; a trailer without an entry here is unresolved unless its email is an ID+login noreply address."`
}

// IsMerge reports whether the commit has more than one parent.
func (c Commit) IsMerge() bool { return len(c.Parents) > 1 }

// Subject is the first line of the message.
func (c Commit) Subject() string {
	for i := 0; i < len(c.Message); i++ {
		if c.Message[i] == '\n' || c.Message[i] == '\r' {
			return c.Message[:i]
		}
	}
	return c.Message
}

// Identity is a git identity (name and email from the commit object) plus the
// GitHub account GitHub linked it to, if any. Login, ID and Type are empty
// when GitHub links the email to no account.
type Identity struct {
	Name  string `json:"name" required:"true" doc:"The git name."`
	Email string `json:"email" required:"true" doc:"The git email."`
	Login string `json:"login,omitempty" doc:"The GitHub account the email is linked to, if any."`
	ID    int64  `json:"id,omitempty" doc:"That account's id."`
	Type  string `json:"type,omitempty" enum:"User,Bot,Organization," doc:"That account's type."`
}

// Linked reports whether GitHub links this identity to an account.
func (i Identity) Linked() bool { return i.Login != "" }

// Account returns the linked GitHub account (zero when unlinked).
func (i Identity) Account() Account { return Account{Login: i.Login, ID: i.ID, Type: i.Type} }

// IsBot reports whether GitHub links the identity to a bot account.
func (i Identity) IsBot() bool { return i.Type == "Bot" }
