package render

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/policy"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/render -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file (run go test ./internal/render -update and review the diff)\n--- got ---\n%s", name, got)
	}
}

const (
	sha1 = "1111111111111111111111111111111111111111"
	sha2 = "2222222222222222222222222222222222222222"
	sha3 = "3333333333333333333333333333333333333333"
	base = "0000000000000000000000000000000000000000"
)

var (
	ann = snapshot.Identity{Name: "Ann Lee", Email: "ann@example.org", Login: "ann", ID: 1, Type: "User"}
	ctx = Context{ServerURL: "https://github.example/", Repo: snapshot.Repository{Owner: "acme", Name: "widgets", OwnerType: "Organization"}, Number: 7}
)

func snap(commits ...snapshot.Commit) *snapshot.Snapshot {
	return &snapshot.Snapshot{Repository: ctx.Repo, PullRequest: snapshot.PullRequest{Number: 7, HeadSHA: commits[len(commits)-1].SHA, BaseSHA: base}, Commits: commits}
}

func commit(sha, parent, msg string, who snapshot.Identity) snapshot.Commit {
	return snapshot.Commit{SHA: sha, Parents: []string{parent}, Message: msg, Author: who, Committer: who}
}

func evaluate(cfg config.Config, s *snapshot.Snapshot) *policy.Decision {
	return policy.Evaluate(&cfg, s)
}

func TestGolden(t *testing.T) {
	remediation := config.Default()
	remediation.DCO.AllowRemediationCommits.Individual = true
	hostile := snapshot.Identity{Name: "Eve `x` | <b>bold</b>", Email: "eve@example.org"}
	tests := []struct {
		name string
		d    *policy.Decision
	}{
		{"pass", evaluate(config.Default(), snap(commit(sha1, base, "ok\n\nSigned-off-by: Ann Lee <ann@example.org>", ann)))},
		{"amend", evaluate(config.Default(), snap(
			commit(sha1, base, "one\n\nSigned-off-by: Ann Lee <ann@example.org>", ann),
			commit(sha2, sha1, "two", ann)))},
		{"rebase-with-remediation", evaluate(remediation, snap(
			commit(sha1, base, "one\n\nSigned-off-by: ann <ann@old.example>", ann),
			commit(sha2, sha1, "two", ann),
			commit(sha3, sha2, "three\n\nSigned-off-by: Ann Lee <ann@example.org>", ann)))},
		{"hostile-text", evaluate(config.Default(), snap(
			commit(sha1, base, "<img src=x onerror=alert(1)> @octocat [click](http://evil.example) | ```", hostile)))},
		{"incomplete", func() *policy.Decision {
			s := snap(commit(sha1, base, "ok\n\nSigned-off-by: Ann Lee <ann@example.org>", ann))
			s.CommitCount = 300
			return evaluate(config.Default(), s)
		}()},
		{"config-error", policy.ErrorDecision([]string{"dco"}, "invalid configuration: acme/widgets@abc:.github/contribution-policy.yml:4:14: dco.require.members: expected a boolean, got string \"yes\"")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body, needed := Comment(tc.d, ctx)
			if needed == (tc.d.Result == policy.Pass || tc.d.Result == policy.Errored) {
				t.Errorf("needed=%v for result %s", needed, tc.d.Result)
			}
			if !strings.HasPrefix(body, Marker+"\n") {
				t.Errorf("the comment must start with the marker")
			}
			golden(t, tc.name+".comment.md", body)
			golden(t, tc.name+".summary.md", Summary(tc.d, ctx, ""))
		})
	}
}

func TestHostileTextIsInert(t *testing.T) {
	d := evaluate(config.Default(), snap(commit(sha1, base, "<script>alert(1)</script> @octocat\n", snapshot.Identity{Name: "x", Email: "x@y.z"})))
	body, _ := Comment(d, ctx)
	for _, bad := range []string{"<script>", "@octocat"} {
		if strings.Contains(body, bad) {
			t.Errorf("comment contains %q unescaped", bad)
		}
	}
}

func TestEscapers(t *testing.T) {
	tests := []struct{ in, text, code string }{
		{"plain", "plain", "`plain`"},
		{"<b>&", "&lt;b&gt;&amp;", "`<b>&`"},
		{"@alice", "@\u2060alice", "`@alice`"},
		{"a|b", "a\\|b", "`a\\|b`"},
		{"has `tick`", "has \\`tick\\`", "`` has `tick` ``"},
		{"`", "\\`", "`` ` ``"},
		{"line\nbreak\r", "line break ", "`line break `"},
		{"[x](y)", "\\[x\\](y)", "`[x](y)`"},
		{"bad\xffutf8", "bad\uFFFDutf8", "`bad\uFFFDutf8`"},
	}
	for _, tc := range tests {
		if got := Text(tc.in); got != tc.text {
			t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.text)
		}
		if got := Code(tc.in); got != tc.code {
			t.Errorf("Code(%q) = %q, want %q", tc.in, got, tc.code)
		}
	}
}

func TestCommentSizeLimit(t *testing.T) {
	var commits []snapshot.Commit
	parent := base
	long := strings.Repeat("very long subject ", 50)
	for i := 0; i < 3000; i++ {
		sha := strings.Repeat(string(rune('a'+i%6)), 34) + strings.Repeat("0", 6-len(itoa(i))) + itoa(i)
		commits = append(commits, commit(sha, parent, long, snapshot.Identity{Name: strings.Repeat("N", 500), Email: "n@example.org"}))
		parent = sha
	}
	d := evaluate(config.Default(), snap(commits...))
	body, _ := Comment(d, ctx)
	if n := utf8.RuneCountInString(body); n > 65536 {
		t.Fatalf("comment is %d characters, over GitHub's 65,536", n)
	}
	if !strings.HasPrefix(body, Marker) {
		t.Fatal("the marker must survive truncation")
	}
	if s := Summary(d, ctx, ""); len(s) > MaxSummaryBytes+200 {
		t.Fatalf("summary is %d bytes, over the 1 MiB step limit", len(s))
	}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i == 0 {
		return "0"
	}
	s := ""
	for ; i > 0; i /= 10 {
		s = string(digits[i%10]) + s
	}
	return s
}
