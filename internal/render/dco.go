package render

import (
	"fmt"
	"strings"

	"github.com/contribution-policy/contribution-policy/internal/policy/dco"
)

// Table sizes: the comment shows the failing commits only and stays short;
// the job summary and check output list every commit up to a bound that keeps
// them under GitHub's size limits.
const (
	commentRows = 50
	summaryRows = 2000
)

// dcoSection renders the DCO part of the policy comment: what fails and how
// to fix it. maxRows bounds the table.
func dcoSection(r *dco.Result, c Context, maxRows int) string {
	var b strings.Builder
	failed := r.Failed()
	switch {
	case r.Incomplete:
		fmt.Fprintf(&b, "### ❌ DCO: only %d of %d commits could be read\n\n", r.Seen, r.Total)
		b.WriteString("GitHub returned fewer commits than this pull request has, so the check fails " +
			"closed instead of passing commits it never saw. Comment `/recheck` to try again; if it keeps " +
			"failing, a maintainer can check the pull request locally with `contribution-policy dco`.\n\n")
		if len(failed) == 0 {
			return b.String()
		}
	case len(r.Commits) == 1:
		b.WriteString("### ❌ DCO: the commit is not signed off\n\n")
	case len(failed) == 1:
		fmt.Fprintf(&b, "### ❌ DCO: 1 of %d commits is not signed off\n\n", len(r.Commits))
	default:
		fmt.Fprintf(&b, "### ❌ DCO: %d of %d commits are not signed off\n\n", len(failed), len(r.Commits))
	}
	b.WriteString("Every commit needs a `Signed-off-by:` line with the name and email of its author or " +
		"committer, certifying the [Developer Certificate of Origin](https://developercertificate.org/). " +
		"`git commit -s` adds it for you.\n\n")
	b.WriteString(commitTable(failed, c, maxRows, false))
	b.WriteString("\n")
	b.WriteString(fixAdvice(r.Fix, len(failed)))
	return b.String()
}

// commitTable renders commits as a table. all adds an outcome column.
func commitTable(rows []dco.CommitResult, c Context, maxRows int, all bool) string {
	var b strings.Builder
	if all {
		b.WriteString("| | Commit | Author | Result |\n|---|---|---|---|\n")
	} else {
		b.WriteString("| Commit | Author | Problem |\n|---|---|---|\n")
	}
	for i, r := range rows {
		if i == maxRows {
			fmt.Fprintf(&b, "\n… and %d more.\n", len(rows)-maxRows)
			break
		}
		commit := fmt.Sprintf("[%s](%s) %s", Code(short(r.SHA)), c.commitURL(r.SHA), Text(truncateRunes(r.Subject, 72)))
		author := Code(r.Author.Name + " <" + r.Author.Email + ">")
		if all {
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", outcomeIcon(r.Outcome), commit, author, Text(r.Detail))
		} else {
			fmt.Fprintf(&b, "| %s | %s | %s |\n", commit, author, Text(r.Detail))
		}
	}
	return b.String()
}

func outcomeIcon(o dco.Outcome) string {
	switch o {
	case dco.Pass:
		return "✅"
	case dco.Fail:
		return "❌"
	}
	return "➖"
}

// fixAdvice explains how to repair the failing commits.
func fixAdvice(f dco.Fix, failed int) string {
	if f.Method == dco.FixNone {
		return ""
	}
	var b strings.Builder
	b.WriteString("#### How to fix it\n\n")
	switch f.Method {
	case dco.FixAmend:
		b.WriteString("Only the last commit is missing a sign-off. Amend it and force-push:\n\n")
		b.WriteString(fenced("sh", "git commit --amend --no-edit --signoff\ngit push --force-with-lease"))
	case dco.FixRebase:
		fmt.Fprintf(&b, "Sign off every commit of the branch and force-push (%s to fix):\n\n", plural(failed, "commit", "commits"))
		cmd := "git rebase --signoff " + f.RebaseOnto
		if f.HasMerges {
			cmd = "git rebase --rebase-merges --signoff " + f.RebaseOnto
		}
		b.WriteString(fenced("sh", cmd+"\ngit push --force-with-lease"))
		if f.HasMerges {
			b.WriteString("\nThe branch contains merge commits; `--rebase-merges` keeps them.\n")
		}
		b.WriteString("\nSign off only commits you have the right to submit under the DCO; " +
			"a co-author's commit needs their own sign-off.\n")
	}
	if f.NameOnlyMismatch {
		b.WriteString("\n**Name mismatch:** the sign-off's email matches but its name does not. " +
			"The name must equal the commit's author or committer name exactly (`git config user.name`).\n")
	}
	if f.EmailOnlyMismatch {
		b.WriteString("\n**Email mismatch:** the sign-off's name matches but its email does not. " +
			"Sign off with the email the commit was made with (`git config user.email`).\n")
	}
	if f.WebCommits {
		b.WriteString("\n**Commits made on github.com:** a repository admin can turn on *Require contributors " +
			"to sign off on web-based commits* (Settings → General) so the web editor signs off for you.\n")
	}
	if len(f.Remediation) > 0 {
		b.WriteString("\n<details><summary>Or keep history and add a remediation commit</summary>\n\n")
		b.WriteString("Each author adds one commit to this pull request with this message:\n\n")
		for _, rm := range f.Remediation {
			b.WriteString(fenced("text", rm.Message))
			b.WriteString("\n")
		}
		b.WriteString("Do not use an empty commit (`--allow-empty`): a later rebase would drop it.\n\n</details>\n")
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
