// Package affiliation resolves the employer of a pull request's author at the
// time the pull request was opened (research affiliation.md §7), decides
// whether the author is a first-timer (§3.4), and turns an employer into an
// `affiliation/<slug>` label (§5.3).
//
// Everything here is pure: facts come in as values (time included), data
// sets through the small Source interface (package affiliation/index
// implements it over a prebuilt, memory-compact index), and nothing does
// I/O, reads the environment or the clock.
//
// Model: an employer history is a list of half-open UTC day ranges
// [From, Until) with the gitdm and devstats conventions — an undated line
// is open, "Company < D" ends at D and starts where the previous range ended,
// 1900-01-01 and 2100-01-01 are open ends. Company strings keep their display
// form and get a canonical Key through two layers of normalisation (an alias
// map, then acquisition regexps); Independent is a real value, NotFound, "?",
// "-" and "(Unknown)" mean unknown, "(Robots)" marks bots.
package affiliation

import (
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/gitdm"
)

// Day is a UTC calendar day (see gitdm.Day); MinDay and MaxDay are open ends.
type Day = gitdm.Day

// Open ends.
const (
	MinDay = gitdm.MinDay
	MaxDay = gitdm.MaxDay
)

// Rank is a row of the resolution table (§7): lower wins.
type Rank int

// The ranks of §7.
const (
	RankAccountType Rank = 0 // GitHub says the account is a Bot (before any data)
	RankOverride    Rank = 1 // /affiliation by the author or a maintainer
	RankList        Rank = 2 // project-maintained list (gitdm developers_affiliations, config users)
	RankCLA         Rank = 3 // corporate CLA coverage
	RankVerified    Rank = 4 // org-verified domain e-mail, or a verified-signature committer e-mail's domain
	RankEmailMap    Rank = 5 // machine e-mail map (gitdm email-map, devstats github_users source <= config)
	RankEmailDomain Rank = 6 // linked commit e-mail domain -> domain map
	RankOrg         Rank = 7 // public membership in an org mapped to a company
	RankProfile     Rank = 8 // profile company field
	RankNone        Rank = 9 // nothing found
)

var rankSources = [...]string{"account-type", "override", "project-list", "corporate-cla", "verified-domain",
	"email-map", "email-domain", "github-org", "profile", "none"}

// Source is the rank's short name, as the Action's affiliation-source output
// and the JSON verdict give it.
func (r Rank) Source() string {
	if r < 0 || int(r) >= len(rankSources) {
		return "rank-" + strconv.Itoa(int(r))
	}
	return rankSources[r]
}

func (r Rank) String() string { return r.Source() }

var rankDescriptions = [...]string{"your account type", "your /affiliation command", "the project's affiliation list",
	"your company's corporate CLA", "a verified e-mail domain", "the e-mail affiliation map",
	"your commit e-mail domain", "your public GitHub organisation membership", "your GitHub profile's company field", "nothing"}

// Describe is the rank as a phrase for the guidance comment ("We identified
// your affiliation as Acme (source: your commit e-mail domain)").
func (r Rank) Describe() string {
	if r < 0 || int(r) >= len(rankDescriptions) {
		return r.Source()
	}
	return rankDescriptions[r]
}

// Confidence is how much a result can be trusted.
type Confidence int

// Confidence levels, weakest first.
const (
	ConfidenceNone Confidence = iota
	ConfidenceLow
	ConfidenceMedium
	ConfidenceHigh
	ConfidenceAuthoritative
)

var confidenceNames = [...]string{"none", "low", "medium", "high", "authoritative"}

func (c Confidence) String() string {
	if c < 0 || int(c) >= len(confidenceNames) {
		return "none"
	}
	return confidenceNames[c]
}

// ParseConfidence parses a Confidence name.
func ParseConfidence(s string) (Confidence, bool) {
	for i, n := range confidenceNames {
		if n == s {
			return Confidence(i), true
		}
	}
	return 0, false
}

// Confidence of a result found at this rank (§7 table; "medium-low" for
// org membership is rounded down, so membership alone never triggers the
// first-time corporate guidance, which needs medium).
func (r Rank) Confidence() Confidence {
	switch r {
	case RankOverride:
		return ConfidenceAuthoritative
	case RankAccountType, RankList, RankCLA, RankVerified:
		return ConfidenceHigh
	case RankEmailMap, RankEmailDomain:
		return ConfidenceMedium
	case RankOrg, RankProfile:
		return ConfidenceLow
	}
	return ConfidenceNone
}

// Kind classifies a company value.
type Kind int

// Kinds of company values.
const (
	KindUnknown     Kind = iota // NotFound, "?", "-", "(Unknown)", empty
	KindCompany                 // a real employer
	KindIndependent             // Independent, self-employed, and statuses (Career Break, Retired, ...)
	KindBot                     // (Robots)

	// Result kinds only:
	KindOptedOut  // the author opted out ("/affiliation none")
	KindAmbiguous // sources of the deciding rank disagree: no label
)

var kindNames = [...]string{"unknown", "company", "independent", "bot", "opted-out", "ambiguous"}

func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return "unknown"
	}
	return kindNames[k]
}

// Company is a normalised company value.
type Company struct {
	Name string // display name after the alias and acquisition maps ("Amazon")
	Raw  string // as the source wrote it ("AWS")
	Key  string // canonical key for labels and metrics ("amazon")
	Kind Kind
}

// KeyKind is what a data key identifies.
type KeyKind byte

// Key kinds. The byte values are part of the index format.
const (
	KeyLogin  KeyKind = 'l' // GitHub login, lower-cased
	KeyID     KeyKind = 'i' // GitHub account id, decimal
	KeyEmail  KeyKind = 'e' // decoded, lower-cased e-mail address
	KeyDomain KeyKind = 'd' // lower-cased domain
)

func (k KeyKind) String() string {
	switch k {
	case KeyLogin:
		return "login"
	case KeyID:
		return "id"
	case KeyEmail:
		return "email"
	case KeyDomain:
		return "domain"
	}
	return "key"
}

// Key identifies a person or a domain in a data set.
type Key struct {
	Kind  KeyKind
	Value string
}

func (k Key) String() string { return k.Kind.String() + " " + k.Value }

// LoginKey normalises a GitHub login (case-insensitive).
func LoginKey(login string) Key {
	return Key{KeyLogin, strings.ToLower(strings.TrimSpace(login))}
}

// IDKey is a GitHub account id.
func IDKey(id int64) Key { return Key{KeyID, strconv.FormatInt(id, 10)} }

// EmailKey decodes ('!' for '@') and lower-cases an address.
func EmailKey(email string) Key {
	e := strings.TrimSpace(email)
	e = strings.TrimSuffix(strings.TrimPrefix(e, "<"), ">")
	return Key{KeyEmail, gitdm.DecodeEmail(e)}
}

// DomainKey lower-cases a domain and drops a trailing dot.
func DomainKey(domain string) Key {
	return Key{KeyDomain, strings.TrimSuffix(strings.ToLower(strings.TrimSpace(domain)), ".")}
}

// Range is one employer over [From, Until); Company is the raw string.
type Range struct {
	From, Until Day
	Company     string
}

// Dataset names where a history comes from.
type Dataset struct {
	Name    string // e.g. "developers_affiliations3.txt", "config"
	Updated Day    // when the data set was last updated; MinDay if unknown
}

// History is one record of a data set: an employer history for a key.
type History struct {
	Rank      Rank // RankList, RankEmailMap or RankEmailDomain
	Dataset   Dataset
	Line      int   // where in the data set (0 if unknown)
	Priority  int   // devstats source priority (user 40 ... notfound -20); 0 elsewhere
	AccountID int64 // the GitHub account id the record names (from an ID+login no-reply address), 0 if none
	Ref       uint64
	Ranges    []Range // sorted by Until; From filled in (see Normalize)
}

// At returns the range holding on day d: the first range, in Until order,
// with From <= d < Until.
func (h History) At(d Day) (Range, bool) {
	for _, r := range h.Ranges {
		if d < r.Until {
			if r.From <= d {
				return r, true
			}
			// later ranges start at or after this one ends, unless the
			// source overlaps; keep looking.
		}
	}
	return Range{}, false
}

// Normalize sorts ranges by Until (stable: the first of equal ends wins, as
// gitdm's sorted insert has it) and gives every range without a start the
// previous range's end (the first one stays open): the machine-format rule
// "Company < D" = [previous D, D). Explicit starts are kept, so gaps and
// explicit overlaps in the source survive.
func Normalize(rs []Range) []Range {
	slices.SortStableFunc(rs, func(a, b Range) int {
		switch {
		case a.Until < b.Until:
			return -1
		case a.Until > b.Until:
			return 1
		}
		return 0
	})
	prev := MinDay
	out := rs[:0]
	for _, r := range rs {
		if r.From == MinDay {
			r.From = prev
		}
		prev = r.Until
		if r.From >= r.Until {
			continue // empty: a duplicate end date; the first one wins
		}
		out = append(out, r)
	}
	return out
}

// Source is a data set the resolver reads (package affiliation/index
// implements it). Find yields every history recorded under k, whose value
// is already normalised (see LoginKey, EmailKey, IDKey, DomainKey).
type Source interface {
	Find(k Key) iter.Seq[History]
}

func dayOf(t time.Time) Day { return gitdm.DayOf(t) }
