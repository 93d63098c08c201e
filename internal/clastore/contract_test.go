package clastore

import (
	"errors"

	"github.com/contribution-policy/contribution-policy/internal/ghfake"
	"sync"
	"testing"
	"time"
)

// contract runs the behaviour every backend must have.
func contract(t *testing.T, s Store) {
	t.Helper()
	first, created, err := s.Append(ctx, sig(42, "2.0"))
	if err != nil || !created {
		t.Fatalf("append: %v %v", created, err)
	}
	again, created, err := s.Append(ctx, sig(42, "2.1"))
	if err != nil || created || again.ID != first.ID || again.AgreementVersion != "2.0" {
		t.Errorf("idempotent append returned %+v created=%v err=%v", again, created, err)
	}
	if again.Evidence == nil || again.Evidence.CommentID != 1042 {
		t.Errorf("evidence lost: %+v", again.Evidence)
	}
	if !again.SignedAt.Equal(first.SignedAt) {
		t.Errorf("signed_at %v, want %v", again.SignedAt, first.SignedAt)
	}
	if _, created, err := s.Append(ctx, sig(42, "3")); err != nil || !created {
		t.Errorf("a new major version: %v %v", created, err)
	}
	ack := sig(42, "1")
	ack.AgreementID = "ccla-acme"
	if _, created, err := s.Append(ctx, ack); err != nil || !created {
		t.Errorf("another agreement: %v %v", created, err)
	}
	if _, _, err := s.Append(ctx, Record{AgreementID: "icla", AgreementVersion: "1"}); err == nil {
		t.Error("a record without a signer id must be refused")
	}
	recs, err := s.Lookup(ctx, []int64{42, 7}, []string{"icla"})
	if err != nil || len(recs) != 2 {
		t.Fatalf("lookup: %d records %v", len(recs), err)
	}
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	if err := s.Revoke(ctx, first.ID, 99, "left the project", at); err != nil {
		t.Fatal(err)
	}
	if err := s.Revoke(ctx, first.ID, 99, "twice", at); !errors.Is(err, ErrNotFound) {
		t.Errorf("second revocation: %v", err)
	}
	recs, _ = s.Lookup(ctx, []int64{42}, []string{"icla"})
	var revoked int
	for _, f := range Fold(recs) {
		if f.ID == first.ID {
			if f.Active() || !f.RevokedAt.Equal(at) {
				t.Errorf("revocation not visible: %+v", f)
			}
			revoked++
		}
	}
	if revoked != 1 {
		t.Errorf("revoked signature found %d times", revoked)
	}
	resigned, created, err := s.Append(ctx, sig(42, "2.0"))
	if err != nil || !created || resigned.ID == first.ID {
		t.Errorf("signing again after a revocation: %+v %v %v", resigned, created, err)
	}
	batch := []Record{sig(10, "1"), sig(11, "1"), sig(10, "1.1")}
	if n, err := s.Import(ctx, batch); err != nil || n != 2 {
		t.Errorf("import: %d %v", n, err)
	}
	if n, err := s.Import(ctx, batch); err != nil || n != 0 {
		t.Errorf("re-import: %d %v", n, err)
	}
	all, err := s.All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// 42: 2.0 (revoked), 3, ack, 2.0 again; 10; 11; and the revocation.
	if len(all) != 7 {
		t.Errorf("%d records", len(all))
	}
	// Export then import into the same store adds nothing.
	if n, err := s.Import(ctx, all); err != nil || n != 0 {
		t.Errorf("importing an export: %d %v", n, err)
	}
}

// concurrent100 is issue 3's test: 100 people signing at once, then all of
// them again: exactly 100 signatures, none lost, none duplicated.
func concurrent100(t *testing.T, s Store) {
	t.Helper()
	sign := func() (created int, ids map[string]bool) {
		var mu sync.Mutex
		var wg sync.WaitGroup
		ids = map[string]bool{}
		for i := 0; i < 100; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				got, c, err := s.Append(ctx, sig(int64(5000+i), "1.0"))
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				if c {
					created++
				}
				ids[got.ID] = true
			}(i)
		}
		wg.Wait()
		return created, ids
	}
	created, ids := sign()
	if created != 100 || len(ids) != 100 {
		t.Fatalf("created %d with %d ids", created, len(ids))
	}
	again, ids2 := sign()
	if again != 0 || len(ids2) != 100 {
		t.Errorf("replay created %d", again)
	}
	for id := range ids2 {
		if !ids[id] {
			t.Errorf("replay returned new id %s", id)
		}
	}
	// The same signer racing themselves (a comment delivered twice).
	var wg sync.WaitGroup
	var mu sync.Mutex
	createdSame := 0
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, c, err := s.Append(ctx, sig(777, "1"))
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			if c {
				createdSame++
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	if createdSame != 1 {
		t.Errorf("one signer racing themselves created %d signatures", createdSame)
	}
	all, err := s.All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	assertExactly(t, all, 101)
}

func TestGitFileContract(t *testing.T) {
	f := newFake(t)
	contract(t, fakeStore(t, f, ghfake.DefaultToken))
}
