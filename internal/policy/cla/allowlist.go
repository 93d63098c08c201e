package cla

import (
	"strconv"
	"strings"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

// allowlisted returns the basis of the first allowlist entry matching id,
// or "". Only resolved accounts can match (cla.md §5.2): an email GitHub
// links to no account is never allowlisted, whatever its name or address.
func allowlisted(list []config.AllowEntry, id Identity) string {
	if id.Unresolved {
		return ""
	}
	for _, e := range list {
		switch {
		case e.GitHubID != 0:
			// Matched by id: a renamed account still matches, a recycled
			// login (same name, another id) never does.
			if id.GitHubID == e.GitHubID {
				return "allowlist:github_id:" + strconv.FormatInt(e.GitHubID, 10)
			}
		case e.Bots:
			if id.IsBot() {
				return "allowlist:bots"
			}
		case e.Login != "":
			if id.IsBot() && globFold(e.Login, id.Login) {
				return "allowlist:login:" + e.Login
			}
		}
	}
	return ""
}

// authenticatedBot applies cla.md §6.2 step 7 to an allowlisted bot: a git
// identity is self-asserted, so anyone can author a commit as
// "49699333+dependabot[bot]@users.noreply.github.com". The bot counts only
// when it opened the pull request (GitHub authenticated it), or when GitHub
// verified the signature of every commit it authored. Bots that only
// co-author (Copilot) are accepted as they are: the human author of the
// commit must be covered anyway. Commits the bot committed are judged like
// those it authored.
func authenticatedBot(id Identity, s *snapshot.Snapshot) bool {
	if !id.Has(RoleCommitAuthor) && !id.Has(RoleCommitter) {
		return true
	}
	if a := s.PullRequest.Author; id.GitHubID != 0 && a.ID == id.GitHubID {
		return true
	}
	for _, i := range id.attributed {
		if !s.Commits[i].Verified {
			return false
		}
	}
	return true
}

// globFold matches a whole login against a pattern where '*' matches any run
// of characters and everything else is literal, ignoring case: "bot*[bot]"
// matches "bot-x[bot]" but not "abbott[bot]" — never a substring match.
func globFold(pattern, s string) bool {
	p, v := strings.ToLower(pattern), strings.ToLower(s)
	// Classic two-pointer wildcard match with backtracking to the last '*'.
	pi, vi, star, mark := 0, 0, -1, 0
	for vi < len(v) {
		switch {
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, vi
			pi++
		case pi < len(p) && p[pi] == v[vi]:
			pi++
			vi++
		case star >= 0:
			pi = star + 1
			mark++
			vi = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}
