package snapshot

import "time"

// CLAFacts are what the CLA check needs besides commits: the signatures of
// the pull request's identities, the memberships that corporate approval
// rules ask about, and whether the signature store could be read at all.
// Corporate agreements and the allowlist are configuration (config.cla).
type CLAFacts struct {
	// Signatures are the stored signatures of the pull request's identities
	// (more may be given; the others are ignored), revoked ones included.
	Signatures []Signature `json:"signatures,omitempty" doc:"Stored signatures of the pull request's identities, revoked ones included (others may be present and are ignored)."`
	// Memberships answer the github_org and github_team approval rules.
	Memberships []Membership `json:"memberships,omitempty" doc:"Organisation and team memberships asked by corporate approval rules, as read from GitHub."`
	// Unavailable is set when the signatures could not be read or a
	// signature could not be recorded: the check then reports error.
	Unavailable *CLAUnavailable `json:"unavailable,omitempty" doc:"Set when the signature store could not be read or written; the CLA check then reports error, never a pass."`
}

// Signature is one stored signature as the engine sees it. Acknowledgements
// of a corporate agreement by an employee are signatures whose agreement_id
// is the corporate agreement's id.
type Signature struct {
	ID             string     `json:"id,omitempty" doc:"The record's id in the store."`
	AgreementID    string     `json:"agreement_id" required:"true" minLength:"1" doc:"The agreement signed (config.cla.agreements[].id), or the corporate agreement acknowledged (config.cla.corporate[].id)."`
	Version        string     `json:"agreement_version" required:"true" minLength:"1" doc:"The version signed."`
	GitHubID       int64      `json:"github_id" required:"true" minimum:"1" doc:"The signer's account id: signatures are matched by id, never by login or name."`
	Login          string     `json:"login,omitempty" doc:"The signer's login when they signed (informational)."`
	SignedAt       time.Time  `json:"signed_at" required:"true" doc:"When it was signed (RFC 3339)."`
	RevokedAt      *time.Time `json:"revoked_at,omitempty" doc:"When it was revoked; revoked signatures cover nobody from then on."`
	DocumentSHA256 string     `json:"document_sha256,omitempty" doc:"SHA-256 of the document signed."`
}

// Membership is one organisation or team membership fact.
type Membership struct {
	Org      string `json:"org" required:"true" minLength:"1" doc:"The organisation's login."`
	Team     string `json:"team,omitempty" doc:"The team's slug; empty for organisation membership."`
	GitHubID int64  `json:"github_id" required:"true" minimum:"1" doc:"The person's account id."`
	Login    string `json:"login,omitempty" doc:"The person's login."`
	Member   bool   `json:"member" doc:"Whether they are a member, as far as the token could see."`
	// Visible is false when the token could see public memberships only, so
	// "not a member" may be a concealed membership.
	Visible bool `json:"private_visible" doc:"Whether the token could see private memberships; false means member=false may hide a concealed membership."`
}

// CLAUnavailable says why the signature store could not be used.
type CLAUnavailable struct {
	Code    string `json:"code" required:"true" enum:"storage_forbidden,storage_busy,api_error,config_invalid" doc:"storage_forbidden (a write was rejected: protected branch, ruleset, permission), storage_busy (too many concurrent writes), api_error (GitHub or the database failed), config_invalid (the corporate file is invalid)."`
	Message string `json:"message" required:"true" doc:"What happened, for maintainers."`
}

// At is when the snapshot is judged: EvaluatedAt, or the pull request's
// creation time for snapshots that do not say (offline files).
func (s *Snapshot) At() time.Time {
	if !s.EvaluatedAt.IsZero() {
		return s.EvaluatedAt
	}
	return s.PullRequest.CreatedAt
}
