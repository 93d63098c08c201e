package gitdm

import (
	"bytes"
	"io"
	"strings"
)

// Alias is one EmailAliases line: "alias@addr canonical@addr" (addresses
// decoded and lower-cased), or `"Name" canonical@addr` with Name set (name
// aliases: kept for completeness, never trusted for identity).
type Alias struct {
	From string
	To   string
	Name bool
	Line int
}

// ReadAliases reads a gitdm EmailAliases file (cncf, LWN, OpenStack).
func ReadAliases(r io.Reader, file string, fn func(Alias) error) (Stats, error) {
	var st Stats
	ls := newLines(r, file)
	for {
		b, ok := ls.content(&st)
		if !ok {
			break
		}
		line := trimSpace(b)
		var a Alias
		var rest []byte
		if line[0] == '"' {
			end := bytes.IndexByte(line[1:], '"')
			if end < 0 {
				st.problem(file, ls.n, "unterminated quoted name")
				continue
			}
			a.From, a.Name = string(trimSpace(line[1:1+end])), true
			rest = trimSpace(line[2+end:])
			if a.From == "" {
				st.problem(file, ls.n, "empty quoted name")
				continue
			}
		} else {
			i := bytes.IndexAny(line, " \t")
			if i < 0 {
				st.problem(file, ls.n, "expected \"alias canonical\"")
				continue
			}
			a.From = DecodeEmail(string(line[:i]))
			rest = trimSpace(line[i:])
		}
		if len(rest) == 0 || bytes.IndexAny(rest, " \t") >= 0 {
			st.problem(file, ls.n, "expected one canonical address after the alias")
			continue
		}
		a.To = DecodeEmail(string(rest))
		if !a.Name {
			if _, _, ok := SplitEmail(a.From); !ok {
				st.problem(file, ls.n, "malformed alias %s", quote(a.From))
				continue
			}
		}
		if _, _, ok := SplitEmail(a.To); !ok {
			st.problem(file, ls.n, "malformed address %s", quote(a.To))
			continue
		}
		a.Line = ls.n
		st.Records++
		if err := fn(a); err != nil {
			return st, err
		}
	}
	return st, ls.err()
}

// CompanyName is one company-names-mapping line: "raw -> canonical".
type CompanyName struct {
	Raw       string
	Canonical string
	Line      int
}

// ReadCompanyNames reads cncf/gitdm src/company-names-mapping (§1.8). The
// line is split on the first " -> ".
func ReadCompanyNames(r io.Reader, file string, fn func(CompanyName) error) (Stats, error) {
	var st Stats
	ls := newLines(r, file)
	for {
		b, ok := ls.content(&st)
		if !ok {
			break
		}
		line := string(trimSpace(b))
		raw, canon, found := strings.Cut(line, " -> ")
		raw, canon = trimSpaceString(raw), trimSpaceString(canon)
		if !found || raw == "" || canon == "" {
			st.problem(file, ls.n, "expected \"raw -> canonical\"")
			continue
		}
		st.Records++
		if err := fn(CompanyName{Raw: raw, Canonical: canon, Line: ls.n}); err != nil {
			return st, err
		}
	}
	return st, ls.err()
}

// ReadGroup reads a GroupMap file: one address per line, all mapped to the
// employer named in gitdm.config.
func ReadGroup(r io.Reader, file string, fn func(email string, line int) error) (Stats, error) {
	var st Stats
	ls := newLines(r, file)
	for {
		b, ok := ls.content(&st)
		if !ok {
			break
		}
		e := DecodeEmail(string(trimSpace(b)))
		if _, _, ok := SplitEmail(e); !ok {
			st.problem(file, ls.n, "malformed address %s", quote(e))
			continue
		}
		st.Records++
		if err := fn(e, ls.n); err != nil {
			return st, err
		}
	}
	return st, ls.err()
}

// Directive is one gitdm.config line: "EmailMap file", "GroupMap file
// Employer Name", ...
type Directive struct {
	Name string
	Args []string // for GroupMap: the file, then the employer (spaces kept)
	Line int
}

// ReadConfig reads a classic gitdm.config (§1.5). Directives it does not
// know are returned as they are; the consumer picks what it needs.
func ReadConfig(r io.Reader, file string, fn func(Directive) error) (Stats, error) {
	var st Stats
	ls := newLines(r, file)
	for {
		b, ok := ls.content(&st)
		if !ok {
			break
		}
		// ASCII white space, like every other gitdm reader here: a line of
		// U+2000 is not blank to content(), so strings.Fields would give
		// no fields (found by fuzzing).
		f := fields(string(b))
		d := Directive{Name: f[0], Line: ls.n}
		switch d.Name {
		case "GroupMap", "VirtualEmployer":
			if len(f) < 2 {
				st.problem(file, ls.n, "%s needs arguments", d.Name)
				continue
			}
			d.Args = []string{f[1]}
			if len(f) > 2 {
				d.Args = append(d.Args, strings.Join(f[2:], " "))
			}
		default:
			d.Args = f[1:]
		}
		st.Records++
		if err := fn(d); err != nil {
			return st, err
		}
	}
	return st, ls.err()
}
