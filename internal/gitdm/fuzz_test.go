package gitdm

import (
	"bytes"
	"strings"
	"testing"

	"github.com/contribution-policy/contribution-policy/internal/fixtures"
)

// Fuzz targets: every reader must return (never panic, never hang) on any
// input, and whatever it emits must be well formed. Seeds are the fixtures.
// Run one with: go test ./internal/gitdm -run '^$' -fuzz FuzzReadDevelopers -fuzztime 60s

func seed(f *testing.F, names ...string) {
	for _, n := range names {
		b, err := fixtures.Read("affiliations/" + n)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) > 8<<10 { // keep seeds small so the fuzzer mutates usefully
			b = b[:8<<10]
		}
		f.Add(b)
	}
}

func checkRanges(t *testing.T, rs []Range) {
	for _, r := range rs {
		if r.Company == "" || r.From >= r.Until {
			t.Fatalf("bad range %+v", r)
		}
	}
}

func checkStats(t *testing.T, st Stats) {
	if st.ProblemCount < len(st.Problems) || len(st.Problems) > MaxProblems {
		t.Fatalf("stats %+v", st)
	}
	for _, p := range st.Problems {
		if p.Line < 0 || (st.Lines > 0 && p.Line > st.Lines+1 && p.Line > 1<<30) {
			t.Fatalf("problem line %d", p.Line)
		}
	}
}

func FuzzReadDevelopers(f *testing.F) {
	seed(f, "cncf-gitdm/developers_affiliations.edge_cases.txt", "cncf-gitdm/developers_affiliations.sample.txt")
	f.Add([]byte("a: b!c.com\n\tX from 2019-01-01 until 2018-01-01\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		st, _ := ReadDevelopers(bytes.NewReader(data), "f", func(d Developer) error {
			if d.Login == "" || len(d.Ranges) == 0 || strings.ContainsAny(d.Login, " \t") {
				t.Fatalf("bad block %+v", d)
			}
			checkRanges(t, d.Ranges)
			return nil
		})
		checkStats(t, st)
	})
}

func FuzzReadCompanyDevelopers(f *testing.F) {
	seed(f, "cncf-gitdm/company_developers.sample.txt")
	f.Fuzz(func(t *testing.T, data []byte) {
		st, _ := ReadCompanyDevelopers(bytes.NewReader(data), "f", func(d CompanyDeveloper) error {
			if d.Login == "" || d.Company == "" || len(d.Ranges) == 0 {
				t.Fatalf("bad line %+v", d)
			}
			checkRanges(t, d.Ranges)
			return nil
		})
		checkStats(t, st)
	})
}

func FuzzReadMap(f *testing.F) {
	seed(f, "cncf-gitdm/email-map.edge_cases", "cncf-gitdm/email-map.sample", "cncf-gitdm/domain-map",
		"lwn-gitdm/domain-map", "openstack-gitdm/email-map", "openstack-gitdm/domain-map")
	f.Fuzz(func(t *testing.T, data []byte) {
		st, _ := ReadMap(bytes.NewReader(data), "f", func(e MapEntry) error {
			if e.Company == "" || e.Key == "" || (e.Domain && !ValidDomain(e.Key)) {
				t.Fatalf("bad entry %+v", e)
			}
			if !e.Domain {
				if _, _, ok := SplitEmail(e.Key); !ok {
					t.Fatalf("bad address %+v", e)
				}
			}
			return nil
		})
		checkStats(t, st)
	})
}

func FuzzReadAliasesNamesConfig(f *testing.F) {
	seed(f, "cncf-gitdm/company-names-mapping", "openstack-gitdm/gitdm.config")
	f.Add([]byte("a!b.com c!d.com\n\"Name\" x@y.org\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		st, _ := ReadAliases(bytes.NewReader(data), "f", func(a Alias) error {
			if a.To == "" || a.From == "" {
				t.Fatalf("bad alias %+v", a)
			}
			return nil
		})
		checkStats(t, st)
		st, _ = ReadCompanyNames(bytes.NewReader(data), "f", func(c CompanyName) error {
			if c.Raw == "" || c.Canonical == "" {
				t.Fatalf("bad name %+v", c)
			}
			return nil
		})
		checkStats(t, st)
		st, _ = ReadConfig(bytes.NewReader(data), "f", func(d Directive) error {
			if d.Name == "" {
				t.Fatal("empty directive")
			}
			return nil
		})
		checkStats(t, st)
		st, _ = ReadGroup(bytes.NewReader(data), "f", func(string, int) error { return nil })
		checkStats(t, st)
	})
}

func FuzzReadGitHubUsers(f *testing.F) {
	seed(f, "devstats/github_users.schema_test_affs.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		st, _ := ReadGitHubUsers(bytes.NewReader(data), "f", func(u GitHubUser) error {
			if u.Login == "" || len(u.Ranges) == 0 {
				t.Fatalf("bad user %+v", u)
			}
			checkRanges(t, u.Ranges)
			return nil
		})
		checkStats(t, st)
	})
}

func FuzzReadStackalytics(f *testing.F) {
	seed(f, "stackalytics/default_data.sample.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		st, _ := ReadStackalytics(bytes.NewReader(data), "f", func(u StackalyticsUser) error {
			checkRanges(t, u.Ranges)
			return nil
		}, func(c StackalyticsCompany) error {
			if c.Name == "" {
				t.Fatal("company without a name")
			}
			return nil
		})
		checkStats(t, st)
	})
}

func FuzzReadYAML(f *testing.F) {
	seed(f, "lf-gitdm/profiles.sample.yaml", "devstats/companies.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		st, _ := ReadProfiles(bytes.NewReader(data), "f", "k8s", func(p Profile) error {
			checkRanges(t, p.Ranges)
			return nil
		})
		checkStats(t, st)
		acq, st, _ := ReadAcquisitions(bytes.NewReader(data), "f")
		for _, a := range acq {
			if a.Regexp == nil || a.Company == "" {
				t.Fatalf("bad rule %+v", a)
			}
		}
		checkStats(t, st)
	})
}

func FuzzDecodeEmail(f *testing.F) {
	for _, s := range []string{"a!b.com", "a!b!c", "!a!b", "Yahoo! Inc.", "x@y", "1+a[bot]!users.noreply.github.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := DecodeEmail(s)
		if b := decodeEmailBytes([]byte(s)); b != d {
			t.Fatalf("decodeEmailBytes(%q) = %q, DecodeEmail = %q", s, b, d)
		}
		if strings.Count(d, "@") > strings.Count(s, "@")+strings.Count(s, "!") {
			t.Fatalf("DecodeEmail(%q) = %q", s, d)
		}
		if n, ok := ParseNoreply(d); ok && n.Login == "" {
			t.Fatalf("noreply without login: %q", d)
		}
		SplitEmail(d)
	})
}
