package action

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sethvargo/go-githubactions"

	"github.com/contribution-policy/contribution-policy/internal/ghfake"
	"github.com/contribution-policy/contribution-policy/internal/render"
)

func statusOf(f *ghfake.Fake) ghfake.Status {
	return f.LatestStatuses(fxOwner, fxRepo, fxHead)["contribution-policy/dco"]
}

func TestPassingPullRequestTarget(t *testing.T) {
	f := ghfake.New(t)
	seedFixtureRepo(t, f, signedMsg, nil)
	r := run{t: t, fake: f, event: "pull_request_target", payload: payload(t, "pull_request/opened.payload.json")}
	res := r.exec()
	if res.code != ExitPass {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	want := map[string]string{"result": "pass", "dco": "success", "failing-commits": "", "config-source": "", "cla": "", "affiliation": "", "affiliation-source": ""}
	if diff := cmp.Diff(want, res.outputs); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}
	if st := statusOf(f); st.State != "success" || !strings.Contains(st.TargetURL, "/actions/runs/4242") {
		t.Errorf("status %+v", st)
	}
	if !strings.Contains(res.summary, "## Contribution policy: ✅ pass") || !strings.Contains(res.summary, "ec26c3e") {
		t.Errorf("summary:\n%s", res.summary)
	}
	if n := len(f.Comments(fxOwner, fxRepo, fxPR)); n != 0 {
		t.Errorf("%d comments on a passing PR", n)
	}
	// The only place the token may appear is the mask command itself.
	if strings.Contains(strings.ReplaceAll(res.stdout, "::add-mask::"+ghfake.DefaultToken, "")+res.stderr, ghfake.DefaultToken) {
		t.Error("the token was printed")
	}
	if !strings.Contains(res.stdout, "::add-mask::"+ghfake.DefaultToken) {
		t.Error("the token must be masked")
	}

	f.ResetCalls()
	if res := r.exec(); res.code != ExitPass {
		t.Fatalf("rerun exit %d", res.code)
	}
	if w := f.Writes(); len(w) != 0 {
		t.Errorf("a second run on the unchanged PR made %d writes: %v", len(w), w)
	}
}

func TestFailingPullRequest(t *testing.T) {
	f := ghfake.New(t)
	seedFixtureRepo(t, f, unsignedMsg, nil)
	r := run{t: t, fake: f, event: "pull_request_target", payload: payload(t, "pull_request/synchronize.payload.json")}
	res := r.exec()
	if res.code != ExitFail {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	if res.outputs["result"] != "fail" || res.outputs["dco"] != "failure" || res.outputs["failing-commits"] != fxHead {
		t.Errorf("outputs %v", res.outputs)
	}
	if !strings.Contains(res.stdout, "::error title=contribution-policy/dco::The commit is not signed off: ec26c3e") {
		t.Errorf("want an error annotation, stdout:\n%s", res.stdout)
	}
	if st := statusOf(f); st.State != "failure" {
		t.Errorf("status %+v", st)
	}
	cs := f.Comments(fxOwner, fxRepo, fxPR)
	if len(cs) != 1 || cs[0].User != DefaultBotLogin || !strings.Contains(cs[0].Body, render.Marker) {
		t.Fatalf("want one policy comment by %s, got %+v", DefaultBotLogin, cs)
	}
	if !strings.Contains(res.summary, "git commit --amend --no-edit --signoff") {
		t.Errorf("summary lacks the fix:\n%s", res.summary)
	}
	f.ResetCalls()
	if res := r.exec(); res.code != ExitFail {
		t.Fatalf("rerun exit %d", res.code)
	}
	if w := f.Writes(); len(w) != 0 {
		t.Errorf("rerun made %d writes: %v", len(w), w)
	}
}

func TestRecheckComment(t *testing.T) {
	f := ghfake.New(t)
	seedFixtureRepo(t, f, signedMsg, nil)
	res := run{t: t, fake: f, event: "issue_comment", payload: commentPayload(t, "Thanks!\n/recheck", "User")}.exec()
	if res.code != ExitPass || statusOf(f).State != "success" {
		t.Fatalf("exit %d, status %+v\n%s%s", res.code, statusOf(f), res.stdout, res.stderr)
	}
	for _, tc := range []struct{ name, body, userType string }{
		{"quoted", "> /recheck", "User"},
		{"no command", "looks good", "User"},
		{"from a bot", "/recheck", "Bot"},
		{"edited into a command", "/recheck", "User"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.ResetCalls()
			p := commentPayload(t, tc.body, tc.userType)
			if tc.name == "edited into a command" {
				// Commands are read from new comments only: editing an old
				// comment (perhaps someone else's quote) triggers nothing.
				p = bytes.Replace(p, []byte(`"action":"created"`), []byte(`"action":"edited"`), 1)
			}
			res := run{t: t, fake: f, event: "issue_comment", payload: p}.exec()
			if res.code != ExitPass || res.outputs["result"] != "skipped" || len(f.Calls()) != 0 {
				t.Errorf("exit %d outputs %v calls %d: must be ignored without API calls", res.code, res.outputs, len(f.Calls()))
			}
		})
	}
}

func TestForkPullRequestWithReadOnlyToken(t *testing.T) {
	f := ghfake.New(t)
	seedFixtureRepo(t, f, unsignedMsg, nil)
	f.AddToken("ghs_readonly", ghfake.TokenSpec{Login: "github-actions[bot]", Type: "Bot", ReadOnly: true})
	// octokit's payload is same-repo; make the head come from a fork.
	p := bytes.Replace(payload(t, "pull_request/opened.payload.json"),
		[]byte(`"full_name": "Codertocat/Hello-World"`), []byte(`"full_name": "forker/Hello-World"`), 1)
	res := run{t: t, fake: f, event: "pull_request", payload: p, token: "ghs_readonly"}.exec()
	if res.code != ExitFail {
		t.Fatalf("exit %d (the verdict still counts)\n%s%s", res.code, res.stdout, res.stderr)
	}
	if w := f.Writes(); len(w) != 0 {
		t.Errorf("read-only run attempted %d writes", len(w))
	}
	if !strings.Contains(res.summary, "pull_request_target") {
		t.Errorf("the summary must say why nothing was written:\n%s", res.summary)
	}
}

func TestBadInput(t *testing.T) {
	f := ghfake.New(t)
	seedFixtureRepo(t, f, signedMsg, nil)
	good := payload(t, "pull_request/opened.payload.json")
	tests := []struct {
		name    string
		r       run
		code    int
		message string
	}{
		{"missing token", run{event: "pull_request_target", payload: good, inputs: map[string]string{"github-token": ""}}, ExitError, `input "github-token" is empty`},
		{"malformed event", run{event: "pull_request_target", payload: []byte("{\n  \"action\": \"opened\",\n  \"number\": }")}, ExitError, "event.json:3:13: malformed event JSON"},
		{"wrong event shape", run{event: "pull_request_target", payload: []byte(`{"action": "opened"}`)}, ExitError, "not a pull_request payload"},
		{"wrong field type", run{event: "pull_request_target", payload: []byte(`{"action": 7}`)}, ExitError, `event field "action": expected string`},
		{"empty event", run{event: "pull_request_target", payload: []byte(" ")}, ExitError, "event file is empty"},
		{"bad dry-run", run{event: "pull_request_target", payload: good, inputs: map[string]string{"dry-run": "yes"}}, ExitError, `input "dry-run" must be true or false`},
		{"unhandled event", run{event: "push", payload: payload(t, "push/payload.json")}, ExitPass, `::notice::event "push" is not handled`},
		{"closed PR", run{event: "pull_request_target", payload: payload(t, "pull_request/closed.payload.json")}, ExitPass, "pull request closed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.r.t, tc.r.fake = t, f
			res := tc.r.exec()
			if res.code != tc.code || !strings.Contains(res.stdout, tc.message) {
				t.Errorf("exit %d (want %d), stdout lacks %q:\n%s\nstderr:\n%s", res.code, tc.code, tc.message, res.stdout, res.stderr)
			}
			if strings.Contains(res.stderr, "panic") || strings.Contains(res.stdout, "panic") {
				t.Errorf("panicked:\n%s", res.stderr)
			}
			if tc.code == ExitError && res.outputs["result"] != "error" {
				t.Errorf("result output %q, want error", res.outputs["result"])
			}
		})
	}
}

func TestBadConfigReportsErrorStatus(t *testing.T) {
	f := ghfake.New(t)
	seedFixtureRepo(t, f, signedMsg, map[string]string{".github/contribution-policy.yml": "version: 1\ndco:\n  requir:\n    members: false\n"})
	res := run{t: t, fake: f, event: "pull_request_target", payload: payload(t, "pull_request/opened.payload.json")}.exec()
	if res.code != ExitError {
		t.Fatalf("exit %d, want 2", res.code)
	}
	msg := "Codertocat/Hello-World@" + fxBase + ":.github/contribution-policy.yml:3:3"
	if !strings.Contains(res.stdout, msg) || !strings.Contains(res.stdout, `did you mean "require"`) {
		t.Errorf("the annotation must name %s and the fix:\n%s", msg, res.stdout)
	}
	if st := statusOf(f); st.State != "error" {
		t.Errorf("status %+v, want error", st)
	}
}

// TestInputsAndOutputsMatchActionYML runs the Action in-process with a
// getenv that records every variable read, and checks that the inputs the
// code reads are exactly those action.yml declares, and that the outputs it
// writes are exactly those declared.
func TestInputsAndOutputsMatchActionYML(t *testing.T) {
	a := readActionYML(t)
	if a.Runs.Using != "docker" || a.Runs.Image != "Dockerfile" {
		t.Errorf("runs: %+v, want a docker action built from Dockerfile", a.Runs)
	}
	for name, in := range a.Inputs {
		if in.Description == "" {
			t.Errorf("input %s has no description", name)
		}
	}
	f := ghfake.New(t)
	seedFixtureRepo(t, f, unsignedMsg, nil)
	r := run{t: t, fake: f, event: "pull_request_target", payload: payload(t, "pull_request/opened.payload.json")}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "event.json"), r.payload, 0o644)
	env := map[string]string{}
	for _, kv := range r.runnerEnv(dir) {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	var mu sync.Mutex
	read := map[string]bool{}
	getenv := func(k string) string {
		mu.Lock()
		read[k] = true
		mu.Unlock()
		return env[k]
	}
	var stdout bytes.Buffer
	code := Run(context.Background(), Options{Getenv: getenv, Stdout: &stdout})
	if code != ExitFail {
		t.Fatalf("exit %d\n%s", code, stdout.String())
	}
	var gotIn, wantIn []string
	for k := range read {
		if name, ok := strings.CutPrefix(k, "INPUT_"); ok {
			gotIn = append(gotIn, strings.ToLower(name))
		}
	}
	for name := range a.Inputs {
		wantIn = append(wantIn, name)
	}
	sort.Strings(gotIn)
	sort.Strings(wantIn)
	if diff := cmp.Diff(wantIn, gotIn); diff != "" {
		t.Errorf("inputs read by the code vs declared in action.yml (-declared +read):\n%s", diff)
	}
	var gotOut, wantOut []string
	for k := range parseOutputs(t, env["GITHUB_OUTPUT"]) {
		gotOut = append(gotOut, k)
	}
	for name, o := range a.Outputs {
		wantOut = append(wantOut, name)
		if o.Description == "" {
			t.Errorf("output %s has no description", name)
		}
	}
	sort.Strings(gotOut)
	sort.Strings(wantOut)
	if diff := cmp.Diff(wantOut, gotOut); diff != "" {
		t.Errorf("outputs written vs declared (-declared +written):\n%s", diff)
	}
}

// TestOutputsCannotInjectOutputs: an output value is written on one line, so
// text containing newlines and go-githubactions' fixed heredoc delimiter
// cannot smuggle in another output (or environment variable).
func TestOutputsCannotInjectOutputs(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "set_output")
	env := map[string]string{"GITHUB_OUTPUT": out}
	getenv := func(k string) string { return env[k] }
	var stdout bytes.Buffer
	r := &runner{getenv: getenv}
	r.a = githubactions.New(githubactions.WithGetenv(getenv), githubactions.WithWriter(&stdout))
	r.setOutput(OutputConfigSource, "o/r@x:.github/p.yml\n_GitHubActionsFileCommandDelimeter_\nresult=pass\r\nfailing-commits=")
	got := parseOutputs(t, out)
	if len(got) != 1 || strings.Contains(got[OutputConfigSource], "\n") {
		t.Fatalf("outputs %q: a value must not create other outputs", got)
	}
}
