package config

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"text/template"
	"unicode/utf8"

	"github.com/contribution-policy/contribution-policy/internal/gitdm"
	"github.com/contribution-policy/contribution-policy/internal/schema"
)

// Affiliation configures employer resolution (affiliation.md §7): the pull
// request author's employer when the pull request was opened, with its
// source and confidence. It is informational: it labels, fills outputs and
// the summary, and drives the first-time guidance; it never fails a pull
// request.
type Affiliation struct {
	Enabled bool `yaml:"enabled" doc:"Resolve the pull request author's employer at the time the pull request was opened: the affiliation label, the affiliation outputs, the summary and the first-time corporate guidance. Informational: it never fails a pull request."`
	// Data and Index are read through the API: a path of this repository
	// at the base commit, or OWNER/REPO:PATH at that repository's default
	// branch (the organisation's .github repository, say).
	Data    []string `yaml:"data" minLength:"1" doc:"Affiliation data files in the gitdm family's formats (developers_affiliations*.txt, company_developers*.txt, email-map, domain-map, aliases, company-names-mapping, companies.yaml, github_users*.json, default_data*.json, profiles*.yaml; the format is told by the file name): a path in this repository, read at the pull request's base commit, or OWNER/REPO:PATH, read at that repository's default branch (e.g. acme/.github:affiliations/email-map)."`
	Index   string   `yaml:"index" doc:"A prebuilt index (contribution-policy affiliation index) to load instead of, or besides, data: same path forms. Large data sets load in milliseconds this way."`
	Project string   `yaml:"project" doc:"LF profiles (profiles*.yaml): the project slug whose project-scoped enrollments apply."`
	// The project's own maps (index.Maps).
	Users   map[string]string `yaml:"users" minLength:"1" doc:"GitHub login -> company, or a history \"OldCo < 2024-03-01, NewCo\" (each company until the date after it, the last one open). The project's own list: high confidence."`
	Emails  map[string]string `yaml:"emails" minLength:"1" doc:"Commit e-mail address -> company or history (as users); used only for addresses GitHub links to the pull request's author."`
	Domains map[string]string `yaml:"domains" minLength:"1" doc:"E-mail domain -> company or history; matches the domain and its subdomains on whole labels (acme.com never matches notacme.com), for commit e-mails GitHub links to the author (medium confidence; high when the commit's signature is verified)."`
	Orgs    map[string]string `yaml:"orgs" minLength:"1" doc:"GitHub organisation login -> company: a membership GitHub shows (public, or visible to the token) names the employer, with low confidence."`
	Aliases map[string]string `yaml:"aliases" minLength:"1" doc:"Company name as written -> canonical name (\"AWS\": \"Amazon\"), applied to every source, the profile's company field included."`
	// Exclusions and opt-outs.
	ExcludeDomains []string `yaml:"exclude_domains" minLength:"1" doc:"More e-mail domains that never name an employer (free mail, ISPs, relays), added to the maintained list: a domain (with its subdomains), label.* (under any public suffix) or one address user@domain."`
	AllowDomains   []string `yaml:"allow_domains" minLength:"1" doc:"Entries taken out of the maintained free-mail list (as written there), for a company that really uses such a domain. GitHub's no-reply addresses are always excluded."`
	DenyLogins     []string `yaml:"deny_logins" minLength:"1" doc:"Logins never resolved nor labelled, as if they had commented /affiliation none."`
}

// AffiliationLabels configures the `affiliation/<slug>` labels.
type AffiliationLabels struct {
	Enabled     bool              `yaml:"enabled" doc:"Label pull requests with the author's employer when affiliation.enabled is on. Off keeps the affiliation in outputs and the summary only (privacy)."`
	Prefix      string            `yaml:"prefix" minLength:"1" doc:"Label prefix; labels with it are the tool's to manage (it never removes one a person set). Together with the slug at most 50 characters."`
	Color       string            `yaml:"color" pattern:"^[0-9a-fA-F]{6}$" patternDoc:"six hexadecimal digits, no #" doc:"Colour of labels the tool creates."`
	Independent bool              `yaml:"independent" doc:"Label independent contributors <prefix>independent."`
	Unknown     bool              `yaml:"unknown" doc:"Label contributors whose employer is not found <prefix>unknown."`
	Slugs       map[string]string `yaml:"slugs" minLength:"1" doc:"Pinned slugs: slug -> company, for a shorter or stable label (\"msft\": \"Microsoft Corporation\")."`
}

// Guidance configures the first-time contributor section of the policy
// comment (affiliation.md §3.4, §4.3).
type Guidance struct {
	Enabled bool   `yaml:"enabled" doc:"Add a guidance section to the policy comment for a first-time contributor who works for a company (needs affiliation.enabled): identity, sign-off, the corporate CLA and the company's own policy. Shown from the event that opened the pull request, then kept (edited in place, never posted twice)."`
	Scope   string `yaml:"scope" enum:"repo,org" doc:"What first-time means: no earlier pull request in this repository (repo), or in any repository of the owner (org)."`
	Welcome bool   `yaml:"welcome" doc:"Also welcome other first-time contributors (independent, employer unknown) with a short generic section."`
	// Templates are Go text/template text over escaped data (GuidanceData
	// in package render): config authors write templates, pull request
	// authors never do, and every value they control is escaped first.
	Template        string            `yaml:"template" doc:"Go text/template for the first-time corporate section; empty = the built-in one. Fields (all escaped for Markdown): .Mention .Login .Repo .Company .Source .Confidence .Label .DCO .CLA .Policy .CCLAContact .EmailDomain .Text .Contributing."`
	WelcomeTemplate string            `yaml:"welcome_template" doc:"Go text/template for the generic welcome; empty = the built-in one. Same fields."`
	Contributing    string            `yaml:"contributing" pattern:"^https?://" patternDoc:"an http(s) URL" doc:"Link to the project's contribution guide, shown in the guidance."`
	Companies       []CompanyGuidance `yaml:"companies" doc:"Per-company guidance, matched on the resolved company (aliases applied)."`
}

// CompanyGuidance is what one company tells its employees.
type CompanyGuidance struct {
	Company     string `yaml:"company" required:"true" minLength:"1" doc:"The company, as affiliation resolves it (aliases applied; case and legal form ignored)."`
	Policy      string `yaml:"policy" pattern:"^https?://" patternDoc:"an http(s) URL" doc:"The company's open source contribution policy (its OSPO page)."`
	CCLAContact string `yaml:"ccla_contact" doc:"Who adds employees to the company's corporate CLA: an e-mail address or a URL."`
	EmailDomain string `yaml:"email_domain" doc:"The commit e-mail domain the company expects its employees to use."`
	Text        string `yaml:"text" maxLength:"2000" doc:"More Markdown for the company's employees."`
}

// Values of Guidance.Scope.
const (
	ScopeRepo = "repo"
	ScopeOrg  = "org"
)

// DefaultAffiliationLabels are the label defaults (affiliation.md §5.3).
func DefaultAffiliationLabels() AffiliationLabels {
	return AffiliationLabels{Enabled: true, Prefix: "affiliation/", Color: "c5def5", Independent: true}
}

// DefaultGuidance is the guidance section's defaults.
func DefaultGuidance() Guidance {
	return Guidance{Scope: ScopeRepo}
}

// MaxGuidanceTemplate is the longest template accepted, in characters.
const MaxGuidanceTemplate = 8000

// GuidanceFields are the fields a guidance template may use.
var GuidanceFields = []string{"Mention", "Login", "Repo", "Company", "Source", "Confidence", "Label", "DCO", "CLA",
	"Policy", "CCLAContact", "EmailDomain", "Text", "Contributing"}

// ParseGuidanceTemplate parses a guidance template. Only the fields of
// GuidanceFields exist; the functions are text/template's built-ins.
func ParseGuidanceTemplate(name, text string) (*template.Template, error) {
	return template.New(name).Option("missingkey=error").Parse(text)
}

var dataRef = regexp.MustCompile(`^(?:([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)/([A-Za-z0-9._-]+):)?([^:]+)$`)

// DataRef is where an affiliation data file is read: Repo "" means this
// repository at the pull request's base commit.
type DataRef struct {
	Repo string // "owner/name", or ""
	Path string
}

// ParseDataRef parses "PATH" or "OWNER/REPO:PATH".
func ParseDataRef(s string) (DataRef, error) {
	m := dataRef.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil || strings.Trim(m[3], "/") == "" {
		return DataRef{}, fmt.Errorf("%q: want PATH or OWNER/REPO:PATH", s)
	}
	r := DataRef{Path: strings.Trim(m[3], "/")}
	if m[1] != "" {
		r.Repo = m[1] + "/" + m[2]
	}
	for _, seg := range strings.Split(r.Path, "/") {
		if seg == ".." || seg == "." || seg == "" {
			return DataRef{}, fmt.Errorf("%q: the path must not contain empty, . or .. segments", s)
		}
	}
	return r, nil
}

func validateAffiliation(c *Config) []schema.Problem {
	var ps []schema.Problem
	add := func(p, msg string) { ps = append(ps, schema.Problem{Path: p, Message: msg}) }
	a := &c.Affiliation
	for i, d := range a.Data {
		if _, err := ParseDataRef(d); err != nil {
			add(fmt.Sprintf("affiliation.data[%d]", i), err.Error())
		} else if ref, _ := ParseDataRef(d); gitdm.Detect(ref.Path) == "" {
			add(fmt.Sprintf("affiliation.data[%d]", i), "cannot tell the format from the file name (developers_affiliations*.txt, company_developers*.txt, email-map, domain-map, aliases, company-names-mapping, companies.yaml, github_users*.json, default_data*.json, profiles*.yaml)")
		} else if gitdm.Detect(ref.Path) == gitdm.FormatConfig {
			add(fmt.Sprintf("affiliation.data[%d]", i), "a gitdm.config names other files: list those files here instead")
		}
	}
	if a.Index != "" {
		if _, err := ParseDataRef(a.Index); err != nil {
			add("affiliation.index", err.Error())
		}
	}
	for _, m := range []struct {
		key     string
		entries map[string]string
	}{{"users", a.Users}, {"emails", a.Emails}, {"domains", a.Domains}, {"orgs", a.Orgs}} {
		for _, k := range slices.Sorted(maps.Keys(m.entries)) {
			if m.key == "orgs" {
				if strings.TrimSpace(m.entries[k]) == "" {
					add("affiliation.orgs."+k, "must name a company")
				}
				continue
			}
			if _, msg := gitdm.ParseAffiliations(m.entries[k]); msg != "" {
				add("affiliation."+m.key+"."+k, msg+` (want "Company" or "OldCo < YYYY-MM-DD, NewCo")`)
			}
		}
	}
	l := &c.Labels.Affiliation
	if l.Prefix != "" {
		if budget := MaxLabelLength - utf8.RuneCountInString(l.Prefix); budget < 12 {
			add("labels.affiliation.prefix", fmt.Sprintf("leaves %d characters for the company; at most %d characters", budget, MaxLabelLength-12))
		}
		if strings.EqualFold(l.Prefix, c.Labels.DCO.Yes) || strings.EqualFold(l.Prefix, c.Labels.DCO.No) {
			add("labels.affiliation.prefix", "must differ from the DCO labels")
		}
	} else if l.Enabled {
		add("labels.affiliation.prefix", "must not be empty")
	}
	for _, slug := range slices.Sorted(maps.Keys(l.Slugs)) {
		if !validSlug(slug) {
			add("labels.affiliation.slugs."+slug, "a slug is lower-case letters, digits and '-'")
		} else if utf8.RuneCountInString(l.Prefix)+len(slug) > MaxLabelLength {
			add("labels.affiliation.slugs."+slug, fmt.Sprintf("%s%s is longer than %d characters", l.Prefix, slug, MaxLabelLength))
		}
	}
	g := &c.Guidance
	for _, t := range []struct{ key, text string }{{"template", g.Template}, {"welcome_template", g.WelcomeTemplate}} {
		if t.text == "" {
			continue
		}
		if n := utf8.RuneCountInString(t.text); n > MaxGuidanceTemplate {
			add("guidance."+t.key, schema.MaxLengthMessage(MaxGuidanceTemplate, n))
			continue
		}
		if err := checkGuidanceTemplate(t.key, t.text); err != nil {
			add("guidance."+t.key, err.Error())
		}
	}
	seen := map[string]int{}
	for i, cg := range g.Companies {
		k := strings.ToLower(strings.Join(strings.Fields(cg.Company), " "))
		if j, dup := seen[k]; dup && k != "" {
			add(fmt.Sprintf("guidance.companies[%d].company", i), fmt.Sprintf("duplicate company (also companies[%d])", j))
		}
		seen[k] = i
	}
	return ps
}

// checkGuidanceTemplate parses a template and runs it on sample data, so a
// misspelt field is a configuration error rather than a failed comment.
func checkGuidanceTemplate(name, text string) error {
	t, err := ParseGuidanceTemplate(name, text)
	if err != nil {
		return fmt.Errorf("not a valid Go template: %s", strings.TrimPrefix(err.Error(), "template: "))
	}
	sample := map[string]string{}
	for _, f := range GuidanceFields {
		sample[f] = "x"
	}
	var b strings.Builder
	if err := t.Execute(&b, sample); err != nil {
		return fmt.Errorf("the template fails on sample data (fields: %s): %s", strings.Join(GuidanceFields, ", "), strings.TrimPrefix(err.Error(), "template: "))
	}
	return nil
}

func validSlug(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}
