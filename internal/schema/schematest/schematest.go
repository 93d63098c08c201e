// Package schematest keeps generated files (schemas, reference blocks in
// Markdown) in step with the code in tests: a test regenerates the content
// and fails on a difference, or rewrites the file when run with -update.
package schematest

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// CheckFile compares path's content with want; with update set it writes
// want to path instead. pkg names the package to rerun, for the message.
func CheckFile(t testing.TB, path string, want []byte, update bool, pkg string) {
	t.Helper()
	if update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatalf("update %s: %v", path, err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v (run `go test %s -update` to create it)", path, err, pkg)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is out of date with the code; run `go test %s -update` and commit the result.\n%s",
			path, pkg, firstDifference(got, want))
	}
}

// CheckGeneratedBlock checks (or with update, rewrites) the block named name
// inside the Markdown file at path; see ReplaceGeneratedBlock.
func CheckGeneratedBlock(t testing.TB, path, name, content string, update bool, pkg string) {
	t.Helper()
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	want, err := ReplaceGeneratedBlock(string(doc), name, content)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	CheckFile(t, path, []byte(want), update, pkg)
}

// firstDifference shows the first line that differs, enough to see why.
func firstDifference(got, want []byte) string {
	gl, wl := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var g, w []byte
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if !bytes.Equal(g, w) {
			return "first difference at line " + strconv.Itoa(i+1) + ":\n  file: " + string(g) + "\n  code: " + string(w)
		}
	}
	return ""
}

// Validator compiles JSON Schema documents (each with its $id, the first one
// being the one to validate against; the others may be $ref'd from it) and
// returns a function validating JSON instances, with format assertions on.
func Validator(t testing.TB, schemas ...[]byte) func(instance []byte) error {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	var first string
	for i, s := range schemas {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(s))
		if err != nil {
			t.Fatalf("schema %d: %v", i, err)
		}
		m, _ := doc.(map[string]any)
		id, _ := m["$id"].(string)
		if id == "" {
			id = "mem:///schema" + strconv.Itoa(i) + ".json"
		}
		if i == 0 {
			first = id
		}
		if err := c.AddResource(id, doc); err != nil {
			t.Fatalf("add schema %s: %v", id, err)
		}
	}
	sch, err := c.Compile(first)
	if err != nil {
		t.Fatalf("compile %s: %v", first, err)
	}
	return func(instance []byte) error {
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(instance))
		if err != nil {
			return err
		}
		return sch.Validate(v)
	}
}

// ReplaceGeneratedBlock replaces the text between
//
//	<!-- BEGIN GENERATED: name -->
//	<!-- END GENERATED: name -->
//
// in doc with content (a newline is added after content when missing), so
// that generated reference text can live inside hand-written Markdown. The
// markers must each appear exactly once, in that order.
func ReplaceGeneratedBlock(doc, name, content string) (string, error) {
	begin := "<!-- BEGIN GENERATED: " + name + " -->"
	end := "<!-- END GENERATED: " + name + " -->"
	if n := strings.Count(doc, begin); n != 1 {
		return "", fmt.Errorf("want exactly one %q marker, found %d", begin, n)
	}
	if n := strings.Count(doc, end); n != 1 {
		return "", fmt.Errorf("want exactly one %q marker, found %d", end, n)
	}
	i := strings.Index(doc, begin) + len(begin)
	j := strings.Index(doc, end)
	if j < i {
		return "", fmt.Errorf("%q comes before %q", end, begin)
	}
	if content != "" && !strings.HasSuffix(content, "\n") {
		content += "\n"
	}
	return doc[:i] + "\n" + content + doc[j:], nil
}
