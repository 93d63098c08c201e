package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/contribution-policy/contribution-policy/internal/ghfake"
)

func runCLI(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), Env{Args: args, Getenv: func(string) string { return "" }, Stdout: &out, Stderr: &errb, Dir: dir})
	return code, out.String(), errb.String()
}

func TestCheckSnapshot(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		code  int
		wants []string
	}{
		{"passing example", []string{"check", "--snapshot", "../../examples/pr-signed.json"}, ExitOK,
			[]string{"contribution-policy: pass", "contribution-policy/dco", "success"}},
		{"tour example: every kind of verdict, passing", []string{"check", "--snapshot", "../../examples/pr-mixed.json"}, ExitOK,
			[]string{"contribution-policy: pass", "skip", "Merge commit", "bot account", "remediation commit"}},
		{"failing example", []string{"check", "--snapshot", "../../examples/pr-unsigned.json"}, ExitFail,
			[]string{"contribution-policy: fail", "FAIL", "skip", "fix: git rebase"}},
		{"json", []string{"check", "--snapshot", "../../examples/pr-unsigned.json", "--format", "json"}, ExitFail,
			[]string{`"result": "fail"`, `"reason": "signoff_mismatch"`, `"reason": "remediated"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runCLI(t, "", tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, out, errs)
			}
			for _, w := range tc.wants {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
	t.Run("json shape", func(t *testing.T) {
		_, out, _ := runCLI(t, "", "check", "--snapshot", "../../examples/pr-signed.json", "--format", "json")
		var v struct {
			Result string `json:"result"`
			Checks map[string]struct {
				Conclusion string `json:"conclusion"`
				Commits    []struct{ SHA, Conclusion, Reason string }
			} `json:"checks"`
		}
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatal(err)
		}
		if v.Result != "pass" || v.Checks["dco"].Conclusion != "success" || len(v.Checks["dco"].Commits) != 2 || v.Checks["dco"].Commits[0].Reason != "signed_off" {
			t.Errorf("verdict %+v", v)
		}
	})
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	missingSHA := write("missing.json", `{"repository": {"owner": "o", "name": "r", "owner_type": "User"},
 "pull_request": {"number": 1, "created_at": "2026-01-01T00:00:00Z", "author": {"login": "a", "id": 1, "type": "User"},
   "base_sha": "1111111111111111111111111111111111111111", "head_sha": "2222222222222222222222222222222222222222"},
 "commits": [{"parents": [], "message": "m", "author": {"name": "a", "email": "a@b.c"}, "committer": {"name": "a", "email": "a@b.c"}}]}`)
	badCfg := write("bad.yml", "version: 1\ndco:\n  require:\n    members: yes\n")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "Usage"},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"check without a source", []string{"check"}, "give --snapshot FILE or --repo"},
		{"both sources", []string{"check", "--snapshot", "x", "--repo", "o/r"}, "not both"},
		{"bad repo", []string{"check", "--repo", "nope", "--pr", "1"}, "OWNER/REPO"},
		{"bad format", []string{"check", "--snapshot", "x", "--format", "xml"}, "text or json"},
		{"missing file", []string{"check", "--snapshot", filepath.Join(dir, "none.json")}, "no such file"},
		{"snapshot missing a field", []string{"check", "--snapshot", missingSHA}, "missing.json:4:14: commits[0].sha: required"},
		{"broken JSON", []string{"check", "--snapshot", write("broken.json", "{\n  \"repository\": ,\n}")}, "broken.json:2:"},
		{"online without token", []string{"check", "--repo", "o/r", "--pr", "1"}, "no token"},
		{"invalid config", []string{"validate-config", badCfg}, "bad.yml:4:14: dco.require.members"},
		{"validate without files", []string{"validate-config"}, "at least one"},
		{"bad flag", []string{"check", "--nope"}, "flag provided but not defined"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runCLI(t, "", tc.args...)
			if code != ExitError {
				t.Errorf("exit %d, want %d", code, ExitError)
			}
			if !strings.Contains(out+errs, tc.want) {
				t.Errorf("output lacks %q:\n%s%s", tc.want, out, errs)
			}
		})
	}
}

func TestValidateConfigExamples(t *testing.T) {
	files, _ := filepath.Glob("../../examples/config/*.yml")
	if len(files) == 0 {
		t.Fatal("no example configs")
	}
	code, out, errs := runCLI(t, "", append([]string{"validate-config"}, files...)...)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if n := strings.Count(out, ": valid"); n != len(files) {
		t.Errorf("%d valid lines for %d files:\n%s", n, len(files), out)
	}
}

func TestDCOLocal(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	git := func(args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=Ann", "GIT_AUTHOR_EMAIL=ann@example.org",
			"GIT_COMMITTER_NAME=Ann", "GIT_COMMITTER_EMAIL=ann@example.org", "HOME="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q", "-b", "main")
	git("commit", "-q", "--allow-empty", "-m", "base")
	git("checkout", "-q", "-b", "topic")
	git("commit", "-q", "--allow-empty", "-s", "-m", "signed")
	code, out, errs := runCLI(t, dir, "dco", "main..HEAD")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	git("commit", "-q", "--allow-empty", "-m", "unsigned")
	code, out, _ = runCLI(t, dir, "dco", "main..HEAD")
	if code != ExitFail || !strings.Contains(out, "git commit --amend --no-edit --signoff") {
		t.Fatalf("exit %d, want 1 with amend advice:\n%s", code, out)
	}
	if code, _, errs := runCLI(t, dir, "dco"); code != ExitError || !strings.Contains(errs, "give a range") {
		t.Errorf("without an upstream: exit %d, %s", code, errs)
	}
	// A repository dco.yml applies locally too: email-only matching.
	os.MkdirAll(filepath.Join(dir, ".github"), 0o755)
	os.WriteFile(filepath.Join(dir, ".github", "contribution-policy.yml"), []byte("version: 1\ndco:\n  match: email\n"), 0o644)
	git("commit", "-q", "--amend", "--allow-empty", "-m", "unsigned\n\nSigned-off-by: ann <ann@example.org>")
	if code, out, _ := runCLI(t, dir, "dco", "main..HEAD"); code != ExitOK {
		t.Errorf("email-only match from the repository config: exit %d\n%s", code, out)
	}
}

// TestCheckOnline runs `check --repo --pr` against the fake GitHub: a dry run
// plans writes without making them; --apply makes them; a second --apply
// makes none.
func TestCheckOnline(t *testing.T) {
	f := ghfake.New(t)
	f.AddRepo(ghfake.Repo{Owner: "acme", Name: "widgets"})
	pr := f.AddLinearPR("acme", "widgets", 2, func(i int) ghfake.Commit {
		return ghfake.Commit{Message: "change", Author: ghfake.GitPerson{Name: "Dev", Email: "dev@example.com"}}
	})
	getenv := func(k string) string {
		return map[string]string{"GITHUB_TOKEN": ghfake.DefaultToken}[k]
	}
	check := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Main(context.Background(), Env{Args: append([]string{"check", "--repo", "acme/widgets", "--pr", fmt.Sprint(pr.Number), "--api-url", f.URL()}, args...),
			Getenv: getenv, Stdout: &out, Stderr: &errb})
		return code, out.String(), errb.String()
	}
	code, out, errs := check()
	if code != ExitFail || !strings.Contains(out, "contribution-policy: fail") || !strings.Contains(errs, "would write: set-status") {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, errs)
	}
	if w := f.Writes(); len(w) != 0 {
		t.Fatalf("a dry run wrote %v", w)
	}
	if code, _, errs := check("--apply"); code != ExitFail || !strings.Contains(errs, "wrote: set-status") {
		t.Fatalf("apply: exit %d\n%s", code, errs)
	}
	if st := f.LatestStatuses("acme", "widgets", pr.HeadSHA)["contribution-policy/dco"]; st.State != "failure" {
		t.Errorf("status %+v", st)
	}
	f.ResetCalls()
	if _, _, errs := check("--apply"); !strings.Contains(errs, "no writes needed") || len(f.Writes()) != 0 {
		t.Errorf("second apply: %s, writes %v", errs, f.Writes())
	}
}
