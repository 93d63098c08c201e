package render

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/contribution-policy/contribution-policy/internal/policy"
	"github.com/contribution-policy/contribution-policy/internal/policy/dco"
)

// Verdict is the JSON form of a decision (`check --format json`). Field names
// are a public contract, documented in docs/snapshot.md.
type Verdict struct {
	Result policy.Result           `json:"result"`
	Checks map[string]VerdictCheck `json:"checks"`
	// Guidance is the first-time section of the policy comment, when
	// there is one (verdict_affiliation.go).
	Guidance *VerdictGuidance `json:"guidance,omitempty"`
}

// VerdictCheck is one check in the JSON verdict.
type VerdictCheck struct {
	Conclusion  policy.Conclusion `json:"conclusion"`
	Title       string            `json:"title"`
	Description string            `json:"description"`
	Detail      string            `json:"detail,omitempty"`
	// DCO only.
	Commits    []VerdictCommit `json:"commits,omitempty"`
	Incomplete bool            `json:"incomplete,omitempty"`
	// CLA only.
	*VerdictCLA
	// Affiliation only (informational).
	*VerdictAffiliation
}

// VerdictCommit is one commit's DCO verdict.
type VerdictCommit struct {
	SHA          string       `json:"sha"`
	Conclusion   dco.Outcome  `json:"conclusion"`
	Reason       dco.Reason   `json:"reason"`
	Detail       string       `json:"detail"`
	Author       dco.Person   `json:"author"`
	Committer    dco.Person   `json:"committer"`
	SignOffs     []dco.Person `json:"signoffs,omitempty"`
	RemediatedBy string       `json:"remediated_by,omitempty"`
}

// NewVerdict converts a decision to its JSON form.
func NewVerdict(d *policy.Decision) Verdict {
	v := Verdict{Result: d.Result, Checks: map[string]VerdictCheck{}}
	for _, c := range d.Checks {
		vc := VerdictCheck{Conclusion: c.Conclusion, Title: c.Title, Description: c.Description, Detail: c.Detail}
		if c.Name == policy.CheckDCO && d.DCO != nil {
			vc.Incomplete = d.DCO.Incomplete
			vc.Commits = make([]VerdictCommit, 0, len(d.DCO.Commits))
			for _, r := range d.DCO.Commits {
				vc.Commits = append(vc.Commits, VerdictCommit{
					SHA: r.SHA, Conclusion: r.Outcome, Reason: r.Reason, Detail: r.Detail,
					Author:       dco.Person{Name: r.Author.Name, Email: r.Author.Email},
					Committer:    dco.Person{Name: r.Committer.Name, Email: r.Committer.Email},
					SignOffs:     r.SignOffs,
					RemediatedBy: r.RemediatedBy,
				})
			}
		}
		if c.Name == policy.CheckCLA && d.CLA != nil {
			vc.Incomplete = d.CLA.Incomplete
			vc.VerdictCLA = newVerdictCLA(d.CLA)
		}
		v.Checks[c.Name] = vc
	}
	addAffiliationVerdict(&v, d)
	return v
}

// WriteJSON writes the decision as indented JSON.
func WriteJSON(w io.Writer, d *policy.Decision) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(NewVerdict(d))
}

// WriteText writes a terminal report: the verdict, every check, and every
// commit's DCO result.
func WriteText(w io.Writer, d *policy.Decision, subject string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "contribution-policy: %s (%s)\n", d.Result, subject)
	for _, c := range d.Checks {
		fmt.Fprintf(&b, "  %-26s %-8s %s\n", c.Context(), c.Conclusion, c.Title)
		if c.Detail != "" {
			for _, l := range strings.Split(strings.TrimRight(c.Detail, "\n"), "\n") {
				fmt.Fprintf(&b, "      %s\n", l)
			}
		}
		if c.Name == policy.CheckDCO && d.DCO != nil {
			for _, r := range d.DCO.Commits {
				mark := map[dco.Outcome]string{dco.Pass: "ok  ", dco.Fail: "FAIL", dco.Skip: "skip"}[r.Outcome]
				fmt.Fprintf(&b, "      %s %s %s\n", mark, short(r.SHA), flatten(truncateRunes(r.Subject, 60)))
				if r.Reason != dco.ReasonSignedOff {
					fmt.Fprintf(&b, "           %s\n", flatten(r.Detail))
				}
			}
			if f := d.DCO.Fix; f.Method != dco.FixNone {
				fmt.Fprintf(&b, "    fix: %s\n", fixCommand(f))
			}
		}
		if c.Name == policy.CheckCLA && d.CLA != nil {
			writeCLAText(&b, d.CLA)
		}
	}
	writeAffiliationText(&b, d)
	_, err := io.WriteString(w, b.String())
	return err
}

func fixCommand(f dco.Fix) string {
	switch f.Method {
	case dco.FixAmend:
		return "git commit --amend --no-edit --signoff && git push --force-with-lease"
	case dco.FixRebase:
		flag := ""
		if f.HasMerges {
			flag = "--rebase-merges "
		}
		return "git rebase " + flag + "--signoff " + f.RebaseOnto + " && git push --force-with-lease"
	}
	return ""
}
