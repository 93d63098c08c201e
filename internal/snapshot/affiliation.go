package snapshot

import "time"

// AffiliationFacts are what GitHub and the override store say about the
// pull request's author, for the affiliation check and the first-time
// guidance (affiliation.md §7, §3.4). Commit e-mails are not repeated here:
// the engine takes them from commits (linked when GitHub attributes the
// identity to the author's account; verified only for the committer address
// of a verified commit). Absent fields mean "not read", which is never taken
// as evidence.
type AffiliationFacts struct {
	// Action is the pull_request event's action; guidance is first shown
	// on opened or reopened only.
	Action string `json:"action,omitempty" doc:"The pull_request event's action (opened, reopened, synchronize, ...): first-time guidance is added on opened or reopened only, and kept afterwards."`
	// GuidanceShown: the policy comment already carries the guidance
	// section, which then stays (edited in place, never posted twice).
	GuidanceShown bool `json:"guidance_shown,omitempty" doc:"Whether the policy comment already carries the guidance section; once shown it stays."`

	ProfileCompany string                `json:"profile_company,omitempty" doc:"The company field of the author's GitHub profile (free text, self-asserted: low confidence)."`
	Orgs           []string              `json:"orgs,omitempty" minLength:"1" doc:"Organisations the author is a member of, as far as the token could see (public memberships at least)."`
	VerifiedEmails []VerifiedEmail       `json:"verified_emails,omitempty" doc:"E-mail addresses an organisation verified for the author (GraphQL organizationVerifiedDomainEmails)."`
	Overrides      []AffiliationOverride `json:"overrides,omitempty" doc:"Stored /affiliation commands about the author; the latest wins."`
	CLA            []CLACoverage         `json:"cla,omitempty" doc:"Corporate CLA coverage of the author found outside this snapshot's CLA check (e.g. another CLA system); the CLA check's own corporate coverage is used as well."`

	// Trusted: confirmed, with a token that can see it, to be a member of
	// the owning organisation or to have write access.
	Trusted bool `json:"trusted,omitempty" doc:"The author is confirmed to be a member of the owning organisation (private membership included) or to have write access: never a first-timer."`
	// PriorPRs is the search for the author's earlier pull requests in
	// scope; nil when not searched.
	PriorPRs *PriorPRs `json:"prior_prs,omitempty" doc:"The search for the author's pull requests in scope (repo or org); absent when not searched."`
	// PriorMergedPRs and PriorCommits are counts when known.
	PriorMergedPRs *int `json:"prior_merged_prs,omitempty" minimum:"0" doc:"How many of the author's earlier pull requests in scope were merged; absent when unknown."`
	PriorCommits   *int `json:"prior_commits,omitempty" minimum:"0" doc:"How many commits the author made on the default branch; absent when unknown."`
}

// VerifiedEmail is an address an organisation verified for the author.
type VerifiedEmail struct {
	Email string `json:"email" required:"true" minLength:"3" doc:"The address."`
	Org   string `json:"org" required:"true" minLength:"1" doc:"The organisation that verified its domain."`
}

// AffiliationOverride is one stored "/affiliation <Company>" or
// "/affiliation none".
type AffiliationOverride struct {
	Company string    `json:"company,omitempty" doc:"The declared company (Independent is a company value too)."`
	None    bool      `json:"none,omitempty" doc:"/affiliation none: opt out, no label."`
	By      string    `json:"by,omitempty" doc:"Who gave it: the author or a maintainer."`
	At      time.Time `json:"at" required:"true" doc:"When (RFC 3339); the latest override wins."`
}

// CLACoverage says a corporate CLA covers the author.
type CLACoverage struct {
	Company string `json:"company" required:"true" minLength:"1" doc:"The company whose corporate CLA covers the author."`
	Via     string `json:"via,omitempty" doc:"How: login, email, domain or org (evidence only)."`
}

// PriorPRs is what a search of the author's pull requests in scope
// returned: the total and the first page, newest first.
type PriorPRs struct {
	Total int     `json:"total" minimum:"0" doc:"The search's total count (the current pull request may be among them)."`
	Found []PRRef `json:"found,omitempty" doc:"The results read, newest first."`
}

// PRRef is one pull request a search found.
type PRRef struct {
	Repo      string    `json:"repo" required:"true" minLength:"3" doc:"owner/name."`
	Number    int       `json:"number" required:"true" minimum:"1" doc:"The pull request number."`
	CreatedAt time.Time `json:"created_at,omitzero" doc:"When it was opened (RFC 3339)."`
}
