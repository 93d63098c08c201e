package cla

import (
	"strconv"
	"strings"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

// corporateVerdict is what the corporate agreements say about one identity.
type corporateVerdict struct {
	covered bool
	basis   string
	corp    *config.CorporateAgreement
	// Why a matching agreement did not cover (the first such), when none did.
	reason     Reason
	reasonCorp *config.CorporateAgreement
	// needsICLA: an agreement matched but also requires the individual
	// agreement, which is not signed.
	needsICLA bool
	// notVisible: an org or team rule might match a concealed membership.
	notVisible     bool
	notVisibleCorp *config.CorporateAgreement
}

// facts is what corporate rules are matched against, indexed once per
// evaluation.
type facts struct {
	at          time.Time
	memberships map[membershipKey]snapshot.Membership
	acks        map[ackKey]bool
}

type membershipKey struct {
	org, team string // lower case
	id        int64
}

type ackKey struct {
	corp string
	id   int64
}

// corporate judges id against the corporate agreements in order (cla.md
// §6.7): the first active agreement with a matching rule whose conditions
// (acknowledgement, individual agreement) hold covers, and is reported. A
// rule only matches trusted attributes: the account id, emails GitHub links
// to the account, memberships read from GitHub.
func corporate(list []config.CorporateAgreement, id Identity, iclaOK bool, f *facts) corporateVerdict {
	var v corporateVerdict
	if id.Unresolved || id.GitHubID == 0 {
		return v
	}
	for i := range list {
		ca := &list[i]
		rule, hidden := match(ca, id, f)
		if rule == "" {
			if hidden && !v.notVisible {
				v.notVisible, v.notVisibleCorp = true, ca
			}
			continue
		}
		var why Reason
		switch {
		case !active(ca, f.at):
			why = CorpInactive
		case ca.RequireAck && !f.acks[ackKey{ca.ID, id.GitHubID}]:
			why = CorpAckRequired
		case ca.RequireICLA && !iclaOK:
			v.needsICLA = true
			if v.reasonCorp == nil {
				v.reasonCorp = ca
			}
			continue
		default:
			return corporateVerdict{covered: true, basis: "ccla:" + ca.ID + "/" + rule, corp: ca}
		}
		// Keep the most actionable reason: an acknowledgement the person
		// can give beats an agreement only the company can renew.
		if v.reason == "" || (why == CorpAckRequired && v.reason != CorpAckRequired) {
			v.reason, v.reasonCorp = why, ca
		}
	}
	return v
}

// active reports whether the agreement covers anyone at time at.
func active(ca *config.CorporateAgreement, at time.Time) bool {
	if ca.Status != "" && ca.Status != config.CorporateActive {
		return false
	}
	if ca.SignedAt != nil && at.Before(*ca.SignedAt) {
		return false
	}
	return ca.ExpiresAt == nil || at.Before(*ca.ExpiresAt)
}

// match returns the first rule of ca matching id ("domain:acme.com"), or
// "". hidden reports an org or team rule that did not match because the
// membership could not be seen.
func match(ca *config.CorporateAgreement, id Identity, f *facts) (rule string, hidden bool) {
	for _, ap := range ca.Approvals {
		switch ap.Type {
		case config.ApproveDomain:
			for _, e := range id.TrustedEmails {
				if domainMatches(e, ap.Value, ap.IncludeSubdomains) {
					return "domain:" + strings.ToLower(ap.Value), false
				}
			}
		case config.ApproveEmail:
			for _, e := range id.TrustedEmails {
				if strings.EqualFold(e, strings.TrimSpace(ap.Value)) {
					return "email:" + strings.ToLower(ap.Value), false
				}
			}
		case config.ApproveUser:
			if ap.GitHubID == id.GitHubID {
				return "github_user:" + strconv.FormatInt(ap.GitHubID, 10), false
			}
		case config.ApproveOrg, config.ApproveTeam:
			team := ""
			if ap.Type == config.ApproveTeam {
				team = strings.ToLower(ap.Team)
			}
			m, ok := f.memberships[membershipKey{strings.ToLower(ap.Org), team, id.GitHubID}]
			switch {
			case ok && m.Member:
				if team != "" {
					return "github_team:" + ap.Org + "/" + ap.Team, false
				}
				return "github_org:" + ap.Org, false
			case ok && !m.Visible:
				hidden = true
			}
		}
	}
	return "", hidden
}

// domainMatches compares an email's domain with a rule's on whole labels
// (cla.md §5.6): "acme.com" matches x@acme.com, and x@eu.acme.com only with
// subdomains; never x@notacme.com.
func domainMatches(email, domain string, subdomains bool) bool {
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return false
	}
	d := strings.TrimSuffix(strings.ToLower(email[at+1:]), ".")
	want := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(domain)), ".")
	if want == "" {
		return false
	}
	if d == want {
		return true
	}
	return subdomains && strings.HasSuffix(d, "."+want)
}

func newFacts(s *snapshot.Snapshot, list []config.CorporateAgreement) *facts {
	f := &facts{at: s.At()}
	if s.CLA == nil {
		return f
	}
	if len(s.CLA.Memberships) > 0 {
		f.memberships = make(map[membershipKey]snapshot.Membership, len(s.CLA.Memberships))
		for _, m := range s.CLA.Memberships {
			f.memberships[membershipKey{strings.ToLower(m.Org), strings.ToLower(m.Team), m.GitHubID}] = m
		}
	}
	needAcks := false
	for i := range list {
		needAcks = needAcks || list[i].RequireAck
	}
	if needAcks {
		f.acks = map[ackKey]bool{}
		for _, sig := range s.CLA.Signatures {
			if sig.RevokedAt == nil || sig.RevokedAt.After(f.at) {
				f.acks[ackKey{sig.AgreementID, sig.GitHubID}] = true
			}
		}
	}
	return f
}
