package config

import (
	"fmt"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/contribution-policy/contribution-policy/internal/schema"
)

// CLA configures the Contributor License Agreement check (cla.md §6). Every
// human identity behind a pull request must be covered: allowlisted, by a
// signed individual agreement of the current or a compatible version, or by
// a corporate agreement whose approval list matches a trusted attribute.
type CLA struct {
	Enabled    bool        `yaml:"enabled" doc:"Run the CLA check."`
	Agreements []Agreement `yaml:"agreements" doc:"The agreements: exactly one individual agreement (what the sign phrase signs) and any corporate ones. Required when the check is enabled."`
	// SignPhrase is what a contributor comments to sign. The default is CLA
	// Assistant Lite's, so projects switching from it keep their wording.
	SignPhrase string        `yaml:"sign_phrase" minLength:"1" doc:"What a contributor comments, on a line of its own, to sign the individual agreement. Case, surrounding punctuation, Markdown emphasis and spacing are ignored; quoted lines never count. May contain {version} or {major}: the comment must then name the current or a compatible version. Must contain the word 'sign'."`
	Identities CLAIdentities `yaml:"identities" doc:"Who must be covered."`
	// Allowlist exempts accounts by GitHub id (never by a name or an email).
	Allowlist []AllowEntry `yaml:"allowlist" doc:"Accounts that need no agreement: by GitHub id (a login may be given alongside, as a note that is checked), bot logins ending in [bot] (whole-login globs, bot accounts only), or every bot account. Bot commit authors count only when the bot opened the pull request or GitHub verified the commit."`
	// Corporate agreements inline; CorporateFile adds those of a file.
	Corporate     []CorporateAgreement `yaml:"corporate" doc:"Corporate agreements with their approval lists."`
	CorporateFile string               `yaml:"corporate_file" doc:"A YAML file in this repository, read at the pull request's base commit, listing more corporate agreements (key 'corporate', same format). Lets CLA managers maintain approvals by pull request."`
	Store         CLAStore             `yaml:"store" doc:"Where signatures are kept."`
	AllowPresign  bool                 `yaml:"allow_presign" doc:"Record a signature from someone who is not (yet) a contributor to the pull request they comment on. Off: only people the pull request needs may sign there."`
}

// Agreement is one versioned agreement document.
type Agreement struct {
	ID    string `yaml:"id" required:"true" pattern:"^[a-z0-9][a-z0-9._-]{0,62}$" patternDoc:"lower-case letters, digits, '.', '_' and '-', at most 63 characters" doc:"A stable identifier, recorded with each signature (e.g. icla)."`
	Kind  string `yaml:"kind" enum:"individual,corporate" doc:"individual (signed by each contributor) or corporate (signed by a company; see corporate). Default individual."`
	Title string `yaml:"title" doc:"The agreement's name as shown to contributors."`
	URL   string `yaml:"url" pattern:"^https?://" patternDoc:"an http(s) URL" doc:"Where the document can be read. Required for the individual agreement."`
	// Version is the current version. Semantic versions are recommended: the
	// major version is part of a signature's idempotency key.
	Version        AgreementVersion   `yaml:"version" required:"true" doc:"The current version, e.g. 2.1.0."`
	DocumentSHA256 string             `yaml:"document_sha256" pattern:"^[0-9a-f]{64}$" patternDoc:"64 lower-case hexadecimal characters" doc:"SHA-256 of the document's current version, recorded with each signature as evidence of what was signed."`
	CompatibleWith []AgreementVersion `yaml:"compatible_with" doc:"Older versions whose signatures still count (typo and format fixes): nobody has to sign again."`
	// GraceUntil lets signatures of any older version pass, with a warning,
	// until then.
	GraceUntil *time.Time `yaml:"grace_until" doc:"Until this time (RFC 3339), signatures of any older version still pass, with a warning asking to sign the current one."`
}

// CLAIdentities says who must be covered.
type CLAIdentities struct {
	PRAuthor   bool   `yaml:"pr_author" doc:"Also require the pull request's author (who may not have authored any commit)."`
	Coauthors  string `yaml:"coauthors" enum:"require,warn,ignore" doc:"Co-authors named in Co-authored-by trailers: require (fail when not covered), warn (report only) or ignore."`
	Committers string `yaml:"committers" enum:"ignore,require" doc:"Committers who are not the author: ignore (default: a maintainer who rebases or cherry-picks does not stand in for the author, nor needs to sign) or require. GitHub's web-flow committer is always ignored."`
}

// Values of CLAIdentities.Coauthors and Committers.
const (
	CoauthorsRequire  = "require"
	CoauthorsWarn     = "warn"
	CoauthorsIgnore   = "ignore"
	CommittersIgnore  = "ignore"
	CommittersRequire = "require"
)

// AllowEntry is one allowlist entry. Exactly one of GitHubID, Login or Bots.
type AllowEntry struct {
	GitHubID int64 `yaml:"github_id" minimum:"1" doc:"The account's numeric id (https://api.github.com/users/LOGIN shows it). Survives renames; a recycled login never matches."`
	// Login alone is only for bot accounts (a glob over the whole login);
	// with GitHubID it is a note that must agree.
	Login string `yaml:"login" doc:"With github_id: the login, kept for readers. Alone: a bot login ending in [bot], where * matches any run of characters within the whole login (renovate*[bot]); it matches only accounts GitHub types as Bot."`
	Bots  bool   `yaml:"bots" doc:"Every account GitHub types as Bot."`
	Note  string `yaml:"note" doc:"Why the entry exists."`
}

// CorporateAgreement is a company's signed corporate agreement and who it
// covers.
type CorporateAgreement struct {
	ID      string `yaml:"id" required:"true" pattern:"^[a-z0-9][a-z0-9._-]{0,62}$" patternDoc:"lower-case letters, digits, '.', '_' and '-', at most 63 characters" doc:"A stable identifier (e.g. ccla-acme); employees acknowledge it by this id."`
	Company string `yaml:"company" required:"true" minLength:"1" doc:"The company's name as shown to contributors."`
	// Agreement names the corporate agreement (Agreements[].id) signed.
	Agreement string           `yaml:"agreement" doc:"The id of the corporate agreement (kind corporate) the company signed."`
	Version   AgreementVersion `yaml:"version" doc:"The version the company signed."`
	Status    string           `yaml:"status" enum:"active,suspended,terminated" doc:"active (default), suspended or terminated; only active agreements cover anyone."`
	SignedAt  *time.Time       `yaml:"signed_at" doc:"When the company signed (RFC 3339); before it, nobody is covered."`
	ExpiresAt *time.Time       `yaml:"expires_at" doc:"When the agreement ends (RFC 3339); from then on nobody is covered."`
	// RequireAck is EasyCLA's employee acknowledgement ("ECLA").
	RequireAck  bool       `yaml:"require_individual_ack" doc:"Each covered person must also acknowledge once, by commenting /cla ack ID on a pull request."`
	RequireICLA bool       `yaml:"require_icla" doc:"Covered people must also sign the individual agreement (Apache style); the corporate agreement alone is not enough."`
	Approvals   []Approval `yaml:"approvals" doc:"Who the agreement covers; the first matching rule is reported."`
}

// Approval is one approval rule of a corporate agreement. Rules match only
// trusted attributes: an email GitHub links to the account, the account id,
// memberships read with a token that can see them.
type Approval struct {
	Type              string `yaml:"type" required:"true" enum:"domain,email,github_user,github_org,github_team" doc:"What the rule matches."`
	Value             string `yaml:"value" doc:"domain: a domain such as acme.com (whole labels: it never matches notacme.com); email: an address."`
	IncludeSubdomains bool   `yaml:"include_subdomains" doc:"domain: also match any subdomain (eu.acme.com)."`
	GitHubID          int64  `yaml:"github_id" minimum:"1" doc:"github_user: the account id."`
	Login             string `yaml:"login" doc:"github_user: the login, as a note."`
	Org               string `yaml:"org" doc:"github_org, github_team: the organisation's login."`
	Team              string `yaml:"team" doc:"github_team: the team's slug."`
}

// Approval types.
const (
	ApproveDomain = "domain"
	ApproveEmail  = "email"
	ApproveUser   = "github_user"
	ApproveOrg    = "github_org"
	ApproveTeam   = "github_team"
)

// Agreement kinds and corporate statuses.
const (
	KindIndividual   = "individual"
	KindCorporate    = "corporate"
	CorporateActive  = "active"
	CorporateSuspend = "suspended"
	CorporateEnded   = "terminated"
)

// CLAStore says where signatures are kept.
type CLAStore struct {
	Backend string `yaml:"backend" enum:"gitfile,sql" doc:"gitfile: JSON Lines files on a branch, written through the contents API (Action mode; no database). sql: the App's database (SQLite or PostgreSQL)."`
	Repo    string `yaml:"repo" pattern:"^([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)?$" patternDoc:"OWNER/REPO, or empty" doc:"gitfile: the repository holding the signatures (OWNER/REPO); empty means this repository. Another repository needs a token for it (the Action's cla-token input)."`
	Branch  string `yaml:"branch" minLength:"1" doc:"gitfile: the branch holding the signatures. Keep it unprotected (or let the bot bypass its rules): a rejected write is reported as an error, never as signed."`
	Path    string `yaml:"path" minLength:"1" doc:"gitfile: the folder holding the signature files."`
}

// Store backends.
const (
	StoreGitFile = "gitfile"
	StoreSQL     = "sql"
)

// DefaultSignPhrase is CLA Assistant Lite's phrase.
const DefaultSignPhrase = "I have read the CLA Document and I hereby sign the CLA"

// DefaultCorporateFile is read at the base commit in the same query as the
// configuration, so that pointing corporate_file at it costs no extra call.
const DefaultCorporateFile = ".github/cla-corporate.yml"

// DefaultCLA is the CLA section's defaults.
func DefaultCLA() CLA {
	return CLA{
		SignPhrase: DefaultSignPhrase,
		Identities: CLAIdentities{Coauthors: CoauthorsRequire, Committers: CommittersIgnore},
		Store:      CLAStore{Backend: StoreGitFile, Branch: "cla-signatures", Path: "signatures"},
	}
}

// AgreementVersion is a version as written: YAML's 2.0 (a number) and "2.0"
// (a string) are the same version, and the text is kept as written.
type AgreementVersion string

// UnmarshalSchema accepts a string or a number scalar, keeping its text.
func (v *AgreementVersion) UnmarshalSchema(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		switch n.ShortTag() {
		case "!!str", "!!int", "!!float":
			if n.Value == "" {
				return fmt.Errorf("expected a version such as 2.1.0, got an empty string")
			}
			*v = AgreementVersion(n.Value)
			return nil
		}
	}
	return fmt.Errorf("expected a version such as 2.1.0 (a string or a number), got %s", describeNode(n))
}

// JSONSchema describes a version: a non-empty string or a number.
func (AgreementVersion) JSONSchema() *schema.Schema {
	one := 1
	return &schema.Schema{Type: schema.Types{"string", "number"}, MinLength: &one}
}

func describeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	if n.ShortTag() == "!!null" {
		return "null"
	}
	return schema.Quote(n.Value)
}

// CorporateFile is the format of cla.corporate_file.
type CorporateFile struct {
	Version   int                  `yaml:"version" required:"true" enum:"1" doc:"Format version. Must be 1."`
	Corporate []CorporateAgreement `yaml:"corporate" doc:"Corporate agreements, as cla.corporate."`
}

// ParseCorporateFile decodes and validates a corporate file. Agreement
// references are checked against agreements (the configuration's).
func ParseCorporateFile(data []byte, src Source, agreements []Agreement) ([]CorporateAgreement, error) {
	n, err := schema.ParseYAML(data)
	if err != nil {
		return nil, syntaxError(err, src)
	}
	if isEmpty(n) {
		return nil, &Error{Source: src, Problems: []schema.Problem{{Line: 1, Column: 1, Message: `the file is empty; start it with "version: 1"`}}}
	}
	var f CorporateFile
	problems := schema.Decode(n, &f, schema.Options{})
	problems = append(problems, locate(n, validateCorporate(f.Corporate, agreements, "corporate"))...)
	if problems = schema.SortProblems(problems); len(problems) > 0 {
		return nil, &Error{Source: src, Problems: problems}
	}
	return f.Corporate, nil
}
