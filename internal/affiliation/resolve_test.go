package affiliation_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/affiliation"
)

// The data behind the precedence table: Ann matches at every rank, each
// with a different company.
var everyRank = []file{
	{name: "developers_affiliations1.txt", content: "ann: ann!list.example\n\tListCo\n"},
	{name: "email-map", content: "ann!mapped.example MapCo\nann!users.noreply.github.com MapCo\n"},
	{name: "domain-map", content: "domain.example DomainCo\nverified.example VerifiedCo\n"},
}

func TestPrecedence(t *testing.T) {
	r := resolver(t, affiliation.Options{Orgs: map[string]string{"ann-org": "OrgCo", "cla-org": "OrgCo"}}, everyRank...)
	all := affiliation.Facts{
		At: at("2024-05-01"), Login: "ann", ID: 7,
		Overrides: []affiliation.Override{{Company: "OverrideCo", By: "ann", At: at("2024-04-01")}},
		CLA:       []affiliation.CLACoverage{{Company: "ClaCo", Via: "domain"}},
		Emails: []affiliation.CommitEmail{
			{Email: "ann@verified.example", Linked: true, Verified: true},
			{Email: "ann@domain.example", Linked: true},
			{Email: "ann@mapped.example", Linked: true},
		},
		Orgs:           []string{"Ann-Org"},
		ProfileCompany: "ProfileCo",
	}
	steps := []struct {
		name string
		drop func(*affiliation.Facts)
		want want
	}{
		{"1 override beats everything", func(*affiliation.Facts) {}, want{affiliation.KindCompany, "OverrideCo", affiliation.RankOverride, affiliation.ConfidenceAuthoritative}},
		{"2 project list", func(f *affiliation.Facts) { f.Overrides = nil }, company("ListCo", affiliation.RankList)},
		{"3 corporate CLA", func(f *affiliation.Facts) { f.Login = "ann-renamed" }, company("ClaCo", affiliation.RankCLA)},
		{"4 verified committer domain", func(f *affiliation.Facts) { f.CLA = nil }, company("VerifiedCo", affiliation.RankVerified)},
		{"5 e-mail map", func(f *affiliation.Facts) { f.Emails[0].Verified = false; f.Emails[0].Linked = false }, company("MapCo", affiliation.RankEmailMap)},
		{"6 commit e-mail domain", func(f *affiliation.Facts) { f.Emails = f.Emails[:2] }, company("DomainCo", affiliation.RankEmailDomain)},
		{"7 org membership", func(f *affiliation.Facts) { f.Emails = nil }, company("OrgCo", affiliation.RankOrg)},
		{"8 profile company", func(f *affiliation.Facts) { f.Orgs = nil }, company("ProfileCo", affiliation.RankProfile)},
		{"9 nothing", func(f *affiliation.Facts) { f.ProfileCompany = "" }, want{affiliation.KindUnknown, "", affiliation.RankNone, affiliation.ConfidenceNone}},
	}
	f := all
	f.Emails = append([]affiliation.CommitEmail(nil), all.Emails...)
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			s.drop(&f)
			check(t, r.Resolve(f), s.want)
		})
	}
	if n := len(r.Explain(all)); n != 8 {
		t.Errorf("Explain found %d ranks, want 8", n)
	}
}

func TestDateRanges(t *testing.T) {
	r := resolver(t, affiliation.Options{},
		file{name: "developers_affiliations1.txt", content: "bob: bob!x.example\n" +
			"\tOldCo until 2019-03-01\n\tMidCo from 2019-03-01 until 2020-01-01\n\tNewCo from 2020-01-01\n" +
			"gap: gap!x.example\n\tA until 2019-01-01\n\tB from 2019-06-01\n" +
			"late: late!x.example\n\tFirst from 2019-01-01\n"},
		file{name: "email-map", content: "x!y.example Z < 2018-01-01\nx!y.example Y\nx!y.example W < 2016-01-01\n"},
		file{name: "github_users.json", content: `[{"login": "dev", "affiliation": "Old < 1900-01-01, Mid < 2020-01-01, New < 2100-01-01", "source": "user"}]`},
		file{name: "profiles1.yaml", content: "P:\n- E: lf!z.example\n  R:\n  - {F: \"1900-01-01\", T: \"2018-01-01\", C: Before}\n  - {F: \"2018-01-01\", T: \"2100-01-01\", C: After}\n"},
	)
	tests := []struct {
		name  string
		login string
		email string
		at    string
		want  string
	}{
		{"before the first end: open start", "bob", "", "1990-01-01", "OldCo"},
		{"last instant of a range", "bob", "", "2019-02-28T23:59:59Z", "OldCo"},
		{"end date belongs to the next range", "bob", "", "2019-03-01T00:00:00Z", "MidCo"},
		{"time zones are UTC", "bob", "", "2019-02-28T20:00:00-05:00", "MidCo"},
		{"open end", "bob", "", "2099-12-31", "NewCo"},
		{"gap: nothing in between", "gap", "", "2019-03-01", ""},
		{"after the gap", "gap", "", "2019-06-01", "B"},
		{"explicit start: nothing before", "late", "", "2018-12-31", ""},
		{"machine lines sorted by end date", "", "x@y.example", "2015-12-31", "W"},
		{"implied start is the previous end", "", "x@y.example", "2016-01-01", "Z"},
		{"undated line is the open end", "", "x@y.example", "2018-01-01", "Y"},
		{"devstats 1900 end: empty first range", "dev", "", "1899-06-01", "Mid"},
		{"devstats 2100 end is open", "dev", "", "2150-01-01", "New"},
		{"SortingHat 1900 start is open", "", "lf@z.example", "1800-01-01", "Before"},
		{"SortingHat 2100 end is open", "", "lf@z.example", "2200-01-01", "After"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := r.Resolve(affiliation.Facts{At: at(tt.at), Login: tt.login, Emails: linked(tt.email)})
			if res.Company.Name != tt.want {
				t.Errorf("got %s, want %q", res, tt.want)
			}
		})
	}
}

func TestAliasing(t *testing.T) {
	r := resolver(t, affiliation.Options{},
		file{name: "developers_affiliations1.txt", content: "a: a!x.example\n\tAWS\n" +
			"b: b!x.example\n\tHeptio Inc.\n" +
			"c: c!x.example\n\tGoogle LLC\n" +
			"c: c2!x.example\n\tGoogle\n" +
			"d: d!x.example\n\tCareer Break\n" +
			"e: e!x.example\n\t*independent\n"},
		file{name: "company-names-mapping", content: "Amazon Web Services (@aws) -> Amazon\nHPE -> HP\n"},
		file{name: "companies.yaml", content: "acquisitions:\n  - ['(?i)^(aws|amazon)(\\s+inc\\.?)?$', 'Amazon']\n  - ['(?i)^heptio(\\s+inc\\.?)?$', 'VMware Inc.']\n"},
	)
	tests := []struct {
		login, profile string
		name, key      string
		kind           affiliation.Kind
	}{
		{"a", "", "Amazon", "amazon", affiliation.KindCompany},
		{"b", "", "VMware Inc.", "vmware", affiliation.KindCompany},
		{"c", "", "Google LLC", "google", affiliation.KindCompany}, // two blocks agree on the key: no conflict
		{"d", "", "Career Break", "independent", affiliation.KindIndependent},
		{"e", "", "Independent", "independent", affiliation.KindIndependent},
		{"nobody", "@Amazon Web Services (@aws)", "Amazon", "amazon", affiliation.KindCompany},
		{"nobody", "HPE", "HP", "hp", affiliation.KindCompany},
		{"nobody", "Self-employed", "Independent", "independent", affiliation.KindIndependent},
	}
	for _, tt := range tests {
		t.Run(tt.login+tt.profile, func(t *testing.T) {
			res := r.Resolve(affiliation.Facts{At: at("2024-01-01"), Login: tt.login, ProfileCompany: tt.profile})
			if res.Company.Name != tt.name || res.Company.Key != tt.key || res.Kind != tt.kind {
				t.Errorf("got %s key %q", res, res.Company.Key)
			}
		})
	}
}

func TestObfuscatedEmails(t *testing.T) {
	r := resolver(t, affiliation.Options{},
		file{name: "developers_affiliations1.txt", content: "renamed-old: Jane.Doe!Corp.Example, 4242+jane!users.noreply.github.com\n\tCorpCo\n"},
		file{name: "email-map", content: "Sam!Corp.Example SamCo\n"},
	)
	tests := []struct {
		name  string
		facts affiliation.Facts
		want  string
		rank  affiliation.Rank
	}{
		{"linked address matches the '!' form, any case", affiliation.Facts{Login: "jane-new", Emails: linked("JANE.DOE@corp.example")}, "CorpCo", affiliation.RankList},
		{"account id from an ID+login no-reply address", affiliation.Facts{Login: "jane-new", ID: 4242}, "CorpCo", affiliation.RankList},
		{"e-mail map in '!' form", affiliation.Facts{Login: "x", Emails: linked("<sam@corp.example>")}, "SamCo", affiliation.RankEmailMap},
		{"address written with '!' by the caller", affiliation.Facts{Login: "x", Emails: linked("sam!corp.example")}, "SamCo", affiliation.RankEmailMap},
		{"an unlinked address is never used", affiliation.Facts{Login: "x", Emails: []affiliation.CommitEmail{{Email: "sam@corp.example"}}}, "", affiliation.RankNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.facts.At = at("2024-01-01")
			res := r.Resolve(tt.facts)
			if res.Company.Name != tt.want || res.Rank != tt.rank {
				t.Errorf("got %s", res)
			}
		})
	}
}

// freeMail are addresses whose domain must never name an employer; the
// domain map below maps every one of them to a company, as the real CNCF
// domain-map does for 163.com ("Net EASE").
var freeMail = []string{
	"someone@users.noreply.github.com", "12345+someone@users.noreply.github.com", "noreply@github.com",
	"a@gmail.com", "a@googlemail.com", "a@qq.com", "a@vip.qq.com", "a@foxmail.com", "a@163.com", "a@126.com", "a@yeah.net",
	"a@sina.com", "a@aliyun.com", "a@outlook.com", "a@outlook.de", "a@hotmail.com", "a@hotmail.co.uk", "a@live.com",
	"a@yahoo.com", "a@yahoo.co.jp", "a@yahoo.fr", "a@ymail.com", "a@protonmail.com", "a@proton.me", "a@pm.me",
	"a@icloud.com", "a@me.com", "a@gmx.de", "a@gmx.net", "a@web.de", "a@mail.ru", "a@yandex.ru", "a@naver.com",
	"a@tutanota.com", "a@fastmail.com", "a@aol.com", "a@zoho.com", "a@free.fr", "a@orange.fr",
}

func TestNoreplyAndFreeMailNeverNameAnEmployer(t *testing.T) {
	var dm string
	for _, e := range freeMail {
		dm += e[indexAt(e)+1:] + " MailCorp\n"
	}
	r := resolver(t, affiliation.Options{}, file{name: "domain-map", content: dm + "github.com GitHub\n"})
	for _, e := range freeMail {
		t.Run(e, func(t *testing.T) {
			res := r.Resolve(affiliation.Facts{At: at("2024-01-01"), Login: "x", Emails: []affiliation.CommitEmail{{Email: e, Linked: true, Verified: true}},
				VerifiedEmails: []affiliation.VerifiedEmail{{Email: e, Org: "somewhere"}}})
			if res.Kind != affiliation.KindUnknown {
				t.Errorf("%s gave %s", e, res)
			}
		})
	}
	// Configurable: a project can take a domain off the list, never the no-reply one.
	x := affiliation.DefaultExclusions()
	x.Remove("gmail.com")
	x.Remove("users.noreply.github.com")
	r = resolver(t, affiliation.Options{Exclusions: x}, file{name: "domain-map", content: "gmail.com Google\nusers.noreply.github.com GitHub\n"})
	if res := r.Resolve(affiliation.Facts{At: at("2024-01-01"), Emails: linked("a@gmail.com")}); res.Company.Name != "Google" {
		t.Errorf("gmail.com removed from the list: got %s", res)
	}
	if res := r.Resolve(affiliation.Facts{At: at("2024-01-01"), Emails: linked("a@users.noreply.github.com")}); res.Kind != affiliation.KindUnknown {
		t.Errorf("no-reply can never name an employer: got %s", res)
	}
	x.Add("corp-mail.example")
	if !x.Excluded("a@mx.corp-mail.example") || x.Excluded("a@notcorp-mail.example") {
		t.Error("added entry does not match on whole labels")
	}
}

func indexAt(s string) int {
	for i := range s {
		if s[i] == '@' {
			return i
		}
	}
	return -1
}

func TestDomainMatching(t *testing.T) {
	r := resolver(t, affiliation.Options{}, file{name: "domain-map", content: "acme.com Acme\neng.acme.com Acme Engineering\nco.uk Everyone\nacme.co.uk Acme UK\nac.th Independent\nold.example Old < 2020-01-01\n"})
	tests := []struct{ email, want string }{
		{"a@acme.com", "Acme"},
		{"a@ACME.COM", "Acme"},
		{"a@mail.acme.com", "Acme"},
		{"a@x.eng.acme.com", "Acme Engineering"}, // longest suffix
		{"a@notacme.com", ""},                    // whole labels only
		{"a@acme.com.evil.example", ""},
		{"a@acme.co.uk", "Acme UK"},
		{"a@other.co.uk", ""}, // a public suffix names no one
		{"a@chula.ac.th", ""}, // nor does an academic suffix
		{"a@old.example", ""}, // expired dated rule
		{"not-an-address", ""},
	}
	for _, tt := range tests {
		res := r.Resolve(affiliation.Facts{At: at("2024-01-01"), Emails: linked(tt.email)})
		if res.Company.Name != tt.want {
			t.Errorf("%s: got %s, want %q", tt.email, res, tt.want)
		}
	}
}

func TestConflicts(t *testing.T) {
	dev := file{name: "developers_affiliations1.txt", content: "" +
		"AdoHe: AdoHe!users.noreply.github.com\n\tNetEase Inc\n" +
		"AdoHe: coolhzb!gmail.com\n\tAlibaba.com\n" +
		"0xANDREW: 0xANDREW!users.noreply.github.com\n\tRaiffeisen Bank Russia until 2014-02-01\n\tQiwi from 2014-02-01 until 2016-10-01\n\tTinkoff Bank from 2016-10-01\n" +
		"0xANDREW: andrew.wright502!gmail.com\n\tIndependent until 2016-02-01\n\tWindtech from 2016-02-01 until 2017-03-01\n\tIndependent from 2017-03-01 until 2020-03-01\n\tCover Genius from 2020-03-01\n"}
	r := resolver(t, affiliation.Options{}, dev)
	t.Run("equal histories disagree: ambiguous, no label", func(t *testing.T) {
		res := r.Resolve(affiliation.Facts{At: at("2024-01-01"), Login: "adohe"})
		if res.Kind != affiliation.KindAmbiguous || len(res.Candidates) != 2 || res.Rank != affiliation.RankList || len(res.Evidence) != 2 {
			t.Errorf("got %s %+v", res, res.Candidates)
		}
		if _, ok := affiliation.DefaultLabeler().Label(res); ok {
			t.Error("an ambiguous result got a label")
		}
	})
	t.Run("a linked e-mail corroborates one block", func(t *testing.T) {
		check(t, r.Resolve(affiliation.Facts{At: at("2024-01-01"), Login: "AdoHe", Emails: linked("coolhzb@gmail.com")}), company("Alibaba.com", affiliation.RankList))
	})
	t.Run("longest history wins", func(t *testing.T) {
		check(t, r.Resolve(affiliation.Facts{At: at("2024-01-01"), Login: "0xANDREW"}), company("Cover Genius", affiliation.RankList))
	})
	t.Run("agreement needs no tie-break", func(t *testing.T) {
		// 2016-03: Tinkoff (3 ranges) vs Windtech (4 ranges): the longer wins.
		check(t, r.Resolve(affiliation.Facts{At: at("2016-11-01"), Login: "0xANDREW"}), company("Windtech", affiliation.RankList))
	})
	t.Run("the more recently updated data set wins", func(t *testing.T) {
		r := resolver(t, affiliation.Options{},
			file{name: "a/developers_affiliations1.txt", content: "z: z!x.example\n\tOldData\n", updated: "2020-01-01"},
			file{name: "b/developers_affiliations1.txt", content: "z: z!x.example\n\tNewData\n", updated: "2023-01-01"},
		)
		check(t, r.Resolve(affiliation.Facts{At: at("2024-01-01"), Login: "z"}), company("NewData", affiliation.RankList))
	})
	t.Run("devstats source priority", func(t *testing.T) {
		r := resolver(t, affiliation.Options{}, file{name: "github_users.json", content: `[
			{"login": "p", "email": "p!a.example", "affiliation": "ConfigCo", "source": "config"},
			{"login": "p", "email": "p!b.example", "affiliation": "DomainCo", "source": "domain"}]`})
		check(t, r.Resolve(affiliation.Facts{At: at("2024-01-01"), Login: "p"}), company("ConfigCo", affiliation.RankEmailMap))
	})
	t.Run("two company domains: ambiguous", func(t *testing.T) {
		r := resolver(t, affiliation.Options{}, file{name: "domain-map", content: "redhat.com Red Hat\nibm.com IBM\n"})
		res := r.Resolve(affiliation.Facts{At: at("2024-01-01"), Emails: linked("a@redhat.com", "a@ibm.com")})
		if res.Kind != affiliation.KindAmbiguous || res.Rank != affiliation.RankEmailDomain {
			t.Errorf("got %s", res)
		}
	})
	t.Run("NotFound does not conflict and does not stop lower ranks", func(t *testing.T) {
		r := resolver(t, affiliation.Options{},
			file{name: "email-map", content: "n!corp.example NotFound\n"},
			file{name: "domain-map", content: "corp.example Corp\n"})
		check(t, r.Resolve(affiliation.Facts{At: at("2024-01-01"), Login: "n", Emails: linked("n@corp.example")}), company("Corp", affiliation.RankEmailDomain))
	})
}

func TestAccountsAndBots(t *testing.T) {
	r := resolver(t, affiliation.Options{},
		file{name: "developers_affiliations1.txt", content: "taken: 100+taken!users.noreply.github.com\n\tFormerOwnerCo\n" +
			"CNCF-Bot: CNCF-Bot!users.noreply.github.com\n\t(Robots)\n"},
	)
	t.Run("a reused login with another account id is not this person", func(t *testing.T) {
		check(t, r.Resolve(affiliation.Facts{At: at("2024-01-01"), Login: "taken", ID: 200}), want{affiliation.KindUnknown, "", affiliation.RankNone, affiliation.ConfidenceNone})
		check(t, r.Resolve(affiliation.Facts{At: at("2024-01-01"), Login: "taken", ID: 100}), company("FormerOwnerCo", affiliation.RankList))
		check(t, r.Resolve(affiliation.Facts{At: at("2024-01-01"), Login: "taken"}), company("FormerOwnerCo", affiliation.RankList))
	})
	t.Run("(Robots) in the list", func(t *testing.T) {
		res := r.Resolve(affiliation.Facts{At: at("2024-01-01"), Login: "cncf-bot"})
		if res.Kind != affiliation.KindBot {
			t.Errorf("got %s", res)
		}
		if !r.IsRobot("CNCF-Bot", 0) || r.IsRobot("taken", 0) {
			t.Error("IsRobot")
		}
	})
	t.Run("GitHub account type Bot", func(t *testing.T) {
		res := r.Resolve(affiliation.Facts{At: at("2024-01-01"), Login: "taken", Bot: true})
		if res.Kind != affiliation.KindBot || res.Rank != affiliation.RankAccountType {
			t.Errorf("got %s", res)
		}
	})
}

func TestOverrides(t *testing.T) {
	r := resolver(t, affiliation.Options{}, file{name: "developers_affiliations1.txt", content: "o: o!x.example\n\tListCo\n"})
	base := affiliation.Facts{At: at("2024-01-01"), Login: "o"}
	tests := []struct {
		name string
		ovs  []affiliation.Override
		want want
	}{
		{"none opts out", []affiliation.Override{{None: true, By: "o", At: at("2024-01-01")}}, want{affiliation.KindOptedOut, "", affiliation.RankOverride, affiliation.ConfidenceAuthoritative}},
		{"Independent is a real value", []affiliation.Override{{Company: "independent", By: "o"}}, want{affiliation.KindIndependent, "Independent", affiliation.RankOverride, affiliation.ConfidenceAuthoritative}},
		{"the latest override wins", []affiliation.Override{{Company: "Later", At: at("2024-03-01")}, {None: true, At: at("2024-02-01")}},
			want{affiliation.KindCompany, "Later", affiliation.RankOverride, affiliation.ConfidenceAuthoritative}},
		{"an override made after the PR opened still applies", []affiliation.Override{{Company: "Fixed", At: at("2025-01-01")}},
			want{affiliation.KindCompany, "Fixed", affiliation.RankOverride, affiliation.ConfidenceAuthoritative}},
		{"an unknown value is no override", []affiliation.Override{{Company: "?", At: at("2024-01-01")}}, company("ListCo", affiliation.RankList)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := base
			f.Overrides = tt.ovs
			check(t, r.Resolve(f), tt.want)
		})
	}
}

func TestVerifiedAndOrgs(t *testing.T) {
	r := resolver(t, affiliation.Options{Orgs: map[string]string{"Acme-Inc": "Acme", "google": "Google LLC"}},
		file{name: "domain-map", content: "acme.example Acme\nbeta.example Beta\n"})
	tests := []struct {
		name  string
		facts affiliation.Facts
		want  want
	}{
		{"org-verified e-mail: the org's company", affiliation.Facts{VerifiedEmails: []affiliation.VerifiedEmail{{Email: "a@acme.example", Org: "acme-inc"}}}, company("Acme", affiliation.RankVerified)},
		{"org-verified e-mail of an unmapped org: the domain map", affiliation.Facts{VerifiedEmails: []affiliation.VerifiedEmail{{Email: "a@beta.example", Org: "beta"}}}, company("Beta", affiliation.RankVerified)},
		{"verified signature, linked committer", affiliation.Facts{Emails: []affiliation.CommitEmail{{Email: "a@beta.example", Linked: true, Verified: true}}}, company("Beta", affiliation.RankVerified)},
		{"verified but not linked: ignored", affiliation.Facts{Emails: []affiliation.CommitEmail{{Email: "a@beta.example", Verified: true}}}, want{affiliation.KindUnknown, "", affiliation.RankNone, affiliation.ConfidenceNone}},
		{"linked, unsigned: medium", affiliation.Facts{Emails: linked("a@beta.example")}, company("Beta", affiliation.RankEmailDomain)},
		{"org membership, any case", affiliation.Facts{Orgs: []string{"ACME-INC", "unmapped"}}, company("Acme", affiliation.RankOrg)},
		{"two mapped orgs: ambiguous", affiliation.Facts{Orgs: []string{"acme-inc", "google"}}, want{affiliation.KindAmbiguous, "", affiliation.RankOrg, affiliation.ConfidenceNone}},
		{"profile @org mention", affiliation.Facts{ProfileCompany: "@google"}, company("Google LLC", affiliation.RankProfile)},
		{"profile junk value", affiliation.Facts{ProfileCompany: "n/a"}, want{affiliation.KindIndependent, "Independent", affiliation.RankProfile, affiliation.ConfidenceLow}},
		{"profile unknown value", affiliation.Facts{ProfileCompany: "NotFound"}, want{affiliation.KindUnknown, "", affiliation.RankNone, affiliation.ConfidenceNone}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.facts.At = at("2024-01-01")
			check(t, r.Resolve(tt.facts), tt.want)
		})
	}
}

func TestResolveFixtures(t *testing.T) {
	r := resolver(t, affiliation.Options{}, fixtureFiles(t,
		"cncf-gitdm/developers_affiliations.edge_cases.txt", "cncf-gitdm/email-map.sample", "cncf-gitdm/domain-map",
		"cncf-gitdm/company-names-mapping", "devstats/companies.yaml")...)
	tests := []struct {
		login  string
		emails []string
		at     string
		want   string
	}{
		{"85danf", nil, "2020-06-01", "Run:AI"},
		{"FlorianOtel", nil, "2015-01-01", "Nuage Networks from Nokia"},
		{"0YHR0", nil, "2018-01-01", "Amazon"}, // AWS -> Amazon
		{"ian-fox", nil, "2017-06-01", "Yahoo! Inc."},
		{"ian-fox", nil, "2023-01-01", "Omny"},
		{"unknown-person", []string{"someone@accenture.com"}, "2023-01-01", "Accenture"},
		{"unknown-person", []string{"someone@163.com"}, "2023-01-01", ""}, // domain-map says "Net EASE"
		{"0x4139", []string{"0x4139@gmail.com"}, "2017-01-01", "Swazm"},
	}
	for _, tt := range tests {
		res := r.Resolve(affiliation.Facts{At: at(tt.at), Login: tt.login, Emails: linked(tt.emails...)})
		if res.Company.Name != tt.want {
			t.Errorf("%s %v at %s: got %s, want %q", tt.login, tt.emails, tt.at, res, tt.want)
		}
	}
}

func TestEvidenceString(t *testing.T) {
	r := resolver(t, affiliation.Options{}, file{name: "developers_affiliations1.txt", content: "e: e!x.example\n\tA until 2020-01-01\n\tB from 2020-01-01\n"})
	res := r.Resolve(affiliation.Facts{At: at("2021-01-01"), Login: "e"})
	got := fmt.Sprint(res.Evidence)
	if got != `[project-list: login e in developers_affiliations1.txt:1 -> "B" [2020-01-01, open)]` {
		t.Errorf("evidence %s", got)
	}
	if res.String() != "B (company, project-list, high confidence)" {
		t.Errorf("string %q", res.String())
	}
	_ = time.Second
}
