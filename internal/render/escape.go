// Package render turns a policy.Decision into the Markdown GitHub shows: the
// single policy comment, the Action's job summary and the App's check-run
// output. Everything user-controlled (names, emails, commit subjects) passes
// through the escapers here, so a commit message cannot inject Markdown, HTML
// or @-mentions into what the bot posts.
package render

import (
	"strings"
	"unicode/utf8"
)

// wordJoiner is an invisible character placed after "@" so quoted text cannot
// mention (and notify) anyone, while still reading as the original.
const wordJoiner = "\u2060"

// Text escapes s for use as inline Markdown text: HTML is inert, Markdown
// punctuation is literal, newlines become spaces and @-mentions are
// neutralised.
func Text(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range flatten(s) {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		// Link, emphasis, code, table, strikethrough and math syntax; "(",
		// "-" or "!" are harmless once "[" and line starts are handled.
		case '\\', '`', '*', '_', '{', '}', '[', ']', '#', '|', '~', '$':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '@':
			b.WriteString("@" + wordJoiner)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Code renders s as an inline code span. Code spans show text verbatim and
// never mention anyone; the fence is longer than any backtick run inside s,
// and pipes are escaped so the span is safe inside a table cell (GFM).
func Code(s string) string {
	s = flatten(s)
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == '`' {
			run++
			if run > longest {
				longest = run
			}
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	s = strings.ReplaceAll(s, "|", "\\|")
	pad := ""
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || s == "" {
		pad = " "
	}
	return fence + pad + s + pad + fence
}

// Quote renders s as a Markdown block quote, neutralising mentions and HTML
// but keeping line structure.
func Quote(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = "> " + Text(l)
	}
	return strings.Join(lines, "\n")
}

// flatten makes s a single line without control characters and drops
// invalid UTF-8, so escaped text cannot break out of a table row.
func flatten(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case r < 0x20 || r == 0x7f:
			return -1
		}
		return r
	}, s)
}

// truncateRunes cuts s to at most n runes on a rune boundary.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}
