package render

import (
	"fmt"
	"strings"

	"github.com/contribution-policy/contribution-policy/internal/affiliation"
	"github.com/contribution-policy/contribution-policy/internal/policy"
)

// VerdictAffiliation is checks.affiliation in the JSON verdict: the
// author's employer when the pull request was opened. Informational: its
// conclusion is always neutral and it never changes the result.
type VerdictAffiliation struct {
	// Kind is company, independent, unknown, bot, opted-out or ambiguous.
	Kind       string `json:"kind"`
	Company    string `json:"company,omitempty"`
	Source     string `json:"source"`
	Confidence string `json:"confidence"`
	Label      string `json:"label,omitempty"`
	// Candidates are the disagreeing companies of an ambiguous result.
	Candidates []string          `json:"candidates,omitempty"`
	Evidence   []string          `json:"evidence,omitempty"`
	FirstTime  *VerdictFirstTime `json:"first_time,omitempty"`
}

// VerdictFirstTime is the first-timer verdict (affiliation.md §3.4).
type VerdictFirstTime struct {
	FirstPR           bool   `json:"first_pr"`
	FirstContribution bool   `json:"first_contribution"`
	Reason            string `json:"reason"`
}

// VerdictGuidance is the guidance section of the policy comment.
type VerdictGuidance struct {
	// Kind is first-time-corporate or welcome.
	Kind    string `json:"kind"`
	Login   string `json:"login"`
	Company string `json:"company,omitempty"`
	Label   string `json:"label,omitempty"`
	// CompanyGuidance says whether the configuration has an entry for the
	// company (policy link, CLA contact, ...).
	CompanyGuidance bool   `json:"company_guidance,omitempty"`
	Reason          string `json:"reason"`
}

func addAffiliationVerdict(v *Verdict, d *policy.Decision) {
	if a := d.Affiliation; a != nil {
		r := a.Result
		va := &VerdictAffiliation{Kind: r.Kind.String(), Source: r.Source(), Confidence: r.Confidence.String(), Label: a.Label,
			FirstTime: &VerdictFirstTime{FirstPR: a.FirstTime.FirstPR, FirstContribution: a.FirstTime.FirstContribution, Reason: a.FirstTime.Reason}}
		if r.Kind == affiliation.KindCompany || r.Kind == affiliation.KindIndependent {
			va.Company = r.Company.Name
		}
		for _, c := range r.Candidates {
			va.Candidates = append(va.Candidates, c.Name)
		}
		for _, e := range r.Evidence {
			va.Evidence = append(va.Evidence, e.String())
		}
		title := "Affiliation: " + affiliationPhrase(a, false)
		v.Checks[policy.CheckAffiliation] = VerdictCheck{Conclusion: policy.Neutral, Title: title,
			Description: policy.Truncate(title, 140), Detail: a.Err, VerdictAffiliation: va}
	}
	if g := d.Guidance; g != nil {
		vg := &VerdictGuidance{Kind: g.Kind, Login: g.Login, Label: g.Label, CompanyGuidance: g.Company != nil, Reason: g.Reason}
		if g.Result.Kind == affiliation.KindCompany {
			vg.Company = g.Result.Company.Name
		}
		v.Guidance = vg
	}
}

func writeAffiliationText(b *strings.Builder, d *policy.Decision) {
	if a := d.Affiliation; a != nil {
		fmt.Fprintf(b, "  affiliation (informational): %s\n", affiliationPhrase(a, false))
		for _, e := range a.Result.Evidence {
			fmt.Fprintf(b, "      evidence: %s\n", flatten(e.String()))
		}
		fmt.Fprintf(b, "      first-time: %s\n", flatten(a.FirstTime.Reason))
	}
	if g := d.Guidance; g != nil {
		what := "welcome for a first-time contributor"
		if g.Kind == policy.GuidanceCorporate {
			what = "first-time corporate contributor (" + flatten(g.Result.Company.Name) + ")"
		}
		fmt.Fprintf(b, "  guidance: %s\n", what)
	}
}

func affiliationSummary(d *policy.Decision) string {
	a := d.Affiliation
	if a == nil {
		return ""
	}
	s := "**Affiliation** (informational): " + affiliationPhrase(a, true) + "\n"
	if g := d.Guidance; g != nil {
		s += "\n**Guidance:** shown to @" + wordJoiner + Text(g.Login) + " (" + Text(g.Reason) + ").\n"
	}
	return s + "\n"
}
