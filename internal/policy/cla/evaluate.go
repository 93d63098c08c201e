package cla

import (
	"fmt"
	"strings"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

// Evaluate judges every identity the pull request needs covered (cla.md
// §6.3). For each, the first match wins and is reported as its basis:
//
//  1. the allowlist (accounts by id; bots only when authenticated);
//  2. a signature of the individual agreement, current or compatible
//     version (an older one during the grace period: covered, with a
//     warning);
//  3. an active corporate agreement whose approval rule matches a trusted
//     attribute (with its acknowledgement and individual-agreement
//     conditions).
//
// Otherwise the identity is missing, with the most actionable reason. With
// coauthors: warn, a missing identity that is only a co-author is a warning.
// cfg.Enabled is the caller's business.
func Evaluate(cfg config.CLA, s *snapshot.Snapshot) Result {
	r := Result{SignPhrase: SignPhrase(cfg)}
	if a := IndividualAgreement(cfg); a != nil {
		r.Agreement = Agreement{ID: a.ID, Title: a.Title, URL: a.URL, Version: string(a.Version)}
		if a.GraceUntil != nil {
			r.Agreement.GraceUntil = a.GraceUntil.UTC().Format("2006-01-02")
		}
	}
	if s == nil {
		return r
	}
	if s.CLA != nil && s.CLA.Unavailable != nil {
		u := *s.CLA.Unavailable
		r.Unavailable = &u
	}
	r.RebaseOnto = s.PullRequest.BaseSHA
	if len(s.Commits) > 0 && len(s.Commits[0].Parents) > 0 {
		r.RebaseOnto = s.Commits[0].Parents[0]
	}
	n := len(s.Commits)
	if total := max(s.CommitCount, n); total > n {
		r.Incomplete, r.Seen, r.Total = true, n, total
	}
	ids := Required(cfg, s)
	if len(ids) == 0 {
		return r
	}
	e := newEvaluation(cfg, s, ids)
	r.Identities = make([]IdentityResult, len(ids))
	for i := range ids {
		r.Identities[i] = e.judge(ids[i])
	}
	return r
}

// evaluation is the working state of one Evaluate call.
type evaluation struct {
	cfg   config.CLA
	s     *snapshot.Snapshot
	icla  *config.Agreement
	sigs  map[int64][]snapshot.Signature // individual-agreement signatures of the required ids
	facts *facts
}

func newEvaluation(cfg config.CLA, s *snapshot.Snapshot, ids []Identity) *evaluation {
	e := &evaluation{cfg: cfg, s: s, icla: IndividualAgreement(cfg), facts: newFacts(s, cfg.Corporate)}
	if s.CLA != nil && e.icla != nil && len(s.CLA.Signatures) > 0 {
		// One pass over the signatures, keeping only those of the
		// required accounts: linear in the store's size, whatever it is.
		want := make(map[int64]bool, len(ids))
		for _, id := range ids {
			if id.GitHubID > 0 {
				want[id.GitHubID] = true
			}
		}
		e.sigs = make(map[int64][]snapshot.Signature, len(want))
		for _, sig := range s.CLA.Signatures {
			if want[sig.GitHubID] && sig.AgreementID == e.icla.ID {
				e.sigs[sig.GitHubID] = append(e.sigs[sig.GitHubID], sig)
			}
		}
	}
	return e
}

// judge decides one identity.
func (e *evaluation) judge(id Identity) IdentityResult {
	res := IdentityResult{Identity: id}
	if id.Unresolved {
		res.Conclusion = Missing
		res.Reason, res.Detail = unresolvedReason(id)
		return e.downgrade(res)
	}
	botFailed := false
	if basis := allowlisted(e.cfg.Allowlist, id); basis != "" {
		if !id.IsBot() || authenticatedBot(id, e.s) {
			res.Conclusion, res.Basis = Covered, basis
			res.Detail = "Allowlisted."
			return res
		}
		botFailed = true
	}
	iv := individual(e.icla, e.sigs[id.GitHubID], e.facts.at)
	if iv.covered {
		res.Conclusion, res.Basis, res.SignedVersion = Covered, "icla:"+iv.version, iv.version
		res.Detail = fmt.Sprintf("Signed %s.", e.agreementName(iv.version))
		if iv.grace {
			res.Reason = ResignSoon
			res.Detail = fmt.Sprintf("Signed %s; %s must be signed before %s.", e.agreementName(iv.version),
				e.agreementName(string(e.icla.Version)), e.icla.GraceUntil.UTC().Format("2006-01-02"))
		}
		return res
	}
	cv := corporate(e.cfg.Corporate, id, false, e.facts)
	if cv.covered {
		res.Conclusion, res.Basis = Covered, cv.basis
		res.Company, res.CorporateID = cv.corp.Company, cv.corp.ID
		res.Detail = "Covered by " + cv.corp.Company + "'s corporate agreement."
		return res
	}
	res.Conclusion = Missing
	res.SignedVersion = iv.version
	switch {
	case botFailed:
		res.Reason = BotNotAuthenticated
		res.Detail = fmt.Sprintf("%s is allowlisted, but only when it opened the pull request or GitHub verified its commits; here neither holds, so anyone could have written the commit under its name.", id.Display())
	case cv.reason == CorpAckRequired:
		res.Reason, res.Company, res.CorporateID = CorpAckRequired, cv.reasonCorp.Company, cv.reasonCorp.ID
		res.Detail = fmt.Sprintf("%s's corporate agreement covers %s once acknowledged.", cv.reasonCorp.Company, id.Display())
	case iv.resign:
		res.Reason = ResignRequired
		res.Detail = fmt.Sprintf("Signed %s, but %s must be signed now.", e.agreementName(iv.version), e.agreementName(string(e.icla.Version)))
	case iv.revoked:
		res.Reason = Revoked
		res.Detail = "The signature was revoked; sign again to contribute."
	case cv.reason == CorpInactive:
		res.Reason, res.Company, res.CorporateID = CorpInactive, cv.reasonCorp.Company, cv.reasonCorp.ID
		res.Detail = fmt.Sprintf("%s's corporate agreement would cover %s but is not active (%s).", cv.reasonCorp.Company, id.Display(), inactiveWhy(cv.reasonCorp, e.facts))
	case cv.needsICLA:
		res.Reason, res.Company, res.CorporateID = MissingSignature, cv.reasonCorp.Company, cv.reasonCorp.ID
		res.Detail = fmt.Sprintf("%s's corporate agreement also requires each contributor to sign the individual agreement.", cv.reasonCorp.Company)
	case cv.notVisible:
		res.Reason, res.Company, res.CorporateID = OrgMembershipNotVisible, cv.notVisibleCorp.Company, cv.notVisibleCorp.ID
		res.Detail = fmt.Sprintf("%s's corporate agreement covers members of an organisation, and %s's membership is not public.", cv.notVisibleCorp.Company, id.Display())
	default:
		res.Reason = MissingSignature
		res.Detail = "No signature, allowlist entry or corporate approval."
	}
	return e.downgrade(res)
}

// downgrade turns a missing identity that is only a co-author into a
// warning under coauthors: warn.
func (e *evaluation) downgrade(res IdentityResult) IdentityResult {
	if res.Conclusion == Missing && e.cfg.Identities.Coauthors == config.CoauthorsWarn && len(res.Roles) == 1 && res.Roles[0] == RoleCoauthor {
		res.Conclusion = Warning
	}
	return res
}

func unresolvedReason(id Identity) (Reason, string) {
	if id.Has(RoleCommitAuthor) || id.Has(RoleCommitter) {
		return UnlinkedEmail, fmt.Sprintf("The commit email %s is not linked to any GitHub account, so nobody can sign for it.", quoteEmail(id))
	}
	if id.Email == "" {
		return UnresolvedCoauthor, fmt.Sprintf("The Co-authored-by trailer %q has no email address, so it cannot be linked to a GitHub account.", id.Name)
	}
	return UnresolvedCoauthor, fmt.Sprintf("The co-author email %s is not linked to any GitHub account, so nobody can sign for it.", quoteEmail(id))
}

func quoteEmail(id Identity) string { return "<" + id.Email + ">" }

func inactiveWhy(ca *config.CorporateAgreement, f *facts) string {
	switch {
	case ca.Status != "" && ca.Status != config.CorporateActive:
		return ca.Status
	case ca.SignedAt != nil && f.at.Before(*ca.SignedAt):
		return "not in effect until " + ca.SignedAt.UTC().Format("2006-01-02")
	case ca.ExpiresAt != nil:
		return "expired on " + ca.ExpiresAt.UTC().Format("2006-01-02")
	}
	return "inactive"
}

// agreementName is "the Acme CLA v2.0" for version v.
func (e *evaluation) agreementName(v string) string {
	title := "the CLA"
	if e.icla != nil && e.icla.Title != "" {
		title = e.icla.Title
		if !strings.HasPrefix(strings.ToLower(title), "the ") {
			title = "the " + title
		}
	}
	if v == "" {
		return title
	}
	return title + " v" + strings.TrimPrefix(v, "v")
}
