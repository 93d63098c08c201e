package command

import (
	"strings"
	"unicode"
)

// Signing is a sign phrase found in a comment.
type Signing struct {
	Line int // 1-based line in the comment
	// Version is the version the line names when the phrase has a
	// {version} or {major} placeholder ("" otherwise), without a leading v.
	Version string
}

// FindSignature reports whether a line of the comment is the sign phrase
// (cla.md §6.9 step 1). Every line the author typed counts (quoted lines,
// HTML comments and code blocks do not); a line matches when it equals the
// phrase once both are normalised by NormalizePhrase: case, Markdown
// emphasis, quotes, surrounding punctuation and spacing are ignored, so
// "I have read the CLA Document and I hereby sign the CLA." on its own line,
// in bold, or after a greeting line all sign, and a CRLF does not matter. A
// phrase with a {version} or {major} placeholder matches a line naming one
// version there ("v2.1" or "2.1"), which is returned for the caller to
// check. Text around the phrase on the same line does not sign: a sentence
// that merely mentions the phrase must not bind anyone.
func FindSignature(body, phrase string) (Signing, bool) {
	before, after, placeholder := splitPlaceholder(phrase)
	if before == "" && after == "" {
		return Signing{}, false
	}
	for i, line := range PlainLines(body) {
		if line == "" {
			continue
		}
		n := NormalizePhrase(line)
		if !placeholder {
			if n == before {
				return Signing{Line: i + 1}, true
			}
			continue
		}
		if len(n) <= len(before)+len(after) || !strings.HasPrefix(n, before) || !strings.HasSuffix(n, after) {
			continue
		}
		v := n[len(before) : len(n)-len(after)]
		if v == "" || strings.IndexFunc(v, unicode.IsSpace) >= 0 {
			continue
		}
		return Signing{Line: i + 1, Version: strings.TrimPrefix(v, "v")}, true
	}
	return Signing{}, false
}

// splitPlaceholder normalises the phrase and splits it at its placeholder.
func splitPlaceholder(phrase string) (before, after string, ok bool) {
	const mark = "\x00"
	p := strings.NewReplacer("{version}", mark, "{major}", mark).Replace(phrase)
	n := NormalizePhrase(p)
	before, after, ok = strings.Cut(n, mark)
	return before, after, ok
}

// NormalizePhrase is how sign phrases and comment lines are compared: case
// folded, Markdown emphasis and quotes removed, surrounding punctuation
// dropped, white space collapsed. The configuration check uses it too, so a
// valid phrase is one a comment can match.
func NormalizePhrase(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '*', '_', '~', '`', '"', '\'', '“', '”', '‘', '’':
			return -1
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	s = strings.Trim(s, ".!,;: ")
	return strings.ToLower(s)
}
