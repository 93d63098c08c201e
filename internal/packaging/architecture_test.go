package packaging

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The layout rules of docs/architecture.md, checked on the source: a
// newcomer (or a helper in a hurry) cannot quietly break them.

// pure packages judge and render; they do no I/O and read no clock.
var pure = []string{
	"internal/policy", "internal/affiliation", "internal/gitdm", "internal/trailer",
	"internal/command", "internal/reconcile", "internal/render", "internal/snapshot",
	"internal/schema",
}

var ioImports = map[string]bool{
	"net": true, "net/http": true, "os": true, "os/exec": true, "database/sql": true,
	"io/ioutil": true, "syscall": true,
}

const goGitHub = "github.com/google/go-github/v60/github"

func TestArchitectureRules(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); name == "testdata" || name == ".git" || name == "node_modules" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel("../..", path)
		rel = filepath.ToSlash(rel)
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if p == goGitHub && !strings.HasPrefix(rel, "internal/gh/") && rel != "internal/action/event.go" {
				t.Errorf("%s imports go-github: only internal/gh may (and front ends, to decode event payloads)", rel)
			}
			if ioImports[p] && isPure(rel) {
				t.Errorf("%s imports %s: %s is pure (no I/O)", rel, p, filepath.Dir(rel))
			}
		}
		if isPure(rel) {
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if strings.Contains(string(src), "time.Now()") {
				t.Errorf("%s reads the clock: the engine gets the time as an input", rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func isPure(rel string) bool {
	if strings.Contains(rel, "/schematest/") { // a helper for tests' golden files
		return false
	}
	for _, p := range pure {
		if strings.HasPrefix(rel, p+"/") {
			return true
		}
	}
	return false
}
