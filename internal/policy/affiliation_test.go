package policy

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/contribution-policy/contribution-policy/internal/affiliation"
	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

var (
	ann     = snapshot.Identity{Name: "Ann", Email: "ann@acme.com", Login: "ann", ID: 1, Type: "User"}
	affTime = time.Date(2026, 2, 1, 12, 0, 0, 0, time.UTC)
)

func affConfig(f ...func(*config.Config)) *config.Config {
	c := config.Default()
	c.Affiliation.Enabled = true
	c.Affiliation.Domains = map[string]string{"acme.com": "Acme Corp", "globex.com": "Globex"}
	c.Guidance.Enabled = true
	for _, x := range f {
		x(&c)
	}
	return &c
}

func affSnapshot(assoc, action string, commits ...snapshot.Commit) *snapshot.Snapshot {
	s := &snapshot.Snapshot{
		Repository:  snapshot.Repository{Owner: "acme", Name: "w", OwnerType: "Organization"},
		PullRequest: snapshot.PullRequest{Number: 5, CreatedAt: affTime, Author: ann.Account(), AuthorAssociation: assoc},
		Commits:     commits,
		Affiliation: &snapshot.AffiliationFacts{Action: action},
	}
	return s
}

func byAnn(email string) snapshot.Commit {
	id := ann
	id.Email = email
	return snapshot.Commit{SHA: strings.Repeat("a", 40), Message: "x\n\nSigned-off-by: Ann <" + email + ">", Author: id, Committer: id}
}

func TestFactsFromCommits(t *testing.T) {
	web := snapshot.Identity{Name: "GitHub", Email: "noreply@github.com", Login: "web-flow", ID: 19864447, Type: "User"}
	other := snapshot.Identity{Name: "Bob", Email: "bob@globex.com", Login: "bob", ID: 2, Type: "User"}
	unlinked := snapshot.Identity{Name: "Ann", Email: "ann@laptop.globex.com"}
	commits := []snapshot.Commit{
		{SHA: "1", Author: ann, Committer: web, Verified: true},                                                                          // web-flow signs: not ann's address
		{SHA: "2", Author: other, Committer: snapshot.Identity{Name: "Ann", Email: "ANN@acme.com", Login: "ann", ID: 1}, Verified: true}, // ann commits bob's work, signed
		{SHA: "3", Author: unlinked, Committer: unlinked},                                                                                // GitHub links it to nobody
	}
	s := affSnapshot("NONE", "opened", commits...)
	f := Facts(s, nil)
	want := []affiliation.CommitEmail{{Email: "ann@acme.com", Linked: true, Verified: true}}
	if diff := cmp.Diff(want, f.Emails); diff != "" {
		t.Errorf("emails (-want +got):\n%s", diff)
	}
	if f.Login != "ann" || f.ID != 1 || !f.At.Equal(affTime) {
		t.Errorf("facts %+v", f)
	}
}

func TestAffiliationVerdict(t *testing.T) {
	tests := []struct {
		name    string
		cfg     *config.Config
		s       *snapshot.Snapshot
		kind    affiliation.Kind
		company string
		source  string
		label   string
	}{
		{"domain", affConfig(), affSnapshot("NONE", "opened", byAnn("ann@acme.com")), affiliation.KindCompany, "Acme Corp", "email-domain", "affiliation/acme"},
		{"free mail says nothing", affConfig(), affSnapshot("NONE", "opened", byAnn("ann@gmail.com")), affiliation.KindUnknown, "", "none", ""},
		{"deny_logins", affConfig(func(c *config.Config) { c.Affiliation.DenyLogins = []string{"ANN"} }),
			affSnapshot("NONE", "opened", byAnn("ann@acme.com")), affiliation.KindOptedOut, "", "override", ""},
		{"override wins", affConfig(), func() *snapshot.Snapshot {
			s := affSnapshot("NONE", "opened", byAnn("ann@acme.com"))
			s.Affiliation.Overrides = []snapshot.AffiliationOverride{{Company: "Globex", At: affTime.Add(-time.Hour)}}
			return s
		}(), affiliation.KindCompany, "Globex", "override", "affiliation/globex"},
		{"opted out", affConfig(), func() *snapshot.Snapshot {
			s := affSnapshot("NONE", "opened", byAnn("ann@acme.com"))
			s.Affiliation.Overrides = []snapshot.AffiliationOverride{{None: true, At: affTime}}
			return s
		}(), affiliation.KindOptedOut, "", "override", ""},
		{"corporate CLA coverage is rank 3", affConfig(func(c *config.Config) {
			c.CLA.Enabled = true
			c.CLA.Agreements = []config.Agreement{{ID: "icla", URL: "https://example.org/icla", Version: "1"}}
			c.CLA.Corporate = []config.CorporateAgreement{{ID: "ccla-globex", Company: "Globex", Approvals: []config.Approval{{Type: config.ApproveUser, GitHubID: 1}}}}
		}), func() *snapshot.Snapshot {
			s := affSnapshot("NONE", "opened", byAnn("ann@acme.com"))
			s.CLA = &snapshot.CLAFacts{}
			return s
		}(), affiliation.KindCompany, "Globex", "corporate-cla", "affiliation/globex"},
		{"independent labelled", affConfig(func(c *config.Config) { c.Affiliation.Users = map[string]string{"ann": "Independent"} }),
			affSnapshot("NONE", "opened", byAnn("ann@gmail.com")), affiliation.KindIndependent, "Independent", "project-list", "affiliation/independent"},
		{"history at created_at", affConfig(func(c *config.Config) {
			c.Affiliation.Users = map[string]string{"ann": "Globex < 2026-02-01, Acme Corp"}
		}), affSnapshot("NONE", "opened", byAnn("ann@gmail.com")), affiliation.KindCompany, "Acme Corp", "project-list", "affiliation/acme"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := Evaluate(tc.cfg, tc.s)
			a := d.Affiliation
			if a == nil {
				t.Fatal("no affiliation verdict")
			}
			if a.Result.Kind != tc.kind || a.Result.Company.Name != tc.company || a.Result.Source() != tc.source || a.Label != tc.label {
				t.Errorf("got %s %q %s label %q; want %s %q %s %q", a.Result.Kind, a.Result.Company.Name, a.Result.Source(), a.Label, tc.kind, tc.company, tc.source, tc.label)
			}
			for _, c := range d.Checks {
				if c.Name == CheckAffiliation {
					t.Errorf("affiliation must not be a gate check")
				}
			}
		})
	}
}

func TestGuidanceRules(t *testing.T) {
	priorNone := &snapshot.PriorPRs{Total: 0}
	priorOne := &snapshot.PriorPRs{Total: 1, Found: []snapshot.PRRef{{Repo: "acme/w", Number: 2, CreatedAt: affTime.Add(-time.Hour)}}}
	tests := []struct {
		name   string
		cfg    *config.Config
		assoc  string
		email  string
		facts  func(*snapshot.AffiliationFacts)
		author snapshot.Account
		want   string // "" = none
	}{
		{"first-time corporate on opened", affConfig(), "FIRST_TIME_CONTRIBUTOR", "ann@acme.com", nil, ann.Account(), GuidanceCorporate},
		{"NONE confirmed by a search", affConfig(), "NONE", "ann@acme.com", func(f *snapshot.AffiliationFacts) { f.PriorPRs = priorNone }, ann.Account(), GuidanceCorporate},
		{"NONE without a search: cannot tell", affConfig(), "NONE", "ann@acme.com", nil, ann.Account(), ""},
		{"earlier PR found", affConfig(), "NONE", "ann@acme.com", func(f *snapshot.AffiliationFacts) { f.PriorPRs = priorOne }, ann.Account(), ""},
		{"the PR itself is no earlier PR", affConfig(), "NONE", "ann@acme.com", func(f *snapshot.AffiliationFacts) {
			f.PriorPRs = &snapshot.PriorPRs{Total: 1, Found: []snapshot.PRRef{{Repo: "acme/w", Number: 5, CreatedAt: affTime}}}
		}, ann.Account(), GuidanceCorporate},
		{"trusted member", affConfig(), "NONE", "ann@acme.com", func(f *snapshot.AffiliationFacts) { f.PriorPRs = priorNone; f.Trusted = true }, ann.Account(), ""},
		{"MEMBER", affConfig(), "MEMBER", "ann@acme.com", nil, ann.Account(), ""},
		{"not on a push", affConfig(), "FIRST_TIME_CONTRIBUTOR", "ann@acme.com", func(f *snapshot.AffiliationFacts) { f.Action = "synchronize" }, ann.Account(), ""},
		{"kept once shown", affConfig(), "CONTRIBUTOR", "ann@acme.com", func(f *snapshot.AffiliationFacts) { f.Action = "synchronize"; f.GuidanceShown = true }, ann.Account(), GuidanceCorporate},
		{"reopened", affConfig(), "FIRST_TIME_CONTRIBUTOR", "ann@acme.com", func(f *snapshot.AffiliationFacts) { f.Action = "reopened" }, ann.Account(), GuidanceCorporate},
		{"low confidence is not corporate", affConfig(), "FIRST_TIME_CONTRIBUTOR", "ann@gmail.com", func(f *snapshot.AffiliationFacts) { f.ProfileCompany = "Initech" }, ann.Account(), ""},
		{"welcome for others", affConfig(func(c *config.Config) { c.Guidance.Welcome = true }), "FIRST_TIMER", "ann@gmail.com", nil, ann.Account(), GuidanceWelcome},
		{"bots never", affConfig(func(c *config.Config) { c.Guidance.Welcome = true }), "FIRST_TIME_CONTRIBUTOR", "ann@acme.com", nil,
			snapshot.Account{Login: "renovate[bot]", ID: 9, Type: "Bot"}, ""},
		{"guidance off", affConfig(func(c *config.Config) { c.Guidance.Enabled = false }), "FIRST_TIME_CONTRIBUTOR", "ann@acme.com", nil, ann.Account(), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := affSnapshot(tc.assoc, "opened", byAnn(tc.email))
			s.PullRequest.Author = tc.author
			if tc.facts != nil {
				tc.facts(s.Affiliation)
			}
			d := Evaluate(tc.cfg, s)
			got := ""
			if d.Guidance != nil {
				got = d.Guidance.Kind
			}
			if got != tc.want {
				t.Errorf("guidance %q, want %q (first-time: %+v)", got, tc.want, d.Affiliation)
			}
		})
	}
}

func TestAffiliationNeeds(t *testing.T) {
	cfg := affConfig(func(c *config.Config) { c.Affiliation.Orgs = map[string]string{"acme-oss": "Acme Corp"} })
	eng, err := NewAffiliation(cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	byDomain := ResolveAffiliation(cfg, affSnapshot("NONE", "opened", byAnn("ann@acme.com")), eng)
	nothing := ResolveAffiliation(cfg, affSnapshot("NONE", "opened", byAnn("ann@gmail.com")), eng)
	if NeedsOrgs(cfg, byDomain) || NeedsProfile(cfg, byDomain) {
		t.Errorf("a domain match needs no more reads")
	}
	if !NeedsOrgs(cfg, nothing) || !NeedsProfile(cfg, nothing) {
		t.Errorf("nothing found: organisations and profile can help")
	}
	if NeedsOrgs(affConfig(), nothing) {
		t.Errorf("no organisation map: memberships cannot help")
	}
	tests := []struct {
		name  string
		cfg   *config.Config
		assoc string
		r     affiliation.Result
		facts func(*snapshot.AffiliationFacts)
		want  bool
	}{
		{"NONE, corporate", cfg, "NONE", byDomain, nil, true},
		{"NONE, unknown, no welcome", cfg, "NONE", nothing, nil, false},
		{"NONE, unknown, welcome", affConfig(func(c *config.Config) { c.Guidance.Welcome = true }), "NONE", nothing, nil, true},
		{"fast path", cfg, "FIRST_TIME_CONTRIBUTOR", byDomain, nil, false},
		{"fast path, org scope", affConfig(func(c *config.Config) { c.Guidance.Scope = config.ScopeOrg }), "FIRST_TIME_CONTRIBUTOR", byDomain, nil, true},
		{"CONTRIBUTOR", cfg, "CONTRIBUTOR", byDomain, nil, false},
		{"push", cfg, "NONE", byDomain, func(f *snapshot.AffiliationFacts) { f.Action = "synchronize" }, false},
		{"already shown", cfg, "NONE", byDomain, func(f *snapshot.AffiliationFacts) { f.GuidanceShown = true }, false},
		{"already searched", cfg, "NONE", byDomain, func(f *snapshot.AffiliationFacts) { f.PriorPRs = &snapshot.PriorPRs{} }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := affSnapshot(tc.assoc, "opened", byAnn("ann@acme.com"))
			if tc.facts != nil {
				tc.facts(s.Affiliation)
			}
			if got := NeedsPriorPRs(tc.cfg, s, tc.r); got != tc.want {
				t.Errorf("NeedsPriorPRs = %v, want %v", got, tc.want)
			}
		})
	}
}
