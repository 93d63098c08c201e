package clastore

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var importAt = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func TestParseLite(t *testing.T) {
	f, err := os.Open("testdata/lite.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rs, err := ParseLite(f, ImportOptions{AgreementID: "icla", Version: "1.0", Now: importAt})
	if err != nil {
		t.Fatal(err)
	}
	want := Record{Schema: 1, ID: "imp_lite_icla_583231_1660299302", AgreementID: "icla", AgreementVersion: "1.0",
		Signer: Signer{GitHubID: 583231, Login: "octocat"}, Method: MethodImportLite,
		Evidence: &Evidence{RepoID: 123456789, PR: 12, CommentID: 1214823931},
		SignedAt: time.Date(2022, 8, 12, 10, 15, 2, 0, time.UTC), RecordedAt: importAt}
	if len(rs) != 2 {
		t.Fatalf("%d records", len(rs))
	}
	if diff := cmp.Diff(want, rs[0]); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, bad := range []string{`{"signedContributors":[{"name":"x","created_at":"2022-01-01T00:00:00Z"}]}`, `{"signedContributors":[{"name":"x","id":1,"created_at":"yesterday"}]}`, `[`} {
		if _, err := ParseLite(strings.NewReader(bad), ImportOptions{AgreementID: "icla", Version: "1"}); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
	if _, err := ParseLite(strings.NewReader(`{}`), ImportOptions{}); err == nil {
		t.Error("an import without agreement and version must fail")
	}
}

func TestParseCLAAssistantCSV(t *testing.T) {
	f, err := os.Open("testdata/cla-assistant.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rs, err := ParseCLAAssistantCSV(f, ImportOptions{AgreementID: "icla", Version: "1", Now: importAt})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 3 || rs[0].Signer.GitHubID != 583231 || rs[0].Evidence.SourceVersion != "8c1d2e3f" ||
		!rs[0].SignedAt.Equal(time.Date(2021, 3, 4, 5, 6, 7, 0, time.UTC)) || rs[2].Op != OpRevoke || rs[2].ID != rs[1].ID {
		t.Fatalf("records %+v", rs)
	}
	folded := Fold(rs)
	if len(folded) != 2 || folded[1].Active() {
		t.Errorf("an ended CLA Assistant signature must be revoked: %+v", folded)
	}
	if _, err := ParseCLAAssistantCSV(strings.NewReader("user,repo\nx,y\n"), ImportOptions{AgreementID: "icla", Version: "1"}); err == nil {
		t.Error("a CSV without ids must be refused")
	}
	if _, err := ParseCLAAssistantCSV(strings.NewReader("userId\nabc\n"), ImportOptions{AgreementID: "icla", Version: "1"}); err == nil {
		t.Error("a non-numeric id must be refused")
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	src := sqliteStore(t)
	f, _ := os.Open("testdata/cla-assistant.csv")
	rs, err := ParseCLAAssistantCSV(f, ImportOptions{AgreementID: "icla", Version: "1", Now: importAt})
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if n, err := src.Import(ctx, rs); err != nil || n != 3 {
		t.Fatalf("import: %d %v", n, err)
	}
	if _, _, err := src.Append(ctx, sig(9, "1")); err != nil {
		t.Fatal(err)
	}
	all, _ := src.All(ctx)
	var buf bytes.Buffer
	if err := WriteJSONL(&buf, all); err != nil {
		t.Fatal(err)
	}
	back, err := ParseJSONL(&buf)
	if err != nil {
		t.Fatal(err)
	}
	// Into a gitfile store and back: the same records.
	g := fakeStore(t, newFake(t), "ghs_fake_default")
	if n, err := g.Import(ctx, back); err != nil || n != 4 {
		t.Fatalf("import into gitfile: %d %v", n, err)
	}
	n, problems, err := VerifyStore(ctx, g)
	if err != nil || n != 4 || len(problems) != 0 {
		t.Errorf("verify: %d records, %v, %v", n, problems, err)
	}
	gall, _ := g.All(ctx)
	sortRecords(gall)
	sortRecords(back)
	if diff := cmp.Diff(back, gall); diff != "" {
		t.Errorf("gitfile round trip (-want +got):\n%s", diff)
	}
}

func TestVerify(t *testing.T) {
	a, b := sig(1, "1"), sig(1, "1.5")
	a.ID, b.ID = "sig_a", "sig_b"
	at := importAt
	rv := Record{Schema: 1, ID: "sig_zzz", Op: OpRevoke, AgreementID: "icla", Signer: Signer{GitHubID: 1}, RevokedAt: &at}
	bad := sig(0, "1")
	bad.ID = "sig_bad"
	got := Verify([]Record{a, b, a, rv, bad})
	var msgs []string
	for _, p := range got {
		msgs = append(msgs, p.String())
	}
	for _, want := range []string{"sig_a: the same signature id twice", "sig_zzz: a revocation of an unknown signature", "a second active signature of icla v1 by 1", "sig_bad: invalid record"} {
		if !strings.Contains(strings.Join(msgs, "\n"), want) {
			t.Errorf("verify did not report %q: %v", want, msgs)
		}
	}
}

// A record hand-edited into the wrong shard would never be found.
func TestVerifyGitFileShards(t *testing.T) {
	f := newFake(t)
	g := fakeStore(t, f, "ghs_fake_default")
	if _, _, err := g.Append(ctx, sig(1, "1")); err != nil {
		t.Fatal(err)
	}
	content, _ := f.File(owner, repo, "cla-signatures", "signatures/icla/01.jsonl")
	f.SetFile(owner, repo, "cla-signatures", "signatures/icla/02.jsonl", content)
	_, problems, err := VerifyStore(ctx, g)
	if err != nil || len(problems) != 2 { // misplaced, and the same id twice
		t.Fatalf("problems %v %v", problems, err)
	}
	if !strings.Contains(problems[0].String()+problems[1].String(), "belongs in signatures/icla/01.jsonl") {
		t.Errorf("problems %v", problems)
	}
}
