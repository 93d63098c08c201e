package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/contribution-policy/contribution-policy/internal/clastore"
	"github.com/contribution-policy/contribution-policy/internal/ghfake"
)

// reportOrg seeds an organisation with 300 pull requests in January 2026
// across three repositories, plus a few outside the period:
//
//	i%5 == 0  ann, labelled affiliation/acme by the bot       → Acme
//	i%5 == 1  gus, in the configuration's users as Globex     → Globex
//	i%5 == 2  ivy, Independent in the configuration, but her
//	          /affiliation override says Initech              → Initech
//	i%5 == 3  a different unknown person each time            → unknown
//	i%5 == 4  dependabot[bot]                                 → not counted
//
// Even i are merged an hour after they were opened.
func reportOrg(t *testing.T) (*ghfake.Fake, time.Time) {
	t.Helper()
	f := ghfake.New(t)
	since := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	repos := []string{"widgets", "gadgets", "gizmos"}
	for _, r := range append(repos, ".github", "cla") {
		f.AddRepo(ghfake.Repo{Owner: "acme", Name: r, OwnerType: "Organization"})
	}
	f.SetFile("acme", ".github", "main", ".github/contribution-policy.yml", `version: 1
affiliation:
  enabled: true
  users: {gus: Globex, ivy: Independent}
cla:
  store: {repo: acme/cla}
`)
	ivy := f.AddUser(ghfake.User{Login: "ivy"})
	rec := clastore.NewOverride(ivy.ID, "ivy", clastore.AffiliationOverride{Company: "Initech"}, "ivy", since.Add(-time.Hour))
	rec.ID, rec.RecordedAt = "aff_test", since
	line, _ := json.Marshal(rec)
	f.SetFile("acme", "cla", "cla-signatures", (&clastore.GitFile{}).Path(clastore.AffiliationAgreement, ivy.ID), string(line)+"\n")
	for i := 0; i < 300; i++ {
		p := ghfake.Pull{CreatedAt: since.Add(time.Duration(i) * time.Hour), Title: fmt.Sprintf("change %d", i)}
		switch i % 5 {
		case 0:
			p.Author, p.Labels = "ann", []string{"affiliation/acme"}
		case 1:
			p.Author = "gus"
		case 2:
			p.Author = "ivy"
		case 3:
			p.Author = fmt.Sprintf("person%d", i)
		case 4:
			p.Author = "dependabot[bot]"
		}
		if i%2 == 0 {
			p.State, p.Merged, p.MergedAt = "closed", true, p.CreatedAt.Add(time.Hour)
		}
		f.AddPull("acme", repos[i%3], p)
	}
	// Opened in December, merged in January: merged only.
	for i := 0; i < 5; i++ {
		at := since.Add(-time.Duration(48+i) * time.Hour)
		f.AddPull("acme", "widgets", ghfake.Pull{Author: "ann", Labels: []string{"affiliation/acme"}, CreatedAt: at,
			State: "closed", Merged: true, MergedAt: since.Add(time.Duration(i) * time.Hour)})
	}
	// Outside the period altogether.
	f.AddPull("acme", "widgets", ghfake.Pull{Author: "gus", CreatedAt: since.Add(-24 * time.Hour)})
	f.AddPull("acme", "gadgets", ghfake.Pull{Author: "gus", CreatedAt: since.AddDate(0, 1, 1)})
	return f, since
}

type reportRow struct {
	Employer     string `json:"employer"`
	Slug         string `json:"slug"`
	Opened       int    `json:"prs_opened"`
	Merged       int    `json:"prs_merged"`
	Contributors int    `json:"contributors"`
}

func TestReportOrg300(t *testing.T) {
	f, _ := reportOrg(t)
	env := map[string]string{"GITHUB_TOKEN": ghfake.DefaultToken, "GITHUB_API_URL": f.URL(), "GITHUB_GRAPHQL_URL": f.GraphQLURL()}
	want := map[string]reportRow{
		"acme":    {Employer: "Acme", Slug: "acme", Opened: 60, Merged: 35, Contributors: 1},
		"globex":  {Employer: "Globex", Slug: "globex", Opened: 60, Merged: 30, Contributors: 1},
		"initech": {Employer: "Initech", Slug: "initech", Opened: 60, Merged: 30, Contributors: 1},
		"unknown": {Employer: "Unknown", Slug: "unknown", Opened: 60, Merged: 30, Contributors: 60},
	}
	check := func(t *testing.T) {
		// GitHub's search allows 30 requests a minute; the fake's budget
		// lasts an hour, so give the token room for every subtest.
		f.SetRateLimitRemaining(ghfake.DefaultToken, 1000)
		code, out, errs := runCLIEnv(t, env, "", "report", "--org", "acme", "--since", "2026-01-01", "--until", "2026-02-01", "--format", "json")
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, errs)
		}
		var rep struct {
			Rows  []reportRow `json:"rows"`
			Total reportRow   `json:"total"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		got := map[string]reportRow{}
		for _, r := range rep.Rows {
			got[r.Slug] = r
		}
		if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b reportRow) bool {
			return a.Opened == b.Opened && a.Merged == b.Merged && a.Contributors == b.Contributors && strings.EqualFold(a.Slug, b.Slug)
		})); diff != "" {
			t.Errorf("rows (-want +got):\n%s\n%s", diff, out)
		}
		if rep.Total.Opened != 240 || rep.Total.Merged != 125 || rep.Total.Contributors != 63 {
			t.Errorf("total %+v", rep.Total)
		}
		if !strings.Contains(errs, "pull request(s) read") {
			t.Errorf("stderr %q", errs)
		}
	}
	t.Run("one search per query", check)
	t.Run("date range split above the search cap", func(t *testing.T) {
		old := searchCap
		searchCap = 40
		defer func() { searchCap = old }()
		f.ResetCalls()
		check(t)
		searches := 0
		for _, c := range f.Calls() {
			if c.Path == "/search/issues" {
				searches++
			}
		}
		if searches < 10 {
			t.Errorf("%d searches: the range was not split", searches)
		}
	})
	t.Run("markdown, csv and svg", func(t *testing.T) {
		f.SetRateLimitRemaining(ghfake.DefaultToken, 1000)
		for _, format := range []string{"markdown", "csv", "svg"} {
			code, out, errs := runCLIEnv(t, env, "", "report", "--repo", "acme/widgets", "--since", "2026-01-01", "--until", "2026-02-01", "--format", format)
			if code != ExitOK || !strings.Contains(out, "Initech") || !strings.Contains(out, "acme") {
				t.Errorf("%s: exit %d %s\n%s", format, code, errs, out)
			}
		}
	})
	t.Run("usage", func(t *testing.T) {
		for _, args := range [][]string{{"report", "--since", "2026-01-01"}, {"report", "--org", "acme"}, {"report", "--org", "acme", "--since", "2026-02-01", "--until", "2026-01-01"},
			{"report", "--repo", "acme", "--since", "2026-01-01"}, {"report", "--org", "acme", "--since", "2026-01-01", "--format", "pdf"}} {
			if code, _, _ := runCLIEnv(t, env, "", args...); code != ExitError {
				t.Errorf("%v: exit %d, want %d", args, code, ExitError)
			}
		}
	})
}
