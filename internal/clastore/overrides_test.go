package clastore

import (
	"database/sql"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/ghfake"
)

// overrideContract is what both backends must do with /affiliation
// overrides: one active override per person, a new value replaces the old
// one, the same value writes nothing, CLA lookups never see them, verify
// accepts them.
func overrideContract(t *testing.T, s Store, set func(Record) (Record, bool, error)) {
	t.Helper()
	at := time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC)
	first, created, err := set(NewOverride(42, "ann", AffiliationOverride{Company: "Acme"}, "ann", at))
	if err != nil || !created {
		t.Fatalf("first override: %v %v", created, err)
	}
	if _, created, err := set(NewOverride(42, "ann", AffiliationOverride{Company: " acme "}, "ann", at.Add(time.Minute))); err != nil || created {
		t.Errorf("the same value again: created=%v err=%v", created, err)
	}
	second, created, err := set(NewOverride(42, "ann", AffiliationOverride{None: true}, "maint", at.Add(time.Hour)))
	if err != nil || !created || second.ID == first.ID {
		t.Fatalf("a new value: %+v %v %v", second, created, err)
	}
	if _, _, err := set(NewOverride(42, "ann", AffiliationOverride{}, "ann", at)); err == nil {
		t.Error("an override naming nothing must be refused")
	}
	recs, err := s.Lookup(ctx, []int64{42}, []string{AffiliationAgreement})
	if err != nil {
		t.Fatal(err)
	}
	got, ok := ActiveOverride(recs, 42)
	if !ok || got.ID != second.ID || !got.Affiliation.None || got.RecordedBy != "maint" {
		t.Errorf("active override %+v (from %d records)", got, len(recs))
	}
	if recs, _ := s.Lookup(ctx, []int64{42}, []string{"icla"}); len(recs) != 0 {
		t.Errorf("a CLA lookup saw %d override records", len(recs))
	}
	n, problems, err := VerifyStore(ctx, s)
	if err != nil || len(problems) != 0 || n != 3 { // two overrides and one revocation
		t.Errorf("verify: %d records, %v, %v", n, problems, err)
	}
	// Concurrent changes by one person: exactly one active override.
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			v := AffiliationOverride{Company: []string{"Acme", "Globex"}[i%2]}
			if _, _, err := set(NewOverride(77, "bo", v, "bo", at.Add(time.Duration(i)*time.Second))); err != nil {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	recs, _ = s.Lookup(ctx, []int64{77}, []string{AffiliationAgreement})
	active := 0
	for _, f := range Fold(recs) {
		if f.Active() {
			active++
		}
	}
	if active != 1 {
		t.Errorf("%d active overrides after a race, want 1", active)
	}
}

func TestGitFileOverrides(t *testing.T) {
	f := newFake(t)
	s := fakeStore(t, f, ghfake.DefaultToken)
	overrideContract(t, s, func(r Record) (Record, bool, error) { return s.SetOverride(ctx, r) })
}

func TestSQLiteOverrides(t *testing.T) {
	s := sqliteStore(t)
	overrideContract(t, s, func(r Record) (Record, bool, error) { return s.SetOverride(ctx, r) })
}

func TestPostgresOverrides(t *testing.T) {
	s := postgresStore(t)
	overrideContract(t, s, func(r Record) (Record, bool, error) { return s.SetOverride(ctx, r) })
}

// A database created before overrides existed (schema version 1) is
// upgraded in place: its signatures stay readable and overrides can be
// stored.
func TestSQLiteUpgradeToOverrides(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	stmts := append([]string{`CREATE TABLE cla_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`}, migrations[0].stmts...)
	stmts = append(stmts, `INSERT INTO cla_migrations VALUES (1, 'signatures and revocations', '2026-01-01T00:00:00.000000Z')`,
		`INSERT INTO cla_signatures (id, agreement_id, agreement_version, agreement_major, signer_github_id, signed_at, recorded_at)
		 VALUES ('sig_old', 'icla', '1', '1', 42, '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')`)
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	s, err := OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	recs, err := s.Lookup(ctx, []int64{42}, []string{"icla"})
	if err != nil || len(recs) != 1 || recs[0].ID != "sig_old" || recs[0].Affiliation != nil {
		t.Fatalf("old signature after the upgrade: %+v %v", recs, err)
	}
	if _, created, err := s.SetOverride(ctx, NewOverride(42, "ann", AffiliationOverride{None: true}, "ann", time.Now())); err != nil || !created {
		t.Errorf("override after the upgrade: %v %v", created, err)
	}
}
