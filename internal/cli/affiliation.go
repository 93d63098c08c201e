package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/affiliation"
	"github.com/contribution-policy/contribution-policy/internal/affiliation/index"
	"github.com/contribution-policy/contribution-policy/internal/gitdm"
)

const affiliationUsage = `Usage:
  contribution-policy affiliation index [--out FILE] [--project SLUG] INPUT...
  contribution-policy affiliation who LOGIN|EMAIL [--at DATE] [--id N] [--index FILE | INPUT...] [--format text|json] [--all]

INPUT is a data file, optionally "FORMAT:PATH" and/or "PATH@YYYY-MM-DD" (the
date the data set was last updated; at one rank, newer data wins). The format
is guessed from upstream file names (developers_affiliations*.txt,
company_developers*.txt, email-map, domain-map, aliases,
company-names-mapping, companies.yaml, github_users*.json, default_data*.json,
profiles*.yaml, gitdm.config); FORMAT is one of:
  ` + "developers company-developers map aliases company-names acquisitions github-users stackalytics profiles gitdm-config" + `
`

func runAffiliation(env Env, args []string) (int, error) {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, affiliationUsage)
		return ExitError, usageError("affiliation needs a subcommand: index or who")
	}
	switch args[0] {
	case "index":
		return affIndex(env, args[1:])
	case "who":
		return affWho(env, args[1:])
	case "-h", "--help", "help":
		fmt.Fprint(env.Stdout, affiliationUsage)
		return ExitOK, nil
	}
	fmt.Fprint(env.Stderr, affiliationUsage)
	return ExitError, usageError("unknown affiliation subcommand %q", args[0])
}

// parseInterspersed parses flags that may come after positional arguments.
func parseInterspersed(fs interface {
	Parse([]string) error
	Args() []string
}, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func affIndex(env Env, args []string) (int, error) {
	fs := newFlags("affiliation index", env, "affiliation index [--out FILE] [--project SLUG] INPUT...")
	out := fs.String("out", "affiliations.idx", "index file to write")
	project := fs.String("project", "", "LF profiles: the project whose project-scoped enrollments apply")
	inputs, err := parseInterspersed(fs, args)
	if err != nil {
		return ExitError, err
	}
	if len(inputs) == 0 {
		return ExitError, usageError("affiliation index needs at least one INPUT")
	}
	start := time.Now()
	b, err := affBuild(env, inputs, *project)
	if err != nil {
		return ExitError, err
	}
	data, err := b.Encode()
	if err != nil {
		return ExitError, err
	}
	keys, hists, ranges, companies, datasets := b.Counts()
	path := *out
	if !filepath.IsAbs(path) && env.Dir != "" {
		path = filepath.Join(env.Dir, path)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return ExitError, err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return ExitError, err
	}
	fmt.Fprintf(env.Stdout, "wrote %s: %d bytes, %d keys, %d histories, %d ranges, %d companies, %d data sets (%s)\n",
		*out, len(data), keys, hists, ranges, companies, datasets, time.Since(start).Round(time.Millisecond))
	return ExitOK, nil
}

// affInput is one parsed INPUT argument.
type affInput struct {
	path    string
	format  gitdm.Format
	updated affiliation.Day
}

func parseAffInput(dir, arg string) (affInput, error) {
	in := affInput{path: arg}
	if f, rest, ok := strings.Cut(arg, ":"); ok {
		if format, known := gitdm.ParseFormat(f); known {
			in.format, in.path = format, rest
		}
	}
	if i := strings.LastIndexByte(in.path, '@'); i >= 0 {
		if d, ok := gitdm.ParseDay(in.path[i+1:]); ok {
			if _, err := os.Stat(resolvePath(dir, in.path)); err != nil { // "file@date" is not itself a file name
				in.path, in.updated = in.path[:i], d
			}
		}
	}
	if in.format == "" {
		in.format = gitdm.Detect(in.path)
	}
	if in.format == "" {
		return in, fmt.Errorf("%s: cannot tell the format from the name; write FORMAT:%s", in.path, in.path)
	}
	return in, nil
}

func resolvePath(dir, p string) string {
	if filepath.IsAbs(p) || dir == "" {
		return p
	}
	return filepath.Join(dir, p)
}

// affBuild reads every input into a Builder, reporting malformed lines on
// stderr.
func affBuild(env Env, args []string, project string) (*index.Builder, error) {
	b := index.NewBuilder()
	report := func(name string, st gitdm.Stats) {
		if st.ProblemCount == 0 {
			return
		}
		fmt.Fprintf(env.Stderr, "warning: %s: %d malformed line(s) skipped\n", name, st.ProblemCount)
		for i, p := range st.Problems {
			if i == 5 {
				fmt.Fprintf(env.Stderr, "  ...\n")
				break
			}
			fmt.Fprintf(env.Stderr, "  %s\n", p.Error())
		}
	}
	for _, arg := range args {
		in, err := parseAffInput(env.Dir, arg)
		if err != nil {
			return nil, err
		}
		path := resolvePath(env.Dir, in.path)
		opts := index.FileOptions{Format: in.format, Updated: in.updated, Project: project, Dataset: filepath.ToSlash(in.path)}
		if in.format == gitdm.FormatConfig {
			sts, err := b.AddConfig(os.DirFS(filepath.Dir(path)), filepath.Base(path), opts)
			for _, st := range sts {
				report(in.path, st)
			}
			if err != nil {
				return nil, fmt.Errorf("%s: %w", in.path, err)
			}
			continue
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		st, err := b.AddFile(in.path, f, opts)
		f.Close()
		report(in.path, st)
		if err != nil {
			return nil, err
		}
	}
	return b, nil
}

func affWho(env Env, args []string) (int, error) {
	fs := newFlags("affiliation who", env, "affiliation who LOGIN|EMAIL [--at DATE] [--id N] [--index FILE | INPUT...]")
	atFlag := fs.String("at", "", "evaluate at this time (YYYY-MM-DD or RFC 3339; default now)")
	id := fs.Int64("id", 0, "the GitHub account id (guards against reused logins)")
	idxPath := fs.String("index", "", "prebuilt index (from 'affiliation index')")
	format := fs.String("format", "text", "output format: text or json")
	all := fs.Bool("all", false, "show what every rank finds, not only the deciding one")
	project := fs.String("project", "", "LF profiles: the project whose scoped enrollments apply")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return ExitError, err
	}
	if len(pos) == 0 {
		return ExitError, usageError("affiliation who needs a LOGIN or an EMAIL")
	}
	who, inputs := pos[0], pos[1:]
	if (*idxPath == "") == (len(inputs) == 0) {
		return ExitError, usageError("give either --index FILE or INPUT files")
	}
	if *format != "text" && *format != "json" {
		return ExitError, usageError("--format is text or json")
	}
	at := time.Now().UTC()
	if *atFlag != "" {
		if at, err = parseWhen(*atFlag); err != nil {
			return ExitError, usageError("--at %q: want YYYY-MM-DD or RFC 3339", *atFlag)
		}
	}
	var ix *index.Index
	if *idxPath != "" {
		f, err := os.Open(resolvePath(env.Dir, *idxPath))
		if err != nil {
			return ExitError, err
		}
		ix, err = index.Load(f)
		f.Close()
		if err != nil {
			return ExitError, fmt.Errorf("%s: %w", *idxPath, err)
		}
	} else {
		b, err := affBuild(env, inputs, *project)
		if err != nil {
			return ExitError, err
		}
		if ix, err = b.Build(); err != nil {
			return ExitError, err
		}
	}
	names, err := ix.Names()
	if err != nil {
		return ExitError, err
	}
	r := affiliation.NewResolver(affiliation.Options{Sources: []affiliation.Source{ix}, Names: names})
	f := affiliation.Facts{At: at, ID: *id}
	if strings.ContainsAny(who, "@!") {
		f.Emails = []affiliation.CommitEmail{{Email: who, Linked: true}}
	} else {
		f.Login = who
	}
	results := []affiliation.Result{r.Resolve(f)}
	if *all {
		results = r.Explain(f)
	}
	labeler := affiliation.DefaultLabeler()
	if *format == "json" {
		return ExitOK, writeWhoJSON(env.Stdout, who, at, results, labeler, *all)
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "%s at %s:\n", who, at.Format(time.RFC3339))
	if len(results) == 0 {
		fmt.Fprintln(&buf, "  nothing found at any rank")
	}
	for _, res := range results {
		fmt.Fprintf(&buf, "  %s\n", res)
		if label, ok := labeler.Label(res); ok {
			fmt.Fprintf(&buf, "    label: %s\n", label)
		}
		for _, c := range res.Candidates {
			fmt.Fprintf(&buf, "    candidate: %s\n", c.Name)
		}
		for _, e := range res.Evidence {
			fmt.Fprintf(&buf, "    evidence: %s\n", e)
		}
	}
	_, err = env.Stdout.Write(buf.Bytes())
	return ExitOK, err
}

func parseWhen(s string) (time.Time, error) {
	if d, ok := gitdm.ParseDay(s); ok {
		return d.Time(), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, errors.New("bad time")
	}
	return t.UTC(), nil
}

type whoJSON struct {
	Query      string         `json:"query"`
	At         string         `json:"at"`
	Kind       string         `json:"kind"`
	Company    string         `json:"company,omitempty"`
	Raw        string         `json:"raw,omitempty"`
	Key        string         `json:"key,omitempty"`
	Source     string         `json:"source"`
	Rank       int            `json:"rank"`
	Confidence string         `json:"confidence"`
	Label      string         `json:"label,omitempty"`
	Candidates []string       `json:"candidates,omitempty"`
	Evidence   []evidenceJSON `json:"evidence,omitempty"`
}

type evidenceJSON struct {
	Rank    int    `json:"rank"`
	Source  string `json:"source"`
	Match   string `json:"match"`
	Dataset string `json:"dataset,omitempty"`
	Line    int    `json:"line,omitempty"`
	Company string `json:"company,omitempty"`
	From    string `json:"from,omitempty"`
	Until   string `json:"until,omitempty"`
}

func writeWhoJSON(w io.Writer, who string, at time.Time, results []affiliation.Result, l *affiliation.Labeler, all bool) error {
	out := make([]whoJSON, 0, len(results))
	for _, r := range results {
		j := whoJSON{Query: who, At: at.Format(time.RFC3339), Kind: r.Kind.String(), Source: r.Source(), Rank: int(r.Rank), Confidence: r.Confidence.String()}
		if r.Kind == affiliation.KindCompany || r.Kind == affiliation.KindIndependent || r.Kind == affiliation.KindBot {
			j.Company, j.Raw, j.Key = r.Company.Name, r.Company.Raw, r.Company.Key
		}
		j.Label, _ = l.Label(r)
		for _, c := range r.Candidates {
			j.Candidates = append(j.Candidates, c.Name)
		}
		for _, e := range r.Evidence {
			ej := evidenceJSON{Rank: int(e.Rank), Source: e.Rank.Source(), Match: e.Match, Dataset: e.Dataset, Line: e.Line, Company: e.Company}
			if e.From != affiliation.MinDay {
				ej.From = e.From.String()
			}
			if e.Until != affiliation.MaxDay {
				ej.Until = e.Until.String()
			}
			j.Evidence = append(j.Evidence, ej)
		}
		out = append(out, j)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if all {
		return enc.Encode(out)
	}
	return enc.Encode(out[0])
}
