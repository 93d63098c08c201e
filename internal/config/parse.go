package config

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/contribution-policy/contribution-policy/internal/schema"
)

// Paths of the configuration files, relative to a repository's root.
const (
	// PolicyPath is this tool's configuration file, in the repository or in
	// the organisation's ".github" repository.
	PolicyPath = ".github/contribution-policy.yml"
	// DCOPath is dcoapp/dco2's configuration file, read when the repository
	// has no PolicyPath (or one without a dco section).
	DCOPath = ".github/dco.yml"
)

// MaxLabelLength is GitHub's limit on a label name, in characters.
const MaxLabelLength = 50

// Source names where a configuration file was read from.
type Source struct {
	Repo string // "owner/repo"; empty for a local file
	Ref  string // commit SHA or branch
	Path string // path in the repository, or a local path
}

// String is "owner/repo@ref:path", or just the path for a local file.
func (s Source) String() string {
	if s.Repo == "" {
		return s.Path
	}
	var b strings.Builder
	b.WriteString(s.Repo)
	if s.Ref != "" {
		b.WriteByte('@')
		b.WriteString(s.Ref)
	}
	if s.Path != "" {
		b.WriteByte(':')
		b.WriteString(s.Path)
	}
	return b.String()
}

// Error is an invalid configuration file: every problem found, each with its
// line and column in the file.
type Error struct {
	Source   Source
	Problems []schema.Problem
}

// Error lists the problems one per line:
// "owner/repo@ref:.github/contribution-policy.yml:12:5: dco.require.members: expected a boolean, got string \"yes\"".
func (e *Error) Error() string {
	return schema.Join(e.Source.String(), e.Problems)
}

// Parse decodes a .github/contribution-policy.yml file onto Default() and
// validates it. Any problem makes it fail with an *Error listing all of them.
func Parse(data []byte, src Source) (*Config, error) {
	c, _, err := parse(data, src)
	return c, err
}

// ParseNode is Parse for a document that is already parsed, e.g. the config
// object embedded in a snapshot file: positions are the node's own.
func ParseNode(n *yaml.Node, src Source) (*Config, error) {
	return decodeNode(n, src)
}

func parse(data []byte, src Source) (*Config, *yaml.Node, error) {
	n, err := schema.ParseYAML(data)
	if err != nil {
		return nil, nil, syntaxError(err, src)
	}
	c, err := decodeNode(n, src)
	return c, n, err
}

func syntaxError(err error, src Source) error {
	var se *schema.SyntaxError
	if errors.As(err, &se) {
		return &Error{Source: src, Problems: []schema.Problem{se.Problem()}}
	}
	return &Error{Source: src, Problems: []schema.Problem{{Message: err.Error()}}}
}

func decodeNode(n *yaml.Node, src Source) (*Config, error) {
	return decodeNodeOnto(n, src, Default())
}

// decodeNodeOnto decodes onto base: keys the file leaves out keep base's
// values (layers.go: server defaults and _extends chains).
func decodeNodeOnto(n *yaml.Node, src Source, base Config) (*Config, error) {
	if isEmpty(n) {
		return nil, &Error{Source: src, Problems: []schema.Problem{{Line: 1, Column: 1,
			Message: `the file is empty; the smallest valid configuration is "version: 1"`}}}
	}
	c := base
	problems := schema.Decode(n, &c, schema.Options{})
	for i, p := range problems {
		if p.Path == "version" && p.Message == schema.MsgRequired {
			problems[i].Message = `required: add "version: 1" at the top of the file`
		}
	}
	problems = append(problems, locate(n, Validate(&c))...)
	if problems = schema.SortProblems(problems); len(problems) > 0 {
		return nil, &Error{Source: src, Problems: problems}
	}
	return &c, nil
}

func isEmpty(n *yaml.Node) bool {
	return n == nil || n.Kind == 0 || (n.Kind == yaml.DocumentNode && len(n.Content) == 0)
}

// locate gives problems found on decoded values the position of their path
// in the document (or of the nearest enclosing key that is written there).
func locate(n *yaml.Node, ps []schema.Problem) []schema.Problem {
	for i := range ps {
		if ps[i].Line == 0 {
			ps[i].Line, ps[i].Column = schema.Position(n, ps[i].Path)
		}
	}
	return ps
}

// Validate checks the rules the struct tags cannot express, and the tagged
// ones again for configurations built in code. Problems carry paths but no
// positions; Parse adds them.
func Validate(c *Config) []schema.Problem {
	var ps []schema.Problem
	if c.Version != Version {
		ps = append(ps, schema.Problem{Path: "version",
			Message: schema.EnumMessage(strconv.Itoa(c.Version), []string{strconv.Itoa(Version)})})
	}
	ps = append(ps, validateDCO(&c.DCO, "dco")...)
	ps = append(ps, validateYesNo(c.Labels.DCO, "labels.dco")...)
	ps = append(ps, validateCLA(&c.CLA, "cla")...)
	ps = append(ps, validateYesNo(c.Labels.CLA, "labels.cla")...)
	ps = append(ps, validateAffiliation(c)...)
	return ps
}

func validateDCO(d *DCO, path string) []schema.Problem {
	at := func(key string) string {
		if path == "" {
			return key
		}
		return path + "." + key
	}
	var ps []schema.Problem
	if !slices.Contains([]string{MatchNameAndEmail, MatchEmail}, d.Match) {
		ps = append(ps, schema.Problem{Path: at("match"),
			Message: schema.EnumMessage(schema.Quote(d.Match), []string{MatchNameAndEmail, MatchEmail})})
	}
	if d.AllowRemediationCommits.ThirdParty && !d.AllowRemediationCommits.Individual {
		// dcoapp and dco2 silently ignore thirdParty without individual; a
		// maintainer who wrote it expects it to work, so say why it cannot.
		ps = append(ps, schema.Problem{Path: at("allowRemediationCommits.thirdParty"),
			Message: "needs allowRemediationCommits.individual: true as well (third-party remediation builds on individual remediation)"})
	}
	return ps
}

func validateYesNo(p YesNoPair, path string) []schema.Problem {
	var ps []schema.Problem
	for _, l := range []struct{ key, name string }{{"yes", p.Yes}, {"no", p.No}} {
		switch n := utf8.RuneCountInString(l.name); {
		case n > MaxLabelLength:
			ps = append(ps, schema.Problem{Path: path + "." + l.key, Message: schema.MaxLengthMessage(MaxLabelLength, n)})
		case p.Enabled && strings.TrimSpace(l.name) == "":
			ps = append(ps, schema.Problem{Path: path + "." + l.key, Message: "must not be empty when " + path + ".enabled is true"})
		}
	}
	if p.Enabled && p.Yes != "" && strings.EqualFold(p.Yes, p.No) {
		// GitHub label names are case-insensitive: one label cannot mean both.
		ps = append(ps, schema.Problem{Path: path + ".no", Message: "must differ from " + path + ".yes (label names ignore case)"})
	}
	return ps
}

// ParseDCOFile decodes a dcoapp/dco2 .github/dco.yml onto DefaultDCO(): the
// keys of our dco section, which include dcoapp's (require.members,
// allowRemediationCommits.individual/thirdParty) and dco2's
// (allowOverrideAction) with the same spelling. An empty file gives the
// defaults, as in dcoapp. Probot's "_extends" is an error with advice.
func ParseDCOFile(data []byte, src Source) (DCO, error) {
	n, err := schema.ParseYAML(data)
	if err != nil {
		return DefaultDCO(), syntaxError(err, src)
	}
	return decodeDCONode(n, src)
}

func decodeDCONode(n *yaml.Node, src Source) (DCO, error) {
	return decodeDCONodeOnto(n, src, DefaultDCO())
}

func decodeDCONodeOnto(n *yaml.Node, src Source, base DCO) (DCO, error) {
	d := base
	if isEmpty(n) {
		return d, nil
	}
	var problems []schema.Problem
	root := n
	if root.Kind == yaml.DocumentNode {
		root = root.Content[0]
	}
	if root.Kind == yaml.MappingNode {
		// Take _extends out before decoding so it gets advice, not "unknown key".
		trimmed := *root
		trimmed.Content = nil
		for i := 0; i+1 < len(root.Content); i += 2 {
			if k := root.Content[i]; k.Kind == yaml.ScalarNode && k.Value == "_extends" {
				problems = append(problems, schema.Problem{Line: k.Line, Column: k.Column,
					Message: `"_extends" is not supported in ` + DCOPath + `: delete this file to use the organisation's .github repository's ` +
						PolicyPath + `, or configure this repository in its own ` + PolicyPath})
				continue
			}
			trimmed.Content = append(trimmed.Content, root.Content[i], root.Content[i+1])
		}
		root = &trimmed
	}
	problems = append(problems, schema.Decode(root, &d, schema.Options{})...)
	problems = append(problems, locate(root, validateDCO(&d, ""))...)
	if problems = schema.SortProblems(problems); len(problems) > 0 {
		return DefaultDCO(), &Error{Source: src, Problems: problems}
	}
	return d, nil
}

// File is a configuration file's content and where it was read from.
type File struct {
	Source Source
	Data   []byte
}

// Files are the candidate configuration files for one repository, read at
// the pull request's base; nil means the file does not exist.
type Files struct {
	Policy    *File // the repository's .github/contribution-policy.yml
	DCO       *File // the repository's .github/dco.yml
	OrgPolicy *File // .github/contribution-policy.yml of the owner's ".github" repository
}

// Sources are the files a configuration was resolved from, most important
// first; none means the built-in defaults.
type Sources []Source

// String joins the sources with ", "; "" for the built-in defaults.
func (ss Sources) String() string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = s.String()
	}
	return strings.Join(parts, ", ")
}

// Resolve chooses and decodes the configuration from files, without I/O:
//
//  1. the repository's .github/contribution-policy.yml; when it has no "dco"
//     key at all and the repository has a .github/dco.yml, that file gives
//     the dco section (so adopting this tool does not silently drop a
//     dcoapp configuration);
//  2. else the repository's .github/dco.yml, as the dco section on top of
//     the organisation's policy (3.) or the defaults;
//  3. else the organisation's .github repository's contribution-policy.yml;
//  4. else Default(), with no sources.
//
// A file that is chosen must be valid: an invalid one is an error (one
// *Error per file, joined), never a fallback to the next candidate.
func Resolve(files Files) (*Config, Sources, error) {
	switch {
	case files.Policy != nil:
		srcs := Sources{files.Policy.Source}
		c, n, err := parse(files.Policy.Data, files.Policy.Source)
		// n is nil on a syntax error: whether the file has a dco key is unknown.
		if files.DCO == nil || n == nil || hasKey(n, "dco") {
			return c, srcs, err
		}
		srcs = append(srcs, files.DCO.Source)
		d, derr := ParseDCOFile(files.DCO.Data, files.DCO.Source)
		if err != nil || derr != nil {
			return nil, srcs, errors.Join(err, derr)
		}
		c.DCO = d
		return c, srcs, nil
	case files.DCO != nil:
		// The organisation's policy stays the base: a repository's dco.yml
		// overrides its dco section only (it must not drop, say, an
		// organisation-wide CLA).
		return withDCOFile(files, Default())
	case files.OrgPolicy != nil:
		srcs := Sources{files.OrgPolicy.Source}
		c, err := Parse(files.OrgPolicy.Data, files.OrgPolicy.Source)
		return c, srcs, err
	default:
		c := Default()
		return &c, nil, nil
	}
}

// hasKey reports whether the document's top-level mapping has key.
func hasKey(n *yaml.Node, key string) bool {
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	if n == nil || n.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return true
		}
	}
	return false
}
