package dco

import (
	"crypto/sha1"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

// Identities used across the tests.
var (
	ann     = snapshot.Identity{Name: "Ann Lee", Email: "ann@x.org", Login: "ann", ID: 1, Type: "User"}
	bob     = snapshot.Identity{Name: "Bob Roe", Email: "bob@y.org", Login: "bob", ID: 2, Type: "User"}
	unknown = snapshot.Identity{Name: "Cy Unlinked", Email: "cy@z.org"} // no GitHub account
	webflow = snapshot.Identity{Name: "GitHub", Email: "noreply@github.com", Login: "web-flow", ID: 19864447, Type: "User"}
	depbot  = snapshot.Identity{Name: "dependabot[bot]", Email: "49699333+dependabot[bot]@users.noreply.github.com", Login: "dependabot[bot]", ID: 49699333, Type: "Bot"}
)

// sha is the deterministic 40-hex SHA of test commit n; sha(0) is the base.
func sha(n int) string {
	s := sha1.Sum([]byte("commit " + strconv.Itoa(n)))
	return hex.EncodeToString(s[:])
}

// so is the Signed-off-by line for an identity.
func so(id snapshot.Identity) string { return "Signed-off-by: " + id.Name + " <" + id.Email + ">" }

// msg joins a subject and body lines into a commit message.
func msg(subject string, lines ...string) string {
	if len(lines) == 0 {
		return subject
	}
	return subject + "\n\n" + strings.Join(lines, "\n") + "\n"
}

// remedy is an individual remediation line.
func remedy(id snapshot.Identity, target string) string {
	return "I, " + id.Name + " <" + id.Email + ">, hereby add my Signed-off-by to this commit: " + target
}

// onBehalf is a third-party remediation line.
func onBehalf(orig, rep snapshot.Identity, target string) string {
	return "On behalf of " + orig.Name + " <" + orig.Email + ">, I, " + rep.Name + " <" + rep.Email +
		">, hereby add my Signed-off-by to this commit: " + target
}

// commit builds an unsigned-by-default, single-parent commit; pr gives it its
// SHA and parent.
func commit(author, committer snapshot.Identity, message string) snapshot.Commit {
	return snapshot.Commit{Author: author, Committer: committer, Message: message}
}

func verified(c snapshot.Commit) snapshot.Commit { c.Verified = true; return c }

// merge marks a commit as a merge of its parent and another branch.
func merge(c snapshot.Commit) snapshot.Commit {
	c.Parents = []string{"", sha(1000)}
	return c
}

// pr numbers the commits 1..n (SHA sha(i), first parent sha(i-1)) in an
// organisation-owned repository.
func pr(commits ...snapshot.Commit) *snapshot.Snapshot {
	s := &snapshot.Snapshot{
		Repository:  snapshot.Repository{Owner: "acme", Name: "widget", OwnerType: "Organization"},
		PullRequest: snapshot.PullRequest{Number: 7, BaseSHA: sha(0)},
		Event:       "pull_request",
	}
	for i, c := range commits {
		c.SHA = sha(i + 1)
		if len(c.Parents) == 0 {
			c.Parents = []string{sha(i)}
		} else {
			c.Parents[0] = sha(i)
		}
		s.Commits = append(s.Commits, c)
	}
	if n := len(commits); n > 0 {
		s.PullRequest.HeadSHA = sha(n)
	}
	return s
}

// cfgWith returns the default DCO config changed by fs.
func cfgWith(fs ...func(*config.DCO)) config.DCO {
	c := config.DefaultDCO()
	for _, f := range fs {
		f(&c)
	}
	return c
}

func emailOnly(c *config.DCO)       { c.Match = config.MatchEmail }
func membersExempt(c *config.DCO)   { c.Require.Members = false }
func noSkipBots(c *config.DCO)      { c.SkipBots = false }
func individualRem(c *config.DCO)   { c.AllowRemediationCommits.Individual = true }
func thirdPartyRem(c *config.DCO)   { c.AllowRemediationCommits.ThirdParty = true }
func bothRemediation(c *config.DCO) { individualRem(c); thirdPartyRem(c) }

// verdict is the part of a CommitResult the rule tables assert on; the
// sentences have their own tests.
type verdict struct {
	Outcome      Outcome
	Reason       Reason
	RemediatedBy string
	Hints        []Hint
}

func verdicts(r Result) []verdict {
	var out []verdict
	for _, c := range r.Commits {
		out = append(out, verdict{c.Outcome, c.Reason, c.RemediatedBy, c.Hints})
	}
	return out
}

// Short forms for the tables.
func pass() verdict                    { return verdict{Outcome: Pass, Reason: ReasonSignedOff} }
func fail(r Reason, h ...Hint) verdict { return verdict{Outcome: Fail, Reason: r, Hints: h} }
func skip(r Reason) verdict            { return verdict{Outcome: Skip, Reason: r} }
func remediatedBy(n int) verdict {
	return verdict{Outcome: Pass, Reason: ReasonRemediated, RemediatedBy: sha(n)}
}

// ruleCase is one row of a rule table.
type ruleCase struct {
	name string
	cfg  config.DCO
	snap *snapshot.Snapshot
	want []verdict
	why  string // what the row protects, for the reader
}

func runRules(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			got := verdicts(Evaluate(tt.cfg, tt.snap))
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				r := Evaluate(tt.cfg, tt.snap)
				var details []string
				for _, c := range r.Commits {
					details = append(details, c.Detail)
				}
				t.Errorf("%s\nverdicts (-want +got):\n%s\ndetails:\n%s", tt.why, diff, strings.Join(details, "\n"))
			}
		})
	}
}

// with applies changes to a snapshot.
func with(s *snapshot.Snapshot, f func(*snapshot.Snapshot)) *snapshot.Snapshot { f(s); return s }

type configDCO = config.DCO

func cmpDiff(want, got any) string { return cmp.Diff(want, got, cmpopts.EquateEmpty()) }
