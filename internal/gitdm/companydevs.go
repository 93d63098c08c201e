package gitdm

import (
	"bytes"
	"io"
	"strings"
)

// CompanyDeveloper is one developer line of company_developers*.txt, the
// derived per-company view (§1.2):
//
//	Company:
//		login: e1!d, e2!d from 2015-02-01 until 2015-07-01, from 2020-02-01
//
// Ranges all carry Company.
type CompanyDeveloper struct {
	Company string
	Login   string
	Emails  []string
	Ranges  []Range
	Line    int
}

// ReadCompanyDevelopers reads company_developers*.txt and calls fn for every
// developer line. A company header is any non-indented, non-comment line
// ending in ':' (names may contain ':' themselves).
func ReadCompanyDevelopers(r io.Reader, file string, fn func(CompanyDeveloper) error) (Stats, error) {
	var st Stats
	company := ""
	ls := newLines(r, file)
	for {
		b, ok := ls.content(&st)
		if !ok {
			break
		}
		if !isSpace(b[0]) {
			t := trimSpace(b)
			if t[len(t)-1] != ':' || len(t) == 1 {
				st.problem(file, ls.n, "expected \"Company:\"")
				company = ""
				continue
			}
			company = string(trimSpace(t[:len(t)-1]))
			continue
		}
		if company == "" {
			st.problem(file, ls.n, "developer line outside a company")
			continue
		}
		d, msg := parseCompanyDeveloper(company, string(trimSpace(b)))
		if msg != "" {
			st.problem(file, ls.n, "%s", msg)
			continue
		}
		d.Line = ls.n
		for i := range d.Ranges {
			d.Ranges[i].Line = ls.n
			if d.Ranges[i].From != MinDay || d.Ranges[i].Until != MaxDay {
				st.Dated++
			}
		}
		st.Records++
		st.Ranges += len(d.Ranges)
		if err := fn(d); err != nil {
			return st, err
		}
	}
	if err := ls.err(); err != nil {
		return st, err
	}
	return st, nil
}

func parseCompanyDeveloper(company, s string) (CompanyDeveloper, string) {
	d := CompanyDeveloper{Company: company}
	i := strings.Index(s, ": ")
	if i < 0 {
		if strings.HasSuffix(s, ":") {
			i = len(s) - 1
		} else {
			return d, "expected \"login: emails [from D] [until D]\""
		}
	}
	d.Login = trimSpaceString(s[:i])
	if d.Login == "" || strings.ContainsAny(d.Login, " \t") {
		return d, "bad login"
	}
	rest := ""
	if i+2 <= len(s) {
		rest = s[i+2:]
	}
	// ", "-separated parts: addresses (no spaces) until the first part
	// carrying a date; that part may start with the last address.
	for _, part := range strings.Split(rest, ",") {
		part = trimSpaceString(part)
		if part == "" {
			continue
		}
		if strings.IndexAny(part, " \t") < 0 {
			if len(d.Ranges) > 0 {
				return d, "address after a date range"
			}
			d.Emails = append(d.Emails, DecodeEmail(part))
			continue
		}
		head, rg, msg := parseDatedPart(part)
		if msg != "" {
			return d, msg
		}
		if head != "" {
			if len(d.Ranges) > 0 || strings.IndexAny(head, " \t") >= 0 {
				return d, "unexpected text " + quote(head)
			}
			d.Emails = append(d.Emails, DecodeEmail(head))
		}
		rg.Company = company
		d.Ranges = append(d.Ranges, rg)
	}
	if len(d.Ranges) == 0 {
		d.Ranges = append(d.Ranges, Range{Company: company, From: MinDay, Until: MaxDay})
	}
	return d, ""
}

// parseDatedPart parses "[address ]from D until D", "[address ]from D" or
// "[address ]until D".
func parseDatedPart(part string) (head string, rg Range, msg string) {
	rg = Range{From: MinDay, Until: MaxDay}
	rest, until, hasUntil, bad := cutDate(part, "until")
	if bad != "" {
		return "", rg, bad
	}
	rest, from, hasFrom, bad := cutDate(rest, "from")
	if bad != "" {
		return "", rg, bad
	}
	if !hasFrom && !hasUntil {
		return "", rg, "unexpected text " + quote(part)
	}
	if hasFrom {
		rg.From = from
	}
	if hasUntil {
		rg.Until = until
	}
	if hasFrom && hasUntil && from >= until {
		return "", rg, "range from " + from.String() + " until " + until.String() + " is empty"
	}
	return trimSpaceString(rest), rg, ""
}

func quote(s string) string {
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return "\"" + string(bytes.ToValidUTF8([]byte(s), []byte("?"))) + "\""
}
