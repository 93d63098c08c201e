package affiliation

import (
	_ "embed"
	"strings"
)

//go:embed suffixes.txt
var suffixesTxt string

//go:embed freemail.txt
var freemailTxt string

var publicSuffixes = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(suffixesTxt, "\n") {
		if l = strings.TrimSpace(l); l != "" && l[0] != '#' {
			m[l] = true
		}
	}
	return m
}()

// PublicSuffix returns the public suffix of a lower-case domain: the
// longest multi-label suffix of the embedded list, else the last label.
func PublicSuffix(domain string) string {
	best := domain
	if i := strings.LastIndexByte(domain, '.'); i >= 0 {
		best = domain[i+1:]
	}
	for i := 0; i < len(domain); i++ {
		if domain[i] == '.' && publicSuffixes[domain[i+1:]] {
			return domain[i+1:]
		}
	}
	if publicSuffixes[domain] {
		return domain
	}
	return best
}

// RegistrableDomain is the public suffix plus one label ("acme.co.uk" for
// "mail.acme.co.uk"); false when domain is itself a public suffix.
func RegistrableDomain(domain string) (string, bool) {
	ps := PublicSuffix(domain)
	if len(ps) >= len(domain) {
		return "", false
	}
	rest := domain[:len(domain)-len(ps)-1]
	if i := strings.LastIndexByte(rest, '.'); i >= 0 {
		rest = rest[i+1:]
	}
	return rest + "." + ps, true
}

// DomainSuffixes lists the suffixes of domain on whole labels, longest first,
// down to and including its registrable domain — never a public suffix
// ("co.uk", "com", "ac.th"). "mail.corp.acme.co.uk" gives
// mail.corp.acme.co.uk, corp.acme.co.uk, acme.co.uk. So "notacme.com" never
// matches a rule for "acme.com".
func DomainSuffixes(domain string) []string {
	reg, ok := RegistrableDomain(domain)
	if !ok {
		return nil
	}
	out := []string{domain}
	for d := domain; len(d) > len(reg); {
		i := strings.IndexByte(d, '.')
		if i < 0 {
			break
		}
		d = d[i+1:]
		out = append(out, d)
	}
	return out
}

const noreplyDomain = "users.noreply.github.com"

// Exclusions is the list of domains and addresses that never name an
// employer: free mail, ISP mail, relays, GitHub's no-reply. The default list
// is maintained in freemail.txt; projects add and remove entries.
type Exclusions struct {
	domains map[string]bool // domain and its subdomains
	labels  map[string]bool // "yahoo" for yahoo.*
	emails  map[string]bool // exact addresses
}

// DefaultExclusions returns a fresh copy of the maintained list.
func DefaultExclusions() *Exclusions {
	x := &Exclusions{domains: map[string]bool{}, labels: map[string]bool{}, emails: map[string]bool{}}
	for _, l := range strings.Split(freemailTxt, "\n") {
		if l = strings.TrimSpace(l); l != "" && l[0] != '#' {
			x.Add(l)
		}
	}
	return x
}

// NewExclusions returns an empty list.
func NewExclusions() *Exclusions {
	return &Exclusions{domains: map[string]bool{}, labels: map[string]bool{}, emails: map[string]bool{}}
}

func exclusionEntry(entry string) (kind byte, v string) {
	e := strings.ToLower(strings.TrimSpace(entry))
	switch {
	case strings.Contains(e, "@"):
		return 'e', EmailKey(e).Value
	case strings.HasSuffix(e, ".*"):
		return 'l', strings.TrimSuffix(e, ".*")
	}
	return 'd', strings.TrimPrefix(strings.TrimSuffix(e, "."), "*.")
}

// Add adds "domain.tld" (with subdomains), "label.*" (under any public
// suffix) or "user@domain" (one address).
func (x *Exclusions) Add(entry string) {
	switch k, v := exclusionEntry(entry); k {
	case 'e':
		x.emails[v] = true
	case 'l':
		x.labels[v] = true
	default:
		if v != "" {
			x.domains[v] = true
		}
	}
}

// Remove takes an entry out (as written for Add).
func (x *Exclusions) Remove(entry string) {
	switch k, v := exclusionEntry(entry); k {
	case 'e':
		delete(x.emails, v)
	case 'l':
		delete(x.labels, v)
	default:
		delete(x.domains, v)
	}
}

// ExcludedDomain reports whether a domain (any case) never names an
// employer.
func (x *Exclusions) ExcludedDomain(domain string) bool {
	d := DomainKey(domain).Value
	for s := d; s != ""; {
		if x.domains[s] {
			return true
		}
		i := strings.IndexByte(s, '.')
		if i < 0 {
			break
		}
		s = s[i+1:]
	}
	if reg, ok := RegistrableDomain(d); ok {
		if label, _, _ := strings.Cut(reg, "."); x.labels[label] {
			return true
		}
	}
	return false
}

// Excluded reports whether an e-mail address never names an employer: an
// excluded address or domain, a GitHub no-reply address, or no domain at all.
func (x *Exclusions) Excluded(email string) bool {
	e := EmailKey(email).Value
	if x.emails[e] || strings.HasSuffix(e, "@"+noreplyDomain) || strings.HasSuffix(e, "."+noreplyDomain) || e == "noreply@github.com" {
		return true // whatever the configuration says (DESIGN.md)
	}
	at := strings.LastIndexByte(e, '@')
	if at < 0 {
		return true
	}
	return x.ExcludedDomain(e[at+1:])
}
