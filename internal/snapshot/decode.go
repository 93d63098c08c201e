package snapshot

import (
	"errors"
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/schema"
)

// Error is an invalid snapshot file: every problem, each with its line and
// column, including those of the embedded configuration (paths "config...").
type Error struct {
	Name     string // the file name, as given to Decode
	Problems []schema.Problem
}

// Error lists the problems one per line: "pr.json:14:9: commits[2].sha: required".
func (e *Error) Error() string {
	return schema.Join(e.Name, e.Problems)
}

// Decode reads a snapshot file (JSON) strictly: unknown keys, wrong types,
// missing required values and malformed SHAs are all reported at once, each
// at its line and column in the file called name. The embedded "config"
// object is decoded with the configuration file's rules, positions relative
// to the snapshot; without one, the configuration is config.Default().
//
// The JSON is parsed by schema.ParseJSON into the YAML node tree, not by
// encoding/json, so that every problem has a position; it is fast enough
// that no encoding/json fast path is needed (see BenchmarkDecode).
func Decode(data []byte, name string) (*Snapshot, *config.Config, error) {
	root, err := schema.ParseJSON(data)
	if err != nil {
		var se *schema.SyntaxError
		if errors.As(err, &se) {
			return nil, nil, &Error{Name: name, Problems: []schema.Problem{se.Problem()}}
		}
		return nil, nil, fmt.Errorf("parse snapshot %s: %w", name, err)
	}
	var (
		s       Snapshot
		cfgNode *yaml.Node
	)
	problems := schema.Decode(root, &s, schema.Options{
		Tag: "json",
		Raw: func(path string, n *yaml.Node) {
			if path == "config" {
				cfgNode = n
			}
		},
	})
	problems = append(problems, check(&s, root)...)

	cfg := config.Default()
	if cfgNode != nil {
		c, err := config.ParseNode(cfgNode, config.Source{Path: name})
		var ce *config.Error
		switch {
		case errors.As(err, &ce):
			for _, p := range ce.Problems {
				p.Path = prefixPath("config", p.Path)
				problems = append(problems, p)
			}
		case err != nil:
			problems = append(problems, schema.Problem{Path: "config", Line: cfgNode.Line, Column: cfgNode.Column, Message: err.Error()})
		default:
			cfg = *c
		}
	}
	if problems = schema.SortProblems(problems); len(problems) > 0 {
		return nil, nil, &Error{Name: name, Problems: problems}
	}
	return &s, &cfg, nil
}

func prefixPath(prefix, path string) string {
	switch {
	case path == "":
		return prefix
	case path[0] == '[':
		return prefix + path
	default:
		return prefix + "." + path
	}
}

// check finds what the struct tags cannot express.
func check(s *Snapshot, root *yaml.Node) []schema.Problem {
	var ps []schema.Problem
	add := func(path, msg string) {
		line, col := schema.Position(root, path)
		ps = append(ps, schema.Problem{Path: path, Line: line, Column: col, Message: msg})
	}
	// The same commit twice would be judged twice and confuse remediation,
	// which refers to commits by SHA.
	first := make(map[string]int, len(s.Commits))
	for i, c := range s.Commits {
		if c.SHA == "" {
			continue
		}
		if j, dup := first[c.SHA]; dup {
			add(fmt.Sprintf("commits[%d].sha", i), fmt.Sprintf("duplicate commit (also commits[%d])", j))
			continue
		}
		first[c.SHA] = i
	}
	if s.CommitCount > 0 && s.CommitCount < len(s.Commits) {
		add("commit_count", fmt.Sprintf("%d is less than the %d commits listed", s.CommitCount, len(s.Commits)))
	}
	return ps
}
