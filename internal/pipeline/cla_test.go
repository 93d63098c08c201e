package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/clastore"
	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/gh"
	"github.com/contribution-policy/contribution-policy/internal/ghfake"
	"github.com/contribution-policy/contribution-policy/internal/policy"
	"github.com/contribution-policy/contribution-policy/internal/policy/cla"
	"github.com/contribution-policy/contribution-policy/internal/render"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

const claPolicy = `version: 1
cla:
  enabled: true
  agreements:
    - id: icla
      title: Acme CLA
      url: https://example.org/icla
      version: "2.0"
%s
`

var claNow = time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)

// claEnv is a fake GitHub with people, a CLA configuration at the base and
// a pipeline whose signatures live in the gitfile store on the fake.
type claEnv struct {
	*env
	users map[string]ghfake.User
}

func newCLAEnv(t *testing.T, extra string) *claEnv {
	t.Helper()
	e := &claEnv{env: newEnv(t), users: map[string]ghfake.User{}}
	for _, u := range []ghfake.User{
		{Login: "dev", Emails: []string{"dev@example.com"}},
		{Login: "bob", Emails: []string{"bob@acme.com"}},
		{Login: "mallory"},
	} {
		e.users[u.Login] = e.fake.AddUser(u)
	}
	e.fake.SetFile(owner, repo, "main", ".github/contribution-policy.yml", fmt.Sprintf(claPolicy, extra))
	e.p.Clock = func() time.Time { return claNow }
	client := e.p.GitHub.(*gh.Client)
	e.p.CLAStore = func(_ context.Context, r snapshot.Repository, c config.CLAStore) (SignatureStore, error) {
		return &clastore.GitFile{Contents: client, Owner: r.Owner, Repo: r.Name, Branch: c.Branch, Dir: c.Path, Backoff: time.Millisecond}, nil
	}
	return e
}

// byDev is a signed-off commit by dev, with extra trailer lines.
func byDev(lines ...string) func(int) ghfake.Commit {
	return func(i int) ghfake.Commit {
		c := signed(i)
		if len(lines) > 0 {
			c.Message += "\n" + strings.Join(lines, "\n")
		}
		return c
	}
}

func (e *claEnv) claStatus(sha string) ghfake.Status {
	return e.fake.LatestStatuses(owner, repo, sha)["contribution-policy/cla"]
}

// comment posts a comment by login and returns the target of the
// issue_comment event it triggers.
func (e *claEnv) comment(p ghfake.Pull, login, body string) Target {
	id := e.fake.AddComment(owner, repo, p.Number, login, body)
	u := e.users[login]
	return Target{Owner: owner, Repo: repo, Number: p.Number, Event: "issue_comment", Comment: &Comment{
		ID: id, URL: fmt.Sprintf("%s/%s/%s/pull/%d#issuecomment-%d", e.fake.ServerURL(), owner, repo, p.Number, id),
		Body: body, AuthorID: u.ID, Author: login, AuthorType: "User", CreatedAt: claNow,
	}}
}

// Issue 3, end to end: an unsigned PR fails with a comment; the author
// signs by comment; the check passes and the same comment is edited.
func TestCLASignByComment(t *testing.T) {
	e := newCLAEnv(t, "")
	p := e.pr(2, byDev())
	out := e.run(target(p, 2))
	if out.Decision.Result != policy.Fail {
		t.Fatalf("unsigned PR: result %s", out.Decision.Result)
	}
	st := e.claStatus(p.HeadSHA)
	if st.State != "failure" || st.Description != "CLA: 1 of 1 contributor(s) not covered — see details" {
		t.Errorf("status %+v", st)
	}
	cs := e.botComments(p.Number)
	if len(cs) != 1 || !strings.Contains(cs[0].Body, config.DefaultSignPhrase) || !strings.Contains(cs[0].Body, "@dev") {
		t.Fatalf("want one comment asking @dev to sign, got %+v", cs)
	}
	first := cs[0].ID
	e.run(target(p, 2))
	if _, w := e.counts(); w != 0 {
		t.Errorf("rerun before signing made %d writes", w)
	}

	// dev signs, with a greeting and a trailing period.
	out = e.run(e.comment(p, "dev", "Sure!\r\n\r\n"+config.DefaultSignPhrase+"."))
	if out.Signing == nil || !out.Signing.Created || out.Signing.Refused != "" {
		t.Fatalf("signing: %+v", out.Signing)
	}
	if out.Decision.Result != policy.Pass {
		t.Fatalf("after signing: %s %+v", out.Decision.Result, out.Decision.CLA)
	}
	if st := e.claStatus(p.HeadSHA); st.State != "success" || st.Description != "CLA: all 1 contributor(s) covered" {
		t.Errorf("status after signing %+v", st)
	}
	cs = e.botComments(p.Number)
	if len(cs) != 1 || cs[0].ID != first || !strings.Contains(cs[0].Body, "All checks pass") {
		t.Errorf("the comment must be edited to the all-clear, not duplicated: %+v", cs)
	}
	// The evidence is stored with the signature.
	dev := e.users["dev"]
	content, ok := e.fake.File(owner, repo, "cla-signatures", fmt.Sprintf("signatures/icla/%02x.jsonl", dev.ID%256))
	if !ok {
		t.Fatal("no signature file")
	}
	var rec clastore.Record
	if err := json.Unmarshal([]byte(strings.TrimSpace(content)), &rec); err != nil {
		t.Fatal(err)
	}
	ev := rec.Evidence
	if rec.Signer.GitHubID != dev.ID || rec.AgreementVersion != "2.0" || ev == nil || ev.CommentID == 0 || !strings.Contains(ev.CommentURL, "#issuecomment-") ||
		len(ev.CommentBodySHA256) != 64 || ev.HeadSHA != p.HeadSHA || ev.SignedText != config.DefaultSignPhrase+"." || ev.PR != p.Number {
		t.Errorf("record %+v evidence %+v", rec, ev)
	}

	// Signing again adds nothing; an unchanged PR is not written to.
	out = e.run(e.comment(p, "dev", config.DefaultSignPhrase))
	if out.Signing == nil || out.Signing.Created {
		t.Errorf("second signature: %+v", out.Signing)
	}
	if _, w := e.counts(); w != 0 {
		t.Errorf("signing twice made %d writes: %v", w, e.fake.Writes())
	}
	e.run(target(p, 2))
	if _, w := e.counts(); w != 0 {
		t.Errorf("rerun after signing made %d writes", w)
	}
}

// §5.9: one user can never sign for another.
func TestCLAOnlyTheCommenterSigns(t *testing.T) {
	e := newCLAEnv(t, "")
	p := e.pr(1, byDev())
	e.run(target(p, 1))
	out := e.run(e.comment(p, "mallory", config.DefaultSignPhrase))
	if out.Signing == nil || out.Signing.Created || !strings.Contains(out.Signing.Refused, "not a contributor") {
		t.Errorf("mallory signing on dev's PR: %+v", out.Signing)
	}
	if st := e.claStatus(p.HeadSHA); st.State != "failure" {
		t.Errorf("status %+v", st)
	}
	if all := e.allSignatures(t); len(all) != 0 {
		t.Errorf("recorded %d signatures", len(all))
	}
	// A quoted phrase does not sign either (§5.9 quote-reply).
	out = e.run(e.comment(p, "dev", "> "+config.DefaultSignPhrase+"\n\nWhat does this mean?"))
	if out.Signing != nil || e.claStatus(p.HeadSHA).State != "failure" {
		t.Errorf("a quoted phrase signed: %+v", out.Signing)
	}
}

func TestCLAPresign(t *testing.T) {
	e := newCLAEnv(t, "  allow_presign: true")
	p := e.pr(1, byDev())
	out := e.run(e.comment(p, "mallory", config.DefaultSignPhrase))
	if out.Signing == nil || !out.Signing.Created {
		t.Fatalf("presign: %+v", out.Signing)
	}
	if out.Decision.Result != policy.Fail {
		t.Error("mallory's signature must not cover dev")
	}
}

func (e *claEnv) allSignatures(t *testing.T) []clastore.Record {
	t.Helper()
	s, err := e.p.CLAStore(context.Background(), snapshot.Repository{Owner: owner, Name: repo}, config.DefaultCLA().Store)
	if err != nil {
		t.Fatal(err)
	}
	all, err := s.(*clastore.GitFile).All(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// Issue 3: a co-author without a signature fails with coauthors: require
// and only warns with coauthors: warn.
func TestCLACoauthorPolicy(t *testing.T) {
	for _, tc := range []struct {
		policy string
		result policy.Result
		state  string
		desc   string
	}{
		{"require", policy.Fail, "failure", "CLA: 1 of 2 contributor(s) not covered — see details"},
		{"warn", policy.Pass, "success", "CLA: required contributors covered; 1 co-author(s) not covered (warning)"},
	} {
		t.Run(tc.policy, func(t *testing.T) {
			e := newCLAEnv(t, "  identities: {coauthors: "+tc.policy+"}")
			p := e.pr(1, byDev("Co-authored-by: Bob Roe <bob@acme.com>"))
			e.run(e.comment(p, "dev", config.DefaultSignPhrase))
			e.fake.ResetCalls()
			out := e.run(target(p, 1))
			if out.Decision.Result != tc.result {
				t.Errorf("result %s, want %s", out.Decision.Result, tc.result)
			}
			st := e.claStatus(p.HeadSHA)
			if st.State != tc.state || st.Description != tc.desc {
				t.Errorf("status %+v, want %s %q", st, tc.state, tc.desc)
			}
			var bob *cla.IdentityResult
			for i, x := range out.Decision.CLA.Identities {
				if x.Login == "bob" {
					bob = &out.Decision.CLA.Identities[i]
				}
			}
			// GitHub resolved the co-author's verified email to @bob.
			if bob == nil || bob.GitHubID != e.users["bob"].ID || bob.Reason != cla.MissingSignature {
				t.Fatalf("co-author not resolved: %+v", out.Decision.CLA.Identities)
			}
			if cs := e.botComments(p.Number); len(cs) != 1 || !strings.Contains(cs[0].Body, "@bob") {
				t.Errorf("the comment must name the co-author: %+v", cs)
			}
			// Bob signs: everyone is covered.
			out = e.run(e.comment(p, "bob", config.DefaultSignPhrase))
			if out.Decision.Result != policy.Pass || e.claStatus(p.HeadSHA).Description != "CLA: all 2 contributor(s) covered" {
				t.Errorf("after bob signs: %s %+v", out.Decision.Result, e.claStatus(p.HeadSHA))
			}
		})
	}
}

// §5.8 D2: a protected signature branch: the check reports error and the
// comment never says "signed".
func TestCLAProtectedStore(t *testing.T) {
	e := newCLAEnv(t, "")
	e.fake.SetFile(owner, repo, "cla-signatures", "README.md", "signatures\n")
	e.fake.SetBranchProtected(owner, repo, "cla-signatures", true)
	p := e.pr(1, byDev())
	out := e.run(e.comment(p, "dev", config.DefaultSignPhrase))
	if out.Signing == nil || out.Signing.Err == nil {
		t.Fatalf("signing: %+v", out.Signing)
	}
	st := e.claStatus(p.HeadSHA)
	if st.State != "error" || st.Description != "CLA: bot error (storage_forbidden) — maintainers, see details" {
		t.Errorf("status %+v", st)
	}
	cs := e.botComments(p.Number)
	if len(cs) != 1 || !strings.Contains(cs[0].Body, "could not be used") || strings.Contains(cs[0].Body, "✅") {
		t.Errorf("comment %+v", cs)
	}
	if out.Decision.Result != policy.Errored {
		t.Errorf("result %s", out.Decision.Result)
	}
}

// Corporate agreements from a file at the base commit, with organisation
// and team rules read with a token that can see private members.
func TestCLACorporate(t *testing.T) {
	e := newCLAEnv(t, "    - {id: ccla, kind: corporate, version: 1}\n  corporate_file: .github/cla-corporate.yml")
	e.fake.SetFile(owner, repo, "main", ".github/cla-corporate.yml", `version: 1
corporate:
  - id: ccla-acme
    company: Acme
    agreement: ccla
    approvals:
      - {type: domain, value: acme.com}
  - id: ccla-initech
    company: Initech
    approvals:
      - {type: github_org, org: initech}
      - {type: github_team, org: globex, team: oss}
`)
	e.fake.AddOrgMember("initech", "dev", false) // concealed membership
	p := e.pr(2, func(i int) ghfake.Commit {
		if i == 1 {
			return ghfake.Commit{Message: "by bob\n\nSigned-off-by: Bob <bob@acme.com>", Author: ghfake.GitPerson{Name: "Bob", Email: "bob@acme.com"}, AuthorLogin: "bob"}
		}
		return signed(i)
	})
	// The default token cannot see dev's concealed membership.
	out := e.run(target(p, 2))
	ids := out.Decision.CLA.Identities
	if len(ids) != 2 || ids[0].Reason != cla.OrgMembershipNotVisible || ids[1].Basis != "ccla:ccla-acme/domain:acme.com" {
		t.Fatalf("identities %+v", ids)
	}
	// With members:read it can.
	e.fake.AddToken(ghfake.DefaultToken, ghfake.TokenSpec{Login: "github-actions[bot]", Type: "Bot", CanSeePrivateMembers: true})
	out = e.run(target(p, 2))
	if got := out.Decision.CLA.Identities[0].Basis; got != "ccla:ccla-initech/github_org:initech" || out.Decision.Result != policy.Pass {
		t.Fatalf("basis %q, result %s", got, out.Decision.Result)
	}
	if st := e.claStatus(p.HeadSHA); st.Description != "CLA: all 2 contributor(s) covered — 2 via corporate CLA" {
		t.Errorf("status %+v", st)
	}
	// A team rule.
	e.fake.SetFile(owner, repo, "main", ".github/cla-corporate.yml", "version: 1\ncorporate:\n  - id: ccla-globex\n    company: Globex\n    approvals: [{type: github_team, org: globex, team: oss}, {type: domain, value: acme.com}]\n")
	e.fake.AddTeamMember("globex", "oss", "dev")
	p2 := e.pr(1, byDev())
	out = e.run(target(p2, 1))
	if got := out.Decision.CLA.Identities[0].Basis; got != "ccla:ccla-globex/github_team:globex/oss" {
		t.Errorf("team basis %q (%+v)", got, out.Decision.CLA.Identities)
	}
}

func TestCLAInvalidCorporateFile(t *testing.T) {
	e := newCLAEnv(t, "  corporate_file: .github/cla-corporate.yml")
	e.fake.SetFile(owner, repo, "main", ".github/cla-corporate.yml", "version: 1\ncorporate:\n  - id: x\n    company: X\n    approvals: [{type: domain, value: \"*.x.com\"}]\n")
	p := e.pr(1, byDev())
	e.run(target(p, 1))
	st := e.claStatus(p.HeadSHA)
	if st.State != "error" || !strings.Contains(st.Description, "config_invalid") {
		t.Errorf("status %+v", st)
	}
	if dco := e.dcoStatus(p.HeadSHA); dco.State != "success" {
		t.Errorf("the DCO verdict must still be reported: %+v", dco)
	}
}

func TestCLAVersionPlaceholder(t *testing.T) {
	e := newCLAEnv(t, `  sign_phrase: "I sign the Acme CLA v{version}"`)
	p := e.pr(1, byDev())
	out := e.run(e.comment(p, "dev", "I sign the Acme CLA v1.0"))
	if out.Signing == nil || out.Signing.Created || !strings.Contains(out.Signing.Refused, "current version is 2.0") {
		t.Errorf("old version: %+v", out.Signing)
	}
	out = e.run(e.comment(p, "dev", "I sign the Acme CLA v2.0"))
	if out.Signing == nil || !out.Signing.Created || out.Decision.Result != policy.Pass {
		t.Errorf("current version: %+v %s", out.Signing, out.Decision.Result)
	}
	if cs := e.botComments(p.Number); len(cs) != 1 {
		t.Errorf("%d comments", len(cs))
	}
}

// §5.12 budget: an evaluation reads the context, the commits and the
// signatures (one query); signing adds one read and one write.
func TestCLACallBudget(t *testing.T) {
	e := newCLAEnv(t, "")
	p := e.pr(3, byDev())
	e.run(target(p, 3))
	reads, _ := e.counts()
	if reads > 3 {
		t.Errorf("an evaluation made %d reads: %v", reads, e.fake.Reads())
	}
	e.run(e.comment(p, "dev", config.DefaultSignPhrase))
	var puts, gets int
	for _, c := range e.fake.Calls() {
		if strings.Contains(c.Path, "/contents/") {
			switch c.Method {
			case "PUT":
				puts++
			case "GET":
				gets++
			}
		}
	}
	if puts > 2 || gets > 2 { // the first write creates the branch: one more round
		t.Errorf("recording made %d GETs and %d PUTs", gets, puts)
	}
	if cs := e.botComments(p.Number); len(cs) != 1 || !strings.Contains(cs[0].Body, render.Marker) {
		t.Errorf("comments %+v", cs)
	}
}

func TestCLADryRunRecordsNothing(t *testing.T) {
	e := newCLAEnv(t, "")
	e.p.DryRun = true
	p := e.pr(1, byDev())
	out := e.run(e.comment(p, "dev", config.DefaultSignPhrase))
	if out.Signing == nil || out.Signing.Created || !strings.Contains(out.Signing.Refused, "dry run") {
		t.Errorf("dry run signing: %+v", out.Signing)
	}
	if _, w := e.counts(); w != 0 {
		t.Errorf("a dry run wrote %d times", w)
	}
}

// The pain points of cla.md §5 decided by the pipeline, as named cases
// (the engine's are in internal/policy/cla, storage's in internal/clastore,
// signing's in internal/command).
func TestCLAPainPoints(t *testing.T) {
	t.Run("§5.7 R2/D6: the comment event itself turns the status green, no workflow re-run", func(t *testing.T) {
		e := newCLAEnv(t, "")
		p := e.pr(1, byDev())
		e.run(target(p, 1))
		e.run(e.comment(p, "dev", config.DefaultSignPhrase))
		if st := e.claStatus(p.HeadSHA); st.State != "success" {
			t.Errorf("status %+v", st)
		}
		for _, c := range e.fake.Calls() {
			if strings.Contains(c.Path, "/actions/") {
				t.Errorf("re-ran a workflow: %s", c)
			}
		}
	})
	t.Run("§5.10 D4/D5: contributors beyond commit 250 are found", func(t *testing.T) {
		e := newCLAEnv(t, "")
		p := e.pr(300, func(i int) ghfake.Commit {
			if i == 299 {
				return ghfake.Commit{Message: "late\n\nSigned-off-by: Bob <bob@acme.com>", Author: ghfake.GitPerson{Name: "Bob", Email: "bob@acme.com"}, AuthorLogin: "bob"}
			}
			return signed(i)
		})
		e.run(e.comment(p, "dev", config.DefaultSignPhrase))
		out := e.run(target(p, 300))
		if m := out.Decision.CLA.Missing(); len(m) != 1 || m[0].Login != "bob" {
			t.Errorf("missing %+v", m)
		}
	})
	t.Run("§5.11 one sticky comment, created on failure, edited on success, found across pages", func(t *testing.T) {
		e := newCLAEnv(t, "")
		p := e.pr(1, byDev())
		for i := 0; i < 120; i++ { // more than one page of comments
			e.fake.AddComment(owner, repo, p.Number, "mallory", fmt.Sprintf("comment %d", i))
		}
		e.run(target(p, 1))
		e.run(e.comment(p, "dev", config.DefaultSignPhrase))
		cs := e.botComments(p.Number)
		if len(cs) != 1 || !strings.Contains(cs[0].Body, "All checks pass") {
			t.Errorf("bot comments %+v", cs)
		}
	})
	t.Run("§5.13 a private repository and a pull request from a fork", func(t *testing.T) {
		e := newCLAEnv(t, "")
		e.fake.AddRepo(ghfake.Repo{Owner: owner, Name: repo, Private: true})
		base := e.fake.SetFile(owner, repo, "main", ".github/contribution-policy.yml", fmt.Sprintf(claPolicy, ""))
		e.fake.AddRepo(ghfake.Repo{Owner: "dev", Name: repo, OwnerType: "User"})
		c := signed(1)
		c.Parents = []string{base}
		head := e.fake.AddCommit("dev", repo, c)
		e.fake.SetBranch("dev", repo, "feature", head)
		p := e.fake.AddPull(owner, repo, ghfake.Pull{Author: "dev", BaseRef: "main", HeadRef: "feature", HeadRepoFullName: "dev/" + repo})
		out := e.run(target(p, 1))
		if out.Decision.Result != policy.Fail || e.claStatus(head).State != "failure" {
			t.Fatalf("before signing: %s %+v", out.Decision.Result, e.claStatus(head))
		}
		e.run(e.comment(p, "dev", config.DefaultSignPhrase))
		if st := e.claStatus(head); st.State != "success" {
			t.Errorf("status %+v", st)
		}
	})
}
