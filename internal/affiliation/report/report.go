// Package report counts contributions by employer over a period: pull
// requests opened and merged, and distinct contributors, per affiliation, as
// a Markdown table, CSV, JSON or an SVG bar chart. It is pure: the caller
// reads the pull requests from GitHub and passes them in with a resolver for
// those that carry no affiliation label.
package report

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/affiliation"
)

// PR is what the report needs to know about one pull request.
type PR struct {
	Repo      string // owner/name
	Number    int
	Author    string // login
	AuthorID  int64
	Bot       bool // GitHub says the author is a bot: never counted
	CreatedAt time.Time
	MergedAt  time.Time // zero when not merged
	Labels    []string
	// Affiliation is the author's resolution when the caller already has it
	// (e.g. from the check's output); nil to use labels or Resolve.
	Affiliation *affiliation.Result
}

// ResolveFunc resolves a PR's author at its CreatedAt (typically a closure
// over affiliation.Resolver and the facts read from GitHub).
type ResolveFunc func(PR) affiliation.Result

// Options configure Build.
type Options struct {
	Since time.Time // period start (inclusive); zero = no start
	Until time.Time // period end (exclusive); zero = no end
	Scope string    // what was read, for titles: "owner/repo" or "org"
	// Labeler reads affiliation labels (prefix, pinned slugs) and names
	// buckets; nil = affiliation.DefaultLabeler().
	Labeler *affiliation.Labeler
	// Resolve is used for PRs with neither an affiliation label nor an
	// Affiliation; nil counts them as unknown.
	Resolve ResolveFunc
}

// Row is one employer's counts. Slug is the bucket: the label slug,
// "independent", or "unknown" (nothing found, ambiguous or opted out).
type Row struct {
	Employer     string           `json:"employer"`
	Slug         string           `json:"slug"`
	Kind         affiliation.Kind `json:"-"`
	KindName     string           `json:"kind"`
	Opened       int              `json:"prs_opened"`
	Merged       int              `json:"prs_merged"`
	Contributors int              `json:"contributors"`
}

// Report is the result of Build.
type Report struct {
	Scope string
	Since time.Time
	Until time.Time
	Rows  []Row // most PRs opened first; "unknown" last
	Total Row   // Contributors counts distinct people overall
}

// Build attributes every PR opened or merged in the period to a bucket, in
// this order: bots are skipped; an affiliation label on the PR wins (people
// may have corrected it); then PR.Affiliation; then Resolve. A PR opened and
// merged in the period counts in both columns; a contributor counts once per
// employer, and an author who changed employer counts under each.
func Build(prs []PR, o Options) Report {
	l := o.Labeler
	if l == nil {
		l = affiliation.DefaultLabeler()
	}
	in := func(t time.Time) bool {
		return !t.IsZero() && (o.Since.IsZero() || !t.Before(o.Since)) && (o.Until.IsZero() || t.Before(o.Until))
	}
	type bucket struct {
		row     Row
		authors map[string]bool
	}
	buckets := map[string]*bucket{}
	names := map[string]string{} // slug -> employer name learned from resolutions
	everyone := map[string]bool{}
	rep := Report{Scope: o.Scope, Since: o.Since, Until: o.Until}
	type placed struct {
		pr   PR
		slug string
		kind affiliation.Kind
	}
	var todo []placed
	for _, pr := range prs {
		opened, merged := in(pr.CreatedAt), in(pr.MergedAt)
		if (!opened && !merged) || pr.Bot {
			continue
		}
		slug, kind, name, ok := fromLabels(l, pr.Labels)
		if !ok {
			var r affiliation.Result
			switch {
			case pr.Affiliation != nil:
				r = *pr.Affiliation
			case o.Resolve != nil:
				r = o.Resolve(pr)
			default:
				r = affiliation.Result{Kind: affiliation.KindUnknown}
			}
			if r.Kind == affiliation.KindBot {
				continue
			}
			slug, kind, name = fromResult(l, r)
			if name != "" {
				if _, seen := names[slug]; !seen {
					names[slug] = name
				}
			}
		}
		todo = append(todo, placed{pr, slug, kind})
	}
	for _, p := range todo {
		b := buckets[p.slug]
		if b == nil {
			b = &bucket{row: Row{Slug: p.slug, Kind: p.kind, Employer: employerName(l, p.slug, p.kind, names)}, authors: map[string]bool{}}
			buckets[p.slug] = b
		}
		who := strings.ToLower(p.pr.Author)
		if in(p.pr.CreatedAt) {
			b.row.Opened++
			rep.Total.Opened++
		}
		if in(p.pr.MergedAt) {
			b.row.Merged++
			rep.Total.Merged++
		}
		b.authors[who] = true
		everyone[who] = true
	}
	for _, b := range buckets {
		b.row.Contributors = len(b.authors)
		b.row.KindName = b.row.Kind.String()
		rep.Rows = append(rep.Rows, b.row)
	}
	rep.Total.Employer, rep.Total.Slug, rep.Total.Contributors = "Total", "", len(everyone)
	slices.SortFunc(rep.Rows, func(a, b Row) int {
		au, bu := a.Slug == affiliation.SlugUnknown, b.Slug == affiliation.SlugUnknown
		if au != bu {
			if au {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(b.Opened, a.Opened), cmp.Compare(b.Merged, a.Merged), cmp.Compare(b.Contributors, a.Contributors),
			cmp.Compare(strings.ToLower(a.Employer), strings.ToLower(b.Employer)), cmp.Compare(a.Slug, b.Slug))
	})
	return rep
}

// fromLabels finds the PR's affiliation label (the first in name order when
// there are several).
func fromLabels(l *affiliation.Labeler, labels []string) (slug string, kind affiliation.Kind, name string, ok bool) {
	for _, lb := range labels {
		if !l.Managed(lb) {
			continue
		}
		s := strings.TrimPrefix(lb, l.Prefix)
		if !ok || s < slug {
			slug, ok = s, true
		}
	}
	if !ok {
		return "", 0, "", false
	}
	switch slug {
	case affiliation.SlugIndependent:
		return slug, affiliation.KindIndependent, "", true
	case affiliation.SlugUnknown:
		return slug, affiliation.KindUnknown, "", true
	}
	return slug, affiliation.KindCompany, "", true
}

func fromResult(l *affiliation.Labeler, r affiliation.Result) (slug string, kind affiliation.Kind, name string) {
	switch r.Kind {
	case affiliation.KindCompany:
		if s := l.Slug(r.Company); s != "" {
			return s, affiliation.KindCompany, r.Company.Name
		}
	case affiliation.KindIndependent:
		return affiliation.SlugIndependent, affiliation.KindIndependent, ""
	}
	// Unknown, ambiguous, opted out: not attributed to anyone.
	return affiliation.SlugUnknown, affiliation.KindUnknown, ""
}

func employerName(l *affiliation.Labeler, slug string, kind affiliation.Kind, names map[string]string) string {
	switch kind {
	case affiliation.KindIndependent:
		return "Independent"
	case affiliation.KindUnknown:
		return "Unknown"
	}
	if n, ok := l.PinnedCompany(slug); ok {
		return n
	}
	if n, ok := names[slug]; ok {
		return n
	}
	return slug // a label nobody resolved in this run: its slug is all we know
}
