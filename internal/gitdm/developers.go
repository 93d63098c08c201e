package gitdm

import (
	"bytes"
	"io"
	"strings"
)

// Developer is one login block of developers_affiliations*.txt:
//
//	login: email1!domain, email2!domain
//		Company A until 2019-01-01
//		Company B from 2019-01-01
//
// Emails are decoded and lower-cased. Ranges keep the file's order; From is
// MinDay when the line has no "from" date.
type Developer struct {
	Login    string
	Emails   []string
	Ranges   []Range
	Line     int  // line of the login line
	Conflict bool // the login carried gitdm's '*' "conflicting affiliations" marker
}

// ReadDevelopers reads cncf/gitdm developers_affiliations*.txt (§1.2) and
// calls fn for every login block. The same login may come in several blocks;
// each is reported as it is.
func ReadDevelopers(r io.Reader, file string, fn func(Developer) error) (Stats, error) {
	var st Stats
	var cur *Developer
	skipping := false // inside a block whose login line was malformed
	flush := func() error {
		if cur == nil {
			return nil
		}
		d := *cur
		cur = nil
		if len(d.Ranges) == 0 {
			st.problem(file, d.Line, "login %q has no employer lines", d.Login)
			return nil
		}
		st.Records++
		st.Ranges += len(d.Ranges)
		return fn(d)
	}
	ls := newLines(r, file)
	for {
		b, ok := ls.content(&st)
		if !ok {
			break
		}
		if isSpace(b[0]) {
			if cur == nil {
				if !skipping {
					st.problem(file, ls.n, "employer line outside a login block")
				}
				continue
			}
			rg, msg := parseEmployer(string(trimSpace(b)))
			if msg != "" {
				st.problem(file, ls.n, "%s", msg)
				continue
			}
			rg.Line = ls.n
			if rg.Until != MaxDay || rg.From != MinDay {
				st.Dated++
			}
			cur.Ranges = append(cur.Ranges, rg)
			continue
		}
		if err := flush(); err != nil {
			return st, err
		}
		d, msg := parseLoginLine(b)
		if msg != "" {
			st.problem(file, ls.n, "%s", msg)
			skipping = true
			continue
		}
		skipping = false
		d.Line = ls.n
		cur = &d
	}
	if err := ls.err(); err != nil {
		return st, err
	}
	return st, flush()
}

// parseLoginLine splits "login: e1, e2" on the first ": " (logins never hold
// one; company names are not on this line).
func parseLoginLine(b []byte) (Developer, string) {
	line := trimSpace(b)
	var login, rest []byte
	if i := bytes.Index(line, []byte(": ")); i >= 0 {
		login, rest = line[:i], line[i+2:]
	} else if n := len(line); n > 0 && line[n-1] == ':' {
		login = line[:n-1]
	} else {
		return Developer{}, "expected \"login: emails\""
	}
	login = trimSpace(login)
	var d Developer
	if n := len(login); n > 0 && login[n-1] == '*' {
		d.Conflict = true
		login = trimSpace(login[:n-1])
	}
	if len(login) == 0 {
		return Developer{}, "empty login"
	}
	if bytes.IndexAny(login, " \t") >= 0 {
		return Developer{}, "login contains white space"
	}
	d.Login = string(login)
	d.Emails = splitEmails(rest)
	return d, ""
}

// splitEmails splits a ", "-separated list of (obfuscated) addresses.
func splitEmails(b []byte) []string {
	if len(trimSpace(b)) == 0 {
		return nil
	}
	out := make([]string, 0, bytes.Count(b, []byte(","))+1)
	for len(b) > 0 {
		var tok []byte
		if i := bytes.IndexByte(b, ','); i >= 0 {
			tok, b = b[:i], b[i+1:]
		} else {
			tok, b = b, nil
		}
		if tok = trimSpace(tok); len(tok) > 0 {
			out = append(out, decodeEmailBytes(tok))
		}
	}
	return out
}

// parseEmployer parses "Company[ from D][ until D]" with both dates
// anchored at the end, so company names containing " from " or ":" survive
// (affiliation.md §1.2: ^(.*?)(?: from (D))?(?: until (D))?$).
func parseEmployer(s string) (Range, string) {
	rg := Range{From: MinDay, Until: MaxDay}
	company, until, hasUntil, bad := cutDate(s, "until")
	if bad != "" {
		return rg, bad
	}
	company, from, hasFrom, bad := cutDate(company, "from")
	if bad != "" {
		return rg, bad
	}
	if hasUntil {
		rg.Until = until
	}
	if hasFrom {
		rg.From = from
	}
	if hasFrom && hasUntil && from >= until {
		return rg, "range from " + from.String() + " until " + until.String() + " is empty"
	}
	company = trimSpaceString(company)
	if company == "" {
		return rg, "empty company"
	}
	if i := danglingDate(company); i != "" {
		return rg, "malformed date after " + i
	}
	rg.Company = company
	return rg, ""
}

// cutDate removes "<word> YYYY-MM-DD" from the end of s, where word is
// "from" or "until" and stands at the start of s or after white space.
func cutDate(s, word string) (rest string, d Day, ok bool, bad string) {
	s = trimSpaceString(s)
	n := len(s)
	w := n - 11 - len(word) // where word starts
	if w < 0 || s[n-11] != ' ' || s[w:n-11] != word || (w > 0 && !isSpace(s[w-1])) {
		return s, 0, false, ""
	}
	d, ok = ParseDay(s[n-10:])
	if !ok {
		if looksLikeDate(s[n-10:]) {
			return s, 0, false, "invalid date " + s[n-10:]
		}
		return s, 0, false, ""
	}
	return s[:w], d, true, ""
}

func looksLikeDate(s string) bool {
	return len(s) == 10 && s[4] == '-' && s[7] == '-' && s[0] >= '0' && s[0] <= '9'
}

// danglingDate finds " until <digit>" or " from <digit>" left inside a
// company name: a date the anchored grammar could not read.
func danglingDate(s string) string {
	for _, w := range [...]string{" until ", " from "} {
		for i := 0; ; {
			j := strings.Index(s[i:], w)
			if j < 0 {
				break
			}
			k := i + j + len(w)
			if k < len(s) && s[k] >= '0' && s[k] <= '9' {
				return strings.TrimSpace(w)
			}
			i = i + j + 1
		}
	}
	return ""
}
