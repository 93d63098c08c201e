package dco

import (
	"reflect"
	"strings"
	"testing"

	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

// Regression cases for the user complaints of dco.md §7, one per complaint
// (row number first). Each says what we do and why.

func TestComplaints(t *testing.T) {
	d := cfgWith()
	handle := snapshot.Identity{Name: "octocat", Email: "mona@x.org", Login: "octocat", Type: "User"}
	account := snapshot.Identity{Name: "Ann Lee", Email: "1+ann@users.noreply.github.com", Login: "ann", Type: "User"}
	copilot := snapshot.Identity{Name: "Copilot", Email: "198982749+Copilot@users.noreply.github.com", Login: "Copilot", Type: "Bot"}
	queue := func(s *snapshot.Snapshot) { s.Event = "merge_group" }
	runRules(t, []ruleCase{
		{"§7.1 handle as git name", d, pr(commit(handle, handle, msg("Fix", "Signed-off-by: Mona Lisa <mona@x.org>"))),
			[]verdict{fail(ReasonMismatch, HintNameMismatch)},
			"dcoapp#17/#43: by design the name must match; the hint says only the name differs"},
		{"§7.1 handle as git name, match: email", cfgWith(emailOnly), pr(commit(handle, handle, msg("Fix", "Signed-off-by: Mona Lisa <mona@x.org>"))),
			[]verdict{pass()}, "dcoapp#201: Gerrit-style email matching is a config option here"},
		{"§7.1 shortened first name", d, pr(commit(snapshot.Identity{Name: "Bob Smith", Email: "b@s.org"}, ann, msg("Fix", "Signed-off-by: Robert Smith <b@s.org>"))),
			[]verdict{fail(ReasonMismatch, HintNameMismatch)}, ""},
		{"§7.2 web-UI commit signed with profile name and public email", d, pr(commit(account, webflow, msg("Fix typo", "Signed-off-by: Ann Lee <ann@x.org>"))),
			[]verdict{fail(ReasonMismatch, HintEmailMismatch, HintWebCommit)},
			"dcoapp#114: the web UI commits with the noreply address; the hint and WebCommits point at the setting"},
		{"§7.2 web-UI commit with GitHub's web sign-off setting on", d, pr(commit(account, webflow, msg("Fix typo", so(account)))),
			[]verdict{pass()}, "the setting signs off with the commit's own author identity"},
		{"§7.2 review suggestion committed unsigned", d, pr(commit(ann, webflow, msg("Apply suggestions from code review", "Co-authored-by: Bob Roe <bob@y.org>"))),
			[]verdict{fail(ReasonMissing, HintWebCommit)}, "replicate/cog#502: co-authors are not sign-offs"},
		{"§7.4 merge queue squash dropped the sign-offs", d, with(pr(commit(account, webflow, msg("Fix (#7)", "PR description."))), queue),
			[]verdict{fail(ReasonQueueNoTrailer, HintQueueSquashMsg)}, "dcoapp#188 passes this; we fail and name the setting"},
		{"§7.4 merge queue squash kept the sign-offs", d, with(pr(commit(account, webflow, msg("Fix (#7)", "* Fix", "", so(ann)))), queue),
			[]verdict{{Outcome: Pass, Reason: ReasonQueueTrail}}, "dcoapp#126/#313: identities were checked on the PR"},
		{"§7.4 squash identity drift in a later promotion PR", d, pr(commit(account, webflow, msg("Fix (#7)", so(ann)))),
			[]verdict{fail(ReasonMismatch, HintEmailMismatch, HintWebCommit)}, "open-feature/dart-server-sdk#135: the account author differs from the git trailer"},
		{"§7.4 squash identity drift, remediated by the author", cfgWith(individualRem), pr(
			commit(account, webflow, msg("Fix (#7)", so(ann))),
			commit(account, account, msg("Remedy", remedy(account, sha(1)), "", so(account))),
		), []verdict{remediatedBy(2), pass()}, "what that project did: enable remediation"},
		{"§7.5 dependabot signs as support@github.com", d, pr(commit(depbot, webflow, msg("Bump x", "Signed-off-by: dependabot[bot] <support@github.com>"))),
			[]verdict{skip(ReasonBot)}, "skipped by account type, so its odd trailer does not matter"},
		{"§7.5 dependabot with skip_bots off", cfgWith(noSkipBots), pr(commit(depbot, webflow, msg("Bump x", "Signed-off-by: dependabot[bot] <support@github.com>"))),
			[]verdict{fail(ReasonMismatch, HintEmailMismatch, HintWebCommit)}, "then it is judged like anyone"},
		{"§7.5 Copilot's login has no [bot] suffix", d, pr(commit(copilot, webflow, "Add tests")),
			[]verdict{skip(ReasonBot)}, "prow#605: by type, not by a name suffix"},
		{"§7.5 unlinked [bot] noreply address", d,
			pr(commit(snapshot.Identity{Name: "hive-bot[bot]", Email: "hive-bot[bot]@users.noreply.github.com"}, ann, msg("Sync", "Signed-off-by: hive-bot[bot] <hive-bot[bot]@users.noreply.github.com>"))),
			[]verdict{pass()}, "hivecommons/hive#6251: dcoapp says 'not a valid email address'"},
		{"§7.5 renovate with an unlinked email is not a bot", d, pr(commit(snapshot.Identity{Name: "Renovate Bot", Email: "bot@renovateapp.com"}, ann, "Update deps")),
			[]verdict{fail(ReasonMissing)}, "no account type, no skip: never by name"},
		{"§7.6 noreply sign-off accepted", d, pr(commit(account, account, msg("Fix", so(account)))),
			[]verdict{pass()}, "dcoapp#139/#314: privacy wins, as in both apps"},
		{"§7.9 sign-off by the committer", d, pr(commit(unknown, ann, msg("Fix", so(ann)))),
			[]verdict{pass()}, "dcoapp#39 → #68: committer accepted"},
		{"§7.9 sign-off by someone unrelated", d, pr(commit(ann, ann, msg("Fix", so(bob)))),
			[]verdict{fail(ReasonMismatch)}, "dcoapp#37 (wontfix): the sign-off must be the author's or committer's"},
		{"§7.10 sign-off email that is not an address", d, pr(commit(ann, ann, msg("Fix", "Signed-off-by: Ann Lee <ann>"))),
			[]verdict{fail(ReasonMalformed, HintMalformed)}, "dcoapp#34: a real email address is expected"},
		{"§7.11 member whose membership is not visible", cfgWith(membersExempt), pr(verified(commit(ann, ann, "Fix"))),
			[]verdict{fail(ReasonMissing)}, "cncf/dco2#115: without a visible membership there is no exemption; MembershipQueries asks"},
		{"§7.12 merge queue: PR commits judged, queue commit checked for a trailer", d, with(pr(
			commit(ann, ann, msg("Fix", so(ann))),
			commit(account, webflow, msg("Fix (#7)", so(ann))),
		), queue), []verdict{pass(), {Outcome: Pass, Reason: ReasonQueueTrail}}, "dcoapp#199: the legacy app never ran on merge_group"},
	})

	t.Run("§7.2 the advice names the commit's own identities", func(t *testing.T) {
		r := Evaluate(d, pr(commit(account, webflow, msg("Fix typo", "Signed-off-by: Ann Lee <ann@x.org>"))))
		got := r.Commits[0].Expected
		want := []Person{{"Ann Lee", "1+ann@users.noreply.github.com"}, {"GitHub", "noreply@github.com"}}
		if diff := cmpDiff(want, got); diff != "" {
			t.Errorf("Expected (-want +got):\n%s", diff)
		}
		if !r.Fix.WebCommits || !r.Fix.EmailOnlyMismatch {
			t.Errorf("Fix = %+v, want WebCommits and EmailOnlyMismatch", r.Fix)
		}
	})

	t.Run("§7.3 level-triggered: same input, same verdict, input untouched", func(t *testing.T) {
		s := pr(commit(ann, ann, "a"), commit(ann, bob, msg("b", so(bob))), merge(commit(ann, ann, "m")))
		before := *s
		before.Commits = append([]snapshot.Commit(nil), s.Commits...)
		r1, r2 := Evaluate(cfgWith(individualRem), s), Evaluate(cfgWith(individualRem), s)
		if !reflect.DeepEqual(r1, r2) {
			t.Error("two evaluations of one snapshot differ")
		}
		if !reflect.DeepEqual(before, *s) {
			t.Error("Evaluate modified its input")
		}
	})

	t.Run("§7.7 the suggested remediation commit passes", func(t *testing.T) {
		s := pr(commit(ann, ann, "a"), commit(ann, ann, msg("b", "Signed-off-by: ann <ann@old.org>")), commit(bob, bob, "c"))
		cfg := cfgWith(individualRem)
		r := Evaluate(cfg, s)
		if len(r.Fix.Remediation) != 2 {
			t.Fatalf("got %d remediation texts, want 2", len(r.Fix.Remediation))
		}
		for _, crlf := range []bool{false, true} {
			s2 := pr(s.Commits...)
			for _, rem := range r.Fix.Remediation {
				id := snapshot.Identity{Name: rem.For.Name, Email: rem.For.Email}
				m := rem.Message
				if crlf {
					m = strings.ReplaceAll(m, "\n", " \r\n") // pasted on Windows, with a stray space
				}
				s2 = pr(append(s2.Commits, commit(id, id, m))...)
			}
			if r2 := Evaluate(cfg, s2); !r2.Passed() {
				t.Errorf("crlf=%v: still failing: %+v", crlf, r2.Failed())
			}
		}
	})

	t.Run("§7.8 commit 251 of 300 unsigned", func(t *testing.T) {
		var cs []snapshot.Commit
		for i := 1; i <= 300; i++ {
			m := msg("Change", so(ann))
			if i == 251 {
				m = "Change"
			}
			cs = append(cs, commit(ann, ann, m))
		}
		s := pr(cs...)
		s.CommitCount = 300
		r := Evaluate(d, s)
		if f := r.Failed(); len(f) != 1 || f[0].SHA != sha(251) || r.Passed() {
			t.Errorf("got failures %v, want only commit 251", f)
		}
		s.Commits = s.Commits[:250] // what a 250-capped listing returns
		if r := Evaluate(d, s); !r.Incomplete || r.Passed() || len(r.Failed()) != 0 {
			t.Errorf("truncated list: Incomplete=%v Passed=%v; want a fail-closed result", r.Incomplete, r.Passed())
		}
	})
}
