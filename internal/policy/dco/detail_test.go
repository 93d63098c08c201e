package dco

import (
	"strings"
	"testing"

	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

// The exact sentences: they are what a contributor reads.
func TestDetail(t *testing.T) {
	maintainer := snapshot.Identity{Name: "Mae Tainer", Email: "mae@acme.org", Login: "mae"}
	tests := []struct {
		name string
		cfg  configDCO
		snap *snapshot.Snapshot
		n    int // which commit, 0-based
		want string
	}{
		{"signed off by the author", cfgWith(), pr(commit(ann, bob, msg("x", so(ann)))), 0,
			`Signed off by "Ann Lee <ann@x.org>" (author).`},
		{"signed off by the committer", cfgWith(), pr(commit(ann, bob, msg("x", so(bob)))), 0,
			`Signed off by "Bob Roe <bob@y.org>" (committer).`},
		{"signed off, author and committer the same", cfgWith(), pr(commit(ann, ann, msg("x", "Signed-off-by: ann lee <ANN@x.org>"))), 0,
			`Signed off by "ann lee <ANN@x.org>" (author and committer).`},
		{"signed off by email only", cfgWith(emailOnly), pr(commit(ann, bob, msg("x", "Signed-off-by: A. Lee <ann@x.org>"))), 0,
			`Signed off by "A. Lee <ann@x.org>" (author's email).`},
		{"missing", cfgWith(), pr(commit(ann, bob, "x")), 0,
			`No Signed-off-by line found; expected a sign-off by "Ann Lee <ann@x.org>" (author) or "Bob Roe <bob@y.org>" (committer).`},
		{"missing, email-only mode", cfgWith(emailOnly), pr(commit(ann, ann, "x")), 0,
			`No Signed-off-by line found; expected a sign-off with the email "ann@x.org" (author and committer).`},
		{"mismatch with a name-only near miss", cfgWith(), pr(commit(ann, bob, msg("x", "Signed-off-by: ann <ann@x.org>"))), 0,
			`Expected a sign-off by "Ann Lee <ann@x.org>" (author) or "Bob Roe <bob@y.org>" (committer), found "ann <ann@x.org>". The email matches the author but the name differs.`},
		{"mismatch with the committer's email", cfgWith(), pr(commit(ann, bob, msg("x", "Signed-off-by: Bob Roe <bob@old.org>"))), 0,
			`Expected a sign-off by "Ann Lee <ann@x.org>" (author) or "Bob Roe <bob@y.org>" (committer), found "Bob Roe <bob@old.org>". The name matches the committer but the email differs.`},
		{"mismatch with no near miss", cfgWith(), pr(commit(ann, ann, msg("x", so(bob)))), 0,
			`Expected a sign-off by "Ann Lee <ann@x.org>" (author and committer), found "Bob Roe <bob@y.org>".`},
		{"split identity", cfgWith(), pr(commit(ann, bob, msg("x", "Signed-off-by: Ann Lee <bob@y.org>"))), 0,
			`Expected a sign-off by "Ann Lee <ann@x.org>" (author) or "Bob Roe <bob@y.org>" (committer), found "Ann Lee <bob@y.org>". It combines the author's name with the committer's email; a sign-off must give one person's name and email together.`},
		{"subaddress and spacing, two sign-offs", cfgWith(), pr(commit(ann, ann, msg("x", "Signed-off-by: Ann Lee <ann+x@x.org>", "Signed-off-by: Ann  Lee <ann@x.org>"))), 0,
			`Expected a sign-off by "Ann Lee <ann@x.org>" (author and committer), found "Ann Lee <ann+x@x.org>" and "Ann  Lee <ann@x.org>". For "Ann Lee <ann+x@x.org>": the email differs from the author's only by a +tag. For "Ann  Lee <ann@x.org>": the email matches the author but the name differs in spacing.`},
		{"malformed", cfgWith(), pr(commit(ann, ann, msg("x", "Signed-off-by: Ann Lee", "Signed-off-by: ann@x.org"))), 0,
			`No usable Signed-off-by line; expected a sign-off by "Ann Lee <ann@x.org>" (author and committer). Line 3, "Signed-off-by: Ann Lee", has no <email>. Line 4, "Signed-off-by: ann@x.org", has its email without the <angle brackets>.`},
		{"misspelled key naming the author", cfgWith(), pr(commit(ann, ann, msg("x", "Signed-of-by: Ann Lee <ann@x.org>"))), 0,
			`No Signed-off-by line found; expected a sign-off by "Ann Lee <ann@x.org>" (author and committer). Line 3, "Signed-of-by: Ann Lee <ann@x.org>", is not a sign-off: the key must be spelled "Signed-off-by:" (it names the author and committer).`},
		{"indented", cfgWith(), pr(commit(ann, ann, msg("x", "  "+so(bob)))), 0,
			`No Signed-off-by line found; expected a sign-off by "Ann Lee <ann@x.org>" (author and committer). Line 3, "  Signed-off-by: Bob Roe <bob@y.org>", is not a sign-off: it is indented; a Signed-off-by line must start at the beginning of the line.`},
		{"web commit", cfgWith(), pr(commit(ann, webflow, "Update README.md")), 0,
			`No Signed-off-by line found; expected a sign-off by "Ann Lee <ann@x.org>" (author) or "GitHub <noreply@github.com>" (committer). It was committed in GitHub's web interface, which adds a sign-off only when the repository requires sign-off on web-based commits; otherwise the Signed-off-by line must be typed into the commit message.`},
		{"member, unverified", cfgWith(membersExempt), with(pr(commit(ann, ann, "x")), func(s *snapshot.Snapshot) { s.OrgMembers = []string{"ann"} }), 0,
			`Commit by organization member is not verified. "ann" is exempt from signing off only on commits whose signature GitHub verified; this one needs a sign-off by "Ann Lee <ann@x.org>" (author and committer).`},
		{"owner, unverified", cfgWith(membersExempt), with(pr(commit(ann, ann, "x")), func(s *snapshot.Snapshot) { s.Repository.Owner, s.Repository.OwnerType = "ann", "User" }), 0,
			`Commit by the repository owner is not verified. "ann" is exempt from signing off only on commits whose signature GitHub verified; this one needs a sign-off by "Ann Lee <ann@x.org>" (author and committer).`},
		{"member, verified", cfgWith(membersExempt), with(pr(verified(commit(ann, ann, "x"))), func(s *snapshot.Snapshot) { s.OrgMembers = []string{"ann"} }), 0,
			`Verified commit by "ann", a member of the organization: no sign-off needed (require.members is false).`},
		{"owner, verified", cfgWith(membersExempt), with(pr(verified(commit(ann, ann, "x"))), func(s *snapshot.Snapshot) { s.Repository.Owner, s.Repository.OwnerType = "ann", "User" }), 0,
			`Verified commit by "ann", the repository owner: no sign-off needed (require.members is false).`},
		{"merge", cfgWith(), pr(merge(commit(ann, ann, "Merge"))), 0, `Merge commit: no sign-off needed.`},
		{"bot", cfgWith(), pr(commit(depbot, webflow, "Bump")), 0, `Authored by the GitHub bot account "dependabot[bot]": no sign-off needed.`},
		{"remediated", cfgWith(individualRem), pr(commit(ann, ann, "x"), commit(ann, ann, msg("r", remedy(ann, sha(1)), so(ann)))), 0,
			`Signed off later by "Ann Lee <ann@x.org>" in remediation commit ` + sha(2)[:7] + `.`},
		{"remediated by a third party", cfgWith(bothRemediation), pr(commit(ann, ann, "x"), commit(maintainer, maintainer, msg("r", onBehalf(ann, maintainer, sha(1)), so(maintainer)))), 0,
			`Signed off later by "Mae Tainer <mae@acme.org>" on behalf of "Ann Lee <ann@x.org>" in remediation commit ` + sha(2)[:7] + `.`},
		{"remediation rejected: not enabled", cfgWith(), pr(commit(ann, ann, "x"), commit(ann, ann, msg("r", remedy(ann, sha(1)), so(ann)))), 0,
			`No Signed-off-by line found; expected a sign-off by "Ann Lee <ann@x.org>" (author and committer). A remediation line in ` + sha(2)[:7] + ` names this commit, but remediation commits are not enabled in this repository (allowRemediationCommits.individual).`},
		{"remediation rejected: short SHA", cfgWith(individualRem), pr(commit(ann, ann, "x"), commit(ann, ann, msg("r", remedy(ann, sha(1)[:7]), so(ann)))), 0,
			`No Signed-off-by line found; expected a sign-off by "Ann Lee <ann@x.org>" (author and committer). A remediation line in ` + sha(2)[:7] + ` names this commit, but it uses the short SHA ` + sha(1)[:7] + `; the full 40-character SHA is required.`},
		{"remediation rejected: wrong identity", cfgWith(individualRem), pr(commit(ann, ann, "x"), commit(bob, bob, msg("r", remedy(bob, sha(1)), so(bob)))), 0,
			`No Signed-off-by line found; expected a sign-off by "Ann Lee <ann@x.org>" (author and committer). A remediation line in ` + sha(2)[:7] + ` names this commit, but "Bob Roe <bob@y.org>" is neither this commit's author nor its committer.`},
		{"remediation rejected: not by the remediation commit's identity", cfgWith(individualRem), pr(commit(ann, ann, "x"), commit(bob, bob, msg("r", remedy(ann, sha(1)), so(bob)))), 0,
			`No Signed-off-by line found; expected a sign-off by "Ann Lee <ann@x.org>" (author and committer). A remediation line in ` + sha(2)[:7] + ` names this commit, but "Ann Lee <ann@x.org>" is neither the author nor the committer of ` + sha(2)[:7] + `.`},
		{"remediation rejected: remediation unsigned", cfgWith(individualRem), pr(commit(ann, ann, "x"), commit(ann, ann, msg("r", remedy(ann, sha(1))))), 0,
			`No Signed-off-by line found; expected a sign-off by "Ann Lee <ann@x.org>" (author and committer). A remediation line in ` + sha(2)[:7] + ` names this commit, but ` + sha(2)[:7] + ` is not signed off itself.`},
		{"queue trailer", cfgWith(), with(pr(commit(ann, webflow, msg("Squash", so(bob)))), func(s *snapshot.Snapshot) { s.Event = "merge_group" }), 0,
			`Built by the merge queue and still carrying a Signed-off-by trailer, which is all a queue-built commit needs: the sign-offs are checked on the pull request's own commits.`},
		{"queue without trailer", cfgWith(), with(pr(commit(ann, webflow, "Squash")), func(s *snapshot.Snapshot) { s.Event = "merge_group" }), 0,
			`The merge queue built this commit without a Signed-off-by trailer. Its author is the GitHub account, so only the trailer's presence is checked, but the repository's squash-merge commit message setting dropped the pull request's trailers: use the commit messages (COMMIT_MESSAGES), not the pull request body (PR_BODY) or a blank message (BLANK).`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Evaluate(tt.cfg, tt.snap).Commits[tt.n].Detail
			if got != tt.want {
				t.Errorf("Detail:\n got: %s\nwant: %s", got, tt.want)
			}
		})
	}
}

func TestDetailBounded(t *testing.T) {
	var lines []string
	for range 50 {
		lines = append(lines, "Signed-off-by: Someone", "Signed-off-by: X <x@"+strings.Repeat("y", 500)+".org>", "Signed-of-by: Z <z@z>")
	}
	r := Evaluate(cfgWith(), pr(commit(ann, ann, msg("x", lines...))))
	d := r.Commits[0].Detail
	if len(d) > 2500 {
		t.Errorf("Detail is %d bytes; want it bounded:\n%s", len(d), d)
	}
	for _, want := range []string{"and 45 more", "(47 further Signed-off-by lines are malformed too.)", "(47 further lines look like sign-offs too.)", "…"} {
		if !strings.Contains(d, want) {
			t.Errorf("Detail lacks %q:\n%s", want, d)
		}
	}
}

func TestResultJSONShape(t *testing.T) {
	// A full CommitResult, to pin the fields the report and the JSON verdict use.
	r := Evaluate(cfgWith(), pr(commit(ann, bob, msg("Fix it", "Signed-off-by: ann <ann@x.org>", "Signed-off-by: Ann"))))
	want := CommitResult{
		SHA: sha(1), Subject: "Fix it", Author: ann, Committer: bob,
		Outcome: Fail, Reason: ReasonMismatch,
		Detail:   `Expected a sign-off by "Ann Lee <ann@x.org>" (author) or "Bob Roe <bob@y.org>" (committer), found "ann <ann@x.org>". The email matches the author but the name differs. Line 4, "Signed-off-by: Ann", has no <email>.`,
		SignOffs: []Person{{"ann", "ann@x.org"}},
		Expected: []Person{{"Ann Lee", "ann@x.org"}, {"Bob Roe", "bob@y.org"}},
		Hints:    []Hint{HintNameMismatch, HintMalformed},
	}
	if diff := cmpDiff(want, r.Commits[0]); diff != "" {
		t.Errorf("CommitResult (-want +got):\n%s", diff)
	}
}
