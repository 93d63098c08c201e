package action

import (
	"strings"
	"testing"

	"github.com/contribution-policy/contribution-policy/internal/ghfake"
)

// The Action reports the affiliation in its outputs, labels the pull
// request, and honours "/affiliation none" from an issue_comment event.
func TestAffiliationOutputsAndCommand(t *testing.T) {
	f := ghfake.New(t)
	seedFixtureRepo(t, f, signedMsg, map[string]string{".github/contribution-policy.yml": "version: 1\naffiliation:\n  enabled: true\n  users: {Codertocat: Octo Inc.}\n"})
	r := run{t: t, fake: f, event: "pull_request_target", payload: payload(t, "pull_request/opened.payload.json")}
	res := r.exec()
	if res.code != ExitPass {
		t.Fatalf("exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	if res.outputs["affiliation"] != "Octo Inc." || res.outputs["affiliation-source"] != "project-list" {
		t.Errorf("outputs %v", res.outputs)
	}
	if ls := f.IssueLabels(fxOwner, fxRepo, fxPR); len(ls) != 1 || ls[0] != "affiliation/octo" {
		t.Errorf("labels %v", ls)
	}
	if !strings.Contains(res.summary, "**Affiliation** (informational): Octo Inc.") {
		t.Errorf("summary:\n%s", res.summary)
	}

	c := run{t: t, fake: f, event: "issue_comment", payload: commentPayload(t, "Please leave my employer out.\n\n/affiliation none", "User")}
	res = c.exec()
	if res.code != ExitPass {
		t.Fatalf("exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	if res.outputs["affiliation"] != "" || !strings.Contains(res.stdout, "recorded the /affiliation command of @Codertocat") {
		t.Errorf("outputs %v\n%s", res.outputs, res.stdout)
	}
	if ls := f.IssueLabels(fxOwner, fxRepo, fxPR); len(ls) != 0 {
		t.Errorf("labels after /affiliation none: %v", ls)
	}
	res = r.exec()
	if ls := f.IssueLabels(fxOwner, fxRepo, fxPR); len(ls) != 0 || res.outputs["affiliation"] != "" {
		t.Errorf("after another event: labels %v, outputs %v", ls, res.outputs)
	}
}
