package config

import (
	"strings"
	"testing"
)

func file(repo, path, data string) *File {
	return &File{Source: Source{Repo: repo, Ref: "HEAD", Path: path}, Data: []byte(data)}
}

// A repository's dco.yml used to replace an organisation's policy entirely,
// so adding one could drop an org-wide setting; now it overrides only the
// dco section, on top of the organisation's.
func TestDCOFileKeepsOrgPolicy(t *testing.T) {
	files := Files{
		DCO:       file("acme/widgets", DCOPath, "allowRemediationCommits:\n  individual: true\n"),
		OrgPolicy: file("acme/.github", PolicyPath, "version: 1\ncomment:\n  enabled: false\ndco:\n  require:\n    members: false\n"),
	}
	for name, resolve := range map[string]func() (*Config, Sources, error){
		"Resolve":        func() (*Config, Sources, error) { return Resolve(files) },
		"ResolveExtends": func() (*Config, Sources, error) { return ResolveExtends(files, Default(), nil) },
	} {
		t.Run(name, func(t *testing.T) {
			c, srcs, err := resolve()
			if err != nil {
				t.Fatal(err)
			}
			if c.Comment.Enabled {
				t.Error("the organisation's comment setting was dropped by the repository's dco.yml")
			}
			if c.DCO.Require.Members {
				t.Error("the organisation's dco.require.members was reset by dco.yml")
			}
			if !c.DCO.AllowRemediationCommits.Individual {
				t.Error("dco.yml's own key was not applied")
			}
			if got := srcs.String(); !strings.Contains(got, DCOPath) || !strings.Contains(got, "acme/.github") {
				t.Errorf("sources %q should name both files", got)
			}
		})
	}
}

func TestResolveExtends(t *testing.T) {
	store := map[string]*File{
		"acme/policies:" + PolicyPath: file("acme/policies", PolicyPath, "version: 1\ncomment:\n  enabled: false\nlabels:\n  dco:\n    enabled: true\n"),
		"acme/policies:strict.yml":    file("acme/policies", "strict.yml", "_extends: policies\ndco:\n  match: email\n"),
		"other/base:" + PolicyPath:    file("other/base", PolicyPath, "version: 1\ndco:\n  skip_bots: false\n"),
		"acme/loop-a:" + PolicyPath:   file("acme/loop-a", PolicyPath, "_extends: loop-b\n"),
		"acme/loop-b:" + PolicyPath:   file("acme/loop-b", PolicyPath, "_extends: loop-a\n"),
	}
	load := func(r ExtendsRef) (*File, error) { return store[r.String()], nil }
	base := Default()
	base.DCO.AllowRemediationCommits.Individual = true // server defaults

	t.Run("chain", func(t *testing.T) {
		files := Files{Policy: file("acme/widgets", PolicyPath, "_extends: policies:strict.yml\nlabels:\n  dco:\n    yes: signed\n")}
		c, srcs, err := ResolveExtends(files, base, load)
		if err != nil {
			t.Fatal(err)
		}
		if c.Comment.Enabled || !c.Labels.DCO.Enabled || c.Labels.DCO.Yes != "signed" || c.DCO.Match != MatchEmail {
			t.Errorf("layers not applied: %+v", c)
		}
		if !c.DCO.AllowRemediationCommits.Individual {
			t.Error("server defaults are the bottom layer")
		}
		if len(srcs) != 3 {
			t.Errorf("sources %v, want the three files", srcs)
		}
	})
	t.Run("other owner", func(t *testing.T) {
		files := Files{OrgPolicy: file("acme/.github", PolicyPath, "_extends: other/base\n")}
		c, _, err := ResolveExtends(files, base, load)
		if err != nil || c.DCO.SkipBots {
			t.Fatalf("%v %+v", err, c)
		}
	})
	t.Run("cycle", func(t *testing.T) {
		files := Files{Policy: file("acme/widgets", PolicyPath, "_extends: loop-a\n")}
		_, _, err := ResolveExtends(files, base, load)
		if err == nil || !strings.Contains(err.Error(), "cycle") {
			t.Fatalf("want a cycle error, got %v", err)
		}
	})
	t.Run("missing", func(t *testing.T) {
		files := Files{Policy: file("acme/widgets", PolicyPath, "_extends: nowhere\n")}
		if _, _, err := ResolveExtends(files, base, load); err == nil || !strings.Contains(err.Error(), "does not exist") {
			t.Fatalf("want a missing-target error, got %v", err)
		}
	})
	t.Run("forms", func(t *testing.T) {
		for v, want := range map[string]string{
			"policies":          "acme/policies:" + PolicyPath,
			"x/policies":        "x/policies:" + PolicyPath,
			"policies:a/b.yml":  "acme/policies:a/b.yml",
			"x/policies:/c.yml": "x/policies:c.yml",
		} {
			r, err := ParseExtends(v, "acme")
			if err != nil || r.String() != want {
				t.Errorf("ParseExtends(%q) = %v, %v; want %s", v, r, err, want)
			}
		}
		for _, bad := range []string{"", "a/b/c", "repo:../x"} {
			if _, err := ParseExtends(bad, "acme"); err == nil {
				t.Errorf("ParseExtends(%q) should fail", bad)
			}
		}
	})
}
