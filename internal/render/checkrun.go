package render

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/contribution-policy/contribution-policy/internal/policy"
)

// MaxCheckRunRunes is GitHub's limit on a check run's output.summary and
// output.text (65,535 characters each).
const MaxCheckRunRunes = 65535

// CheckRunOutput is what a check run shows: a title (one line), a summary
// (the verdict and, when failing, how to fix it) and a text (every commit's
// verdict), each within GitHub's limits.
type CheckRunOutput struct {
	Title, Summary, Text string
}

// CheckRun renders the output of the check run for one check of the
// decision (App mode). note, when set, is shown first in the summary (an
// override, for example).
func CheckRun(d *policy.Decision, check string, c Context, note string) CheckRunOutput {
	ch, ok := d.Check(check)
	if !ok {
		return CheckRunOutput{Title: "Not evaluated", Summary: "This check did not run."}
	}
	out := CheckRunOutput{Title: policy.Truncate(ch.Title, 200)}
	var sum strings.Builder
	fmt.Fprintf(&sum, "%s **%s**: %s\n", icon(ch.Conclusion), Text(ch.Context()), Text(ch.Title))
	if note != "" {
		sum.WriteString("\n> [!NOTE]\n> " + strings.ReplaceAll(note, "\n", "\n> ") + "\n")
	}
	if ch.Conclusion == policy.Error {
		msg := ch.Detail
		if msg == "" {
			msg = ch.Description
		}
		sum.WriteString("\n" + fenced("text", msg))
	}
	var text strings.Builder
	if check == policy.CheckDCO && d.DCO != nil {
		if !d.DCO.Passed() && note == "" {
			sum.WriteString("\n")
			sum.WriteString(fixAdvice(d.DCO.Fix, len(d.DCO.Failed())))
		}
		if len(d.DCO.Commits) > 0 {
			text.WriteString(commitTable(d.DCO.Commits, c, summaryRows, true))
		}
	}
	if check == policy.CheckCLA && d.CLA != nil {
		// Every identity with its basis or reason, and the fixes (§5.14).
		text.WriteString(claSummary(d.CLA, c))
	}
	out.Summary = fitRunes(sum.String(), MaxCheckRunRunes)
	out.Text = fitRunes(text.String(), MaxCheckRunRunes)
	return out
}

// fitRunes cuts s to at most n runes, saying so.
func fitRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	const note = "\n\n… (truncated to fit GitHub's check run limit)\n"
	return truncateRunes(s, n-utf8.RuneCountInString(note)) + note
}
