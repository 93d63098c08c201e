package app

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/contribution-policy/contribution-policy/internal/ghfake"
)

// TestAffiliationInTheApp: a first-time contributor from a mapped company
// opens a PR, then pushes twice at once: the App labels the PR with the
// company, posts the guidance once (the opened delivery is coalesced with
// the pushes, and still counts as an opening), and a `/affiliation none` by
// the author removes the label for good (it stays off after another push).
func TestAffiliationInTheApp(t *testing.T) {
	f := fakeGitHub(t)
	const newbieID = 6006
	f.AddUser(ghfake.User{Login: "newbie", ID: newbieID, Emails: []string{"newbie@acme.com"}})
	f.SetFile(owner, repo, "main", ".github/contribution-policy.yml", `version: 1
affiliation:
  enabled: true
  domains: {acme.com: Acme Corp}
guidance:
  enabled: true
  companies:
    - {company: Acme Corp, policy: "https://acme.example/oss", ccla_contact: cla@acme.example, email_domain: acme.com}
cla:
  store: {backend: sql}
`)
	c := func(i int) ghfake.Commit {
		return ghfake.Commit{Message: fmt.Sprintf("change %d\n\nSigned-off-by: newbie <newbie@acme.com>", i),
			Author: ghfake.GitPerson{Name: "newbie", Email: "newbie@acme.com"}, AuthorLogin: "newbie"}
	}
	first := c(0)
	first.Parents = []string{f.BranchSHA(owner, repo, "main")}
	f.SetBranch(owner, repo, "newbie-1", f.AddCommit(owner, repo, first))
	// The pipeline reads the association from GitHub, not from the payload.
	p := f.AddPull(owner, repo, ghfake.Pull{Author: "newbie", HeadRef: "newbie-1", AuthorAssociation: "FIRST_TIME_CONTRIBUTOR"})
	r := start(t, testConfig(t, f))
	opened := payload(t, "pull_request/opened.with-organization.payload.json", func(m map[string]any) {
		m["action"], m["number"] = "opened", p.Number
		pr := m["pull_request"].(map[string]any)
		pr["number"], pr["author_association"] = p.Number, "FIRST_TIME_CONTRIBUTOR"
		pr["head"].(map[string]any)["sha"] = p.HeadSHA
		pr["base"].(map[string]any)["sha"] = p.BaseSHA
		pr["user"].(map[string]any)["login"] = "newbie"
	})
	r.post("pull_request", "aff-1", opened, nil)
	head := p.HeadSHA
	for i := 0; i < 2; i++ {
		head = push(f, p, head, c(10+i))
		r.post("pull_request", fmt.Sprintf("aff-sync-%d", i), prPayload(t, "synchronize", p, head), nil)
	}
	r.settle()
	if ls := f.IssueLabels(owner, repo, p.Number); !contains(ls, "affiliation/acme") {
		t.Fatalf("labels %v: want affiliation/acme", ls)
	}
	bot := botComments(f, p.Number)
	if len(bot) != 1 || !strings.Contains(bot[0].Body, "Acme Corp") || !strings.Contains(bot[0].Body, "https://acme.example/oss") {
		t.Fatalf("want one comment with the Acme guidance, got %+v", bot)
	}

	none := commentPayload(t, p.Number, "/affiliation none", "newbie")
	var m map[string]any
	json.Unmarshal(none, &m)
	m["comment"].(map[string]any)["user"].(map[string]any)["id"] = newbieID
	none, _ = json.Marshal(m)
	if code, _ := r.post("issue_comment", "aff-none", none, nil); code != http.StatusOK {
		t.Fatalf("/affiliation none: %d", code)
	}
	r.settle()
	if ls := f.IssueLabels(owner, repo, p.Number); contains(ls, "affiliation/acme") {
		t.Fatalf("labels %v after /affiliation none", ls)
	}
	head = push(f, p, head, c(20))
	r.post("pull_request", "aff-sync-after", prPayload(t, "synchronize", p, head), nil)
	r.settle()
	if ls := f.IssueLabels(owner, repo, p.Number); contains(ls, "affiliation/acme") {
		t.Errorf("the label came back after a push: %v", ls)
	}
	if n := len(botComments(f, p.Number)); n != 1 {
		t.Errorf("%d bot comments, want 1", n)
	}
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if strings.EqualFold(l, s) {
			return true
		}
	}
	return false
}
