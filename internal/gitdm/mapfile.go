package gitdm

import (
	"io"
	"strings"
)

// MapEntry is one key of a gitdm EmailMap/DomainMap line:
//
//	[user!]domain  employer  [< yyyy-mm-dd]
//
// Key is the decoded, lower-cased address, or the domain when Domain is set.
// Until is MaxDay for an undated line. Lines of one key are not sorted in the
// real data (cncf email-map sorts them by company); the consumer sorts by
// Until and takes each range's start from the previous end.
type MapEntry struct {
	Key     string
	Domain  bool
	Company string
	Until   Day
	Line    int
}

// ReadMap reads a gitdm email-map or domain-map (cncf/gitdm, LWN, OpenStack;
// separators may be spaces or tabs, '@' may be written '!'). The key is the
// first white-space-free token, as upstream's ConfigFile.py has it; keys that
// are neither an address nor a domain (the 16 malformed keys of the 2021
// cncf email-map: "army dot liew AT gmail dot com", "@rkoutnik", bare logins,
// "(no author)!<uuid>", ...) are reported and skipped. A line listing
// several keys ("a!x.com, b!y.com Company", found in the cncf email-map,
// where upstream would store the first key with its trailing comma) yields
// one entry per key. Records counts lines, Ranges entries.
func ReadMap(r io.Reader, file string, fn func(MapEntry) error) (Stats, error) {
	var st Stats
	ls := newLines(r, file)
	for {
		b, ok := ls.content(&st)
		if !ok {
			break
		}
		e, keys, msg := parseMapLine(trimSpace(b))
		if msg != "" {
			st.problem(file, ls.n, "%s", msg)
			continue
		}
		e.Line = ls.n
		if e.Until != MaxDay {
			st.Dated++
		}
		st.Records++
		for _, k := range keys {
			e.Key, e.Domain = k.key, k.domain
			st.Ranges++
			if err := fn(e); err != nil {
				return st, err
			}
		}
	}
	return st, ls.err()
}

// wordForms are first words of an "employer" that show the key was an
// address written out in words ("erik.van.zijst at gmail Atlassian").
var wordForms = map[string]bool{"at": true, "dot": true, "[at]": true, "(at)": true, "[dot]": true, "(dot)": true}

type mapKey struct {
	key    string
	domain bool
}

func parseMapLine(line []byte) (MapEntry, []mapKey, string) {
	e := MapEntry{Until: MaxDay}
	// Keys: the first white-space-free token, and more after a trailing ','.
	var raw []string
	rest := string(line)
	for {
		i := strings.IndexAny(rest, " \t")
		if i < 0 {
			return e, nil, "expected \"key employer [< yyyy-mm-dd]\""
		}
		tok := rest[:i]
		rest = trimSpaceString(rest[i:])
		more := strings.HasSuffix(tok, ",")
		if tok = strings.TrimSuffix(tok, ","); tok != "" {
			raw = append(raw, tok)
		}
		if !more || len(raw) == 0 {
			break
		}
	}
	if j := strings.LastIndexByte(rest, '<'); j >= 0 {
		ds := trimSpaceString(rest[j+1:])
		if d, ok := parseLooseDay(ds); ok {
			e.Until = d
			rest = trimSpaceString(rest[:j])
		} else if ds != "" && ds[0] >= '0' && ds[0] <= '9' {
			return e, nil, "invalid date " + quote(ds)
		}
	}
	if rest == "" {
		return e, nil, "no employer for " + quote(strings.Join(raw, ", "))
	}
	first := rest
	if k := strings.IndexAny(rest, " \t"); k >= 0 {
		first = rest[:k]
	}
	if wordForms[strings.ToLower(first)] {
		return e, nil, "malformed key " + quote(raw[len(raw)-1]+" "+first) + ": an address written out in words"
	}
	keys := make([]mapKey, 0, len(raw))
	for _, r := range raw {
		key := DecodeEmail(r)
		if strings.IndexByte(key, '@') >= 0 {
			if _, _, ok := SplitEmail(key); !ok {
				return e, nil, "malformed key " + quote(r)
			}
			keys = append(keys, mapKey{key: key})
		} else if ValidDomain(key) {
			keys = append(keys, mapKey{key: key, domain: true})
		} else {
			return e, nil, "malformed key " + quote(r) + ": neither an address nor a domain"
		}
	}
	e.Company = rest
	return e, keys, ""
}

// parseLooseDay accepts YYYY-MM-DD and upstream's looser \d+-\d+-\d+
// (2012-7-20).
func parseLooseDay(s string) (Day, bool) {
	if d, ok := ParseDay(s); ok {
		return d, true
	}
	p := strings.Split(s, "-")
	if len(p) != 3 || len(p[0]) != 4 || len(p[1]) > 2 || len(p[2]) > 2 {
		return 0, false
	}
	y, ok1 := digits(p[0])
	m, ok2 := digits(p[1])
	d, ok3 := digits(p[2])
	if !ok1 || !ok2 || !ok3 {
		return 0, false
	}
	return FromDate(y, m, d)
}
