package dco

import (
	"testing"

	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

func TestFix(t *testing.T) {
	signed := commit(ann, ann, msg("ok", so(ann)))
	unsigned := commit(ann, ann, "no sign-off")
	tests := []struct {
		name string
		cfg  configDCO
		snap *snapshot.Snapshot
		want Fix
	}{
		{"nothing fails", cfgWith(), pr(signed, signed), Fix{}},
		{"only the head fails: amend", cfgWith(), pr(signed, signed, unsigned), Fix{Method: FixAmend}},
		{"only an older commit fails: rebase onto the branch start", cfgWith(), pr(signed, unsigned, signed),
			Fix{Method: FixRebase, RebaseOnto: sha(0)}},
		{"head and an older commit fail", cfgWith(), pr(unsigned, signed, unsigned), Fix{Method: FixRebase, RebaseOnto: sha(0)}},
		{"merges in the branch", cfgWith(), pr(unsigned, merge(commit(ann, ann, "Merge main")), signed),
			Fix{Method: FixRebase, RebaseOnto: sha(0), HasMerges: true}},
		{"head fails in a branch with merges: still amend", cfgWith(), pr(signed, merge(commit(ann, ann, "Merge main")), unsigned),
			Fix{Method: FixAmend, HasMerges: true}},
		{"root commit: nothing to rebase onto", cfgWith(), with(pr(unsigned, signed), func(s *snapshot.Snapshot) { s.Commits[0].Parents = nil }),
			Fix{Method: FixRebase}},
		{"incomplete list: the last commit read is not the head", cfgWith(), with(pr(signed, unsigned), func(s *snapshot.Snapshot) {
			s.CommitCount, s.PullRequest.HeadSHA = 5, sha(5)
		}), Fix{Method: FixRebase, RebaseOnto: sha(0)}},
		{"web commit", cfgWith(), pr(commit(ann, webflow, "Update README.md")),
			Fix{Method: FixAmend, WebCommits: true, Hints: []Hint{HintWebCommit}}},
		{"near-miss flags", cfgWith(), pr(
			commit(ann, ann, msg("a", "Signed-off-by: ann <ann@x.org>")),
			commit(ann, ann, msg("b", "Signed-off-by: Ann Lee <ann+x@x.org>")),
			commit(ann, ann, msg("c", "Signed-off-by: Ann")),
		), Fix{Method: FixRebase, RebaseOnto: sha(0), NameOnlyMismatch: true, EmailOnlyMismatch: true,
			Hints: []Hint{HintSubaddress, HintNameMismatch, HintMalformed}}},
		{"merge-queue commit only: a setting, not a rebase", cfgWith(), with(pr(commit(ann, webflow, "Squash")), func(s *snapshot.Snapshot) { s.Event = "merge_group" }),
			Fix{Hints: []Hint{HintQueueSquashMsg}}},
		{"remediation not enabled: no texts", cfgWith(), pr(unsigned), Fix{Method: FixAmend}},
		{"remediation of a single commit", cfgWith(individualRem), pr(signed, unsigned),
			Fix{Method: FixAmend, Remediation: []Remediation{{
				For:  Person{"Ann Lee", "ann@x.org"},
				SHAs: []string{sha(2)},
				Message: "DCO Remediation Commit for Ann Lee <ann@x.org>\n\n" +
					"I, Ann Lee <ann@x.org>, hereby add my Signed-off-by to this commit: " + sha(2) + "\n\n" +
					"Signed-off-by: Ann Lee <ann@x.org>",
			}}}},
		{"remediation grouped per author, in order of appearance", cfgWith(individualRem), pr(
			commit(bob, bob, "b1"),
			unsigned,
			commit(snapshot.Identity{Name: "BOB ROE", Email: "Bob@Y.org", Login: "bob"}, ann, "b2"),
			signed,
		), Fix{Method: FixRebase, RebaseOnto: sha(0), Remediation: []Remediation{
			{
				For:  Person{"Bob Roe", "bob@y.org"},
				SHAs: []string{sha(1), sha(3)},
				Message: "DCO Remediation Commit for Bob Roe <bob@y.org>\n\n" +
					"I, Bob Roe <bob@y.org>, hereby add my Signed-off-by to this commit: " + sha(1) + "\n" +
					"I, Bob Roe <bob@y.org>, hereby add my Signed-off-by to this commit: " + sha(3) + "\n\n" +
					"Signed-off-by: Bob Roe <bob@y.org>",
			},
			{
				For:  Person{"Ann Lee", "ann@x.org"},
				SHAs: []string{sha(2)},
				Message: "DCO Remediation Commit for Ann Lee <ann@x.org>\n\n" +
					"I, Ann Lee <ann@x.org>, hereby add my Signed-off-by to this commit: " + sha(2) + "\n\n" +
					"Signed-off-by: Ann Lee <ann@x.org>",
			},
		}}},
		{"remediation text uses the trimmed author identity", cfgWith(individualRem),
			pr(commit(snapshot.Identity{Name: "  Ann Lee ", Email: " ann@x.org "}, ann, "x")),
			Fix{Method: FixAmend, Remediation: []Remediation{{
				For:  Person{"Ann Lee", "ann@x.org"},
				SHAs: []string{sha(1)},
				Message: "DCO Remediation Commit for Ann Lee <ann@x.org>\n\n" +
					"I, Ann Lee <ann@x.org>, hereby add my Signed-off-by to this commit: " + sha(1) + "\n\n" +
					"Signed-off-by: Ann Lee <ann@x.org>",
			}}}},
		{"member exempt commits need no fix", cfgWith(membersExempt), with(pr(verified(unsigned)), func(s *snapshot.Snapshot) { s.OrgMembers = []string{"ann"} }), Fix{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmpDiff(tt.want, Evaluate(tt.cfg, tt.snap).Fix); diff != "" {
				t.Errorf("Fix (-want +got):\n%s", diff)
			}
		})
	}
}
