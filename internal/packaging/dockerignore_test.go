package packaging

import (
	"bufio"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// ignoreRule is one .dockerignore line: a pattern in the syntax of
// moby/patternmatcher (filepath.Match plus `**` for any number of
// directories), `!` re-including what an earlier rule excluded.
type ignoreRule struct {
	re     *regexp.Regexp
	negate bool
}

func compileIgnore(t *testing.T, pattern string) ignoreRule {
	t.Helper()
	r := ignoreRule{}
	if p, ok := strings.CutPrefix(pattern, "!"); ok {
		r.negate, pattern = true, strings.TrimSpace(p)
	}
	pattern = strings.TrimPrefix(path.Clean("/"+pattern), "/")
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(pattern); i++ {
		switch c := pattern[i]; c {
		case '*':
			if i+1 < len(pattern) && pattern[i+1] == '*' {
				i++
				if i+1 < len(pattern) && pattern[i+1] == '/' {
					i++
					b.WriteString("(.*/)?") // **/ : zero or more directories
				} else {
					b.WriteString(".*")
				}
			} else {
				b.WriteString("[^/]*")
			}
		case '?':
			b.WriteString("[^/]")
		case '[', '\\':
			t.Fatalf(".dockerignore pattern %q: character classes and escapes are not supported by this test", pattern)
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	r.re = regexp.MustCompile(b.String())
	return r
}

func readDockerignore(t *testing.T) []ignoreRule {
	t.Helper()
	f, err := os.Open(filepath.Join(root, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rules []ignoreRule
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		rules = append(rules, compileIgnore(t, line))
	}
	return rules
}

// excluded tells whether a path (slash-separated, relative to the context)
// is left out of the build context: the last rule matching the path or one
// of its parent directories wins.
func excluded(rules []ignoreRule, p string) bool {
	out := false
	for _, r := range rules {
		for q := p; q != "." && q != "/" && q != ""; q = path.Dir(q) {
			if r.re.MatchString(q) {
				out = !r.negate
				break
			}
		}
	}
	return out
}

func TestDockerignoreMatcher(t *testing.T) {
	rules := []ignoreRule{
		compileIgnore(t, ".git"), compileIgnore(t, "*.md"), compileIgnore(t, "**/testdata"),
		compileIgnore(t, "docs"), compileIgnore(t, "!docs/keep.md"),
	}
	for p, want := range map[string]bool{
		".git/config": true, "README.md": true, "internal/x/notes.md": false,
		"internal/x/testdata/a.json": true, "testdata/a": true, "internal/testdatax/a": false,
		"docs/a.md": true, "docs/keep.md": false, "go.mod": false, "cmd/x/main.go": false,
	} {
		if got := excluded(rules, p); got != want {
			t.Errorf("excluded(%q) = %v, want %v", p, got, want)
		}
	}
}

// TestDockerignoreKeepsTheBuild checks that .dockerignore leaves in the
// build context every file `go build ./cmd/contribution-policy` reads: the
// Go files and go:embed files of every package of this module the binary
// links, and go.mod/go.sum. (The container build in .ci/run proves it too,
// but only where buildah runs.)
func TestDockerignoreKeepsTheBuild(t *testing.T) {
	rules := readDockerignore(t)
	abs, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	// The same build tags as the Dockerfile's go build.
	tags := regexp.MustCompile(`-tags[= ](\S+)`).FindStringSubmatch(buildRun(t, readDockerfile(t)[0]))
	args := []string{"list", "-deps", "-f",
		`{{if not .Standard}}{{.Dir}}{{range .GoFiles}}|{{.}}{{end}}{{range .EmbedFiles}}|{{.}}{{end}}{{end}}`}
	if tags != nil {
		args = append(args, "-tags", tags[1])
	}
	cmd := exec.Command("go", append(args, "./cmd/contribution-policy")...)
	cmd.Dir = abs
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	need := []string{"go.mod", "go.sum"}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Split(line, "|")
		rel, err := filepath.Rel(abs, fields[0])
		if err != nil || strings.HasPrefix(rel, "..") {
			continue // a dependency from the module cache
		}
		for _, f := range fields[1:] {
			need = append(need, filepath.ToSlash(filepath.Join(rel, f)))
		}
	}
	if len(need) < 10 {
		t.Fatalf("go list found only %v", need)
	}
	for _, p := range need {
		if excluded(rules, p) {
			t.Errorf(".dockerignore excludes %s, which the build needs", p)
		}
	}
	for _, p := range []string{".git/HEAD", "README.md", "internal/ghfake/testdata/x", "docs/architecture.md"} {
		if !excluded(rules, p) {
			t.Errorf(".dockerignore keeps %s in the build context", p)
		}
	}
}
