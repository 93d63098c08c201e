package index

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/affiliation"
	"github.com/contribution-policy/contribution-policy/internal/fixtures"
	"github.com/contribution-policy/contribution-policy/internal/gitdm"
)

// allFixtures are every affiliation sample the parsers read.
var allFixtures = []string{
	"cncf-gitdm/developers_affiliations.sample.txt",
	"cncf-gitdm/developers_affiliations.edge_cases.txt",
	"cncf-gitdm/company_developers.sample.txt",
	"cncf-gitdm/email-map.sample",
	"cncf-gitdm/email-map.edge_cases",
	"cncf-gitdm/domain-map",
	"cncf-gitdm/company-names-mapping",
	"devstats/companies.yaml",
	"devstats/github_users.schema_test_affs.json",
	"stackalytics/default_data.sample.json",
	"lf-gitdm/profiles.sample.yaml",
	"lwn-gitdm/domain-map",
	"openstack-gitdm/domain-map",
	"openstack-gitdm/email-map",
}

func buildFixtures(t testing.TB, names ...string) *Index {
	t.Helper()
	b := NewBuilder()
	for _, n := range names {
		data, err := fixtures.Read("affiliations/" + n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.AddFile(n, bytes.NewReader(data), FileOptions{}); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
	}
	ix, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func day(s string) affiliation.Day {
	d, ok := gitdm.ParseDay(s)
	if !ok {
		panic(s)
	}
	return d
}

func histories(ix *Index, k affiliation.Key) []affiliation.History {
	var out []affiliation.History
	for h := range ix.Find(k) {
		out = append(out, h)
	}
	return out
}

func companyAt(hs []affiliation.History, at string) []string {
	var out []string
	for _, h := range hs {
		if r, ok := h.At(day(at)); ok {
			out = append(out, r.Company)
		}
	}
	return out
}

func TestFixturesIndex(t *testing.T) {
	ix := buildFixtures(t, allFixtures...)
	st := ix.Stats()
	if st.Datasets != len(allFixtures) || st.Acquisitions != 23 || st.Aliases < 1492 {
		t.Errorf("stats %+v", st)
	}
	tests := []struct {
		key  affiliation.Key
		at   string
		want string
	}{
		// developers_affiliations: half-open ranges.
		{affiliation.LoginKey("00r2"), "2014-07-31", "PerkinElmer Inc."},
		{affiliation.LoginKey("00r2"), "2014-08-01", "Independent"},
		{affiliation.LoginKey("00R2"), "2030-01-01", "Simplebet Inc."},
		// e-mail map: unsorted lines, implied starts.
		{affiliation.EmailKey("tomer!tomergabel.com"), "2015-03-01", "OpenS"},
		{affiliation.EmailKey("tomer@tomergabel.com"), "2015-04-01", "Vidfluent"},
		{affiliation.EmailKey("tomer@tomergabel.com"), "2021-01-01", "Genity"},
		// ID+login no-reply in the e-mail map: filed under id and login too.
		{affiliation.IDKey(101085), "2018-02-01", "dell"},
		{affiliation.LoginKey("akutz"), "2019-01-01", "VMware Inc."},
		// Stackalytics: inclusive end date.
		{affiliation.EmailKey("tyler.britten@emc.com"), "2015-06-30", "EMC"},
		{affiliation.EmailKey("tyler.britten@emc.com"), "2015-07-01", "Blue Box"},
		// domain maps.
		{affiliation.DomainKey("ansolabs.com"), "2012-07-19", "Rackspace"},
		{affiliation.DomainKey("acelio.com"), "2020-01-01", "Acelio"},
		// LF profiles: global enrollment, sentinel start.
		{affiliation.EmailKey("343354996@qq.com"), "1950-01-01", "Tencent Holdings Limited"},
		// devstats github_users.
		{affiliation.LoginKey("src11"), "2018-01-04", "USER1"},
	}
	for _, tt := range tests {
		got := companyAt(histories(ix, tt.key), tt.at)
		if !contains(got, tt.want) {
			t.Errorf("%s at %s = %q, want %q among them", tt.key, tt.at, got, tt.want)
		}
	}
	if n := ix.Count(affiliation.LoginKey("0xandrew")); n != 4 {
		t.Errorf("0xANDREW has %d histories, want 4 (two blocks in each of two files)", n)
	}
	if n := ix.Count(affiliation.LoginKey("nobody-here")); n != 0 {
		t.Errorf("unknown login found %d", n)
	}
	names, err := ix.Names()
	if err != nil {
		t.Fatal(err)
	}
	if c := names.Company("AWS"); c.Name != "Amazon" || c.Key != "amazon" {
		t.Errorf("AWS -> %+v", c)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestRoundTripAndDeterminism(t *testing.T) {
	build := func() []byte {
		b := NewBuilder()
		for _, n := range allFixtures {
			data, _ := fixtures.Read("affiliations/" + n)
			if _, err := b.AddFile(n, bytes.NewReader(data), FileOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		out, err := b.Encode()
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	a, c := build(), build()
	if !bytes.Equal(a, c) {
		t.Fatal("two builds of the same input differ")
	}
	ix, err := Open(a)
	if err != nil {
		t.Fatal(err)
	}
	var prev uint64
	n := 0
	for k := range ix.Keys() {
		h := keyHash(byte(k.Kind), k.Value)
		if h < prev {
			t.Fatalf("keys out of hash order at %s", k)
		}
		prev = h
		if ix.Count(k) == 0 {
			t.Fatalf("key %s not found", k)
		}
		n++
	}
	if n != ix.Stats().Keys {
		t.Fatalf("iterated %d keys of %d", n, ix.Stats().Keys)
	}
}

func TestOpenRejectsDamage(t *testing.T) {
	b := NewBuilder()
	ds := b.Dataset("t", affiliation.MinDay)
	b.Add(History{Dataset: ds, Rank: affiliation.RankList, Keys: []affiliation.Key{affiliation.LoginKey("a")},
		Ranges: []affiliation.Range{{From: affiliation.MinDay, Until: affiliation.MaxDay, Company: "X"}}})
	good, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	mutate := func(f func([]byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	tests := map[string][]byte{
		"empty":     nil,
		"magic":     mutate(func(b []byte) []byte { b[0] = 'X'; return b }),
		"version":   mutate(func(b []byte) []byte { b[8] = 2; return b }),
		"truncated": good[:len(good)-1],
		"checksum":  mutate(func(b []byte) []byte { b[len(b)-1] ^= 1; return b }),
		"appended":  append(append([]byte(nil), good...), 0),
	}
	for name, data := range tests {
		if _, err := Open(data); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: err = %v", name, err)
		}
		if _, err := Load(bytes.NewReader(data)); !errors.Is(err, ErrFormat) {
			t.Errorf("Load %s: err = %v", name, err)
		}
	}
	if ix, err := Load(bytes.NewReader(good)); err != nil || ix.Count(affiliation.LoginKey("a")) != 1 {
		t.Errorf("Load: %v", err)
	}
	if _, err := Open(mutate(func(b []byte) []byte { b[8] = 2; return b })); !strings.Contains(err.Error(), "rebuild it") {
		t.Errorf("version error does not say what to do: %v", err)
	}
}

func TestEmailAliasesAndGitdmConfig(t *testing.T) {
	fsys := fstest.MapFS{
		"cfg/gitdm.config":          {Data: []byte("EmailAliases aliases\nEmailMap domain-map\nEmailMap email-map\nGroupMap groups/acme Acme Corp\nFileTypeMap x\n")},
		"cfg/aliases":               {Data: []byte("old@home.net bob@corp.example\n")},
		"cfg/domain-map":            {Data: []byte("corp.example Corp\n")},
		"cfg/email-map":             {Data: []byte("bob@corp.example Corp < 2020-01-01\nbob@corp.example Other\n")},
		"cfg/groups/acme":           {Data: []byte("carol@gmail.com\n")},
		"cfg/unused/developers.txt": {Data: []byte("")},
	}
	b := NewBuilder()
	sts, err := b.AddConfig(fsys, "cfg/gitdm.config", FileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sts) != 5 {
		t.Errorf("%d files read, want 5", len(sts))
	}
	ix, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if got := companyAt(histories(ix, affiliation.EmailKey("old@home.net")), "2021-01-01"); len(got) != 1 || got[0] != "Other" {
		t.Errorf("alias lookup = %q", got)
	}
	if got := companyAt(histories(ix, affiliation.EmailKey("carol@gmail.com")), "2021-01-01"); len(got) != 1 || got[0] != "Acme Corp" {
		t.Errorf("group lookup = %q", got)
	}
	if got := companyAt(histories(ix, affiliation.DomainKey("corp.example")), "2021-01-01"); len(got) != 1 || got[0] != "Corp" {
		t.Errorf("domain lookup = %q", got)
	}
}

func TestHistoryFields(t *testing.T) {
	b := NewBuilder()
	ds := b.Dataset("list", day("2023-03-29"))
	b.Add(History{Dataset: ds, Rank: affiliation.RankList, Line: 42, Priority: -20, AccountID: 1 << 40,
		Keys: []affiliation.Key{affiliation.LoginKey("Z")},
		Ranges: []affiliation.Range{
			{From: affiliation.MinDay, Until: affiliation.MaxDay, Company: "Now"},
			{From: affiliation.MinDay, Until: day("2020-01-01"), Company: "Before"},
		}})
	ix, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	hs := histories(ix, affiliation.LoginKey("z"))
	if len(hs) != 1 {
		t.Fatalf("%d histories", len(hs))
	}
	h := hs[0]
	want := []affiliation.Range{{From: affiliation.MinDay, Until: day("2020-01-01"), Company: "Before"}, {From: day("2020-01-01"), Until: affiliation.MaxDay, Company: "Now"}}
	if h.Line != 42 || h.Priority != -20 || h.AccountID != 1<<40 || h.Dataset.Name != "list" || h.Dataset.Updated != day("2023-03-29") ||
		h.Rank != affiliation.RankList || len(h.Ranges) != 2 || h.Ranges[0] != want[0] || h.Ranges[1] != want[1] {
		t.Errorf("history %+v", h)
	}
	_ = time.Now
}
