package gitdm

import (
	"encoding/json"
	"io"
	"strings"
)

// StackalyticsUser is one entry of default_data.json "users". Ranges come
// from "companies": end_date "2015-Jun-30" is inclusive (month ends), so
// Until is the next day; null is the current employer.
type StackalyticsUser struct {
	GitHubID    string // GitHub login, "" when absent
	LaunchpadID string
	Emails      []string
	Ranges      []Range
	Line        int
}

// StackalyticsCompany is one entry of "companies": a canonical name with its
// e-mail domains and alternative spellings. "*independent" lists the junk
// values (None, Self, Student, n/a, ...) that mean Independent.
type StackalyticsCompany struct {
	Name    string
	Domains []string
	Aliases []string
	Line    int
}

// ReadStackalytics streams Stackalytics' default_data.json and calls users
// and companies (either may be nil) for each entry; other top-level keys are
// skipped.
func ReadStackalytics(r io.Reader, file string, users func(StackalyticsUser) error, companies func(StackalyticsCompany) error) (Stats, error) {
	var st Stats
	s := newJSONStream(r, file)
	if err := s.expect('{'); err != nil {
		return st, err
	}
	for s.dec.More() {
		tok, err := s.dec.Token()
		if err != nil {
			return st, s.wrap(err)
		}
		key, _ := tok.(string)
		switch key {
		case "users":
			err = s.array(func(line int) error { return readStackUser(s, &st, line, users) })
		case "companies":
			err = s.array(func(line int) error { return readStackCompany(s, &st, line, companies) })
		default:
			var skip json.RawMessage
			err = s.wrap(s.dec.Decode(&skip))
		}
		if err != nil {
			return st, err
		}
	}
	if err := s.expect('}'); err != nil {
		return st, err
	}
	return st, s.end()
}

func readStackUser(s *jsonStream, st *Stats, line int, fn func(StackalyticsUser) error) error {
	var u struct {
		LaunchpadID string   `json:"launchpad_id"`
		GitHubID    string   `json:"github_id"`
		Emails      []string `json:"emails"`
		Companies   []struct {
			Name    string  `json:"company_name"`
			EndDate *string `json:"end_date"`
		} `json:"companies"`
	}
	if err := s.decodeElem(&u); err != nil {
		return err
	}
	st.Lines++
	out := StackalyticsUser{GitHubID: trimSpaceString(u.GitHubID), LaunchpadID: u.LaunchpadID, Line: line}
	for _, e := range u.Emails {
		if e = DecodeEmail(e); e != "" {
			out.Emails = append(out.Emails, e)
		}
	}
	for _, c := range u.Companies {
		rg := Range{Company: trimSpaceString(c.Name), From: MinDay, Until: MaxDay, Line: line}
		if rg.Company == "" {
			st.problem(s.file, line, "company without a name")
			return nil
		}
		if c.EndDate != nil && *c.EndDate != "" {
			d, ok := ParseStackalyticsDay(*c.EndDate)
			if !ok {
				st.problem(s.file, line, "invalid end_date %s (want YYYY-Mon-DD)", quote(*c.EndDate))
				return nil
			}
			rg.Until = d + 1 // inclusive end date
			st.Dated++
		}
		out.Ranges = append(out.Ranges, rg)
	}
	if len(out.Ranges) == 0 {
		return nil
	}
	st.Records++
	st.Ranges += len(out.Ranges)
	if fn == nil {
		return nil
	}
	return fn(out)
}

func readStackCompany(s *jsonStream, st *Stats, line int, fn func(StackalyticsCompany) error) error {
	var c struct {
		Name    string   `json:"company_name"`
		Domains []string `json:"domains"`
		Aliases []string `json:"aliases"`
	}
	if err := s.decodeElem(&c); err != nil {
		return err
	}
	st.Lines++
	out := StackalyticsCompany{Name: trimSpaceString(c.Name), Line: line}
	if out.Name == "" {
		st.problem(s.file, line, "company without a name")
		return nil
	}
	for _, d := range c.Domains {
		if d = strings.ToLower(trimSpaceString(d)); d != "" {
			out.Domains = append(out.Domains, d)
		}
	}
	for _, a := range c.Aliases {
		if a = trimSpaceString(a); a != "" {
			out.Aliases = append(out.Aliases, a)
		}
	}
	st.Records++
	if fn == nil {
		return nil
	}
	return fn(out)
}
