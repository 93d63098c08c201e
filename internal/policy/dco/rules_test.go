package dco

import (
	"testing"

	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

// Rows of dco.md §10 ("Recommendations for our Go implementation"), one
// t.Run each. Row names say which §10 area they belong to.

func TestKeyDetection(t *testing.T) {
	d := cfgWith()
	runRules(t, []ruleCase{
		{"exact key", d, pr(commit(ann, ann, msg("Fix", so(ann)))), []verdict{pass()}, ""},
		{"lower-case key", d, pr(commit(ann, ann, msg("Fix", "signed-off-by: Ann Lee <ann@x.org>"))), []verdict{pass()}, "dcoapp/dco2 are case-insensitive"},
		{"upper-case key", d, pr(commit(ann, ann, msg("Fix", "SIGNED-OFF-BY: Ann Lee <ann@x.org>"))), []verdict{pass()}, ""},
		{"indented key does not count", d, pr(commit(ann, ann, msg("Fix", "    "+so(ann)))),
			[]verdict{fail(ReasonMissing, HintIndented)}, "an indented line is an example, not a statement"},
		{"quoted key does not count", d, pr(commit(ann, ann, msg("Fix", "> "+so(ann)))),
			[]verdict{fail(ReasonMissing, HintIndented)}, "a quoted line is someone else's words"},
		{"CRLF line endings", d, pr(commit(ann, ann, "Fix\r\n\r\n"+so(ann)+"\r\n")), []verdict{pass()}, ""},
		{"lone CR line endings", d, pr(commit(ann, ann, "Fix\r\r"+so(ann)+"\r")), []verdict{pass()}, ""},
		{"tab after the colon", d, pr(commit(ann, ann, msg("Fix", "Signed-off-by:\tAnn Lee <ann@x.org>"))), []verdict{pass()}, ""},
		{"several spaces after the colon and inside <>", d, pr(commit(ann, ann, msg("Fix", "Signed-off-by:   Ann Lee   <  ann@x.org  >"))),
			[]verdict{pass()}, "dcoapp/dco2 fail this with a confusing Expected/got"},
		{"trailing whitespace", d, pr(commit(ann, ann, msg("Fix", so(ann)+"  \t"))), []verdict{pass()}, "legacy dcoapp/tim-actions fail this"},
		{"sign-off on the subject line", d, pr(commit(ann, ann, so(ann))), []verdict{pass()}, "dcoapp/dco2 accept it; so do we"},
		{"sign-off above a Change-Id paragraph", d, pr(commit(ann, ann, msg("Fix", so(ann), "", "Change-Id: I0123"))),
			[]verdict{pass()}, "KineticCafe's last-paragraph rule fails this (dco.md §10)"},
		{"sign-off before a cherry-pick note", d, pr(commit(ann, ann, msg("Fix", so(ann), "(cherry picked from commit "+sha(9)+")", "", "Conflicts: x.go"))),
			[]verdict{pass()}, ""},
		{"sign-off inside a fenced block counts", d, pr(commit(ann, ann, msg("Fix", "```", so(ann), "```"))),
			[]verdict{pass()}, "fences are not special: git knows no Markdown"},
		{"unclosed fence in the subject does not hide the trailer", d, pr(commit(ann, ann, msg("Fix ``` parsing", so(ann)))), []verdict{pass()}, ""},
		{"space before the colon", d, pr(commit(ann, ann, msg("Fix", "Signed-off-by : Ann Lee <ann@x.org>"))),
			[]verdict{fail(ReasonMissing, HintMisspelledKey)}, "not the key the anchors accept; the hint says so"},
		{"misspelled key", d, pr(commit(ann, ann, msg("Fix", "Signed-of-by: Ann Lee <ann@x.org>"))),
			[]verdict{fail(ReasonMissing, HintMisspelledKey)}, "checkpatch suggests the right spelling; so do we"},
		{"no sign-off at all", d, pr(commit(ann, ann, msg("Fix", "Body."))), []verdict{fail(ReasonMissing)}, ""},
	})
}

func TestParsing(t *testing.T) {
	d := cfgWith()
	runRules(t, []ruleCase{
		{"sign-off without an email", d, pr(commit(ann, ann, msg("Fix", "Signed-off-by: Ann Lee"))),
			[]verdict{fail(ReasonMalformed, HintMalformed)}, "say what is wrong instead of 'missing'"},
		{"sign-off with 'at' instead of @", d, pr(commit(ann, ann, msg("Fix", "Signed-off-by: Ann Lee <ann at x.org>"))),
			[]verdict{fail(ReasonMalformed, HintMalformed)}, "clearly invalid trailer address"},
		{"sign-off with a bare email", d, pr(commit(ann, ann, msg("Fix", "Signed-off-by: ann@x.org"))),
			[]verdict{fail(ReasonMalformed, HintMalformed)}, ""},
		{"a malformed line beside a valid one", d, pr(commit(ann, ann, msg("Fix", "Signed-off-by: Ann", so(ann)))),
			[]verdict{pass()}, "one valid sign-off is enough"},
		{"a malformed line beside a wrong one", d, pr(commit(ann, ann, msg("Fix", "Signed-off-by: Ann", so(bob)))),
			[]verdict{fail(ReasonMismatch, HintMalformed)}, ""},
		{"+tag and [bot] addresses are valid", d, pr(
			commit(snapshot.Identity{Name: "Ann", Email: "ann+oss@x.org"}, ann, msg("Fix", "Signed-off-by: Ann <ann+oss@x.org>")),
			commit(snapshot.Identity{Name: "helper[bot]", Email: "helper[bot]@users.noreply.github.com"}, ann, msg("Fix", "Signed-off-by: helper[bot] <helper[bot]@users.noreply.github.com>")),
		), []verdict{pass(), pass()}, "dcoapp's email-validator rejects these (hivecommons/hive#6251)"},
		{"non-ASCII address", d, pr(commit(snapshot.Identity{Name: "Zoë", Email: "zoë@exämple.de"}, ann, msg("Fix", "Signed-off-by: Zoë <zoë@exämple.de>"))),
			[]verdict{pass()}, "dcoapp rejects non-ASCII local parts"},
		{"dotless domain", d, pr(commit(snapshot.Identity{Name: "Root", Email: "root@localhost"}, ann, msg("Fix", "Signed-off-by: Root <root@localhost>"))),
			[]verdict{pass()}, "not clearly invalid; dco2 accepts it too"},
	})
}

func TestIdentityPair(t *testing.T) {
	d := cfgWith()
	maintainer := snapshot.Identity{Name: "Mae Tainer", Email: "mae@acme.org", Login: "mae"}
	runRules(t, []ruleCase{
		{"author pair", d, pr(commit(ann, bob, msg("Fix", so(ann)))), []verdict{pass()}, ""},
		{"committer pair: git rebase --signoff by a maintainer", d, pr(commit(ann, maintainer, msg("Fix", so(maintainer)))),
			[]verdict{pass()}, "git commit -s / rebase --signoff add the committer's identity"},
		{"committer pair: git commit --author=X -s", d, pr(commit(unknown, ann, msg("Fix", so(ann)))),
			[]verdict{pass()}, "the committer certifies the change they commit for someone else"},
		{"author name with committer email is refused (dcoapp hole)", d,
			pr(commit(ann, bob, msg("Fix", "Signed-off-by: Ann Lee <bob@y.org>"))),
			[]verdict{fail(ReasonMismatch, HintSplitIdentity)}, "dcoapp passes this: names and emails compared as separate sets"},
		{"committer name with author email is refused", d,
			pr(commit(ann, bob, msg("Fix", "Signed-off-by: Bob Roe <ann@x.org>"))),
			[]verdict{fail(ReasonMismatch, HintSplitIdentity)}, ""},
		{"case-insensitive name and email", d, pr(commit(ann, ann, msg("Fix", "Signed-off-by: ANN LEE <Ann@X.ORG>"))), []verdict{pass()}, ""},
		{"NFC: decomposed sign-off, precomposed author", d,
			pr(commit(snapshot.Identity{Name: "Jos\u00e9 Ram\u00edrez", Email: "jose@x.org"}, ann, msg("Fix", "Signed-off-by: Jose\u0301 Rami\u0301rez <jose@x.org>"))),
			[]verdict{pass()}, "macOS file names and some IMEs produce decomposed text"},
		{"NFC and case together", d,
			pr(commit(snapshot.Identity{Name: "JOSÉ", Email: "jose@x.org"}, ann, msg("Fix", "Signed-off-by: jose\u0301 <JOSE@x.org>"))),
			[]verdict{pass()}, ""},
		{"simple folding: ß is not SS", d,
			pr(commit(snapshot.Identity{Name: "Strauß", Email: "s@x.org"}, ann, msg("Fix", "Signed-off-by: STRAUSS <s@x.org>"))),
			[]verdict{fail(ReasonMismatch, HintNameMismatch)}, "strings.EqualFold folds rune by rune (documented in identity.go)"},
		{"simple folding: Turkish dotted İ is not i", d,
			pr(commit(snapshot.Identity{Name: "İlker", Email: "i@x.org"}, ann, msg("Fix", "Signed-off-by: ilker <i@x.org>"))),
			[]verdict{fail(ReasonMismatch, HintNameMismatch)}, "left as strings.EqualFold does it"},
		{"several sign-offs, one matches", d, pr(commit(ann, ann, msg("Fix", so(bob), so(unknown), so(ann)))), []verdict{pass()}, ""},
		{"name differs", d, pr(commit(ann, ann, msg("Fix", "Signed-off-by: ann <ann@x.org>"))),
			[]verdict{fail(ReasonMismatch, HintNameMismatch)}, ""},
		{"email differs", d, pr(commit(ann, ann, msg("Fix", "Signed-off-by: Ann Lee <ann@old.org>"))),
			[]verdict{fail(ReasonMismatch, HintEmailMismatch)}, ""},
		{"email differs only by +tag", d, pr(commit(ann, ann, msg("Fix", "Signed-off-by: Ann Lee <ann+dco@x.org>"))),
			[]verdict{fail(ReasonMismatch, HintSubaddress)}, "checkpatch: email subaddress mismatch"},
		{"name differs only in spacing", d, pr(commit(ann, ann, msg("Fix", "Signed-off-by: Ann  Lee <ann@x.org>"))),
			[]verdict{fail(ReasonMismatch, HintNameSpacing)}, "inner spacing is part of the name; the hint shows it"},
		{"odd committer email does not fail an author sign-off", d,
			pr(commit(ann, snapshot.Identity{Name: "root", Email: "root@(none)"}, msg("Fix", so(ann)))),
			[]verdict{pass()}, "dco2 fails valid commits on committer email syntax"},
		{"empty author email never matches", d,
			pr(commit(snapshot.Identity{Name: "Nobody"}, snapshot.Identity{Name: "Nobody"}, msg("Fix", "Signed-off-by: Nobody <>"))),
			[]verdict{fail(ReasonMalformed, HintMalformed)}, ""},
	})
}

func TestEmailOnlyMode(t *testing.T) {
	e := cfgWith(emailOnly)
	runRules(t, []ruleCase{
		{"name differs, email matches the author", e, pr(commit(ann, bob, msg("Fix", "Signed-off-by: A. Lee <ann@x.org>"))), []verdict{pass()}, "dcoapp#201, Gerrit style"},
		{"name differs, email matches the committer", e, pr(commit(ann, bob, msg("Fix", "Signed-off-by: bobby <BOB@y.org>"))), []verdict{pass()}, ""},
		{"email differs", e, pr(commit(ann, bob, msg("Fix", "Signed-off-by: Ann Lee <ann@old.org>"))),
			[]verdict{fail(ReasonMismatch, HintEmailMismatch)}, ""},
		{"+tag still differs", e, pr(commit(ann, bob, msg("Fix", "Signed-off-by: Anything <ann+x@x.org>"))),
			[]verdict{fail(ReasonMismatch, HintSubaddress)}, ""},
		{"unknown match value falls back to the pair rule", cfgWith(func(c *configDCO) { c.Match = "bogus" }),
			pr(commit(ann, bob, msg("Fix", "Signed-off-by: A. Lee <ann@x.org>"))),
			[]verdict{fail(ReasonMismatch, HintNameMismatch)}, "fail towards the stricter rule"},
	})
}

func TestSkips(t *testing.T) {
	d := cfgWith()
	human := snapshot.Identity{Name: "dependabot[bot]", Email: "49699333+dependabot[bot]@users.noreply.github.com", Login: "mallory", Type: "User"}
	runRules(t, []ruleCase{
		{"merge commit skipped even unsigned", d, pr(commit(ann, ann, msg("Fix", so(ann))), merge(commit(bob, bob, "Merge branch 'main'"))),
			[]verdict{pass(), skip(ReasonMerge)}, ""},
		{"bot author by account type", d, pr(commit(depbot, webflow, "Bump x from 1 to 2")), []verdict{skip(ReasonBot)}, ""},
		{"bot not skipped when skip_bots is off", cfgWith(noSkipBots), pr(commit(depbot, webflow, "Bump x from 1 to 2")),
			[]verdict{fail(ReasonMissing, HintWebCommit)}, ""},
		{"human whose git name is dependabot[bot] is not skipped", d, pr(commit(human, human, "Bump x")),
			[]verdict{fail(ReasonMissing)}, "never skip by name or email"},
		{"unlinked identity named like a bot is not skipped", d,
			pr(commit(snapshot.Identity{Name: "renovate[bot]", Email: "bot@renovateapp.com"}, ann, "Update")),
			[]verdict{fail(ReasonMissing)}, ""},
		{"bot committer does not skip a human author", d, pr(commit(ann, depbot, "Fix")),
			[]verdict{fail(ReasonMissing)}, "only the author's account type counts"},
	})
	t.Run("three parents", func(t *testing.T) {
		s := pr(commit(ann, ann, "Merge"))
		s.Commits[0].Parents = []string{sha(0), sha(100), sha(101)}
		if got := Evaluate(d, s).Commits[0].Reason; got != ReasonMerge {
			t.Errorf("reason = %q, want %q", got, ReasonMerge)
		}
	})
}

func TestMemberExemption(t *testing.T) {
	ex := cfgWith(membersExempt)
	members := func(s *snapshot.Snapshot) { s.OrgMembers = []string{"ann"} }
	userOwned := func(s *snapshot.Snapshot) {
		s.Repository = snapshot.Repository{Owner: "ann", Name: "tool", OwnerType: "User"}
	}
	runRules(t, []ruleCase{
		{"verified member, require.members false", ex, with(pr(verified(commit(ann, ann, "Fix"))), members),
			[]verdict{skip(ReasonMember)}, "dcoapp semantics"},
		{"unverified member", ex, with(pr(commit(ann, ann, "Fix")), members),
			[]verdict{fail(ReasonMemberUnverified)}, "Commit by organization member is not verified."},
		{"unverified member with a malformed sign-off", ex, with(pr(commit(ann, ann, msg("Fix", "Signed-off-by: Ann"))), members),
			[]verdict{fail(ReasonMemberUnverified, HintMalformed)}, ""},
		{"unverified member with a wrong sign-off stays a mismatch", ex, with(pr(commit(ann, ann, msg("Fix", so(bob)))), members),
			[]verdict{fail(ReasonMismatch)}, "as dcoapp: a sign-off was given, so it is judged"},
		{"verified member with a wrong sign-off is exempt", ex, with(pr(verified(commit(ann, ann, msg("Fix", so(bob))))), members),
			[]verdict{skip(ReasonMember)}, ""},
		{"verified member, require.members true", cfgWith(), with(pr(verified(commit(ann, ann, "Fix"))), members),
			[]verdict{fail(ReasonMissing)}, "the default requires members to sign off"},
		{"verified non-member", ex, with(pr(verified(commit(bob, bob, "Fix"))), members),
			[]verdict{fail(ReasonMissing)}, ""},
		{"member login compared ignoring case", ex, with(pr(verified(commit(ann, ann, "Fix"))), func(s *snapshot.Snapshot) { s.OrgMembers = []string{"ANN"} }),
			[]verdict{skip(ReasonMember)}, "GitHub logins are case-insensitive"},
		{"member's signed-off commit is simply signed off", ex, with(pr(verified(commit(ann, ann, msg("Fix", so(ann))))), members),
			[]verdict{pass()}, ""},
		{"verified commit by a member as committer only", ex, with(pr(verified(commit(bob, ann, "Fix"))), members),
			[]verdict{fail(ReasonMissing)}, "the exemption is for the author"},
		{"unlinked author cannot be a member", ex, with(pr(verified(commit(unknown, ann, "Fix"))), members),
			[]verdict{fail(ReasonMissing)}, ""},
		{"user-owned: the owner, verified", ex, with(pr(verified(commit(ann, ann, "Fix"))), userOwned),
			[]verdict{skip(ReasonMember)}, "on a user-owned repository 'member' means the owner"},
		{"user-owned: the owner, unverified", ex, with(pr(commit(ann, ann, "Fix")), userOwned),
			[]verdict{fail(ReasonMemberUnverified)}, ""},
		{"user-owned: someone else, verified", ex, with(pr(verified(commit(bob, bob, "Fix"))), userOwned),
			[]verdict{fail(ReasonMissing)}, ""},
		{"user-owned: an org member list is ignored", ex, with(pr(verified(commit(bob, bob, "Fix"))), func(s *snapshot.Snapshot) { userOwned(s); s.OrgMembers = []string{"bob"} }),
			[]verdict{fail(ReasonMissing)}, ""},
		{"unknown owner type: no exemption", ex, with(pr(verified(commit(ann, ann, "Fix"))), func(s *snapshot.Snapshot) {
			s.Repository = snapshot.Repository{Owner: "ann", Name: "tool"}
			s.OrgMembers = []string{"ann"}
		}), []verdict{fail(ReasonMissing)}, "fail closed when the snapshot does not say who owns the repository"},
		{"bot skip comes first", ex, with(pr(verified(commit(depbot, webflow, "Bump"))), func(s *snapshot.Snapshot) { s.OrgMembers = []string{"dependabot[bot]"} }),
			[]verdict{skip(ReasonBot)}, ""},
	})
}

func TestMembershipQueries(t *testing.T) {
	ex := cfgWith(membersExempt)
	s := pr(
		verified(commit(ann, ann, "no sign-off")),                                                            // asked
		verified(commit(bob, bob, msg("Fix", so(bob)))),                                                      // signed off: not asked
		commit(snapshot.Identity{Name: "Dee", Email: "d@x", Login: "dee"}, ann, "Fix"),                       // unverified: cannot be exempt
		verified(commit(depbot, webflow, "Bump")),                                                            // bot
		verified(commit(unknown, ann, "Fix")),                                                                // no login
		verified(commit(snapshot.Identity{Name: "Ann Lee", Email: "ann@x.org", Login: "ANN"}, ann, "again")), // same login
		verified(merge(commit(bob, bob, "Merge"))),                                                           // merge
		verified(commit(snapshot.Identity{Name: "Eve", Email: "e@x", Login: "eve"}, ann, "Fix")),             // asked
		verified(commit(snapshot.Identity{Name: "Fay", Email: "f@x", Login: "fay"}, ann, "Fix")),             // remediated below: not asked
		commit(ann, ann, msg("Remediate", remedy(snapshot.Identity{Name: "Fay", Email: "f@x"}, sha(9)), "Signed-off-by: Fay <f@x>")),
	)
	s.Commits[9].Author = snapshot.Identity{Name: "Fay", Email: "f@x", Login: "fay"}
	tests := []struct {
		name string
		cfg  configDCO
		snap *snapshot.Snapshot
		want []string
	}{
		{"org, require.members false", cfgWith(membersExempt, individualRem), s, []string{"ann", "eve"}},
		{"without remediation fay is asked too", ex, s, []string{"ann", "eve", "fay"}},
		{"require.members true: no queries", cfgWith(individualRem), s, nil},
		{"user-owned: no queries", ex, with(pr(verified(commit(ann, ann, "x"))), func(s *snapshot.Snapshot) { s.Repository.OwnerType = "User" }), nil},
		{"nil snapshot", ex, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := MembershipQueries(tt.cfg, tt.snap)
			if diff := cmpDiff(tt.want, got); diff != "" {
				t.Errorf("MembershipQueries (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("members found make the commits exempt", func(t *testing.T) {
		s2 := *s
		s2.OrgMembers = MembershipQueries(ex, s)
		for i, c := range Evaluate(ex, &s2).Commits {
			if c.Outcome == Fail && (i == 0 || i == 5 || i == 7 || i == 8) {
				t.Errorf("commit %d still fails: %s", i+1, c.Detail)
			}
		}
	})
}

func TestMergeQueue(t *testing.T) {
	d := cfgWith()
	account := snapshot.Identity{Name: "Ann L.", Email: "1+ann@users.noreply.github.com", Login: "ann", Type: "User"}
	queue := func(s *snapshot.Snapshot) { s.Event = "merge_group" }
	runRules(t, []ruleCase{
		{"queue commit with a trailer of another identity", d, with(pr(commit(account, webflow, msg("Fix (#7)", "* Fix", "", so(ann)))), queue),
			[]verdict{{Outcome: Pass, Reason: ReasonQueueTrail}}, "dcoapp #313: the account author and the git trailer never agree"},
		{"queue commit without a trailer", d, with(pr(commit(account, webflow, msg("Fix (#7)", "PR body."))), queue),
			[]verdict{fail(ReasonQueueNoTrailer, HintQueueSquashMsg)}, "PR_BODY/BLANK squash messages drop trailers"},
		{"queue commit with only a malformed trailer", d, with(pr(commit(account, webflow, msg("Fix", "Signed-off-by: Ann"))), queue),
			[]verdict{fail(ReasonQueueNoTrailer, HintQueueSquashMsg)}, "dcoapp's hasSignoffTrailer needs Name <email>"},
		{"queue commit recognised by name and email", d,
			with(pr(commit(account, snapshot.Identity{Name: "GitHub", Email: "noreply@github.com"}, msg("Fix", so(ann)))), queue),
			[]verdict{{Outcome: Pass, Reason: ReasonQueueTrail}}, ""},
		{"ordinary commit in a merge group is judged in full", d, with(pr(commit(ann, ann, msg("Fix", so(bob)))), queue),
			[]verdict{fail(ReasonMismatch)}, ""},
		{"web-flow commit outside a merge group is judged in full", d, pr(commit(account, webflow, msg("Fix", so(ann)))),
			[]verdict{fail(ReasonMismatch, HintWebCommit)}, "the queue rule is for merge_group runs only"},
		{"member exemption still applies to a queue commit", cfgWith(membersExempt),
			with(pr(verified(commit(account, webflow, "Fix (#7)"))), func(s *snapshot.Snapshot) { queue(s); s.OrgMembers = []string{"ann"} }),
			[]verdict{skip(ReasonMember)}, "a member's PR passed exempt; its squash must not block the queue"},
		{"bot queue commit skipped", d, with(pr(commit(depbot, webflow, "Bump")), queue), []verdict{skip(ReasonBot)}, ""},
	})
}

func TestFailClosed(t *testing.T) {
	d := cfgWith()
	t.Run("incomplete list", func(t *testing.T) {
		s := pr(commit(ann, ann, msg("Fix", so(ann))), commit(ann, ann, msg("Fix", so(ann))))
		s.CommitCount = 300
		r := Evaluate(d, s)
		if !r.Incomplete || r.Seen != 2 || r.Total != 300 || r.Passed() {
			t.Errorf("got Incomplete=%v Seen=%d Total=%d Passed=%v; want true 2 300 false", r.Incomplete, r.Seen, r.Total, r.Passed())
		}
		want := "GitHub reports 300 commits in this pull request but only 2 could be read; the check fails rather than pass on a partial list."
		if r.Detail != want {
			t.Errorf("Detail = %q, want %q", r.Detail, want)
		}
	})
	t.Run("count but no commits", func(t *testing.T) {
		s := pr()
		s.CommitCount = 3
		if r := Evaluate(d, s); !r.Incomplete || r.Passed() {
			t.Errorf("got %+v, want an incomplete failing result", r)
		}
	})
	t.Run("complete list", func(t *testing.T) {
		s := pr(commit(ann, ann, msg("Fix", so(ann))))
		s.CommitCount = 1
		if r := Evaluate(d, s); r.Incomplete || !r.Passed() || r.Seen != 1 || r.Total != 1 {
			t.Errorf("got %+v, want a complete passing result", r)
		}
	})
	t.Run("zero commits", func(t *testing.T) {
		if diff := cmpDiff(Result{}, Evaluate(d, pr())); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
		if diff := cmpDiff(Result{}, Evaluate(d, nil)); diff != "" {
			t.Errorf("nil snapshot (-want +got):\n%s", diff)
		}
	})
}
