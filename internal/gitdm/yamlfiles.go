package gitdm

import (
	"fmt"
	"io"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// MaxYAML is the largest YAML input read (LF profiles files are ~1 MB).
const MaxYAML = 64 << 20

func readYAML(r io.Reader, file string) (*yaml.Node, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxYAML+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	if len(data) > MaxYAML {
		return nil, fmt.Errorf("%s: larger than %d bytes", file, MaxYAML)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if doc.Kind == 0 {
		return nil, nil // empty document
	}
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		return doc.Content[0], nil
	}
	return &doc, nil
}

// mapValue returns the value of key in a mapping node.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// Acquisition is one devstats companies.yaml rule: names matching Regexp
// (Go RE2 syntax, so matching is linear) belong to Company.
type Acquisition struct {
	Pattern string
	Regexp  *regexp.Regexp
	Company string
	Line    int
}

// MaxPattern bounds an acquisition regexp's length.
const MaxPattern = 4096

// ReadAcquisitions reads devstats' companies.yaml:
//
//	acquisitions:
//	  - ['(?i)^heptio$', 'VMware Inc.']
//
// Rules whose pattern does not compile as RE2 are reported and skipped.
func ReadAcquisitions(r io.Reader, file string) ([]Acquisition, Stats, error) {
	var st Stats
	root, err := readYAML(r, file)
	if err != nil || root == nil {
		return nil, st, err
	}
	list := mapValue(root, "acquisitions")
	if list == nil {
		return nil, st, fmt.Errorf("%s:%d: no \"acquisitions\" list", file, root.Line)
	}
	if list.Kind != yaml.SequenceNode {
		return nil, st, fmt.Errorf("%s:%d: \"acquisitions\" is not a list", file, list.Line)
	}
	var out []Acquisition
	for _, item := range list.Content {
		st.Lines++
		if item.Kind != yaml.SequenceNode || len(item.Content) != 2 ||
			item.Content[0].Kind != yaml.ScalarNode || item.Content[1].Kind != yaml.ScalarNode {
			st.problem(file, item.Line, "expected ['regexp', 'Company']")
			continue
		}
		pat, company := item.Content[0].Value, trimSpaceString(item.Content[1].Value)
		if len(pat) > MaxPattern {
			st.problem(file, item.Line, "pattern longer than %d bytes", MaxPattern)
			continue
		}
		re, err := regexp.Compile(pat)
		if err != nil {
			st.problem(file, item.Line, "pattern %s: %v", quote(pat), err)
			continue
		}
		if company == "" {
			st.problem(file, item.Line, "empty company")
			continue
		}
		st.Records++
		out = append(out, Acquisition{Pattern: pat, Regexp: re, Company: company, Line: item.Line})
	}
	return out, st, nil
}

// Profile is one LF SortingHat profile of LF-Engineering/gitdm
// profiles*.yaml (§1.6): its e-mails (profile and identities), GitHub logins
// (identities with source "github"), bot flag and the enrollments that apply:
// global ones and, when a project is given, that project's. "F"/"T" sentinels
// 1900-01-01 and 2100-01-01 are open ends.
type Profile struct {
	Emails        []string
	GitHubLogins  []string
	Bot           bool
	Ranges        []Range
	IgnoredScoped int // project-scoped enrollments for other projects
	Line          int
}

type lfEnrollment struct {
	F string  `yaml:"F"`
	T string  `yaml:"T"`
	C string  `yaml:"C"`
	P *string `yaml:"P"`
}

type lfIdentity struct {
	S string `yaml:"S"`
	E string `yaml:"E"`
	U string `yaml:"U"`
}

type lfProfile struct {
	E string         `yaml:"E"`
	B string         `yaml:"B"`
	R []lfEnrollment `yaml:"R"`
	I []lfIdentity   `yaml:"I"`
}

// ReadProfiles reads an LF profiles*.yaml file ("P:" then a list of
// profiles) and calls fn for each profile. project selects project-scoped
// enrollments ("P: k8s"); "" keeps global enrollments only.
func ReadProfiles(r io.Reader, file, project string, fn func(Profile) error) (Stats, error) {
	var st Stats
	root, err := readYAML(r, file)
	if err != nil || root == nil {
		return st, err
	}
	list := mapValue(root, "P")
	if list == nil || list.Kind != yaml.SequenceNode {
		return st, fmt.Errorf("%s:%d: expected \"P:\" and a list of profiles", file, root.Line)
	}
	for _, item := range list.Content {
		st.Lines++
		var p lfProfile
		if err := item.Decode(&p); err != nil {
			st.problem(file, item.Line, "profile: %v", err)
			continue
		}
		out := Profile{Line: item.Line, Bot: p.B == "1" || strings.EqualFold(p.B, "true")}
		seenEmail := map[string]bool{}
		addEmail := func(e string) {
			if e = DecodeEmail(e); e != "" && !seenEmail[e] {
				seenEmail[e] = true
				out.Emails = append(out.Emails, e)
			}
		}
		addEmail(p.E)
		seenLogin := map[string]bool{}
		for _, id := range p.I {
			addEmail(id.E)
			if u := strings.ToLower(trimSpaceString(id.U)); strings.EqualFold(id.S, "github") && u != "" && !seenLogin[u] {
				seenLogin[u] = true
				out.GitHubLogins = append(out.GitHubLogins, u)
			}
		}
		bad := false
		rn := mapValue(item, "R")
		seenRange := map[Range]bool{}
		for i, e := range p.R {
			line := item.Line
			if rn != nil && i < len(rn.Content) {
				line = rn.Content[i].Line
			}
			if e.P != nil && *e.P != "" && !strings.EqualFold(*e.P, project) {
				out.IgnoredScoped++
				continue
			}
			from, ok1 := ParseDay(e.F)
			until, ok2 := ParseDay(e.T)
			if !ok1 || !ok2 {
				st.problem(file, line, "enrollment dates F=%s T=%s: want YYYY-MM-DD", quote(e.F), quote(e.T))
				bad = true
				break
			}
			rg := Range{Company: trimSpaceString(e.C), From: openStart(from), Until: openEnd(until), Line: line}
			if rg.Company == "" {
				st.problem(file, line, "enrollment without an organisation")
				bad = true
				break
			}
			if rg.From >= rg.Until {
				st.problem(file, line, "enrollment from %s until %s is empty", e.F, e.T)
				bad = true
				break
			}
			key := rg
			key.Line = 0
			if !seenRange[key] {
				seenRange[key] = true
				if rg.From != MinDay || rg.Until != MaxDay {
					st.Dated++
				}
				out.Ranges = append(out.Ranges, rg)
			}
		}
		if bad {
			continue
		}
		st.Records++
		st.Ranges += len(out.Ranges)
		if err := fn(out); err != nil {
			return st, err
		}
	}
	return st, nil
}
