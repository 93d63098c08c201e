package render

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/policy"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

// affCfg is an affiliation and guidance configuration for Acme employees.
func affCfg(f ...func(*config.Config)) config.Config {
	c := config.Default()
	c.Affiliation.Enabled = true
	c.Affiliation.Domains = map[string]string{"acme.com": "Acme Corp"}
	c.Guidance.Enabled = true
	c.Guidance.Contributing = "https://example.org/CONTRIBUTING.md"
	c.Guidance.Companies = []config.CompanyGuidance{{Company: "Acme Corporation", Policy: "https://acme.example/oss (internal)",
		CCLAContact: "cla@acme.example", EmailDomain: "@acme.com", Text: "Ask in **#open-source** first."}}
	for _, x := range f {
		x(&c)
	}
	return c
}

// affSnap is a first pull request by bob (bob@acme.com) on "opened".
func affSnap(assoc string, commits ...snapshot.Commit) *snapshot.Snapshot {
	s := snap(commits...)
	s.PullRequest.Author = snapshot.Account{Login: "bob", ID: 2, Type: "User"}
	s.PullRequest.AuthorAssociation = assoc
	s.PullRequest.CreatedAt = claNow
	s.Affiliation = &snapshot.AffiliationFacts{Action: "opened"}
	return s
}

func TestGuidanceGolden(t *testing.T) {
	withCLA := func(c *config.Config) {
		c.CLA.Enabled = true
		c.CLA.Agreements = []config.Agreement{{ID: "icla", Title: "Acme Individual CLA", URL: "https://example.org/icla", Version: "2.0"}}
	}
	welcome := func(c *config.Config) { c.Guidance.Welcome = true }
	tests := []struct {
		name string
		d    *policy.Decision
	}{
		// DCO passes, the CLA does not: the section points below.
		{"guidance-corporate", evaluate(affCfg(withCLA), affSnap("FIRST_TIME_CONTRIBUTOR",
			commit(sha1, base, "ok\n\nSigned-off-by: Bob Roe <bob@acme.com>", claBob)))},
		// Every check passes: the guidance alone makes the comment.
		{"guidance-pass", evaluate(affCfg(), affSnap("FIRST_TIME_CONTRIBUTOR",
			commit(sha1, base, "ok\n\nSigned-off-by: Bob Roe <bob@acme.com>", claBob)))},
		{"guidance-welcome", evaluate(affCfg(welcome), affSnap("FIRST_TIMER",
			commit(sha1, base, "ok", snapshot.Identity{Name: "Bob Roe", Email: "bob@gmail.com", Login: "bob", ID: 2, Type: "User"})))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.d.Guidance == nil {
				t.Fatalf("no guidance: %+v", tc.d.Affiliation)
			}
			body, needed := Comment(tc.d, ctx)
			if !needed {
				t.Errorf("guidance is something to say: needed must be true")
			}
			if strings.Count(body, GuidanceMarker) != 1 {
				t.Errorf("want one guidance marker")
			}
			golden(t, tc.name+".comment.md", body)
			golden(t, tc.name+".summary.md", Summary(tc.d, ctx, ""))
			var buf bytes.Buffer
			if err := WriteJSON(&buf, tc.d); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name+".verdict.json", buf.String())
			buf.Reset()
			if err := WriteText(&buf, tc.d, "acme/widgets#7"); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name+".text", buf.String())
		})
	}
}

// Templates are written by configuration authors and run on escaped data:
// whatever a pull request's author controls (their login, the company in
// their profile, data about them) can neither inject Markdown, HTML or
// mentions nor be evaluated as a template.
func TestGuidanceTemplateInjection(t *testing.T) {
	hostile := `{{.Login}} {{template "x"}} <img src=x onerror=alert(1)> @octocat [click](http://evil.example) | ` + "```"
	cfg := affCfg(func(c *config.Config) {
		c.Affiliation.Domains = nil
		c.Guidance.Template = "Company={{.Company}} Login={{.Login}} Mention={{.Mention}} Label={{.Label}}"
	})
	s := affSnap("FIRST_TIME_CONTRIBUTOR", commit(sha1, base, "ok\n\nSigned-off-by: Bob Roe <bob@acme.com>", claBob))
	s.PullRequest.Author.Login = "bob{{.Company}}"
	s.Affiliation.Overrides = []snapshot.AffiliationOverride{{Company: hostile, At: claNow}}
	d := evaluate(cfg, s)
	if d.Guidance == nil || d.Guidance.Kind != policy.GuidanceCorporate {
		t.Fatalf("guidance %+v (affiliation %+v)", d.Guidance, d.Affiliation)
	}
	body, _ := Comment(d, ctx)
	for _, bad := range []string{"<img", "@octocat", "[click]", "{{", "}}", "```"} {
		if strings.Contains(body, bad) {
			t.Errorf("the comment contains %q unescaped:\n%s", bad, body)
		}
	}
	for _, want := range []string{`Company=\{\{.Login\}\} \{\{template &quot;x&quot;\}\} &lt;img`, "Mention=@\u2060bob\\{\\{.Company\\}\\}"} {
		if !strings.Contains(body, want) {
			t.Errorf("the comment lacks %q:\n%s", want, body)
		}
	}
}

func TestGuidanceNotShownOnLaterEvents(t *testing.T) {
	s := affSnap("FIRST_TIME_CONTRIBUTOR", commit(sha1, base, "ok\n\nSigned-off-by: Bob Roe <bob@acme.com>", claBob))
	s.Affiliation.Action = "synchronize"
	if d := evaluate(affCfg(), s); d.Guidance != nil {
		t.Errorf("guidance first shown on a push: %+v", d.Guidance)
	}
	s.Affiliation.GuidanceShown = true
	if d := evaluate(affCfg(), s); d.Guidance == nil {
		t.Errorf("guidance once shown must stay")
	}
}

func TestGuidanceVerdictShape(t *testing.T) {
	d := evaluate(affCfg(), affSnap("FIRST_TIME_CONTRIBUTOR", commit(sha1, base, "ok\n\nSigned-off-by: Bob Roe <bob@acme.com>", claBob)))
	var buf bytes.Buffer
	if err := WriteJSON(&buf, d); err != nil {
		t.Fatal(err)
	}
	var v struct {
		Result string `json:"result"`
		Checks map[string]struct {
			Conclusion string `json:"conclusion"`
			Company    string `json:"company"`
			Source     string `json:"source"`
			Confidence string `json:"confidence"`
			Label      string `json:"label"`
		} `json:"checks"`
		Guidance *struct {
			Kind    string `json:"kind"`
			Company string `json:"company"`
		} `json:"guidance"`
	}
	if err := json.Unmarshal(buf.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	a := v.Checks["affiliation"]
	if v.Result != "pass" || a.Conclusion != "neutral" || a.Company != "Acme Corp" || a.Source != "email-domain" || a.Confidence != "medium" || a.Label != "affiliation/acme" {
		t.Errorf("checks.affiliation %+v", a)
	}
	if v.Guidance == nil || v.Guidance.Kind != "first-time-corporate" || v.Guidance.Company != "Acme Corp" {
		t.Errorf("guidance %+v", v.Guidance)
	}
	if len(d.Checks) != 1 {
		t.Errorf("affiliation must not be a status check: %+v", d.Checks)
	}
}
