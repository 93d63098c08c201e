package schema

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

func decodeYAML(t *testing.T, src string) (testConfig, []Problem) {
	t.Helper()
	n, err := ParseYAML([]byte(src))
	if err != nil {
		t.Fatalf("ParseYAML: %v", err)
	}
	cfg := testDefaults()
	return cfg, Decode(n, &cfg, Options{})
}

type decodeCase struct {
	name string
	src  string
	want []Problem
}

// decodeCases are shared with the schema agreement test.
func decodeCases() []decodeCase {
	sha := strings.Repeat("a", 40)
	return []decodeCase{
		{"valid", "version: 1\n", nil},
		{
			"unknown key with suggestion",
			"version: 1\nrequire:\n  membrs: true\n",
			[]Problem{{Path: "require", Line: 3, Column: 3, Message: `unknown key "membrs" (did you mean "members"?)`}},
		},
		{
			"unknown key, case and underscore variant",
			"version: 1\nEnabled: true\n",
			[]Problem{{Line: 2, Column: 1, Message: `unknown key "Enabled" (did you mean "enabled"?)`}},
		},
		{
			"unknown key without suggestion",
			"version: 1\nzzzzzz: 1\n",
			[]Problem{{Line: 2, Column: 1, Message: `unknown key "zzzzzz"`}},
		},
		{
			"skipped field is unknown",
			"version: 1\nSkip: x\n",
			[]Problem{{Line: 2, Column: 1, Message: `unknown key "Skip"`}},
		},
		{
			"yes is not a boolean",
			"version: 1\nrequire:\n  members: yes\n",
			[]Problem{{Path: "require.members", Line: 3, Column: 12, Message: `expected a boolean, got string "yes"`}},
		},
		{
			"on/off/y are not booleans",
			"version: 1\nenabled: on\nlimits: {a: {on: off}}\n",
			[]Problem{
				{Path: "enabled", Line: 2, Column: 10, Message: `expected a boolean, got string "on"`},
				{Path: "limits.a.on", Line: 3, Column: 18, Message: `expected a boolean, got string "off"`},
			},
		},
		{
			"quoted true is a string",
			"version: 1\nenabled: \"true\"\n",
			[]Problem{{Path: "enabled", Line: 2, Column: 10, Message: `expected a boolean, got string "true"`}},
		},
		{
			"number is not a string",
			"version: 1\nname: 123\n",
			[]Problem{{Path: "name", Line: 2, Column: 7, Message: `expected a string, got integer 123`}},
		},
		{
			"mapping where a scalar is expected",
			"version: 1\nname: {a: 1}\nenabled: [true]\n",
			[]Problem{
				{Path: "name", Line: 2, Column: 7, Message: `expected a string, got a mapping`},
				{Path: "enabled", Line: 3, Column: 10, Message: `expected a boolean, got a list`},
			},
		},
		{
			"scalar where a mapping or list is expected",
			"version: 1\nrequire: true\ntags: a\n",
			[]Problem{
				{Path: "require", Line: 2, Column: 10, Message: `expected a mapping, got boolean true`},
				{Path: "tags", Line: 3, Column: 7, Message: `expected a list, got string "a"`},
			},
		},
		{
			"enum",
			"version: 1\nmode: foo\n",
			[]Problem{{Path: "mode", Line: 2, Column: 7, Message: `"foo" is not one of name_and_email, email`}},
		},
		{
			"single-value integer enum",
			"version: 2\n",
			[]Problem{{Path: "version", Line: 1, Column: 10, Message: `must be 1, got 2`}},
		},
		{
			"enum with an empty value",
			"version: 1\nitems: [{sha: " + sha + ", kind: Robot}]\n",
			[]Problem{{Path: "items[0].kind", Line: 2, Column: 63, Message: `"Robot" is not one of User, Bot, ""`}},
		},
		{
			"duplicate key",
			"version: 1\nenabled: true\nenabled: false\n",
			[]Problem{{Line: 3, Column: 1, Message: `duplicate key "enabled" (first at 2:1)`}},
		},
		{
			"duplicate map key",
			"version: 1\nlabels:\n  a: x\n  a: y\n",
			[]Problem{{Path: "labels", Line: 4, Column: 3, Message: `duplicate key "a" (first at 3:3)`}},
		},
		{
			"null where a value is required",
			"version: 1\nname:\nrequire: ~\ncount: null\n",
			[]Problem{
				{Path: "name", Line: 2, Column: 6, Message: `expected a string, got null`},
				{Path: "require", Line: 3, Column: 10, Message: `expected a mapping, got null`},
				{Path: "count", Line: 4, Column: 8, Message: `expected an integer, got null`},
			},
		},
		{
			"integer overflow",
			"version: 1\ncount: 300\nsize: -1\nbig: 99999999999999999999\n",
			[]Problem{
				{Path: "count", Line: 2, Column: 8, Message: `300 is too large (maximum 127)`},
				{Path: "size", Line: 3, Column: 7, Message: `-1 is too small (minimum 0)`},
				{Path: "big", Line: 4, Column: 6, Message: `99999999999999999999 is too large (maximum 9223372036854775807)`},
			},
		},
		{
			"fraction is not an integer",
			"version: 1\ncount: 1.5\n",
			[]Problem{{Path: "count", Line: 2, Column: 8, Message: `expected an integer, got number 1.5`}},
		},
		{
			"minimum",
			"version: 1\ncount: 0\n",
			[]Problem{{Path: "count", Line: 2, Column: 8, Message: `must be at least 1, got 0`}},
		},
		{
			"explicit tag with a bad value",
			"version: 1\ncount: !!int ten\n",
			[]Problem{{Path: "count", Line: 2, Column: 8, Message: `expected an integer, got "ten"`}},
		},
		{
			"missing required key",
			"name: x\n",
			[]Problem{{Path: "version", Line: 1, Column: 1, Message: `required`}},
		},
		{
			"missing required key in a list item",
			"version: 1\nitems:\n  - sha: " + sha + "\n  - kind: Bot\n",
			[]Problem{{Path: "items[1].sha", Line: 4, Column: 5, Message: `required`}},
		},
		{
			"pattern with its own wording",
			"version: 1\nitems: [{sha: abc}]\n",
			[]Problem{{Path: "items[0].sha", Line: 2, Column: 15, Message: `expected a 40-character hexadecimal SHA, got "abc"`}},
		},
		{
			"string lengths, also on list elements",
			"version: 1\nname: \"\"\ntags: [ok, toolong]\n",
			[]Problem{
				{Path: "name", Line: 2, Column: 7, Message: `must not be empty`},
				{Path: "tags[1]", Line: 3, Column: 12, Message: `must be at most 5 characters, got 7`},
			},
		},
		{
			"time and duration values",
			"version: 1\nwhen: yesterday\nevery: 5\n",
			[]Problem{
				{Path: "when", Line: 2, Column: 7, Message: `expected an RFC 3339 timestamp such as "2006-01-02T15:04:05Z", got "yesterday"`},
				{Path: "every", Line: 3, Column: 8, Message: `expected a duration such as "1h30m", got integer 5`},
			},
		},
		{
			"bad duration string",
			"version: 1\nevery: 5 minutes\n",
			[]Problem{{Path: "every", Line: 2, Column: 8, Message: `expected a duration such as "1h30m", got "5 minutes"`}},
		},
		{
			"custom unmarshaler",
			"version: 1\ncolor: red\n",
			[]Problem{{Path: "color", Line: 2, Column: 8, Message: `expected a colour such as "#ff0000", got string "red"`}},
		},
		{
			"merge key",
			"version: 1\nbase: &b {max: 1}\n",
			[]Problem{{Line: 2, Column: 1, Message: `unknown key "base"`}},
		},
		{
			"merge keys are rejected",
			"version: 1\nlimits:\n  a: &b {max: 1}\n  c:\n    <<: *b\n",
			[]Problem{{Path: "limits.c", Line: 5, Column: 5, Message: `merge keys ("<<") are not supported; write the keys out`}},
		},
		{
			"aliases are followed; problems point at the anchor",
			"version: 1\nlimits:\n  a: &b {max: x}\n  c: *b\n",
			[]Problem{
				{Path: "limits.a.max", Line: 3, Column: 15, Message: `expected an integer, got string "x"`},
				{Path: "limits.c.max", Line: 3, Column: 15, Message: `expected an integer, got string "x"`},
			},
		},
		{
			"alias cycle",
			"version: 1\nany: 1\nitems: &x [*x]\n",
			[]Problem{
				{Path: "items[0]", Line: 3, Column: 12, Message: `expected a mapping, got a list`}, // at the alias
			},
		},
		{
			"non-string key",
			"version: 1\n? [a]\n: 1\n",
			[]Problem{{Line: 2, Column: 3, Message: `expected a string key, got a list`}},
		},
		{
			"every problem, not just the first",
			"version: 1\nenabled: yes\nmode: x\nrequir: {}\n",
			[]Problem{
				{Path: "enabled", Line: 2, Column: 10, Message: `expected a boolean, got string "yes"`},
				{Path: "mode", Line: 3, Column: 7, Message: `"x" is not one of name_and_email, email`},
				{Line: 4, Column: 1, Message: `unknown key "requir" (did you mean "require"?)`},
			},
		},
		{
			"quoted keys in paths",
			"version: 1\nlimits:\n  \"a b\": {max: x}\n",
			[]Problem{{Path: `limits["a b"].max`, Line: 3, Column: 16, Message: `expected an integer, got string "x"`}},
		},
		{
			"document that is not a mapping",
			"- a\n",
			[]Problem{{Line: 1, Column: 1, Message: `expected a mapping, got a list`}},
		},
		{
			"empty document",
			"",
			[]Problem{{Message: `expected a mapping, got null`}},
		},
	}
}

func TestDecodeProblems(t *testing.T) {
	for _, tt := range decodeCases() {
		t.Run(tt.name, func(t *testing.T) {
			_, got := decodeYAML(t, tt.src)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeAliasCycleAndBudget(t *testing.T) {
	// items: &x [*x] contains itself; decoding must stop, not recurse forever.
	n, err := ParseYAML([]byte("version: 1\nany: &x [*x]\ntags: &y [a, *y]\n"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg testConfig
	got := Decode(n, &cfg, Options{})
	want := []Problem{
		{Path: "any", Line: 2, Column: 6, Message: `cannot decode a list: yaml: anchor 'x' value contains itself`},
		{Path: "tags[1]", Line: 3, Column: 14, Message: `expected a string, got a list`},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}

	// A billion-laughs document stops at the alias budget with one problem.
	var b strings.Builder
	b.WriteString("l0: &l0 [a, a, a, a, a, a, a, a, a, a]\n")
	for i := 1; i < 9; i++ {
		b.WriteString("l" + itoa(i) + ": &l" + itoa(i) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*l" + itoa(i-1))
		}
		b.WriteString("]\n")
	}
	var lol struct {
		L0 []string                 `yaml:"l0"`
		L1 [][]string               `yaml:"l1"`
		L2 [][][]string             `yaml:"l2"`
		L3 [][][][]string           `yaml:"l3"`
		L4 [][][][][]string         `yaml:"l4"`
		L5 [][][][][][]string       `yaml:"l5"`
		L6 [][][][][][][]string     `yaml:"l6"`
		L7 [][][][][][][][]string   `yaml:"l7"`
		L8 [][][][][][][][][]string `yaml:"l8"`
	}
	n, err = ParseYAML([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	ps := Decode(n, &lol, Options{MaxAliasNodes: 1000})
	if time.Since(start) > 5*time.Second {
		t.Errorf("billion laughs took %v", time.Since(start))
	}
	want = []Problem{{Path: "l2[8][0][0]", Line: 1, Column: 10, Message: "aliases expand to more than 1000 values; write the values out instead"}}
	if diff := cmp.Diff(want, ps); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

func itoa(i int) string { return string(rune('0' + i)) }

func TestDecodeKeepsDefaultsAndFillsValues(t *testing.T) {
	src := `version: 1
name: new
require: {}
tags: [x, y]
labels: {over: O, add: A}
limits: {x: {on: false}}
ptr: 7
when: 2024-05-06T07:08:09Z
every: 90m
raw: {a: [1, 2.5, "x", null, true], b: 0x1F}
node: {anything: [goes]}
items: [{sha: ` + strings.Repeat("b", 40) + `}]
color: "#00ff00"
any: {k: v}
extra: inline
count: 2.0
ratio: 1
`
	got, ps := decodeYAML(t, src)
	if len(ps) != 0 {
		t.Fatalf("problems: %v", ps)
	}
	want := testDefaults()
	want.Name = "new"
	want.Tags = []string{"x", "y"}
	want.Labels = map[string]string{"keep": "k", "over": "O", "add": "A"}
	want.Limits = map[string]limit{"x": {Max: 5, On: false}} // keeps max from the default entry
	seven := 7
	want.Ptr = &seven
	want.When = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	want.Every = 90 * time.Minute
	want.Raw = json.RawMessage(`{"a":[1,2.5,"x",null,true],"b":31}`)
	want.Items = []item{{SHA: strings.Repeat("b", 40)}}
	want.Color = "#00ff00"
	want.Any = map[string]any{"k": "v"}
	want.Extra = "inline"
	want.Count = 2
	want.Ratio = 1
	if got.Node.Node == nil || got.Node.Kind != yaml.MappingNode || got.Node.Line != 11 {
		t.Errorf("Node not filled: %+v", got.Node.Node)
	}
	got.Node = Node{}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(testConfig{})); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}

	// null on a pointer clears it.
	got2 := testDefaults()
	got2.Ptr = &seven
	n, _ := ParseYAML([]byte("version: 1\nptr: null\n"))
	if ps := Decode(n, &got2, Options{}); len(ps) != 0 || got2.Ptr != nil {
		t.Errorf("ptr: %v, problems %v", got2.Ptr, ps)
	}
}

func TestDecodeRawCallbackAndJSONTag(t *testing.T) {
	type inner struct {
		A int `json:"a_b" required:"true"`
	}
	type doc struct {
		In  []inner         `json:"in"`
		Raw json.RawMessage `json:"raw,omitempty"`
	}
	n, err := ParseJSON([]byte("{\n  \"in\": [{\"a_b\": 1}, {}],\n  \"raw\": {\"x\": \"\\ud83d\\ude00\\/\"}\n}"))
	if err != nil {
		t.Fatal(err)
	}
	var gotPath string
	var gotNode *yaml.Node
	var d doc
	ps := Decode(n, &d, Options{Tag: "json", Raw: func(p string, n *yaml.Node) { gotPath, gotNode = p, n }})
	want := []Problem{{Path: "in[1].a_b", Line: 2, Column: 22, Message: "required"}}
	if diff := cmp.Diff(want, ps); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if gotPath != "raw" || gotNode == nil || gotNode.Line != 3 || gotNode.Column != 10 {
		t.Errorf("Raw callback: %q %+v", gotPath, gotNode)
	}
	if string(d.Raw) != `{"x":"😀/"}` {
		t.Errorf("raw = %s", d.Raw)
	}
}

func TestDecodeBadTarget(t *testing.T) {
	var c testConfig
	if ps := Decode(nil, c, Options{}); len(ps) != 1 || !strings.Contains(ps[0].Message, "non-nil pointer") {
		t.Errorf("got %v", ps)
	}
}

func TestSuggest(t *testing.T) {
	si, err := newTypeCache("yaml").get(reflect.TypeFor[testConfig]())
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{
		"requir":   "require",
		"Require":  "require",
		"enabeld":  "enabled",
		"verison":  "version",
		"x":        "",
		"colour":   "color",
		"mod":      "mode",
		"laebls":   "labels",
		"zzzzzzzz": "",
		"VERSION":  "version",
	} {
		if got := suggest(key, si); got != want {
			t.Errorf("suggest(%q) = %q, want %q", key, got, want)
		}
	}
}
