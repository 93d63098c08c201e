package dco

import "strings"

// Exemptions: commits that need no sign-off at all.

// skipMerge skips merge commits (more than one parent), like every anchor:
// a merge adds no authored change of its own.
func skipMerge(st *state) bool {
	if !st.c.IsMerge() {
		return false
	}
	st.res.Outcome, st.res.Reason = Skip, ReasonMerge
	st.res.Detail = "Merge commit: no sign-off needed."
	return true
}

// skipBot skips commits whose author GitHub links to a Bot account, when
// skip_bots is on. Only the account type counts, never a name or an email:
// anyone can set their git name to "dependabot[bot]".
func (e *evaluation) skipBot(st *state) bool {
	if !e.cfg.SkipBots || !st.c.Author.IsBot() {
		return false
	}
	st.res.Outcome, st.res.Reason = Skip, ReasonBot
	st.res.Detail = "Authored by the GitHub bot account " + quote(st.c.Author.Login) + ": no sign-off needed."
	return true
}

// exempt applies dcoapp's member exemption to the commits still failing:
// with require.members false, a commit whose author is a member of the
// owning organisation (on a user-owned repository: the owner) needs no
// sign-off, but only if GitHub verified its signature; an unverified one
// fails with dcoapp's "Commit by organization member is not verified.".
// It runs after remediation, so a remediated commit is reported as such.
func (e *evaluation) exempt() {
	if e.cfg.Require.Members {
		return
	}
	org := e.s.Repository.OwnerType == "Organization"
	if !org && e.s.Repository.OwnerType != "User" {
		return // owner type unknown (a hand-written snapshot): no one is exempt
	}
	var members map[string]bool
	if org && len(e.s.OrgMembers) > 0 {
		members = make(map[string]bool, len(e.s.OrgMembers))
		for _, l := range e.s.OrgMembers {
			members[strings.ToLower(l)] = true
		}
	}
	for i := range e.st {
		st := &e.st[i]
		login := st.c.Author.Login
		if st.res.Outcome != Fail || login == "" {
			continue
		}
		if org && !members[strings.ToLower(login)] || !org && !strings.EqualFold(login, e.s.Repository.Owner) {
			continue
		}
		switch {
		case st.c.Verified:
			st.res.Outcome, st.res.Reason, st.remediable = Skip, ReasonMember, false
			if org {
				st.res.Detail = "Verified commit by " + quote(login) + ", a member of the organization: no sign-off needed (require.members is false)."
			} else {
				st.res.Detail = "Verified commit by " + quote(login) + ", the repository owner: no sign-off needed (require.members is false)."
			}
		case st.res.Reason == ReasonMissing || st.res.Reason == ReasonMalformed:
			st.res.Reason = ReasonMemberUnverified
		}
	}
}
