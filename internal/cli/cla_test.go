package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/contribution-policy/contribution-policy/internal/ghfake"
)

func runCLIEnv(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), Env{Args: args, Getenv: func(k string) string { return env[k] }, Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb})
	return code, out.String(), errb.String()
}

func TestCLAImportExportVerify(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cla.db")
	lite := "../clastore/testdata/lite.json"
	code, out, errs := runCLIEnv(t, nil, "", "cla", "import", "--database", db, "--from", "lite", "--agreement", "icla", "--version", "1", lite)
	if code != ExitOK || !strings.Contains(out, "imported 2 of 2 record(s)") {
		t.Fatalf("import: %d %s%s", code, out, errs)
	}
	if code, out, _ = runCLIEnv(t, nil, "", "cla", "import", "--database", db, "--from", "lite", "--agreement", "icla", "--version", "1", lite); code != ExitOK || !strings.Contains(out, "imported 0 of 2 record(s) (2 already there)") {
		t.Errorf("re-import: %d %s", code, out)
	}
	code, out, errs = runCLIEnv(t, map[string]string{"DATABASE_URL": db}, "", "cla", "import", "--from", "csv", "--agreement", "icla", "--version", "1", "../clastore/testdata/cla-assistant.csv")
	if code != ExitOK || !strings.Contains(out, "imported 2 of 3") { // octocat is already signed
		t.Fatalf("csv import via DATABASE_URL: %d %s%s", code, out, errs)
	}
	code, export, errs := runCLIEnv(t, nil, "", "cla", "export", "--database", db)
	if code != ExitOK || strings.Count(export, "\n") != 4 || !strings.Contains(errs, "exported 4 record(s)") {
		t.Fatalf("export: %d %s%s", code, export, errs)
	}
	if code, _, errs = runCLIEnv(t, nil, "", "cla", "verify", "--database", db); code != ExitOK || !strings.Contains(errs, "4 record(s), no problems") {
		t.Errorf("verify: %d %s", code, errs)
	}

	// The export goes into the Action's files in a repository.
	f := ghfake.New(t)
	f.AddRepo(ghfake.Repo{Owner: "acme", Name: "cla"})
	f.SetFile("acme", "cla", "main", "README.md", "x\n")
	env := map[string]string{"GITHUB_TOKEN": ghfake.DefaultToken, "GITHUB_API_URL": f.URL(), "GITHUB_GRAPHQL_URL": f.GraphQLURL()}
	code, out, errs = runCLIEnv(t, env, export, "cla", "import", "--repo", "acme/cla", "--from", "jsonl", "-")
	if code != ExitOK || !strings.Contains(out, "imported 4 of 4") {
		t.Fatalf("import into the repository: %d %s%s", code, out, errs)
	}
	code, again, _ := runCLIEnv(t, env, "", "cla", "export", "--repo", "acme/cla")
	if code != ExitOK || again != export {
		t.Errorf("export from the repository differs:\n%s\nwant\n%s", again, export)
	}
	// A record hand-copied into another file is found by verify.
	content, _ := f.File("acme", "cla", "cla-signatures", "signatures/icla/3f.jsonl")
	if content == "" {
		t.Fatal("no shard file")
	}
	f.SetFile("acme", "cla", "cla-signatures", "signatures/icla/00.jsonl", content)
	code, out, _ = runCLIEnv(t, env, "", "cla", "verify", "--repo", "acme/cla")
	if code != ExitFail || !strings.Contains(out, "belongs in signatures/icla/") {
		t.Errorf("verify of a damaged store: %d %s", code, out)
	}
}

func TestCLAUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"cla"}, "cla needs export, import or verify"},
		{[]string{"cla", "bogus"}, `unknown cla command "bogus"`},
		{[]string{"cla", "export"}, "name the store"},
		{[]string{"cla", "export", "--repo", "x", "--database", "y"}, "not both"},
		{[]string{"cla", "import", "--database", ":memory:", "--from", "lite", "f.json"}, "--from lite needs --agreement and --version"},
		{[]string{"cla", "import", "--database", ":memory:", "--from", "xml", "f"}, "--from must be lite, csv or jsonl"},
		{[]string{"cla", "export", "--repo", "acme/cla"}, "no token"},
	} {
		code, _, errs := runCLIEnv(t, nil, "", tc.args...)
		if code != ExitError || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", tc.args, code, errs, tc.want)
		}
	}
}

// check --snapshot covers the CLA: the example's verdict lists covered and
// missing identities with their basis or reason.
func TestCheckSnapshotCLA(t *testing.T) {
	code, out, errs := runCLI(t, "", "check", "--snapshot", "../../examples/pr-cla.json", "--format", "json")
	if code != ExitFail {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{`"cla": {`, `"basis": "icla:2.0"`, `"basis": "ccla:ccla-acme/domain:acme.com"`,
		`"basis": "allowlist:github_id:49699333"`, `"reason": "UNLINKED_EMAIL"`, `"email": "carol@laptop.local"`} {
		if !strings.Contains(out, want) {
			t.Errorf("verdict lacks %s:\n%s", want, out)
		}
	}
}
