package pipeline

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/affiliation"
	"github.com/contribution-policy/contribution-policy/internal/affiliation/index"
	"github.com/contribution-policy/contribution-policy/internal/clastore"
	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/gh"
	"github.com/contribution-policy/contribution-policy/internal/ghfake"
	"github.com/contribution-policy/contribution-policy/internal/policy"
	"github.com/contribution-policy/contribution-policy/internal/render"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

const affPolicy = `version: 1
affiliation:
  enabled: true
  domains: {acme.com: Acme Corp}
  users: {indie: Independent}
  orgs: {globex-oss: Globex}
guidance:
  enabled: true
  companies:
    - {company: Acme Corp, policy: "https://acme.example/oss", ccla_contact: cla@acme.example, email_domain: acme.com}
%s`

const acmeLabel = "affiliation/acme"

// affEnv is a fake GitHub with people, an affiliation configuration at the
// base and overrides kept in the gitfile store on the fake.
type affEnv struct {
	*env
	users map[string]ghfake.User
	head  map[int]string // PR number -> head branch
}

func newAffEnv(t *testing.T, extra string) *affEnv {
	t.Helper()
	e := &affEnv{env: newEnv(t), users: map[string]ghfake.User{}, head: map[int]string{}}
	for _, u := range []ghfake.User{
		{Login: "newbie", Emails: []string{"newbie@acme.com"}},
		{Login: "veteran", Emails: []string{"veteran@acme.com"}},
		{Login: "maint"},
		{Login: "stranger"},
		{Login: "gina", Company: "@globex-oss"},
		{Login: "pat", Company: "Initech LLC"},
	} {
		e.users[u.Login] = e.fake.AddUser(u)
	}
	e.fake.SetPermission(owner, repo, "maint", "WRITE")
	e.fake.SetFile(owner, repo, "main", ".github/contribution-policy.yml", fmt.Sprintf(affPolicy, extra))
	client := e.p.GitHub.(*gh.Client)
	e.p.CLAStore = func(_ context.Context, r snapshot.Repository, c config.CLAStore) (SignatureStore, error) {
		return &clastore.GitFile{Contents: client, Owner: r.Owner, Repo: r.Name, Branch: c.Branch, Dir: c.Path, Backoff: time.Millisecond}, nil
	}
	return e
}

// pull opens a PR by login with n signed-off commits from email.
func (e *affEnv) pull(login, email, assoc string, n int, created time.Time) ghfake.Pull {
	e.t.Helper()
	parent := e.fake.BranchSHA(owner, repo, "main")
	for i := 0; i < n; i++ {
		parent = e.fake.AddCommit(owner, repo, ghfake.Commit{Parents: []string{parent},
			Message: fmt.Sprintf("change %d\n\nSigned-off-by: %s <%s>", i, login, email),
			Author:  ghfake.GitPerson{Name: login, Email: email}, AuthorLogin: login})
	}
	branch := fmt.Sprintf("%s-%d", login, len(e.head)+1)
	e.fake.SetBranch(owner, repo, branch, parent)
	p := e.fake.AddPull(owner, repo, ghfake.Pull{Author: login, Title: "change", HeadRef: branch, AuthorAssociation: assoc, CreatedAt: created})
	e.head[p.Number] = branch
	return p
}

// push adds a commit to the PR's branch and returns the synchronize target.
func (e *affEnv) push(p ghfake.Pull, login, email string) Target {
	e.t.Helper()
	branch := e.head[p.Number]
	sha := e.fake.AddCommit(owner, repo, ghfake.Commit{Parents: []string{e.fake.BranchSHA(owner, repo, branch)},
		Message: "more\n\nSigned-off-by: " + login + " <" + email + ">", Author: ghfake.GitPerson{Name: login, Email: email}, AuthorLogin: login})
	e.fake.SetBranch(owner, repo, branch, sha)
	got, _ := e.fake.PullRequest(owner, repo, p.Number)
	t := Target{Owner: owner, Repo: repo, Number: p.Number, HeadSHA: got.HeadSHA, BaseSHA: got.BaseSHA, Event: "pull_request_target", Action: "synchronize"}
	return t
}

func opened(p ghfake.Pull) Target {
	return Target{Owner: owner, Repo: repo, Number: p.Number, HeadSHA: p.HeadSHA, BaseSHA: p.BaseSHA, Event: "pull_request_target", Action: "opened"}
}

func (e *affEnv) comment(p ghfake.Pull, login, body string) Target {
	id := e.fake.AddComment(owner, repo, p.Number, login, body)
	u := e.users[login]
	return Target{Owner: owner, Repo: repo, Number: p.Number, Event: "issue_comment", Comment: &Comment{
		ID: id, Body: body, AuthorID: u.ID, Author: login, AuthorType: "User", CreatedAt: time.Now().UTC()}}
}

func (e *affEnv) labels(n int) []string { return e.fake.IssueLabels(owner, repo, n) }

func hasLabel(ls []string, l string) bool {
	for _, x := range ls {
		if strings.EqualFold(x, l) {
			return true
		}
	}
	return false
}

func (e *affEnv) guidanceComments(n int) int {
	k := 0
	for _, c := range e.botComments(n) {
		k += strings.Count(c.Body, render.GuidanceMarker)
	}
	return k
}

var t0 = time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)

// A first-time contributor from a mapped company gets the label (created
// with its colour) and one guidance section, although every check passes;
// a second event adds nothing.
func TestAffiliationFirstTimeCorporate(t *testing.T) {
	e := newAffEnv(t, "")
	p := e.pull("newbie", "newbie@acme.com", "NONE", 2, t0)
	out := e.run(opened(p))
	if out.Decision.Result != policy.Pass {
		t.Fatalf("result %s", out.Decision.Result)
	}
	a := out.Decision.Affiliation
	if a == nil || a.Result.Company.Name != "Acme Corp" || a.Result.Source() != "email-domain" || a.Label != acmeLabel {
		t.Fatalf("affiliation %+v", a)
	}
	if g := out.Decision.Guidance; g == nil || g.Kind != policy.GuidanceCorporate || g.Company == nil {
		t.Fatalf("guidance %+v", out.Decision.Guidance)
	}
	if ls := e.labels(p.Number); !hasLabel(ls, acmeLabel) {
		t.Errorf("labels %v", ls)
	}
	var lb ghfake.Label
	for _, l := range e.fake.RepoLabels(owner, repo) {
		if l.Name == acmeLabel {
			lb = l
		}
	}
	if lb.Color != "c5def5" || !strings.Contains(lb.Description, "Acme Corp") {
		t.Errorf("label created as %+v", lb)
	}
	cs := e.botComments(p.Number)
	if len(cs) != 1 || e.guidanceComments(p.Number) != 1 {
		t.Fatalf("want one comment with one guidance section, got %d comments", len(cs))
	}
	for _, want := range []string{"Welcome, @newbie", "**Acme Corp**", "your commit e-mail domain", "`" + acmeLabel + "`",
		"(https://acme.example/oss)", "`acme.com`", "All checks pass"} {
		if !strings.Contains(cs[0].Body, want) {
			t.Errorf("comment lacks %q:\n%s", want, cs[0].Body)
		}
	}
	reads, writes := e.counts()
	// status, create label, add label, comment: the label is created once
	// per repository and company.
	if reads > 5 || writes != 4 {
		t.Errorf("first run: %d reads, %d writes; want ≤ 5 and 4", reads, writes)
	}

	// A second event (a duplicate delivery, then a push) adds nothing.
	e.run(opened(p))
	if r, w := e.counts(); w != 0 || r > 4 {
		t.Errorf("second event: %d reads, %d writes; want ≤ 4 and 0", r, w)
	}
	out = e.run(e.push(p, "newbie", "newbie@acme.com"))
	if _, w := e.counts(); w != 1 { // the status on the new head only
		t.Errorf("push: %d writes, want 1 (the status): %v", w, e.fake.Writes())
	}
	if len(e.botComments(p.Number)) != 1 || e.guidanceComments(p.Number) != 1 || out.Decision.Guidance == nil {
		t.Errorf("the guidance section must stay, once")
	}
}

// A returning contributor gets the label and no guidance (no comment).
func TestAffiliationReturningContributor(t *testing.T) {
	e := newAffEnv(t, "")
	old := e.pull("veteran", "veteran@acme.com", "NONE", 1, t0.Add(-30*24*time.Hour))
	e.run(opened(old))
	p := e.pull("veteran", "veteran@acme.com", "NONE", 1, t0)
	out := e.run(opened(p))
	if out.Decision.Guidance != nil {
		t.Errorf("guidance for a returning contributor: %+v", out.Decision.Guidance)
	}
	if a := out.Decision.Affiliation; a == nil || a.FirstTime.FirstPR || !strings.Contains(a.FirstTime.Reason, "earlier pull requests") {
		t.Errorf("first-time verdict %+v", a)
	}
	if !hasLabel(e.labels(p.Number), acmeLabel) {
		t.Errorf("labels %v", e.labels(p.Number))
	}
	if n := len(e.fake.Comments(owner, repo, p.Number)); n != 0 {
		t.Errorf("%d comments, want none", n)
	}
	// The label exists now: status and label only.
	if r, w := e.counts(); r > 5 || w != 2 {
		t.Errorf("%d reads, %d writes; want ≤ 5 and 2", r, w)
	}

	// author_association CONTRIBUTOR answers without a search.
	q := e.pull("veteran", "veteran@acme.com", "CONTRIBUTOR", 1, t0.Add(time.Hour))
	e.run(opened(q))
	for _, c := range e.fake.Calls() {
		if c.GraphQLOperation == "AffiliationState" && strings.Contains(c.Query, "search") {
			t.Errorf("searched although the association answers")
		}
	}
}

// /affiliation none removes the bot's label and it stays removed on the
// next push; a label a maintainer set by hand is never removed.
func TestAffiliationNoneAndPeoplesLabels(t *testing.T) {
	e := newAffEnv(t, "")
	p := e.pull("newbie", "newbie@acme.com", "FIRST_TIME_CONTRIBUTOR", 1, t0)
	e.run(opened(p))
	e.fake.LabelAs(owner, repo, p.Number, "maint", "affiliation/acme-research")
	e.run(e.push(p, "newbie", "newbie@acme.com"))
	if ls := e.labels(p.Number); !hasLabel(ls, "affiliation/acme-research") {
		t.Fatalf("the maintainer's label was removed: %v", ls)
	}

	out := e.run(e.comment(p, "newbie", "Thanks!\n\n/affiliation none"))
	if ac := out.AffiliationCommand; ac == nil || !ac.Created || ac.Refused != "" {
		t.Fatalf("command %+v", out.AffiliationCommand)
	}
	ls := e.labels(p.Number)
	if hasLabel(ls, acmeLabel) || !hasLabel(ls, "affiliation/acme-research") {
		t.Errorf("after /affiliation none: %v (the bot's label goes, the maintainer's stays)", ls)
	}
	out = e.run(e.push(p, "newbie", "newbie@acme.com"))
	if hasLabel(e.labels(p.Number), acmeLabel) {
		t.Errorf("the label came back on the next push")
	}
	if a := out.Decision.Affiliation; a.Result.Kind.String() != "opted-out" || a.Label != "" {
		t.Errorf("affiliation after opting out %+v", a)
	}
	if n := len(e.botComments(p.Number)); n != 1 {
		t.Errorf("%d policy comments", n)
	}
	// The override holds on the author's later pull requests too.
	q := e.pull("newbie", "newbie@acme.com", "CONTRIBUTOR", 1, t0.Add(time.Hour))
	e.run(opened(q))
	if ls := e.labels(q.Number); len(ls) != 0 {
		t.Errorf("a later PR got %v", ls)
	}
}

// A label the bot set and a person removed is not put back.
func TestAffiliationPersonRemovedLabel(t *testing.T) {
	e := newAffEnv(t, "")
	p := e.pull("newbie", "newbie@acme.com", "FIRST_TIME_CONTRIBUTOR", 1, t0)
	e.run(opened(p))
	e.fake.UnlabelAs(owner, repo, p.Number, "maint", acmeLabel)
	e.run(e.push(p, "newbie", "newbie@acme.com"))
	if hasLabel(e.labels(p.Number), acmeLabel) {
		t.Errorf("the bot put back a label a person removed")
	}
}

// Who may give /affiliation: the author or a maintainer with write access;
// another commenter is refused.
func TestAffiliationCommandTrust(t *testing.T) {
	e := newAffEnv(t, "")
	p := e.pull("newbie", "newbie@acme.com", "FIRST_TIME_CONTRIBUTOR", 1, t0)
	out := e.run(e.comment(p, "stranger", "/affiliation Globex"))
	if ac := out.AffiliationCommand; ac == nil || ac.Refused == "" || ac.Created {
		t.Fatalf("a stranger's command was accepted: %+v", ac)
	}
	if out.Decision.Affiliation.Result.Company.Name != "Acme Corp" {
		t.Errorf("affiliation %+v", out.Decision.Affiliation.Result)
	}
	out = e.run(e.comment(p, "maint", "> /affiliation none\n/affiliation `Globex Inc.`"))
	if ac := out.AffiliationCommand; ac == nil || !ac.Created || ac.Command.Company != "Globex Inc." {
		t.Fatalf("the maintainer's command: %+v", ac)
	}
	a := out.Decision.Affiliation
	if a.Result.Company.Name != "Globex Inc." || a.Result.Source() != "override" || a.Label != "affiliation/globex" {
		t.Errorf("after the maintainer's override: %+v", a)
	}
	ls := e.labels(p.Number)
	if hasLabel(ls, acmeLabel) || !hasLabel(ls, "affiliation/globex") {
		t.Errorf("labels %v", ls)
	}
	// The same command again writes no record.
	out = e.run(e.comment(p, "newbie", "/affiliation Globex Inc."))
	if ac := out.AffiliationCommand; ac == nil || ac.Created {
		t.Errorf("a repeated override was written again: %+v", ac)
	}
}

// GitHub signals are read only when nothing stronger decided: the
// organisations (mapped in the configuration), then the profile.
func TestAffiliationGitHubSignals(t *testing.T) {
	e := newAffEnv(t, "")
	e.fake.AddOrgMember("globex-oss", "gina", true)
	p := e.pull("gina", "gina@users.noreply.github.com", "CONTRIBUTOR", 1, t0)
	out := e.run(opened(p))
	if a := out.Decision.Affiliation; a.Result.Company.Name != "Globex" || a.Result.Source() != "github-org" {
		t.Errorf("gina: %+v", a.Result)
	}
	q := e.pull("pat", "pat@gmail.com", "CONTRIBUTOR", 1, t0)
	out = e.run(opened(q))
	if a := out.Decision.Affiliation; a.Result.Company.Name != "Initech LLC" || a.Result.Source() != "profile" || a.Label != "affiliation/initech" {
		t.Errorf("pat: %+v", a.Result)
	}
	var paths []string
	for _, c := range e.fake.Reads() {
		paths = append(paths, c.Path)
	}
	if !strings.Contains(strings.Join(paths, " "), "/users/pat") {
		t.Errorf("the profile was not read: %v", paths)
	}
	// Resolved from data: no profile or organisation reads.
	r := e.pull("newbie", "newbie@acme.com", "CONTRIBUTOR", 1, t0)
	e.run(opened(r))
	for _, c := range e.fake.Reads() {
		if strings.HasPrefix(c.Path, "/users/") {
			t.Errorf("read %s although the domain decided", c.Path)
		}
	}
}

// Labels can be turned off: the affiliation is resolved for the outputs,
// and no label is written.
func TestAffiliationLabelsOff(t *testing.T) {
	e := newAffEnv(t, "labels: {affiliation: {enabled: false}}\n")
	p := e.pull("newbie", "newbie@acme.com", "CONTRIBUTOR", 1, t0)
	out := e.run(opened(p))
	if a := out.Decision.Affiliation; a.Result.Company.Name != "Acme Corp" || a.Label != "" {
		t.Errorf("affiliation %+v", a)
	}
	if ls := e.labels(p.Number); len(ls) != 0 {
		t.Errorf("labels %v", ls)
	}
}

// Data files are read at the base commit (this repository) or at another
// repository's default branch; a prebuilt index loads as is; with a cache,
// the App reads each file version once.
func TestAffiliationDataFiles(t *testing.T) {
	e := newAffEnv(t, "")
	e.fake.AddRepo(ghfake.Repo{Owner: owner, Name: ".github", OwnerType: "Organization"})
	e.fake.SetFile(owner, repo, "main", "affiliations/developers_affiliations1.txt",
		"# header\nveteran: veteran!users.noreply.github.com\n\tInitech until 2025-01-01\n\tUmbrella Corp from 2025-01-01\n")
	b := index.NewBuilder()
	ds := b.Dataset("org-index", affiliation.MinDay)
	if err := b.AddMaps(ds, index.Maps{Users: map[string]string{"gina": "Hooli"}}); err != nil {
		t.Fatal(err)
	}
	idx, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	e.fake.SetFile(owner, ".github", "main", "affiliations.idx", string(idx))
	e.fake.SetFile(owner, repo, "main", ".github/contribution-policy.yml", `version: 1
affiliation:
  enabled: true
  data: [affiliations/developers_affiliations1.txt]
  index: "acme/.github:affiliations.idx"
`)
	e.p.AffiliationCache = NewAffiliationCache(8)
	p := e.pull("veteran", "veteran@acme.com", "CONTRIBUTOR", 1, t0)
	out := e.run(opened(p))
	if a := out.Decision.Affiliation; a.Err != "" || a.Result.Company.Name != "Umbrella Corp" || a.Result.Source() != "project-list" {
		t.Errorf("veteran: %+v", a)
	}
	files := 0
	for _, c := range e.fake.Reads() {
		if strings.Contains(c.Path, "/contents/") {
			files++
		}
	}
	if files != 2 {
		t.Errorf("read %d files, want 2", files)
	}
	q := e.pull("gina", "gina@users.noreply.github.com", "CONTRIBUTOR", 1, t0)
	out = e.run(opened(q))
	if a := out.Decision.Affiliation; a.Result.Company.Name != "Hooli" {
		t.Errorf("gina: %+v", a)
	}
	for _, c := range e.fake.Reads() {
		if strings.Contains(c.Path, "/contents/") {
			t.Errorf("a cached file was read again: %s", c.Path)
		}
	}

	// A missing file is reported, and the labels are left alone.
	e.fake.SetFile(owner, repo, "main", ".github/contribution-policy.yml", "version: 1\naffiliation:\n  enabled: true\n  data: [missing/email-map]\n")
	r := e.pull("newbie", "newbie@acme.com", "CONTRIBUTOR", 1, t0)
	out = e.run(opened(r))
	if a := out.Decision.Affiliation; !strings.Contains(a.Err, "missing/email-map does not exist") {
		t.Errorf("missing data: %+v", a)
	}
	if ls := e.labels(r.Number); len(ls) != 0 {
		t.Errorf("labels written although the data could not be read: %v", ls)
	}
}
