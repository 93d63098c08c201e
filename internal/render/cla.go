package render

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/contribution-policy/contribution-policy/internal/policy/cla"
)

// claNeedsComment reports whether the CLA result has something to say in
// the policy comment: someone is missing, or a warning (a co-author under
// coauthors: warn, a signature to renew during the grace period).
func claNeedsComment(r *cla.Result) bool {
	return r != nil && (!r.Passed() || len(r.Warnings()) > 0)
}

// claSection renders the CLA part of the policy comment (cla.md §6.10):
// every identity that is missing or warned about, its reason and its fix,
// and the exact phrase to post.
func claSection(r *cla.Result, c Context, maxRows int) string {
	var b strings.Builder
	missing, warnings := r.Missing(), r.Warnings()
	switch {
	case r.Unavailable != nil:
		b.WriteString("### ⚠️ CLA: the signatures could not be used\n\n")
		fmt.Fprintf(&b, "The bot could not read or record CLA signatures (%s), so nobody is reported as signed. "+
			"Maintainers: see the check's details.\n", Code(r.Unavailable.Code))
		if hint := storageHint(r.Unavailable.Code); hint != "" {
			b.WriteString("\n" + hint + "\n")
		}
		return b.String()
	case r.Incomplete:
		fmt.Fprintf(&b, "### ❌ CLA: only %d of %d commits could be read\n\n", r.Seen, r.Total)
		b.WriteString("GitHub returned fewer commits than this pull request has, so contributors may be missing " +
			"and the check fails closed. Comment `/recheck` to try again.\n\n")
		if len(missing) == 0 {
			return b.String()
		}
	case len(missing) == 0:
		b.WriteString("### ✅ CLA: covered, with warnings\n\n")
	case len(r.Identities) == 1:
		b.WriteString("### ❌ CLA: the contributor is not covered\n\n")
	default:
		fmt.Fprintf(&b, "### ❌ CLA: %d of %d contributors are not covered\n\n", len(missing), len(r.Identities))
	}
	if len(missing) > 0 {
		fmt.Fprintf(&b, "Thanks for your pull request! Before it can be merged, everyone who contributed to it must be covered by %s.\n\n", agreementLink(r.Agreement))
	}
	rows := append(append([]cla.IdentityResult(nil), missing...), warnings...)
	b.WriteString(identityTable(rows, r.Agreement, c, maxRows, true))
	b.WriteString("\n")
	b.WriteString(claFixes(r, rows, c))
	return b.String()
}

// identityTable renders identities as Contributor | Commits | Status.
// mention @-mentions the people listed (comment), so they are notified.
func identityTable(rows []cla.IdentityResult, a cla.Agreement, c Context, maxRows int, mention bool) string {
	var b strings.Builder
	b.WriteString("| Contributor | Commits | Status |\n|---|---|---|\n")
	for i, x := range rows {
		if i == maxRows {
			fmt.Fprintf(&b, "\n… and %d more.\n", len(rows)-maxRows)
			break
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", contributor(x, mention && x.Conclusion != cla.Covered), commitLinks(x.Commits, c), status(x, a))
	}
	return b.String()
}

var loginPattern = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$`)

// contributor names an identity: @login (a mention only when asked, and
// only for a well-formed login, which GitHub controls), or the email in a
// code span. Roles other than commit author are noted.
func contributor(x cla.IdentityResult, mention bool) string {
	var s string
	switch {
	case x.Login != "" && mention && loginPattern.MatchString(x.Login):
		s = "@" + x.Login
	case x.Login != "":
		s = Text("@" + x.Login)
	case x.Email != "":
		s = Code(x.Email)
	default:
		s = Code(x.Name)
	}
	var roles []string
	for _, r := range x.Roles {
		switch r {
		case cla.RoleCoauthor:
			roles = append(roles, "co-author")
		case cla.RoleCommitter:
			roles = append(roles, "committer")
		case cla.RolePRAuthor:
			roles = append(roles, "pull request author")
		}
	}
	if len(roles) > 0 && !x.Has(cla.RoleCommitAuthor) {
		s += " (" + strings.Join(roles, ", ") + ")"
	}
	return s
}

func commitLinks(shas []string, c Context) string {
	if len(shas) == 0 {
		return "–"
	}
	var parts []string
	for i, s := range shas {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("+%d more", len(shas)-3))
			break
		}
		parts = append(parts, fmt.Sprintf("[%s](%s)", Code(short(s)), c.commitURL(s)))
	}
	return strings.Join(parts, " ")
}

// status is one identity's verdict in words.
func status(x cla.IdentityResult, a cla.Agreement) string {
	v := func(s string) string { return "v" + strings.TrimPrefix(s, "v") }
	switch x.Conclusion {
	case cla.Covered:
		switch {
		case x.Reason == cla.ResignSoon:
			s := "⏳ signed " + Text(v(x.SignedVersion)) + " — please sign " + Text(v(a.Version))
			if a.GraceUntil != "" {
				s += " before " + a.GraceUntil
			}
			return s
		case strings.HasPrefix(x.Basis, "icla:"):
			return "✅ signed (" + Text(v(x.SignedVersion)) + ")"
		case strings.HasPrefix(x.Basis, "ccla:"):
			return "✅ covered by " + Text(x.Company) + "'s corporate agreement"
		case strings.HasPrefix(x.Basis, "allowlist:"):
			return "✅ allowlisted"
		}
		return "✅ covered"
	}
	mark := "❌"
	if x.Conclusion == cla.Warning {
		mark = "⚠️ (warning only)"
	}
	var what string
	switch x.Reason {
	case cla.MissingSignature:
		what = "not signed"
		if x.Company != "" {
			what = "not signed (" + Text(x.Company) + " also requires the individual agreement)"
		}
	case cla.ResignRequired:
		what = "signed " + Text(v(x.SignedVersion)) + " — please sign the current version"
	case cla.UnlinkedEmail:
		what = "email not linked to a GitHub account"
	case cla.UnresolvedCoauthor:
		what = "co-author email not linked to a GitHub account"
	case cla.CorpAckRequired:
		what = "covered by " + Text(x.Company) + " once acknowledged"
	case cla.CorpInactive:
		what = Text(x.Company) + "'s corporate agreement is not active"
	case cla.OrgMembershipNotVisible:
		what = "organisation membership not visible"
	case cla.Revoked:
		what = "signature revoked"
	case cla.BotNotAuthenticated:
		what = "bot identity not authenticated"
	default:
		what = Text(x.Detail)
	}
	return mark + " " + what + " <sub>" + Code(string(x.Reason)) + "</sub>"
}

func agreementLink(a cla.Agreement) string {
	name := a.Title
	if name == "" {
		name = "our Contributor License Agreement"
	}
	if a.Version != "" {
		name += " v" + strings.TrimPrefix(a.Version, "v")
	}
	if a.URL == "" || !strings.HasPrefix(a.URL, "https://") && !strings.HasPrefix(a.URL, "http://") {
		return Text(name)
	}
	return "[" + Text(name) + "](" + strings.NewReplacer("(", "%28", ")", "%29", " ", "%20").Replace(a.URL) + ")"
}

// claFixes explains, for each reason present, exactly what to do.
func claFixes(r *cla.Result, rows []cla.IdentityResult, c Context) string {
	has := map[cla.Reason]bool{}
	var corps []cla.IdentityResult
	for _, x := range rows {
		has[x.Reason] = true
		if x.Reason == cla.CorpAckRequired && !containsCorp(corps, x.CorporateID) {
			corps = append(corps, x)
		}
	}
	var b strings.Builder
	if has[cla.MissingSignature] || has[cla.ResignRequired] || has[cla.Revoked] || has[cla.UnlinkedEmail] || has[cla.UnresolvedCoauthor] ||
		has[cla.ResignSoon] || has[cla.CorpInactive] || has[cla.OrgMembershipNotVisible] {
		fmt.Fprintf(&b, "**To sign %s,** post this comment on this pull request, on a line of its own (everyone listed as not signed, or signed an older version):\n\n", agreementLink(r.Agreement))
		b.WriteString(fenced("text", r.SignPhrase))
		b.WriteString("\nOnly your own comment signs for you, and it is recorded with your GitHub account. The check updates by itself.\n")
	}
	if has[cla.UnlinkedEmail] {
		fmt.Fprintf(&b, "\n**Commit email not linked?** Add and verify that address at %ssettings/emails: GitHub then links the existing commits, "+
			"no rewrite needed. Or rewrite the commits with an email your account has, and force-push:\n\n", c.serverURL())
		onto := r.RebaseOnto
		if onto == "" {
			onto = "BASE"
		}
		b.WriteString(fenced("sh", "git config user.email YOUR-VERIFIED-EMAIL\n"+
			"git rebase --exec 'git commit --amend --no-edit --reset-author' "+onto+"\n"+
			"git push --force-with-lease"))
	}
	if has[cla.UnresolvedCoauthor] {
		fmt.Fprintf(&b, "\n**Co-author email not linked?** The co-author adds and verifies it at %ssettings/emails, "+
			"or the `Co-authored-by:` line is changed to their `ID+login@users.noreply.github.com` address (shown at %[1]ssettings/emails) "+
			"and the commit rewritten. Then the co-author signs as above.\n", c.serverURL())
	}
	for _, x := range corps {
		fmt.Fprintf(&b, "\n**%s employees:** acknowledge the corporate agreement by commenting:\n\n", Text(x.Company))
		b.WriteString(fenced("text", "/cla ack "+x.CorporateID))
	}
	if has[cla.CorpInactive] {
		b.WriteString("\n**Contributing for your employer?** Its corporate agreement is not active at the moment: " +
			"ask your company's CLA manager, or sign the individual agreement above.\n")
	}
	if has[cla.OrgMembershipNotVisible] {
		b.WriteString("\n**Covered through your organisation?** The bot cannot see your membership: make it public in the " +
			"organisation's People page, or ask a maintainer to give the bot a token that can read the organisation's members.\n")
	}
	if has[cla.BotNotAuthenticated] {
		b.WriteString("\n**Bot commits:** a bot is allowlisted only when it opened the pull request or GitHub verified " +
			"its commits. A maintainer should check where these commits came from; the bot cannot sign.\n")
	}
	return b.String()
}

func containsCorp(list []cla.IdentityResult, id string) bool {
	for _, x := range list {
		if x.CorporateID == id {
			return true
		}
	}
	return false
}

// storageHint is the maintainer's fix for a storage error.
func storageHint(code string) string {
	switch code {
	case "storage_forbidden":
		return "The signature store refused the write: its branch is probably protected by a branch protection rule or " +
			"a ruleset, or the token cannot write to it. Keep the signatures on an unprotected branch (the default " +
			"`cla-signatures`), or give the bot a token that may write there."
	case "storage_busy":
		return "Too many signatures were written at the same moment. Comment `/recheck` to try again."
	case "config_invalid":
		return "The corporate agreements file is invalid; the check's details name the line."
	}
	return ""
}

// claSummary renders the CLA part of the job summary: every identity.
func claSummary(r *cla.Result, c Context) string {
	var b strings.Builder
	b.WriteString("### CLA\n\n")
	if r.Unavailable != nil {
		fmt.Fprintf(&b, "⚠️ The signatures could not be used (%s): %s\n\n", Code(r.Unavailable.Code), Text(r.Unavailable.Message))
		if hint := storageHint(r.Unavailable.Code); hint != "" {
			b.WriteString(hint + "\n\n")
		}
	}
	if len(r.Identities) == 0 {
		b.WriteString("No contributors to check.\n")
		return b.String()
	}
	b.WriteString("| Contributor | Commits | Status | Basis |\n|---|---|---|---|\n")
	for i, x := range r.Identities {
		if i == summaryRows {
			fmt.Fprintf(&b, "\n… and %d more.\n", len(r.Identities)-summaryRows)
			break
		}
		basis := "–"
		if x.Basis != "" {
			basis = Code(x.Basis)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", contributor(x, false), commitLinks(x.Commits, c), status(x, r.Agreement), basis)
	}
	if !r.Passed() || len(r.Warnings()) > 0 {
		var rows []cla.IdentityResult
		rows = append(append(rows, r.Missing()...), r.Warnings()...)
		b.WriteString("\n")
		b.WriteString(claFixes(r, rows, c))
	}
	return b.String()
}
