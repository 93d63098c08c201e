package policy

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

func claConfig(f ...func(*config.Config)) *config.Config {
	c := config.Default()
	c.DCO.Enabled = false
	c.CLA.Enabled = true
	c.CLA.Agreements = []config.Agreement{{ID: "icla", URL: "https://example.org/icla", Version: "2.0"}}
	for _, x := range f {
		x(&c)
	}
	return &c
}

func claSnap(commits ...snapshot.Identity) *snapshot.Snapshot {
	s := &snapshot.Snapshot{
		Repository:  snapshot.Repository{Owner: "acme", Name: "w", OwnerType: "Organization"},
		PullRequest: snapshot.PullRequest{Number: 1, Author: commits[0].Account()},
		EvaluatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		CLA:         &snapshot.CLAFacts{},
	}
	for i, c := range commits {
		s.Commits = append(s.Commits, snapshot.Commit{SHA: strings.Repeat(string(rune('a'+i)), 40), Message: "x", Author: c, Committer: c})
	}
	return s
}

func sig(who snapshot.Identity, v string) snapshot.Signature {
	return snapshot.Signature{AgreementID: "icla", Version: v, GitHubID: who.ID, SignedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
}

// The states and descriptions of cla.md §6.10.
func TestCLACheckStates(t *testing.T) {
	ann := snapshot.Identity{Name: "Ann", Email: "ann@x.org", Login: "ann", ID: 1, Type: "User"}
	bob := snapshot.Identity{Name: "Bob", Email: "bob@acme.com", Login: "bob", ID: 2, Type: "User"}
	cy := snapshot.Identity{Name: "Cy", Email: "cy@laptop.local"}
	bot := snapshot.Identity{Name: "r", Email: "9+r[bot]@users.noreply.github.com", Login: "r[bot]", ID: 9, Type: "Bot"}
	grace := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	acme := func(c *config.Config) {
		c.CLA.Corporate = []config.CorporateAgreement{{ID: "ccla-acme", Company: "Acme", Approvals: []config.Approval{{Type: config.ApproveDomain, Value: "acme.com"}}}}
	}
	tests := []struct {
		name       string
		cfg        *config.Config
		s          *snapshot.Snapshot
		conclusion Conclusion
		desc       string
		label      string
	}{
		{"all covered", claConfig(acme), func() *snapshot.Snapshot {
			s := claSnap(ann, bob)
			s.CLA.Signatures = []snapshot.Signature{sig(ann, "2.0")}
			return s
		}(), Success, "CLA: all 2 contributor(s) covered — 1 via corporate CLA", "cla: yes"},
		{"grace", claConfig(func(c *config.Config) { c.CLA.Agreements[0].GraceUntil = &grace }), func() *snapshot.Snapshot {
			s := claSnap(ann)
			s.CLA.Signatures = []snapshot.Signature{sig(ann, "1.0")}
			return s
		}(), Neutral, "CLA: covered; 1 must re-sign v2.0 before 2026-02-01", "cla: yes"},
		{"nothing to check", claConfig(), func() *snapshot.Snapshot { s := claSnap(ann); s.Commits = nil; return s }(), Skipped, "CLA: not required — no commits", "cla: yes"},
		{"all allowlisted", claConfig(func(c *config.Config) { c.CLA.Allowlist = []config.AllowEntry{{Bots: true}} }), claSnap(bot), Skipped, "CLA: not required — all contributors allowlisted", "cla: yes"},
		{"missing", claConfig(), func() *snapshot.Snapshot {
			s := claSnap(ann, bob, cy)
			s.CLA.Signatures = []snapshot.Signature{sig(ann, "2.0")}
			return s
		}(), Failure, "CLA: 2 of 3 contributor(s) not covered — see details", "cla: no"},
		{"only unlinked", claConfig(), func() *snapshot.Snapshot {
			s := claSnap(ann, cy)
			s.CLA.Signatures = []snapshot.Signature{sig(ann, "2.0")}
			return s
		}(), Failure, "CLA: 1 commit email(s) not linked to a GitHub account", "cla: no"},
		{"only re-sign", claConfig(), func() *snapshot.Snapshot {
			s := claSnap(ann)
			s.CLA.Signatures = []snapshot.Signature{sig(ann, "1.0")}
			return s
		}(), Failure, "CLA: agreement updated to v2.0 — 1 contributor(s) must re-sign", "cla: no"},
		{"awaiting corporate", claConfig(acme, func(c *config.Config) { c.CLA.Corporate[0].Status = config.CorporateSuspend }), claSnap(bob),
			Failure, "CLA: 1 contributor(s) awaiting Acme corporate approval", "cla: no"},
		{"acknowledgement", claConfig(acme, func(c *config.Config) { c.CLA.Corporate[0].RequireAck = true }), claSnap(bob),
			Failure, "CLA: 1 contributor(s) must acknowledge the Acme corporate CLA", "cla: no"},
		{"co-author warning", claConfig(func(c *config.Config) { c.CLA.Identities.Coauthors = config.CoauthorsWarn }), func() *snapshot.Snapshot {
			s := claSnap(ann)
			s.Commits[0].Message = "x\n\nCo-authored-by: Bob <2+bob@users.noreply.github.com>"
			s.CLA.Signatures = []snapshot.Signature{sig(ann, "2.0")}
			return s
		}(), Neutral, "CLA: required contributors covered; 1 co-author(s) not covered (warning)", "cla: yes"},
		{"store error", claConfig(), func() *snapshot.Snapshot {
			s := claSnap(ann)
			s.CLA.Unavailable = &snapshot.CLAUnavailable{Code: "storage_forbidden", Message: "the branch is protected"}
			return s
		}(), Error, "CLA: bot error (storage_forbidden) — maintainers, see details", "cla: no"},
		{"incomplete", claConfig(), func() *snapshot.Snapshot { s := claSnap(ann); s.CommitCount = 400; return s }(),
			Failure, "CLA: could not read all 400 commits; failing closed", "cla: no"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.Labels.CLA.Enabled = true
			d := Evaluate(tc.cfg, tc.s)
			c, ok := d.Check(CheckCLA)
			if !ok || d.CLA == nil {
				t.Fatal("no CLA check")
			}
			if c.Conclusion != tc.conclusion || c.Description != tc.desc {
				t.Errorf("got %s %q\nwant %s %q", c.Conclusion, c.Description, tc.conclusion, tc.desc)
			}
			if n := utf8.RuneCountInString(c.Description); n > 140 {
				t.Errorf("description is %d characters", n)
			}
			if c.Context() != "contribution-policy/cla" {
				t.Errorf("context %s", c.Context())
			}
			if len(d.Labels.Want) != 1 || d.Labels.Want[0] != tc.label {
				t.Errorf("labels %+v, want %s", d.Labels, tc.label)
			}
		})
	}
}

func TestCLADisabledByDefault(t *testing.T) {
	c := config.Default()
	d := Evaluate(&c, claSnap(snapshot.Identity{Name: "A", Email: "a@x.org"}))
	if _, ok := d.Check(CheckCLA); ok || d.CLA != nil {
		t.Error("the CLA check must be off by default")
	}
}

func TestCLADescriptionFits(t *testing.T) {
	c := claConfig(func(c *config.Config) {
		c.CLA.Corporate = []config.CorporateAgreement{{ID: "x", Company: strings.Repeat("Very Long Company Name ", 20), Status: config.CorporateSuspend,
			Approvals: []config.Approval{{Type: config.ApproveDomain, Value: "acme.com"}}}}
	})
	d := Evaluate(c, claSnap(snapshot.Identity{Name: "B", Email: "b@acme.com", Login: "b", ID: 2, Type: "User"}))
	cl, _ := d.Check(CheckCLA)
	if n := utf8.RuneCountInString(cl.Description); n > 140 || !strings.HasSuffix(cl.Description, "…") {
		t.Errorf("description (%d) %q", n, cl.Description)
	}
}
