package pipeline

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/gh"
	"github.com/contribution-policy/contribution-policy/internal/ghfake"
	"github.com/contribution-policy/contribution-policy/internal/policy"
	"github.com/contribution-policy/contribution-policy/internal/render"
	"github.com/contribution-policy/contribution-policy/internal/transport"
)

const (
	owner = "acme"
	repo  = "widgets"
	bot   = "github-actions[bot]"
)

// env is one fake GitHub with a repository, and a pipeline talking to it
// through the real go-github client and transport stack.
type env struct {
	t     *testing.T
	fake  *ghfake.Fake
	p     *Pipeline
	stats *transport.Stats
}

func newEnv(t *testing.T, opts ...ghfake.Option) *env {
	t.Helper()
	f := ghfake.New(t, opts...)
	f.AddRepo(ghfake.Repo{Owner: owner, Name: repo, OwnerType: "Organization"})
	rt, stats := transport.New(http.DefaultTransport, transport.Options{
		Clock: transport.NewFakeClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)),
		Pacer: transport.PacerOptions{MinInterval: -1},
	})
	c, err := gh.New(gh.Options{APIURL: f.URL(), GraphQLURL: f.GraphQLURL(), Token: ghfake.DefaultToken,
		HTTPClient: &http.Client{Transport: rt, Timeout: 10 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, fake: f, stats: stats, p: &Pipeline{GitHub: c, BotLogin: bot, ServerURL: f.ServerURL()}}
}

// signed is a commit by Dev with a matching sign-off; unsigned has none.
func signed(i int) ghfake.Commit {
	return ghfake.Commit{Message: fmt.Sprintf("change %d\n\nSigned-off-by: Dev <dev@example.com>", i),
		Author: ghfake.GitPerson{Name: "Dev", Email: "dev@example.com"}, AuthorLogin: "dev"}
}

func unsigned(i int) ghfake.Commit {
	c := signed(i)
	c.Message = fmt.Sprintf("change %d", i)
	return c
}

// pr seeds a linear PR whose commit i is made by spec(i).
func (e *env) pr(n int, spec func(int) ghfake.Commit) ghfake.Pull {
	return e.fake.AddLinearPR(owner, repo, n, spec)
}

// target is what a pull_request_target event for the PR carries.
func target(p ghfake.Pull, commits int) Target {
	return Target{Owner: owner, Repo: repo, Number: p.Number, HeadSHA: p.HeadSHA, BaseSHA: p.BaseSHA, CommitCount: commits, Event: "pull_request_target"}
}

func (e *env) run(t Target) *Outcome {
	e.t.Helper()
	e.fake.ResetCalls()
	out, err := e.p.Run(context.Background(), t)
	if err != nil {
		e.t.Fatalf("Run: %v", err)
	}
	if out.WriteErr != nil {
		e.t.Fatalf("writes failed: %v", out.WriteErr)
	}
	return out
}

func (e *env) counts() (reads, writes int) {
	return len(e.fake.Reads()), len(e.fake.Writes())
}

func (e *env) dcoStatus(sha string) ghfake.Status {
	return e.fake.LatestStatuses(owner, repo, sha)["contribution-policy/dco"]
}

func (e *env) botComments(number int) []ghfake.Comment {
	var out []ghfake.Comment
	for _, c := range e.fake.Comments(owner, repo, number) {
		if c.User == bot && strings.Contains(c.Body, render.Marker) {
			out = append(out, c)
		}
	}
	return out
}

func TestPassingPR(t *testing.T) {
	e := newEnv(t)
	p := e.pr(3, signed)
	out := e.run(target(p, 3))
	if out.Decision.Result != policy.Pass {
		t.Fatalf("result %s, want pass", out.Decision.Result)
	}
	reads, writes := e.counts()
	if reads > 5 || writes != 1 {
		t.Errorf("first run: %d reads, %d writes; want ≤5 reads and 1 write (the status)", reads, writes)
	}
	if st := e.dcoStatus(p.HeadSHA); st.State != "success" || st.Description != "DCO: all 3 commits signed off" {
		t.Errorf("status %+v", st)
	}
	if n := len(e.fake.Comments(owner, repo, p.Number)); n != 0 {
		t.Errorf("a passing PR got %d comments; want none", n)
	}
	e.run(target(p, 3))
	if _, writes := e.counts(); writes != 0 {
		t.Errorf("rerun on an unchanged PR made %d writes, want 0: %v", writes, e.fake.Writes())
	}
}

func TestFailingPRThenFixed(t *testing.T) {
	e := newEnv(t)
	p := e.pr(3, func(i int) ghfake.Commit {
		if i == 1 {
			return unsigned(i)
		}
		return signed(i)
	})
	out := e.run(target(p, 3))
	if out.Decision.Result != policy.Fail {
		t.Fatalf("result %s, want fail", out.Decision.Result)
	}
	reads, writes := e.counts()
	if reads > 5 || writes > 3 {
		t.Errorf("first run: %d reads, %d writes; want ≤5 and ≤3", reads, writes)
	}
	if st := e.dcoStatus(p.HeadSHA); st.State != "failure" || st.Description != "DCO: 1 of 3 commits is not signed off" {
		t.Errorf("status %+v", st)
	}
	cs := e.botComments(p.Number)
	if len(cs) != 1 || !strings.Contains(cs[0].Body, "git rebase --signoff") {
		t.Fatalf("want one policy comment with rebase advice, got %+v", cs)
	}
	e.run(target(p, 3))
	if _, writes := e.counts(); writes != 0 {
		t.Errorf("rerun made %d writes, want 0: %v", writes, e.fake.Writes())
	}

	// The author rewrites the branch with sign-offs and force-pushes.
	parent := p.BaseSHA
	for i := 0; i < 3; i++ {
		c := signed(i)
		c.Parents = []string{parent}
		parent = e.fake.AddCommit(owner, repo, c)
	}
	e.fake.SetBranch(owner, repo, p.HeadRef, parent)
	fixed := target(p, 3)
	fixed.HeadSHA = parent
	out = e.run(fixed)
	if out.Decision.Result != policy.Pass {
		t.Fatalf("after the fix: result %s", out.Decision.Result)
	}
	if st := e.dcoStatus(parent); st.State != "success" {
		t.Errorf("status on the new head: %+v", st)
	}
	cs = e.botComments(p.Number)
	if len(cs) != 1 || !strings.Contains(cs[0].Body, "All checks pass") {
		t.Errorf("the comment must be edited to the all-clear, not duplicated: %+v", cs)
	}
}

func TestEventHeadIsStale(t *testing.T) {
	e := newEnv(t)
	p := e.pr(2, signed)
	stale := target(p, 2)
	// A push lands before the event for the previous head is processed.
	c := unsigned(3)
	c.Parents = []string{p.HeadSHA}
	head := e.fake.AddCommit(owner, repo, c)
	e.fake.SetBranch(owner, repo, p.HeadRef, head)
	out := e.run(stale)
	if out.Target.HeadSHA != head || out.Decision.Result != policy.Fail {
		t.Fatalf("evaluated %s (%s); want the current head %s, failing", out.Target.HeadSHA, out.Decision.Result, head)
	}
	if st := e.dcoStatus(head); st.State != "failure" {
		t.Errorf("status on the current head: %+v", st)
	}
	if st := e.dcoStatus(p.HeadSHA); st.State != "" {
		t.Errorf("nothing should be reported on the stale head, got %+v", st)
	}
}

func TestDuplicateCommentsConverge(t *testing.T) {
	e := newEnv(t)
	p := e.pr(1, unsigned)
	first := e.fake.AddComment(owner, repo, p.Number, bot, render.Marker+"\nold report")
	e.fake.AddComment(owner, repo, p.Number, bot, render.Marker+"\nanother old report")
	foreign := e.fake.AddComment(owner, repo, p.Number, "mallory", render.Marker+"\nnot the bot's")
	e.run(target(p, 1))
	cs := e.botComments(p.Number)
	if len(cs) != 1 || cs[0].ID != first {
		t.Fatalf("want exactly the oldest bot comment %d to carry the marker, got %+v", first, cs)
	}
	for _, c := range e.fake.Comments(owner, repo, p.Number) {
		if c.ID == foreign && c.Body != render.Marker+"\nnot the bot's" {
			t.Errorf("someone else's comment was edited: %q", c.Body)
		}
	}
	e.run(target(p, 1))
	if _, writes := e.counts(); writes != 0 {
		t.Errorf("after converging, a rerun made %d writes", writes)
	}
}

func TestInvalidConfigReportsError(t *testing.T) {
	e := newEnv(t)
	e.fake.SetFile(owner, repo, "main", ".github/contribution-policy.yml", "version: 1\ndco:\n  require:\n    members: yes\n")
	p := e.pr(1, signed)
	out := e.run(target(p, 1))
	if out.Decision.Result != policy.Errored || out.ConfigErr == nil {
		t.Fatalf("result %s, config error %v", out.Decision.Result, out.ConfigErr)
	}
	st := e.dcoStatus(p.HeadSHA)
	if st.State != "error" || !strings.Contains(st.Description, ".github/contribution-policy.yml:4:") {
		t.Errorf("status must be error and name the file and line: %+v", st)
	}
	if n := len(e.fake.Comments(owner, repo, p.Number)); n != 0 {
		t.Errorf("a config error must not comment, got %d comments", n)
	}
}

func TestConfigIsReadAtTheBaseNotTheHead(t *testing.T) {
	e := newEnv(t)
	p := e.pr(1, unsigned)
	// The PR itself tries to switch the check off.
	c := unsigned(2)
	c.Parents = []string{p.HeadSHA}
	c.Files = map[string]string{".github/contribution-policy.yml": "version: 1\ndco:\n  enabled: false\n"}
	head := e.fake.AddCommit(owner, repo, c)
	e.fake.SetBranch(owner, repo, p.HeadRef, head)
	t2 := target(p, 2)
	t2.HeadSHA = head
	if out := e.run(t2); out.Decision.Result != policy.Fail {
		t.Fatalf("a PR must not disable its own check: result %s", out.Decision.Result)
	}
}

func TestDCOYamlIsHonoured(t *testing.T) {
	e := newEnv(t)
	e.fake.SetFile(owner, repo, "main", ".github/dco.yml", "require:\n  members: false\n")
	e.fake.AddOrgMember(owner, "dev", true)
	p := e.pr(1, func(i int) ghfake.Commit {
		c := unsigned(i)
		c.Verified = true
		return c
	})
	out := e.run(target(p, 1))
	if out.Decision.Result != policy.Pass {
		t.Fatalf("a verified member commit is exempt under dco.yml require.members=false: %s", out.Decision.Result)
	}
	if !strings.Contains(out.ConfigSource, ".github/dco.yml") {
		t.Errorf("config source %q should name dco.yml", out.ConfigSource)
	}
}

func TestAboveTheListCap(t *testing.T) {
	e := newEnv(t)
	p := e.pr(300, func(i int) ghfake.Commit {
		if i >= 250 {
			return unsigned(i)
		}
		return signed(i)
	})
	for _, tc := range []struct {
		name    string
		commits int // what the event says (0 = unknown)
	}{{"size known from the event", 300}, {"size unknown", 0}} {
		t.Run(tc.name, func(t *testing.T) {
			tg := target(p, tc.commits)
			if tc.commits == 0 {
				tg.HeadSHA, tg.BaseSHA = "", ""
			}
			out := e.run(tg)
			if n := len(out.Snapshot.Commits); n != 300 {
				t.Fatalf("read %d commits, want all 300", n)
			}
			if got := len(out.Decision.DCO.Failed()); got != 50 || out.Decision.Result != policy.Fail {
				t.Errorf("failed %d (result %s), want the 50 commits after #250", got, out.Decision.Result)
			}
		})
	}
}

// TestSmallPages: a server that pages smaller than the client asks (or a
// list that grows while being read) must still be read completely, in order.
func TestSmallPages(t *testing.T) {
	for _, n := range []int{99, 250, 301} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			e := newEnv(t, ghfake.WithMaxPerPage(30))
			p := e.pr(n, signed)
			out := e.run(target(p, n))
			if got := len(out.Snapshot.Commits); got != n {
				t.Fatalf("read %d commits, want %d", got, n)
			}
			for i, c := range out.Snapshot.Commits {
				if want := fmt.Sprintf("change %d", i); c.Subject() != want {
					t.Fatalf("commit %d is %q, want %q (order lost)", i, c.Subject(), want)
				}
			}
		})
	}
}

func TestFaultsConverge(t *testing.T) {
	e := newEnv(t, ghfake.WithSeed(7))
	p := e.pr(5, func(i int) ghfake.Commit {
		if i == 4 {
			return unsigned(i)
		}
		return signed(i)
	})
	// One secondary rate limit on the status write, and 20% of every call
	// failing with a 502 for the whole test.
	e.fake.Inject(ghfake.Fault{Method: "POST", Path: "/repos/*/*/statuses/*", Times: 1, Status: 403, RetryAfter: "1"})
	e.fake.Inject(ghfake.Fault{Status: 502, Probability: 0.2})
	var errs []error
	for attempt := 0; attempt < 3; attempt++ {
		out, err := e.p.Run(context.Background(), target(p, 5))
		if err == nil {
			err = out.WriteErr
		}
		// Under faults a run may fail, but never report a false success.
		if st := e.dcoStatus(p.HeadSHA); st.State == "success" {
			t.Fatalf("false success under faults: %+v", st)
		}
		if err == nil {
			break
		}
		errs = append(errs, err)
	}
	if len(errs) == 3 {
		t.Fatalf("no run converged under 20%% 5xx: %v", errs)
	}
	if st := e.dcoStatus(p.HeadSHA); st.State != "failure" {
		t.Errorf("status %+v, want failure (earlier errors: %v)", st, errs)
	}
	if cs := e.botComments(p.Number); len(cs) != 1 {
		t.Errorf("want one policy comment, got %d", len(cs))
	}
	if snap := e.stats.Snapshot(); snap.Retries == 0 || snap.RetriedRateLimits == 0 {
		t.Errorf("expected 5xx and rate-limit retries, stats %+v", snap)
	}
	e.fake.ClearFaults()
	e.run(target(p, 5))
	if _, writes := e.counts(); writes != 0 {
		t.Errorf("after convergence a rerun made %d writes", writes)
	}
}

func TestOutageReportsErrorNeverSuccess(t *testing.T) {
	e := newEnv(t)
	p := e.pr(1, signed)
	e.fake.Inject(ghfake.Fault{Status: 503})
	out, err := e.p.Run(context.Background(), target(p, 1))
	if err == nil {
		t.Fatal("a GitHub outage must be an error")
	}
	if out != nil && out.Decision != nil && out.Decision.Result == policy.Pass {
		t.Fatal("an outage must never pass")
	}
	e.fake.ClearFaults()
	if st := e.dcoStatus(p.HeadSHA); st.State == "success" {
		t.Errorf("false success during an outage: %+v", st)
	}
	// GitHub half-up: reads fail, writes work → the gate shows error.
	e.fake.Inject(ghfake.Fault{Method: "POST", Path: "/graphql", Status: 503})
	if _, err := e.p.Run(context.Background(), target(p, 1)); err == nil {
		t.Fatal("want an error")
	}
	e.fake.ClearFaults()
	if st := e.dcoStatus(p.HeadSHA); st.State != "error" {
		t.Errorf("when reads fail the gate must show error, got %+v", st)
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	e := newEnv(t)
	p := e.pr(2, unsigned)
	e.p.DryRun = true
	out := e.run(target(p, 2))
	if _, writes := e.counts(); writes != 0 || len(out.Planned) == 0 {
		t.Errorf("dry run: %d writes, %d planned", writes, len(out.Planned))
	}
}

func TestLabels(t *testing.T) {
	e := newEnv(t)
	e.fake.SetFile(owner, repo, "main", ".github/contribution-policy.yml", "version: 1\nlabels:\n  dco:\n    enabled: true\n")
	p := e.pr(1, unsigned)
	e.run(target(p, 1))
	if got := e.fake.IssueLabels(owner, repo, p.Number); len(got) != 1 || got[0] != "dco-signoff: no" {
		t.Fatalf("labels %v", got)
	}
	c := signed(2)
	c.Parents = []string{p.BaseSHA}
	head := e.fake.AddCommit(owner, repo, c)
	e.fake.SetBranch(owner, repo, p.HeadRef, head)
	t2 := target(p, 1)
	t2.HeadSHA = head
	e.run(t2)
	if got := e.fake.IssueLabels(owner, repo, p.Number); len(got) != 1 || got[0] != "dco-signoff: yes" {
		t.Fatalf("labels after the fix %v", got)
	}
	e.run(t2)
	if _, writes := e.counts(); writes != 0 {
		t.Errorf("rerun made %d writes", writes)
	}
}

// TestCommentResponseLost: GitHub creates the comment but the response is
// lost. The POST is not retried blindly (that would duplicate it); the
// writer re-reads the comments, finds it, and the run succeeds.
func TestCommentResponseLost(t *testing.T) {
	e := newEnv(t)
	p := e.pr(1, unsigned)
	e.fake.Inject(ghfake.Fault{Method: "POST", Path: "/repos/*/*/issues/*/comments", Times: 1, Status: 502, AfterApply: true})
	e.run(target(p, 1))
	e.run(target(p, 1))
	if cs := e.botComments(p.Number); len(cs) != 1 {
		t.Fatalf("want exactly one policy comment, got %d", len(cs))
	}
}
