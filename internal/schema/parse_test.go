package schema

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

func TestParseYAMLSyntaxErrors(t *testing.T) {
	tests := []struct {
		src  string
		want string
	}{
		// yaml.v3 alone says "mapping values are not allowed" with no line.
		{"a: b: c\n", "1:5: invalid YAML: mapping values are not allowed in this context"},
		// yaml.v3 alone says "line 3" (0-based) for this parser error.
		{"a: 1\nb:\n  - x\n c: d\n", "4:2: invalid YAML: did not find expected key"},
		{"dco:\n  enabled: true\n   match: email\n", "3:9: invalid YAML: mapping values are not allowed in this context"},
		{"a: 1\nb: @x\n", "2:4: invalid YAML: found character that cannot start any token"},
		{"a: 1\nb: \"x\\q\"\n", "2:6: invalid YAML: found unknown escape character"},
		{"a: \"unterminated\nb: 2\n", "1:4: invalid YAML: found unexpected end of stream"},
		{"x: 1\n\ty: 2\n", "2:1: invalid YAML: found a tab character that violates indentation"},
		{"key: [a, b]]\n", "1:12: invalid YAML: did not find expected key"},
		{"a: *nope\n", "1:8: invalid YAML: unknown anchor 'nope' referenced"},
		{"a: 1\n---\nb: 2\n", `2:1: only one YAML document is allowed, found a second one ("---")`},
	}
	for _, tt := range tests {
		_, err := ParseYAML([]byte(tt.src))
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%q: got %v, want a *SyntaxError", tt.src, err)
			continue
		}
		if got := se.Error(); got != tt.want {
			t.Errorf("%q:\n got %s\nwant %s", tt.src, got, tt.want)
		}
	}
}

func TestParseYAMLLargeDocumentUsesYAMLLine(t *testing.T) {
	src := strings.Repeat("a: 1\n", 20000) + "b: c: d\n"
	_, err := ParseYAML([]byte(src))
	if want := "20001:1: invalid YAML: mapping values are not allowed in this context"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

func TestParseYAMLEmpty(t *testing.T) {
	for _, src := range []string{"", "# just a comment\n", "\n\n"} {
		n, err := ParseYAML([]byte(src))
		if err != nil || n.Kind != yaml.DocumentNode || len(n.Content) != 0 {
			t.Errorf("%q: %v %+v", src, err, n)
		}
	}
}

func TestParseJSON(t *testing.T) {
	src := "\ufeff{\n\t\"a\": [1, -2.5e3, true, null],\n  \"é\": \"x\\/\\ud83d\\ude00\",\"b\":{}}\n"
	n, err := ParseJSON([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	// The same tree, positions included, as yaml.v3 gives for JSON it can read.
	type pos struct {
		Kind      yaml.Kind
		Tag       string
		Value     string
		Line, Col int
	}
	var got []pos
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		got = append(got, pos{n.Kind, n.ShortTag(), n.Value, n.Line, n.Column})
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	want := []pos{
		{yaml.DocumentNode, "", "", 1, 1},
		{yaml.MappingNode, "!!map", "", 1, 1},
		{yaml.ScalarNode, "!!str", "a", 2, 2},
		{yaml.SequenceNode, "!!seq", "", 2, 7},
		{yaml.ScalarNode, "!!int", "1", 2, 8},
		{yaml.ScalarNode, "!!float", "-2.5e3", 2, 11},
		{yaml.ScalarNode, "!!bool", "true", 2, 19},
		{yaml.ScalarNode, "!!null", "null", 2, 25},
		{yaml.ScalarNode, "!!str", "é", 3, 3},
		{yaml.ScalarNode, "!!str", "x/😀", 3, 8},
		{yaml.ScalarNode, "!!str", "b", 3, 26},
		{yaml.MappingNode, "!!map", "", 3, 30},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("nodes (-want +got):\n%s", diff)
	}

	// Where yaml.v3 can read the JSON, its positions agree with ours.
	plain := "{\n  \"a\": [1, {\"b\": \"c\"}],\n\t\"d\": \"é\", \"e\": null\n}"
	var yn yaml.Node
	if err := yaml.Unmarshal([]byte(plain), &yn); err != nil {
		t.Fatal(err)
	}
	jn, err := ParseJSON([]byte(plain))
	if err != nil {
		t.Fatal(err)
	}
	var ys, js []pos
	got = nil
	walk(&yn)
	ys = got
	got = nil
	walk(jn)
	js = got
	if diff := cmp.Diff(ys, js); diff != "" {
		t.Errorf("yaml.v3 vs ParseJSON (-yaml +ours):\n%s", diff)
	}
}

func TestParseJSONErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"", "1:1: invalid JSON: empty JSON document"},
		{"{\n  \"a\": 1,\n}", `3:1: invalid JSON: expected a string key, got '}'`},
		{"{\"a\" 1}", `1:6: invalid JSON: expected ':' after key "a", got '1'`},
		{"[1 2]", `1:4: invalid JSON: expected ',' or ']', got '2'`},
		{"{\"a\": 1", `1:8: invalid JSON: expected ',' or '}', got end of file`},
		{"{\"a\": tru}", `1:7: invalid JSON: expected a value, got 't'`},
		{"{\"a\": \"x\ny\"}", `1:9: invalid JSON: control character '\n' in a string (escape it)`},
		{"{\"a\": \"\\q\"}", `1:7: invalid JSON: bad string: 'q' in string escape code`},
		{"{\"a\": \"abc", `1:7: invalid JSON: string not terminated`},
		{"{\"a\": 01}", `1:8: invalid JSON: expected ',' or '}', got '1'`},
		{"{\"a\": 1.}", `1:7: invalid JSON: invalid number: digits must follow '.'`},
		{"{\"a\": -}", `1:7: invalid JSON: invalid number`},
		{"{} {}", `1:4: invalid JSON: unexpected '{' after the JSON value`},
		{"{\"é\": ?}", `1:7: invalid JSON: expected a value, got '?'`},
		{strings.Repeat("[", maxJSONDepth+1), "1:10001: invalid JSON: nested more than 10000 levels deep"},
	}
	for _, tt := range tests {
		_, err := ParseJSON([]byte(tt.src))
		if err == nil || err.Error() != tt.want {
			t.Errorf("%.40q:\n got %v\nwant %s", tt.src, err, tt.want)
		}
		if err != nil && json.Valid([]byte(tt.src)) {
			t.Errorf("%.40q is valid JSON to encoding/json", tt.src)
		}
	}
}

func TestToJSON(t *testing.T) {
	n, err := ParseYAML([]byte("a: &x [1, 0x10, 1_000, 2.50, .5, yes, true, ~, 2024-01-01]\nb: *x\n\"c\": {d: e}\n"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := ToJSON(n)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"a":[1,16,1000,2.50,0.5,"yes",true,null,"2024-01-01"],"b":[1,16,1000,2.50,0.5,"yes",true,null,"2024-01-01"],"c":{"d":"e"}}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	for _, bad := range []string{"a: .inf\n", "? [a]\n: b\n", "a: &x [*x]\n"} {
		n, err := ParseYAML([]byte(bad))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := ToJSON(n); err == nil {
			t.Errorf("%q: want an error, got %s", bad, got)
		}
	}
}

func TestFindAndPaths(t *testing.T) {
	n, err := ParseYAML([]byte("a:\n  b: [x, {c: 1}]\n  \"d.e\": 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string][2]int{
		"a.b[1].c":   {2, 14},
		"a.b[0]":     {2, 7},
		`a["d.e"]`:   {3, 10},
		"a.b[7]":     {2, 6}, // missing: the nearest ancestor
		"a.zz.y":     {2, 3},
		"":           {1, 1},
		"a..b":       {1, 1}, // malformed: the root
		`a["unterm`:  {1, 1},
		"a.b[1].c.x": {2, 14},
	} {
		l, c := Position(n, path)
		if [2]int{l, c} != want {
			t.Errorf("Position(%q) = %d:%d, want %d:%d", path, l, c, want[0], want[1])
		}
	}
	for _, p := range []string{"a", "a.b", "a[3].b", `a["x y"]`, `x["a\"]b"].c[0]`} {
		segs, ok := parsePath(p)
		if !ok || renderPath(segs) != p {
			t.Errorf("round trip %q: %v %q", p, ok, renderPath(segs))
		}
	}
	if got := JoinPath("labels", "a b"); got != `labels["a b"]` {
		t.Errorf("JoinPath = %s", got)
	}
}

func TestProblemRendering(t *testing.T) {
	ps := SortProblems([]Problem{
		{Path: "b", Message: "no position"},
		{Path: "x", Line: 3, Column: 1, Message: "m"},
		{Line: 1, Column: 5, Message: "root"},
		{Path: "x", Line: 3, Column: 1, Message: "m"}, // duplicate
	})
	want := "f.yml:1:5: root\nf.yml:3:1: x: m\nf.yml: b: no position"
	if got := Join("f.yml", ps); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
