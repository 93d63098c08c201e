package dco

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/contribution-policy/contribution-policy/internal/trailer"
)

// The per-commit sentences. They name what was expected and what was found,
// so a contributor can see the difference without reading the rules; the
// report renders (and escapes) them as they are.

// maxListed bounds how many items of one kind a Detail spells out, so a
// message with a thousand odd lines cannot make a thousand-sentence report.
const maxListed = 3

func (e *evaluation) describe(st *state) {
	switch st.res.Reason {
	case ReasonSignedOff:
		how := st.matched.String()
		if e.m.emailOnly && !samePair(identOfPerson(trailer.Person(st.signedBy)), e.roleIdent(st, st.matched)) {
			how += "'s email"
		}
		st.res.Detail = "Signed off by " + quote(st.signedBy.String()) + " (" + how + ")."
	case ReasonRemediated:
		d := st.remedy
		if d.ThirdParty {
			st.res.Detail = "Signed off later by " + quote(d.Signer.String()) + " on behalf of " + quote(d.OnBehalfOf.String()) +
				" in remediation commit " + short(st.res.RemediatedBy) + "."
		} else {
			st.res.Detail = "Signed off later by " + quote(d.Signer.String()) + " in remediation commit " + short(st.res.RemediatedBy) + "."
		}
	default:
		if st.res.Outcome == Fail {
			e.describeFailure(st)
		}
	}
}

func (e *evaluation) roleIdent(st *state, r role) ident {
	if r == roleCommitter {
		return st.committer
	}
	return st.author
}

func (e *evaluation) describeFailure(st *state) {
	var b strings.Builder
	addHint := func(h Hint) {
		for _, x := range st.hints {
			if x == h {
				return
			}
		}
		st.hints = append(st.hints, h)
	}
	if st.res.Reason == ReasonQueueNoTrailer {
		st.res.Detail = "The merge queue built this commit without a Signed-off-by trailer. Its author is the GitHub account, so only the trailer's presence is checked, " +
			"but the repository's squash-merge commit message setting dropped the pull request's trailers: use the commit messages (COMMIT_MESSAGES), not the pull request body (PR_BODY) or a blank message (BLANK)."
		st.res.Hints = []Hint{HintQueueSquashMsg}
		return
	}
	exp := e.expectedPhrase(st)
	switch st.res.Reason {
	case ReasonMissing:
		b.WriteString("No Signed-off-by line found; expected " + exp + ".")
	case ReasonMalformed:
		b.WriteString("No usable Signed-off-by line; expected " + exp + ".")
	case ReasonMismatch:
		b.WriteString("Expected " + exp + ", found " + listPeople(st.res.SignOffs) + ".")
	case ReasonMemberUnverified:
		who := "organization member"
		if e.s.Repository.OwnerType != "Organization" {
			who = "the repository owner"
		}
		b.WriteString("Commit by " + who + " is not verified. " + quote(st.c.Author.Login) +
			" is exempt from signing off only on commits whose signature GitHub verified; this one needs " + exp + ".")
	}
	// Near misses: one sentence per sign-off that almost matched.
	var near []string
	for _, so := range st.res.SignOffs {
		h, s := e.m.nearMiss(identOfPerson(trailer.Person(so)), st.exp)
		if h == "" {
			continue
		}
		addHint(h)
		if len(st.res.SignOffs) > 1 {
			s = "For " + quote(so.String()) + ": " + lowerFirst(s)
		}
		near = append(near, s)
	}
	writeCapped(&b, near, "further sign-offs are near misses too")
	var lines []string
	for _, m := range st.scan.Malformed {
		addHint(HintMalformed)
		lines = append(lines, "Line "+strconv.Itoa(m.Line)+", "+quote(m.Text)+", "+m.Problem.Describe()+".")
	}
	writeCapped(&b, lines, "further Signed-off-by lines are malformed too")
	lines = lines[:0]
	for _, h := range st.scan.Hints {
		var why string
		switch h.Kind {
		case trailer.Misspelled:
			addHint(HintMisspelledKey)
			why = `the key must be spelled "Signed-off-by:"`
		case trailer.SpaceBeforeColon:
			addHint(HintMisspelledKey)
			why = "there must be no space before the colon"
		case trailer.MissingColon:
			addHint(HintMisspelledKey)
			why = `a colon must follow "Signed-off-by"`
		case trailer.Indented:
			addHint(HintIndented)
			why = "it is indented; a Signed-off-by line must start at the beginning of the line"
		case trailer.Quoted:
			addHint(HintIndented)
			why = `it is quoted with ">"; a Signed-off-by line must start at the beginning of the line`
		}
		s := "Line " + strconv.Itoa(h.Line) + ", " + quote(h.Text) + ", is not a sign-off: " + why
		if h.Signer.Email != "" {
			for _, x := range st.exp {
				if e.m.match(identOfPerson(h.Signer), x.id) {
					s += " (it names the " + x.role.String() + ")"
					break
				}
			}
		}
		lines = append(lines, s+".")
	}
	writeCapped(&b, lines, "further lines look like sign-offs too")
	if len(st.rejections) > 0 {
		addHint(HintRemediation)
	}
	writeCapped(&b, st.rejections, "further remediation lines name this commit too")
	if isWebFlow(st.c.Committer) {
		addHint(HintWebCommit)
		b.WriteString(" It was committed in GitHub's web interface, which adds a sign-off only when the repository requires sign-off on web-based commits; otherwise the Signed-off-by line must be typed into the commit message.")
	}
	st.res.Detail = b.String()
	st.res.Hints = sortHints(st.hints)
}

// expectedPhrase is `a sign-off by "A <a>" (author) or "C <c>" (committer)`,
// or with match: email, `a sign-off with the email a (author) or c (committer)`.
func (e *evaluation) expectedPhrase(st *state) string {
	var b strings.Builder
	if e.m.emailOnly {
		b.WriteString("a sign-off with the email ")
	} else {
		b.WriteString("a sign-off by ")
	}
	for i, x := range st.exp {
		if i > 0 {
			b.WriteString(" or ")
		}
		if e.m.emailOnly {
			b.WriteString(quote(x.id.p.Email))
		} else {
			b.WriteString(quote(x.id.p.String()))
		}
		b.WriteString(" (" + x.role.String() + ")")
	}
	return b.String()
}

// writeCapped appends up to maxListed sentences and a count of the rest.
func writeCapped(b *strings.Builder, sentences []string, more string) {
	for i, s := range sentences {
		if i == maxListed {
			b.WriteString(" (" + strconv.Itoa(len(sentences)-maxListed) + " " + more + ".)")
			return
		}
		b.WriteString(" " + s)
	}
}

// listPeople is `"A <a>"`, `"A <a>" and "B <b>"`, `"A <a>", "B <b>" and 4 more`.
func listPeople(ps []Person) string {
	const show = 5
	var b strings.Builder
	for i, p := range ps {
		switch {
		case i == show:
			b.WriteString(" and " + strconv.Itoa(len(ps)-show) + " more")
			return b.String()
		case i > 0 && (i == len(ps)-1):
			b.WriteString(" and ")
		case i > 0:
			b.WriteString(", ")
		}
		b.WriteString(quote(p.String()))
	}
	return b.String()
}

func sortHints(hs []Hint) []Hint {
	if len(hs) == 0 {
		return nil
	}
	out := make([]Hint, 0, len(hs))
	for _, h := range hintOrder {
		for _, x := range hs {
			if x == h {
				out = append(out, h)
				break
			}
		}
	}
	return out
}

var hintOrder = [...]Hint{
	HintSplitIdentity, HintNameSpacing, HintSubaddress, HintNameMismatch, HintEmailMismatch,
	HintMalformed, HintMisspelledKey, HintIndented, HintRemediation, HintWebCommit, HintQueueSquashMsg,
}

// quote wraps user text in double quotes, cut to a sane length on a rune
// boundary.
func quote(s string) string {
	const limit = 120
	if len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return `"` + s + `"`
}

// short is the 7-character form of a SHA.
func short(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
