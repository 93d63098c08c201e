package command

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// AffiliationCmd is "/affiliation <Company>" or "/affiliation none": the
// pull request's author (or a maintainer) says who the author works for, or
// that no affiliation should be shown. Whoever may give it is the caller's
// decision.
type AffiliationCmd struct {
	Company string // the declared company; empty with None
	None    bool
	Line    int // 1-based line in the comment
}

// MaxAffiliationCompany is the longest company name accepted, in characters.
const MaxAffiliationCompany = 100

// ParseAffiliation finds the /affiliation command of a comment (the last
// one, if the author changed their mind within it). Only lines the author
// typed count (see PlainLines); surrounding quotes or backticks around the
// company are dropped; an empty, over-long or control-character name is no
// command.
func ParseAffiliation(body string) (AffiliationCmd, bool) {
	var out AffiliationCmd
	found := false
	for i, line := range PlainLines(body) {
		fields := strings.Fields(line)
		if len(fields) < 2 || !strings.EqualFold(fields[0], "/affiliation") {
			continue
		}
		rest := strings.TrimSpace(line[len(fields[0]):])
		rest = strings.Trim(rest, "`\"'“”‘’ ")
		rest = strings.Join(strings.Fields(rest), " ")
		if rest == "" || utf8.RuneCountInString(rest) > MaxAffiliationCompany || strings.IndexFunc(rest, unicode.IsControl) >= 0 {
			continue
		}
		c := AffiliationCmd{Company: rest, Line: i + 1}
		if strings.EqualFold(rest, "none") {
			c = AffiliationCmd{None: true, Line: i + 1}
		}
		out, found = c, true
	}
	return out, found
}
