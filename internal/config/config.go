// Package config defines .github/contribution-policy.yml: its types, defaults,
// strict decoding with line and column for every problem, validation, the
// dcoapp/dco2 `.github/dco.yml` compatibility layer, and the JSON Schema that
// editors and the README reference are generated from.
//
// Struct tags drive everything (see package schema): `yaml` names the key,
// `doc` describes it (the JSON Schema and the reference in
// docs/configuration.md are generated from it), `enum`, `required` and
// `maxLength` restrict values. Defaults are the values Default() puts in the
// struct before decoding, so an absent key keeps its default and a present
// one overrides it; the schema's "default"s are read from Default() too.
//
// Run `go test ./internal/config -update` after changing a type or a tag: it
// regenerates schema/contribution-policy.schema.json and the reference.
package config

// Version is the only configuration version this build understands.
const Version = 1

// Config is the whole repository configuration.
type Config struct {
	Version     int         `yaml:"version" required:"true" enum:"1" doc:"Configuration format version. Must be 1."`
	DCO         DCO         `yaml:"dco" doc:"Developer Certificate of Origin: every commit signed off."`
	CLA         CLA         `yaml:"cla" doc:"Contributor License Agreement coverage."`
	Affiliation Affiliation `yaml:"affiliation" doc:"Employer affiliation of the pull request author."`
	Guidance    Guidance    `yaml:"guidance" doc:"Guidance for first-time contributors."`
	Labels      Labels      `yaml:"labels" doc:"Labels the tool manages on pull requests."`
	Comment     Comment     `yaml:"comment" doc:"The single policy comment."`
}

// DCO configures the sign-off check. The camelCase keys are dcoapp/dco2's own,
// kept verbatim so their .github/dco.yml content can be pasted here unchanged.
type DCO struct {
	Enabled bool `yaml:"enabled" doc:"Run the DCO check."`
	Require struct {
		Members bool `yaml:"members" doc:"Require sign-off from members of the owning organisation too. When false, a member's commit is exempt only if GitHub verified its signature (dcoapp semantics)."`
	} `yaml:"require" doc:"Who must sign off (dcoapp key)."`
	AllowRemediationCommits struct {
		Individual bool `yaml:"individual" doc:"Accept a later commit in the PR saying 'I, Name <email>, hereby add my Signed-off-by to this commit: SHA'."`
		ThirdParty bool `yaml:"thirdParty" doc:"Also accept 'On behalf of Name <email>, I, Name <email>, hereby add my Signed-off-by ...'. Needs individual."`
	} `yaml:"allowRemediationCommits" doc:"Remediation commits (dcoapp key)."`
	AllowOverrideAction bool   `yaml:"allowOverrideAction" doc:"App mode: offer maintainers a 'Set DCO to pass' button on a failing check run (dco2 key)."`
	Match               string `yaml:"match" enum:"name_and_email,email" doc:"What a Signed-off-by must match: the author's or committer's name and email together (dcoapp/dco2), or the email alone (Gerrit style)."`
	SkipBots            bool   `yaml:"skip_bots" doc:"Skip commits whose author GitHub reports as a Bot account (by account type, never by name)."`
}

// Labels configures the labels the tool manages.
type Labels struct {
	CreateMissing bool      `yaml:"create_missing" doc:"Create a managed label in the repository, with a colour and a description, when it does not exist yet."`
	DCO           YesNoPair `yaml:"dco" doc:"Labels reflecting the DCO check (Prow's dco-signoff convention)."`
	CLA           YesNoPair `yaml:"cla" doc:"Labels reflecting the CLA check (Google's cla: yes / cla: no convention)."`
	// Affiliation is the affiliation/<slug> label (affiliation.go).
	Affiliation AffiliationLabels `yaml:"affiliation" doc:"The author's employer as a label, affiliation/<slug> (affiliation.enabled must be on)."`
}

// YesNoPair is a pair of mutually exclusive labels for a pass/fail check.
type YesNoPair struct {
	Enabled bool   `yaml:"enabled" doc:"Apply these labels."`
	Yes     string `yaml:"yes" maxLength:"50" doc:"Label when the check passes."`
	No      string `yaml:"no" maxLength:"50" doc:"Label when the check fails."`
}

// Comment configures the single policy comment.
type Comment struct {
	Enabled bool `yaml:"enabled" doc:"Post the policy comment when there is something to say, and keep it up to date."`
}

// Default returns the configuration used when a repository has none, and the
// base every file is decoded onto.
func Default() Config {
	var c Config
	c.Version = Version
	c.DCO = DefaultDCO()
	c.CLA = DefaultCLA()
	c.Labels = Labels{
		CreateMissing: true,
		DCO:           YesNoPair{Enabled: false, Yes: "dco-signoff: yes", No: "dco-signoff: no"},
		CLA:           YesNoPair{Enabled: false, Yes: "cla: yes", No: "cla: no"},
		Affiliation:   DefaultAffiliationLabels(),
	}
	c.Guidance = DefaultGuidance()
	c.Comment = Comment{Enabled: true}
	return c
}

// DefaultDCO is the DCO section's defaults: dcoapp's, plus bots skipped.
func DefaultDCO() DCO {
	var d DCO
	d.Enabled = true
	d.Require.Members = true
	d.AllowOverrideAction = true
	d.Match = MatchNameAndEmail
	d.SkipBots = true
	return d
}

// Values of DCO.Match.
const (
	MatchNameAndEmail = "name_and_email"
	MatchEmail        = "email"
)
