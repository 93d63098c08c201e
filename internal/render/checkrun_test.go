package render

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/policy"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

func TestCheckRun(t *testing.T) {
	d := evaluate(config.Default(), snap(
		commit(sha1, base, "one\n\nSigned-off-by: Ann Lee <ann@example.org>", ann),
		commit(sha2, sha1, "two", ann)))
	o := CheckRun(d, policy.CheckDCO, ctx, "")
	if o.Title != "1 of 2 commits is not signed off" {
		t.Errorf("title %q", o.Title)
	}
	if !strings.Contains(o.Summary, "git commit --amend") || !strings.Contains(o.Text, "two") || !strings.Contains(o.Text, "one") {
		t.Errorf("summary should carry the fix and text every commit:\n%s\n---\n%s", o.Summary, o.Text)
	}
	over := CheckRun(d, policy.CheckDCO, ctx, "set to pass by @m")
	if strings.Contains(over.Summary, "git commit --amend") || !strings.Contains(over.Summary, "@m") {
		t.Errorf("an overridden run shows the note, not the fix:\n%s", over.Summary)
	}
	if o := CheckRun(d, "nope", ctx, ""); o.Title != "Not evaluated" {
		t.Errorf("unknown check: %+v", o)
	}
}

// GitHub refuses a check run whose summary or text exceeds 65,535
// characters: a 5,000-commit pull request must still fit.
func TestCheckRunFitsGitHubLimits(t *testing.T) {
	commits := make([]snapshot.Commit, 5000)
	parent := base
	for i := range commits {
		sha := fmt.Sprintf("%040x", i+1)
		commits[i] = commit(sha, parent, strings.Repeat("long subject ", 10)+fmt.Sprint(i), ann)
		parent = sha
	}
	o := CheckRun(evaluate(config.Default(), snap(commits...)), policy.CheckDCO, ctx, "")
	for name, s := range map[string]string{"summary": o.Summary, "text": o.Text} {
		if n := utf8.RuneCountInString(s); n > MaxCheckRunRunes {
			t.Errorf("%s is %d characters", name, n)
		}
	}
	if !strings.Contains(o.Text, "more") && !strings.Contains(o.Text, "truncated") {
		t.Error("a cut table should say so")
	}
}
