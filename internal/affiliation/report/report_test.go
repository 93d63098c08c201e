package report

import (
	"bytes"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/affiliation"
)

var update = flag.Bool("update", false, "rewrite golden files")

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t.Add(12 * time.Hour)
}

func company(name string, rank affiliation.Rank) *affiliation.Result {
	c := affiliation.NewNames().Company(name)
	return &affiliation.Result{Kind: c.Kind, Company: c, Rank: rank, Confidence: rank.Confidence()}
}

// The PR facts behind the golden files.
func samplePRs() []PR {
	google := company("Google LLC", affiliation.RankList)
	return []PR{
		{Repo: "o/r", Number: 1, Author: "ann", CreatedAt: day("2024-01-05"), MergedAt: day("2024-01-07"), Affiliation: google},
		{Repo: "o/r", Number: 2, Author: "ann", CreatedAt: day("2024-02-05"), Affiliation: google},
		{Repo: "o/r", Number: 3, Author: "bob", CreatedAt: day("2024-02-06"), MergedAt: day("2024-02-09"), Labels: []string{"kind/bug", "affiliation/google"}},
		{Repo: "o/q", Number: 4, Author: "cy", CreatedAt: day("2023-12-20"), MergedAt: day("2024-01-02"), Labels: []string{"affiliation/red-hat"}}, // merged in period only
		{Repo: "o/r", Number: 5, Author: "cy", CreatedAt: day("2024-03-01"), Affiliation: company("Red Hat, Inc.", affiliation.RankEmailDomain)},
		{Repo: "o/r", Number: 6, Author: "dee", CreatedAt: day("2024-03-02"), Affiliation: company("Independent", affiliation.RankList)},
		{Repo: "o/r", Number: 7, Author: "eve", CreatedAt: day("2024-03-03")}, // resolved by the callback
		{Repo: "o/r", Number: 8, Author: "fay", CreatedAt: day("2024-03-04"), Affiliation: &affiliation.Result{Kind: affiliation.KindAmbiguous, Rank: affiliation.RankList}},
		{Repo: "o/r", Number: 9, Author: "gus", CreatedAt: day("2024-03-05"), Affiliation: &affiliation.Result{Kind: affiliation.KindOptedOut, Rank: affiliation.RankOverride}},
		{Repo: "o/r", Number: 10, Author: "dependabot[bot]", Bot: true, CreatedAt: day("2024-03-06"), MergedAt: day("2024-03-06")},
		{Repo: "o/r", Number: 11, Author: "hal", CreatedAt: day("2024-03-07"), Affiliation: &affiliation.Result{Kind: affiliation.KindBot}},
		{Repo: "o/r", Number: 12, Author: "ann", CreatedAt: day("2023-06-01"), MergedAt: day("2023-06-02"), Affiliation: google}, // outside
		{Repo: "o/r", Number: 13, Author: "ivy", CreatedAt: day("2024-03-08"), MergedAt: day("2024-03-09"), Affiliation: company("Säkerhets & <Co> | \"AB\"", affiliation.RankList)},
		{Repo: "o/r", Number: 14, Author: "jo", CreatedAt: day("2024-03-09"), Affiliation: company("=cmd|' /C calc'!A0", affiliation.RankProfile)},
		{Repo: "o/r", Number: 15, Author: "Ann", CreatedAt: day("2024-03-10"), Affiliation: company("Independent", affiliation.RankOverride)}, // ann moved on
		{Repo: "o/r", Number: 16, Author: "kim", CreatedAt: day("2024-03-11"), Labels: []string{"affiliation/acme-widgets-international"}},    // a label nobody resolved
	}
}

func sampleReport() Report {
	resolve := func(pr PR) affiliation.Result {
		if pr.Author == "eve" {
			return *company("Amazon", affiliation.RankEmailMap)
		}
		return affiliation.Result{Kind: affiliation.KindUnknown}
	}
	return Build(samplePRs(), Options{Since: day("2024-01-01").Add(-12 * time.Hour), Until: day("2024-04-01").Add(-12 * time.Hour), Scope: "o", Resolve: resolve})
}

func TestCounts(t *testing.T) {
	r := sampleReport()
	want := map[string][3]int{ // opened, merged, contributors
		"google":                     {3, 2, 2},
		"red-hat":                    {1, 1, 1},
		"independent":                {2, 0, 2},
		"amazon":                     {1, 0, 1},
		"unknown":                    {2, 0, 2},
		"sakerhets-co-ab":            {1, 1, 1},
		"cmd-c-calca0":               {1, 0, 1},
		"acme-widgets-international": {1, 0, 1},
	}
	if len(r.Rows) != len(want) {
		t.Errorf("%d rows, want %d: %+v", len(r.Rows), len(want), r.Rows)
	}
	for _, row := range r.Rows {
		w, ok := want[row.Slug]
		if !ok || row.Opened != w[0] || row.Merged != w[1] || row.Contributors != w[2] {
			t.Errorf("%s (%s): %d %d %d, want %v", row.Slug, row.Employer, row.Opened, row.Merged, row.Contributors, w)
		}
	}
	if r.Total.Opened != 12 || r.Total.Merged != 4 || r.Total.Contributors != 10 {
		t.Errorf("total %+v", r.Total)
	}
	if r.Rows[0].Slug != "google" || r.Rows[len(r.Rows)-1].Slug != "unknown" {
		t.Errorf("order: first %s, last %s", r.Rows[0].Slug, r.Rows[len(r.Rows)-1].Slug)
	}
	if r.Rows[0].Employer != "Google LLC" {
		t.Errorf("a label's employer name comes from a resolution with the same slug: %q", r.Rows[0].Employer)
	}
}

func TestPinnedSlugNames(t *testing.T) {
	l, err := affiliation.NewLabeler("", map[string]string{"aws": "Amazon"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := Build([]PR{{Author: "x", CreatedAt: day("2024-01-01"), Labels: []string{"affiliation/aws"}}}, Options{Labeler: l})
	if len(r.Rows) != 1 || r.Rows[0].Employer != "Amazon" || r.Rows[0].Slug != "aws" {
		t.Errorf("rows %+v", r.Rows)
	}
	if r := Build(nil, Options{}); len(r.Rows) != 0 || r.Total.Opened != 0 {
		t.Errorf("empty report %+v", r)
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./internal/affiliation/report -update):\n%s", name, got)
	}
}

func TestGolden(t *testing.T) {
	r := sampleReport()
	outputs := map[string]func(*bytes.Buffer) error{
		"report.md":   func(b *bytes.Buffer) error { return r.Markdown(b) },
		"report.csv":  func(b *bytes.Buffer) error { return r.CSV(b) },
		"report.json": func(b *bytes.Buffer) error { return r.JSON(b) },
		"report.svg":  func(b *bytes.Buffer) error { return r.SVG(b, 5) },
	}
	for name, write := range outputs {
		t.Run(name, func(t *testing.T) {
			var b, again bytes.Buffer
			if err := write(&b); err != nil {
				t.Fatal(err)
			}
			if err := write(&again); err != nil || !bytes.Equal(b.Bytes(), again.Bytes()) {
				t.Fatal("output not deterministic")
			}
			golden(t, name, b.Bytes())
		})
	}
}

func TestEscaping(t *testing.T) {
	r := sampleReport()
	var md, svg, csvOut bytes.Buffer
	_ = r.Markdown(&md)
	_ = r.SVG(&svg, 0)
	_ = r.CSV(&csvOut)
	if !strings.Contains(md.String(), `Säkerhets \& \<Co\> \| "AB"`) {
		t.Errorf("markdown escaping:\n%s", md.String())
	}
	if !strings.Contains(svg.String(), "Säkerhets &amp; &lt;Co&gt; | &#34;AB&#34;") {
		t.Errorf("svg escaping:\n%s", svg.String())
	}
	if !strings.Contains(csvOut.String(), "\n'=cmd|' /C calc'!A0,") {
		t.Errorf("csv formula neutralised:\n%s", csvOut.String())
	}
	// The SVG is well-formed XML.
	d := xml.NewDecoder(bytes.NewReader(svg.Bytes()))
	for {
		if _, err := d.Token(); err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("svg is not well-formed: %v", err)
			}
			break
		}
	}
	if got := mdEscape("@team please"); got != "&#64;team please" {
		t.Errorf("mention not neutralised: %q", got)
	}
}
