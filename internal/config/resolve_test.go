package config

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var dcoSrc = Source{Repo: "octo/repo", Ref: "0123abc", Path: DCOPath}

func TestParseDCOFile(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want func(*DCO)
		err  string
	}{
		{name: "empty file is dcoapp's defaults", src: "", want: func(*DCO) {}},
		{name: "comments only", src: "# DCO settings\n", want: func(*DCO) {}},
		{
			name: "dcoapp keys",
			src:  "require:\n  members: false\nallowRemediationCommits:\n  individual: true\n  thirdParty: true\n",
			want: func(d *DCO) {
				d.Require.Members = false
				d.AllowRemediationCommits.Individual = true
				d.AllowRemediationCommits.ThirdParty = true
			},
		},
		{
			name: "dco2 key",
			src:  "allowOverrideAction: false\n",
			want: func(d *DCO) { d.AllowOverrideAction = false },
		},
		{
			name: "our own dco keys are accepted too",
			src:  "match: email\nskip_bots: false\n",
			want: func(d *DCO) { d.Match = MatchEmail; d.SkipBots = false },
		},
		{
			name: "_extends gets advice, other problems still reported",
			src:  "_extends: .github\nrequire:\n  members: no\n",
			err: "octo/repo@0123abc:.github/dco.yml:1:1: \"_extends\" is not supported in .github/dco.yml: delete this file to use the organisation's .github repository's .github/contribution-policy.yml, or configure this repository in its own .github/contribution-policy.yml\n" +
				`octo/repo@0123abc:.github/dco.yml:3:12: require.members: expected a boolean, got string "no"`,
		},
		{
			name: "unknown key",
			src:  "allowRemediationCommit:\n  individual: true\n",
			err:  `octo/repo@0123abc:.github/dco.yml:1:1: unknown key "allowRemediationCommit" (did you mean "allowRemediationCommits"?)`,
		},
		{
			name: "thirdParty without individual",
			src:  "allowRemediationCommits:\n  thirdParty: true\n",
			err:  `octo/repo@0123abc:.github/dco.yml:2:15: allowRemediationCommits.thirdParty: needs allowRemediationCommits.individual: true as well (third-party remediation builds on individual remediation)`,
		},
		{
			name: "syntax error",
			src:  "require: [\n",
			err:  `octo/repo@0123abc:.github/dco.yml:1:10: invalid YAML: did not find expected node content`,
		},
		{
			name: "version is not a dco.yml key",
			src:  "version: 1\n",
			err:  `octo/repo@0123abc:.github/dco.yml:1:1: unknown key "version"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDCOFile([]byte(tt.src), dcoSrc)
			if tt.err != "" {
				if err == nil {
					t.Fatalf("no error, want\n%s", tt.err)
				}
				if diff := cmp.Diff(tt.err, err.Error()); diff != "" {
					t.Errorf("error (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := DefaultDCO()
			tt.want(&want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestDCOFilePastedUnderDCO: the content of a .github/dco.yml pasted under
// "dco:" gives the same DCO section, and the same problems at shifted positions.
func TestDCOFilePastedUnderDCO(t *testing.T) {
	bodies := []string{
		"",
		"require:\n  members: false\n",
		"allowRemediationCommits:\n  individual: true\n  thirdParty: true\nallowOverrideAction: false\n",
		"require:\n  members: true\nallowRemediationCommits:\n  individual: false\n",
		"require:\n  members: yes\n",
		"allowRemediationCommits:\n  thirdParty: true\n",
		"requires:\n  members: false\n",
	}
	for _, body := range bodies {
		fromFile, ferr := ParseDCOFile([]byte(body), Source{Path: "f"})
		var pasted strings.Builder
		pasted.WriteString("version: 1\ndco:\n")
		for _, line := range strings.SplitAfter(body, "\n") {
			if line != "" {
				pasted.WriteString("  " + line)
			}
		}
		if body == "" {
			pasted.WriteString("  {}\n")
		}
		c, perr := Parse([]byte(pasted.String()), Source{Path: "f"})
		if (ferr == nil) != (perr == nil) {
			t.Errorf("%q: dco.yml error %v, pasted error %v", body, ferr, perr)
			continue
		}
		if ferr != nil {
			fp, pp := ferr.(*Error).Problems, perr.(*Error).Problems
			if len(fp) != len(pp) {
				t.Errorf("%q: %v vs %v", body, fp, pp)
				continue
			}
			for i := range fp {
				want := fp[i]
				want.Line, want.Column = want.Line+2, want.Column+2
				if want.Path != "" {
					want.Path = "dco." + want.Path
				} else {
					want.Path = "dco"
				}
				if diff := cmp.Diff(want, pp[i]); diff != "" {
					t.Errorf("%q problem %d (-from dco.yml, shifted +pasted):\n%s", body, i, diff)
				}
			}
			continue
		}
		if diff := cmp.Diff(fromFile, c.DCO); diff != "" {
			t.Errorf("%q (-dco.yml +pasted):\n%s", body, diff)
		}
	}
}

func TestResolve(t *testing.T) {
	repoPolicy := &File{Source: testSrc, Data: []byte("version: 1\ncomment:\n  enabled: false\n")}
	repoPolicyWithDCO := &File{Source: testSrc, Data: []byte("version: 1\ndco:\n  match: email\n")}
	dcoFile := &File{Source: dcoSrc, Data: []byte("require:\n  members: false\n")}
	orgSrc := Source{Repo: "octo/.github", Ref: "HEAD", Path: PolicyPath}
	orgPolicy := &File{Source: orgSrc, Data: []byte("version: 1\ncla:\n  enabled: true\n  agreements: [{id: icla, version: 1, url: https://example.org/cla}]\n")}
	badPolicy := &File{Source: testSrc, Data: []byte("version: 1\ndco: {enabled: yes}\n")}
	badPolicyNoDCO := &File{Source: testSrc, Data: []byte("version: 1\nbogus: 1\n")}
	badDCO := &File{Source: dcoSrc, Data: []byte("require: {members: nope}\n")}
	brokenPolicy := &File{Source: testSrc, Data: []byte("version: [\n")}

	with := func(f func(*Config)) *Config {
		c := Default()
		f(&c)
		return &c
	}
	tests := []struct {
		name    string
		files   Files
		want    *Config
		sources Sources
		err     string
	}{
		{
			name:  "nothing: built-in defaults",
			files: Files{},
			want:  with(func(*Config) {}),
		},
		{
			name:    "repo policy wins over everything",
			files:   Files{Policy: repoPolicyWithDCO, DCO: dcoFile, OrgPolicy: orgPolicy},
			want:    with(func(c *Config) { c.DCO.Match = MatchEmail }),
			sources: Sources{testSrc},
		},
		{
			name:    "repo policy without a dco key takes the dco section from dco.yml",
			files:   Files{Policy: repoPolicy, DCO: dcoFile, OrgPolicy: orgPolicy},
			want:    with(func(c *Config) { c.Comment.Enabled = false; c.DCO.Require.Members = false }),
			sources: Sources{testSrc, dcoSrc},
		},
		{
			name:    "repo policy alone",
			files:   Files{Policy: repoPolicy, OrgPolicy: orgPolicy},
			want:    with(func(c *Config) { c.Comment.Enabled = false }),
			sources: Sources{testSrc},
		},
		{
			// The org policy is the base: a repository's dco.yml overrides the
			// dco section only and cannot drop an org-wide CLA.
			name:  "dco.yml with an org policy: the org policy with dco.yml's dco section",
			files: Files{DCO: dcoFile, OrgPolicy: orgPolicy},
			want: with(func(c *Config) {
				c.DCO.Require.Members = false
				c.CLA.Enabled = true
				c.CLA.Agreements = []Agreement{{ID: "icla", Version: "1", URL: "https://example.org/cla"}}
			}),
			sources: Sources{dcoSrc, orgSrc},
		},
		{
			name:  "org policy",
			files: Files{OrgPolicy: orgPolicy},
			want: with(func(c *Config) {
				c.CLA.Enabled = true
				c.CLA.Agreements = []Agreement{{ID: "icla", Version: "1", URL: "https://example.org/cla"}}
			}),
			sources: Sources{orgSrc},
		},
		{
			name:    "an invalid repo policy is an error, not a fallback",
			files:   Files{Policy: badPolicy, DCO: dcoFile, OrgPolicy: orgPolicy},
			sources: Sources{testSrc},
			err:     `octo/repo@0123abc:.github/contribution-policy.yml:2:16: dco.enabled: expected a boolean, got string "yes"`,
		},
		{
			name:    "both files invalid: both reported",
			files:   Files{Policy: badPolicyNoDCO, DCO: badDCO},
			sources: Sources{testSrc, dcoSrc},
			err: `octo/repo@0123abc:.github/contribution-policy.yml:2:1: unknown key "bogus"` + "\n" +
				`octo/repo@0123abc:.github/dco.yml:1:20: require.members: expected a boolean, got string "nope"`,
		},
		{
			name:    "a policy with a syntax error does not consult dco.yml",
			files:   Files{Policy: brokenPolicy, DCO: dcoFile},
			sources: Sources{testSrc},
			err:     `octo/repo@0123abc:.github/contribution-policy.yml:1:10: invalid YAML: did not find expected node content`,
		},
		{
			name:    "invalid dco.yml",
			files:   Files{DCO: badDCO, OrgPolicy: orgPolicy},
			sources: Sources{dcoSrc, orgSrc},
			err:     `octo/repo@0123abc:.github/dco.yml:1:20: require.members: expected a boolean, got string "nope"`,
		},
		{
			name:    "invalid org policy",
			files:   Files{OrgPolicy: &File{Source: orgSrc, Data: nil}},
			sources: Sources{orgSrc},
			err:     `octo/.github@HEAD:.github/contribution-policy.yml:1:1: the file is empty; the smallest valid configuration is "version: 1"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, srcs, err := Resolve(tt.files)
			if diff := cmp.Diff(tt.sources, srcs); diff != "" {
				t.Errorf("sources (-want +got):\n%s", diff)
			}
			if tt.err != "" {
				if err == nil {
					t.Fatalf("no error, want %s", tt.err)
				}
				var ce *Error
				if !errors.As(err, &ce) {
					t.Errorf("error %T is not a *Error", err)
				}
				if diff := cmp.Diff(tt.err, err.Error()); diff != "" {
					t.Errorf("error (-want +got):\n%s", diff)
				}
				if c != nil {
					t.Error("config returned with an error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, c); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
}
