package gitdm

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/contribution-policy/contribution-policy/internal/fixtures"
)

func fixture(t testing.TB, name string) *bytes.Reader {
	t.Helper()
	b, err := fixtures.Read("affiliations/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(b)
}

func noProblems(t *testing.T, st Stats) {
	t.Helper()
	if err := st.Err(); err != nil {
		t.Errorf("unexpected problems:\n%v", err)
	}
}

// Counts from SOURCES.md and FULL_SIZES.md (and, for the finer ones, counted
// on the fixture files with grep).

func TestFixtureDevelopersSample(t *testing.T) {
	var devs []Developer
	st, err := ReadDevelopers(fixture(t, "cncf-gitdm/developers_affiliations.sample.txt"), "developers_affiliations.sample.txt",
		func(d Developer) error { devs = append(devs, d); return nil })
	if err != nil {
		t.Fatal(err)
	}
	noProblems(t, st)
	if st.Lines != 1269 || st.Records != 400 || st.Ranges != 862 || st.Dated != 642 {
		t.Errorf("lines %d blocks %d ranges %d dated %d, want 1269 400 862 642", st.Lines, st.Records, st.Ranges, st.Dated)
	}
	first := devs[0]
	if first.Login != "007" || strings.Join(first.Emails, ",") != "007@users.noreply.github.com,ryan@espressive.com" ||
		len(first.Ranges) != 1 || first.Ranges[0] != (Range{Company: "Espressive", From: MinDay, Until: MaxDay, Line: 9}) {
		t.Errorf("first block = %+v", first)
	}
}

func TestFixtureDevelopersEdgeCases(t *testing.T) {
	byLogin := map[string][]Developer{}
	st, err := ReadDevelopers(fixture(t, "cncf-gitdm/developers_affiliations.edge_cases.txt"), "edge",
		func(d Developer) error { byLogin[d.Login] = append(byLogin[d.Login], d); return nil })
	if err != nil {
		t.Fatal(err)
	}
	noProblems(t, st)
	if st.Records != 22 || st.Ranges != 71 || st.Dated != 61 {
		t.Errorf("blocks %d ranges %d dated %d, want 22 71 61", st.Records, st.Ranges, st.Dated)
	}
	day := func(s string) Day { d, _ := ParseDay(s); return d }
	tests := []struct {
		login string
		block int
		idx   int
		want  Range
	}{
		{"ian-fox", 0, 16, Range{Company: "Omny", From: day("2022-06-01"), Until: MaxDay}},
		{"ian-fox", 0, 0, Range{Company: "Opentext Inc.", From: MinDay, Until: day("2014-08-01")}},
		{"ian-fox", 0, 6, Range{Company: "Yahoo! Inc.", From: day("2017-05-01"), Until: day("2017-08-01")}},
		{"85danf", 0, 2, Range{Company: "Run:AI", From: day("2019-11-01"), Until: day("2021-01-01")}},
		{"FlorianOtel", 0, 2, Range{Company: "Nuage Networks from Nokia", From: day("2014-12-01"), Until: day("2018-04-01")}},
		{"ordex", 0, 2, Range{Company: "Flavours from Apulia", From: day("2016-12-01"), Until: day("2017-10-01")}},
		{"123liuziming", 0, 1, Range{Company: "爱奇艺 · Internship", From: day("2020-09-01"), Until: day("2021-03-01")}},
		{"0xANDREW", 1, 3, Range{Company: "Cover Genius", From: day("2020-03-01"), Until: MaxDay}},
		{"AdoHe", 1, 0, Range{Company: "Alibaba.com", From: MinDay, Until: MaxDay}},
		{"CNCF-Bot", 0, 0, Range{Company: "(Robots)", From: MinDay, Until: MaxDay}},
		{"BurtHarris", 0, 1, Range{Company: "Retired", From: day("2014-09-01"), Until: MaxDay}},
	}
	for _, tt := range tests {
		blocks := byLogin[tt.login]
		if tt.block >= len(blocks) || tt.idx >= len(blocks[tt.block].Ranges) {
			t.Errorf("%s: no block %d range %d", tt.login, tt.block, tt.idx)
			continue
		}
		got := blocks[tt.block].Ranges[tt.idx]
		got.Line = 0
		if got != tt.want {
			t.Errorf("%s[%d][%d] = %+v, want %+v", tt.login, tt.block, tt.idx, got, tt.want)
		}
	}
	if n := len(byLogin["ian-fox"][0].Ranges); n != 17 {
		t.Errorf("ian-fox has %d ranges, want 17", n)
	}
	if got := byLogin["0x6d6178"][0].Emails; len(got) != 1 || got[0] != "2843450+b-m-f@users.noreply.github.com" {
		t.Errorf("0x6d6178 emails = %q", got)
	}
}

func TestFixtureCompanyDevelopers(t *testing.T) {
	companies := map[string]int{}
	var nick CompanyDeveloper
	st, err := ReadCompanyDevelopers(fixture(t, "cncf-gitdm/company_developers.sample.txt"), "cd",
		func(d CompanyDeveloper) error {
			companies[d.Company]++
			if d.Login == "Nick-Triller" {
				nick = d
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	noProblems(t, st)
	// "header + 37 companies incl. (Robots)": "#be:" is a comment by the
	// format's rule.
	if len(companies) != 37 || st.Records != 109 {
		t.Errorf("%d companies, %d developer lines; want 37, 109", len(companies), st.Records)
	}
	if companies["(Robots)"] == 0 || companies["!青云QingCloud"] != 2 || companies["1&1 Mail & Media"] == 0 {
		t.Errorf("companies = %v", companies)
	}
	d1, _ := ParseDay("2015-02-01")
	d2, _ := ParseDay("2015-07-01")
	d3, _ := ParseDay("2020-02-01")
	want := []Range{{Company: "1&1 Telecommunication", From: d1, Until: d2}, {Company: "1&1 Telecommunication", From: d3, Until: MaxDay}}
	for i := range nick.Ranges {
		nick.Ranges[i].Line = 0
	}
	if nick.Company != "1&1 Telecommunication" || len(nick.Ranges) != 2 || nick.Ranges[0] != want[0] || nick.Ranges[1] != want[1] {
		t.Errorf("Nick-Triller = %+v", nick)
	}
}

func TestFixtureMaps(t *testing.T) {
	tests := []struct {
		file                              string
		records, dated, problems, domains int
	}{
		{"cncf-gitdm/email-map.sample", 1499, 545, 1, 0},
		{"cncf-gitdm/email-map.edge_cases", 32, 28, 16, 0},
		{"cncf-gitdm/domain-map", 772, 1, 0, 772},
		{"lwn-gitdm/domain-map", 305, 0, 0, 305},
		{"openstack-gitdm/domain-map", 73, 1, 0, 73},
		{"openstack-gitdm/email-map", 77, 35, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			domains := 0
			st, err := ReadMap(fixture(t, tt.file), tt.file, func(e MapEntry) error {
				if e.Domain {
					domains++
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if st.Records != tt.records || st.Dated != tt.dated || st.ProblemCount != tt.problems || domains != tt.domains {
				t.Errorf("records %d dated %d problems %d domains %d, want %d %d %d %d\n%v",
					st.Records, st.Dated, st.ProblemCount, domains, tt.records, tt.dated, tt.problems, tt.domains, st.Err())
			}
			if st.Records+st.ProblemCount != countData(t, tt.file) {
				t.Errorf("records + problems != data lines")
			}
		})
	}
}

func countData(t *testing.T, file string) int {
	b, _ := fixtures.Read("affiliations/" + file)
	n := 0
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && l[0] != '#' {
			n++
		}
	}
	return n
}

func TestFixtureEmailMapEdgeCases(t *testing.T) {
	var got []MapEntry
	st, err := ReadMap(fixture(t, "cncf-gitdm/email-map.edge_cases"), "email-map", func(e MapEntry) error { got = append(got, e); return nil })
	if err != nil {
		t.Fatal(err)
	}
	// All 16 malformed lines come first in the file (lines 3..18).
	for i, p := range st.Problems {
		if p.Line != i+3 || p.File != "email-map" {
			t.Errorf("problem %d = %v", i, p)
		}
	}
	if !strings.Contains(st.Problems[6].Error(), "email-map:9: malformed key \"erik.van.zijst at\": an address written out in words") {
		t.Errorf("problem 6 = %v", st.Problems[6])
	}
	d, _ := ParseDay("2017-11-01")
	want := MapEntry{Key: "33822635+zwwhdls@users.noreply.github.com", Company: "上海诺基亚贝尔股份有限公司", Until: d, Line: 49}
	if got[len(got)-2] != want {
		t.Errorf("non-ASCII line = %+v", got[len(got)-2])
	}
}

func TestFixtureCompanyNames(t *testing.T) {
	m := map[string]string{}
	st, err := ReadCompanyNames(fixture(t, "cncf-gitdm/company-names-mapping"), "cnm", func(c CompanyName) error { m[c.Raw] = c.Canonical; return nil })
	if err != nil {
		t.Fatal(err)
	}
	noProblems(t, st)
	if st.Records != 1492 || m["AWS"] != "Amazon" || m["*Independent"] != "Independent" || m["7th Heaven, Inc"] != "7th Heaven" {
		t.Errorf("records %d, AWS=%q *Independent=%q", st.Records, m["AWS"], m["*Independent"])
	}
}

func TestFixtureAcquisitions(t *testing.T) {
	acq, st, err := ReadAcquisitions(fixture(t, "devstats/companies.yaml"), "companies.yaml")
	if err != nil {
		t.Fatal(err)
	}
	noProblems(t, st)
	if len(acq) != 23 {
		t.Fatalf("%d rules, want 23", len(acq))
	}
	match := func(name string) string {
		for _, a := range acq {
			if a.Regexp.MatchString(name) {
				return a.Company
			}
		}
		return ""
	}
	for name, want := range map[string]string{
		"Heptio": "VMware Inc.", "AWS": "Amazon", "amazon web services inc.": "Amazon", "CoreOS Inc": "Red Hat Inc.",
		"Hortonworks": "Cloudera Inc.", "Red Hat": "", "Banzai Cloud": "Cisco",
	} {
		if got := match(name); got != want {
			t.Errorf("%q -> %q, want %q", name, got, want)
		}
	}
	if acq[0].Line != 3 {
		t.Errorf("first rule line %d, want 3", acq[0].Line)
	}
}

func TestFixtureGitHubUsers(t *testing.T) {
	var got []GitHubUser
	st, err := ReadGitHubUsers(fixture(t, "devstats/github_users.schema_test_affs.json"), "gu.json", func(u GitHubUser) error { got = append(got, u); return nil })
	if err != nil {
		t.Fatal(err)
	}
	noProblems(t, st)
	if st.Lines != 26 || st.Records != 20 {
		t.Errorf("%d records read, %d with an affiliation; want 26, 20", st.Lines, st.Records)
	}
	var lg GitHubUser
	for _, u := range got {
		if u.Login == "LukaszGryglicki" {
			lg = u
		}
	}
	d, _ := ParseDay("2006-03-01")
	if lg.Source != "config" || lg.Email != "lukaszgryglicki@o2.pl" || len(lg.Ranges) != 8 ||
		lg.Ranges[0].Company != "Independent" || lg.Ranges[0].Until != d || lg.Ranges[7] != (Range{Company: "CNCF", From: MinDay, Until: MaxDay, Line: lg.Line}) {
		t.Errorf("LukaszGryglicki = %+v", lg)
	}
	if got[0].Login != "src2" || got[0].Line != 30 {
		t.Errorf("first record %s at line %d, want src2 at 30", got[0].Login, got[0].Line)
	}
}

func TestFixtureStackalytics(t *testing.T) {
	var users []StackalyticsUser
	var companies []StackalyticsCompany
	st, err := ReadStackalytics(fixture(t, "stackalytics/default_data.sample.json"), "dd.json",
		func(u StackalyticsUser) error { users = append(users, u); return nil },
		func(c StackalyticsCompany) error { companies = append(companies, c); return nil })
	if err != nil {
		t.Fatal(err)
	}
	noProblems(t, st)
	withGitHub, withEnd := 0, 0
	for _, u := range users {
		if u.GitHubID != "" {
			withGitHub++
		}
		if u.Ranges[0].Until != MaxDay {
			withEnd++
		}
	}
	if len(users) != 10 || len(companies) != 14 || withGitHub != 5 || withEnd != 5 {
		t.Errorf("users %d companies %d github %d end_date %d; want 10 14 5 5", len(users), len(companies), withGitHub, withEnd)
	}
	// "2015-Jun-30" is inclusive: the range ends at 2015-07-01.
	d, _ := ParseDay("2015-07-01")
	if u := users[6]; u.LaunchpadID != "9-me-9" || u.Ranges[0] != (Range{Company: "EMC", From: MinDay, Until: d, Line: u.Line}) {
		t.Errorf("9-me-9 = %+v", u)
	}
	if c := companies[0]; c.Name != "*independent" || len(c.Aliases) != 73 || len(c.Domains) != 0 {
		t.Errorf("*independent: %d aliases, domains %q", len(c.Aliases), c.Domains)
	}
}

func TestFixtureProfiles(t *testing.T) {
	var got []Profile
	read := func(project string) Stats {
		got = nil
		st, err := ReadProfiles(fixture(t, "lf-gitdm/profiles.sample.yaml"), "profiles.yaml", project, func(p Profile) error { got = append(got, p); return nil })
		if err != nil {
			t.Fatal(err)
		}
		noProblems(t, st)
		return st
	}
	st := read("")
	if st.Records != 10 {
		t.Fatalf("%d profiles, want 10", st.Records)
	}
	global := 0
	for _, p := range got {
		global += len(p.Ranges)
	}
	if global != 3 {
		t.Errorf("%d global enrollments, want 3", global)
	}
	if p := got[1]; len(p.GitHubLogins) != 1 || p.GitHubLogins[0] != "kateshaowanjou" || len(p.Ranges) != 0 || p.IgnoredScoped != 1 ||
		len(p.Emails) != 2 || p.Emails[1] != "58837504+kateshaowanjou@users.noreply.github.com" {
		t.Errorf("profile 2 = %+v", p)
	}
	// Project k8s: 06kellyjac's scoped history, with the sentinel start open.
	read("k8s")
	p := got[5]
	d, _ := ParseDay("2016-06-01")
	if len(p.Ranges) != 6 || p.Ranges[0] != (Range{Company: "Independent", From: MinDay, Until: d, Line: p.Ranges[0].Line}) || p.Ranges[5].Until != MaxDay {
		t.Errorf("06kellyjac for k8s = %+v", p.Ranges)
	}
}

func TestFixtureGitdmConfig(t *testing.T) {
	count := map[string]int{}
	var group Directive
	st, err := ReadConfig(fixture(t, "openstack-gitdm/gitdm.config"), "gitdm.config", func(d Directive) error {
		count[d.Name]++
		if d.Name == "GroupMap" && group.Name == "" {
			group = d
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	noProblems(t, st)
	if st.Records != 28 || count["GroupMap"] != 24 || count["EmailMap"] != 2 || count["EmailAliases"] != 1 || count["FileTypeMap"] != 1 {
		t.Errorf("directives %v", count)
	}
	if len(group.Args) != 2 || group.Args[0] != "openstack-config/groups/att" || group.Args[1] != "AT&T" {
		t.Errorf("first GroupMap = %+v", group)
	}
}

// TestReadConfigWhiteSpace: directives split on ASCII white space only, as
// every other reader does; a line of Unicode spaces once crashed ReadConfig
// (fuzzing: strings.Fields gave no fields for a line content() kept).
func TestReadConfigWhiteSpace(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []Directive
	}{
		{"unicode space only", "\u2000\n", []Directive{{Name: "\u2000", Args: []string{}, Line: 1}}},
		{"tabs and spaces", "\tEmailMap  a\tb \n", []Directive{{Name: "EmailMap", Args: []string{"a", "b"}, Line: 1}}},
		{"no-break space inside a group name", "GroupMap g/x AT\u00a0T Inc\n", []Directive{{Name: "GroupMap", Args: []string{"g/x", "AT\u00a0T Inc"}, Line: 1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []Directive
			_, err := ReadConfig(strings.NewReader(tc.in), "gitdm.config", func(d Directive) error {
				got = append(got, d)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}
