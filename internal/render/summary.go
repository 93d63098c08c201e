package render

import (
	"fmt"
	"strings"

	"github.com/contribution-policy/contribution-policy/internal/policy"
)

// Summary renders the Action's job summary: the verdict, a table of checks,
// and every commit's result. note, when set, is shown first (for example why
// nothing was written to the pull request).
func Summary(d *policy.Decision, c Context, note string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Contribution policy: %s %s\n\n", resultIcon(d.Result), d.Result)
	if note != "" {
		b.WriteString("> [!NOTE]\n> " + strings.ReplaceAll(note, "\n", "\n> ") + "\n\n")
	}
	if len(d.Checks) > 0 {
		b.WriteString("| Check | Result | Details |\n|---|---|---|\n")
		for _, ch := range d.Checks {
			fmt.Fprintf(&b, "| %s | %s %s | %s |\n", Code(ch.Context()), icon(ch.Conclusion), ch.Conclusion, Text(ch.Title))
		}
		b.WriteString("\n")
	}
	b.WriteString(affiliationSummary(d))
	if d.DCO != nil && len(d.DCO.Commits) > 0 {
		b.WriteString("### DCO\n\n")
		b.WriteString(commitTable(d.DCO.Commits, c, summaryRows, true))
		if !d.DCO.Passed() {
			b.WriteString("\n")
			b.WriteString(fixAdvice(d.DCO.Fix, len(d.DCO.Failed())))
		}
	}
	if d.CLA != nil {
		if d.DCO != nil && len(d.DCO.Commits) > 0 {
			b.WriteString("\n")
		}
		b.WriteString(claSummary(d.CLA, c))
	}
	if d.Result == policy.Errored {
		for _, ch := range d.Checks {
			if ch.Conclusion == policy.Error {
				msg := ch.Detail
				if msg == "" {
					msg = ch.Description
				}
				fmt.Fprintf(&b, "\n**%s:**\n\n%s", Code(ch.Context()), fenced("text", msg))
			}
		}
	}
	s := b.String()
	if len(s) > MaxSummaryBytes {
		s = truncateRunes(s, MaxSummaryBytes/4) + "\n\n… (truncated to fit GitHub's job summary limit)\n"
	}
	return s
}

func resultIcon(r policy.Result) string {
	switch r {
	case policy.Pass:
		return "✅"
	case policy.Fail:
		return "❌"
	}
	return "⚠️"
}
