// Package gitdm reads the affiliation data sets of the gitdm family and its
// relatives: cncf/gitdm developers_affiliations*.txt and
// company_developers*.txt, the gitdm machine maps (email-map, domain-map,
// aliases, company-names-mapping, gitdm.config and GroupMap files), devstats'
// companies.yaml and github_users.json, Stackalytics' default_data.json and
// LF SortingHat profiles*.yaml.
//
// Every reader streams its input (one record at a time through a callback,
// except the small YAML files), runs in time linear in the input, and never
// panics. Malformed lines are skipped and reported as Problems carrying
// file:line; only I/O errors, over-long lines and errors returned by the
// callback stop a read. Known hazards of the real data are not problems:
// company names with ':', ' from ' or non-ASCII characters, trailing spaces,
// unsorted ranges, '!' for '@' in addresses.
//
// Dates become Days (UTC calendar days). Every range is half-open
// [From, Until); MinDay and MaxDay mark open ends. The gitdm conventions are
// applied here: "Company until D" ends at D, a missing start is the previous
// range's end (applied by the consumer after sorting, see package
// affiliation), the devstats and SortingHat sentinels 1900-01-01 and
// 2100-01-01 are open ends, and Stackalytics' inclusive end_date becomes the
// next day.
//
// The package is pure: no network, environment or clock.
package gitdm

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Range is one employer over [From, Until). From is MinDay when the source
// gives no start (the consumer may then take the previous range's end), Until
// is MaxDay when the range is still current.
type Range struct {
	Company string
	From    Day
	Until   Day
	Line    int // source line (0 when the format has none)
}

// Problem is a malformed line that was skipped.
type Problem struct {
	File string
	Line int
	Msg  string
}

func (p Problem) Error() string {
	if p.Line == 0 {
		return fmt.Sprintf("%s: %s", p.File, p.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
}

// MaxProblems is how many Problems Stats keeps; ProblemCount counts them all.
const MaxProblems = 100

// Stats summarises one read.
type Stats struct {
	Lines        int // lines read (records for JSON inputs)
	Records      int // records passed to the callback
	Ranges       int // employer ranges (or map entries) in those records
	Dated        int // of which carry a date
	Problems     []Problem
	ProblemCount int
}

func (s *Stats) problem(file string, line int, format string, args ...any) {
	s.ProblemCount++
	if len(s.Problems) < MaxProblems {
		s.Problems = append(s.Problems, Problem{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
}

// Err joins the kept problems into one error (nil when there were none).
func (s *Stats) Err() error {
	if s.ProblemCount == 0 {
		return nil
	}
	errs := make([]error, 0, len(s.Problems)+1)
	for _, p := range s.Problems {
		errs = append(errs, p)
	}
	if more := s.ProblemCount - len(s.Problems); more > 0 {
		errs = append(errs, fmt.Errorf("... and %d more", more))
	}
	return errors.Join(errs...)
}

// MaxLine is the longest line a line-based reader accepts.
const MaxLine = 1 << 20

// lines iterates over the lines of r without their line ending (LF, CRLF) and
// with a leading UTF-8 byte order mark removed. The slice is valid until the
// next call.
type lines struct {
	sc   *bufio.Scanner
	file string
	n    int
}

func newLines(r io.Reader, file string) *lines {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), MaxLine)
	return &lines{sc: sc, file: file}
}

func (l *lines) next() ([]byte, bool) {
	if !l.sc.Scan() {
		return nil, false
	}
	l.n++
	b := l.sc.Bytes()
	if l.n == 1 {
		b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	}
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return b, true
}

// content returns the next line that is not blank or a comment, counting
// every line read in st.Lines.
func (l *lines) content(st *Stats) ([]byte, bool) {
	for {
		b, ok := l.next()
		if !ok {
			return nil, false
		}
		st.Lines++
		if !isComment(b) {
			return b, true
		}
	}
}

func (l *lines) err() error {
	if err := l.sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return fmt.Errorf("%s:%d: line longer than %d bytes", l.file, l.n+1, MaxLine)
		}
		return fmt.Errorf("read %s: %w", l.file, err)
	}
	return nil
}

// isSpace reports ASCII white space (the formats use spaces and tabs).
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == '\n'
}

func trimSpace(b []byte) []byte {
	i, j := 0, len(b)
	for i < j && isSpace(b[i]) {
		i++
	}
	for j > i && isSpace(b[j-1]) {
		j--
	}
	return b[i:j]
}

// fields splits s on runs of ASCII white space (isSpace).
func fields(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r < utf8.RuneSelf && isSpace(byte(r)) })
}

func trimSpaceString(s string) string {
	i, j := 0, len(s)
	for i < j && isSpace(s[i]) {
		i++
	}
	for j > i && isSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

// isComment reports a '#' comment or a blank line.
func isComment(b []byte) bool {
	t := trimSpace(b)
	return len(t) == 0 || t[0] == '#'
}
