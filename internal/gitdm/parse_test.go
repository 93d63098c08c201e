package gitdm

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestDecodeEmail(t *testing.T) {
	tests := []struct{ in, want string }{
		{"vgarcia!thousandeyes.com", "vgarcia@thousandeyes.com"},
		{"Ma-Dan!users.noreply.github.com", "ma-dan@users.noreply.github.com"},
		{"a@b.cd", "a@b.cd"},
		{"  X!Y.org ", "x@y.org"},
		{"a!b!c", "a@b!c"},             // only the first '!' (devstats regexp)
		{"!a!b", "!a@b"},               // the first '!' has nothing before it
		{"a!!b", "a!!b"},               // no run between
		{"Yahoo! Inc.", "yahoo! inc."}, // a company, not an address
		{"weird!local@x.org", "weird!local@x.org"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := DecodeEmail(tt.in); got != tt.want {
			t.Errorf("DecodeEmail(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSplitEmailAndDomain(t *testing.T) {
	for _, s := range []string{"a@b.co", "x+y@mail.example.co.uk", "m@xn--bcher-kva.example", "u@zte.com.cn", "a@b_c.com"} {
		if _, _, ok := SplitEmail(s); !ok {
			t.Errorf("SplitEmail(%q) rejected", s)
		}
	}
	for _, s := range []string{"", "@b.co", "a@", "a@b", "a b@c.com", "a@b..com", "a@.b.com", "a@b.com.", "a@@b.com", "a@b,c.com", "tjbenton21"} {
		if _, _, ok := SplitEmail(s); ok {
			t.Errorf("SplitEmail(%q) accepted", s)
		}
	}
}

func TestParseNoreply(t *testing.T) {
	tests := []struct {
		in   string
		want Noreply
		ok   bool
	}{
		{"2843450+b-m-f@users.noreply.github.com", Noreply{ID: 2843450, Login: "b-m-f"}, true},
		{"victorgp@users.noreply.github.com", Noreply{Login: "victorgp"}, true},
		{"49699333+dependabot[bot]@users.noreply.github.com", Noreply{ID: 49699333, Login: "dependabot", Bot: true}, true},
		{"x@noreply.github.com", Noreply{}, false},
		{"+x@users.noreply.github.com", Noreply{}, false},
		{"12a+x@users.noreply.github.com", Noreply{}, false},
		{"@users.noreply.github.com", Noreply{}, false},
		{"99999999999999999999+x@users.noreply.github.com", Noreply{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseNoreply(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseNoreply(%q) = %+v, %v; want %+v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestDays(t *testing.T) {
	for _, s := range []string{"1970-01-01", "2000-02-29", "1900-01-01", "2100-01-01", "0001-01-01", "9999-12-31", "1969-12-31"} {
		d, ok := ParseDay(s)
		if !ok {
			t.Fatalf("ParseDay(%q) failed", s)
		}
		want, _ := time.Parse("2006-01-02", s)
		if d.Time() != want || d.String() != s || DayOf(want) != d || DayOf(want.Add(86399*time.Second)) != d {
			t.Errorf("%s: day %d time %v string %s", s, d, d.Time(), d)
		}
	}
	for _, s := range []string{"2019-02-29", "2019-13-01", "2019-00-10", "2019-1-01", "20190101", "2019-01-01T00:00:00Z", "abcd-ef-gh"} {
		if _, ok := ParseDay(s); ok {
			t.Errorf("ParseDay(%q) accepted", s)
		}
	}
	if d, ok := ParseStackalyticsDay("2015-Jun-30"); !ok || d.String() != "2015-06-30" {
		t.Errorf("ParseStackalyticsDay = %v %v", d, ok)
	}
	if _, ok := ParseStackalyticsDay("2015-Jux-30"); ok {
		t.Error("bad month accepted")
	}
	// A time in another zone falls on its UTC day.
	tz := time.FixedZone("x", -8*3600)
	if got := DayOf(time.Date(2020, 1, 1, 20, 0, 0, 0, tz)).String(); got != "2020-01-02" {
		t.Errorf("DayOf in UTC-8 = %s", got)
	}
	if MinDay.String() != "open" || MaxDay.String() != "open" || !MaxDay.Time().IsZero() {
		t.Error("open ends")
	}
}

func readDevs(t *testing.T, in string) ([]Developer, Stats) {
	t.Helper()
	var out []Developer
	st, err := ReadDevelopers(strings.NewReader(in), "dev.txt", func(d Developer) error { out = append(out, d); return nil })
	if err != nil {
		t.Fatal(err)
	}
	return out, st
}

func TestDevelopersLines(t *testing.T) {
	day := func(s string) Day { d, _ := ParseDay(s); return d }
	tests := []struct {
		name     string
		in       string
		want     []Range
		emails   string
		problems []string
	}{
		{"trailing spaces and CRLF", "a: x!y.com  \r\n\tAcme Inc.   \r\n", []Range{{Company: "Acme Inc.", From: MinDay, Until: MaxDay}}, "x@y.com", nil},
		{"company ending in a date word", "a: x!y.com\n\tUntil Labs until 2020-01-01\n\tFrom Inc from 2020-01-01\n",
			[]Range{{Company: "Until Labs", From: MinDay, Until: day("2020-01-01")}, {Company: "From Inc", From: day("2020-01-01"), Until: MaxDay}}, "x@y.com", nil},
		{"login split on the first ': '", "weird: a!b.com: c!d.com\n\tX\n", []Range{{Company: "X", From: MinDay, Until: MaxDay}}, "a@b.com: c@d.com", nil},
		{"login without emails", "solo:\n\tIndependent\n", []Range{{Company: "Independent", From: MinDay, Until: MaxDay}}, "", nil},
		{"conflict marker", "dup*: a!b.com\n\tX\n", []Range{{Company: "X", From: MinDay, Until: MaxDay}}, "a@b.com", nil},
		{"spaces instead of a tab", "a: b!c.com\n    Acme from 2019-01-01\n", []Range{{Company: "Acme", From: day("2019-01-01"), Until: MaxDay}}, "b@c.com", nil},
		{"invalid date", "a: b!c.com\n\tAcme until 2019-13-01\n\tB\n", []Range{{Company: "B", From: MinDay, Until: MaxDay}}, "b@c.com",
			[]string{"dev.txt:2: invalid date 2019-13-01"}},
		{"short date", "a: b!c.com\n\tAcme until 2019-1-1\n\tB\n", []Range{{Company: "B", From: MinDay, Until: MaxDay}}, "b@c.com",
			[]string{"dev.txt:2: malformed date after until"}},
		{"empty range", "a: b!c.com\n\tAcme from 2019-01-01 until 2019-01-01\n\tB\n", []Range{{Company: "B", From: MinDay, Until: MaxDay}}, "b@c.com",
			[]string{"dev.txt:2: range from 2019-01-01 until 2019-01-01 is empty"}},
		{"only a date", "a: b!c.com\n\tuntil 2019-01-01\n\tB\n", []Range{{Company: "B", From: MinDay, Until: MaxDay}}, "b@c.com",
			[]string{"dev.txt:2: empty company"}},
		{"employer before any login", "\tOrphan\na: b!c.com\n\tB\n", []Range{{Company: "B", From: MinDay, Until: MaxDay}}, "b@c.com",
			[]string{"dev.txt:1: employer line outside a login block"}},
		{"malformed login line skips its block quietly", "no colon here\n\tX\n\tY\na: b!c.com\n\tB\n", []Range{{Company: "B", From: MinDay, Until: MaxDay}}, "b@c.com",
			[]string{"dev.txt:1: expected \"login: emails\""}},
		{"block without employers", "empty: a!b.com\na: b!c.com\n\tB\n", []Range{{Company: "B", From: MinDay, Until: MaxDay}}, "b@c.com",
			[]string{"dev.txt:1: login \"empty\" has no employer lines"}},
		{"BOM", "\xef\xbb\xbfa: b!c.com\n\tB", []Range{{Company: "B", From: MinDay, Until: MaxDay}}, "b@c.com", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			devs, st := readDevs(t, tt.in)
			var probs []string
			for _, p := range st.Problems {
				probs = append(probs, p.Error())
			}
			if strings.Join(probs, "|") != strings.Join(tt.problems, "|") {
				t.Errorf("problems %q, want %q", probs, tt.problems)
			}
			if len(devs) != 1 {
				t.Fatalf("%d blocks", len(devs))
			}
			got := devs[0].Ranges
			for i := range got {
				got[i].Line = 0
			}
			if len(got) != len(tt.want) {
				t.Fatalf("ranges %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("range %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
			if e := strings.Join(devs[0].Emails, ", "); e != tt.emails {
				t.Errorf("emails %q, want %q", e, tt.emails)
			}
		})
	}
}

func TestMapLines(t *testing.T) {
	day := func(s string) Day { d, _ := ParseDay(s); return d }
	tests := []struct {
		in   string
		want []MapEntry
		prob string
	}{
		{"a!b.com Acme", []MapEntry{{Key: "a@b.com", Company: "Acme", Until: MaxDay}}, ""},
		{"A@B.com\tAcme Corp\t< 2012-07-20", []MapEntry{{Key: "a@b.com", Company: "Acme Corp", Until: day("2012-07-20")}}, ""},
		{"ansolabs.com Rackspace < 2012-7-20", []MapEntry{{Key: "ansolabs.com", Domain: true, Company: "Rackspace", Until: day("2012-07-20")}}, ""},
		{"x.org  Name <with> brackets", []MapEntry{{Key: "x.org", Domain: true, Company: "Name <with> brackets", Until: MaxDay}}, ""},
		{"a!b.com, c!d.org Both < 2019-01-01", []MapEntry{{Key: "a@b.com", Company: "Both", Until: day("2019-01-01")}, {Key: "c@d.org", Company: "Both", Until: day("2019-01-01")}}, ""},
		{"a!b.com Acme < 2019-02-30", nil, "m:1: invalid date \"2019-02-30\""},
		{"a!b.com", nil, "m:1: expected \"key employer [< yyyy-mm-dd]\""},
		{"a!b.com < 2019-01-01", nil, "m:1: no employer for \"a!b.com\""},
		{"tjbenton21 Amazon < 2012-09-01", nil, "m:1: malformed key \"tjbenton21\": neither an address nor a domain"},
		{"rkumar670[at]gmail.com Microsoft", nil, "m:1: malformed key \"rkumar670[at]gmail.com\": neither an address nor a domain"},
		{"@rkoutnik Slack", nil, "m:1: malformed key \"@rkoutnik\""},
		{"klassen.dana at the gmail Shopify", nil, "m:1: malformed key \"klassen.dana at\": an address written out in words"},
	}
	for _, tt := range tests {
		var got []MapEntry
		st, err := ReadMap(strings.NewReader(tt.in), "m", func(e MapEntry) error { e.Line = 0; got = append(got, e); return nil })
		if err != nil {
			t.Fatal(err)
		}
		prob := ""
		if len(st.Problems) > 0 {
			prob = st.Problems[0].Error()
		}
		if prob != tt.prob || len(got) != len(tt.want) {
			t.Errorf("%q: entries %+v problem %q; want %+v %q", tt.in, got, prob, tt.want, tt.prob)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%q: entry %d = %+v, want %+v", tt.in, i, got[i], tt.want[i])
			}
		}
	}
}

func TestCompanyDeveloperLines(t *testing.T) {
	in := "Acme:\n\tbob: b!x.com, c!y.com until 2019-01-01, from 2020-01-01 until 2021-01-01, from 2022-01-01\n" +
		"\tbad: b!x.com from 2019-01-01, c!y.com\n\tnoemail:\n"
	var got []CompanyDeveloper
	st, err := ReadCompanyDevelopers(strings.NewReader(in), "cd", func(d CompanyDeveloper) error { got = append(got, d); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || len(got[0].Ranges) != 3 || len(got[0].Emails) != 2 || got[1].Login != "noemail" || got[1].Ranges[0].Until != MaxDay {
		t.Errorf("got %+v", got)
	}
	if st.ProblemCount != 1 || st.Problems[0].Error() != "cd:3: address after a date range" {
		t.Errorf("problems %v", st.Problems)
	}
}

func TestAliasesAndNames(t *testing.T) {
	var as []Alias
	st, err := ReadAliases(strings.NewReader("# c\nOld!x.com new!y.com\n\"Jane Doe\" jane@y.com\nbroken\na@b.com c@d.com extra\n"), "aliases",
		func(a Alias) error { a.Line = 0; as = append(as, a); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 2 || as[0] != (Alias{From: "old@x.com", To: "new@y.com"}) || as[1] != (Alias{From: "Jane Doe", To: "jane@y.com", Name: true}) || st.ProblemCount != 2 {
		t.Errorf("aliases %+v problems %v", as, st.Problems)
	}
	var ns []CompanyName
	st, err = ReadCompanyNames(strings.NewReader("Amazon Web Services (@aws) -> Amazon\nno arrow\n a -> b -> c\n"), "cnm",
		func(c CompanyName) error { c.Line = 0; ns = append(ns, c); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(ns) != 2 || ns[0] != (CompanyName{Raw: "Amazon Web Services (@aws)", Canonical: "Amazon"}) || ns[1].Canonical != "b -> c" || st.ProblemCount != 1 {
		t.Errorf("names %+v problems %v", ns, st.Problems)
	}
	var group []string
	st, err = ReadGroup(strings.NewReader("a!b.com\nnot an address\nC@D.org\n"), "grp", func(e string, _ int) error { group = append(group, e); return nil })
	if err != nil || strings.Join(group, ",") != "a@b.com,c@d.org" || st.ProblemCount != 1 {
		t.Errorf("group %q %v %v", group, st.Problems, err)
	}
}

func TestJSONErrorsNameTheLine(t *testing.T) {
	in := "[\n  {\"login\": \"a\", \"affiliation\": \"X\"},\n  {\"login\": \"b\", \"affiliation\": \"Y < 2019-13-01\"},\n  {\"login\": \"c\",\n   \"affiliation\": 5}\n]"
	n := 0
	st, err := ReadGitHubUsers(strings.NewReader(in), "gu.json", func(GitHubUser) error { n++; return nil })
	if err == nil || err.Error() != "gu.json:5: json: cannot unmarshal number into Go struct field .affiliation of type string" {
		t.Errorf("err = %v", err)
	}
	if n != 1 || st.ProblemCount != 1 || st.Problems[0].Error() != "gu.json:3: login \"b\": invalid date \"2019-13-01\"" {
		t.Errorf("n %d problems %v", n, st.Problems)
	}
	_, err = ReadGitHubUsers(strings.NewReader("[\n{\"login\": \"a\",\n\"x\" }"), "gu.json", func(GitHubUser) error { return nil })
	if err == nil || !strings.HasPrefix(err.Error(), "gu.json:3: ") {
		t.Errorf("syntax err = %v", err)
	}
	_, err = ReadGitHubUsers(strings.NewReader("{}"), "gu.json", func(GitHubUser) error { return nil })
	if err == nil || err.Error() != "gu.json:1: expected \"[\", found {" {
		t.Errorf("object err = %v", err)
	}
	stop := errors.New("stop")
	if _, err := ReadGitHubUsers(strings.NewReader(in), "gu.json", func(GitHubUser) error { return stop }); err != stop {
		t.Errorf("callback error = %v", err)
	}
}

func TestParseAffiliations(t *testing.T) {
	rs, msg := ParseAffiliations("A < 2018-01-05, B < 2100-01-01, C")
	if msg != "" || len(rs) != 3 || rs[1].Until != MaxDay || rs[2].Company != "C" {
		t.Errorf("got %+v %q", rs, msg)
	}
	for _, bad := range []string{"", " , ", "A < x", "< 2019-01-01"} {
		if _, msg := ParseAffiliations(bad); msg == "" {
			t.Errorf("ParseAffiliations(%q) accepted", bad)
		}
	}
}

func TestStackalyticsBadDate(t *testing.T) {
	in := `{"releases": [1, 2], "users": [{"github_id": "a", "emails": ["A@X.com"], "companies": [{"company_name": "X", "end_date": "2015-06-30"}]},
	{"github_id": "b", "companies": [{"company_name": "Y", "end_date": "2014-Aug-01"}, {"company_name": "Z", "end_date": null}]}]}`
	var users []StackalyticsUser
	st, err := ReadStackalytics(strings.NewReader(in), "dd.json", func(u StackalyticsUser) error { users = append(users, u); return nil }, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 1 || users[0].Ranges[0].Until.String() != "2014-08-02" || st.ProblemCount != 1 ||
		st.Problems[0].Error() != "dd.json:1: invalid end_date \"2015-06-30\" (want YYYY-Mon-DD)" {
		t.Errorf("users %+v problems %v", users, st.Problems)
	}
}

func TestProfilesSentinelsAndErrors(t *testing.T) {
	in := `P:
- E: a!x.com
  B: 1
  R:
  - {F: "1900-01-01", T: "2100-01-01", C: Acme}
  - {F: "2019-01-01", T: "2019-01-01", C: Empty}
- E: b!x.com
  R:
  - {F: "1899-12-31", T: "2020-01-01", C: Old, P: other}
  - {F: "1899-12-31", T: "2020-01-01", C: Old}
`
	var got []Profile
	st, err := ReadProfiles(strings.NewReader(in), "p.yaml", "", func(p Profile) error { got = append(got, p); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if st.ProblemCount != 1 || st.Problems[0].Error() != "p.yaml:6: enrollment from 2019-01-01 until 2019-01-01 is empty" {
		t.Errorf("problems %v", st.Problems)
	}
	if len(got) != 1 || got[0].Ranges[0].From != MinDay || got[0].IgnoredScoped != 1 || got[0].Bot {
		t.Errorf("got %+v", got)
	}
	if _, err := ReadProfiles(strings.NewReader("Q: []"), "p.yaml", "", func(Profile) error { return nil }); err == nil {
		t.Error("missing P accepted")
	}
}

func TestAcquisitionsRejectNonRE2(t *testing.T) {
	acq, st, err := ReadAcquisitions(strings.NewReader("acquisitions:\n  - ['(a)\\1', 'X']\n  - ['(?i)^ok$', 'Y']\n  - ['only one']\n"), "c.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(acq) != 1 || acq[0].Company != "Y" || st.ProblemCount != 2 || !strings.HasPrefix(st.Problems[0].Error(), "c.yaml:2: pattern") ||
		st.Problems[1].Error() != "c.yaml:4: expected ['regexp', 'Company']" {
		t.Errorf("acq %+v problems %v", acq, st.Problems)
	}
}

func TestLongLine(t *testing.T) {
	in := "a: b!c.com\n\t" + strings.Repeat("x", MaxLine+1) + "\n"
	_, err := ReadDevelopers(strings.NewReader(in), "big.txt", func(Developer) error { return nil })
	if err == nil || err.Error() != "big.txt:2: line longer than 1048576 bytes" {
		t.Errorf("err = %v", err)
	}
}

func TestDetect(t *testing.T) {
	for name, want := range map[string]Format{
		"x/developers_affiliations10.txt": FormatDevelopers, "company_developers3.txt": FormatCompanyDevelopers,
		"src/cncf-config/email-map": FormatMap, "domain-map": FormatMap, "prev-email-map": FormatMap,
		"aliases": FormatAliases, "company-names-mapping": FormatCompanyNames, "companies.yaml": FormatAcquisitions,
		"github_users.json": FormatGitHubUsers, "default_data.json": FormatStackalytics, "profiles12.yaml": FormatProfiles,
		"gitdm.config": FormatConfig, "README.md": "",
	} {
		if got := Detect(name); got != want {
			t.Errorf("Detect(%q) = %q, want %q", name, got, want)
		}
	}
}
