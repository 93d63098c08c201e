package policy

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/contribution-policy/contribution-policy/internal/affiliation"
	"github.com/contribution-policy/contribution-policy/internal/affiliation/index"
	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/policy/cla"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

// CheckAffiliation names the affiliation verdict (checks.affiliation in the
// JSON verdict). It is informational: it is not among Decision.Checks, so it
// posts no status or check run and never changes the result.
const CheckAffiliation = "affiliation"

// Guidance kinds.
const (
	// GuidanceCorporate is the section for a first-time contributor who
	// works for a company (affiliation.md §3.4 "first-time corporate").
	GuidanceCorporate = "first-time-corporate"
	// GuidanceWelcome is the generic welcome for other first-timers.
	GuidanceWelcome = "welcome"
)

// Options are Evaluate's dependencies besides the configuration and the
// snapshot. The zero value builds what it needs from the configuration.
type Options struct {
	// Affiliation resolves employers; nil builds one from the
	// configuration's own maps (no data files: those are read by the
	// pipeline, which passes the engine it built).
	Affiliation *Affiliation
}

// Affiliation is the affiliation check's pure machinery: a resolver over the
// configuration's maps and any data sets, and the labeler. Build it once per
// configuration and data (the pipeline caches it); it is safe for concurrent
// use.
type Affiliation struct {
	Resolver *affiliation.Resolver
	// Labeler is nil when affiliation labels are off.
	Labeler *affiliation.Labeler
}

// NewAffiliation builds the engine: the configuration's maps (users,
// emails, domains — an in-memory index whose data set counts as the most
// recently updated, so the project's own word wins over bulk data at one
// rank), then sources (prebuilt indexes, data files), with company names
// normalised by names (nil: a new normaliser; the configuration's aliases are
// added to it, so pass one that no one else modifies).
func NewAffiliation(cfg *config.Config, sources []affiliation.Source, names *affiliation.Names) (*Affiliation, error) {
	a := cfg.Affiliation
	if names == nil {
		names = affiliation.NewNames()
	}
	for _, raw := range slices.Sorted(maps.Keys(a.Aliases)) {
		names.AddAlias(raw, a.Aliases[raw])
	}
	var all []affiliation.Source
	if len(a.Users)+len(a.Emails)+len(a.Domains) > 0 {
		b := index.NewBuilder()
		ds := b.Dataset("config", affiliation.MaxDay-1)
		if err := b.AddMaps(ds, index.Maps{Users: a.Users, Emails: a.Emails, Domains: a.Domains}); err != nil {
			return nil, err
		}
		ix, err := b.Build()
		if err != nil {
			return nil, fmt.Errorf("affiliation maps: %w", err)
		}
		all = append(all, ix)
	}
	all = append(all, sources...)
	ex := affiliation.DefaultExclusions()
	for _, d := range a.ExcludeDomains {
		ex.Add(d)
	}
	for _, d := range a.AllowDomains {
		ex.Remove(d)
	}
	eng := &Affiliation{Resolver: affiliation.NewResolver(affiliation.Options{Sources: all, Names: names, Orgs: a.Orgs, Exclusions: ex})}
	if l := cfg.Labels.Affiliation; l.Enabled {
		lb, err := affiliation.NewLabeler(l.Prefix, l.Slugs, names)
		if err != nil {
			return nil, fmt.Errorf("labels.affiliation: %w", err)
		}
		lb.Independent, lb.Unknown = l.Independent, l.Unknown
		eng.Labeler = lb
	}
	return eng, nil
}

// AffiliationResult is the affiliation verdict.
type AffiliationResult struct {
	Result affiliation.Result
	// Label is the label wanted on the pull request ("" = none); Prefix
	// the managed prefix ("" = labels are off), Color and Description what
	// a label created for it gets.
	Label       string
	Prefix      string
	Color       string
	Description string
	// FirstTime is the first-timer verdict (§3.4).
	FirstTime affiliation.FirstTime
	// Err is set when the engine could not be built (the verdict is then
	// unknown).
	Err string
}

// Guidance is the first-time section of the policy comment.
type Guidance struct {
	Kind   string // GuidanceCorporate or GuidanceWelcome
	Login  string // the author
	Result affiliation.Result
	Label  string // the affiliation label, "" when none
	// Company is the configuration's entry for the company, nil when none.
	Company *config.CompanyGuidance
	// Template is the configured template ("" = the built-in one).
	Template     string
	Contributing string
	// Reason says why the author counts as a first-timer.
	Reason string
}

// evaluateAffiliation adds the affiliation verdict and the guidance.
func evaluateAffiliation(cfg *config.Config, s *snapshot.Snapshot, d *Decision, o Options) {
	if !cfg.Affiliation.Enabled && !cfg.Guidance.Enabled {
		return
	}
	res := affiliation.Result{Kind: affiliation.KindUnknown, Rank: affiliation.RankNone}
	var eng *Affiliation
	var engErr string
	if cfg.Affiliation.Enabled {
		eng = o.Affiliation
		if eng == nil {
			var err error
			if eng, err = NewAffiliation(cfg, nil, nil); err != nil {
				engErr = err.Error()
			}
		}
		if eng != nil {
			res = eng.Resolve(cfg, s, d.CLA)
		}
	}
	ft := affiliation.FirstTimer(AuthorFacts(s, eng))
	if cfg.Affiliation.Enabled {
		ar := &AffiliationResult{Result: res, FirstTime: ft, Err: engErr}
		if eng != nil && eng.Labeler != nil {
			l := eng.Labeler
			ar.Prefix, ar.Color = l.Prefix, cfg.Labels.Affiliation.Color
			if label, ok := l.Label(res); ok {
				ar.Label, ar.Description = label, affiliation.LabelDescription(res)
			}
		}
		d.Affiliation = ar
	}
	d.Guidance = guidanceFor(cfg, s, d, eng, res, ft)
}

// Resolve is the author's affiliation at the pull request's creation: the
// snapshot's facts, the author's linked commit e-mails, and the corporate
// coverage the CLA check found (claRes, nil when it did not run). Logins in
// deny_logins are opted out.
func (a *Affiliation) Resolve(cfg *config.Config, s *snapshot.Snapshot, claRes *cla.Result) affiliation.Result {
	login := s.PullRequest.Author.Login
	for _, l := range cfg.Affiliation.DenyLogins {
		if strings.EqualFold(l, login) {
			return affiliation.Result{Kind: affiliation.KindOptedOut, Rank: affiliation.RankOverride,
				Confidence: affiliation.ConfidenceAuthoritative,
				Evidence:   []affiliation.Evidence{{Rank: affiliation.RankOverride, Match: "login " + login + " in affiliation.deny_logins"}}}
		}
	}
	return a.Resolver.Resolve(Facts(s, claRes))
}

// ResolveAffiliation resolves the author as Evaluate would, running the CLA
// check itself when it is enabled: for the pipeline, to decide which GitHub
// reads can still change the verdict.
func ResolveAffiliation(cfg *config.Config, s *snapshot.Snapshot, eng *Affiliation) affiliation.Result {
	var claRes *cla.Result
	if cfg.CLA.Enabled {
		r := cla.Evaluate(cfg.CLA, s)
		claRes = &r
	}
	return eng.Resolve(cfg, s, claRes)
}

// Facts gathers the resolver's facts from a snapshot: the author's account,
// the pull request's creation time, the snapshot's affiliation facts, the
// commit e-mails GitHub links to the author (a committer address of a
// verified commit counts as verified), and the corporate coverage the CLA
// check found for the author.
func Facts(s *snapshot.Snapshot, claRes *cla.Result) affiliation.Facts {
	author := s.PullRequest.Author
	f := affiliation.Facts{At: s.PullRequest.CreatedAt, Login: author.Login, ID: author.ID, Bot: author.IsBot()}
	if af := s.Affiliation; af != nil {
		f.ProfileCompany = af.ProfileCompany
		f.Orgs = append(f.Orgs, af.Orgs...)
		for _, v := range af.VerifiedEmails {
			f.VerifiedEmails = append(f.VerifiedEmails, affiliation.VerifiedEmail{Email: v.Email, Org: v.Org})
		}
		for _, o := range af.Overrides {
			f.Overrides = append(f.Overrides, affiliation.Override{Company: o.Company, None: o.None, By: o.By, At: o.At})
		}
		for _, c := range af.CLA {
			f.CLA = append(f.CLA, affiliation.CLACoverage{Company: c.Company, Via: c.Via})
		}
	}
	seen := map[string]int{}
	addEmail := func(email string, verified bool) {
		k := strings.ToLower(strings.TrimSpace(email))
		if k == "" {
			return
		}
		if i, ok := seen[k]; ok {
			f.Emails[i].Verified = f.Emails[i].Verified || verified
			return
		}
		seen[k] = len(f.Emails)
		f.Emails = append(f.Emails, affiliation.CommitEmail{Email: email, Linked: true, Verified: verified})
	}
	for _, c := range s.Commits {
		if linkedTo(c.Author, author) {
			addEmail(c.Author.Email, false)
		}
		if linkedTo(c.Committer, author) {
			addEmail(c.Committer.Email, c.Verified)
		}
	}
	if claRes != nil {
		for _, ir := range claRes.Identities {
			if ir.Conclusion != cla.Covered || ir.Company == "" || !strings.HasPrefix(ir.Basis, "ccla:") {
				continue
			}
			if !(ir.GitHubID != 0 && ir.GitHubID == author.ID || ir.GitHubID == 0 && author.ID == 0 && ir.Login != "" && strings.EqualFold(ir.Login, author.Login)) {
				continue
			}
			via := ""
			if _, rule, ok := strings.Cut(ir.Basis, "/"); ok {
				via, _, _ = strings.Cut(rule, ":")
			}
			f.CLA = append(f.CLA, affiliation.CLACoverage{Company: ir.Company, Via: via})
		}
	}
	return f
}

// linkedTo reports whether GitHub attributes a git identity to the account:
// by account id when both are known, else by login.
func linkedTo(id snapshot.Identity, a snapshot.Account) bool {
	if id.ID != 0 && a.ID != 0 {
		return id.ID == a.ID
	}
	return id.Login != "" && strings.EqualFold(id.Login, a.Login)
}

// AuthorFacts are the first-timer rule's facts from a snapshot; eng (may
// be nil) marks (Robots) accounts of the data.
func AuthorFacts(s *snapshot.Snapshot, eng *Affiliation) affiliation.AuthorFacts {
	a := s.PullRequest.Author
	af := affiliation.AuthorFacts{Login: a.Login, Type: a.Type, Association: s.PullRequest.AuthorAssociation}
	if eng != nil {
		af.Robot = eng.Resolver.IsRobot(a.Login, a.ID)
	}
	if f := s.Affiliation; f != nil {
		af.Trusted = f.Trusted
		if f.PriorPRs != nil {
			found := make([]affiliation.PRRef, 0, len(f.PriorPRs.Found))
			for _, p := range f.PriorPRs.Found {
				found = append(found, affiliation.PRRef{Repo: p.Repo, Number: p.Number, CreatedAt: p.CreatedAt})
			}
			cur := affiliation.PRRef{Repo: s.Repository.FullName(), Number: s.PullRequest.Number, CreatedAt: s.PullRequest.CreatedAt}
			af.PriorPRs = affiliation.Known(affiliation.PriorPRs(f.PriorPRs.Total, found, cur))
		}
		if f.PriorMergedPRs != nil {
			af.PriorMergedPRs = affiliation.Known(*f.PriorMergedPRs)
		}
		if f.PriorCommits != nil {
			af.PriorCommits = affiliation.Known(*f.PriorCommits)
		}
	}
	return af
}

// guidanceFor decides the guidance section (§3.4): first shown on opened
// (or reopened) to a first-time contributor — the corporate section when
// the author resolved to a company with at least medium confidence, the
// welcome when configured — and kept once shown.
func guidanceFor(cfg *config.Config, s *snapshot.Snapshot, d *Decision, eng *Affiliation, r affiliation.Result, ft affiliation.FirstTime) *Guidance {
	g := cfg.Guidance
	if !g.Enabled || s.PullRequest.Author.IsBot() || ft.Reason == "bot account" {
		return nil
	}
	action, shown := "", false
	if f := s.Affiliation; f != nil {
		action, shown = f.Action, f.GuidanceShown
	}
	if !affiliation.GuidanceWanted(action, shown) {
		return nil
	}
	var kind string
	switch {
	case shown && r.Kind == affiliation.KindCompany:
		kind = GuidanceCorporate
	case shown:
		kind = GuidanceWelcome
	case affiliation.FirstTimeCorporate(ft, r):
		kind = GuidanceCorporate
	case ft.FirstPR && g.Welcome:
		kind = GuidanceWelcome
	default:
		return nil
	}
	out := &Guidance{Kind: kind, Login: s.PullRequest.Author.Login, Result: r, Contributing: g.Contributing, Reason: ft.Reason}
	if shown {
		out.Reason = "guidance already shown on this pull request"
	}
	if d.Affiliation != nil {
		out.Label = d.Affiliation.Label
	}
	out.Template = g.WelcomeTemplate
	if kind == GuidanceCorporate {
		out.Template = g.Template
		if eng != nil {
			out.Company = companyGuidance(g.Companies, r, eng.Resolver.Names())
		}
	}
	return out
}

// companyGuidance finds the configuration's entry for the resolved company.
func companyGuidance(list []config.CompanyGuidance, r affiliation.Result, names *affiliation.Names) *config.CompanyGuidance {
	if r.Kind != affiliation.KindCompany {
		return nil
	}
	for i := range list {
		c := names.Company(list[i].Company)
		if c.Key != "" && c.Key == r.Company.Key {
			return &list[i]
		}
	}
	return nil
}

// NeedsOrgs reports whether reading the author's organisation memberships
// can change r: the configuration maps organisations and nothing at a
// stronger rank (1–6) decided.
func NeedsOrgs(cfg *config.Config, r affiliation.Result) bool {
	return cfg.Affiliation.Enabled && len(cfg.Affiliation.Orgs) > 0 && r.Rank > affiliation.RankEmailDomain && r.Kind != affiliation.KindBot
}

// NeedsProfile reports whether reading the author's profile (its company
// field, rank 8) can change r: nothing was found at any other rank.
func NeedsProfile(cfg *config.Config, r affiliation.Result) bool {
	return cfg.Affiliation.Enabled && r.Rank == affiliation.RankNone && r.Kind == affiliation.KindUnknown
}

// NeedsPriorPRs reports whether searching the author's earlier pull
// requests can change the guidance: it is enabled, this event may first
// show it, the author is neither a bot nor trusted nor a known contributor,
// the section would have something to say (a company with at least medium
// confidence, or the welcome is on), and author_association cannot answer
// on its own (NONE, or any value when the scope is the organisation).
func NeedsPriorPRs(cfg *config.Config, s *snapshot.Snapshot, r affiliation.Result) bool {
	g := cfg.Guidance
	f := s.Affiliation
	if !g.Enabled || f == nil || f.GuidanceShown || f.PriorPRs != nil || f.Trusted || !affiliation.GuidanceWanted(f.Action, false) {
		return false
	}
	a := s.PullRequest.Author
	if affiliation.IsBotAccount(affiliation.AuthorFacts{Login: a.Login, Type: a.Type}) || a.Type == "Mannequin" {
		return false
	}
	corporate := r.Kind == affiliation.KindCompany && r.Confidence >= affiliation.ConfidenceMedium
	if !corporate && !g.Welcome {
		return false
	}
	switch strings.ToUpper(s.PullRequest.AuthorAssociation) {
	case affiliation.AssocOwner, affiliation.AssocMember, affiliation.AssocCollaborator, affiliation.AssocContributor, affiliation.AssocMannequin:
		return false
	case affiliation.AssocFirstTimeContributor, affiliation.AssocFirstTimer:
		return g.Scope == config.ScopeOrg
	}
	return true
}
