package dco

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
	"github.com/contribution-policy/contribution-policy/internal/trailer"
)

// ident is a name and an email as written (trimmed) plus their NFC forms,
// computed once per commit so that comparing is allocation-free.
//
// Identity rule (dco.md §10): two identities are the same when their NFC
// forms are equal under strings.EqualFold, Unicode's simple case folding.
// NFC makes "José" typed with a combining accent equal to the precomposed
// one, which no anchor does. Simple folding is one rune to one rune, so
// German "ß" is NOT equal to "SS" (full folding would make it so) and Turkish
// dotted "İ" is not "i"; both are rare in git identities and a mismatch is
// visible in the report.
type ident struct {
	p           Person
	name, email string // NFC
}

func newIdent(name, email string) ident {
	name, email = strings.TrimSpace(name), strings.TrimSpace(email)
	return ident{p: Person{Name: name, Email: email}, name: norm.NFC.String(name), email: norm.NFC.String(email)}
}

func identOf(id snapshot.Identity) ident { return newIdent(id.Name, id.Email) }
func identOfPerson(p trailer.Person) ident {
	return newIdent(p.Name, p.Email)
}

func sameName(a, b ident) bool  { return strings.EqualFold(a.name, b.name) }
func sameEmail(a, b ident) bool { return a.email != "" && strings.EqualFold(a.email, b.email) }
func samePair(a, b ident) bool  { return sameName(a, b) && sameEmail(a, b) }

// matcher applies the configured identity rule.
type matcher struct{ emailOnly bool }

func newMatcher(cfg config.DCO) matcher { return matcher{emailOnly: cfg.Match == config.MatchEmail} }

// match reports whether a declared identity (a sign-off, a remediation line)
// counts for who. By default the (name, email) PAIR must match, never the name
// of one identity with the email of another: dcoapp compares names and emails
// as two separate sets, which lets the author's name plus the committer's
// email pass. With match: email the email alone decides (Gerrit, dcoapp#201).
func (m matcher) match(decl, who ident) bool {
	if m.emailOnly {
		return sameEmail(decl, who)
	}
	return samePair(decl, who)
}

// matchEither is match against the author or the committer.
func (m matcher) matchEither(decl, author, committer ident) bool {
	return m.match(decl, author) || m.match(decl, committer)
}

// role names which of a commit's identities something matched.
type role uint8

const (
	roleNone role = iota
	roleAuthor
	roleCommitter
	roleBoth // author and committer are the same identity
)

func (r role) String() string {
	switch r {
	case roleAuthor:
		return "author"
	case roleCommitter:
		return "committer"
	case roleBoth:
		return "author and committer"
	}
	return ""
}

// expected lists the identities a sign-off could match, deduplicated: one
// entry with roleBoth when author and committer are the same person.
func expected(author, committer ident) []expect {
	if samePair(author, committer) {
		return []expect{{author, roleBoth}}
	}
	return []expect{{author, roleAuthor}, {committer, roleCommitter}}
}

type expect struct {
	id   ident
	role role
}

// nearMiss is the best explanation of why one sign-off matched neither
// identity, with the hint code and one sentence. Ranked from the most to the
// least specific, as checkpatch grades its warnings.
func (m matcher) nearMiss(so ident, exp []expect) (Hint, string) {
	if !m.emailOnly && len(exp) == 2 {
		a, c := exp[0].id, exp[1].id
		switch {
		case sameName(so, a) && sameEmail(so, c):
			return HintSplitIdentity, "It combines the author's name with the committer's email; a sign-off must give one person's name and email together."
		case sameName(so, c) && sameEmail(so, a):
			return HintSplitIdentity, "It combines the committer's name with the author's email; a sign-off must give one person's name and email together."
		}
	}
	best, sentence := Hint(""), ""
	rank := func(h Hint) int {
		for i, x := range [...]Hint{HintNameSpacing, HintSubaddress, HintNameMismatch, HintEmailMismatch} {
			if h == x {
				return i
			}
		}
		return 99
	}
	for _, e := range exp {
		who := e.role.String()
		if e.role == roleBoth {
			who = "author"
		}
		var h Hint
		var s string
		switch {
		case sameEmail(so, e.id) && !sameName(so, e.id) && equalIgnoringSpace(so.name, e.id.name):
			h, s = HintNameSpacing, "The email matches the "+who+" but the name differs in spacing."
		case (m.emailOnly || sameName(so, e.id)) && !sameEmail(so, e.id) && sameBaseAddress(so.email, e.id.email):
			h, s = HintSubaddress, "The email differs from the "+who+"'s only by a +tag."
		case sameEmail(so, e.id) && !sameName(so, e.id):
			h, s = HintNameMismatch, "The email matches the "+who+" but the name differs."
		case sameName(so, e.id) && !sameEmail(so, e.id):
			h, s = HintEmailMismatch, "The name matches the "+who+" but the email differs."
		default:
			continue
		}
		if rank(h) < rank(best) {
			best, sentence = h, s
		}
	}
	return best, sentence
}

// equalIgnoringSpace compares two names with all white space removed.
func equalIgnoringSpace(a, b string) bool {
	strip := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, s)
	}
	return strings.EqualFold(strip(a), strip(b))
}

// sameBaseAddress reports whether two addresses are equal once a "+tag" is
// removed from each local part: ann+dco@x.org and ann@x.org.
func sameBaseAddress(a, b string) bool {
	base := func(e string) string {
		at := strings.LastIndexByte(e, '@')
		if at < 0 {
			return e
		}
		local := e[:at]
		if plus := strings.IndexByte(local, '+'); plus >= 0 {
			local = local[:plus]
		}
		return local + e[at:]
	}
	return strings.EqualFold(base(a), base(b))
}

// foldKey maps s to a string that is equal for two inputs exactly when
// strings.EqualFold says they are: each rune becomes the smallest rune of
// its simple case-folding orbit. Used to group identities in a map.
func foldKey(s string) string {
	return strings.Map(func(r rune) rune {
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		return m
	}, s)
}
