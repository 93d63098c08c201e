package clastore

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/gh"
	"github.com/contribution-policy/contribution-policy/internal/ghfake"
	"github.com/contribution-policy/contribution-policy/internal/transport"
)

const (
	owner = "acme"
	repo  = "widgets"
)

var ctx = context.Background()

// fakeStore is a gitfile store on a fake GitHub, through the real client
// and transport stack.
func fakeStore(t testing.TB, f *ghfake.Fake, token string) *GitFile {
	t.Helper()
	rt, _ := transport.New(http.DefaultTransport, transport.Options{
		Clock: transport.NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)),
		Pacer: transport.PacerOptions{MinInterval: -1},
	})
	c, err := gh.New(gh.Options{APIURL: f.URL(), GraphQLURL: f.GraphQLURL(), Token: token,
		HTTPClient: &http.Client{Transport: rt, Timeout: 30 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	return &GitFile{Contents: c, Owner: owner, Repo: repo, Backoff: time.Millisecond}
}

func newFake(t *testing.T) *ghfake.Fake {
	f := ghfake.New(t)
	f.AddRepo(ghfake.Repo{Owner: owner, Name: repo})
	f.SetFile(owner, repo, "main", "README.md", "hello\n")
	return f
}

func sig(id int64, version string) Record {
	return Record{AgreementID: "icla", AgreementVersion: version, Signer: Signer{GitHubID: id, Login: fmt.Sprintf("user%d", id)},
		Method: MethodComment, SignedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Evidence: &Evidence{Repo: owner + "/" + repo, PR: 7, CommentID: 1000 + id}}
}

func TestGitFileAppend(t *testing.T) {
	f := newFake(t)
	f.SetFile(owner, repo, "cla-signatures", "README.md", "signatures\n")
	s := fakeStore(t, f, ghfake.DefaultToken)
	f.ResetCalls()
	got, created, err := s.Append(ctx, sig(42, "2.0"))
	if err != nil || !created || got.ID == "" {
		t.Fatalf("append: %+v %v %v", got, created, err)
	}
	// §6.8 budget: an uncontended record costs one read and one write.
	if calls := f.Calls(); len(calls) != 2 || calls[0].Method != "GET" || calls[1].Method != "PUT" {
		t.Errorf("uncontended append made %d calls, want GET+PUT: %v", len(calls), calls)
	}
	content, ok := f.File(owner, repo, "cla-signatures", "signatures/icla/2a.jsonl")
	if !ok || strings.Count(content, "\n") != 1 || !strings.Contains(content, `"github_id":42`) {
		t.Fatalf("file content %q", content)
	}

	// The same signature again adds nothing and returns the first.
	again, created, err := s.Append(ctx, sig(42, "2.1"))
	if err != nil || created || again.ID != got.ID {
		t.Errorf("idempotent append: %+v %v %v", again, created, err)
	}
	// A new major version is a new signature.
	if _, created, err := s.Append(ctx, sig(42, "3.0")); err != nil || !created {
		t.Errorf("new major: %v %v", created, err)
	}
	recs, err := s.Lookup(ctx, []int64{42, 43}, []string{"icla"})
	if err != nil || len(recs) != 2 {
		t.Fatalf("lookup: %d records, %v", len(recs), err)
	}
	if n := len(f.Reads()); n == 0 {
		t.Error("no reads")
	}
}

func TestGitFileLookupReadsOnlyTheShards(t *testing.T) {
	f := newFake(t)
	s := fakeStore(t, f, ghfake.DefaultToken)
	for _, id := range []int64{1, 2, 257, 3} {
		if _, _, err := s.Append(ctx, sig(id, "1")); err != nil {
			t.Fatal(err)
		}
	}
	f.ResetCalls()
	recs, err := s.Lookup(ctx, []int64{1, 2}, []string{"icla", "ccla-acme"})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 {
		t.Errorf("lookup of 1 and 2 found %d records (257 shares 1's shard and must be filtered out)", len(recs))
	}
	if calls := f.Calls(); len(calls) != 1 || calls[0].GraphQLOperation != "ReadFiles" {
		t.Errorf("want one GraphQL query, got %v", calls)
	}
}

func TestGitFileCreatesTheBranch(t *testing.T) {
	f := newFake(t)
	s := fakeStore(t, f, ghfake.DefaultToken)
	if _, created, err := s.Append(ctx, sig(5, "1")); err != nil || !created {
		t.Fatalf("append to a missing branch: %v %v", created, err)
	}
	if _, ok := f.File(owner, repo, "cla-signatures", "signatures/icla/05.jsonl"); !ok {
		t.Error("the branch or the file was not created")
	}
}

// §5.8 D2: a protected branch or a read-only token is an error, never a
// signature.
func TestGitFileRefusedWrites(t *testing.T) {
	f := newFake(t)
	f.SetFile(owner, repo, "cla-signatures", "README.md", "x\n")
	f.SetBranchProtected(owner, repo, "cla-signatures", true)
	s := fakeStore(t, f, ghfake.DefaultToken)
	if _, _, err := s.Append(ctx, sig(5, "1")); !errors.Is(err, ErrForbidden) {
		t.Errorf("protected branch: %v, want ErrForbidden", err)
	}
	f.SetBranchProtected(owner, repo, "cla-signatures", false)
	f.AddToken("ro", ghfake.TokenSpec{Login: "github-actions[bot]", Type: "Bot", ReadOnly: true})
	ro := fakeStore(t, f, "ro")
	if _, _, err := ro.Append(ctx, sig(5, "1")); !errors.Is(err, ErrForbidden) {
		t.Errorf("read-only token: %v, want ErrForbidden", err)
	}
	f.AddToken("ro2", ghfake.TokenSpec{Login: "github-actions[bot]", Type: "Bot", ReadOnly: true})
	f2 := newFake(t) // no branch yet: creating it is refused too
	f2.AddToken("ro", ghfake.TokenSpec{Login: "github-actions[bot]", Type: "Bot", ReadOnly: true})
	if _, _, err := fakeStore(t, f2, "ro").Append(ctx, sig(5, "1")); !errors.Is(err, ErrForbidden) {
		t.Errorf("read-only token, no branch: %v, want ErrForbidden", err)
	}
	if recs, _ := s.All(ctx); len(recs) != 0 {
		t.Errorf("a refused write left %d records", len(recs))
	}
}

// Issue 3: 100 people signing at once, with real compare-and-swap
// conflicts (every signer in the same file): exactly 100 signatures, none
// lost, none duplicated; replaying all 100 adds nothing.
func TestGitFileConcurrentSigners(t *testing.T) {
	for _, tc := range []struct {
		name     string
		id       func(i int) int64
		attempts int
	}{
		// 25 signers per file: every write races others on the same blob.
		{"four hot files", func(i int) int64 { return int64(i%4 + 1 + Shards*i) }, 1000},
		// Distinct files, as signers' ids spread in practice.
		{"spread over shards, default retries", func(i int) int64 { return int64(1000 + i*37) }, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			f.SetFile(owner, repo, "cla-signatures", "README.md", "x\n")
			f.SetRateLimitRemaining(ghfake.DefaultToken, 1_000_000)
			s := fakeStore(t, f, ghfake.DefaultToken)
			s.Attempts = tc.attempts
			sign := func() (created int, ids map[string]bool) {
				var mu sync.Mutex
				var wg sync.WaitGroup
				ids = map[string]bool{}
				errs := make(chan error, 100)
				for i := 0; i < 100; i++ {
					wg.Add(1)
					go func(i int) {
						defer wg.Done()
						got, c, err := s.Append(ctx, sig(tc.id(i), "1.0"))
						if err != nil {
							errs <- err
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
				close(errs)
				for err := range errs {
					t.Error(err)
				}
				return created, ids
			}
			created, ids := sign()
			if created != 100 || len(ids) != 100 {
				t.Fatalf("created %d signatures with %d ids, want 100", created, len(ids))
			}
			conflicts := 0
			for _, c := range f.Calls() {
				if c.Method == "PUT" && c.Status == 409 {
					conflicts++
				}
			}
			if tc.attempts > 0 && conflicts == 0 {
				t.Error("no compare-and-swap conflict happened: the test proves nothing")
			}
			t.Logf("%d conflicts", conflicts)
			all, err := s.All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			assertExactly(t, all, 100)

			f.ResetCalls()
			replayed, again := sign()
			if replayed != 0 || len(again) != 100 {
				t.Errorf("replay created %d", replayed)
			}
			for id := range again {
				if !ids[id] {
					t.Errorf("replay returned a new id %s", id)
				}
			}
			if w := f.Writes(); len(w) != 0 {
				t.Errorf("replay wrote %d times", len(w))
			}
			all, _ = s.All(ctx)
			assertExactly(t, all, 100)
		})
	}
}

// assertExactly checks n signatures, one per signer, each record once.
func assertExactly(t *testing.T, all []Record, n int) {
	t.Helper()
	bySigner := map[int64]int{}
	byID := map[string]int{}
	for _, r := range all {
		bySigner[r.Signer.GitHubID]++
		byID[r.ID]++
	}
	if len(all) != n || len(bySigner) != n || len(byID) != n {
		t.Errorf("%d records, %d signers, %d ids; want %d of each", len(all), len(bySigner), len(byID), n)
	}
}

func TestGitFileRevokeAndImport(t *testing.T) {
	f := newFake(t)
	s := fakeStore(t, f, ghfake.DefaultToken)
	first, _, err := s.Append(ctx, sig(9, "1"))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	if err := s.Revoke(ctx, first.ID, 1, "asked by the signer", at); err != nil {
		t.Fatal(err)
	}
	if err := s.Revoke(ctx, first.ID, 1, "again", at); !errors.Is(err, ErrNotFound) {
		t.Errorf("second revoke: %v", err)
	}
	recs, _ := s.Lookup(ctx, []int64{9}, []string{"icla"})
	folded := Fold(recs)
	if len(folded) != 1 || folded[0].Active() || !folded[0].RevokedAt.Equal(at) {
		t.Fatalf("revocation not folded: %+v", folded)
	}
	// After a revocation the signer may sign again.
	if _, created, err := s.Append(ctx, sig(9, "1")); err != nil || !created {
		t.Errorf("sign after revoke: %v %v", created, err)
	}
	batch := []Record{sig(10, "1"), sig(11, "1"), sig(9, "1"), sig(10, "1.5")}
	n, err := s.Import(ctx, batch)
	if err != nil || n != 2 {
		t.Errorf("import added %d (%v), want 2 (9 is signed, 10 twice is one key)", n, err)
	}
	if n, _ := s.Import(ctx, batch); n != 0 {
		t.Errorf("re-import added %d", n)
	}
	all, _ := s.All(ctx)
	if len(all) != 5 { // 9, revoke 9, 9 again, 10, 11
		t.Errorf("%d records: %+v", len(all), all)
	}
}
