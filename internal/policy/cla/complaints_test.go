package cla

import (
	"strings"
	"testing"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

// Regression cases for the pain points of cla.md §5 and the anchors' bugs
// of §3 that the engine decides. Pain points decided elsewhere are tested
// there, under the same "§5.N" names: signing (internal/command,
// internal/pipeline), storage (internal/clastore), the sticky comment and
// the status (internal/pipeline), the Action's security defaults
// (internal/action).
func TestPainPoints(t *testing.T) {
	corp := func(c *config.CLA) { c.Corporate = []config.CorporateAgreement{acmeCorp()} }
	runCases(t, []ruleCase{
		// §5.1 identity correctness.
		{"§5.1 S1: a signed maintainer who rebased does not cover an unlinked author", cfg(),
			signed(pr(maint, committed(commit(cy, "x"), maint)), maint, "2.0"),
			[]verdict{{"cy@laptop.local", Missing, "", UnlinkedEmail}}},
		{"§5.1 D7: a mix of signed and unsigned authors fails", cfg(),
			signed(pr(ann, commit(ann, "a"), commit(bob, "b")), ann, "2.0"),
			[]verdict{{"@ann", Covered, "icla:2.0", ""}, {"@bob", Missing, "", MissingSignature}}},
		{"§5.1 every co-author is checked, not only the first commit's author", cfg(),
			signed(pr(ann, commit(ann, "a"), commit(ann, "b\n\nCo-authored-by: Bob <2+bob@users.noreply.github.com>")), ann, "2.0"),
			[]verdict{{"@ann", Covered, "icla:2.0", ""}, {"@bob", Missing, "", MissingSignature}}},

		// §5.2 allowlist safety.
		{"§5.2 S2: a bot's name on a human's unlinked commit is not allowlisted", cfg(func(c *config.CLA) { c.Allowlist = []config.AllowEntry{{Login: "dependabot[bot]"}, {Bots: true}} }),
			pr(ann, commit(snapshot.Identity{Name: "dependabot[bot]", Email: "ann@laptop.local"}, "x")),
			[]verdict{{"ann@laptop.local", Missing, "", UnlinkedEmail}}},
		{"§5.2 S2: a bot's name on a human's linked commit is the human", cfg(func(c *config.CLA) { c.Allowlist = []config.AllowEntry{{Login: "dependabot[bot]"}, {Bots: true}} }),
			pr(ann, commit(snapshot.Identity{Name: "dependabot[bot]", Email: ann.Email, Login: ann.Login, ID: ann.ID, Type: "User"}, "x")),
			[]verdict{{"@ann", Missing, "", MissingSignature}}},
		{"§5.2 S2b: a bot's noreply address on an unverified commit in a human's PR", cfg(func(c *config.CLA) { c.Allowlist = []config.AllowEntry{{GitHubID: 49699333}} }),
			pr(ann, commit(snapshot.Identity{Name: "dependabot[bot]", Email: depbot.Email}, "x")),
			[]verdict{{"@dependabot[bot]", Missing, "", BotNotAuthenticated}}},
		{"§5.2 S3: bot* does not match abbott", cfg(func(c *config.CLA) { c.Allowlist = []config.AllowEntry{{Login: "bot*[bot]"}} }),
			pr(snapshot.Identity{Login: "abbott[bot]", ID: 80, Type: "Bot"}, verified(commit(snapshot.Identity{Name: "abbott", Email: "80+abbott[bot]@users.noreply.github.com", Login: "abbott[bot]", ID: 80, Type: "Bot"}, "x"))),
			[]verdict{{"@abbott[bot]", Missing, "", MissingSignature}}},
		{"§5.2 pinned logins survive renames", cfg(func(c *config.CLA) { c.Allowlist = []config.AllowEntry{{GitHubID: 1, Login: "ann"}} }),
			pr(ann, commit(snapshot.Identity{Name: "Ann", Email: ann.Email, Login: "ann-new", ID: 1, Type: "User"}, "x")),
			[]verdict{{"@ann-new", Covered, "allowlist:github_id:1", ""}}},

		// §5.3 co-author policy and bot co-authors.
		{"§5.3 co-authors warn: reported, not blocking", cfg(func(c *config.CLA) { c.Identities.Coauthors = config.CoauthorsWarn }),
			signed(pr(ann, commit(ann, "x\n\nCo-authored-by: Bob <2+bob@users.noreply.github.com>")), ann, "2.0"),
			[]verdict{{"@ann", Covered, "icla:2.0", ""}, {"@bob", Warning, "", MissingSignature}}},
		{"§5.3 Copilot as co-author allowlisted by id", cfg(func(c *config.CLA) { c.Allowlist = []config.AllowEntry{{GitHubID: 175728472}} }),
			signed(pr(ann, commit(ann, "x\n\nCo-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>")), ann, "2.0"),
			[]verdict{{"@ann", Covered, "icla:2.0", ""}, {"@Copilot", Covered, "allowlist:github_id:175728472", ""}}},

		// §5.4 unlinked emails are their own identity, with the exact email.
		{"§5.4 an unlinked email is reported with its address", cfg(), pr(ann, commit(cy, "x")),
			[]verdict{{"cy@laptop.local", Missing, "", UnlinkedEmail}}},

		// §5.5 versions.
		{"§5.5 CA #111: a typo fix does not make everyone sign again", cfg(func(c *config.CLA) {
			c.Agreements[0].Version, c.Agreements[0].CompatibleWith = "2.0.1", []config.AgreementVersion{"2.0"}
		}), signed(pr(ann, commit(ann, "x")), ann, "2.0"),
			[]verdict{{"@ann", Covered, "icla:2.0", ""}}},
		{"§5.5 a real new version asks to sign again, saying so", cfg(), signed(pr(ann, commit(ann, "x")), ann, "1.0"),
			[]verdict{{"@ann", Missing, "", ResignRequired}}},

		// §5.6 corporate agreements on trusted attributes only.
		{"§5.6 S4: *.acme.com intent does not match notacme.com", cfg(func(c *config.CLA) {
			c.Corporate = []config.CorporateAgreement{acmeCorp(config.Approval{Type: config.ApproveDomain, Value: "acme.com", IncludeSubdomains: true})}
		}), pr(ann, commit(snapshot.Identity{Name: "M", Email: "m@notacme.com", Login: "m", ID: 9, Type: "User"}, "x")),
			[]verdict{{"@m", Missing, "", MissingSignature}}},
		{"§5.6 a spoofable unlinked acme.com email is not covered", cfg(corp), pr(ann, commit(snapshot.Identity{Name: "Bob", Email: "ceo@acme.com"}, "x")),
			[]verdict{{"ceo@acme.com", Missing, "", UnlinkedEmail}}},
		{"§5.6 CA #954: private org membership seen with the right token", cfg(func(c *config.CLA) {
			c.Corporate = []config.CorporateAgreement{acmeCorp(config.Approval{Type: config.ApproveOrg, Org: "acme"})}
		}), member(pr(ann, commit(ann, "x")), ann, "acme", "", true, true),
			[]verdict{{"@ann", Covered, "ccla:ccla-acme/github_org:acme", ""}}},
		{"§5.6 membership not visible says so", cfg(func(c *config.CLA) {
			c.Corporate = []config.CorporateAgreement{acmeCorp(config.Approval{Type: config.ApproveOrg, Org: "acme"})}
		}), member(pr(ann, commit(ann, "x")), ann, "acme", "", false, false),
			[]verdict{{"@ann", Missing, "", OrgMembershipNotVisible}}},

		// §5.14 the basis of every covered identity is reported.
		{"§5.14 bases reported", cfg(corp, func(c *config.CLA) { c.Allowlist = []config.AllowEntry{{GitHubID: 49699333}} }),
			signed(pr(depbot, commit(depbot, "a"), commit(ann, "b"), commit(bob, "c")), ann, "2.0"),
			[]verdict{{"@dependabot[bot]", Covered, "allowlist:github_id:49699333", ""}, {"@ann", Covered, "icla:2.0", ""}, {"@bob", Covered, "ccla:ccla-acme/domain:acme.com", ""}}},
	})
}

// §5.10 D4/D5: a commit list shorter than the PR fails closed.
func TestIncompleteListFailsClosed(t *testing.T) {
	s := signed(pr(ann, commit(ann, "x")), ann, "2.0")
	s.CommitCount = 300
	r := Evaluate(cfg(), s)
	if r.Passed() || !r.Incomplete || r.Seen != 1 || r.Total != 300 {
		t.Errorf("an incomplete list must not pass: %+v", r)
	}
}

func TestUnavailableStoreNeverPasses(t *testing.T) {
	s := signed(pr(ann, commit(ann, "x")), ann, "2.0")
	s.CLA.Unavailable = &snapshot.CLAUnavailable{Code: "storage_forbidden", Message: "protected branch"}
	if r := Evaluate(cfg(), s); r.Passed() || r.Unavailable == nil {
		t.Errorf("an unusable store must not pass: %+v", r)
	}
}

func TestDetails(t *testing.T) {
	c := cfg(func(c *config.CLA) {
		c.Agreements[0].GraceUntil = &later
		c.SignPhrase = "I sign the Acme CLA v{major}"
	})
	r := Evaluate(c, signed(pr(ann, commit(ann, "x"), commit(cy, "y")), ann, "1.0"))
	if r.SignPhrase != "I sign the Acme CLA v2" {
		t.Errorf("sign phrase %q", r.SignPhrase)
	}
	want := []string{
		"Signed the Acme CLA v1.0; the Acme CLA v2.0 must be signed before 2026-02-14.",
		"The commit email <cy@laptop.local> is not linked to any GitHub account, so nobody can sign for it.",
	}
	for i, x := range r.Identities {
		if x.Detail != want[i] {
			t.Errorf("detail %d = %q, want %q", i, x.Detail, want[i])
		}
	}
	if !strings.Contains(r.Identities[1].Commits[0], sha(2)) {
		t.Errorf("the unlinked identity must name its commit: %v", r.Identities[1].Commits)
	}
}

func TestQueries(t *testing.T) {
	c := cfg(func(c *config.CLA) {
		c.Allowlist = []config.AllowEntry{{GitHubID: 49699333}}
		c.Corporate = []config.CorporateAgreement{
			acmeCorp(config.Approval{Type: config.ApproveDomain, Value: "acme.com"}, config.Approval{Type: config.ApproveOrg, Org: "acme"}),
			{ID: "ccla-b", Company: "B", RequireAck: true, Approvals: []config.Approval{{Type: config.ApproveTeam, Org: "b", Team: "oss"}}},
		}
	})
	s := signed(pr(depbot, commit(depbot, "a"), commit(ann, "b"), commit(bob, "c"), commit(maint, "d"), commit(cy, "e")), maint, "2.0")
	q := SignatureQueries(c, s)
	if got, want := q.GitHubIDs, []int64{1, 2, 5}; !equalInts(got, want) {
		t.Errorf("signature ids %v, want %v (the allowlisted bot and the unlinked email need no lookup)", got, want)
	}
	if got := strings.Join(q.Agreements, ","); got != "icla,ccla-b" {
		t.Errorf("agreements %s", got)
	}
	// bob is covered by the domain rule and maint by a signature: only ann's
	// memberships can change anything.
	mq := MembershipQueries(c, s)
	want := []MembershipQuery{{Org: "acme", GitHubID: 1, Login: "ann"}, {Org: "b", Team: "oss", GitHubID: 1, Login: "ann"}}
	if len(mq) != len(want) || mq[0] != want[0] || mq[1] != want[1] {
		t.Errorf("membership queries %+v, want %+v", mq, want)
	}
	if MembershipQueries(cfg(), s) != nil {
		t.Error("no org or team rule: no membership query")
	}
}

func equalInts(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
