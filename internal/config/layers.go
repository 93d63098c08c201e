package config

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/contribution-policy/contribution-policy/internal/schema"
)

// Layered configuration: a file decodes onto the layer below it, so a key it
// leaves out keeps the lower layer's value. The layers are, bottom up: the
// built-in defaults (or the App's server defaults), the organisation's or an
// _extends target's file, and the repository's file; a repository's
// .github/dco.yml overrides the dco section alone.

// withDCOFile resolves a repository that has a .github/dco.yml and no
// policy file of its own: the organisation's policy (if any) on base, with
// the dco section decoded onto it from dco.yml.
func withDCOFile(files Files, base Config) (*Config, Sources, error) {
	c := base
	srcs := Sources{files.DCO.Source}
	if files.OrgPolicy != nil {
		srcs = append(srcs, files.OrgPolicy.Source)
		oc, err := ParseOnto(base, files.OrgPolicy.Data, files.OrgPolicy.Source)
		if err != nil {
			return nil, srcs, err
		}
		c = *oc
	}
	d, err := ParseDCOFileOnto(c.DCO, files.DCO.Data, files.DCO.Source)
	if err != nil {
		return nil, srcs, err
	}
	c.DCO = d
	return &c, srcs, nil
}

// ParseDCOFileOnto is ParseDCOFile onto a base dco section.
func ParseDCOFileOnto(base DCO, data []byte, src Source) (DCO, error) {
	n, err := schema.ParseYAML(data)
	if err != nil {
		return base, syntaxError(err, src)
	}
	return decodeDCONodeOnto(n, src, base)
}

// ExtendsKey is probot's key naming the file a configuration extends.
const ExtendsKey = "_extends"

// ParseOnto decodes a .github/contribution-policy.yml onto base. Its
// "_extends" key, if any, is ignored here (ResolveExtends follows it); a file
// that extends another may leave "version" out.
func ParseOnto(base Config, data []byte, src Source) (*Config, error) {
	n, err := schema.ParseYAML(data)
	if err != nil {
		return nil, syntaxError(err, src)
	}
	n, _ = cutExtends(n)
	return decodeNodeOnto(n, src, base)
}

// cutExtends removes a top-level "_extends" from a document and returns its
// value; a file with one gets "version: 1" when it has none.
func cutExtends(n *yaml.Node) (*yaml.Node, string) {
	root := n
	if root != nil && root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	if root == nil || root.Kind != yaml.MappingNode {
		return n, ""
	}
	ext := ""
	trimmed := *root
	trimmed.Content = nil
	hasVersion := false
	for i := 0; i+1 < len(root.Content); i += 2 {
		k := root.Content[i]
		if k.Value == ExtendsKey {
			ext = strings.TrimSpace(root.Content[i+1].Value)
			continue
		}
		if k.Value == "version" {
			hasVersion = true
		}
		trimmed.Content = append(trimmed.Content, root.Content[i], root.Content[i+1])
	}
	if ext == "" {
		return n, ""
	}
	if !hasVersion {
		trimmed.Content = append(trimmed.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "version", Line: root.Line, Column: root.Column},
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: "1", Line: root.Line, Column: root.Column})
	}
	return &trimmed, ext
}

// ExtendsRef is the file an "_extends" names, read from the default
// branch of its repository.
type ExtendsRef struct {
	Owner, Repo, Path string
}

func (r ExtendsRef) String() string { return r.Owner + "/" + r.Repo + ":" + r.Path }

// ParseExtends reads an "_extends" value in probot's forms: "repo" (same
// owner), "owner/repo", and either with ":path/to/file.yml" (default: the
// same path as the policy file).
func ParseExtends(v, owner string) (ExtendsRef, error) {
	target, path, hasPath := strings.Cut(strings.TrimSpace(v), ":")
	r := ExtendsRef{Owner: owner, Repo: target, Path: PolicyPath}
	if o, n, ok := strings.Cut(target, "/"); ok {
		r.Owner, r.Repo = o, n
	}
	if hasPath {
		r.Path = strings.TrimPrefix(strings.TrimSpace(path), "/")
	}
	if r.Owner == "" || r.Repo == "" || strings.Contains(r.Repo, "/") || r.Path == "" || strings.Contains(r.Path, "..") {
		return r, fmt.Errorf("%s: %q must be \"repo\", \"owner/repo\" or \"repo:path/to/file.yml\"", ExtendsKey, v)
	}
	return r, nil
}

// MaxExtends bounds an _extends chain.
const MaxExtends = 5

// Loader reads an _extends target; a nil file means it does not exist.
type Loader func(ref ExtendsRef) (*File, error)

// ResolveExtends is Resolve for the App: it starts from base (the server's
// defaults) instead of Default(), follows "_extends" in the repository's and
// the organisation's files through load (a cycle, a missing target or a
// chain longer than MaxExtends is an error), and lets a repository's
// .github/dco.yml override only the dco section of what is below it.
func ResolveExtends(files Files, base Config, load Loader) (*Config, Sources, error) {
	switch {
	case files.Policy != nil:
		c, srcs, err := resolveChain(files.Policy, base, load, nil)
		if err != nil || files.DCO == nil || declaresDCO(files.Policy.Data) {
			return c, srcs, err
		}
		d, err := ParseDCOFileOnto(c.DCO, files.DCO.Data, files.DCO.Source)
		srcs = append(srcs, files.DCO.Source)
		if err != nil {
			return nil, srcs, err
		}
		c.DCO = d
		return c, srcs, nil
	case files.DCO != nil:
		if files.OrgPolicy != nil {
			oc, osrcs, err := resolveChain(files.OrgPolicy, base, load, nil)
			if err != nil {
				return nil, osrcs, err
			}
			base = *oc
			files.OrgPolicy = nil
			c, srcs, err := withDCOFile(files, base)
			return c, append(srcs, osrcs...), err
		}
		return withDCOFile(files, base)
	case files.OrgPolicy != nil:
		return resolveChain(files.OrgPolicy, base, load, nil)
	default:
		c := base
		return &c, nil, nil
	}
}

func resolveChain(f *File, base Config, load Loader, seen []string) (*Config, Sources, error) {
	here := f.Source.Repo + ":" + f.Source.Path
	for _, s := range seen {
		if strings.EqualFold(s, here) {
			return nil, Sources{f.Source}, fmt.Errorf("%s: %s cycle: %s → %s", f.Source, ExtendsKey, strings.Join(seen, " → "), here)
		}
	}
	seen = append(seen, here)
	n, err := schema.ParseYAML(f.Data)
	if err != nil {
		return nil, Sources{f.Source}, syntaxError(err, f.Source)
	}
	_, ext := cutExtends(n)
	srcs := Sources{f.Source}
	if ext != "" {
		if len(seen) > MaxExtends {
			return nil, srcs, fmt.Errorf("%s: %s chain longer than %d files", f.Source, ExtendsKey, MaxExtends)
		}
		owner, _, _ := strings.Cut(f.Source.Repo, "/")
		ref, err := ParseExtends(ext, owner)
		if err != nil {
			return nil, srcs, fmt.Errorf("%s: %w", f.Source, err)
		}
		if load == nil {
			return nil, srcs, fmt.Errorf("%s: %s is not supported here", f.Source, ExtendsKey)
		}
		tf, err := load(ref)
		if err != nil {
			return nil, srcs, fmt.Errorf("%s: read %s %s: %w", f.Source, ExtendsKey, ref, err)
		}
		if tf == nil {
			return nil, srcs, fmt.Errorf("%s: %s names %s, which does not exist (or the App cannot read it)", f.Source, ExtendsKey, ref)
		}
		bc, bsrcs, err := resolveChain(tf, base, load, seen)
		srcs = append(srcs, bsrcs...)
		if err != nil {
			return nil, srcs, err
		}
		base = *bc
	}
	c, err := ParseOnto(base, f.Data, f.Source)
	if err != nil {
		return nil, srcs, err
	}
	return c, srcs, nil
}

// declaresDCO reports whether a policy file has a top-level dco key.
func declaresDCO(data []byte) bool {
	n, err := schema.ParseYAML(data)
	return err == nil && hasKey(n, "dco")
}
