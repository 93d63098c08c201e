package config

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/contribution-policy/contribution-policy/internal/schema"
)

var testSrc = Source{Repo: "octo/repo", Ref: "0123abc", Path: PolicyPath}

// parseCase is one configuration sample. The schema agreement test runs all
// of them too: the JSON Schema must accept a sample exactly when the decoder
// finds no problem (semantic checks from Validate aside).
type parseCase struct {
	name string
	src  string
	// want is the whole error text, "" for a valid file.
	want string
	// check inspects a valid result.
	check func(t *testing.T, c *Config)
	// noJSON marks samples with no JSON equivalent (duplicate keys, merge
	// keys, syntax errors), which the schema agreement test skips.
	noJSON bool
}

const p = "octo/repo@0123abc:.github/contribution-policy.yml:"

func parseCases() []parseCase {
	return []parseCase{
		{
			name: "minimal file keeps every default",
			src:  "version: 1\n",
			check: func(t *testing.T, c *Config) {
				if diff := cmp.Diff(Default(), *c); diff != "" {
					t.Errorf("(-default +got):\n%s", diff)
				}
			},
		},
		{
			name: "present keys override, absent keys keep defaults",
			src:  "version: 1\ndco:\n  require:\n    members: false\n  match: email\nlabels:\n  dco:\n    enabled: true\n",
			check: func(t *testing.T, c *Config) {
				want := Default()
				want.DCO.Require.Members = false
				want.DCO.Match = MatchEmail
				want.Labels.DCO.Enabled = true
				if diff := cmp.Diff(want, *c); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "anchors and aliases",
			src:  "version: 1\ndco: &d {enabled: false}\ncla: *d\n",
			check: func(t *testing.T, c *Config) {
				if c.DCO.Enabled || c.CLA.Enabled {
					t.Errorf("got %+v", c)
				}
			},
		},
		{
			name: "yes is not a boolean",
			src:  "version: 1\ndco:\n  require:\n    members: yes\n",
			want: p + `4:14: dco.require.members: expected a boolean, got string "yes"`,
		},
		{
			name: "unknown key with suggestion",
			src:  "version: 1\ndco:\n  requir:\n    members: true\n",
			want: p + `3:3: dco: unknown key "requir" (did you mean "require"?)`,
		},
		{
			name: "dcoapp camelCase typo",
			src:  "version: 1\ndco:\n  allowremediationcommits: {individual: true}\n",
			want: p + `3:3: dco: unknown key "allowremediationcommits" (did you mean "allowRemediationCommits"?)`,
		},
		{
			name: "skipBots spelled in camelCase",
			src:  "version: 1\ndco:\n  skipBots: false\n",
			want: p + `3:3: dco: unknown key "skipBots" (did you mean "skip_bots"?)`,
		},
		{
			name: "enum",
			src:  "version: 1\ndco:\n  match: foo\n",
			want: p + `3:10: dco.match: "foo" is not one of name_and_email, email`,
		},
		{
			name:   "duplicate key",
			src:    "version: 1\ndco:\n  enabled: true\n  enabled: false\n",
			want:   p + `4:3: dco: duplicate key "enabled" (first at 3:3)`,
			noJSON: true,
		},
		{
			name: "null where a mapping is required",
			src:  "version: 1\ndco:\n",
			want: p + `2:5: dco: expected a mapping, got null`,
		},
		{
			name: "null where a boolean is required",
			src:  "version: 1\ncomment:\n  enabled: ~\n",
			want: p + `3:12: comment.enabled: expected a boolean, got null`,
		},
		{
			name: "integer overflow",
			src:  "version: 99999999999999999999999\n",
			want: p + `1:10: version: 99999999999999999999999 is too large (maximum 9223372036854775807)`,
		},
		{
			name: "version must be 1",
			src:  "version: 2\n",
			want: p + `1:10: version: must be 1, got 2`,
		},
		{
			name: "version as a string",
			src:  "version: \"1\"\n",
			want: p + `1:10: version: expected an integer, got string "1"`,
		},
		{
			name: "missing version names the fix",
			src:  "dco:\n  enabled: true\n",
			want: p + `1:1: version: required: add "version: 1" at the top of the file`,
		},
		{
			name: "empty file",
			src:  "",
			want: p + `1:1: the file is empty; the smallest valid configuration is "version: 1"`,
		},
		{
			name: "comment-only file",
			src:  "# nothing yet\n",
			want: p + `1:1: the file is empty; the smallest valid configuration is "version: 1"`,
		},
		{
			name: "not a mapping",
			src:  "- version: 1\n",
			want: p + `1:1: expected a mapping, got a list`,
		},
		{
			name:   "broken YAML gives line and column",
			src:    "version: 1\ndco:\n  enabled: true\n   match: email\n",
			want:   p + `4:9: invalid YAML: mapping values are not allowed in this context`,
			noJSON: true,
		},
		{
			name:   "tab indentation",
			src:    "version: 1\ndco:\n\tenabled: true\n",
			want:   p + `3:1: invalid YAML: found character that cannot start any token (a tab: indent YAML with spaces)`,
			noJSON: true,
		},
		{
			name: "thirdParty needs individual",
			src:  "version: 1\ndco:\n  allowRemediationCommits:\n    thirdParty: true\n",
			want: p + `4:17: dco.allowRemediationCommits.thirdParty: needs allowRemediationCommits.individual: true as well (third-party remediation builds on individual remediation)`,
		},
		{
			name: "label too long (reported once, by the tag and by Validate)",
			src:  "version: 1\nlabels:\n  dco:\n    yes: " + strings.Repeat("x", 51) + "\n",
			want: p + `4:10: labels.dco.yes: must be at most 50 characters, got 51`,
		},
		{
			name: "enabled labels must not be empty",
			src:  "version: 1\nlabels:\n  dco:\n    enabled: true\n    no: \"\"\n",
			want: p + `5:9: labels.dco.no: must not be empty when labels.dco.enabled is true`,
		},
		{
			name: "disabled labels may be empty",
			src:  "version: 1\nlabels:\n  dco:\n    yes: \"\"\n    no: \"\"\n",
		},
		{
			name: "yes and no must differ",
			src:  "version: 1\nlabels:\n  dco:\n    enabled: true\n    yes: DCO\n    no: dco\n",
			want: p + `6:9: labels.dco.no: must differ from labels.dco.yes (label names ignore case)`,
		},
		{
			name:   "merge keys are rejected",
			src:    "version: 1\ndco: &d {enabled: true}\ncla:\n  <<: *d\n",
			want:   p + `4:3: cla: merge keys ("<<") are not supported; write the keys out`,
			noJSON: true,
		},
		{
			name: "every problem at once, in order",
			src: "version: 3\ndco:\n  enabled: on\n  match: Email\n  allowRemediationCommits:\n    thirdParty: true\n" +
				"labels:\n  dco:\n    enabeld: true\nextra: 1\n",
			want: strings.Join([]string{
				p + `1:10: version: must be 1, got 3`,
				p + `3:12: dco.enabled: expected a boolean, got string "on"`,
				p + `4:10: dco.match: "Email" is not one of name_and_email, email`,
				p + `6:17: dco.allowRemediationCommits.thirdParty: needs allowRemediationCommits.individual: true as well (third-party remediation builds on individual remediation)`,
				p + `9:5: labels.dco: unknown key "enabeld" (did you mean "enabled"?)`,
				p + `10:1: unknown key "extra"`,
			}, "\n"),
		},
	}
}

func TestParse(t *testing.T) {
	for _, tt := range parseCases() {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(tt.src), testSrc)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("unexpected error:\n%v", err)
				}
				if tt.check != nil {
					tt.check(t, c)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error; want\n%s", tt.want)
			}
			if c != nil {
				t.Errorf("config returned with an error")
			}
			var ce *Error
			if !errors.As(err, &ce) || ce.Source != testSrc || len(ce.Problems) == 0 {
				t.Errorf("error is %T %+v, want a *Error from %v", err, err, testSrc)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSourceString(t *testing.T) {
	for _, tt := range []struct {
		s    Source
		want string
	}{
		{Source{Repo: "o/r", Ref: "main", Path: PolicyPath}, "o/r@main:.github/contribution-policy.yml"},
		{Source{Repo: "o/r", Path: DCOPath}, "o/r:.github/dco.yml"},
		{Source{Path: "local/file.yml"}, "local/file.yml"},
		{Source{}, ""},
	} {
		if got := tt.s.String(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.s, got, tt.want)
		}
	}
	if got := (Sources{{Repo: "o/r", Ref: "x", Path: PolicyPath}, {Repo: "o/r", Ref: "x", Path: DCOPath}}).String(); got != "o/r@x:.github/contribution-policy.yml, o/r@x:.github/dco.yml" {
		t.Errorf("Sources.String() = %q", got)
	}
	if got := Sources(nil).String(); got != "" {
		t.Errorf("no sources: %q", got)
	}
}

func TestLocalErrorHasNoRepo(t *testing.T) {
	_, err := Parse([]byte("version: 1\nx: 1\n"), Source{Path: "my.yml"})
	if got, want := err.Error(), `my.yml:2:1: unknown key "x"`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestValidate(t *testing.T) {
	if ps := Validate(new(Default())); len(ps) != 0 {
		t.Errorf("defaults are invalid: %v", ps)
	}
	c := Default()
	c.Version = 0
	c.DCO.Match = "x"
	c.DCO.AllowRemediationCommits.ThirdParty = true
	c.Labels.DCO = YesNoPair{Enabled: true, Yes: strings.Repeat("é", 51), No: " "}
	want := []schema.Problem{
		{Path: "version", Message: "must be 1, got 0"},
		{Path: "dco.match", Message: `"x" is not one of name_and_email, email`},
		{Path: "dco.allowRemediationCommits.thirdParty", Message: "needs allowRemediationCommits.individual: true as well (third-party remediation builds on individual remediation)"},
		{Path: "labels.dco.yes", Message: "must be at most 50 characters, got 51"},
		{Path: "labels.dco.no", Message: "must not be empty when labels.dco.enabled is true"},
	}
	if diff := cmp.Diff(want, Validate(&c)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestParseNodePositions: a configuration embedded in another document keeps
// that document's positions.
func TestParseNodePositions(t *testing.T) {
	doc, err := schema.ParseJSON([]byte("{\n  \"other\": 1,\n  \"config\": {\"version\": 1, \"dco\": {\"match\": 5}}\n}"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = ParseNode(schema.Find(doc, "config"), Source{Path: "pr.json"})
	if got, want := err.Error(), `pr.json:3:45: dco.match: expected a string, got integer 5`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
