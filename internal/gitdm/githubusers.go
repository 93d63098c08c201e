package gitdm

import (
	"io"
	"strings"
)

// GitHubUser is one record of devstats' github_users.json: one (login,
// e-mail) pair with its affiliation string "C1 < D1, C2 < D2, C3" parsed into
// Ranges (Until from the "< D"; From left open, the previous range's end
// applies). Personal fields (name, sex, age, country, ...) are not kept.
type GitHubUser struct {
	Login       string
	Email       string // decoded, lower-cased; "" when absent
	Affiliation string // as in the file
	Source      string // "user", "user_manual", "manual", "config", "", "domain", "notfound"
	Ranges      []Range
	Line        int
}

// SourcePriority is devstats' import priority of a github_users.json source
// (cncf/devstatscode import_affs.go): user 40 > user_manual 30 > manual 20 >
// config 10 > "" 0 > domain -10 > notfound -20; unknown sources count as "".
func SourcePriority(source string) int {
	switch source {
	case "user":
		return 40
	case "user_manual":
		return 30
	case "manual":
		return 20
	case "config":
		return 10
	case "domain":
		return -10
	case "notfound":
		return -20
	}
	return 0
}

// ReadGitHubUsers streams devstats' github_users.json (a JSON array, 84 MB
// upstream) and calls fn for every record that has a login and a non-empty
// affiliation.
func ReadGitHubUsers(r io.Reader, file string, fn func(GitHubUser) error) (Stats, error) {
	var st Stats
	s := newJSONStream(r, file)
	var rec struct {
		Login       *string `json:"login"`
		Email       *string `json:"email"`
		Affiliation *string `json:"affiliation"`
		Source      *string `json:"source"`
	}
	err := s.array(func(line int) error {
		rec.Login, rec.Email, rec.Affiliation, rec.Source = nil, nil, nil, nil
		if err := s.decodeElem(&rec); err != nil {
			return err
		}
		st.Lines++
		if rec.Login == nil || trimSpaceString(*rec.Login) == "" {
			st.problem(file, line, "record without a login")
			return nil
		}
		if rec.Affiliation == nil || trimSpaceString(*rec.Affiliation) == "" {
			return nil // devstats ignores empty affiliations
		}
		u := GitHubUser{Login: trimSpaceString(*rec.Login), Affiliation: *rec.Affiliation, Line: line}
		if rec.Email != nil {
			u.Email = DecodeEmail(*rec.Email)
		}
		if rec.Source != nil {
			u.Source = *rec.Source
		}
		rs, msg := ParseAffiliations(u.Affiliation)
		if msg != "" {
			st.problem(file, line, "login %s: %s", quote(u.Login), msg)
			return nil
		}
		if len(rs) == 0 {
			return nil
		}
		for i := range rs {
			rs[i].Line = line
			if rs[i].Until != MaxDay {
				st.Dated++
			}
		}
		u.Ranges = rs
		st.Records++
		st.Ranges += len(rs)
		return fn(u)
	})
	if err != nil {
		return st, err
	}
	return st, s.end()
}

// ParseAffiliations parses the machine form "C1 < D1, C2 < D2, C3" that
// devstats and cncf/gitdm's update_from_pr_diff.rb use: parts split on ',',
// each "company [< yyyy-mm-dd]". The message is empty on success.
func ParseAffiliations(s string) ([]Range, string) {
	parts := strings.Split(s, ",")
	out := make([]Range, 0, len(parts))
	seen := 0
	for _, p := range parts {
		p = trimSpaceString(p)
		if p == "" {
			continue
		}
		seen++
		rg := Range{From: MinDay, Until: MaxDay}
		if j := strings.LastIndexByte(p, '<'); j >= 0 {
			ds := trimSpaceString(p[j+1:])
			d, ok := parseLooseDay(ds)
			if !ok {
				return nil, "invalid date " + quote(ds)
			}
			rg.Until = openEnd(d)
			p = trimSpaceString(p[:j])
		}
		if p == "" {
			return nil, "empty company"
		}
		rg.Company = p
		if rg.Until <= SentinelStart {
			continue // devstats starts the first range at 1900-01-01: this one is empty
		}
		out = append(out, rg)
	}
	if seen == 0 {
		return nil, "no company"
	}
	return out, "" // may be empty: every range ended by 1900-01-01
}
