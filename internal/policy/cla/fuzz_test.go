package cla

import (
	"testing"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

// FuzzEvaluate feeds arbitrary commit messages (trailers) and emails to the
// engine: it must not panic, every identity must have a verdict, a missing
// one a reason, and an unresolved email can never be covered.
func FuzzEvaluate(f *testing.F) {
	f.Add("x\n\nCo-authored-by: Bob <2+bob@users.noreply.github.com>", "cy@laptop.local", "bot*[bot]")
	f.Add("x\n\nCo-authored-by: <@users.noreply.github.com>\nCo-authored-by: Jane", "1+@users.noreply.github.com", "*")
	f.Add("Co-authored-by: A <a@acme.com>\r\nCo-authored-by: a <A@ACME.COM>", "+x@users.noreply.github.com", "")
	f.Fuzz(func(t *testing.T, message, email, glob string) {
		c := cfg(func(c *config.CLA) {
			c.Allowlist = []config.AllowEntry{{Login: glob + "[bot]"}, {Bots: true}}
			c.Corporate = []config.CorporateAgreement{acmeCorp(config.Approval{Type: config.ApproveDomain, Value: "acme.com", IncludeSubdomains: true})}
		})
		s := signed(pr(ann, commit(ann, message), commit(snapshot.Identity{Name: "n", Email: email}, message)), ann, "2.0")
		r := Evaluate(c, s)
		for _, x := range r.Identities {
			switch {
			case x.Conclusion == "":
				t.Fatalf("no verdict: %+v", x)
			case x.Conclusion != Covered && x.Reason == "":
				t.Fatalf("no reason: %+v", x)
			case x.Unresolved && x.Conclusion == Covered:
				t.Fatalf("an unresolved email is covered: %+v", x)
			case len(x.Roles) == 0:
				t.Fatalf("no role: %+v", x)
			}
		}
		_ = SignatureQueries(c, s)
		_ = MembershipQueries(c, s)
	})
}
