package index

import (
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/contribution-policy/contribution-policy/internal/affiliation"
	"github.com/contribution-policy/contribution-policy/internal/gitdm"
)

// FileOptions say how to read one input file.
type FileOptions struct {
	Format  gitdm.Format     // "" = gitdm.Detect(name)
	Dataset string           // data set name; "" = the file's base name
	Updated affiliation.Day  // when the data set was updated; 0 = unknown
	Rank    affiliation.Rank // 0 = the format's default (see AddFile)
	Project string           // LF profiles: the project whose scoped enrollments apply
}

// AddFile reads one input and adds its records. The default rank per format
// (affiliation.md §7):
//
//   - developers_affiliations, company_developers, Stackalytics users, and
//     github_users records with source user/user_manual/manual: RankList
//     (project-maintained lists), keyed by login, e-mails and, from
//     ID+login no-reply addresses, the account id;
//   - email-map lines and github_users records with source config, "",
//     domain or notfound: RankEmailMap, keyed by e-mail, and no-reply
//     addresses also by login and id;
//   - LF profiles: RankEmailMap (an archived, machine-merged identity store),
//     keyed by e-mails and GitHub logins;
//   - domain-map lines, Stackalytics company domains: RankEmailDomain;
//   - company-names-mapping, Stackalytics aliases, companies.yaml: company
//     names; aliases: e-mail aliases.
//
// Problems (malformed lines, skipped) are returned in the Stats; the error
// is for unreadable input.
func (b *Builder) AddFile(name string, r io.Reader, o FileOptions) (gitdm.Stats, error) {
	f := o.Format
	if f == "" {
		f = gitdm.Detect(name)
	}
	dsName := o.Dataset
	if dsName == "" {
		dsName = strings.ReplaceAll(name, "\\", "/")
	}
	updated := o.Updated
	if updated == 0 {
		updated = affiliation.MinDay
	}
	ds := b.Dataset(dsName, updated)
	b.reserve(f, inputSize(r))
	rank := func(def affiliation.Rank) affiliation.Rank {
		if o.Rank != 0 {
			return o.Rank
		}
		return def
	}
	switch f {
	case gitdm.FormatDevelopers:
		return gitdm.ReadDevelopers(r, name, func(d gitdm.Developer) error {
			b.addPerson(ds, rank(affiliation.RankList), d.Line, 0, []string{d.Login}, d.Emails, toRanges(d.Ranges), false)
			return nil
		})
	case gitdm.FormatCompanyDevelopers:
		type person struct {
			line   int
			emails []string
			ranges []affiliation.Range
		}
		people := map[string]*person{}
		var order []string
		st, err := gitdm.ReadCompanyDevelopers(r, name, func(d gitdm.CompanyDeveloper) error {
			p := people[d.Login]
			if p == nil {
				p = &person{line: d.Line}
				people[d.Login] = p
				order = append(order, d.Login)
			}
			p.emails = append(p.emails, d.Emails...)
			p.ranges = append(p.ranges, toRanges(d.Ranges)...)
			return nil
		})
		for _, login := range order {
			p := people[login]
			b.addPerson(ds, rank(affiliation.RankList), p.line, 0, []string{login}, p.emails, p.ranges, false)
		}
		return st, err
	case gitdm.FormatMap:
		return gitdm.ReadMap(r, name, func(e gitdm.MapEntry) error {
			if e.Domain {
				b.AddMapEntry(ds, affiliation.RankEmailDomain, affiliation.DomainKey(e.Key), e.Company, e.Until, e.Line, 0)
				return nil
			}
			b.addMapEmail(ds, rank(affiliation.RankEmailMap), e.Key, e.Company, e.Until, e.Line)
			return nil
		})
	case gitdm.FormatAliases:
		return gitdm.ReadAliases(r, name, func(a gitdm.Alias) error {
			if !a.Name {
				b.AddEmailAlias(a.From, a.To)
			}
			return nil
		})
	case gitdm.FormatCompanyNames:
		return gitdm.ReadCompanyNames(r, name, func(c gitdm.CompanyName) error {
			b.AddCompanyAlias(c.Raw, c.Canonical)
			return nil
		})
	case gitdm.FormatAcquisitions:
		acq, st, err := gitdm.ReadAcquisitions(r, name)
		for _, a := range acq {
			if e := b.AddAcquisition(a.Pattern, a.Company); e != nil && err == nil {
				err = e
			}
		}
		return st, err
	case gitdm.FormatGitHubUsers:
		return gitdm.ReadGitHubUsers(r, name, func(u gitdm.GitHubUser) error {
			prio := gitdm.SourcePriority(u.Source)
			rk := affiliation.RankEmailMap
			if prio > gitdm.SourcePriority("config") {
				rk = affiliation.RankList
			}
			var emails []string
			if u.Email != "" {
				emails = []string{u.Email}
			}
			b.addPerson(ds, rank(rk), u.Line, prio, []string{u.Login}, emails, toRanges(u.Ranges), true)
			return nil
		})
	case gitdm.FormatStackalytics:
		return gitdm.ReadStackalytics(r, name, func(u gitdm.StackalyticsUser) error {
			var logins []string
			if u.GitHubID != "" {
				logins = []string{u.GitHubID}
			}
			b.addPerson(ds, rank(affiliation.RankList), u.Line, 0, logins, u.Emails, toRanges(u.Ranges), false)
			return nil
		}, func(c gitdm.StackalyticsCompany) error {
			for _, d := range c.Domains {
				if gitdm.ValidDomain(d) {
					b.AddMapEntry(ds, affiliation.RankEmailDomain, affiliation.DomainKey(d), c.Name, affiliation.MaxDay, c.Line, 0)
				}
			}
			for _, a := range c.Aliases {
				b.AddCompanyAlias(a, c.Name)
			}
			return nil
		})
	case gitdm.FormatProfiles:
		return gitdm.ReadProfiles(r, name, o.Project, func(p gitdm.Profile) error {
			rs := toRanges(p.Ranges)
			if p.Bot {
				rs = []affiliation.Range{{From: affiliation.MinDay, Until: affiliation.MaxDay, Company: "(Robots)"}}
			}
			b.addPerson(ds, rank(affiliation.RankEmailMap), p.Line, 0, p.GitHubLogins, p.Emails, rs, false)
			return nil
		})
	case gitdm.FormatConfig:
		return gitdm.Stats{}, fmt.Errorf("%s: a gitdm.config names other files; use AddConfig", name)
	case "":
		return gitdm.Stats{}, fmt.Errorf("%s: unknown format (name it explicitly)", name)
	}
	return gitdm.Stats{}, fmt.Errorf("%s: format %q cannot be indexed on its own", name, f)
}

// AddConfig reads a classic gitdm.config and the files it names
// (EmailAliases, EmailMap, GroupMap, relative to the config's directory in
// fsys); other directives are ignored.
func (b *Builder) AddConfig(fsys fs.FS, name string, o FileOptions) ([]gitdm.Stats, error) {
	cfg, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	var dirs []gitdm.Directive
	st, err := gitdm.ReadConfig(cfg, name, func(d gitdm.Directive) error { dirs = append(dirs, d); return nil })
	cfg.Close()
	all := []gitdm.Stats{st}
	if err != nil {
		return all, err
	}
	dir := path.Dir(name)
	updated := o.Updated
	if updated == 0 {
		updated = affiliation.MinDay
	}
	for _, d := range dirs {
		if len(d.Args) == 0 {
			continue
		}
		file := path.Join(dir, d.Args[0])
		var format gitdm.Format
		switch d.Name {
		case "EmailAliases":
			format = gitdm.FormatAliases
		case "EmailMap", "DomainMap":
			format = gitdm.FormatMap
		case "GroupMap":
			if len(d.Args) < 2 {
				continue
			}
			f, err := fsys.Open(file)
			if err != nil {
				return all, fmt.Errorf("%s:%d: %w", name, d.Line, err)
			}
			ds := b.Dataset(path.Base(file), updated)
			employer := d.Args[1]
			st, err := gitdm.ReadGroup(f, file, func(e string, line int) error {
				b.addMapEmail(ds, affiliation.RankEmailMap, e, employer, affiliation.MaxDay, line)
				return nil
			})
			f.Close()
			all = append(all, st)
			if err != nil {
				return all, err
			}
			continue
		default:
			continue
		}
		f, err := fsys.Open(file)
		if err != nil {
			return all, fmt.Errorf("%s:%d: %w", name, d.Line, err)
		}
		fo := o
		fo.Format, fo.Dataset = format, ""
		st, err := b.AddFile(file, f, fo)
		f.Close()
		all = append(all, st)
		if err != nil {
			return all, err
		}
	}
	return all, nil
}

// inputSize is the size of r when it can tell (bytes.Reader, os.File, ...).
func inputSize(r io.Reader) int64 {
	switch v := r.(type) {
	case interface{ Len() int }:
		return int64(v.Len())
	case interface{ Stat() (fs.FileInfo, error) }:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			return fi.Size()
		}
	}
	return 0
}

// reserve grows the tables for an input of n bytes, so 400,000 lines do not
// copy them over and over (large slices grow by 1.25x). Bytes per record
// measured on cncf/gitdm files.
func (b *Builder) reserve(f gitdm.Format, n int64) {
	if n <= 0 || n > 1<<32 {
		return
	}
	var perKey, perHist, perRange int64
	switch f {
	case gitdm.FormatDevelopers, gitdm.FormatCompanyDevelopers:
		perKey, perHist, perRange = 48, 128, 65
	case gitdm.FormatMap:
		perKey, perHist, perRange = 45, 60, 43
	case gitdm.FormatGitHubUsers:
		perKey, perHist, perRange = 120, 250, 120
	default:
		return
	}
	b.keys = slices.Grow(b.keys, int(n/perKey))
	b.hists = slices.Grow(b.hists, int(n/perHist))
	b.ranges = slices.Grow(b.ranges, int(n/perRange))
}

func toRanges(rs []gitdm.Range) []affiliation.Range {
	out := make([]affiliation.Range, len(rs))
	for i, r := range rs {
		out[i] = affiliation.Range{From: r.From, Until: r.Until, Company: r.Company}
	}
	return out
}

// addPerson adds one person's history under logins, e-mails and the ids of
// their ID+login no-reply addresses. The login of a no-reply address is not
// a key here: it may be an old login now owned by someone else.
func (b *Builder) addPerson(ds DatasetID, rank affiliation.Rank, line, prio int, logins, emails []string, rs []affiliation.Range, dedupe bool) {
	keys := make([]affiliation.Key, 0, len(logins)+2*len(emails))
	for _, l := range logins {
		if k := affiliation.LoginKey(l); k.Value != "" {
			keys = append(keys, k)
		}
	}
	var account int64
	for _, e := range emails {
		k := affiliation.EmailKey(e)
		if k.Value == "" {
			continue
		}
		keys = append(keys, k)
		if n, ok := gitdm.ParseNoreply(k.Value); ok && n.ID != 0 {
			keys = append(keys, affiliation.IDKey(n.ID))
			if account == 0 {
				account = n.ID
			}
		}
	}
	b.add(History{Dataset: ds, Rank: rank, Line: line, Priority: prio, AccountID: account, Keys: keys, Ranges: rs}, dedupe)
}

// addMapEmail adds one e-mail map line; a no-reply address is also filed
// under its id and login (§7 rank 5), with the id as the account guard.
func (b *Builder) addMapEmail(ds DatasetID, rank affiliation.Rank, email, company string, until affiliation.Day, line int) {
	k := affiliation.EmailKey(email)
	n, ok := gitdm.ParseNoreply(k.Value)
	b.AddMapEntry(ds, rank, k, company, until, line, n.ID)
	if !ok || n.Bot {
		return
	}
	if n.ID != 0 {
		b.AddMapEntry(ds, rank, affiliation.IDKey(n.ID), company, until, line, n.ID)
	}
	b.AddMapEntry(ds, rank, affiliation.LoginKey(n.Login), company, until, line, n.ID)
}
