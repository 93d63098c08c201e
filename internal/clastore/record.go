// Package clastore keeps CLA signatures: append-only records behind one
// Store interface, with two backends — JSON Lines files on a branch written
// through GitHub's contents API (gitfile, the Action's), and SQL (SQLite
// embedded, PostgreSQL for several replicas; the App's). Importers read CLA
// Assistant Lite's JSON file and CLA Assistant's CSV export.
//
// A signature is never lost and never duplicated: appending is idempotent
// on (agreement, major version, signer's GitHub id) among non-revoked
// records, concurrent writers are serialised by compare-and-swap (gitfile)
// or a unique index (SQL), and a write the store refuses is an error, never
// a signature. Records are never deleted; a revocation is a record too.
package clastore

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/policy/cla"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

// SchemaVersion is the record format version (Record.Schema).
const SchemaVersion = 1

// Ops.
const (
	OpSign   = ""       // a signature (the field is omitted)
	OpRevoke = "revoke" // revokes the signature with the same ID
)

// Methods: how a signature was given.
const (
	MethodComment    = "pr_comment"
	MethodImportLite = "import:cla-assistant-lite"
	MethodImportCSV  = "import:cla-assistant-csv"
	MethodAdmin      = "admin"
)

// Record is one line of the store (cla.md §6.4): a signature, or the
// revocation of one (Op "revoke", same ID).
type Record struct {
	Schema int    `json:"schema"`
	ID     string `json:"id"`
	Op     string `json:"op,omitempty"`
	// AgreementID is the individual agreement's id, or a corporate
	// agreement's id for an employee's acknowledgement.
	AgreementID      string    `json:"agreement_id"`
	AgreementVersion string    `json:"agreement_version"`
	DocumentSHA256   string    `json:"document_sha256,omitempty"`
	Signer           Signer    `json:"signer"`
	Method           string    `json:"method,omitempty"`
	Evidence         *Evidence `json:"evidence,omitempty"`
	SignedAt         time.Time `json:"signed_at"`
	RecordedAt       time.Time `json:"recorded_at"`
	RecordedBy       string    `json:"recorded_by,omitempty"`
	// Affiliation is set on affiliation override records (agreement
	// AffiliationAgreement; overrides.go).
	Affiliation *AffiliationOverride `json:"affiliation,omitempty"`
	// Revocations (Op "revoke") say when, who and why.
	RevokedAt        *time.Time `json:"revoked_at,omitempty"`
	RevokedBy        int64      `json:"revoked_by,omitempty"`
	RevocationReason string     `json:"revocation_reason,omitempty"`
}

// Signer is who signed: by GitHub account id; the login is informational.
type Signer struct {
	GitHubID int64  `json:"github_id"`
	Login    string `json:"github_login,omitempty"`
}

// Evidence is what was seen when the signature was given: enough to show
// later what was agreed even if the comment is edited or deleted.
type Evidence struct {
	Repo              string `json:"repo,omitempty"`
	RepoID            int64  `json:"repo_id,omitempty"`
	PR                int    `json:"pr,omitempty"`
	CommentID         int64  `json:"comment_id,omitempty"`
	CommentURL        string `json:"comment_url,omitempty"`
	CommentBodySHA256 string `json:"comment_body_sha256,omitempty"`
	// SignedText is the comment's line that signed, as typed.
	SignedText string `json:"signed_text,omitempty"`
	HeadSHA    string `json:"head_sha,omitempty"`
	DeliveryID string `json:"delivery_id,omitempty"`
	// SourceVersion is the imported tool's version of the document (CLA
	// Assistant's gist revision).
	SourceVersion string `json:"source_version,omitempty"`
}

// Key is a signature's idempotency key: one active signature per signer,
// agreement and major version.
type Key struct {
	AgreementID string
	Major       string
	GitHubID    int64
}

// Key returns r's idempotency key.
func (r Record) Key() Key {
	return Key{AgreementID: r.AgreementID, Major: cla.Major(r.AgreementVersion), GitHubID: r.Signer.GitHubID}
}

// Validate checks a record before it is written.
func (r Record) Validate() error {
	var problems []string
	if r.ID == "" {
		problems = append(problems, "no id")
	}
	if r.Op != OpSign && r.Op != OpRevoke {
		problems = append(problems, fmt.Sprintf("unknown op %q", r.Op))
	}
	if r.AgreementID == "" {
		problems = append(problems, "no agreement_id")
	}
	if r.Op == OpSign && r.AgreementVersion == "" {
		problems = append(problems, "no agreement_version")
	}
	if r.Signer.GitHubID <= 0 {
		problems = append(problems, "no signer.github_id (signatures are kept by GitHub account id)")
	}
	if r.Op == OpRevoke && r.RevokedAt == nil {
		problems = append(problems, "no revoked_at")
	}
	if r.Op == OpSign && r.SignedAt.IsZero() {
		problems = append(problems, "no signed_at")
	}
	if len(problems) > 0 {
		return fmt.Errorf("invalid record %s: %s", r.ID, strings.Join(problems, ", "))
	}
	return nil
}

// NewID returns a new record id: "sig_" and 26 characters, sortable by
// time (millisecond timestamp, then randomness, like a ULID).
func NewID(now time.Time) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(now.UnixMilli())<<16)
	if _, err := rand.Read(b[6:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return "sig_" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// Errors every backend returns.
var (
	// ErrForbidden: the store refused the write (a protected branch, a
	// ruleset, no permission). Retrying does not help; a maintainer must.
	ErrForbidden = errors.New("the signature store refused the write")
	// ErrContention: too many concurrent writers; the write was not made
	// after every retry. Trying again later will.
	ErrContention = errors.New("the signature store is busy")
	// ErrNotFound: no record with that id.
	ErrNotFound = errors.New("no such signature")
)

// Fold applies revocations to signatures: it returns the signature records
// (Op sign) with RevokedAt set from their revocation records, in record
// order.
func Fold(records []Record) []Folded {
	revoked := map[string]Record{}
	for _, r := range records {
		if r.Op == OpRevoke {
			if _, seen := revoked[r.ID]; !seen {
				revoked[r.ID] = r
			}
		}
	}
	var out []Folded
	for _, r := range records {
		if r.Op != OpSign {
			continue
		}
		f := Folded{Record: r}
		if rv, ok := revoked[r.ID]; ok {
			t := rv.RecordedAt
			if rv.RevokedAt != nil {
				t = *rv.RevokedAt
			}
			f.RevokedAt = &t
			f.RevokedBy, f.RevocationReason = rv.RevokedBy, rv.RevocationReason
		}
		out = append(out, f)
	}
	return out
}

// Folded is a signature with its revocation, if any.
type Folded struct {
	Record
	RevokedAt *time.Time
}

// Active reports whether the signature is not revoked.
func (f Folded) Active() bool { return f.RevokedAt == nil }

// Snapshot converts folded signatures to the engine's form.
func Snapshot(fs []Folded) []snapshot.Signature {
	out := make([]snapshot.Signature, 0, len(fs))
	for _, f := range fs {
		out = append(out, snapshot.Signature{
			ID: f.ID, AgreementID: f.AgreementID, Version: f.AgreementVersion, GitHubID: f.Signer.GitHubID,
			Login: f.Signer.Login, SignedAt: f.SignedAt, RevokedAt: f.RevokedAt, DocumentSHA256: f.DocumentSHA256,
		})
	}
	return out
}

// activeFor returns the active signature with key k among records, if any.
func activeFor(records []Record, k Key) (Record, bool) {
	for _, f := range Fold(records) {
		if f.Active() && f.Key() == k {
			return f.Record, true
		}
	}
	return Record{}, false
}

// sortRecords orders records by signing time, then id (exports and
// imports are deterministic).
func sortRecords(rs []Record) {
	sort.SliceStable(rs, func(i, j int) bool {
		if !rs[i].SignedAt.Equal(rs[j].SignedAt) {
			return rs[i].SignedAt.Before(rs[j].SignedAt)
		}
		return rs[i].ID < rs[j].ID
	})
}
