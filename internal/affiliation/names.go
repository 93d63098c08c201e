package affiliation

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
)

// Names normalises company strings in two layers (§1.8): an alias map
// (raw -> canonical: cncf company-names-mapping, Stackalytics aliases,
// config) and acquisition rules (devstats companies.yaml regexps, RE2), then
// classifies the result (company, Independent, unknown, bot) and derives its
// canonical Key. Build it, then use it from any number of goroutines.
type Names struct {
	aliases map[string]string // lookupKey(raw) -> canonical
	acq     []acquisition

	mu    sync.Mutex
	cache map[string]Company
}

type acquisition struct {
	re      *regexp.Regexp
	company string
}

// NewNames returns an empty normaliser: only the built-in classification
// (Independent, unknown and bot values) applies.
func NewNames() *Names {
	return &Names{aliases: map[string]string{}}
}

// AddAlias maps raw (matched case- and space-insensitively, a leading '@'
// ignored) to canonical. Later calls win.
func (n *Names) AddAlias(raw, canonical string) {
	k := lookupKey(raw)
	canonical = cleanName(canonical)
	if k == "" || canonical == "" {
		return
	}
	n.aliases[k] = canonical
	n.reset()
}

// AddAcquisition adds a rule: names matching re belong to company. Rules are
// tried in the order added; the first match wins.
func (n *Names) AddAcquisition(re *regexp.Regexp, company string) {
	if re == nil || strings.TrimSpace(company) == "" {
		return
	}
	n.acq = append(n.acq, acquisition{re, cleanName(company)})
	n.reset()
}

// Len is the number of aliases and acquisition rules.
func (n *Names) Len() (aliases, acquisitions int) { return len(n.aliases), len(n.acq) }

func (n *Names) reset() {
	n.mu.Lock()
	n.cache = nil
	n.mu.Unlock()
}

const maxNameCache = 1 << 16

// Company normalises a raw company string.
func (n *Names) Company(raw string) Company {
	if n == nil {
		return normalize(nil, raw)
	}
	n.mu.Lock()
	c, ok := n.cache[raw]
	n.mu.Unlock()
	if ok {
		return c
	}
	c = normalize(n, raw)
	n.mu.Lock()
	if n.cache == nil {
		n.cache = map[string]Company{}
	}
	if len(n.cache) < maxNameCache {
		n.cache[raw] = c
	}
	n.mu.Unlock()
	return c
}

func normalize(n *Names, raw string) Company {
	name := cleanName(raw)
	c := Company{Raw: raw, Name: name}
	if k, ok := classify(name); ok {
		return k.with(c)
	}
	if n != nil {
		// Layer 1: aliases (a short chain at most, never a loop).
		for i := 0; i < 3; i++ {
			to, ok := n.aliases[lookupKey(name)]
			if !ok || to == name {
				break
			}
			name = to
		}
		// Layer 2: acquisitions, on the aliased name, else on the original.
		if to, ok := n.acquired(name); ok {
			name = to
		} else if to, ok := n.acquired(cleanName(raw)); ok {
			name = to
		}
	}
	c.Name = name
	if k, ok := classify(name); ok {
		return k.with(c)
	}
	c.Kind = KindCompany
	c.Key = CompanyKey(name)
	if c.Key == "" {
		c.Kind, c.Key = KindUnknown, "unknown"
	}
	return c
}

func (n *Names) acquired(name string) (string, bool) {
	for _, a := range n.acq {
		if a.re.MatchString(name) {
			return a.company, true
		}
	}
	return "", false
}

type classification struct {
	kind Kind
	name string // "" keeps the original display name
}

func (k classification) with(c Company) Company {
	c.Kind = k.kind
	if k.name != "" {
		c.Name = k.name
	}
	switch k.kind {
	case KindIndependent:
		c.Key = "independent"
	case KindBot:
		c.Key = "robots"
	default:
		c.Key = "unknown"
	}
	return c
}

// Built-in classification. Unknown values follow devstats (NotFound,
// (Unknown), ?, -, empty) plus LF's "Undisclosed"; Independent values follow
// Stackalytics' *independent aliases (the common ones) and gitdm's statuses,
// which keep their display name.
var (
	unknownValues = set("", "notfound", "not found", "(unknown)", "unknown", "?", "-", "--", "undisclosed", "(none)")
	botValues     = set("(robots)", "robots", "(bots)")
	independent   = set("independent", "*independent", "independant", "indepedent", "self", "self employed", "self-employed",
		"selfemployed", "self employeed", "freelance", "freelancer", "free", "none", "null", "n/a", "na", "no", "nope",
		"unaffiliated", "not affiliated", "no affiliation", "individual", "individual contributor", "individual - no account",
		"personal", "private", "myself", "me", "home", "student", "hobbyist", "independent contractor", "independent developer",
		"contractor", "consultant", "independent consultant", "no company", "not applicable", "no job")
	statuses = set("career break", "unemployed", "retired", "temporarilly retired", "temporarily retired", "sabbatical",
		"between jobs", "job seeking", "looking for work", "open to work", "parental leave")
)

func set(items ...string) map[string]bool {
	m := make(map[string]bool, len(items))
	for _, s := range items {
		m[s] = true
	}
	return m
}

func classify(name string) (classification, bool) {
	k := lookupKey(name)
	switch {
	case unknownValues[k]:
		return classification{kind: KindUnknown}, true
	case botValues[k]:
		return classification{kind: KindBot, name: "(Robots)"}, true
	case independent[k]:
		return classification{kind: KindIndependent, name: "Independent"}, true
	case statuses[k]:
		return classification{kind: KindIndependent}, true
	}
	return classification{}, false
}

// cleanName trims, collapses white space and drops a leading '@' (GitHub's
// company field often holds an @org mention).
func cleanName(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	for strings.HasPrefix(s, "@") {
		s = strings.TrimSpace(s[1:])
	}
	return s
}

// lookupKey is the alias-map key: cleaned and lower-cased.
func lookupKey(s string) string { return strings.ToLower(cleanName(s)) }

// legalSuffixes are trailing words dropped from a canonical key (compared
// with '.', ',' and '/' removed).
var legalSuffixes = set("inc", "incorporated", "llc", "ltd", "limited", "corp", "corporation", "co", "company",
	"gmbh", "ag", "sa", "sas", "sarl", "bv", "nv", "plc", "pty", "lp", "llp", "pte", "pvt", "private", "oy", "oyj", "ab", "as",
	"aps", "kk", "srl", "spa", "sl", "sro", "zrt", "kft", "bhd", "sdn", "se", "kg", "ug", "mbh", "doo", "spzoo", "ooo")

// CompanyKey is the canonical key of a company name: lower-cased, white
// space collapsed, trailing legal-form words (Inc., LLC, Ltd, GmbH,
// Corporation, Co., ...) and punctuation dropped. "Red Hat, Inc." and
// "Red Hat" share the key "red hat"; "Google LLC" and "Google" share
// "google".
func CompanyKey(name string) string {
	words := strings.Fields(strings.ToLower(name))
	for len(words) > 1 {
		last := strings.Map(func(r rune) rune {
			if r == '.' || r == ',' || r == '/' {
				return -1
			}
			return r
		}, words[len(words)-1])
		if !legalSuffixes[last] && last != "" {
			break
		}
		words = words[:len(words)-1]
	}
	k := strings.Join(words, " ")
	k = strings.TrimRightFunc(k, func(r rune) bool { return r == ',' || r == '.' || r == ';' || unicode.IsSpace(r) })
	return k
}
