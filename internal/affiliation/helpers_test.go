package affiliation_test

import (
	"strings"
	"testing"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/affiliation"
	"github.com/contribution-policy/contribution-policy/internal/affiliation/index"
	"github.com/contribution-policy/contribution-policy/internal/gitdm"
)

// file is one input of a test index: its name decides the format.
type file struct {
	name, content string
	updated       string // "" = unknown
	lenient       bool   // malformed lines allowed (real data)
}

func build(t testing.TB, files ...file) *index.Index {
	t.Helper()
	b := index.NewBuilder()
	for _, f := range files {
		o := index.FileOptions{}
		if f.updated != "" {
			o.Updated = day(f.updated)
		}
		st, err := b.AddFile(f.name, strings.NewReader(f.content), o)
		if err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		if err := st.Err(); err != nil && !f.lenient {
			t.Fatalf("%s: %v", f.name, err)
		}
	}
	ix, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func resolver(t testing.TB, o affiliation.Options, files ...file) *affiliation.Resolver {
	t.Helper()
	ix := build(t, files...)
	o.Sources = append(o.Sources, ix)
	if o.Names == nil {
		names, err := ix.Names()
		if err != nil {
			t.Fatal(err)
		}
		o.Names = names
	}
	return affiliation.NewResolver(o)
}

func day(s string) affiliation.Day {
	d, ok := gitdm.ParseDay(s)
	if !ok {
		panic("bad test date " + s)
	}
	return d
}

func at(s string) time.Time {
	if len(s) == 10 {
		s += "T12:00:00Z"
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func linked(emails ...string) []affiliation.CommitEmail {
	out := make([]affiliation.CommitEmail, len(emails))
	for i, e := range emails {
		out[i] = affiliation.CommitEmail{Email: e, Linked: true}
	}
	return out
}

// want describes an expected result compactly.
type want struct {
	kind    affiliation.Kind
	company string // Company.Name ("" for none)
	rank    affiliation.Rank
	conf    affiliation.Confidence
}

func check(t *testing.T, got affiliation.Result, w want) {
	t.Helper()
	if got.Kind != w.kind || got.Company.Name != w.company || got.Rank != w.rank || got.Confidence != w.conf {
		t.Errorf("got %s [kind %s, company %q, rank %s, confidence %s]\nwant kind %s, company %q, rank %s, confidence %s\nevidence: %v",
			got, got.Kind, got.Company.Name, got.Rank, got.Confidence, w.kind, w.company, w.rank, w.conf, got.Evidence)
	}
}

func company(name string, rank affiliation.Rank) want {
	return want{affiliation.KindCompany, name, rank, rank.Confidence()}
}
