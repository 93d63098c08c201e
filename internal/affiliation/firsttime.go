package affiliation

import (
	"strings"
	"time"
)

// Count is a number the caller may not know (the search failed, the token
// could not see it). The zero value is unknown, so a forgotten field errs on
// "not a first-timer".
type Count struct {
	N     int
	Known bool
}

// Known is a known count.
func Known(n int) Count { return Count{N: n, Known: true} }

// AuthorFacts are what the first-timer rule (§3.4) looks at. The PR's own
// commits are not among them on purpose: a PR may carry other people's
// commits, and only the author's own history says whether they are new.
type AuthorFacts struct {
	Login string
	// Type is GitHub's account type: "User", "Bot", "Organization",
	// "Mannequin".
	Type string
	// Association is the PR's author_association (OWNER, MEMBER,
	// COLLABORATOR, CONTRIBUTOR, FIRST_TIME_CONTRIBUTOR, FIRST_TIMER,
	// MANNEQUIN, NONE): a hint only — private members show as CONTRIBUTOR or
	// NONE, genuine first-timers often as NONE.
	Association string
	// Robot: a project list marks the login (Robots) (Resolver.IsRobot).
	Robot bool
	// Trusted: confirmed, with a token that can see it, to be a member of the
	// owning org (private membership included) or of a trusted org, or to
	// have write permission on the repository.
	Trusted bool
	// PriorPRs counts the author's pull requests in scope (the repository, or
	// the organisation when configured) created before this one (see
	// PriorPRs); PriorMergedPRs the merged ones; PriorCommits the commits the
	// author authored on the default branch.
	PriorPRs       Count
	PriorMergedPRs Count
	PriorCommits   Count
}

// FirstTime is the verdict.
type FirstTime struct {
	// FirstPR is FIRST_TIMER_PR: not a bot, not trusted, no earlier PR in
	// scope (Prow's "first PR here"). This drives the guidance.
	FirstPR bool
	// FirstContribution is FIRST_TIME_CONTRIBUTOR: not a bot, nothing merged
	// and no commits yet.
	FirstContribution bool
	Reason            string
}

// Association values.
const (
	AssocOwner                = "OWNER"
	AssocMember               = "MEMBER"
	AssocCollaborator         = "COLLABORATOR"
	AssocContributor          = "CONTRIBUTOR"
	AssocFirstTimeContributor = "FIRST_TIME_CONTRIBUTOR"
	AssocFirstTimer           = "FIRST_TIMER"
	AssocMannequin            = "MANNEQUIN"
	AssocNone                 = "NONE"
)

// IsBotAccount is §3.4's is_bot: account type Bot, a "[bot]" login, or a
// (Robots) entry in a project list.
func IsBotAccount(a AuthorFacts) bool {
	return a.Type == "Bot" || strings.HasSuffix(strings.ToLower(a.Login), "[bot]") || a.Robot
}

// FirstTimer applies §3.4: bots and mannequins are never first-timers;
// trusted users (OWNER, MEMBER, COLLABORATOR, or confirmed membership or
// write permission) never first-time PR authors; CONTRIBUTOR means "has
// committed here" (accepting the rare hidden-member false negative); counts,
// when known, decide; otherwise FIRST_TIME_CONTRIBUTOR and FIRST_TIMER are
// taken as they are (the fast path) and NONE as "cannot tell", which is no.
func FirstTimer(a AuthorFacts) FirstTime {
	assoc := strings.ToUpper(strings.TrimSpace(a.Association))
	switch {
	case IsBotAccount(a):
		return FirstTime{Reason: "bot account"}
	case assoc == AssocMannequin || a.Type == "Mannequin":
		return FirstTime{Reason: "mannequin (imported history)"}
	}
	fastPath := assoc == AssocFirstTimeContributor || assoc == AssocFirstTimer
	var ft FirstTime

	switch {
	case assoc == AssocContributor:
	case a.PriorMergedPRs.Known && a.PriorCommits.Known:
		ft.FirstContribution = a.PriorMergedPRs.N == 0 && a.PriorCommits.N == 0
	case fastPath:
		ft.FirstContribution = true
	}

	trusted := a.Trusted || assoc == AssocOwner || assoc == AssocMember || assoc == AssocCollaborator
	switch {
	case trusted:
		ft.Reason = "trusted: member, owner or collaborator"
	case assoc == AssocContributor:
		ft.Reason = "CONTRIBUTOR: has committed here before"
	case a.PriorPRs.Known && a.PriorPRs.N > 0:
		ft.Reason = "has earlier pull requests in scope"
	case a.PriorPRs.Known:
		ft.FirstPR, ft.Reason = true, "no earlier pull request in scope"
	case fastPath:
		ft.FirstPR, ft.Reason = true, assoc+" (not confirmed by a search)"
	default:
		ft.Reason = "cannot tell: association " + orNone(assoc) + " and no search result"
	}
	return ft
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// PRRef is one pull request found by a search of the author's PRs.
type PRRef struct {
	Repo      string // owner/name
	Number    int
	CreatedAt time.Time
}

// PriorPRs counts the author's PRs opened before the current one, from a
// search ("is:pr author:LOGIN repo:O/R", or org:O) that returned total
// results and, newest first, the refs in found. The current PR itself (found
// when the search has indexed it, or on a reopened PR) and PRs opened after
// it (an author opening several at once) do not count; results beyond the
// page (total > len(found)) are older, so they do.
func PriorPRs(total int, found []PRRef, current PRRef) int {
	n := 0
	for _, p := range found {
		if p.Repo == current.Repo && p.Number == current.Number {
			continue
		}
		if before(p, current) {
			n++
		}
	}
	if extra := total - len(found); extra > 0 {
		n += extra
	}
	return n
}

func before(p, cur PRRef) bool {
	if !p.CreatedAt.Equal(cur.CreatedAt) && !p.CreatedAt.IsZero() && !cur.CreatedAt.IsZero() {
		return p.CreatedAt.Before(cur.CreatedAt)
	}
	if p.Repo == cur.Repo {
		return p.Number < cur.Number
	}
	return p.CreatedAt.IsZero() // unknown time in another repo: count it (err on "not first")
}

// FirstTimeCorporate is §3.4's "first-time corporate contributor": a
// first PR whose author resolved to a company (not Independent, unknown or a
// bot) with at least medium confidence.
func FirstTimeCorporate(ft FirstTime, r Result) bool {
	return ft.FirstPR && r.Kind == KindCompany && r.Confidence >= ConfidenceMedium
}

// FirstFromCompany reports whether no earlier contribution in scope came
// from the company (earlier holds the company keys of earlier PRs): the
// optional OSPO signal of §3.4.
func FirstFromCompany(r Result, earlier []string) bool {
	if r.Kind != KindCompany {
		return false
	}
	for _, k := range earlier {
		if k == r.Company.Key {
			return false
		}
	}
	return true
}

// GuidanceWanted says whether the guidance section belongs in the policy
// comment on this event: once shown it stays (edited in place, never posted
// twice); otherwise it is added on "opened", and on "reopened" only when it
// was never shown — never first on a later push or edit (§3.4).
func GuidanceWanted(action string, alreadyShown bool) bool {
	if alreadyShown {
		return true
	}
	return action == "opened" || action == "reopened"
}
