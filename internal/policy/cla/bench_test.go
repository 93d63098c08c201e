package cla

import (
	"fmt"
	"testing"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

// benchFixture is a pull request of 20 commits by 6 people judged against
// 100,000 stored signatures and 1,000 corporate approval rules (issue 3's
// performance target: < 10 ms).
func benchFixture() (config.CLA, *snapshot.Snapshot) {
	c := cfg(func(c *config.CLA) {
		c.Agreements[0].Version, c.Agreements[0].CompatibleWith = "3.0", []config.AgreementVersion{"2.0"}
		c.Allowlist = []config.AllowEntry{{GitHubID: 49699333}, {Login: "renovate*[bot]"}}
		for i := 0; i < 100; i++ {
			ca := config.CorporateAgreement{ID: fmt.Sprintf("ccla-%d", i), Company: fmt.Sprintf("Company %d", i)}
			for j := 0; j < 10; j++ {
				k := i*10 + j
				switch j % 4 {
				case 0:
					ca.Approvals = append(ca.Approvals, config.Approval{Type: config.ApproveDomain, Value: fmt.Sprintf("corp%d.example", k), IncludeSubdomains: true})
				case 1:
					ca.Approvals = append(ca.Approvals, config.Approval{Type: config.ApproveEmail, Value: fmt.Sprintf("dev%d@mail.example", k)})
				case 2:
					ca.Approvals = append(ca.Approvals, config.Approval{Type: config.ApproveUser, GitHubID: int64(1_000_000 + k)})
				default:
					ca.Approvals = append(ca.Approvals, config.Approval{Type: config.ApproveOrg, Org: fmt.Sprintf("org%d", k)})
				}
			}
			c.Corporate = append(c.Corporate, ca)
		}
	})
	people := []snapshot.Identity{
		{Name: "Signed", Email: "s@example.org", Login: "signed", ID: 50_000, Type: "User"},
		{Name: "Old", Email: "o@example.org", Login: "old", ID: 50_001, Type: "User"},
		{Name: "Corp", Email: "x@eu.corp998.example", Login: "corp", ID: 200_002, Type: "User"},
		{Name: "Nobody", Email: "n@example.org", Login: "nobody", ID: 200_000, Type: "User"},
		{Name: "Unlinked", Email: "u@laptop.local"},
		depbot,
	}
	var commits []snapshot.Commit
	for i := 0; i < 20; i++ {
		p := people[i%len(people)]
		msg := fmt.Sprintf("change %d\n\nCo-authored-by: Co <%d+co%d@users.noreply.github.com>", i, 60_000+i%3, i%3)
		commits = append(commits, verified(commit(p, msg)))
	}
	s := pr(people[0], commits...)
	s.CLA.Signatures = make([]snapshot.Signature, 0, 100_000)
	for i := 0; i < 100_000; i++ {
		v := "3.0"
		if i%7 == 0 {
			v = "1.0"
		}
		s.CLA.Signatures = append(s.CLA.Signatures, snapshot.Signature{AgreementID: "icla", Version: v, GitHubID: int64(i), SignedAt: before})
	}
	return c, s
}

func BenchmarkEvaluate100kSignatures1kRules(b *testing.B) {
	c, s := benchFixture()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r := Evaluate(c, s)
		if len(r.Identities) != 9 {
			b.Fatalf("%d identities", len(r.Identities))
		}
	}
}

func TestBenchFixture(t *testing.T) {
	c, s := benchFixture()
	got := verdicts(Evaluate(c, s))
	want := []verdict{
		{"@signed", Covered, "icla:3.0", ""},
		{"@co0", Covered, "icla:3.0", ""},
		{"@old", Missing, "", ResignRequired},
		{"@co1", Covered, "icla:3.0", ""},
		{"@corp", Covered, "ccla:ccla-99/domain:corp998.example", ""},
		{"@co2", Covered, "icla:3.0", ""},
		{"@nobody", Missing, "", MissingSignature},
		{"u@laptop.local", Missing, "", UnlinkedEmail},
		{"@dependabot[bot]", Covered, "allowlist:github_id:49699333", ""},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}
