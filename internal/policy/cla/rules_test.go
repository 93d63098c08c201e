package cla

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

type ruleCase struct {
	name string
	cfg  config.CLA
	s    *snapshot.Snapshot
	want []verdict
}

func runCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := verdicts(Evaluate(tc.cfg, tc.s))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("verdicts (-want +got):\n%s", diff)
			}
		})
	}
}

// Every reason code of cla.md §6.3, one case each (and the covered bases).
func TestReasonCodes(t *testing.T) {
	revokedAt := before.Add(time.Hour)
	runCases(t, []ruleCase{
		{"covered by a signature", cfg(), signed(pr(ann, commit(ann, "x")), ann, "2.0"),
			[]verdict{{"@ann", Covered, "icla:2.0", ""}}},
		{"MISSING_SIGNATURE", cfg(), pr(ann, commit(ann, "x")),
			[]verdict{{"@ann", Missing, "", MissingSignature}}},
		{"RESIGN_REQUIRED", cfg(), signed(pr(ann, commit(ann, "x")), ann, "1.0"),
			[]verdict{{"@ann", Missing, "", ResignRequired}}},
		{"RESIGN_SOON during the grace period", cfg(func(c *config.CLA) { c.Agreements[0].GraceUntil = &later }),
			signed(pr(ann, commit(ann, "x")), ann, "1.0"),
			[]verdict{{"@ann", Covered, "icla:1.0", ResignSoon}}},
		{"UNLINKED_EMAIL", cfg(), pr(ann, commit(cy, "x")),
			[]verdict{{"cy@laptop.local", Missing, "", UnlinkedEmail}}},
		{"UNRESOLVED_COAUTHOR", cfg(), signed(pr(ann, commit(ann, "x\n\nCo-authored-by: Cy <cy@laptop.local>")), ann, "2.0"),
			[]verdict{{"@ann", Covered, "icla:2.0", ""}, {"cy@laptop.local", Missing, "", UnresolvedCoauthor}}},
		{"CORP_ACK_REQUIRED", cfg(func(c *config.CLA) {
			ca := acmeCorp()
			ca.RequireAck = true
			c.Corporate = []config.CorporateAgreement{ca}
		}), pr(bob, commit(bob, "x")),
			[]verdict{{"@bob", Missing, "", CorpAckRequired}}},
		{"CORP_INACTIVE", cfg(func(c *config.CLA) {
			ca := acmeCorp()
			ca.Status = config.CorporateSuspend
			c.Corporate = []config.CorporateAgreement{ca}
		}), pr(bob, commit(bob, "x")),
			[]verdict{{"@bob", Missing, "", CorpInactive}}},
		{"ORG_MEMBERSHIP_NOT_VISIBLE", cfg(func(c *config.CLA) {
			c.Corporate = []config.CorporateAgreement{acmeCorp(config.Approval{Type: config.ApproveOrg, Org: "acme-corp"})}
		}), member(pr(ann, commit(ann, "x")), ann, "acme-corp", "", false, false),
			[]verdict{{"@ann", Missing, "", OrgMembershipNotVisible}}},
		{"REVOKED", cfg(), func() *snapshot.Snapshot {
			s := signed(pr(ann, commit(ann, "x")), ann, "2.0")
			s.CLA.Signatures[0].RevokedAt = &revokedAt
			return s
		}(), []verdict{{"@ann", Missing, "", Revoked}}},
		{"BOT_NOT_AUTHENTICATED", cfg(func(c *config.CLA) {
			c.Allowlist = []config.AllowEntry{{GitHubID: 49699333, Login: "dependabot[bot]"}}
		}), pr(ann, commit(depbot, "bump")),
			[]verdict{{"@dependabot[bot]", Missing, "", BotNotAuthenticated}}},
	})
}

func TestRequired(t *testing.T) {
	cases := []ruleCase{
		{"the author, never the committer in their place", cfg(), signed(pr(maint, committed(commit(ann, "x"), maint)), maint, "2.0"),
			[]verdict{{"@ann", Missing, "", MissingSignature}}},
		{"committers required", cfg(func(c *config.CLA) { c.Identities.Committers = config.CommittersRequire }),
			signed(pr(ann, committed(commit(ann, "x"), maint)), ann, "2.0"),
			[]verdict{{"@ann", Covered, "icla:2.0", ""}, {"@maint", Missing, "", MissingSignature}}},
		{"web-flow committer is never required", cfg(func(c *config.CLA) { c.Identities.Committers = config.CommittersRequire }),
			signed(pr(ann, committed(commit(ann, "x"), webflow)), ann, "2.0"),
			[]verdict{{"@ann", Covered, "icla:2.0", ""}}},
		{"web-flow without an account link is ignored too", cfg(func(c *config.CLA) { c.Identities.Committers = config.CommittersRequire }),
			signed(pr(ann, committed(commit(ann, "x"), snapshot.Identity{Name: "GitHub", Email: "noreply@github.com"})), ann, "2.0"),
			[]verdict{{"@ann", Covered, "icla:2.0", ""}}},
		{"PR author required", cfg(func(c *config.CLA) { c.Identities.PRAuthor = true }),
			signed(pr(maint, commit(ann, "x")), ann, "2.0"),
			[]verdict{{"@ann", Covered, "icla:2.0", ""}, {"@maint", Missing, "", MissingSignature}}},
		{"PR author not required by default", cfg(), signed(pr(maint, commit(ann, "x")), ann, "2.0"),
			[]verdict{{"@ann", Covered, "icla:2.0", ""}}},
		{"deduplicated by account id across commits and roles", cfg(func(c *config.CLA) { c.Identities.PRAuthor = true }),
			signed(pr(ann, commit(ann, "a"), commit(snapshot.Identity{Name: "A. Lee", Email: "ann@work.example", Login: "ann", ID: 1, Type: "User"}, "b"),
				commit(bob, "c\n\nCo-authored-by: Ann <ann@example.org>")), ann, "2.0"),
			[]verdict{{"@ann", Covered, "icla:2.0", ""}, {"@bob", Missing, "", MissingSignature}}},
		{"unlinked emails deduplicated by address, not by name", cfg(),
			pr(ann, commit(cy, "a"), commit(snapshot.Identity{Name: "Cy Unlinked", Email: "other@laptop.local"}, "b"), commit(snapshot.Identity{Name: "Someone", Email: "CY@laptop.local"}, "c")),
			[]verdict{{"cy@laptop.local", Missing, "", UnlinkedEmail}, {"other@laptop.local", Missing, "", UnlinkedEmail}}},
		{"ID+login noreply author resolved without GitHub's link", cfg(),
			signed(pr(ann, commit(snapshot.Identity{Name: "Ann", Email: "1+ann@users.noreply.github.com"}, "x")), ann, "2.0"),
			[]verdict{{"@ann", Covered, "icla:2.0", ""}}},
		{"login-only noreply co-author resolved by GitHub", cfg(),
			signed(signed(pr(ann, withCoauthors(commit(ann, "x\n\nCo-authored-by: Bob <bob@users.noreply.github.com>"),
				snapshot.Identity{Name: "Bob", Email: "bob@users.noreply.github.com", Login: "bob", ID: 2, Type: "User"})), ann, "2.0"), bob, "2.0"),
			[]verdict{{"@ann", Covered, "icla:2.0", ""}, {"@bob", Covered, "icla:2.0", ""}}},
		{"login-only noreply co-author GitHub did not link stays unresolved", cfg(),
			signed(pr(ann, commit(ann, "x\n\nCo-authored-by: Bob <bob@users.noreply.github.com>")), ann, "2.0"),
			[]verdict{{"@ann", Covered, "icla:2.0", ""}, {"bob@users.noreply.github.com", Missing, "", UnresolvedCoauthor}}},
		{"co-author resolved by GitHub's link to a verified email", cfg(),
			signed(signed(pr(ann, withCoauthors(commit(ann, "x\n\nCo-authored-by: Bob Roe <bob@acme.com>"), bob)), ann, "2.0"), bob, "2.0"),
			[]verdict{{"@ann", Covered, "icla:2.0", ""}, {"@bob", Covered, "icla:2.0", ""}}},
		{"co-author trailer without an email", cfg(),
			signed(pr(ann, commit(ann, "x\n\nCo-authored-by: Bob Roe")), ann, "2.0"),
			[]verdict{{"@ann", Covered, "icla:2.0", ""}, {"Bob Roe", Missing, "", UnresolvedCoauthor}}},
		{"a commit naming its own author as co-author", cfg(),
			signed(pr(ann, commit(ann, "x\n\nCo-authored-by: Ann Lee <ann@example.org>")), ann, "2.0"),
			[]verdict{{"@ann", Covered, "icla:2.0", ""}}},
		{"co-authors required by default", cfg(), signed(pr(ann, commit(ann, "x\n\nCo-authored-by: Bob <2+bob@users.noreply.github.com>")), ann, "2.0"),
			[]verdict{{"@ann", Covered, "icla:2.0", ""}, {"@bob", Missing, "", MissingSignature}}},
		{"co-authors warned about", cfg(func(c *config.CLA) { c.Identities.Coauthors = config.CoauthorsWarn }),
			signed(pr(ann, commit(ann, "x\n\nCo-authored-by: Bob <2+bob@users.noreply.github.com>\nCo-authored-by: Cy <cy@laptop.local>")), ann, "2.0"),
			[]verdict{{"@ann", Covered, "icla:2.0", ""}, {"@bob", Warning, "", MissingSignature}, {"cy@laptop.local", Warning, "", UnresolvedCoauthor}}},
		{"a warned co-author who also authors a commit is required", cfg(func(c *config.CLA) { c.Identities.Coauthors = config.CoauthorsWarn }),
			signed(pr(ann, commit(ann, "x\n\nCo-authored-by: Bob <2+bob@users.noreply.github.com>"), commit(bob, "y")), ann, "2.0"),
			[]verdict{{"@ann", Covered, "icla:2.0", ""}, {"@bob", Missing, "", MissingSignature}}},
		{"co-authors ignored", cfg(func(c *config.CLA) { c.Identities.Coauthors = config.CoauthorsIgnore }),
			signed(pr(ann, commit(ann, "x\n\nCo-authored-by: Bob <2+bob@users.noreply.github.com>")), ann, "2.0"),
			[]verdict{{"@ann", Covered, "icla:2.0", ""}}},
		{"no commits", cfg(), pr(ann), nil},
	}
	runCases(t, cases)
}

func TestAllowlist(t *testing.T) {
	renamed := snapshot.Identity{Name: "Ann", Email: "ann@example.org", Login: "ann-renamed", ID: 1, Type: "User"}
	recycled := snapshot.Identity{Name: "Impostor", Email: "imp@example.org", Login: "ann", ID: 999, Type: "User"}
	renovate := snapshot.Identity{Name: "renovate[bot]", Email: "29139614+renovate[bot]@users.noreply.github.com", Login: "renovate[bot]", ID: 29139614, Type: "Bot"}
	abbott := snapshot.Identity{Name: "abbott", Email: "abbott@example.org", Login: "abbott", ID: 77, Type: "User"}
	abbottBot := snapshot.Identity{Name: "abbott[bot]", Email: "78+abbott[bot]@users.noreply.github.com", Login: "abbott[bot]", ID: 78, Type: "Bot"}
	botX := snapshot.Identity{Name: "bot-x[bot]", Email: "79+bot-x[bot]@users.noreply.github.com", Login: "bot-x[bot]", ID: 79, Type: "Bot"}
	copilot := snapshot.Identity{Name: "Copilot", Email: "175728472+Copilot@users.noreply.github.com", Login: "Copilot", ID: 175728472, Type: "Bot"}
	pinned := func(c *config.CLA) { c.Allowlist = []config.AllowEntry{{GitHubID: 1, Login: "ann"}} }
	runCases(t, []ruleCase{
		{"by id", cfg(pinned), pr(ann, commit(ann, "x")), []verdict{{"@ann", Covered, "allowlist:github_id:1", ""}}},
		{"by id after a rename", cfg(pinned), pr(renamed, commit(renamed, "x")), []verdict{{"@ann-renamed", Covered, "allowlist:github_id:1", ""}}},
		{"a recycled login does not inherit the entry", cfg(pinned), pr(recycled, commit(recycled, "x")), []verdict{{"@ann", Missing, "", MissingSignature}}},
		{"a bot glob matches the whole login of a bot", cfg(func(c *config.CLA) { c.Allowlist = []config.AllowEntry{{Login: "bot*[bot]"}} }),
			pr(botX, verified(commit(botX, "x"))), []verdict{{"@bot-x[bot]", Covered, "allowlist:login:bot*[bot]", ""}}},
		{"bot* never matches abbott[bot] (no substring match)", cfg(func(c *config.CLA) { c.Allowlist = []config.AllowEntry{{Login: "bot*[bot]"}} }),
			pr(abbottBot, verified(commit(abbottBot, "x"))), []verdict{{"@abbott[bot]", Missing, "", MissingSignature}}},
		{"a bot login entry never matches a person", cfg(func(c *config.CLA) { c.Allowlist = []config.AllowEntry{{Login: "*"}} }),
			pr(abbott, verified(commit(abbott, "x"))), []verdict{{"@abbott", Missing, "", MissingSignature}}},
		{"bots: true covers an authenticated bot", cfg(func(c *config.CLA) { c.Allowlist = []config.AllowEntry{{Bots: true}} }),
			pr(renovate, commit(renovate, "x")), []verdict{{"@renovate[bot]", Covered, "allowlist:bots", ""}}},
		{"an allowlisted bot that opened the PR", cfg(func(c *config.CLA) { c.Allowlist = []config.AllowEntry{{GitHubID: 49699333}} }),
			pr(depbot, commit(depbot, "bump")), []verdict{{"@dependabot[bot]", Covered, "allowlist:github_id:49699333", ""}}},
		{"an allowlisted bot on a verified commit in someone's PR", cfg(func(c *config.CLA) { c.Allowlist = []config.AllowEntry{{GitHubID: 49699333}} }),
			signed(pr(ann, verified(commit(depbot, "bump")), commit(ann, "y")), ann, "2.0"),
			[]verdict{{"@dependabot[bot]", Covered, "allowlist:github_id:49699333", ""}, {"@ann", Covered, "icla:2.0", ""}}},
		{"one unverified commit in the bot's name is enough to refuse", cfg(func(c *config.CLA) { c.Allowlist = []config.AllowEntry{{GitHubID: 49699333}} }),
			pr(ann, verified(commit(depbot, "bump")), commit(depbot, "sneaky")),
			[]verdict{{"@dependabot[bot]", Missing, "", BotNotAuthenticated}}},
		{"an unverified commit by a bot identity resolved from its noreply address", cfg(func(c *config.CLA) { c.Allowlist = []config.AllowEntry{{GitHubID: 49699333}} }),
			pr(ann, commit(snapshot.Identity{Name: "x", Email: depbot.Email}, "sneaky")),
			[]verdict{{"@dependabot[bot]", Missing, "", BotNotAuthenticated}}},
		{"a bot co-author allowlisted by id is accepted as is", cfg(func(c *config.CLA) { c.Allowlist = []config.AllowEntry{{GitHubID: 175728472, Login: "Copilot"}} }),
			signed(pr(ann, withCoauthors(commit(ann, "x\n\nCo-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>"), copilot)), ann, "2.0"),
			[]verdict{{"@ann", Covered, "icla:2.0", ""}, {"@Copilot", Covered, "allowlist:github_id:175728472", ""}}},
		{"an unlinked email is never allowlisted, whatever its name", cfg(func(c *config.CLA) { c.Allowlist = []config.AllowEntry{{Bots: true}, {Login: "*[bot]"}} }),
			pr(ann, commit(snapshot.Identity{Name: "dependabot[bot]", Email: "dependabot[bot]@example.org"}, "x")),
			[]verdict{{"dependabot[bot]@example.org", Missing, "", UnlinkedEmail}}},
		{"first entry wins and is reported", cfg(func(c *config.CLA) {
			c.Allowlist = []config.AllowEntry{{Bots: true}, {GitHubID: 49699333}}
		}), pr(depbot, commit(depbot, "x")), []verdict{{"@dependabot[bot]", Covered, "allowlist:bots", ""}}},
		{"allowlist before signatures", cfg(pinned), signed(pr(ann, commit(ann, "x")), ann, "2.0"), []verdict{{"@ann", Covered, "allowlist:github_id:1", ""}}},
	})
}

func TestIndividual(t *testing.T) {
	v21 := func(c *config.CLA) {
		c.Agreements[0].Version = "2.1.0"
		c.Agreements[0].CompatibleWith = []config.AgreementVersion{"2.0"}
	}
	expired := now.Add(-time.Hour)
	runCases(t, []ruleCase{
		{"current version", cfg(v21), signed(pr(ann, commit(ann, "x")), ann, "2.1.0"), []verdict{{"@ann", Covered, "icla:2.1.0", ""}}},
		{"the same version written differently", cfg(v21), signed(pr(ann, commit(ann, "x")), ann, "v2.1"), []verdict{{"@ann", Covered, "icla:v2.1", ""}}},
		{"a compatible version: no re-signing after a typo fix", cfg(v21), signed(pr(ann, commit(ann, "x")), ann, "2.0.0"), []verdict{{"@ann", Covered, "icla:2.0.0", ""}}},
		{"an incompatible older version", cfg(v21), signed(pr(ann, commit(ann, "x")), ann, "1.0"), []verdict{{"@ann", Missing, "", ResignRequired}}},
		{"grace period over", cfg(v21, func(c *config.CLA) { c.Agreements[0].GraceUntil = &expired }), signed(pr(ann, commit(ann, "x")), ann, "1.0"),
			[]verdict{{"@ann", Missing, "", ResignRequired}}},
		{"an old and a current signature", cfg(v21), signed(signed(pr(ann, commit(ann, "x")), ann, "1.0"), ann, "2.1.0"), []verdict{{"@ann", Covered, "icla:2.1.0", ""}}},
		{"another agreement's signature does not count", cfg(), func() *snapshot.Snapshot {
			s := pr(ann, commit(ann, "x"))
			s.CLA.Signatures = []snapshot.Signature{{AgreementID: "other", Version: "2.0", GitHubID: 1, SignedAt: before}}
			return s
		}(), []verdict{{"@ann", Missing, "", MissingSignature}}},
		{"someone else's signature does not count", cfg(), signed(pr(ann, commit(ann, "x")), bob, "2.0"), []verdict{{"@ann", Missing, "", MissingSignature}}},
		{"revoked after evaluation time still counts", cfg(), func() *snapshot.Snapshot {
			s := signed(pr(ann, commit(ann, "x")), ann, "2.0")
			s.CLA.Signatures[0].RevokedAt = &later
			return s
		}(), []verdict{{"@ann", Covered, "icla:2.0", ""}}},
		{"revoked, then signed again", cfg(), func() *snapshot.Snapshot {
			s := signed(signed(pr(ann, commit(ann, "x")), ann, "2.0"), ann, "2.0")
			s.CLA.Signatures[0].RevokedAt = &before
			return s
		}(), []verdict{{"@ann", Covered, "icla:2.0", ""}}},
	})
}

func TestCorporate(t *testing.T) {
	corp := func(ca config.CorporateAgreement) func(*config.CLA) {
		return func(c *config.CLA) { c.Corporate = append(c.Corporate, ca) }
	}
	sub := acmeCorp(config.Approval{Type: config.ApproveDomain, Value: "acme.com", IncludeSubdomains: true})
	notacme := snapshot.Identity{Name: "N", Email: "n@notacme.com", Login: "n", ID: 8, Type: "User"}
	unlinkedAcme := snapshot.Identity{Name: "Bob Roe", Email: "bob@acme.com"}
	expired := now.Add(-time.Hour)
	notYet := later
	runCases(t, []ruleCase{
		{"domain", cfg(corp(acmeCorp())), pr(bob, commit(bob, "x")), []verdict{{"@bob", Covered, "ccla:ccla-acme/domain:acme.com", ""}}},
		{"domain: not a subdomain unless enabled", cfg(corp(acmeCorp())), pr(dee, commit(dee, "x")), []verdict{{"@dee", Missing, "", MissingSignature}}},
		{"domain: subdomain when enabled", cfg(corp(sub)), pr(dee, commit(dee, "x")), []verdict{{"@dee", Covered, "ccla:ccla-acme/domain:acme.com", ""}}},
		{"domain: *.acme.com's intent never matches notacme.com", cfg(corp(sub)), pr(notacme, commit(notacme, "x")), []verdict{{"@n", Missing, "", MissingSignature}}},
		{"domain: an email GitHub does not link never counts", cfg(corp(acmeCorp())), pr(ann, commit(unlinkedAcme, "x")),
			[]verdict{{"bob@acme.com", Missing, "", UnlinkedEmail}}},
		{"domain: a noreply email of an acme employee does not count", cfg(corp(acmeCorp())),
			pr(ann, commit(snapshot.Identity{Name: "Bob", Email: "2+bob@users.noreply.github.com", Login: "bob", ID: 2, Type: "User"}, "x")),
			[]verdict{{"@bob", Missing, "", MissingSignature}}},
		{"email", cfg(corp(acmeCorp(config.Approval{Type: config.ApproveEmail, Value: "Bob@Acme.com"}))), pr(bob, commit(bob, "x")),
			[]verdict{{"@bob", Covered, "ccla:ccla-acme/email:bob@acme.com", ""}}},
		{"github_user by id", cfg(corp(acmeCorp(config.Approval{Type: config.ApproveUser, GitHubID: 1, Login: "ann"}))), pr(ann, commit(ann, "x")),
			[]verdict{{"@ann", Covered, "ccla:ccla-acme/github_user:1", ""}}},
		{"github_org member", cfg(corp(acmeCorp(config.Approval{Type: config.ApproveOrg, Org: "Acme-Corp"}))),
			member(pr(ann, commit(ann, "x")), ann, "acme-corp", "", true, true),
			[]verdict{{"@ann", Covered, "ccla:ccla-acme/github_org:Acme-Corp", ""}}},
		{"github_org: not a member, seen with a token that sees all", cfg(corp(acmeCorp(config.Approval{Type: config.ApproveOrg, Org: "acme-corp"}))),
			member(pr(ann, commit(ann, "x")), ann, "acme-corp", "", false, true),
			[]verdict{{"@ann", Missing, "", MissingSignature}}},
		{"github_team member", cfg(corp(acmeCorp(config.Approval{Type: config.ApproveTeam, Org: "acme-corp", Team: "oss"}))),
			member(member(pr(ann, commit(ann, "x")), ann, "acme-corp", "", true, true), ann, "acme-corp", "oss", true, true),
			[]verdict{{"@ann", Covered, "ccla:ccla-acme/github_team:acme-corp/oss", ""}}},
		{"github_team: an org member outside the team", cfg(corp(acmeCorp(config.Approval{Type: config.ApproveTeam, Org: "acme-corp", Team: "oss"}))),
			member(member(pr(ann, commit(ann, "x")), ann, "acme-corp", "", true, true), ann, "acme-corp", "oss", false, true),
			[]verdict{{"@ann", Missing, "", MissingSignature}}},
		{"terminated", cfg(corp(func() config.CorporateAgreement { c := acmeCorp(); c.Status = config.CorporateEnded; return c }())),
			pr(bob, commit(bob, "x")), []verdict{{"@bob", Missing, "", CorpInactive}}},
		{"expired", cfg(corp(func() config.CorporateAgreement { c := acmeCorp(); c.ExpiresAt = &expired; return c }())),
			pr(bob, commit(bob, "x")), []verdict{{"@bob", Missing, "", CorpInactive}}},
		{"not yet signed", cfg(corp(func() config.CorporateAgreement { c := acmeCorp(); c.SignedAt = &notYet; return c }())),
			pr(bob, commit(bob, "x")), []verdict{{"@bob", Missing, "", CorpInactive}}},
		{"an expired agreement and an active one: the active one covers", cfg(
			corp(func() config.CorporateAgreement { c := acmeCorp(); c.ID = "old"; c.ExpiresAt = &expired; return c }()), corp(acmeCorp())),
			pr(bob, commit(bob, "x")), []verdict{{"@bob", Covered, "ccla:ccla-acme/domain:acme.com", ""}}},
		{"acknowledged", cfg(corp(func() config.CorporateAgreement { c := acmeCorp(); c.RequireAck = true; return c }())),
			func() *snapshot.Snapshot {
				s := pr(bob, commit(bob, "x"))
				s.CLA.Signatures = []snapshot.Signature{{AgreementID: "ccla-acme", Version: "1", GitHubID: 2, SignedAt: before}}
				return s
			}(), []verdict{{"@bob", Covered, "ccla:ccla-acme/domain:acme.com", ""}}},
		{"require_icla without the individual agreement", cfg(corp(func() config.CorporateAgreement { c := acmeCorp(); c.RequireICLA = true; return c }())),
			pr(bob, commit(bob, "x")), []verdict{{"@bob", Missing, "", MissingSignature}}},
		{"require_icla with it: the individual agreement is the basis", cfg(corp(func() config.CorporateAgreement { c := acmeCorp(); c.RequireICLA = true; return c }())),
			signed(pr(bob, commit(bob, "x")), bob, "2.0"), []verdict{{"@bob", Covered, "icla:2.0", ""}}},
		{"a signature wins over a corporate approval (first match)", cfg(corp(acmeCorp())), signed(pr(bob, commit(bob, "x")), bob, "2.0"),
			[]verdict{{"@bob", Covered, "icla:2.0", ""}}},
		{"corporate coverage makes an outdated signature irrelevant", cfg(corp(acmeCorp())), signed(pr(bob, commit(bob, "x")), bob, "1.0"),
			[]verdict{{"@bob", Covered, "ccla:ccla-acme/domain:acme.com", ""}}},
		{"a co-author's verified email matches a domain rule", cfg(corp(acmeCorp())),
			signed(pr(ann, withCoauthors(commit(ann, "x\n\nCo-authored-by: Bob Roe <bob@acme.com>"), bob)), ann, "2.0"),
			[]verdict{{"@ann", Covered, "icla:2.0", ""}, {"@bob", Covered, "ccla:ccla-acme/domain:acme.com", ""}}},
	})
}

func TestDomainMatches(t *testing.T) {
	for _, tc := range []struct {
		email, domain string
		sub, want     bool
	}{
		{"x@acme.com", "acme.com", false, true},
		{"x@ACME.COM", "acme.com", false, true},
		{"x@acme.com.", "acme.com", false, true},
		{"x@eu.acme.com", "acme.com", false, false},
		{"x@eu.acme.com", "acme.com", true, true},
		{"x@notacme.com", "acme.com", true, false},
		{"x@acme.com.evil.org", "acme.com", true, false},
		{"x@acme.co", "acme.com", true, false},
		{"acme.com@evil.org", "acme.com", true, false},
		{"no-at-sign", "acme.com", true, false},
	} {
		if got := domainMatches(tc.email, tc.domain, tc.sub); got != tc.want {
			t.Errorf("domainMatches(%q, %q, %v) = %v, want %v", tc.email, tc.domain, tc.sub, got, tc.want)
		}
	}
}

func TestGlobFold(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"bot*", "bot", true},
		{"bot*", "botnik", true},
		{"bot*", "abbott", false},
		{"bot*", "robotnik", false},
		{"*bot", "abbot", true},
		{"*bot", "abbott", false},
		{"renovate*[bot]", "Renovate-Approve[bot]", true},
		{"renovate*[bot]", "renovate[bot]", true},
		{"renovate*[bot]", "xrenovate[bot]", false},
		{"a*b*c", "aXbYc", true},
		{"a*b*c", "aXcYb", false},
		{"", "", true},
		{"*", "", true},
	} {
		if got := globFold(tc.pattern, tc.s); got != tc.want {
			t.Errorf("globFold(%q, %q) = %v, want %v", tc.pattern, tc.s, got, tc.want)
		}
	}
}

func TestVersions(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"2", "2.0", true}, {"v2.0.0", "2", true}, {"2.1", "2.10", false}, {"2.0.1", "2.0", false},
		{"2024-05", "2024-05", true}, {"RC1", "rc1", true}, {"1.0", "1.0-rc1", false},
	} {
		if got := SameVersion(tc.a, tc.b); got != tc.want {
			t.Errorf("SameVersion(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
	for v, want := range map[string]string{"2.1.0": "2", "v3": "3", "2024-05": "2024-05", "02.1": "2"} {
		if got := Major(v); got != want {
			t.Errorf("Major(%q) = %q, want %q", v, got, want)
		}
	}
	a := &config.Agreement{Version: "2.1.0", CompatibleWith: []config.AgreementVersion{"2.0"}}
	for v, want := range map[string]bool{"2.1.0": true, "2.1": true, "2.0": true, "2": true, "1": false, "2.2": false, "3": false} {
		if got := AcceptsVersion(a, v); got != want {
			t.Errorf("AcceptsVersion(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestParseNoreply(t *testing.T) {
	for _, tc := range []struct {
		email string
		id    int64
		login string
		ok    bool
	}{
		{"1+ann@users.noreply.github.com", 1, "ann", true},
		{"49699333+dependabot[bot]@users.noreply.github.com", 49699333, "dependabot[bot]", true},
		{"ann@users.noreply.github.com", 0, "ann", true},
		{"ANN@Users.NoReply.GitHub.com", 0, "ANN", true},
		{"x+ann@users.noreply.github.com", 0, "", false},
		{"+ann@users.noreply.github.com", 0, "", false},
		{"1+@users.noreply.github.com", 0, "", false},
		{"ann@users.noreply.github.com.evil.org", 0, "", false},
		{"ann@example.org", 0, "", false},
	} {
		id, login, ok := ParseNoreply(tc.email)
		if id != tc.id || login != tc.login || ok != tc.ok {
			t.Errorf("ParseNoreply(%q) = %d %q %v", tc.email, id, login, ok)
		}
	}
}
