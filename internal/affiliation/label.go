package affiliation

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// GitHub's limits (affiliation.md §5.2) and the label defaults (§5.3).
const (
	MaxLabelName        = 50
	MaxLabelDescription = 100
	DefaultLabelPrefix  = "affiliation/"
	DefaultLabelColor   = "c5def5"
)

// Reserved slugs.
const (
	SlugIndependent = "independent"
	SlugUnknown     = "unknown"
)

// Labeler turns results into `affiliation/<slug>` labels. Slugs are stable
// (a function of the company's canonical key and the pinned map only),
// lower-case [a-z0-9-], legal suffixes dropped (the key has none), accents
// folded, at most MaxLabelName-len(Prefix) characters. Keys that differ only
// in case, punctuation, accents or legal form share a slug on purpose (they
// name one company). Where the slug would lose information — characters
// outside Latin script, truncation, or a clash with a reserved or pinned
// slug — a short hash of the key is appended, so distinct companies never
// share a label. Maintainers pin slugs in config (slug -> company).
type Labeler struct {
	Prefix      string // label prefix, DefaultLabelPrefix unless configured
	Independent bool   // label independent authors affiliation/independent
	Unknown     bool   // label authors with no finding affiliation/unknown

	pins  map[string]string // company key -> pinned slug
	names map[string]string // pinned slug -> company display name
}

// DefaultLabeler labels companies and independents with the default prefix.
func DefaultLabeler() *Labeler {
	l, _ := NewLabeler(DefaultLabelPrefix, nil, nil)
	return l
}

// NewLabeler checks the prefix and the pinned slugs (slug -> company name,
// normalised with names, which may be nil).
func NewLabeler(prefix string, pins map[string]string, names *Names) (*Labeler, error) {
	if prefix == "" {
		prefix = DefaultLabelPrefix
	}
	budget := MaxLabelName - utf8.RuneCountInString(prefix)
	if budget < 12 {
		return nil, fmt.Errorf("label prefix %q leaves %d characters for the company (need 12)", prefix, budget)
	}
	l := &Labeler{Prefix: prefix, Independent: true, pins: map[string]string{}, names: map[string]string{}}
	for slug, company := range pins {
		if !validSlug(slug) || len(slug) > budget {
			return nil, fmt.Errorf("label slug %q: want 1 to %d characters of a-z, 0-9 and inner '-'", slug, budget)
		}
		c := names.Company(company)
		if c.Kind != KindCompany {
			return nil, fmt.Errorf("label slug %q: %q is not a company (%s)", slug, company, c.Kind)
		}
		if slug == SlugIndependent || slug == SlugUnknown {
			return nil, fmt.Errorf("label slug %q is reserved", slug)
		}
		if prev, ok := l.pins[c.Key]; ok && prev != slug {
			return nil, fmt.Errorf("company %q has two slugs, %q and %q", company, prev, slug)
		}
		l.pins[c.Key] = slug
		l.names[slug] = c.Name
	}
	return l, nil
}

func validSlug(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// Budget is the number of characters left for a slug.
func (l *Labeler) Budget() int { return MaxLabelName - utf8.RuneCountInString(l.Prefix) }

// Slug is the company's label slug ("" for bots and unknown kinds other
// than the reserved ones).
func (l *Labeler) Slug(c Company) string {
	switch c.Kind {
	case KindIndependent:
		return SlugIndependent
	case KindUnknown:
		return SlugUnknown
	case KindCompany:
	default:
		return ""
	}
	if s, ok := l.pins[c.Key]; ok {
		return s
	}
	budget := l.Budget()
	base, lossy := slugify(c.Key)
	_, pinned := l.names[base]
	if !lossy && base != "" && len(base) <= budget && !pinned && base != SlugIndependent && base != SlugUnknown {
		return base
	}
	sum := sha256.Sum256([]byte(c.Key))
	h := hex.EncodeToString(sum[:])
	if base == "" {
		return "c-" + h[:8]
	}
	room := budget - 7
	if len(base) > room {
		base = strings.TrimRight(base[:room], "-")
	}
	return base + "-" + h[:6]
}

// Label is the label for a result, if it gets one: companies always,
// independents and unknowns when enabled; never bots, opted-out authors or
// ambiguous results.
func (l *Labeler) Label(r Result) (string, bool) {
	switch r.Kind {
	case KindCompany:
	case KindIndependent:
		if !l.Independent {
			return "", false
		}
	case KindUnknown:
		if !l.Unknown {
			return "", false
		}
		return l.Prefix + SlugUnknown, true
	default:
		return "", false
	}
	s := l.Slug(r.Company)
	if s == "" {
		return "", false
	}
	return l.Prefix + s, true
}

// Managed reports whether a label name is an affiliation label (reconcile
// by prefix; never remove labels people set, see the integration notes).
func (l *Labeler) Managed(label string) bool {
	return strings.HasPrefix(label, l.Prefix) && len(label) > len(l.Prefix)
}

// PinnedCompany is the company a pinned slug stands for.
func (l *Labeler) PinnedCompany(slug string) (string, bool) {
	n, ok := l.names[slug]
	return n, ok
}

// LabelDescription is the description of a label created for a result
// (one label serves every PR of the company, so it names no source):
// at most MaxLabelDescription bytes.
func LabelDescription(r Result) string {
	switch r.Kind {
	case KindIndependent:
		return "Author contributed independently when the PR was opened"
	case KindUnknown:
		return "Author's employer when the PR was opened is not known"
	}
	return truncate("Author's employer when the PR was opened: "+r.Company.Name, MaxLabelDescription)
}

// ValidColor reports a 6-digit hex colour without '#'.
func ValidColor(s string) bool {
	if len(s) != 6 {
		return false
	}
	for i := 0; i < 6; i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// truncate cuts s to at most n bytes on a rune boundary, ending in "...".
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - 3
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

var foldSpecial = map[rune]string{'ß': "ss", 'æ': "ae", 'ø': "o", 'œ': "oe", 'đ': "d", 'ł': "l", 'þ': "th", 'ı': "i", 'ð': "d"}

// slugify maps a key to [a-z0-9-]: accents folded, '&', '\”, '!' dropped,
// other punctuation and spaces to one '-'. lossy reports letters or digits
// that could not be represented (CJK, Cyrillic, ...).
func slugify(key string) (string, bool) {
	var b strings.Builder
	lossy, dash := false, false
	sep := func() {
		if b.Len() > 0 {
			dash = true
		}
	}
	for _, r := range norm.NFD.String(strings.ToLower(key)) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash {
				b.WriteByte('-')
				dash = false
			}
			b.WriteRune(r)
		case r == '&' || r == '\'' || r == '’' || r == '!':
		case unicode.Is(unicode.Mn, r):
		case foldSpecial[r] != "":
			if dash {
				b.WriteByte('-')
				dash = false
			}
			b.WriteString(foldSpecial[r])
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			lossy = true
			sep()
		default:
			sep()
		}
	}
	return b.String(), lossy
}
