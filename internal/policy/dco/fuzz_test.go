package dco

import (
	"testing"

	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

// FuzzEvaluate runs the whole engine on two commits with arbitrary messages
// and author names, under every config switch, and checks invariants: no
// panic, a sentence for every verdict, remediation only by a commit of the
// pull request that passes.
func FuzzEvaluate(f *testing.F) {
	f.Add("Fix\n\nSigned-off-by: Ann Lee <ann@x.org>", remedy(ann, sha(1)), "Ann Lee", uint8(0xff))
	f.Add("x", "I, Ann Lee <ann@x.org>, hereby add my Signed-off-by to this commit: "+sha(1)+"\nSigned-off-by: Ann Lee <ann@x.org>", "Ann Lee", uint8(3))
	f.Add("Signed-of-by: A <a@b>\n  Signed-off-by: A", "On behalf of A <a@b>, I, B <b@c>, hereby add my Signed-off-by to this commit: "+sha(1), "A", uint8(0x55))
	f.Fuzz(func(t *testing.T, m1, m2, name string, flags uint8) {
		cfg := cfgWith()
		cfg.Match = map[bool]string{true: "email", false: "name_and_email"}[flags&1 != 0]
		cfg.Require.Members = flags&2 == 0
		cfg.AllowRemediationCommits.Individual = flags&4 != 0
		cfg.AllowRemediationCommits.ThirdParty = flags&8 != 0
		cfg.SkipBots = flags&16 != 0
		a := snapshot.Identity{Name: name, Email: "ann@x.org", Login: "ann"}
		s := pr(commit(a, ann, m1), commit(ann, a, m2))
		s.Commits[0].Verified = flags&32 != 0
		s.OrgMembers = []string{"ann"}
		if flags&64 != 0 {
			s.Event = "merge_group"
			s.Commits[1].Committer = webflow
		}
		r := Evaluate(cfg, s)
		if len(r.Commits) != 2 {
			t.Fatalf("got %d results", len(r.Commits))
		}
		for _, c := range r.Commits {
			if c.Detail == "" || c.Outcome == "" || c.Reason == "" {
				t.Fatalf("incomplete verdict %+v", c)
			}
			if c.Reason == ReasonRemediated {
				if c.RemediatedBy != sha(1) && c.RemediatedBy != sha(2) || c.RemediatedBy == c.SHA {
					t.Fatalf("remediated by %q", c.RemediatedBy)
				}
			}
		}
		if r.Passed() != (len(r.Failed()) == 0) {
			t.Fatal("Passed disagrees with Failed")
		}
		_ = MembershipQueries(cfg, s)
	})
}
