package render

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/contribution-policy/contribution-policy/internal/policy"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

// Marker identifies the policy comment. It is matched together with the bot's
// own login, so nobody else's comment that happens to contain it is touched.
const Marker = "<!-- contribution-policy v1 -->"

// DuplicateMarker replaces Marker in a duplicate policy comment once it has
// been retired, so later runs ignore it.
const DuplicateMarker = "<!-- contribution-policy:duplicate -->"

// GitHub's limits (github-limits.md §3). Comment bodies are capped at 65,536
// characters; we stay below with a margin for GitHub counting differently.
const (
	MaxCommentRunes = 65000
	MaxSummaryBytes = 1000 * 1024 // job summaries: 1 MiB per step
)

// Context is what rendering needs besides the decision: where links point.
type Context struct {
	// ServerURL is the GitHub web URL with a trailing slash
	// ("https://github.com/", or a GHES host). Links are built from it,
	// never from a hard-coded github.com.
	ServerURL string
	Repo      snapshot.Repository
	Number    int
}

func (c Context) commitURL(sha string) string {
	return fmt.Sprintf("%s%s/%s/pull/%d/commits/%s", c.serverURL(), c.Repo.Owner, c.Repo.Name, c.Number, sha)
}

func (c Context) serverURL() string {
	if c.ServerURL == "" {
		return "https://github.com/"
	}
	if !strings.HasSuffix(c.ServerURL, "/") {
		return c.ServerURL + "/"
	}
	return c.ServerURL
}

// Comment renders the policy comment. needed is false when there is nothing
// to say: no comment should be created, though an existing one is still
// edited to the returned body (a short all-clear) so it does not go stale.
func Comment(d *policy.Decision, c Context) (body string, needed bool) {
	var sections []string
	if d.DCO != nil && !d.DCO.Passed() {
		sections = append(sections, dcoSection(d.DCO, c, commentRows))
	}
	if claNeedsComment(d.CLA) {
		sections = append(sections, claSection(d.CLA, c, commentRows))
	}
	var b strings.Builder
	b.WriteString(Marker + "\n")
	b.WriteString("## Contribution policy\n\n")
	// First-time guidance (guidance.go) is something to say on its own: a
	// first-time corporate contributor gets the comment even when every
	// check passes.
	guidance := guidanceSection(d, c)
	if guidance != "" {
		b.WriteString(guidance)
		b.WriteString("\n---\n\n")
	}
	if len(sections) == 0 {
		b.WriteString("✅ All checks pass. Thank you!\n")
		return fitComment(b.String()), guidance != ""
	}
	for i, s := range sections {
		if i > 0 {
			b.WriteString("\n---\n\n")
		}
		b.WriteString(s)
	}
	b.WriteString("\n<sub>Comment <code>/recheck</code> to run the checks again.</sub>\n")
	return fitComment(b.String()), true
}

// fitComment keeps a body within GitHub's comment limit. Sections already
// cap their tables; this is the last guard and keeps the marker (first line).
func fitComment(s string) string {
	if utf8.RuneCountInString(s) <= MaxCommentRunes {
		return s
	}
	const note = "\n\n… (truncated: the full report is in the check details)\n"
	return truncateRunes(s, MaxCommentRunes-utf8.RuneCountInString(note)) + note
}

// icon is the emoji shown for a conclusion.
func icon(c policy.Conclusion) string {
	switch c {
	case policy.Success:
		return "✅"
	case policy.Failure:
		return "❌"
	case policy.Error:
		return "⚠️"
	case policy.Neutral, policy.Skipped:
		return "➖"
	}
	return "❔"
}

// fenced renders content as a fenced code block whose fence cannot be closed
// by the content itself.
func fenced(lang, content string) string {
	longest, run := 0, 0
	for i := 0; i < len(content); i++ {
		if content[i] == '`' {
			run++
			if run > longest {
				longest = run
			}
		} else {
			run = 0
		}
	}
	n := 3
	if longest >= n {
		n = longest + 1
	}
	fence := strings.Repeat("`", n)
	return fence + lang + "\n" + strings.TrimRight(content, "\n") + "\n" + fence + "\n"
}

func short(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}
