package snapshot

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/schema/schematest"
)

var update = flag.Bool("update", false, "rewrite generated files")

const schemaFile = "../../schema/snapshot.schema.json"

func TestDecodeValid(t *testing.T) {
	data, err := os.ReadFile("testdata/valid.json")
	if err != nil {
		t.Fatal(err)
	}
	s, cfg, err := Decode(data, "testdata/valid.json")
	if err != nil {
		t.Fatal(err)
	}
	want := &Snapshot{
		Repository: Repository{Owner: "octo", Name: "widgets", OwnerType: "Organization"},
		PullRequest: PullRequest{
			Number:            42,
			CreatedAt:         time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC),
			Author:            Account{Login: "alice", ID: 1001, Type: "User"},
			AuthorAssociation: "CONTRIBUTOR",
			BaseSHA:           strings.Repeat("1", 40),
			HeadSHA:           strings.Repeat("3", 40),
			BaseRef:           "main",
			HeadRef:           "feature",
			Title:             "Add a widget",
			Labels:            []string{"enhancement"},
		},
		Commits: []Commit{
			{
				SHA:       strings.Repeat("2", 40),
				Parents:   []string{strings.Repeat("1", 40)},
				Message:   "Add a widget\n\nSigned-off-by: Alice <alice@example.com>\n",
				Author:    Identity{Name: "Alice", Email: "alice@example.com", Login: "alice", ID: 1001, Type: "User"},
				Committer: Identity{Name: "Alice", Email: "alice@example.com"},
			},
			{
				SHA:       strings.Repeat("3", 40),
				Parents:   []string{strings.Repeat("2", 40)},
				Message:   "Fix the widget 😀\n\nSigned-off-by: Alice <alice@example.com>",
				Verified:  true,
				Author:    Identity{Name: "Alice", Email: "alice@example.com", Login: "alice", ID: 1001, Type: "User"},
				Committer: Identity{Name: "GitHub", Email: "noreply@github.com", Login: "web-flow", ID: 19864447, Type: "User"},
			},
		},
		CommitCount: 2,
		OrgMembers:  []string{"bob"},
		Config:      json.RawMessage(`{"version":1,"dco":{"allowRemediationCommits":{"individual":true}}}`),
	}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("snapshot (-want +got):\n%s", diff)
	}
	wantCfg := config.Default()
	wantCfg.DCO.AllowRemediationCommits.Individual = true
	if diff := cmp.Diff(&wantCfg, cfg); diff != "" {
		t.Errorf("config (-want +got):\n%s", diff)
	}

	// The same file agrees with encoding/json, the format's other reader.
	var viaJSON Snapshot
	if err := json.Unmarshal(data, &viaJSON); err != nil {
		t.Fatal(err)
	}
	viaJSON.Config = s.Config // raw bytes differ only in spacing
	if diff := cmp.Diff(&viaJSON, s); diff != "" {
		t.Errorf("encoding/json (-) vs Decode (+):\n%s", diff)
	}
}

func TestDecodeWithoutConfigUsesDefaults(t *testing.T) {
	_, cfg, err := Decode([]byte(minimal("")), "pr.json")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(config.Default(), *cfg); diff != "" {
		t.Errorf("(-default +got):\n%s", diff)
	}
}

const (
	sha1 = "1111111111111111111111111111111111111111"
	sha2 = "2222222222222222222222222222222222222222"
)

// minimal is a valid snapshot, one line per value so positions are easy to
// read off, with extra text inserted before the closing brace.
func minimal(extra string) string {
	return `{
  "repository": {
    "owner": "o",
    "name": "r",
    "owner_type": "User"
  },
  "pull_request": {
    "number": 1,
    "created_at": "2024-01-02T03:04:05Z",
    "author": {"login": "a"},
    "base_sha": "` + sha1 + `",
    "head_sha": "` + sha2 + `"
  },
  "commits": [
    {
      "sha": "` + sha2 + `",
      "parents": ["` + sha1 + `"],
      "message": "m",
      "author": {"name": "A", "email": "a@example.com"},
      "committer": {"name": "A", "email": "a@example.com"}
    }
  ]` + extra + `
}`
}

func TestDecodeProblems(t *testing.T) {
	commit := func(fields string) string {
		return `{"sha": "` + sha2 + `", "message": "m", "author": {"name": "A", "email": "a@x"}, "committer": {"name": "A", "email": "a@x"}` + fields + `}`
	}
	tests := []struct {
		name string
		src  string
		want string
	}{
		{
			"missing sha in the third commit",
			`{
  "repository": {"owner": "o", "name": "r", "owner_type": "User"},
  "pull_request": {"number": 1, "created_at": "2024-01-02T03:04:05Z", "author": {"login": "a"}, "base_sha": "` + sha1 + `", "head_sha": "` + sha2 + `"},
  "commits": [
    {"sha": "` + strings.Repeat("a", 40) + `", "message": "m", "author": {"name": "A", "email": "a@x"}, "committer": {"name": "A", "email": "a@x"}},
    {"sha": "` + strings.Repeat("b", 40) + `", "message": "m", "author": {"name": "A", "email": "a@x"}, "committer": {"name": "A", "email": "a@x"}},
    {"message": "m", "author": {"name": "A", "email": "a@x"}, "committer": {"name": "A", "email": "a@x"}}
  ]
}`,
			`pr.json:7:5: commits[2].sha: required`,
		},
		{
			"every required key of an empty object",
			`{}`,
			"pr.json:1:1: commits: required\npr.json:1:1: pull_request: required\npr.json:1:1: repository: required",
		},
		{
			"required keys inside",
			`{"repository": {}, "pull_request": {"author": {}}, "commits": [{"author": {}, "committer": {"name": "x"}}]}`,
			strings.Join([]string{
				"pr.json:1:16: repository.name: required",
				"pr.json:1:16: repository.owner: required",
				"pr.json:1:16: repository.owner_type: required",
				"pr.json:1:36: pull_request.base_sha: required",
				"pr.json:1:36: pull_request.created_at: required",
				"pr.json:1:36: pull_request.head_sha: required",
				"pr.json:1:36: pull_request.number: required",
				"pr.json:1:47: pull_request.author.login: required",
				"pr.json:1:64: commits[0].message: required",
				"pr.json:1:64: commits[0].sha: required",
				"pr.json:1:75: commits[0].author.email: required",
				"pr.json:1:75: commits[0].author.name: required",
				"pr.json:1:92: commits[0].committer.email: required",
			}, "\n"),
		},
		{
			"bad SHA, owner type, account type, number",
			strings.Replace(strings.Replace(strings.Replace(minimal(""), `"owner_type": "User"`, `"owner_type": "user"`, 1),
				`"number": 1`, `"number": 0`, 1), `"parents": ["`+sha1+`"]`, `"parents": ["`+sha1[:7]+`"]`, 1),
			strings.Join([]string{
				`pr.json:5:19: repository.owner_type: "user" is not one of Organization, User`,
				`pr.json:8:15: pull_request.number: must be at least 1, got 0`,
				`pr.json:17:19: commits[0].parents[0]: expected a full commit SHA (40 or 64 lowercase hexadecimal characters), got "1111111"`,
			}, "\n"),
		},
		{
			"uppercase SHA and bot type spelled wrong",
			strings.Replace(strings.Replace(minimal(""), `"head_sha": "`+sha2, `"head_sha": "`+strings.ToUpper(strings.Repeat("ab", 20)), 1),
				`"author": {"login": "a"}`, `"author": {"login": "a", "type": "bot"}`, 1),
			strings.Join([]string{
				`pr.json:10:38: pull_request.author.type: "bot" is not one of User, Bot, Organization, ""`,
				`pr.json:12:17: pull_request.head_sha: expected a full commit SHA (40 or 64 lowercase hexadecimal characters), got "ABABABABABABABABABABABABABABABABABABABAB"`,
			}, "\n"),
		},
		{
			"wrong types and unknown keys",
			strings.Replace(minimal(`, "comit_count": 2, "event": 5`), `"number": 1`, `"number": "1"`, 1),
			strings.Join([]string{
				`pr.json:8:15: pull_request.number: expected an integer, got string "1"`,
				`pr.json:22:6: unknown key "comit_count" (did you mean "commit_count"?)`,
				`pr.json:22:33: event: expected a string, got integer 5`,
			}, "\n"),
		},
		{
			"duplicate key and null",
			strings.Replace(minimal(`, "event": null`), `"owner": "o",`, `"owner": "o", "owner": "p",`, 1),
			strings.Join([]string{
				`pr.json:3:19: repository: duplicate key "owner" (first at 3:5)`,
				`pr.json:22:15: event: expected a string, got null`,
			}, "\n"),
		},
		{
			"bad timestamp",
			strings.Replace(minimal(""), `"2024-01-02T03:04:05Z"`, `"2024-01-02"`, 1),
			`pr.json:9:19: pull_request.created_at: expected an RFC 3339 timestamp such as "2006-01-02T15:04:05Z", got "2024-01-02"`,
		},
		{
			"duplicate commit and short commit_count",
			`{
  "repository": {"owner": "o", "name": "r", "owner_type": "User"},
  "pull_request": {"number": 1, "created_at": "2024-01-02T03:04:05Z", "author": {"login": "a"}, "base_sha": "` + sha1 + `", "head_sha": "` + sha2 + `"},
  "commits": [
    ` + commit("") + `,
    ` + commit("") + `
  ],
  "commit_count": 1
}`,
			"pr.json:6:13: commits[1].sha: duplicate commit (also commits[0])\npr.json:8:19: commit_count: 1 is less than the 2 commits listed",
		},
		{
			"config problems are positioned in the snapshot",
			minimal(`,
  "config": {
    "dco": {"require": {"members": "yes"}},
    "labels": {"dco": {"enabled": true, "yes": "x", "no": "x"}}
  }`),
			strings.Join([]string{
				`pr.json:23:13: config.version: required: add "version: 1" at the top of the file`,
				`pr.json:24:36: config.dco.require.members: expected a boolean, got string "yes"`,
				`pr.json:25:59: config.labels.dco.no: must differ from labels.dco.yes (label names ignore case)`,
			}, "\n"),
		},
		{
			"null config",
			minimal(`, "config": null`),
			`pr.json:22:16: config: expected a mapping, got null`,
		},
		{
			"JSON syntax error",
			"{\n  \"repository\": {\"owner\": \"o\",}\n}",
			`pr.json:2:31: invalid JSON: expected a string key, got '}'`,
		},
		{
			"not an object",
			`[]`,
			`pr.json:1:1: expected a mapping, got a list`,
		},
		{
			"empty file",
			``,
			`pr.json:1:1: invalid JSON: empty JSON document`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, cfg, err := Decode([]byte(tt.src), "pr.json")
			if err == nil {
				t.Fatalf("no error, want\n%s", tt.want)
			}
			if s != nil || cfg != nil {
				t.Error("values returned with an error")
			}
			var se *Error
			if !errors.As(err, &se) || se.Name != "pr.json" {
				t.Errorf("error is %T, want *Error", err)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSchemaFileUpToDate(t *testing.T) {
	b, err := SchemaJSON()
	if err != nil {
		t.Fatal(err)
	}
	schematest.CheckFile(t, schemaFile, b, *update, "./internal/snapshot")
}

// TestSchemaAgreesWithDecode: the published schema accepts the valid sample
// and rejects what the decoder's struct tags reject.
func TestSchemaAgreesWithDecode(t *testing.T) {
	snap, err := SchemaJSON()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.SchemaJSON()
	if err != nil {
		t.Fatal(err)
	}
	validate := schematest.Validator(t, snap, cfg)
	valid, err := os.ReadFile("testdata/valid.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		doc   string
		valid bool
	}{
		{"testdata/valid.json", string(valid), true},
		{"minimal", minimal(""), true},
		{"root commit", strings.Replace(minimal(""), `"parents": ["`+sha1+`"],`, `"parents": [],`, 1), true},
		{"missing sha", strings.Replace(minimal(""), `"sha": "`+sha2+`",`, ``, 1), false},
		{"short sha", strings.Replace(minimal(""), `"sha": "`+sha2, `"sha": "`+sha2[:39], 1), false},
		{"bad owner type", strings.Replace(minimal(""), `"User"`, `"Team"`, 1), false},
		{"number 0", strings.Replace(minimal(""), `"number": 1`, `"number": 0`, 1), false},
		{"unknown key", minimal(`, "x": 1`), false},
		{"bad config", minimal(`, "config": {"version": 1, "dco": {"enabled": "yes"}}`), false},
		{"config without version", minimal(`, "config": {}`), false},
		{"good config", minimal(`, "config": {"version": 1, "dco": {"match": "email"}}`), true},
		{"empty login", strings.Replace(minimal(""), `"login": "a"`, `"login": ""`, 1), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			verr := validate([]byte(tt.doc))
			_, _, derr := Decode([]byte(tt.doc), tt.name)
			if (verr == nil) != tt.valid || (derr == nil) != tt.valid {
				t.Errorf("want valid=%v; schema: %v; Decode: %v", tt.valid, verr, derr)
			}
		})
	}
}
