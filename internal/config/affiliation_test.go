package config

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const affBase = `version: 1
affiliation:
  enabled: true
`

func TestAffiliationConfig(t *testing.T) {
	src := affBase + `  data: [affiliations/developers_affiliations1.txt, "acme/.github:affiliations/email-map"]
  index: acme/.github:affiliations.idx
  users: {alice: "Globex < 2024-03-01, Acme Corp"}
  domains: {acme.com: Acme Corp}
  orgs: {acme-oss: Acme Corp}
  aliases: {AWS: Amazon}
  exclude_domains: [mail.example]
  allow_domains: [fastmail.com]
  deny_logins: [private-person]
labels:
  affiliation: {prefix: "employer/", slugs: {acme: Acme Corp}}
guidance:
  enabled: true
  welcome: true
  contributing: https://example.org/CONTRIBUTING.md
  template: "Hi {{.Mention}} from {{.Company}}"
  companies:
    - {company: Acme Corp, policy: "https://acme.example/oss", ccla_contact: cla@acme.example, email_domain: acme.com, text: "Ask **#oss**."}
`
	c, err := Parse([]byte(src), Source{Path: "x.yml"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"affiliations/developers_affiliations1.txt", "acme/.github:affiliations/email-map"}, c.Affiliation.Data); diff != "" {
		t.Errorf("data (-want +got):\n%s", diff)
	}
	l := c.Labels.Affiliation
	if !l.Enabled || l.Prefix != "employer/" || l.Color != "c5def5" || !l.Independent || l.Unknown || l.Slugs["acme"] != "Acme Corp" {
		t.Errorf("labels kept their defaults badly: %+v", l)
	}
	if g := c.Guidance; g.Scope != ScopeRepo || !g.Welcome || len(g.Companies) != 1 || g.Companies[0].EmailDomain != "acme.com" {
		t.Errorf("guidance %+v", g)
	}
	d := Default()
	if !cmp.Equal(d.Labels.Affiliation, DefaultAffiliationLabels()) || d.Affiliation.Enabled || d.Guidance.Enabled {
		t.Errorf("defaults: %+v %+v", d.Labels.Affiliation, d.Guidance)
	}
}

func TestParseDataRef(t *testing.T) {
	tests := []struct {
		in      string
		want    DataRef
		wantErr bool
	}{
		{"affiliations/email-map", DataRef{Path: "affiliations/email-map"}, false},
		{"acme/.github:affiliations/email-map", DataRef{Repo: "acme/.github", Path: "affiliations/email-map"}, false},
		{"/email-map", DataRef{Path: "email-map"}, false},
		{"../email-map", DataRef{}, true},
		{"a/b:../x", DataRef{}, true},
		{"", DataRef{}, true},
		{"a:b:c", DataRef{}, true},
	}
	for _, tc := range tests {
		got, err := ParseDataRef(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("ParseDataRef(%q) = %+v, %v", tc.in, got, err)
		}
	}
}

func TestAffiliationConfigProblems(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"bad history", affBase + "  users: {bob: \"Acme < 2024-13-01, Globex\"}\n", "affiliation.users.bob:"},
		{"unknown format", affBase + "  data: [people.csv]\n", "affiliation.data[0]: cannot tell the format"},
		{"gitdm.config", affBase + "  data: [gitdm.config]\n", "affiliation.data[0]: a gitdm.config names other files"},
		{"path escapes", affBase + "  data: [../email-map]\n", "affiliation.data[0]:"},
		{"org without company", affBase + "  orgs: {acme: \"\"}\n", "affiliation.orgs.acme: must name a company"},
		{"long prefix", "version: 1\nlabels: {affiliation: {prefix: \"a-very-very-long-affiliation-label-prefix/\"}}\n", "labels.affiliation.prefix: leaves"},
		{"bad slug", "version: 1\nlabels: {affiliation: {slugs: {Acme_Corp: Acme}}}\n", "labels.affiliation.slugs.Acme_Corp: a slug is"},
		{"bad colour", "version: 1\nlabels: {affiliation: {color: \"#c5def5\"}}\n", "labels.affiliation.color:"},
		{"template syntax", "version: 1\nguidance: {template: \"{{.Company\"}\n", "guidance.template: not a valid Go template"},
		{"template unknown field", "version: 1\nguidance: {welcome_template: \"{{.Employer}}\"}\n", "guidance.welcome_template: the template fails on sample data"},
		{"bad scope", "version: 1\nguidance: {scope: world}\n", "guidance.scope:"},
		{"policy not a URL", "version: 1\nguidance: {companies: [{company: Acme, policy: \"javascript:alert(1)\"}]}\n", "guidance.companies[0].policy:"},
		{"duplicate company", "version: 1\nguidance: {companies: [{company: Acme}, {company: \" acme \"}]}\n", "guidance.companies[1].company: duplicate company"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml), Source{Path: "x.yml"})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v\nwant it to contain %q", err, tc.want)
			}
		})
	}
}
