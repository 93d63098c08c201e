package affiliation

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Override is an explicit "/affiliation <Company>" or "/affiliation none"
// (rank 1), stored durably by the caller and honoured on every later PR.
type Override struct {
	Company string    // the declared company ("Independent" is fine)
	None    bool      // "/affiliation none": opt out, no label at all
	By      string    // who gave it (the author or a maintainer)
	At      time.Time // when; the latest override wins
}

// CLACoverage says a corporate CLA covers the author (rank 3): the CLA
// check's finding, e.g. an approval-list hit of company X by login, e-mail,
// domain or GitHub org.
type CLACoverage struct {
	Company string
	Via     string // "login", "email", "domain", "org" (evidence only)
}

// VerifiedEmail is an address GitHub reports in
// User.organizationVerifiedDomainEmails(login: Org) (rank 4).
type VerifiedEmail struct {
	Email string
	Org   string
}

// CommitEmail is an author or committer address of one of the PR's commits.
type CommitEmail struct {
	Email string
	// Linked: GitHub links the address to the PR author's account (the
	// commit's author/committer login or id is the PR author's). Unlinked
	// addresses are never used.
	Linked bool
	// Verified: GitHub verified the commit's signature and this is the
	// committer address (a GPG key's address must be a verified account
	// address). Set it on committer addresses only.
	Verified bool
}

// Facts are everything the resolver knows about one PR author.
type Facts struct {
	At             time.Time // the PR's created_at: every range is evaluated here
	Login          string
	ID             int64 // GitHub account id; 0 if unknown
	Bot            bool  // GitHub says the account type is Bot
	Overrides      []Override
	CLA            []CLACoverage
	VerifiedEmails []VerifiedEmail
	Emails         []CommitEmail
	Orgs           []string // orgs the author is a visible member of
	ProfileCompany string   // the profile's company field
}

// Evidence is one fact behind a result.
type Evidence struct {
	Rank    Rank
	Match   string // what matched: "login victorgp", "email a@b.org", "domain b.org (a@b.org)", ...
	Dataset string // the data set, when the fact comes from data
	Line    int
	Company string // the company as the source wrote it
	From    Day    // the range that held at the PR's time (MinDay/MaxDay: open)
	Until   Day
}

func (e Evidence) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", e.Rank.Source(), e.Match)
	if e.Dataset != "" {
		b.WriteString(" in " + e.Dataset)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
		}
	}
	if e.Company != "" {
		fmt.Fprintf(&b, " -> %q", e.Company)
	}
	if e.From != MinDay || e.Until != MaxDay {
		fmt.Fprintf(&b, " [%s, %s)", e.From, e.Until)
	}
	return b.String()
}

// Result is the resolution of one author at one time.
type Result struct {
	// Kind: KindCompany, KindIndependent, KindBot, KindUnknown (nothing
	// found), KindOptedOut or KindAmbiguous.
	Kind       Kind
	Company    Company // set for company, independent and bot results
	Rank       Rank    // the deciding rank (RankNone when nothing was found)
	Confidence Confidence
	Evidence   []Evidence
	Candidates []Company // the disagreeing companies of an ambiguous result
}

// Source is the deciding rank's short name ("email-map", ...).
func (r Result) Source() string { return r.Rank.Source() }

func (r Result) String() string {
	switch r.Kind {
	case KindAmbiguous:
		names := make([]string, len(r.Candidates))
		for i, c := range r.Candidates {
			names[i] = c.Name
		}
		return fmt.Sprintf("ambiguous (%s: %s)", r.Rank.Source(), strings.Join(names, " | "))
	case KindOptedOut:
		return "opted out (" + r.Rank.Source() + ")"
	case KindUnknown:
		return "unknown"
	}
	return fmt.Sprintf("%s (%s, %s, %s confidence)", r.Company.Name, r.Kind, r.Rank.Source(), r.Confidence)
}

// Options configure a Resolver.
type Options struct {
	// Sources are the data sets (config maps and prebuilt indexes), searched
	// together; conflicts at one rank are settled by the rules of Resolve.
	Sources []Source
	// Names normalises company strings; nil means built-in rules only.
	Names *Names
	// Orgs maps GitHub organisation logins (any case) to companies: rank 7,
	// and the company of rank-4 org-verified e-mails.
	Orgs map[string]string
	// Exclusions never name an employer by domain; nil means
	// DefaultExclusions(). GitHub no-reply addresses are always excluded.
	Exclusions *Exclusions
}

// Resolver applies §7. It is safe for concurrent use once built.
type Resolver struct {
	sources []Source
	names   *Names
	orgs    map[string]string
	excl    *Exclusions
}

// NewResolver builds a resolver.
func NewResolver(o Options) *Resolver {
	r := &Resolver{sources: o.Sources, names: o.Names, excl: o.Exclusions, orgs: map[string]string{}}
	if r.names == nil {
		r.names = NewNames()
	}
	if r.excl == nil {
		r.excl = DefaultExclusions()
	}
	for org, c := range o.Orgs {
		r.orgs[strings.ToLower(strings.TrimSpace(org))] = c
	}
	return r
}

// Names is the resolver's normaliser.
func (r *Resolver) Names() *Names { return r.names }

// Exclusions is the resolver's exclusion list.
func (r *Resolver) Exclusions() *Exclusions { return r.excl }

// Resolve returns the author's affiliation at f.At (§7): ranks 1 to 8 in
// order, the first rank that finds anything decides. Within a rank, values
// meaning "unknown" (NotFound, ...) are ignored; if the rest disagree at
// f.At, the candidates kept are, in turn, those corroborated by one of the
// author's linked e-mails (rank 2), from the most recently updated data set,
// with the highest devstats source priority, with the longest history; if
// they still disagree the result is KindAmbiguous (no label). A Bot account
// resolves to KindBot at once.
func (r *Resolver) Resolve(f Facts) Result {
	if f.Bot {
		return botAccount(f)
	}
	q := newQuery(&f)
	for rank := RankOverride; rank < RankNone; rank++ {
		if res, ok := r.rank(rank, q); ok {
			return res
		}
	}
	return Result{Kind: KindUnknown, Rank: RankNone, Confidence: ConfidenceNone}
}

// Explain returns what every rank finds (deciding or not), in rank order:
// for "affiliation who" and logs.
func (r *Resolver) Explain(f Facts) []Result {
	var out []Result
	if f.Bot {
		out = append(out, botAccount(f))
	}
	q := newQuery(&f)
	for rank := RankOverride; rank < RankNone; rank++ {
		if res, ok := r.rank(rank, q); ok {
			out = append(out, res)
		}
	}
	return out
}

func botAccount(f Facts) Result {
	return Result{Kind: KindBot, Company: Company{Name: "(Robots)", Key: "robots", Kind: KindBot}, Rank: RankAccountType,
		Confidence: ConfidenceHigh, Evidence: []Evidence{{Rank: RankAccountType, Match: "GitHub account type Bot (" + f.Login + ")", From: MinDay, Until: MaxDay}}}
}

// IsRobot reports whether a project list or e-mail map marks the account as
// a bot ((Robots)) at any time: one of §3.4's bot tests.
func (r *Resolver) IsRobot(login string, id int64) bool {
	keys := []Key{LoginKey(login)}
	if id != 0 {
		keys = append(keys, IDKey(id))
	}
	for _, k := range keys {
		if k.Value == "" {
			continue
		}
		for _, s := range r.sources {
			for h := range s.Find(k) {
				if h.Rank != RankList && h.Rank != RankEmailMap {
					continue
				}
				if id != 0 && h.AccountID != 0 && h.AccountID != id {
					continue
				}
				for _, rg := range h.Ranges {
					if r.names.Company(rg.Company).Kind == KindBot {
						return true
					}
				}
			}
		}
	}
	return false
}

// query is Facts prepared once per resolution.
type query struct {
	f      *Facts
	day    Day
	ids    []Key    // login and id keys
	emails []string // linked addresses, normalised, distinct
}

func newQuery(f *Facts) *query {
	q := &query{f: f, day: gitdmDay(f.At)}
	if k := LoginKey(f.Login); k.Value != "" {
		q.ids = append(q.ids, k)
	}
	if f.ID != 0 {
		q.ids = append(q.ids, IDKey(f.ID))
	}
	for _, e := range f.Emails {
		if !e.Linked {
			continue
		}
		if k := EmailKey(e.Email).Value; k != "" && !slices.Contains(q.emails, k) {
			q.emails = append(q.emails, k)
		}
	}
	return q
}

// refs is a small set of history references.
type refs [][2]uint64

func (s *refs) add(r [2]uint64) bool {
	if slices.Contains(*s, r) {
		return false
	}
	*s = append(*s, r)
	return true
}

type cand struct {
	ref          [2]uint64 // source index and history Ref (data candidates)
	c            Company
	ev           Evidence
	corroborated bool
	updated      Day
	priority     int
	length       int
}

func (r *Resolver) rank(rank Rank, q *query) (Result, bool) {
	f, day := q.f, q.day
	var cs []cand
	switch rank {
	case RankOverride:
		return r.override(f)
	case RankList:
		return r.list(q)
	case RankCLA:
		for _, c := range f.CLA {
			cs = append(cs, r.plain(rank, c.Company, "corporate CLA of "+strings.TrimSpace(c.Company)+viaSuffix(c.Via)))
		}
	case RankVerified:
		for _, v := range f.VerifiedEmails {
			e := EmailKey(v.Email).Value
			if r.excl.Excluded(e) {
				continue
			}
			if c, ok := r.orgs[strings.ToLower(strings.TrimSpace(v.Org))]; ok && v.Org != "" {
				cs = append(cs, r.plain(rank, c, "e-mail "+e+" verified by org "+v.Org))
				continue
			}
			cs = append(cs, r.domain(rank, e, day, "verified by org "+v.Org)...)
		}
		for _, e := range f.Emails {
			if e.Linked && e.Verified {
				if k := EmailKey(e.Email).Value; !r.excl.Excluded(k) {
					cs = append(cs, r.domain(rank, k, day, "signature verified")...)
				}
			}
		}
	case RankEmailMap:
		var seen refs
		for _, k := range q.ids {
			cs = append(cs, r.lookup(k, RankEmailMap, q, &seen)...)
		}
		for _, e := range q.emails {
			cs = append(cs, r.lookup(Key{KeyEmail, e}, RankEmailMap, q, &seen)...)
		}
	case RankEmailDomain:
		for _, e := range q.emails {
			if !r.excl.Excluded(e) {
				cs = append(cs, r.domain(RankEmailDomain, e, day, "")...)
			}
		}
	case RankOrg:
		for _, org := range f.Orgs {
			if c, ok := r.orgs[strings.ToLower(strings.TrimSpace(org))]; ok {
				cs = append(cs, r.plain(rank, c, "member of GitHub org "+org))
			}
		}
	case RankProfile:
		s := cleanName(f.ProfileCompany)
		if s == "" {
			return Result{}, false
		}
		if strings.HasPrefix(strings.TrimSpace(f.ProfileCompany), "@") {
			org, _, _ := strings.Cut(s, " ")
			if c, ok := r.orgs[strings.ToLower(org)]; ok {
				cs = append(cs, r.plain(rank, c, "profile company @"+org))
				break
			}
		}
		cs = append(cs, r.plain(rank, s, fmt.Sprintf("profile company %q", f.ProfileCompany)))
	}
	return decide(rank, cs)
}

func viaSuffix(via string) string {
	if via == "" {
		return ""
	}
	return " (via " + via + ")"
}

func gitdmDay(t time.Time) Day {
	if t.IsZero() {
		return MaxDay - 1 // no time given: "now and on"; callers should always give one
	}
	return dayOf(t)
}

func (r *Resolver) plain(rank Rank, company, match string) cand {
	c := r.names.Company(company)
	return cand{c: c, ev: Evidence{Rank: rank, Match: match, Company: company, From: MinDay, Until: MaxDay}, updated: MinDay}
}

func (r *Resolver) override(f *Facts) (Result, bool) {
	if len(f.Overrides) == 0 {
		return Result{}, false
	}
	best := -1
	for i, o := range f.Overrides {
		if !o.None && r.names.Company(o.Company).Kind == KindUnknown {
			continue // "/affiliation ?" says nothing
		}
		if best < 0 || !o.At.Before(f.Overrides[best].At) {
			best = i
		}
	}
	if best < 0 {
		return Result{}, false
	}
	o := f.Overrides[best]
	ev := Evidence{Rank: RankOverride, Match: "/affiliation by " + o.By, From: MinDay, Until: MaxDay}
	if o.None {
		ev.Company = "none"
		return Result{Kind: KindOptedOut, Rank: RankOverride, Confidence: ConfidenceAuthoritative, Evidence: []Evidence{ev}}, true
	}
	ev.Company = o.Company
	c := r.names.Company(o.Company)
	return Result{Kind: c.Kind, Company: c, Rank: RankOverride, Confidence: ConfidenceAuthoritative, Evidence: []Evidence{ev}}, true
}

// lookup turns the histories under k at one rank into candidates at day.
func (r *Resolver) lookup(k Key, rank Rank, q *query, seen *refs) []cand {
	var cs []cand
	for si, s := range r.sources {
		for h := range s.Find(k) {
			if h.Rank != rank {
				continue
			}
			id := [2]uint64{uint64(si), h.Ref}
			if !seen.add(id) {
				continue
			}
			if (k.Kind == KeyLogin || k.Kind == KeyID) && q.f.ID != 0 && h.AccountID != 0 && h.AccountID != q.f.ID {
				continue // the record is about another account that had this login
			}
			rg, ok := h.At(q.day)
			if !ok {
				continue
			}
			cs = append(cs, cand{
				ref:      id,
				c:        r.names.Company(rg.Company),
				ev:       Evidence{Rank: rank, Match: k.String(), Dataset: h.Dataset.Name, Line: h.Line, Company: rg.Company, From: rg.From, Until: rg.Until},
				updated:  h.Dataset.Updated,
				priority: h.Priority,
				length:   len(h.Ranges),
			})
		}
	}
	return cs
}

// list is rank 2: login (and id) first, then e-mails. The e-mails are
// looked up only when needed: to settle a conflict between login matches
// (a login match also found by a linked e-mail is corroborated), or when the
// login finds nothing.
func (r *Resolver) list(q *query) (Result, bool) {
	var seen refs
	var byLogin []cand
	for _, k := range q.ids {
		byLogin = append(byLogin, r.lookup(k, RankList, q, &seen)...)
	}
	var emailSeen refs
	var byEmail []cand
	done := false
	byEmails := func() {
		if done {
			return
		}
		done = true
		for _, e := range q.emails {
			byEmail = append(byEmail, r.lookup(Key{KeyEmail, e}, RankList, q, &emailSeen)...)
		}
	}
	known := slices.DeleteFunc(byLogin, func(c cand) bool { return c.c.Kind == KindUnknown })
	if len(known) > 0 {
		if !agree(known) {
			byEmails()
			for i := range known {
				known[i].corroborated = slices.Contains(emailSeen, known[i].ref)
			}
		}
		return decide(RankList, known)
	}
	byEmails()
	return decide(RankList, byEmail)
}

// domain looks an address's domain up by longest whole-label suffix (never
// above its registrable domain).
func (r *Resolver) domain(rank Rank, email string, day Day, note string) []cand {
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return nil
	}
	for _, suffix := range DomainSuffixes(email[at+1:]) {
		var cs []cand
		k := Key{KeyDomain, suffix}
		for _, s := range r.sources {
			for h := range s.Find(k) {
				if h.Rank != RankEmailDomain {
					continue
				}
				rg, ok := h.At(day)
				if !ok {
					continue
				}
				match := "domain " + suffix + " of " + email
				if note != "" {
					match += " (" + note + ")"
				}
				cs = append(cs, cand{
					c:        r.names.Company(rg.Company),
					ev:       Evidence{Rank: rank, Match: match, Dataset: h.Dataset.Name, Line: h.Line, Company: rg.Company, From: rg.From, Until: rg.Until},
					updated:  h.Dataset.Updated,
					priority: h.Priority,
					length:   len(h.Ranges),
				})
			}
		}
		if len(cs) > 0 {
			return cs
		}
	}
	return nil
}

// decide settles one rank's candidates.
func decide(rank Rank, cs []cand) (Result, bool) {
	cs = slices.DeleteFunc(cs, func(c cand) bool { return c.c.Kind == KindUnknown })
	if len(cs) == 0 {
		return Result{}, false
	}
	all := cs
	tieBreaks := []func(c cand) int64{
		func(c cand) int64 {
			if c.corroborated {
				return 1
			}
			return 0
		},
		func(c cand) int64 { return int64(c.updated) },
		func(c cand) int64 { return int64(c.priority) },
		func(c cand) int64 { return int64(c.length) },
	}
	for _, key := range tieBreaks {
		if agree(cs) {
			break
		}
		best := key(cs[0])
		for _, c := range cs[1:] {
			best = max(best, key(c))
		}
		cs = slices.DeleteFunc(slices.Clone(cs), func(c cand) bool { return key(c) != best })
	}
	if agree(cs) {
		return Result{Kind: cs[0].c.Kind, Company: cs[0].c, Rank: rank, Confidence: rank.Confidence(), Evidence: evidence(cs)}, true
	}
	var companies []Company
	for _, c := range cs {
		if !slices.ContainsFunc(companies, func(x Company) bool { return x.Key == c.c.Key && x.Kind == c.c.Kind }) {
			companies = append(companies, c.c)
		}
	}
	slices.SortFunc(companies, func(a, b Company) int { return cmp.Compare(a.Key, b.Key) })
	return Result{Kind: KindAmbiguous, Rank: rank, Confidence: ConfidenceNone, Candidates: companies, Evidence: evidence(all)}, true
}

func agree(cs []cand) bool {
	for _, c := range cs[1:] {
		if c.c.Key != cs[0].c.Key || c.c.Kind != cs[0].c.Kind {
			return false
		}
	}
	return true
}

func evidence(cs []cand) []Evidence {
	out := make([]Evidence, 0, len(cs))
	for _, c := range cs {
		if !slices.Contains(out, c.ev) {
			out = append(out, c.ev)
		}
	}
	return out
}
