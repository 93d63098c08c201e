package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/affiliation"
	"github.com/contribution-policy/contribution-policy/internal/affiliation/index"
	"github.com/contribution-policy/contribution-policy/internal/affiliation/report"
	"github.com/contribution-policy/contribution-policy/internal/clastore"
	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/gh"
	"github.com/contribution-policy/contribution-policy/internal/pipeline"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

const reportSynopsis = "report (--repo OWNER/REPO | --org ORG) --since DATE [--until DATE] [--format markdown|csv|json|svg] [--out FILE] [--config FILE] [--index FILE]"

// searchCap is how many results one search serves (GitHub's 1,000); a
// variable so tests can make the date-range splitting happen on small data.
var searchCap = gh.SearchCap

// runReport counts contributions by employer: pull requests opened and
// merged in a period, read through the search API, attributed by their
// affiliation label where they carry one (people may have corrected it) and
// otherwise by the same resolver the checks use (the configuration's maps
// and data, and the authors' /affiliation overrides).
func runReport(ctx context.Context, env Env, args []string) (int, error) {
	fs := newFlags("report", env, reportSynopsis)
	repoFlag := fs.String("repo", "", "the repository, OWNER/REPO")
	org := fs.String("org", "", "every repository of an organisation (or user)")
	sinceFlag := fs.String("since", "", "period start, YYYY-MM-DD or RFC 3339 (inclusive)")
	untilFlag := fs.String("until", "", "period end, YYYY-MM-DD or RFC 3339 (exclusive; default now)")
	format := fs.String("format", "markdown", "markdown, csv, json or svg")
	outPath := fs.String("out", "", "write to FILE instead of standard output")
	cfgPath := fs.String("config", "", "a local configuration file (default: the repository's, or the organisation's .github repository's)")
	idxPath := fs.String("index", "", "a prebuilt affiliation index to search besides the configured data")
	apiURL := fs.String("api-url", "", "GitHub API URL (default GITHUB_API_URL or https://api.github.com/)")
	top := fs.Int("top", 12, "svg: employers shown before \"Other\"")
	if err := fs.Parse(args); err != nil {
		return ExitError, err
	}
	if (*repoFlag == "") == (*org == "") {
		return ExitError, usageError("give --repo OWNER/REPO or --org ORG")
	}
	if *sinceFlag == "" {
		return ExitError, usageError("--since is required")
	}
	since, err := parseWhen(*sinceFlag)
	if err != nil {
		return ExitError, usageError("--since %q: want YYYY-MM-DD or RFC 3339", *sinceFlag)
	}
	until := time.Now().UTC().Truncate(time.Second)
	if *untilFlag != "" {
		if until, err = parseWhen(*untilFlag); err != nil {
			return ExitError, usageError("--until %q: want YYYY-MM-DD or RFC 3339", *untilFlag)
		}
	}
	if !until.After(since) {
		return ExitError, usageError("--until must be after --since")
	}
	switch *format {
	case "markdown", "md", "csv", "json", "svg":
	default:
		return ExitError, usageError("--format is markdown, csv, json or svg")
	}
	owner, repo, scope := *org, "", *org
	if *repoFlag != "" {
		var ok bool
		if owner, repo, ok = strings.Cut(*repoFlag, "/"); !ok || owner == "" || repo == "" {
			return ExitError, usageError("--repo wants OWNER/REPO")
		}
		scope = *repoFlag
	}
	c, err := apiClient(env, *apiURL)
	if err != nil {
		return ExitError, err
	}
	cfg, cfgRepo, err := reportConfig(ctx, env, c, *cfgPath, owner, repo)
	if err != nil {
		return ExitError, err
	}
	p := &pipeline.Pipeline{GitHub: c}
	if *idxPath != "" {
		f, err := os.Open(resolvePath(env.Dir, *idxPath))
		if err != nil {
			return ExitError, err
		}
		ix, err := index.Load(f)
		f.Close()
		if err != nil {
			return ExitError, fmt.Errorf("%s: %w", *idxPath, err)
		}
		p.AffiliationSources = []affiliation.Source{ix}
	}
	eng, err := p.AffiliationEngine(ctx, cfg, owner, cfgRepo, "HEAD")
	if err != nil {
		return ExitError, err
	}
	qualifier := "repo:" + scope
	if *org != "" {
		qualifier = "org:" + *org
	}
	prs, err := searchPeriod(ctx, c, qualifier, since, until)
	if err != nil {
		return ExitError, err
	}
	labeler := eng.Labeler
	if labeler == nil {
		// Labels off here now: still read those a pull request carries.
		l := cfg.Labels.Affiliation
		if labeler, err = affiliation.NewLabeler(l.Prefix, l.Slugs, eng.Resolver.Names()); err != nil {
			return ExitError, err
		}
		labeler.Independent, labeler.Unknown = l.Independent, l.Unknown
	}
	overrides, err := reportOverrides(ctx, env, c, cfg, prs, labeler)
	if err != nil {
		fmt.Fprintf(env.Stderr, "warning: the /affiliation overrides could not be read (%v); authors who opted out may be counted\n", err)
	}
	resolve := func(pr report.PR) affiliation.Result {
		s := &snapshot.Snapshot{PullRequest: snapshot.PullRequest{CreatedAt: pr.CreatedAt, Author: snapshot.Account{Login: pr.Author, ID: pr.AuthorID}}}
		if o, ok := overrides[pr.AuthorID]; ok {
			s.Affiliation = &snapshot.AffiliationFacts{Overrides: []snapshot.AffiliationOverride{o}}
		}
		return eng.Resolve(cfg, s, nil)
	}
	rep := report.Build(prs, report.Options{Since: since, Until: until, Scope: scope, Labeler: labeler, Resolve: resolve})
	var w io.Writer = env.Stdout
	if *outPath != "" {
		f, err := os.Create(resolvePath(env.Dir, *outPath))
		if err != nil {
			return ExitError, err
		}
		defer f.Close()
		w = f
	}
	switch *format {
	case "csv":
		err = rep.CSV(w)
	case "json":
		err = rep.JSON(w)
	case "svg":
		err = rep.SVG(w, *top)
	default:
		err = rep.Markdown(w)
	}
	if err != nil {
		return ExitError, err
	}
	fmt.Fprintf(env.Stderr, "%d pull request(s) read for %s\n", len(prs), rep.Title())
	return ExitOK, nil
}

// reportConfig reads the configuration: a local file, else the
// repository's (or, for an organisation, its .github repository's) at the
// default branch, else the defaults. cfgRepo is the repository whose paths
// the configuration's data files are relative to.
func reportConfig(ctx context.Context, env Env, c *gh.Client, local, owner, repo string) (cfg *config.Config, cfgRepo string, err error) {
	cfgRepo = repo
	if cfgRepo == "" {
		cfgRepo = ".github"
	}
	if local != "" {
		data, err := os.ReadFile(resolvePath(env.Dir, local))
		if err != nil {
			return nil, "", err
		}
		cfg, err := config.Parse(data, config.Source{Path: local})
		return cfg, cfgRepo, err
	}
	f, err := c.GetFile(ctx, owner, cfgRepo, "HEAD", config.PolicyPath)
	switch {
	case gh.IsNotFound(err) && repo != "":
		// The organisation's file, as the checks fall back to it.
		if f, err = c.GetFile(ctx, owner, ".github", "HEAD", config.PolicyPath); err == nil {
			cfgRepo = ".github"
		}
	}
	switch {
	case gh.IsNotFound(err):
		d := config.Default()
		return &d, cfgRepo, nil
	case err != nil:
		return nil, "", err
	}
	cfg, err = config.Parse(f.Content, config.Source{Repo: owner + "/" + cfgRepo, Ref: "HEAD", Path: config.PolicyPath})
	return cfg, cfgRepo, err
}

// searchPeriod reads the pull requests opened, and those merged, in
// [since, until), de-duplicated.
func searchPeriod(ctx context.Context, c *gh.Client, qualifier string, since, until time.Time) ([]report.PR, error) {
	seen := map[string]bool{}
	var out []report.PR
	for _, q := range []string{"is:pr " + qualifier + " created:%s", "is:pr is:merged " + qualifier + " merged:%s"} {
		hits, err := searchRange(ctx, c, q, since, until)
		if err != nil {
			return nil, err
		}
		for _, h := range hits {
			k := fmt.Sprintf("%s#%d", strings.ToLower(h.Repo), h.Number)
			if seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, report.PR{Repo: h.Repo, Number: h.Number, Author: h.Author, AuthorID: h.AuthorID,
				Bot: h.AuthorType == "Bot" || strings.HasSuffix(h.Author, "[bot]"), CreatedAt: h.CreatedAt, MergedAt: h.MergedAt, Labels: h.Labels})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Repo != out[j].Repo {
			return out[i].Repo < out[j].Repo
		}
		return out[i].Number < out[j].Number
	})
	return out, nil
}

// searchRange pages through one search over [from, to); when GitHub has
// more than it serves for one query (1,000), the range is halved and each
// half searched on its own.
func searchRange(ctx context.Context, c *gh.Client, format string, from, to time.Time) ([]gh.SearchPR, error) {
	q := fmt.Sprintf(format, from.UTC().Format(time.RFC3339)+".."+to.Add(-time.Second).UTC().Format(time.RFC3339))
	const perPage = 100
	total, first, _, err := c.SearchPRs(ctx, q, 1, perPage)
	if err != nil {
		return nil, err
	}
	if total > searchCap {
		if to.Sub(from) <= time.Second {
			return nil, fmt.Errorf("search %q: more than %d pull requests within one second; GitHub cannot list them all", q, searchCap)
		}
		mid := from.Add(to.Sub(from) / 2).Truncate(time.Second)
		if !mid.After(from) {
			mid = from.Add(time.Second)
		}
		a, err := searchRange(ctx, c, format, from, mid)
		if err != nil {
			return nil, err
		}
		b, err := searchRange(ctx, c, format, mid, to)
		return append(a, b...), err
	}
	out := first
	for page := 2; len(out) < total && (page-1)*perPage < searchCap; page++ {
		_, more, _, err := c.SearchPRs(ctx, q, page, perPage)
		if err != nil {
			return nil, err
		}
		if len(more) == 0 {
			break
		}
		out = append(out, more...)
	}
	if len(out) < total {
		return nil, fmt.Errorf("search %q: read %d of %d results (the index changed while reading?); try again", q, len(out), total)
	}
	return out, nil
}

// reportOverrides reads the /affiliation overrides of the authors of pull
// requests without an affiliation label, from the configuration's store (a
// shared one once, else each repository's own): an author who opted out is
// not attributed.
func reportOverrides(ctx context.Context, env Env, c *gh.Client, cfg *config.Config, prs []report.PR, l *affiliation.Labeler) (map[int64]snapshot.AffiliationOverride, error) {
	shared := cfg.CLA.Store.Repo != "" || cfg.CLA.Store.Backend == config.StoreSQL
	ids := map[string]map[int64]bool{} // store's repository -> authors
	for _, pr := range prs {
		if pr.Bot || pr.AuthorID <= 0 || hasManaged(pr.Labels, l) {
			continue
		}
		k := pr.Repo
		if shared {
			k = prs[0].Repo // any: the configured store does not depend on it
		}
		if ids[k] == nil {
			ids[k] = map[int64]bool{}
		}
		ids[k][pr.AuthorID] = true
	}
	repos := make([]string, 0, len(ids))
	for r := range ids {
		repos = append(repos, r)
	}
	sort.Strings(repos)
	open := claStoreOpener(c, env)
	out := map[int64]snapshot.AffiliationOverride{}
	for _, r := range repos {
		owner, name, _ := strings.Cut(r, "/")
		st, err := open(ctx, snapshot.Repository{Owner: owner, Name: name}, cfg.CLA.Store)
		if err != nil {
			return out, err
		}
		list := make([]int64, 0, len(ids[r]))
		for id := range ids[r] {
			list = append(list, id)
		}
		sort.Slice(list, func(i, j int) bool { return list[i] < list[j] })
		recs, err := st.Lookup(ctx, list, []string{clastore.AffiliationAgreement})
		if err != nil {
			return out, err
		}
		for _, id := range list {
			if o, ok := clastore.ActiveOverride(recs, id); ok {
				out[id] = snapshot.AffiliationOverride{Company: o.Affiliation.Company, None: o.Affiliation.None, By: o.RecordedBy, At: o.SignedAt}
			}
		}
	}
	return out, nil
}

func hasManaged(labels []string, l *affiliation.Labeler) bool {
	for _, x := range labels {
		if l.Managed(x) {
			return true
		}
	}
	return false
}
