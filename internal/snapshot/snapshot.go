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
	Repository  Repository  `json:"repository"`
	PullRequest PullRequest `json:"pull_request"`
	Commits     []Commit    `json:"commits"`

	// CommitCount is how many commits GitHub says the pull request has. When it
	// is larger than len(Commits), the list is known to be incomplete and the
	// DCO check fails closed instead of passing on what it saw. Zero means
	// "the same as len(Commits)" (offline snapshots).
	CommitCount int `json:"commit_count,omitempty"`

	// OrgMembers lists logins confirmed, with a token that can see them, to be
	// members of the organisation that owns the repository. Only consulted for
	// the DCO member exemption; absence means "not a member or not visible".
	OrgMembers []string `json:"org_members,omitempty"`

	// Event is the trigger being evaluated ("pull_request", "merge_group", ...);
	// empty for offline snapshots, which are judged as pull requests.
	Event string `json:"event,omitempty"`

	// Config is the repository configuration, only in offline snapshots: the
	// API path reads it from the base branch instead. Kept raw so that config
	// errors can point at their own line and column.
	Config json.RawMessage `json:"config,omitempty"`
}

// Repository identifies the base repository of the pull request.
type Repository struct {
	Owner string `json:"owner"`
	Name  string `json:"name"`
	// OwnerType is "Organization" or "User"; it decides what "member" means.
	OwnerType string `json:"owner_type"`
}

// FullName is "owner/name".
func (r Repository) FullName() string { return r.Owner + "/" + r.Name }

// PullRequest is the pull request being judged.
type PullRequest struct {
	Number    int       `json:"number"`
	CreatedAt time.Time `json:"created_at"`
	Author    Account   `json:"author"`
	// AuthorAssociation is GitHub's author_association at evaluation time
	// (FIRST_TIME_CONTRIBUTOR, MEMBER, ...). A hint only: GitHub reports
	// private members as CONTRIBUTOR.
	AuthorAssociation string   `json:"author_association,omitempty"`
	BaseSHA           string   `json:"base_sha"`
	HeadSHA           string   `json:"head_sha"`
	BaseRef           string   `json:"base_ref,omitempty"`
	HeadRef           string   `json:"head_ref,omitempty"`
	Title             string   `json:"title,omitempty"`
	Draft             bool     `json:"draft,omitempty"`
	Labels            []string `json:"labels,omitempty"`
}

// Account is a GitHub account.
type Account struct {
	Login string `json:"login"`
	ID    int64  `json:"id"`
	// Type is GitHub's account type: "User", "Bot" or "Organization". Bots are
	// recognised by this field only, never by a name or an email.
	Type string `json:"type"`
}

// IsBot reports whether GitHub says the account is a bot.
func (a Account) IsBot() bool { return a.Type == "Bot" }

// Commit is one commit of the pull request.
type Commit struct {
	SHA     string   `json:"sha"`
	Parents []string `json:"parents"`
	Message string   `json:"message"`
	// Verified is GitHub's signature verification verdict for the commit.
	Verified  bool     `json:"verified"`
	Author    Identity `json:"author"`
	Committer Identity `json:"committer"`
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
	Name  string `json:"name"`
	Email string `json:"email"`
	Login string `json:"login,omitempty"`
	ID    int64  `json:"id,omitempty"`
	Type  string `json:"type,omitempty"`
}

// Linked reports whether GitHub links this identity to an account.
func (i Identity) Linked() bool { return i.Login != "" }

// Account returns the linked GitHub account (zero when unlinked).
func (i Identity) Account() Account { return Account{Login: i.Login, ID: i.ID, Type: i.Type} }

// IsBot reports whether GitHub links the identity to a bot account.
func (i Identity) IsBot() bool { return i.Type == "Bot" }
