package policy

import (
	"fmt"
	"strings"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/policy/cla"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

// CheckCLA is the CLA check's name (status contribution-policy/cla).
const CheckCLA = "cla"

// evaluateCLA runs the CLA check and adds it, and its labels, to d.
func evaluateCLA(cfg *config.Config, s *snapshot.Snapshot, d *Decision) {
	r := cla.Evaluate(cfg.CLA, s)
	d.CLA = &r
	d.Checks = append(d.Checks, claCheck(r))
	d.Labels.yesNo(cfg.Labels.CLA, r.Passed())
}

// claCheck maps the result to a check with the states and descriptions of
// cla.md §6.10 (each description at most 140 characters).
func claCheck(r cla.Result) Check {
	c := Check{Name: CheckCLA}
	missing, warnings := r.Missing(), r.Warnings()
	n := len(r.Identities)
	switch {
	case r.Unavailable != nil:
		c.Conclusion = Error
		c.Title = "The CLA signatures could not be used"
		c.Description = fmt.Sprintf("CLA: bot error (%s) — maintainers, see details", r.Unavailable.Code)
		c.Detail = r.Unavailable.Message
	case r.Incomplete:
		c.Conclusion = Failure
		c.Title = fmt.Sprintf("Only %d of %d commits could be read", r.Seen, r.Total)
		c.Description = fmt.Sprintf("CLA: could not read all %d commits; failing closed", r.Total)
	case n == 0:
		c.Conclusion = Skipped
		c.Title = "No contributors to check"
		c.Description = "CLA: not required — no commits"
	case len(missing) > 0:
		c.Conclusion = Failure
		c.Title, c.Description = missingTexts(r, missing, n)
	case allAllowlisted(r):
		c.Conclusion = Skipped
		c.Title = "Every contributor is allowlisted"
		c.Description = "CLA: not required — all contributors allowlisted"
	case len(warnings) > 0:
		c.Conclusion = Neutral
		c.Title, c.Description = warningTexts(r, warnings, n)
	default:
		c.Conclusion = Success
		c.Title = fmt.Sprintf("All %s covered", plural(n, "contributor is", "contributors are"))
		if n == 1 {
			c.Title = "The contributor is covered"
		}
		c.Description = fmt.Sprintf("CLA: all %d contributor(s) covered", n)
		if k := viaCorporate(r); k > 0 {
			c.Description += fmt.Sprintf(" — %d via corporate CLA", k)
		}
	}
	c.Description = Truncate(c.Description, 140)
	return c
}

func missingTexts(r cla.Result, missing []cla.IdentityResult, n int) (title, desc string) {
	m := len(missing)
	title = fmt.Sprintf("%d of %d contributors not covered by the CLA", m, n)
	if n == 1 {
		title = "The contributor is not covered by the CLA"
	}
	only := func(reasons ...cla.Reason) bool {
		for _, x := range missing {
			ok := false
			for _, want := range reasons {
				ok = ok || x.Reason == want
			}
			if !ok {
				return false
			}
		}
		return true
	}
	company := func() string {
		c := missing[0].Company
		for _, x := range missing[1:] {
			if x.Company != c {
				return "corporate"
			}
		}
		return c
	}
	switch {
	case only(cla.UnlinkedEmail, cla.UnresolvedCoauthor):
		desc = fmt.Sprintf("CLA: %d commit email(s) not linked to a GitHub account", m)
	case only(cla.ResignRequired):
		desc = fmt.Sprintf("CLA: agreement updated to v%s — %d contributor(s) must re-sign", strings.TrimPrefix(r.Agreement.Version, "v"), m)
	case only(cla.CorpAckRequired):
		desc = fmt.Sprintf("CLA: %d contributor(s) must acknowledge the %s corporate CLA", m, company())
	case only(cla.CorpInactive, cla.OrgMembershipNotVisible):
		desc = fmt.Sprintf("CLA: %d contributor(s) awaiting %s corporate approval", m, company())
	default:
		desc = fmt.Sprintf("CLA: %d of %d contributor(s) not covered — see details", m, n)
	}
	return title, desc
}

func warningTexts(r cla.Result, warnings []cla.IdentityResult, n int) (title, desc string) {
	grace, coauthors := 0, 0
	for _, w := range warnings {
		if w.Reason == cla.ResignSoon {
			grace++
		} else {
			coauthors++
		}
	}
	if coauthors > 0 {
		title = fmt.Sprintf("%s not covered (warning only)", plural(coauthors, "co-author", "co-authors"))
		desc = fmt.Sprintf("CLA: required contributors covered; %d co-author(s) not covered (warning)", coauthors)
		return title, desc
	}
	title = fmt.Sprintf("Covered; %s to sign the new version", plural(grace, "contributor needs", "contributors need"))
	desc = fmt.Sprintf("CLA: covered; %d must re-sign v%s", grace, strings.TrimPrefix(r.Agreement.Version, "v"))
	if d := r.Agreement.GraceUntil; d != "" {
		desc += " before " + d
	}
	return title, desc
}

func allAllowlisted(r cla.Result) bool {
	for _, x := range r.Identities {
		if !strings.HasPrefix(x.Basis, "allowlist:") {
			return false
		}
	}
	return len(r.Identities) > 0
}

func viaCorporate(r cla.Result) int {
	k := 0
	for _, x := range r.Identities {
		if strings.HasPrefix(x.Basis, "ccla:") {
			k++
		}
	}
	return k
}
