package render

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"text/template"

	"github.com/contribution-policy/contribution-policy/internal/affiliation"
	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/policy"
)

// GuidanceMarker starts the guidance section of the policy comment; the
// pipeline looks for it to know the section was shown (it then stays).
const GuidanceMarker = "<!-- contribution-policy:guidance -->"

// DefaultGuidanceTemplate is the first-time corporate section (after
// affiliation.md §4.3). Templates run on escaped data: every value a pull
// request's author controls (login, company names from profiles or data)
// is Markdown-escaped before the template sees it, and is never parsed as a
// template itself.
const DefaultGuidanceTemplate = `### 👋 Welcome, {{.Mention}}!

Thanks for your first pull request to {{.Repo}}.{{if .Company}} We identified your affiliation as **{{.Company}}** (source: {{.Source}}){{if .Label}} and labelled this pull request {{.Label}}{{end}}.{{end}}
Not right, or you prefer no label? Comment ` + "`/affiliation <Company>`" + ` or ` + "`/affiliation none`" + `.

Before review, please check:

- [ ] Your commits use the e-mail address your employer expects{{if .EmailDomain}} (at {{.EmailDomain}}){{end}}, and that address is added to your GitHub account, so the commits are linked to you.
{{if .DCO}}- [ ] DCO: every commit has a ` + "`Signed-off-by:`" + ` line matching its author (` + "`git commit -s`" + `). {{.DCO}}
{{end}}{{if .CLA}}- [ ] CLA: if the work belongs to {{if .Company}}{{.Company}}{{else}}your employer{{end}}, do not sign an individual CLA yourself: ask your company's CLA manager to add you to its corporate CLA{{if .CCLAContact}} ({{.CCLAContact}}){{end}}. {{.CLA}}
{{end}}- [ ] {{if .Policy}}[Your company's open source contribution policy]({{.Policy}}){{else}}Your company's open source contribution policy{{end}} allows this contribution (many companies pre-approve small fixes; a first contribution to a new project often needs an internal review).
- [ ] No confidential code, internal host names or customer data; report security problems privately.
{{if .Text}}
{{.Text}}
{{end}}
<details><summary>How review works here</summary>

{{if .Contributing}}Read the [contribution guide]({{.Contributing}}). {{end}}A maintainer will review your pull request; comment ` + "`/recheck`" + ` to run the checks again.
</details>
`

// DefaultWelcomeTemplate is the generic welcome for other first-timers.
const DefaultWelcomeTemplate = `### 👋 Welcome, {{.Mention}}!

Thanks for your first pull request to {{.Repo}}: a maintainer will review it.{{if .Contributing}} Meanwhile, have a look at the [contribution guide]({{.Contributing}}).{{end}}{{if .DCO}}

- DCO: every commit needs a ` + "`Signed-off-by:`" + ` line matching its author (` + "`git commit -s`" + `). {{.DCO}}{{end}}{{if .CLA}}
- CLA: {{.CLA}}{{end}}
`

var (
	defaultGuidance = template.Must(config.ParseGuidanceTemplate("guidance", DefaultGuidanceTemplate))
	defaultWelcome  = template.Must(config.ParseGuidanceTemplate("welcome", DefaultWelcomeTemplate))
	githubLogin     = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$`)
)

// GuidanceData is what a guidance template sees: every value is ready to
// insert into Markdown (escaped text, code spans, or checked URLs), so a
// template cannot be made to run, link or mention anything through data.
func GuidanceData(d *policy.Decision, c Context) map[string]string {
	g := d.Guidance
	data := map[string]string{}
	for _, f := range config.GuidanceFields {
		data[f] = ""
	}
	data["Login"] = Text(g.Login)
	if githubLogin.MatchString(g.Login) {
		// The author's own login, which GitHub restricts to letters, digits
		// and '-': mentioning them is the point of a welcome.
		data["Mention"] = "@" + g.Login
	} else {
		data["Mention"] = Text("@" + g.Login)
	}
	data["Repo"] = Text(c.Repo.FullName())
	if r := g.Result; r.Kind == affiliation.KindCompany || r.Kind == affiliation.KindIndependent {
		data["Company"] = Text(r.Company.Name)
		data["Source"] = Text(r.Rank.Describe())
		data["Confidence"] = r.Confidence.String()
	}
	if g.Label != "" {
		data["Label"] = Code(g.Label)
	}
	data["DCO"] = dcoStatusLine(d)
	data["CLA"] = claStatusLine(d)
	data["Contributing"] = safeURL(g.Contributing)
	if cg := g.Company; cg != nil {
		data["Policy"] = safeURL(cg.Policy)
		data["CCLAContact"] = contact(cg.CCLAContact)
		if cg.EmailDomain != "" {
			data["EmailDomain"] = Code(strings.TrimPrefix(cg.EmailDomain, "@"))
		}
		// Configuration authors write Markdown here, as they write the
		// templates; pull request authors never do.
		data["Text"] = strings.TrimSpace(cg.Text)
	}
	return data
}

// guidanceSection renders the guidance section ("" when there is none),
// starting with GuidanceMarker.
func guidanceSection(d *policy.Decision, c Context) string {
	g := d.Guidance
	if g == nil {
		return ""
	}
	t := defaultWelcome
	if g.Kind == policy.GuidanceCorporate {
		t = defaultGuidance
	}
	if g.Template != "" {
		if ct, err := config.ParseGuidanceTemplate("configured", g.Template); err == nil {
			t = ct
		}
	}
	var b strings.Builder
	if err := t.Execute(&b, GuidanceData(d, c)); err != nil {
		// A configured template is validated with the configuration; if it
		// fails anyway, the built-in one still says what matters.
		b.Reset()
		fallback := defaultWelcome
		if g.Kind == policy.GuidanceCorporate {
			fallback = defaultGuidance
		}
		_ = fallback.Execute(&b, GuidanceData(d, c))
	}
	body := strings.TrimRight(b.String(), "\n")
	return GuidanceMarker + "\n" + truncateRunes(body, 12000) + "\n"
}

func dcoStatusLine(d *policy.Decision) string {
	if d.DCO == nil {
		return ""
	}
	if d.DCO.Passed() {
		return "✅ Done."
	}
	return "❌ Not yet: see below."
}

func claStatusLine(d *policy.Decision) string {
	if d.CLA == nil {
		return ""
	}
	if d.CLA.Passed() {
		return "✅ You are covered."
	}
	return "❌ Not covered yet: see below."
}

// safeURL returns an http(s) URL fit for a Markdown link target, or "".
func safeURL(s string) string {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E", "\"", "%22", "`", "%60").Replace(u.String())
}

// contact renders a CLA contact: a link, an address in a code span, or text.
func contact(s string) string {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return ""
	case safeURL(s) != "":
		return fmt.Sprintf("[%s](%s)", Text(s), safeURL(s))
	case strings.Count(s, "@") == 1 && !strings.ContainsAny(s, " \t<>"):
		return Code(s)
	}
	return Text(s)
}

// affiliationLine is the affiliation verdict in one line of Markdown (job
// summary) or text ("" when there is none).
func affiliationPhrase(a *policy.AffiliationResult, markdown bool) string {
	r := a.Result
	esc := func(s string) string {
		if markdown {
			return Text(s)
		}
		return flatten(s)
	}
	var s string
	switch r.Kind {
	case affiliation.KindCompany, affiliation.KindIndependent:
		s = fmt.Sprintf("%s (source: %s, confidence: %s)", esc(r.Company.Name), r.Source(), r.Confidence)
	case affiliation.KindBot:
		s = "a bot account"
	case affiliation.KindOptedOut:
		s = "not shown: the author opted out"
	case affiliation.KindAmbiguous:
		names := make([]string, 0, len(r.Candidates))
		for _, c := range r.Candidates {
			names = append(names, esc(c.Name))
		}
		s = fmt.Sprintf("ambiguous at %s (%s): no label", r.Source(), strings.Join(names, ", "))
	default:
		s = "unknown"
	}
	if a.Err != "" {
		s += " — " + esc(a.Err)
	}
	if a.Label != "" {
		if markdown {
			s += " · label " + Code(a.Label)
		} else {
			s += ", label " + a.Label
		}
	}
	return s
}
