package pipeline

import (
	"bytes"
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"

	"github.com/contribution-policy/contribution-policy/internal/affiliation"
	"github.com/contribution-policy/contribution-policy/internal/affiliation/index"
	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/gh"
	"github.com/contribution-policy/contribution-policy/internal/policy"
)

// AffiliationDataGitHub reads affiliation data files; *gh.Client implements
// it.
type AffiliationDataGitHub interface {
	GetFile(ctx context.Context, owner, repo, ref, path string) (*gh.File, error)
	BlobOIDs(ctx context.Context, owner, repo, ref string, paths []string) (map[string]string, error)
}

// AffiliationCache keeps parsed affiliation data files by blob id, and
// built engines by configuration and data, within a process: the App
// evaluates many pull requests against the same files, and reads and parses
// each version once. Safe for concurrent use; least recently used entries
// go first.
type AffiliationCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // of string keys, most recent first
	items map[string]*list.Element
}

type cacheItem struct {
	key string
	val any
}

// NewAffiliationCache keeps up to max parsed files and engines (at least 1).
func NewAffiliationCache(n int) *AffiliationCache {
	return &AffiliationCache{max: max(n, 1), order: list.New(), items: map[string]*list.Element{}}
}

func (c *AffiliationCache) get(k string) (any, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*cacheItem).val, true
	}
	return nil, false
}

func (c *AffiliationCache) put(k string, v any) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[k]; ok {
		e.Value.(*cacheItem).val = v
		c.order.MoveToFront(e)
		return
	}
	c.items[k] = c.order.PushFront(&cacheItem{key: k, val: v})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.items, last.Value.(*cacheItem).key)
	}
}

// dataFile is one configured data file.
type dataFile struct {
	ref   config.DataRef
	index bool // a prebuilt index, not a gitdm-family file
}

func (f dataFile) String() string {
	if f.ref.Repo == "" {
		return f.ref.Path
	}
	return f.ref.Repo + ":" + f.ref.Path
}

// affiliationEngine builds (or takes from the cache) the resolver for a
// configuration: its maps, the data files it names — read at the base
// commit for this repository's, at the default branch for another
// repository's — and the front end's own sources (the App's server file).
func (p *Pipeline) affiliationEngine(ctx context.Context, cfg *config.Config, owner, repo, baseSHA string, log *slog.Logger) (*policy.Affiliation, error) {
	a := cfg.Affiliation
	var files []dataFile
	for _, d := range a.Data {
		ref, err := config.ParseDataRef(d)
		if err != nil {
			return nil, fmt.Errorf("affiliation.data: %w", err)
		}
		files = append(files, dataFile{ref: ref})
	}
	if a.Index != "" {
		ref, err := config.ParseDataRef(a.Index)
		if err != nil {
			return nil, fmt.Errorf("affiliation.index: %w", err)
		}
		files = append(files, dataFile{ref: ref, index: true})
	}
	var oids map[string]string // file -> blob id (cache mode only)
	if len(files) > 0 {
		dg, ok := p.GitHub.(AffiliationDataGitHub)
		if !ok {
			return nil, errors.New("this front end's GitHub client cannot read affiliation data files")
		}
		if p.AffiliationCache != nil {
			var err error
			if oids, err = blobIDs(ctx, dg, files, owner, repo, baseSHA); err != nil {
				return nil, err
			}
		}
		// The engine is keyed by everything it is built from.
		key := engineKey(cfg, files, oids)
		if key != "" {
			if v, ok := p.AffiliationCache.get(key); ok {
				return v.(*policy.Affiliation), nil
			}
		}
		var sources []affiliation.Source
		for _, f := range files {
			ix, err := p.loadDataFile(ctx, dg, f, oids[f.String()], cfg.Affiliation.Project, owner, repo, baseSHA, log)
			if err != nil {
				return nil, err
			}
			sources = append(sources, ix)
		}
		eng, err := buildEngine(cfg, append(sources, p.AffiliationSources...))
		if err == nil && key != "" {
			p.AffiliationCache.put(key, eng)
		}
		return eng, err
	}
	key := engineKey(cfg, nil, nil)
	if v, ok := p.AffiliationCache.get(key); ok {
		return v.(*policy.Affiliation), nil
	}
	eng, err := buildEngine(cfg, p.AffiliationSources)
	if err == nil {
		p.AffiliationCache.put(key, eng)
	}
	return eng, err
}

// buildEngine adds the sources' company aliases and acquisitions to a new
// normaliser and builds the engine.
func buildEngine(cfg *config.Config, sources []affiliation.Source) (*policy.Affiliation, error) {
	names := affiliation.NewNames()
	for _, s := range sources {
		if ix, ok := s.(*index.Index); ok {
			if err := ix.AddNamesTo(names); err != nil {
				return nil, err
			}
		}
	}
	return policy.NewAffiliation(cfg, sources, names)
}

// engineKey identifies an engine: the configuration parts it is built from
// and the data files' blob ids ("" when a file's id is unknown: no caching).
func engineKey(cfg *config.Config, files []dataFile, oids map[string]string) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	_ = enc.Encode([]any{cfg.Affiliation, cfg.Labels.Affiliation})
	for _, f := range files {
		oid := oids[f.String()]
		if oid == "" {
			return ""
		}
		fmt.Fprintf(h, "%s=%s\n", f, oid)
	}
	return "engine:" + hex.EncodeToString(h.Sum(nil))
}

// blobIDs reads the files' blob ids: one query per repository.
func blobIDs(ctx context.Context, dg AffiliationDataGitHub, files []dataFile, owner, repo, baseSHA string) (map[string]string, error) {
	byRepo := map[string][]dataFile{}
	for _, f := range files {
		byRepo[f.ref.Repo] = append(byRepo[f.ref.Repo], f)
	}
	repos := make([]string, 0, len(byRepo))
	for r := range byRepo {
		repos = append(repos, r)
	}
	sort.Strings(repos)
	out := map[string]string{}
	for _, r := range repos {
		o, n, ref := owner, repo, baseSHA
		if r != "" {
			o, n, _ = strings.Cut(r, "/")
			ref = "HEAD"
		}
		var paths []string
		for _, f := range byRepo[r] {
			paths = append(paths, f.ref.Path)
		}
		got, err := dg.BlobOIDs(ctx, o, n, ref, paths)
		if err != nil {
			return nil, err
		}
		for _, f := range byRepo[r] {
			if oid := got[f.ref.Path]; oid != "" {
				out[f.String()] = oid
			} else {
				return nil, fmt.Errorf("affiliation data %s does not exist at %s", f, refName(r, ref))
			}
		}
	}
	return out, nil
}

func refName(repo, ref string) string {
	if repo == "" {
		return "the base commit " + short(ref)
	}
	return repo + "'s default branch"
}

// loadDataFile reads and parses one file, through the cache when its blob
// id is known.
func (p *Pipeline) loadDataFile(ctx context.Context, dg AffiliationDataGitHub, f dataFile, oid, project, owner, repo, baseSHA string, log *slog.Logger) (*index.Index, error) {
	key := ""
	if oid != "" {
		key = fmt.Sprintf("file:%s:%t:%s:%s", oid, f.index, f.ref.Path, project)
		if v, ok := p.AffiliationCache.get(key); ok {
			return v.(*index.Index), nil
		}
	}
	o, n, ref := owner, repo, baseSHA
	if f.ref.Repo != "" {
		o, n, _ = strings.Cut(f.ref.Repo, "/")
		ref = "HEAD"
	}
	file, err := dg.GetFile(ctx, o, n, ref, f.ref.Path)
	switch {
	case gh.IsNotFound(err):
		return nil, fmt.Errorf("affiliation data %s does not exist at %s", f, refName(f.ref.Repo, ref))
	case err != nil:
		return nil, err
	}
	var ix *index.Index
	if f.index {
		if ix, err = index.Open(file.Content); err != nil {
			return nil, fmt.Errorf("affiliation index %s: %w", f, err)
		}
	} else {
		b := index.NewBuilder()
		st, err := b.AddFile(f.ref.Path, bytes.NewReader(file.Content), index.FileOptions{Dataset: f.String(), Project: project})
		if err != nil {
			return nil, fmt.Errorf("affiliation data %s: %w", f, err)
		}
		if st.ProblemCount > 0 {
			log.Warn("affiliation data has malformed lines (skipped)", "file", f.String(), "count", st.ProblemCount)
		}
		if ix, err = b.Build(); err != nil {
			return nil, fmt.Errorf("affiliation data %s: %w", f, err)
		}
	}
	if key != "" {
		p.AffiliationCache.put(key, ix)
	}
	return ix, nil
}

// AffiliationEngine builds the affiliation engine of a configuration as a
// run does — its maps, its data files (this repository's read at ref,
// another repository's at its default branch) and AffiliationSources — for
// tools such as the contributions report.
func (p *Pipeline) AffiliationEngine(ctx context.Context, cfg *config.Config, owner, repo, ref string) (*policy.Affiliation, error) {
	return p.affiliationEngine(ctx, cfg, owner, repo, ref, p.logger())
}
