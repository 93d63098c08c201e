// Package command finds the commands people give the bot in pull request
// comments ("/recheck", ...). Only text a person typed counts: quoted lines,
// HTML comments and code blocks are ignored, so quoting someone's command (or
// a bot echoing one) never triggers it.
package command

import (
	"strings"
)

// Name is a command's name, without the slash.
type Name string

// Commands.
const (
	// Recheck is "/recheck"; "/cla recheck" and a line saying just
	// "recheck" (CLA Assistant Lite's command) mean the same.
	Recheck Name = "recheck"
	// CLAAck is "/cla ack CORPORATE-ID": an employee acknowledges a
	// corporate agreement that requires it.
	CLAAck Name = "cla ack"
)

// Command is one command found in a comment.
type Command struct {
	Name Name
	Args []string
	Line int // 1-based line in the comment
}

// Parse returns the commands in a comment body, in order.
func Parse(body string) []Command {
	var out []Command
	for i, line := range PlainLines(body) {
		if line == "" {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) == 1 && strings.EqualFold(strings.TrimRight(fields[0], ".!"), "recheck") {
			out = append(out, Command{Name: Recheck, Args: []string{}, Line: i + 1})
			continue
		}
		if len(fields) == 0 || !strings.HasPrefix(fields[0], "/") {
			continue
		}
		switch name := Name(strings.ToLower(strings.TrimPrefix(fields[0], "/"))); name {
		case Recheck:
			out = append(out, Command{Name: name, Args: fields[1:], Line: i + 1})
		case "cla":
			if len(fields) < 2 {
				continue
			}
			switch strings.ToLower(fields[1]) {
			case "recheck":
				out = append(out, Command{Name: Recheck, Args: fields[2:], Line: i + 1})
			case "ack":
				out = append(out, Command{Name: CLAAck, Args: fields[2:], Line: i + 1})
			}
		}
	}
	return out
}

// PlainLines returns the comment's lines with everything that is not the
// author's own prose blanked out: HTML comments, fenced code blocks and
// quoted (">") lines become empty strings, so line numbers still match the
// original. CRLF is normalised.
func PlainLines(body string) []string {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	body = strings.ReplaceAll(body, "\r", "\n")
	body = stripHTMLComments(body)
	lines := strings.Split(body, "\n")
	fence := ""
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if fence != "" {
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
			lines[i] = ""
			continue
		}
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fence = t[:3]
			lines[i] = ""
			continue
		}
		if strings.HasPrefix(t, ">") {
			lines[i] = ""
			continue
		}
		lines[i] = t
	}
	return lines
}

// stripHTMLComments removes <!-- ... --> spans, keeping their newlines so
// line numbers are preserved. An unterminated comment hides the rest.
func stripHTMLComments(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "<!--")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		rest := s[i+4:]
		j := strings.Index(rest, "-->")
		if j < 0 {
			b.WriteString(strings.Repeat("\n", strings.Count(rest, "\n")))
			return b.String()
		}
		b.WriteString(strings.Repeat("\n", strings.Count(rest[:j], "\n")))
		s = rest[j+3:]
	}
}
