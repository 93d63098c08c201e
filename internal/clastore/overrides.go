package clastore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Affiliation overrides ("/affiliation <Company>", "/affiliation none") are
// records of the same stores, not a storage of their own: a record of the
// reserved agreement AffiliationAgreement, version "1", whose signer is the
// person the override is about (by account id), with the value in
// Record.Affiliation and who gave it in RecordedBy. The store's key — one
// active record per agreement, major version and account — makes one active
// override per person; a new value revokes the previous one in the same
// write (gitfile: one compare-and-swap; SQL: one transaction), and the same
// value again writes nothing. Lookup, All, export, import and verify treat
// them like any record.

// AffiliationAgreement is the reserved agreement id of affiliation
// overrides. Configured agreement ids start with a letter or a digit, so it
// can never name a real agreement (and CLA lookups never ask for it).
const AffiliationAgreement = "_affiliation"

// AffiliationOverride is an override's value.
type AffiliationOverride struct {
	Company string `json:"company,omitempty"`
	None    bool   `json:"none,omitempty"`
}

// Same reports whether two values say the same thing.
func (a AffiliationOverride) Same(b AffiliationOverride) bool {
	if a.None || b.None {
		return a.None == b.None
	}
	return strings.EqualFold(strings.Join(strings.Fields(a.Company), " "), strings.Join(strings.Fields(b.Company), " "))
}

// NewOverride builds an override record about account id (login), given by
// byLogin at time at.
func NewOverride(id int64, login string, v AffiliationOverride, byLogin string, at time.Time) Record {
	r := Record{Schema: SchemaVersion, AgreementID: AffiliationAgreement, AgreementVersion: "1",
		Signer: Signer{GitHubID: id, Login: login}, RecordedBy: byLogin, SignedAt: at, Method: MethodComment}
	val := v
	r.Affiliation = &val
	return r
}

// ActiveOverride returns the active override among records (any records:
// signatures are ignored), if any.
func ActiveOverride(records []Record, id int64) (Record, bool) {
	var out Record
	found := false
	for _, f := range Fold(records) {
		if f.AgreementID == AffiliationAgreement && f.Signer.GitHubID == id && f.Active() && f.Affiliation != nil {
			if !found || f.SignedAt.After(out.SignedAt) || f.SignedAt.Equal(out.SignedAt) && f.ID > out.ID {
				out, found = f.Record, true
			}
		}
	}
	return out, found
}

func overrideID(now time.Time) string {
	return "aff_" + strings.TrimPrefix(NewID(now), "sig_")
}

func checkOverride(r Record) error {
	if r.AgreementID != AffiliationAgreement || r.Affiliation == nil || r.Op != OpSign {
		return errors.New("not an affiliation override record")
	}
	if !r.Affiliation.None && strings.TrimSpace(r.Affiliation.Company) == "" {
		return errors.New("an affiliation override names a company or none")
	}
	return r.Validate()
}

// SetOverride records r as the person's override: nothing is written when
// their active override already says the same (that one is returned, with
// false); otherwise the active one is revoked and r appended in one
// compare-and-swap write.
func (g *GitFile) SetOverride(ctx context.Context, r Record) (Record, bool, error) {
	if r.ID == "" {
		r.ID = overrideID(g.now())
	}
	r = g.complete(r)
	if err := checkOverride(r); err != nil {
		return Record{}, false, err
	}
	got, created := r, false
	msg := fmt.Sprintf("affiliation: record the override of @%s\n\nAffiliation-Override-Id: %s\n", r.Signer.Login, r.ID)
	err := g.update(ctx, g.Path(AffiliationAgreement, r.Signer.GitHubID), msg, func(existing []Record) []Record {
		active, ok := ActiveOverride(existing, r.Signer.GitHubID)
		if ok && active.Affiliation.Same(*r.Affiliation) {
			got, created = active, false
			return nil
		}
		got, created = r, true
		if !ok {
			return []Record{r}
		}
		return []Record{revocation(active, 0, "replaced by "+r.ID, r.SignedAt, g.now()), r}
	})
	if err != nil {
		return Record{}, false, err
	}
	return got, created, nil
}

// SetOverride records r as the person's override (see GitFile.SetOverride),
// in one transaction.
func (s *SQL) SetOverride(ctx context.Context, r Record) (Record, bool, error) {
	if r.ID == "" {
		r.ID = overrideID(s.now())
	}
	r = complete(r, s.now())
	if err := checkOverride(r); err != nil {
		return Record{}, false, err
	}
	for attempt := 0; attempt < 3; attempt++ {
		got, created, retry, err := s.setOverride(ctx, r)
		if err != nil || !retry {
			return got, created, err
		}
	}
	return Record{}, false, fmt.Errorf("record override %s: %w", r.ID, ErrContention)
}

func (s *SQL) setOverride(ctx context.Context, r Record) (got Record, created, retry bool, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Record{}, false, false, fmt.Errorf("record override: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck
	rows, err := s.query(ctx, tx, `WHERE agreement_id = ? AND signer_github_id = ? AND revoked_at IS NULL`, AffiliationAgreement, r.Signer.GitHubID)
	if err != nil {
		return Record{}, false, false, err
	}
	if active, ok := ActiveOverride(rows, r.Signer.GitHubID); ok {
		if active.Affiliation.Same(*r.Affiliation) {
			return active, false, false, nil
		}
		ok, err := s.revoke(ctx, tx, active.ID, r.SignedAt, 0, "replaced by "+r.ID, s.now())
		if err != nil {
			return Record{}, false, false, fmt.Errorf("record override: %w", err)
		}
		if !ok {
			return Record{}, false, true, nil // replaced meanwhile: look again
		}
	}
	ok, err := s.insert(ctx, tx, r)
	if err != nil {
		return Record{}, false, false, err
	}
	if !ok {
		return Record{}, false, true, nil
	}
	if err := tx.Commit(); err != nil {
		if errors.Is(err, sql.ErrTxDone) {
			return Record{}, false, true, nil
		}
		return Record{}, false, false, fmt.Errorf("record override: %w", err)
	}
	return r, true, false, nil
}
