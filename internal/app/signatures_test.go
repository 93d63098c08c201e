package app

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/contribution-policy/contribution-policy/internal/clastore"
	"github.com/contribution-policy/contribution-policy/internal/ghfake"
)

// TestCLASigningInTheApp: in App mode a contributor signs by comment and the
// signature lands in the App's database (backend sql) or on the signatures
// branch (backend gitfile); the CLA check run turns green and the policy
// comment is edited, not duplicated.
func TestCLASigningInTheApp(t *testing.T) {
	for _, backend := range []string{"sql", "gitfile"} {
		t.Run(backend, func(t *testing.T) {
			f := fakeGitHub(t)
			const devID = 5005
			f.AddUser(ghfake.User{Login: "dev", ID: devID})
			f.SetFile(owner, repo, "main", ".github/contribution-policy.yml", "version: 1\ncla:\n  enabled: true\n"+
				"  agreements:\n    - {id: icla, kind: individual, title: Acme ICLA, url: https://example.com/icla, version: 1.0.0}\n"+
				"  store: {backend: "+backend+"}\n")
			p := f.AddLinearPR(owner, repo, 1, func(i int) ghfake.Commit { return commit(i, true) })
			// Another pull request of the same contributor, also waiting on
			// the signature.
			other := f.AddLinearPR(owner, repo, 1, func(i int) ghfake.Commit { return commit(i, true) })
			cfg := testConfig(t, f)
			r := start(t, cfg)
			for i, pr := range []ghfake.Pull{p, other} {
				if code, _ := r.post("pull_request", "cla-open-"+string(rune('a'+i)), prPayload(t, "opened", pr, pr.HeadSHA), nil); code != http.StatusOK {
					t.Fatal(code)
				}
			}
			r.settle()
			for _, pr := range []ghfake.Pull{p, other} {
				if c := claRun(f, pr.HeadSHA); c.Conclusion == "success" || c.Conclusion == "" {
					t.Fatalf("unsigned: CLA check run %+v", c)
				}
			}
			body := commentPayload(t, p.Number, "I have read the CLA Document and I hereby sign the CLA", "dev")
			var m map[string]any
			json.Unmarshal(body, &m)
			m["comment"].(map[string]any)["user"].(map[string]any)["id"] = devID
			body, _ = json.Marshal(m)
			if code, _ := r.post("issue_comment", "cla-2", body, nil); code != http.StatusOK {
				t.Fatal(code)
			}
			r.settle()
			if c := claRun(f, p.HeadSHA); c.Conclusion != "success" {
				t.Fatalf("after signing: CLA check run %+v", c)
			}
			if c := claRun(f, other.HeadSHA); c.Conclusion != "success" {
				t.Errorf("the signer's other pull request must be re-evaluated without a new event: %+v", c)
			}
			var ours int
			for _, c := range f.Comments(owner, repo, p.Number) {
				if strings.HasPrefix(c.User, slug) {
					ours++
				}
			}
			if ours != 1 {
				t.Errorf("%d bot comments, want the one policy comment, edited", ours)
			}
			switch backend {
			case "sql":
				db, err := clastore.Open(context.Background(), "sqlite:"+cfg.SQLitePath)
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				recs, err := db.Lookup(context.Background(), []int64{devID}, []string{"icla"})
				if err != nil || len(recs) != 1 {
					t.Fatalf("signatures in the database: %v %v", recs, err)
				}
			case "gitfile":
				path := (&clastore.GitFile{Dir: "signatures"}).Path("icla", devID)
				if s, ok := f.File(owner, repo, "cla-signatures", path); !ok || !strings.Contains(s, `"github_id":5005`) {
					t.Errorf("no signature in %s on the cla-signatures branch", path)
				}
			}
		})
	}
}

func claRun(f *ghfake.Fake, sha string) ghfake.CheckRun {
	var last ghfake.CheckRun
	for _, c := range f.CheckRuns(owner, repo, sha) {
		if c.Name == "contribution-policy/cla" {
			last = c
		}
	}
	return last
}
