// Package trailer parses "Key: value" lines out of commit messages, and the
// Signed-off-by lines among them, the way the DCO check needs them.
//
// The rules (docs: ../shared/research/dco.md §10) are deliberately looser than
// `git interpret-trailers` about *where* a trailer may be and stricter about
// *how* it starts:
//
//   - A trailer line starts at column 0: no indentation, no `>` quoting. An
//     indented or quoted line is an example or a quotation, not a statement by
//     the committer; ScanSignOffs reports it as a hint instead.
//   - It may be anywhere in the message, the subject line included, like
//     dcoapp and dco2. Git only reads the last paragraph, and KineticCafe's
//     action, which copies that, fails commits whose sign-off sits above a
//     `Change-Id` paragraph or a cherry-pick note.
//   - Fenced code blocks (```) are not special. Git has no notion of Markdown;
//     an unclosed fence in a subject would otherwise swallow the real
//     trailers, and a fenced example can only pass a commit if it names that
//     commit's own author or committer.
//   - The key is ASCII letters, digits and '-', starting with a letter, and
//     is followed at once by ':' (no space before the colon, unlike git; such
//     a line is reported as a hint). Case is ignored. Any amount of blank
//     space may follow the colon; the value is trimmed.
//   - CRLF and lone CR end a line like LF does. Folded continuation lines are
//     not joined: no DCO checker does, and a sign-off never needs it.
//
// Everything here runs in time linear in the message: one pass over the
// bytes, no regular expressions, fixed-size work per line for the hints.
package trailer

import (
	"iter"
	"strings"
)

// Well-known keys.
const (
	SignedOffBy  = "Signed-off-by"
	CoAuthoredBy = "Co-authored-by"
)

// Trailer is one "Key: value" line of a commit message.
type Trailer struct {
	Key   string `json:"key"`   // as written, e.g. "signed-off-by"
	Value string `json:"value"` // trimmed of surrounding white space
	Line  int    `json:"line"`  // 1-based line number in the message
}

// Parse returns every trailer-shaped line of the message, in order. Callers
// pick the keys they want with strings.EqualFold, or use Values.
func Parse(message string) []Trailer {
	var out []Trailer
	eachLine(message, func(n int, line string) {
		if t, ok := parseLine(line); ok {
			t.Line = n
			out = append(out, t)
		}
	})
	return out
}

// Values returns the trailers whose key equals key, ignoring ASCII case.
func Values(message, key string) []Trailer {
	var out []Trailer
	eachLine(message, func(n int, line string) {
		if len(line) <= len(key) || line[len(key)] != ':' || !equalFoldASCII(line[:len(key)], key) {
			return
		}
		if t, ok := parseLine(line); ok {
			t.Line = n
			out = append(out, t)
		}
	})
	return out
}

// parseLine recognises `Key: value` at the start of one line.
func parseLine(line string) (Trailer, bool) {
	if line == "" || !isLetter(line[0]) {
		return Trailer{}, false
	}
	i := 1
	for i < len(line) && (isLetter(line[i]) || isDigit(line[i]) || line[i] == '-') {
		i++
	}
	if i >= len(line) || line[i] != ':' {
		return Trailer{}, false
	}
	rest := line[i+1:]
	// git: "lines starting with // after the colon are not trailers" — this is
	// what keeps "https://example.org" from being a trailer with key "https".
	if strings.HasPrefix(rest, "//") {
		return Trailer{}, false
	}
	return Trailer{Key: line[:i], Value: strings.TrimSpace(rest)}, true
}

// Lines yields every line of s with its 1-based number. LF, CRLF and a lone
// CR each end a line (old Mac editors and some web forms still send CR); the
// terminator is not part of the line. It hops with strings.IndexByte, which
// is vectorised, since every commit message of a pull request passes here.
func Lines(s string) iter.Seq2[int, string] {
	return func(yield func(int, string) bool) {
		// nl and cr are the next '\n' and '\r' at or after start (len(s) when
		// none); each is searched for again only once passed, so text full of
		// lone CRs is still read once.
		start, n := 0, 1
		nl, cr := -1, -1
		for start < len(s) {
			if nl < start {
				nl = indexFrom(s, start, '\n')
			}
			if cr < start {
				cr = indexFrom(s, start, '\r')
			}
			end, next := nl, nl+1
			if cr < nl {
				end, next = cr, cr+1
				if cr+1 == nl {
					next = nl + 1
				}
			}
			if !yield(n, s[start:end]) {
				return
			}
			start = next
			n++
		}
	}
}

// indexFrom is the index of the first c in s at or after i, or len(s).
func indexFrom(s string, i int, c byte) int {
	if j := strings.IndexByte(s[i:], c); j >= 0 {
		return i + j
	}
	return len(s)
}

func eachLine(s string, fn func(n int, line string)) {
	for n, line := range Lines(s) {
		fn(n, line)
	}
}

func isLetter(b byte) bool { return 'a' <= b|0x20 && b|0x20 <= 'z' }
func isDigit(b byte) bool  { return '0' <= b && b <= '9' }
func isBlank(b byte) bool  { return b == ' ' || b == '\t' }

// TrimRightSpace removes trailing ASCII white space (space, tab, CR, VT, FF).
// It is cheaper than strings.TrimRight with a cutset, which builds a table
// on every call.
func TrimRightSpace(s string) string {
	i := len(s)
	for i > 0 {
		switch s[i-1] {
		case ' ', '\t', '\r', '\v', '\f':
			i--
			continue
		}
		break
	}
	return s[:i]
}

// trimLeftBlank removes leading spaces and tabs.
func trimLeftBlank(s string) string {
	i := 0
	for i < len(s) && isBlank(s[i]) {
		i++
	}
	return s[i:]
}

func lowerASCII(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

// equalFoldASCII compares byte by byte, folding only ASCII letters. Unlike
// strings.EqualFold it never treats non-ASCII runes (the Kelvin sign, long s)
// as equal to ASCII letters, so a key is exactly the bytes people type.
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

// HasPrefixFold reports whether s starts with prefix, ignoring ASCII case.
func HasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && equalFoldASCII(s[:len(prefix)], prefix)
}

// HasSuffixFold reports whether s ends with suffix, ignoring ASCII case.
func HasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && equalFoldASCII(s[len(s)-len(suffix):], suffix)
}
