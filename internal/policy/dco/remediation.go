package dco

import (
	"strings"

	"github.com/contribution-policy/contribution-policy/internal/trailer"
)

// Remediation commits (dco.md §3, dcoapp ≥ 2022 and dco2): a later commit in
// the pull request may sign off an earlier one with a line
//
//	I, Name <email>, hereby add my Signed-off-by to this commit: <40-hex SHA>
//	On behalf of Name <email>, I, Name <email>, hereby add my Signed-off-by to this commit: <SHA>
//
// The phrase is matched ignoring ASCII case, with any run of blanks between
// words, trailing blanks and a CR tolerated: both anchors fail on a trailing
// space after the SHA, and dco2 fails on CRLF, which is how people paste from
// Windows. Only the full 40-hex SHA counts; a short one is reported as a hint.

// Declaration is one remediation line.
type Declaration struct {
	Line int
	// Signer is the "I, Name <email>" identity: the person who signs off.
	Signer trailer.Person
	// OnBehalfOf is the original contributor in a third-party line; zero for
	// an individual one.
	OnBehalfOf trailer.Person
	ThirdParty bool
	// SHA is the hex written after "this commit:", lower-cased. Lines with 7
	// to 39 hex digits are returned too, so that a short SHA can be explained;
	// only 40 digits count.
	SHA string
}

// phrase is the fixed part between the declared identity and the SHA, word
// by word from the end, each word preceded by blank space.
var phrase = [...]string{"commit:", "this", "to", "signed-off-by", "my", "add", "hereby"}

// ParseRemediations returns the remediation lines of a commit message.
func ParseRemediations(message string) []Declaration {
	var out []Declaration
	for n, line := range trailer.Lines(message) {
		if d, ok := parseDeclaration(line); ok {
			d.Line = n
			out = append(out, d)
		}
	}
	return out
}

func parseDeclaration(line string) (Declaration, bool) {
	thirdParty := trailer.HasPrefixFold(line, "on behalf of")
	if !thirdParty && !trailer.HasPrefixFold(line, "i,") {
		return Declaration{}, false // the cheap test that rejects almost every line
	}
	l := trimRightBlank(line)
	i := len(l) - 1
	for i >= 0 && !isBlank(l[i]) {
		i--
	}
	if i < 0 {
		return Declaration{}, false
	}
	sha := l[i+1:]
	if len(sha) < 7 || len(sha) > 40 || !isHex(sha) {
		return Declaration{}, false
	}
	rest := l[:i+1]
	for _, w := range phrase {
		rest = trimRightBlank(rest)
		if !trailer.HasSuffixFold(rest, w) {
			return Declaration{}, false
		}
		rest = rest[:len(rest)-len(w)]
		if rest == "" || !isBlank(rest[len(rest)-1]) {
			return Declaration{}, false
		}
	}
	rest = trimRightBlank(rest)
	if !strings.HasSuffix(rest, ",") {
		return Declaration{}, false
	}
	rest = rest[:len(rest)-1]
	// Re-check the opening: the comma just removed may have been its own.
	if thirdParty && !trailer.HasPrefixFold(rest, "on behalf of") || !thirdParty && !trailer.HasPrefixFold(rest, "i,") {
		return Declaration{}, false
	}
	d := Declaration{SHA: strings.ToLower(sha), ThirdParty: thirdParty}
	if thirdParty {
		body := rest[len("on behalf of"):]
		if body == "" || !isBlank(body[0]) {
			return Declaration{}, false
		}
		left, right, ok := splitOnBehalf(body)
		if !ok {
			return Declaration{}, false
		}
		var p1, p2 trailer.Problem
		d.OnBehalfOf, p1 = trailer.ParsePerson(left)
		d.Signer, p2 = trailer.ParsePerson(right)
		if p1 != trailer.OK || p2 != trailer.OK {
			return Declaration{}, false
		}
		return d, true
	}
	body := rest[len("i,"):]
	var p trailer.Problem
	if d.Signer, p = trailer.ParsePerson(body); p != trailer.OK {
		return Declaration{}, false
	}
	return d, true
}

// splitOnBehalf splits "Orig <o@x>, I, Rep <r@y>" after the first '>' that is
// followed by ", I, ". Each '>' is tried once and the blank runs between
// them do not overlap, so this is linear.
func splitOnBehalf(s string) (left, right string, ok bool) {
	for i := 0; i < len(s); i++ {
		if s[i] != '>' {
			continue
		}
		j := skipBlank(s, i+1)
		if j >= len(s) || s[j] != ',' {
			continue
		}
		j = skipBlank(s, j+1)
		if !trailer.HasPrefixFold(s[j:], "i,") {
			continue
		}
		j += 2
		if j >= len(s) || !isBlank(s[j]) {
			continue
		}
		return s[:i+1], s[j:], true
	}
	return "", "", false
}

func skipBlank(s string, i int) int {
	for i < len(s) && isBlank(s[i]) {
		i++
	}
	return i
}

func trimRightBlank(s string) string { return trailer.TrimRightSpace(s) }

func isBlank(b byte) bool { return b == ' ' || b == '\t' }

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		b := s[i] | 0x20
		if !('0' <= s[i] && s[i] <= '9' || 'a' <= b && b <= 'f') {
			return false
		}
	}
	return true
}

// edge is an acceptable remediation of target by the commit holding decl.
type edge struct {
	target int
	decl   Declaration
}

// remediate applies the remediation lines of every commit: a failing commit
// passes when a commit that itself passes (signed off, or remediated in turn:
// chains are allowed, in any order) declares a sign-off for it with an
// identity allowed to give one. Cycles of unsigned commits vouching for each
// other stay failing: only commits reachable from a real sign-off count.
func (e *evaluation) remediate() {
	individual := e.cfg.AllowRemediationCommits.Individual
	thirdParty := individual && e.cfg.AllowRemediationCommits.ThirdParty
	edges := make(map[int][]edge)
	for r := range e.st {
		rs := &e.st[r]
		if rs.c.IsMerge() {
			continue
		}
		for _, d := range ParseRemediations(rs.c.Message) {
			t, ok := e.bySHA[d.SHA]
			if !ok {
				if len(d.SHA) < 40 {
					e.shortSHA(r, d)
				}
				continue
			}
			if t == r || !e.st[t].remediable {
				continue
			}
			ts := &e.st[t]
			who := identOfPerson(d.Signer)
			switch {
			case !individual:
				ts.reject(rs, d, "remediation commits are not enabled in this repository (allowRemediationCommits.individual)")
			case d.ThirdParty && !thirdParty:
				ts.reject(rs, d, "third-party remediation is not enabled in this repository (allowRemediationCommits.thirdParty)")
			case d.ThirdParty && !e.m.matchEither(identOfPerson(d.OnBehalfOf), ts.author, ts.committer):
				ts.reject(rs, d, quote(d.OnBehalfOf.String())+" is neither this commit's author nor its committer")
			case !d.ThirdParty && !e.m.matchEither(who, ts.author, ts.committer):
				ts.reject(rs, d, quote(d.Signer.String())+" is neither this commit's author nor its committer")
			case !e.m.matchEither(who, rs.author, rs.committer):
				ts.reject(rs, d, quote(d.Signer.String())+" is neither the author nor the committer of "+short(rs.c.SHA))
			default:
				edges[r] = append(edges[r], edge{target: t, decl: d})
			}
		}
	}
	if len(edges) == 0 {
		return
	}
	// Breadth-first from the commits that are signed off, in commit order,
	// so RemediatedBy is deterministic.
	var queue []int
	for i := range e.st {
		if e.st[i].good {
			queue = append(queue, i)
		}
	}
	for len(queue) > 0 {
		r := queue[0]
		queue = queue[1:]
		for _, ed := range edges[r] {
			ts := &e.st[ed.target]
			if ts.good || !ts.remediable {
				continue
			}
			ts.good = true
			ts.res.Outcome, ts.res.Reason = Pass, ReasonRemediated
			ts.res.RemediatedBy = e.st[r].c.SHA
			ts.remedy = ed.decl
			queue = append(queue, ed.target)
		}
	}
	for r := range e.st {
		if e.st[r].good {
			continue
		}
		for _, ed := range edges[r] {
			if ts := &e.st[ed.target]; !ts.good {
				ts.reject(&e.st[r], ed.decl, short(e.st[r].c.SHA)+" is not signed off itself")
			}
		}
	}
}

// shortSHA explains a remediation line that names a failing commit by an
// abbreviated SHA, which the anchors reject too.
func (e *evaluation) shortSHA(r int, d Declaration) {
	if e.byPrefix == nil {
		e.byPrefix = make(map[string][]int)
		for i := range e.st {
			if sha := e.st[i].sha; len(sha) >= 7 {
				e.byPrefix[sha[:7]] = append(e.byPrefix[sha[:7]], i)
			}
		}
	}
	for _, t := range e.byPrefix[d.SHA[:7]] {
		ts := &e.st[t]
		if t != r && ts.remediable && strings.HasPrefix(ts.sha, d.SHA) {
			ts.reject(&e.st[r], d, "it uses the short SHA "+d.SHA+"; the full 40-character SHA is required")
		}
	}
}

// reject records why a remediation line aimed at this commit did not count.
func (s *state) reject(by *state, d Declaration, why string) {
	s.rejections = append(s.rejections, "A remediation line in "+short(by.c.SHA)+" names this commit, but "+why+".")
}
