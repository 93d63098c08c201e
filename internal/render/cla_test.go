package render

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/policy"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

var (
	claBob   = snapshot.Identity{Name: "Bob Roe", Email: "bob@acme.com", Login: "bob", ID: 2, Type: "User"}
	claCarol = snapshot.Identity{Name: "Carol", Email: "carol@example.org", Login: "carol", ID: 3, Type: "User"}
	claCy    = snapshot.Identity{Name: "Cy", Email: "cy@laptop.local"}
	claNow   = time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)
)

func claCfg(f ...func(*config.Config)) config.Config {
	c := config.Default()
	c.DCO.Enabled = false
	c.CLA.Enabled = true
	c.CLA.Agreements = []config.Agreement{{ID: "icla", Title: "Acme Individual CLA", URL: "https://example.org/icla", Version: "2.0"}}
	for _, x := range f {
		x(&c)
	}
	return c
}

func claSnapshot(sigs []snapshot.Signature, commits ...snapshot.Commit) *snapshot.Snapshot {
	s := snap(commits...)
	s.EvaluatedAt = claNow
	s.CLA = &snapshot.CLAFacts{Signatures: sigs}
	return s
}

func signature(who snapshot.Identity, v string) snapshot.Signature {
	return snapshot.Signature{AgreementID: "icla", Version: v, GitHubID: who.ID, SignedAt: claNow.Add(-time.Hour)}
}

func TestCLAGolden(t *testing.T) {
	grace := claNow.Add(14 * 24 * time.Hour)
	acmeAck := func(c *config.Config) {
		c.CLA.Corporate = []config.CorporateAgreement{{ID: "ccla-acme", Company: "Acme", RequireAck: true,
			Approvals: []config.Approval{{Type: config.ApproveDomain, Value: "acme.com"}}}}
	}
	tests := []struct {
		name   string
		d      *policy.Decision
		needed bool
	}{
		{"cla-missing", evaluate(claCfg(acmeAck), claSnapshot(
			[]snapshot.Signature{signature(ann, "2.0"), signature(claCarol, "1.0")},
			commit(sha1, base, "one\n\nCo-authored-by: Dana <4+dana@users.noreply.github.com>", ann),
			commit(sha2, sha1, "two", claCy),
			commit(sha3, sha2, "three", claCarol),
			commit(strings.Repeat("4", 40), sha3, "four", claBob))), true},
		{"cla-warnings", evaluate(claCfg(func(c *config.Config) {
			c.CLA.Identities.Coauthors = config.CoauthorsWarn
			c.CLA.Agreements[0].GraceUntil = &grace
		}), claSnapshot(
			[]snapshot.Signature{signature(ann, "1.0")},
			commit(sha1, base, "one\n\nCo-authored-by: Cy <cy@laptop.local>", ann))), true},
		{"cla-pass", evaluate(claCfg(func(c *config.Config) {
			c.DCO.Enabled = true
			c.CLA.Allowlist = []config.AllowEntry{{GitHubID: 3, Login: "carol"}}
		}), claSnapshot(
			[]snapshot.Signature{signature(ann, "2.0")},
			commit(sha1, base, "one\n\nSigned-off-by: Ann Lee <ann@example.org>", ann),
			commit(sha2, sha1, "two\n\nSigned-off-by: Carol <carol@example.org>", claCarol))), false},
		{"cla-store-forbidden", func() *policy.Decision {
			s := claSnapshot(nil, commit(sha1, base, "one", ann))
			s.CLA.Unavailable = &snapshot.CLAUnavailable{Code: "storage_forbidden", Message: "acme/widgets@cla-signatures: Repository rule violations found"}
			return evaluate(claCfg(), s)
		}(), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body, needed := Comment(tc.d, ctx)
			if needed != tc.needed {
				t.Errorf("needed=%v, want %v", needed, tc.needed)
			}
			golden(t, tc.name+".comment.md", body)
			golden(t, tc.name+".summary.md", Summary(tc.d, ctx, ""))
			var buf bytes.Buffer
			if err := WriteJSON(&buf, tc.d); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name+".verdict.json", buf.String())
			buf.Reset()
			if err := WriteText(&buf, tc.d, "acme/widgets#7"); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name+".text", buf.String())
		})
	}
}

// User-controlled text (git names, emails, co-author trailers) never
// becomes markup or a mention in the CLA section.
func TestCLAHostileText(t *testing.T) {
	evil := snapshot.Identity{Name: "<img src=x onerror=alert(1)>", Email: "@octocat|`x`<b>@evil.example"}
	d := evaluate(claCfg(), claSnapshot(nil,
		commit(sha1, base, "x\n\nCo-authored-by: @octocat [x](http://evil) <script>@team</script>", evil)))
	body, _ := Comment(d, ctx)
	// The git name is never shown; emails and trailer text only as code
	// spans, which GitHub renders verbatim (no HTML, links or mentions).
	if strings.Contains(body, "<img") {
		t.Errorf("the git name is shown:\n%s", body)
	}
	for _, want := range []string{Code(evil.Email), Code("@octocat [x](http://evil) <script>@team</script>")} {
		if !strings.Contains(body, "| "+want+" ") {
			t.Errorf("comment lacks %s as a code span:\n%s", want, body)
		}
	}
	if !strings.Contains(body, "UNLINKED_EMAIL") || !strings.Contains(body, "UNRESOLVED_COAUTHOR") {
		t.Errorf("reasons missing:\n%s", body)
	}
}

func TestCLACommentSize(t *testing.T) {
	var commits []snapshot.Commit
	parent := base
	for i := 0; i < 3000; i++ {
		sha := strings.Repeat(string(rune('a'+i%6)), 34) + strings.Repeat("0", 6-len(itoa(i))) + itoa(i)
		who := snapshot.Identity{Name: strings.Repeat("N", 200), Email: "dev" + itoa(i) + "@" + strings.Repeat("x", 200) + ".example"}
		commits = append(commits, commit(sha, parent, "x", who))
		parent = sha
	}
	d := evaluate(claCfg(), claSnapshot(nil, commits...))
	body, _ := Comment(d, ctx)
	if n := utf8.RuneCountInString(body); n > 65536 {
		t.Fatalf("comment is %d characters", n)
	}
	if s := Summary(d, ctx, ""); len(s) > MaxSummaryBytes+200 {
		t.Fatalf("summary is %d bytes", len(s))
	}
}

func TestCLAVerdictShape(t *testing.T) {
	d := evaluate(claCfg(), claSnapshot([]snapshot.Signature{signature(ann, "2.0")},
		commit(sha1, base, "x", ann), commit(sha2, sha1, "y", claCy)))
	var buf bytes.Buffer
	if err := WriteJSON(&buf, d); err != nil {
		t.Fatal(err)
	}
	var v struct {
		Checks map[string]struct {
			Conclusion string `json:"conclusion"`
			Covered    []struct {
				Login string `json:"login"`
				Basis string `json:"basis"`
			} `json:"covered"`
			Missing []struct {
				Email   string   `json:"email"`
				Reason  string   `json:"reason"`
				Commits []string `json:"commits"`
			} `json:"missing"`
		} `json:"checks"`
	}
	if err := json.Unmarshal(buf.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	c := v.Checks["cla"]
	if c.Conclusion != "failure" || len(c.Covered) != 1 || c.Covered[0].Basis != "icla:2.0" || c.Covered[0].Login != "ann" ||
		len(c.Missing) != 1 || c.Missing[0].Reason != "UNLINKED_EMAIL" || c.Missing[0].Email != "cy@laptop.local" || c.Missing[0].Commits[0] != sha2 {
		t.Errorf("verdict %s", buf.String())
	}
}

// §5.14: the App's check run lists every identity with its basis or reason.
func TestCLACheckRun(t *testing.T) {
	d := evaluate(claCfg(), claSnapshot([]snapshot.Signature{signature(ann, "2.0")},
		commit(sha1, base, "x", ann), commit(sha2, sha1, "y", claCy)))
	out := CheckRun(d, policy.CheckCLA, ctx, "")
	for _, want := range []string{"`icla:2.0`", "UNLINKED_EMAIL", "I have read the CLA Document and I hereby sign the CLA"} {
		if !strings.Contains(out.Text, want) {
			t.Errorf("check run text lacks %q:\n%s", want, out.Text)
		}
	}
	if out.Title != "1 of 2 contributors not covered by the CLA" {
		t.Errorf("title %q", out.Title)
	}
}
