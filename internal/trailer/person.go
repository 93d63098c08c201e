package trailer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Person is a name and an email as written in a trailer, both trimmed.
type Person struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// String renders "Name <email>".
func (p Person) String() string { return p.Name + " <" + p.Email + ">" }

// Format renders a trailer line, e.g. Format(SignedOffBy, p) is
// "Signed-off-by: Name <email>".
func Format(key string, p Person) string { return key + ": " + p.String() }

// Problem says why a trailer value is not a usable "Name <email>".
type Problem string

// Problems, from the most to the least common.
const (
	OK             Problem = ""
	NoEmail        Problem = "no_email"   // "Jane", "jane at example.org": no <address>
	BareEmail      Problem = "bare_email" // "jane@example.org" or "Jane jane@x.org": address without <>
	BadEmail       Problem = "bad_email"  // "<jane at example.org>", "<>": not an address
	NoName         Problem = "no_name"    // "<jane@example.org>": no name before it
	TextAfterEmail Problem = "text_after" // "Jane <jane@x.org> (ACME)": something after the '>'
	EmptyValue     Problem = "empty"      // "Signed-off-by:" and nothing else
)

// Describe is a short phrase for reports: `has no <email>`.
func (p Problem) Describe() string {
	switch p {
	case NoEmail:
		return "has no <email>"
	case BareEmail:
		return "has its email without the <angle brackets>"
	case BadEmail:
		return "has something that is not an email address between < and >"
	case NoName:
		return "has no name before the <email>"
	case TextAfterEmail:
		return "has text after the closing >"
	case EmptyValue:
		return "is empty"
	}
	return ""
}

// ParsePerson reads "Name <email>" from a trailer value. The name and the
// address inside <> are trimmed, so "  Jane  Doe   < jane@x.org >" is
// ("Jane  Doe", "jane@x.org"): inner spacing of the name is kept, because it
// is part of the name the author chose. The email is the text inside the last
// '<' ... '>' pair, as with the anchors' greedy `(.*) <(.*)>`.
func ParsePerson(value string) (Person, Problem) {
	v := strings.TrimSpace(value)
	if v == "" {
		return Person{}, EmptyValue
	}
	if v[len(v)-1] != '>' {
		lt := strings.LastIndexByte(v, '<')
		if lt >= 0 && strings.IndexByte(v[lt:], '>') >= 0 {
			return Person{}, TextAfterEmail
		}
		fields := strings.Fields(v)
		if last := fields[len(fields)-1]; PlausibleEmail(last) {
			return Person{Name: strings.TrimSpace(v[:len(v)-len(last)]), Email: last}, BareEmail
		}
		return Person{}, NoEmail
	}
	lt := strings.LastIndexByte(v, '<')
	if lt < 0 {
		return Person{}, NoEmail
	}
	p := Person{
		Name:  strings.TrimSpace(v[:lt]),
		Email: strings.TrimSpace(v[lt+1 : len(v)-1]),
	}
	if !PlausibleEmail(p.Email) {
		return p, BadEmail
	}
	if p.Name == "" {
		return p, NoName
	}
	return p, OK
}

// PlausibleEmail rejects only what is clearly not an address (dco.md §10):
// no '@', nothing on one side of it, white space or control characters, angle
// brackets, a domain that starts or ends with a dot. It accepts what the
// anchors wrongly reject: `+tags`, `[bot]` local parts, non-ASCII, and
// dotless domains such as `localhost`.
func PlausibleEmail(e string) bool {
	at := strings.LastIndexByte(e, '@')
	if at <= 0 || at == len(e)-1 {
		return false
	}
	if d := e[at+1:]; d[0] == '.' || d[len(d)-1] == '.' {
		return false
	}
	for i := 0; i < len(e); {
		r, size := utf8.DecodeRuneInString(e[i:])
		if r == utf8.RuneError && size <= 1 || r == '<' || r == '>' || unicode.IsSpace(r) || unicode.IsControl(r) {
			return false
		}
		i += size
	}
	return true
}
