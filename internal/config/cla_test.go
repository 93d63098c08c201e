package config

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const claBase = `version: 1
cla:
  enabled: true
  agreements:
    - id: icla
      url: https://example.org/icla
      version: 2.0
      compatible_with: [1.1, "1.0.1"]
      grace_until: 2026-03-01T00:00:00Z
`

func TestCLAConfig(t *testing.T) {
	src := claBase + `    - id: ccla
      kind: corporate
      version: 1
  identities: {pr_author: true, coauthors: warn}
  allowlist:
    - {github_id: 49699333, login: "dependabot[bot]"}
    - {login: "renovate*[bot]"}
    - {bots: true}
  corporate:
    - id: ccla-acme
      company: Acme
      agreement: ccla
      approvals:
        - {type: domain, value: acme.com, include_subdomains: true}
        - {type: github_user, github_id: 7}
        - {type: github_team, org: acme, team: oss}
  store: {repo: acme/cla, branch: sigs}
labels:
  cla: {enabled: true}
`
	c, err := Parse([]byte(src), Source{Path: "x.yml"})
	if err != nil {
		t.Fatal(err)
	}
	grace := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	want := Agreement{ID: "icla", URL: "https://example.org/icla", Version: "2.0", CompatibleWith: []AgreementVersion{"1.1", "1.0.1"}, GraceUntil: &grace}
	if diff := cmp.Diff(want, c.CLA.Agreements[0]); diff != "" {
		t.Errorf("agreement (-want +got):\n%s", diff)
	}
	if c.CLA.SignPhrase != DefaultSignPhrase || c.CLA.Identities.Committers != CommittersIgnore || c.CLA.Identities.Coauthors != CoauthorsWarn {
		t.Errorf("defaults lost: %+v", c.CLA)
	}
	if c.CLA.Store != (CLAStore{Backend: StoreGitFile, Repo: "acme/cla", Branch: "sigs", Path: "signatures"}) {
		t.Errorf("store %+v", c.CLA.Store)
	}
	if !c.Labels.CLA.Enabled || c.Labels.CLA.Yes != "cla: yes" {
		t.Errorf("labels %+v", c.Labels.CLA)
	}
}

func TestCLAConfigProblems(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"enabled without an agreement", "version: 1\ncla: {enabled: true}\n", "cla.agreements: the CLA check needs an individual agreement"},
		{"individual agreement without url", "version: 1\ncla:\n  enabled: true\n  agreements: [{id: icla, version: 1}]\n", "cla.agreements[0].url: required for the individual agreement"},
		{"two individual agreements", claBase + "    - {id: other, version: 1, url: https://x.org}\n", "cla.agreements[1].kind: only one individual agreement"},
		{"duplicate ids", claBase + "    - {id: icla, kind: corporate, version: 1}\n", `cla.agreements[1].id: duplicate agreement id "icla"`},
		{"compatible with itself", strings.Replace(claBase, `[1.1, "1.0.1"]`, `["2.0"]`, 1), "cla.agreements[0].compatible_with[0]: is the current version itself"},
		{"version is a list", strings.Replace(claBase, "version: 2.0", "version: [2]", 1), "cla.agreements[0].version: expected a version such as 2.1.0"},
		{"phrase without sign", claBase + "  sign_phrase: I agree\n", `cla.sign_phrase: must contain the word "sign"`},
		{"unknown placeholder", claBase + "  sign_phrase: I sign {name}\n", "cla.sign_phrase: the only placeholders are {version} and {major}"},
		{"human login without id", claBase + "  allowlist: [{login: alice}]\n", "cla.allowlist[0].login: a login alone is accepted only for a bot"},
		{"substring wildcard bot*", claBase + "  allowlist: [{login: \"bot*\"}]\n", "cla.allowlist[0].login: a login alone is accepted only for a bot"},
		{"glob characters", claBase + "  allowlist: [{login: \"bo?[bot]\"}]\n", "cla.allowlist[0].login: only * is a wildcard"},
		{"wildcard pinned to id", claBase + "  allowlist: [{github_id: 3, login: \"a*\"}]\n", "cla.allowlist[0].login: a login pinned to a github_id cannot contain a wildcard"},
		{"empty entry", claBase + "  allowlist: [{note: x}]\n", "cla.allowlist[0]: give github_id, a bot login, or bots: true"},
		{"two kinds", claBase + "  allowlist: [{github_id: 3, bots: true}]\n", "cla.allowlist[0]: give only one of"},
		{"domain wildcard", claBase + "  corporate: [{id: c, company: C, approvals: [{type: domain, value: \"*.acme.com\"}]}]\n", "cla.corporate[0].approvals[0].value: write the domain itself (acme.com) with include_subdomains: true"},
		{"domain with @", claBase + "  corporate: [{id: c, company: C, approvals: [{type: domain, value: \"@acme.com\"}]}]\n", `is not a domain such as acme.com`},
		{"user rule by login", claBase + "  corporate: [{id: c, company: C, approvals: [{type: github_user, login: bob}]}]\n", "cla.corporate[0].approvals[0].github_id: required for a github_user rule"},
		{"team without slug", claBase + "  corporate: [{id: c, company: C, approvals: [{type: github_team, org: acme}]}]\n", "cla.corporate[0].approvals[0].team: required"},
		{"unknown agreement", claBase + "  corporate: [{id: c, company: C, agreement: nope}]\n", `cla.corporate[0].agreement: no agreement has id "nope"`},
		{"agreement not corporate", claBase + "  corporate: [{id: c, company: C, agreement: icla}]\n", `cla.corporate[0].agreement: "icla" is not a corporate agreement`},
		{"bad status", claBase + "  corporate: [{id: c, company: C, status: paused}]\n", "cla.corporate[0].status:"},
		{"corporate id clashes with an agreement id", claBase + "  corporate: [{id: icla, company: C}]\n", `cla.corporate[0].id: "icla" is also an agreement id`},
		{"corporate file outside", claBase + "  corporate_file: ../x.yml\n", "cla.corporate_file: must be a path inside the repository"},
		{"labels", claBase + "labels: {cla: {enabled: true, \"yes\": ok, \"no\": OK}}\n", "labels.cla.no: must differ from labels.cla.yes"},
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

func TestParseCorporateFile(t *testing.T) {
	agreements := []Agreement{{ID: "ccla", Kind: KindCorporate, Version: "1"}}
	got, err := ParseCorporateFile([]byte("version: 1\ncorporate:\n  - id: ccla-acme\n    company: Acme\n    agreement: ccla\n    approvals: [{type: email, value: a@acme.com}]\n"), Source{Path: "c.yml"}, agreements)
	if err != nil {
		t.Fatal(err)
	}
	want := []CorporateAgreement{{ID: "ccla-acme", Company: "Acme", Agreement: "ccla", Approvals: []Approval{{Type: ApproveEmail, Value: "a@acme.com"}}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	_, err = ParseCorporateFile([]byte("version: 1\ncorporate:\n  - id: x\n    company: X\n    approvals: [{type: domain, value: \"*.x.com\"}]\n"), Source{Repo: "o/r", Ref: "abc", Path: "c.yml"}, agreements)
	if err == nil || !strings.Contains(err.Error(), "o/r@abc:c.yml:5:") {
		t.Errorf("want a positioned error, got %v", err)
	}
}
