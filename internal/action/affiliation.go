package action

import (
	"github.com/contribution-policy/contribution-policy/internal/affiliation"
	"github.com/contribution-policy/contribution-policy/internal/pipeline"
)

// Affiliation outputs; action.yml declares them (tested).
const (
	// OutputAffiliation is the author's employer when the pull request was
	// opened ("Independent" for independents); empty when unknown, opted
	// out, ambiguous or off.
	OutputAffiliation = "affiliation"
	// OutputAffiliationSource is the deciding source (override,
	// project-list, corporate-cla, verified-domain, email-map,
	// email-domain, github-org, profile); empty with an empty affiliation.
	OutputAffiliationSource = "affiliation-source"
)

// reportAffiliation sets the affiliation outputs and says what a
// triggering /affiliation comment did.
func (r *runner) reportAffiliation(out *pipeline.Outcome) {
	company, source := "", ""
	if a := out.Decision.Affiliation; a != nil {
		if k := a.Result.Kind; k == affiliation.KindCompany || k == affiliation.KindIndependent {
			company, source = a.Result.Company.Name, a.Result.Source()
		}
	}
	r.setOutput(OutputAffiliation, company)
	r.setOutput(OutputAffiliationSource, source)
	switch ac := out.AffiliationCommand; {
	case ac == nil:
	case ac.Err != nil:
		r.a.Warningf("the /affiliation command of @%s could not be recorded: %s", ac.By, ac.Err)
	case ac.Refused != "":
		r.a.Noticef("the /affiliation command of @%s was not recorded: %s", ac.By, ac.Refused)
	case ac.Created:
		r.a.Noticef("recorded the /affiliation command of @%s", ac.By)
	}
}
