package app

import (
	"container/list"
	"context"
	"fmt"
	"os"
	"sync"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/gh"
	"github.com/contribution-policy/contribution-policy/internal/pipeline"
)

// loadDefaults reads the server defaults (CP_DEFAULT_CONFIG): the layer
// under every repository's and organisation's configuration.
func loadDefaults(path string) (config.Config, error) {
	if path == "" {
		return config.Default(), nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return config.Config{}, fmt.Errorf("CP_DEFAULT_CONFIG: %w", err)
	}
	c, err := config.Parse(b, config.Source{Path: path})
	if err != nil {
		return config.Config{}, fmt.Errorf("CP_DEFAULT_CONFIG: %w", err)
	}
	return *c, nil
}

// configResolver resolves configurations: the context query's files
// (repository file at the base commit, dco.yml, the organisation's .github
// file) on the server defaults, following _extends through the contents
// API. _extends targets are cached with their ETags, so an unchanged
// target costs a 304, which GitHub does not count against the rate limit.
type configResolver struct {
	defaults config.Config

	mu    sync.Mutex
	lru   *list.List
	byKey map[string]*list.Element
}

type cachedFile struct {
	key  string
	etag string
	data []byte // nil: known missing
}

const configCacheSize = 1024

func newConfigResolver(_ *Server, defaults config.Config) *configResolver {
	return &configResolver{defaults: defaults, lru: list.New(), byKey: map[string]*list.Element{}}
}

func (r *configResolver) forInstallation(inst *gh.Installation) pipeline.ConfigResolver {
	return &instResolver{r: r, c: inst.Client}
}

type instResolver struct {
	r *configResolver
	c *gh.Client
}

func (ir *instResolver) Resolve(ctx context.Context, pc *gh.PullContext) (*config.Config, config.Sources, error) {
	return config.ResolveExtends(pc.Files, ir.r.defaults, func(ref config.ExtendsRef) (*config.File, error) {
		return ir.r.fetch(ctx, ir.c, ref)
	})
}

func (r *configResolver) fetch(ctx context.Context, c *gh.Client, ref config.ExtendsRef) (*config.File, error) {
	key := ref.String()
	r.mu.Lock()
	var etag string
	var cached *cachedFile
	if e, ok := r.byKey[key]; ok {
		cached = e.Value.(*cachedFile)
		etag = cached.etag
		r.lru.MoveToFront(e)
	}
	r.mu.Unlock()
	data, newTag, notModified, err := c.FileAt(ctx, ref.Owner, ref.Repo, ref.Path, etag)
	if err != nil {
		return nil, err
	}
	src := config.Source{Repo: ref.Owner + "/" + ref.Repo, Ref: "HEAD", Path: ref.Path}
	if notModified && cached != nil {
		if cached.data == nil {
			return nil, nil
		}
		return &config.File{Source: src, Data: cached.data}, nil
	}
	r.mu.Lock()
	if e, ok := r.byKey[key]; ok {
		r.lru.Remove(e)
	}
	if newTag != "" {
		r.byKey[key] = r.lru.PushFront(&cachedFile{key: key, etag: newTag, data: data})
		for r.lru.Len() > configCacheSize {
			old := r.lru.Back()
			r.lru.Remove(old)
			delete(r.byKey, old.Value.(*cachedFile).key)
		}
	}
	r.mu.Unlock()
	if data == nil {
		return nil, nil
	}
	return &config.File{Source: src, Data: data}, nil
}
