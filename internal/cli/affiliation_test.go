package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAffiliationIndexAndWho(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "developers_affiliations1.txt", "ann: ann!corp.example\n\tAWS until 2020-01-01\n\tIndependent from 2020-01-01\n")
	writeFile(t, dir, "companies.yaml", "acquisitions:\n  - ['(?i)^aws$', 'Amazon']\n")
	writeFile(t, dir, "maps/my-map", "bob!corp.example Corp Inc. < 2021-01-01\nbob!corp.example NotFound\nbroken line\n")
	writeFile(t, dir, "domain-map", "corp.example Corp Inc.\n")

	code, out, errs := runCLI(t, dir, "affiliation", "index", "developers_affiliations1.txt", "companies.yaml",
		"map:maps/my-map@2021-02-01", "domain-map", "--out", "aff.idx")
	if code != ExitOK || !strings.Contains(out, "wrote aff.idx") {
		t.Fatalf("index: exit %d\n%s%s", code, out, errs)
	}
	if !strings.Contains(errs, "maps/my-map:3: malformed key \"broken\"") {
		t.Errorf("malformed line not reported with file:line:\n%s", errs)
	}

	tests := []struct {
		args  []string
		wants []string
	}{
		{[]string{"ann", "--at", "2019-06-01"}, []string{"Amazon (company, project-list, high confidence)", "label: affiliation/amazon", `developers_affiliations1.txt:1 -> "AWS" [open, 2020-01-01)`}},
		{[]string{"ANN", "--at", "2020-01-01"}, []string{"Independent (independent, project-list", "label: affiliation/independent"}},
		{[]string{"bob!corp.example", "--at", "2020-12-31T23:59:59Z"}, []string{"Corp Inc. (company, email-map, medium confidence)", "maps/my-map:1"}},
		{[]string{"bob@corp.example", "--at", "2021-01-01"}, []string{"Corp Inc. (company, email-domain, medium confidence)", "domain corp.example of bob@corp.example"}},
		{[]string{"nobody", "--at", "2021-01-01"}, []string{"unknown"}},
		{[]string{"bob@corp.example", "--at", "2020-06-01", "--all"}, []string{"email-map", "email-domain"}},
	}
	for _, tt := range tests {
		args := append([]string{"affiliation", "who"}, tt.args...)
		args = append(args, "--index", "aff.idx")
		code, out, errs := runCLI(t, dir, args...)
		if code != ExitOK {
			t.Fatalf("%v: exit %d\n%s", tt.args, code, errs)
		}
		for _, w := range tt.wants {
			if !strings.Contains(out, w) {
				t.Errorf("%v: output lacks %q:\n%s", tt.args, w, out)
			}
		}
	}

	// The same answer straight from the inputs, as JSON.
	code, out, errs = runCLI(t, dir, "affiliation", "who", "ann", "--at", "2019-06-01", "--format", "json", "developers_affiliations1.txt", "companies.yaml")
	if code != ExitOK {
		t.Fatalf("who from inputs: %d %s", code, errs)
	}
	var v struct {
		Kind, Company, Raw, Key, Source, Confidence, Label string
		Rank                                               int
		Evidence                                           []struct{ Dataset, Until string }
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if v.Company != "Amazon" || v.Raw != "AWS" || v.Key != "amazon" || v.Rank != 2 || v.Label != "affiliation/amazon" ||
		len(v.Evidence) != 1 || v.Evidence[0].Until != "2020-01-01" {
		t.Errorf("json %+v", v)
	}
}

func TestAffiliationUsageErrors(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "README.md", "x")
	writeFile(t, dir, "bad.idx", "not an index at all, not even close to one........")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"affiliation"}, "needs a subcommand"},
		{[]string{"affiliation", "frobnicate"}, "unknown affiliation subcommand"},
		{[]string{"affiliation", "index"}, "at least one INPUT"},
		{[]string{"affiliation", "index", "README.md"}, "cannot tell the format"},
		{[]string{"affiliation", "index", "missing/email-map"}, "no such file"},
		{[]string{"affiliation", "who"}, "needs a LOGIN"},
		{[]string{"affiliation", "who", "x"}, "either --index FILE or INPUT"},
		{[]string{"affiliation", "who", "x", "--index", "bad.idx"}, "not a valid affiliation index"},
		{[]string{"affiliation", "who", "x", "--index", "bad.idx", "--at", "yesterday"}, "--at"},
	}
	for _, tt := range tests {
		code, _, errs := runCLI(t, dir, tt.args...)
		if code != ExitError || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %q", tt.args, code, errs, tt.want)
		}
	}
}
