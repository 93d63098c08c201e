package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/fixtures"
	"github.com/contribution-policy/contribution-policy/internal/ghfake"
	"github.com/contribution-policy/contribution-policy/internal/pipeline"
	"github.com/contribution-policy/contribution-policy/internal/queue"
	"github.com/contribution-policy/contribution-policy/internal/render"
	"github.com/contribution-policy/contribution-policy/internal/transport"
)

const (
	owner  = "acme"
	repo   = "widgets"
	appID  = 4242
	instID = 42
	slug   = "contribution-policy"
	bot    = slug + "[bot]"
)

var secret = []byte("It's a Secret to Everybody")

var (
	keyOnce sync.Once
	keyPEM  []byte
	pubKey  *rsa.PublicKey
)

func appKey(t testing.TB) ([]byte, *rsa.PublicKey) {
	keyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		keyPEM = pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
		pubKey = &k.PublicKey
	})
	return keyPEM, pubKey
}

// fakeGitHub is a fake GitHub with the App installed on acme.
func fakeGitHub(t testing.TB) *ghfake.Fake {
	f := ghfake.New(t)
	f.AddRepo(ghfake.Repo{Owner: owner, Name: repo, OwnerType: "Organization"})
	_, pub := appKey(t)
	f.AddApp(appID, pub, slug)
	f.AddInstallation(instID, appID, owner, nil)
	return f
}

// testConfig is the App's configuration against f.
func testConfig(t testing.TB, f *ghfake.Fake) Config {
	key, _ := appKey(t)
	return Config{
		AppID: appID, PrivateKey: key, WebhookSecrets: [][]byte{secret, []byte("the previous secret")},
		APIURL: f.URL(), GraphQLURL: f.GraphQLURL(), ServerURL: f.ServerURL(),
		SQLitePath: filepath.Join(t.TempDir(), "app.db"), SQLiteSynchronous: "NORMAL",
		Workers: 4, JobTimeout: 20 * time.Second, ReconcileInterval: -1, ShutdownTimeout: 10 * time.Second,
		ReplicaID: "test", Redeliver: true,
	}
}

// running is a served App.
type running struct {
	t    testing.TB
	s    *Server
	url  string
	stop func()
}

func start(t testing.TB, cfg Config) *running {
	t.Helper()
	s, err := New(context.Background(), cfg, Options{Pacer: transport.PacerOptions{MinInterval: -1}})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	r := &running{t: t, s: s, url: "http://" + ln.Addr().String()}
	var once sync.Once
	r.stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Serve: %v", err)
			}
		})
	}
	t.Cleanup(r.stop)
	return r
}

// payload is a fixture payload re-pointed at acme/widgets and the App's
// installation; set applies further changes.
func payload(t testing.TB, fixture string, set func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(fixtures.MustRead("webhooks/"+fixture), &m); err != nil {
		t.Fatal(err)
	}
	if r, ok := m["repository"].(map[string]any); ok {
		r["name"], r["full_name"] = repo, owner+"/"+repo
		r["owner"].(map[string]any)["login"] = owner
	}
	m["installation"] = map[string]any{"id": instID, "node_id": "x"}
	if set != nil {
		set(m)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func prPayload(t testing.TB, action string, p ghfake.Pull, head string) []byte {
	return payload(t, "pull_request/opened.with-organization.payload.json", func(m map[string]any) {
		m["action"], m["number"] = action, p.Number
		pr := m["pull_request"].(map[string]any)
		pr["number"] = p.Number
		pr["head"].(map[string]any)["sha"] = head
		pr["base"].(map[string]any)["sha"] = p.BaseSHA
	})
}

// post sends a delivery signed with secret (nil: unsigned); it returns the
// status and body.
func (r *running) post(event, id string, body []byte, sign func(h http.Header)) (int, string) {
	r.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, r.url+HookPath, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GitHub-Event", event)
	req.Header.Set("X-GitHub-Delivery", id)
	req.Header.Set("User-Agent", "GitHub-Hookshot/test")
	if sign == nil {
		req.Header.Set("X-Hub-Signature-256", Sign(secret, body))
	} else {
		sign(req.Header)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// settle waits until every stored delivery is processed and no job waits.
func (r *running) settle() {
	r.t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ds, err := r.s.Queue().Deliveries(ctx)
		depth, derr := r.s.Queue().Depth(ctx)
		done := err == nil && derr == nil && depth["available"]+depth["running"]+depth["retryable"]+depth["scheduled"] == 0
		for _, d := range ds {
			done = done && d.Processed
		}
		if done {
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("not settled: %+v %v", ds, depth)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (r *running) stored() int {
	ds, err := r.s.Queue().Deliveries(context.Background())
	if err != nil {
		r.t.Fatal(err)
	}
	return len(ds)
}

func botComments(f *ghfake.Fake, n int) []ghfake.Comment {
	var out []ghfake.Comment
	for _, c := range f.Comments(owner, repo, n) {
		if c.User == bot && strings.Contains(c.Body, render.Marker) {
			out = append(out, c)
		}
	}
	return out
}

func commit(i int, signed bool) ghfake.Commit {
	msg := fmt.Sprintf("change %d", i)
	if signed {
		msg += "\n\nSigned-off-by: Dev <dev@example.com>"
	}
	return ghfake.Commit{Message: msg, Author: ghfake.GitPerson{Name: "Dev", Email: "dev@example.com"}, AuthorLogin: "dev"}
}

// push adds a commit on top of the PR's head branch and returns its SHA.
func push(f *ghfake.Fake, p ghfake.Pull, parent string, c ghfake.Commit) string {
	c.Parents = []string{parent}
	sha := f.AddCommit(owner, repo, c)
	f.SetBranch(owner, repo, p.HeadRef, sha)
	return sha
}

// The issue's acceptance test: opened, then five quick synchronize → the
// final head SHA reported once (one check run), one policy comment.
func TestOpenedThenQuickPushes(t *testing.T) {
	f := fakeGitHub(t)
	p := f.AddLinearPR(owner, repo, 1, func(i int) ghfake.Commit { return commit(i, false) })
	heads := []string{p.HeadSHA}
	for i := 1; i <= 5; i++ {
		heads = append(heads, push(f, p, heads[len(heads)-1], commit(i, i%2 == 0)))
	}
	r := start(t, testConfig(t, f))
	f.ResetCalls()
	for i, h := range heads {
		action := "synchronize"
		if i == 0 {
			action = "opened"
		}
		if code, body := r.post("pull_request", fmt.Sprintf("d-%d", i), prPayload(t, action, p, h), nil); code != http.StatusOK {
			t.Fatalf("delivery %d: %d %s", i, code, body)
		}
	}
	r.settle()
	final := heads[len(heads)-1]
	runs := f.CheckRuns(owner, repo, final)
	if len(runs) != 1 || runs[0].Name != "contribution-policy/dco" || runs[0].Conclusion != "failure" {
		t.Fatalf("check runs on the final head: %+v; want one failing contribution-policy/dco", runs)
	}
	if !strings.Contains(runs[0].Output.Text, "change 5") || len(runs[0].Actions) != 1 || runs[0].Actions[0].Label != pipeline.OverrideLabel {
		t.Errorf("check run output/actions: %+v", runs[0])
	}
	for _, h := range heads[:len(heads)-1] {
		if n := len(f.CheckRuns(owner, repo, h)); n != 0 {
			t.Errorf("%d check runs on the stale head %s", n, h[:7])
		}
	}
	if cs := botComments(f, p.Number); len(cs) != 1 {
		t.Errorf("%d policy comments, want 1", len(cs))
	}
	creates := 0
	for _, c := range f.Writes() {
		if c.Method == http.MethodPost && strings.HasSuffix(c.Path, "/check-runs") {
			creates++
		}
	}
	if creates != 1 {
		t.Errorf("%d check runs created, want 1: %v", creates, f.Writes())
	}

	// A replayed delivery adds nothing and writes nothing.
	before, writes := r.stored(), len(f.Writes())
	if code, body := r.post("pull_request", "d-3", prPayload(t, "synchronize", p, heads[3]), nil); code != http.StatusOK || !strings.Contains(body, "duplicate") {
		t.Fatalf("replay: %d %q", code, body)
	}
	r.settle()
	if r.stored() != before || len(f.Writes()) != writes {
		t.Errorf("a replay stored or wrote something: %d→%d deliveries, %d→%d writes", before, r.stored(), writes, len(f.Writes()))
	}

	// A rerun of an unchanged PR makes no write.
	if code, _ := r.post("issue_comment", "c-1", commentPayload(t, p.Number, "/recheck", "dev"), nil); code != http.StatusOK {
		t.Fatalf("recheck: %d", code)
	}
	r.settle()
	if n := len(f.Writes()); n != writes {
		t.Errorf("/recheck on an unchanged PR wrote %d times", n-writes)
	}
}

func commentPayload(t testing.TB, number int, body, login string) []byte {
	return payload(t, "issue_comment/created.with-installation.payload.json", func(m map[string]any) {
		m["action"] = "created"
		is := m["issue"].(map[string]any)
		is["number"], is["state"] = number, "open"
		is["pull_request"] = map[string]any{"url": "x"}
		c := m["comment"].(map[string]any)
		c["body"] = body
		c["user"].(map[string]any)["login"] = login
	})
}

// Bad, missing or SHA-1-only signatures are refused with 401 and nothing is
// stored; an unknown event is accepted with 202 and nothing is done.
func TestSignaturesAndUnknownEvents(t *testing.T) {
	f := fakeGitHub(t)
	p := f.AddLinearPR(owner, repo, 1, nil)
	r := start(t, testConfig(t, f))
	body := prPayload(t, "opened", p, p.HeadSHA)
	f.ResetCalls()
	cases := map[string]func(h http.Header){
		"missing":   func(h http.Header) {},
		"bad":       func(h http.Header) { h.Set("X-Hub-Signature-256", Sign([]byte("wrong"), body)) },
		"sha1 only": func(h http.Header) { h.Set("X-Hub-Signature", "sha1=0123456789abcdef0123456789abcdef01234567") },
		"not hex":   func(h http.Header) { h.Set("X-Hub-Signature-256", "sha256=zz") },
		"tampered":  func(h http.Header) { h.Set("X-Hub-Signature-256", Sign(secret, append([]byte(" "), body...))) },
	}
	for name, sign := range cases {
		t.Run(name, func(t *testing.T) {
			if code, _ := r.post("pull_request", "bad-"+name, body, sign); code != http.StatusUnauthorized {
				t.Errorf("status %d, want 401", code)
			}
		})
	}
	// The previous secret still works during a rotation.
	if code, _ := r.post("ping", "p-1", payload(t, "ping/with-app_id.payload.json", nil), func(h http.Header) {
		h.Set("X-Hub-Signature-256", Sign([]byte("the previous secret"), payload(t, "ping/with-app_id.payload.json", nil)))
	}); code != http.StatusOK {
		t.Errorf("ping signed with the previous secret: %d", code)
	}
	if code, _ := r.post("star", "u-1", []byte(`{"action":"created"}`), nil); code != http.StatusAccepted {
		t.Errorf("unknown event: %d, want 202", code)
	}
	if code, _ := r.post("pull_request", "closed-1", payload(t, "pull_request/closed.with-organization.payload.json", nil), nil); code != http.StatusAccepted {
		t.Errorf("closed pull request: %d, want 202", code)
	}
	if code, _ := r.post("pull_request", "bad-json", []byte(`{"action": "opened", "number": `), nil); code != http.StatusBadRequest {
		t.Errorf("malformed payload: %d, want 400", code)
	}
	if n := r.stored(); n != 0 {
		t.Errorf("%d deliveries stored, want none", n)
	}
	time.Sleep(200 * time.Millisecond)
	for _, c := range f.Calls() {
		t.Errorf("GitHub was called: %s", c)
	}
}

func TestRefusesToStartWithoutSecret(t *testing.T) {
	f := fakeGitHub(t)
	cfg := testConfig(t, f)
	cfg.WebhookSecrets = nil
	if _, err := New(context.Background(), cfg, Options{}); err == nil || !strings.Contains(err.Error(), "secret") {
		t.Fatalf("New without a secret: %v", err)
	}
	env := map[string]string{"GITHUB_APP_ID": "1", "GITHUB_APP_PRIVATE_KEY": "x"}
	if _, err := LoadConfig(func(k string) string { return env[k] }, nil); err == nil || !strings.Contains(err.Error(), "GITHUB_WEBHOOK_SECRET") {
		t.Fatalf("LoadConfig without a secret: %v", err)
	}
}

// "Set DCO to pass" works for a maintainer only, and a push clears it.
func TestOverrideButton(t *testing.T) {
	f := fakeGitHub(t)
	p := f.AddLinearPR(owner, repo, 1, func(i int) ghfake.Commit { return commit(i, false) })
	f.SetPermission(owner, repo, "maintainer", "WRITE")
	f.SetPermission(owner, repo, "reader", "READ")
	r := start(t, testConfig(t, f))
	r.post("pull_request", "o-1", prPayload(t, "opened", p, p.HeadSHA), nil)
	r.settle()
	runs := f.CheckRuns(owner, repo, p.HeadSHA)
	if len(runs) != 1 || runs[0].Conclusion != "failure" {
		t.Fatalf("runs %+v", runs)
	}
	click := func(id, login string) {
		body := payload(t, "check_run/requested_action.payload.json", func(m map[string]any) {
			cr := m["check_run"].(map[string]any)
			cr["id"], cr["head_sha"], cr["external_id"] = runs[0].ID, p.HeadSHA, runs[0].ExternalID
			cr["app"].(map[string]any)["id"] = appID
			cr["pull_requests"] = []any{}
			m["requested_action"] = map[string]any{"identifier": pipeline.OverrideIdentifier}
			m["sender"].(map[string]any)["login"] = login
		})
		if code, b := r.post("check_run", id, body, nil); code != http.StatusOK {
			t.Fatalf("requested_action: %d %s", code, b)
		}
		r.settle()
	}
	click("o-2", "reader")
	if got := f.CheckRuns(owner, repo, p.HeadSHA)[0]; got.Conclusion != "failure" {
		t.Fatalf("a reader's click changed the check: %+v", got)
	}
	click("o-3", "maintainer")
	got := f.CheckRuns(owner, repo, p.HeadSHA)[0]
	if got.Conclusion != "success" || !strings.Contains(got.Output.Title, "@maintainer") {
		t.Fatalf("after a maintainer's override: %+v", got)
	}
	if cs := botComments(f, p.Number); len(cs) != 1 || strings.Contains(cs[0].Body, "git rebase") {
		t.Errorf("the comment should no longer ask for a fix: %+v", cs)
	}
	// A rerun keeps the override on this commit.
	r.post("issue_comment", "o-4", commentPayload(t, p.Number, "/recheck", "dev"), nil)
	r.settle()
	if got := f.CheckRuns(owner, repo, p.HeadSHA)[0]; got.Conclusion != "success" {
		t.Errorf("a rerun dropped the override: %+v", got)
	}
	// A new push is judged afresh.
	head := push(f, p, p.HeadSHA, commit(9, false))
	r.post("pull_request", "o-5", prPayload(t, "synchronize", p, head), nil)
	r.settle()
	if got := f.CheckRuns(owner, repo, head); len(got) != 1 || got[0].Conclusion != "failure" {
		t.Errorf("the override carried over to a new commit: %+v", got)
	}
}

// Installing the App on a repository sweeps its open pull requests.
func TestInstallationSweep(t *testing.T) {
	f := fakeGitHub(t)
	a := f.AddLinearPR(owner, repo, 1, nil)
	b := f.AddLinearPR(owner, repo, 2, func(i int) ghfake.Commit { return commit(i, false) })
	r := start(t, testConfig(t, f))
	body := payload(t, "installation_repositories/added.payload.json", func(m map[string]any) {
		m["repositories_added"] = []any{map[string]any{"id": 1, "name": repo, "full_name": owner + "/" + repo, "private": false, "node_id": "x"}}
	})
	if code, b := r.post("installation_repositories", "i-1", body, nil); code != http.StatusOK {
		t.Fatalf("%d %s", code, b)
	}
	waitFor(t, "both pull requests evaluated", func() bool {
		return len(f.CheckRuns(owner, repo, a.HeadSHA)) == 1 && len(f.CheckRuns(owner, repo, b.HeadSHA)) == 1
	})
	if got := f.CheckRuns(owner, repo, b.HeadSHA)[0].Conclusion; got != "failure" {
		t.Errorf("b: %s", got)
	}
}

func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

var _ = queue.Stored

// SIGTERM-style shutdown: stop accepting, let the running job finish.
func TestGracefulShutdown(t *testing.T) {
	f := fakeGitHub(t)
	p := f.AddLinearPR(owner, repo, 1, func(i int) ghfake.Commit { return commit(i, false) })
	f.Inject(ghfake.Fault{Method: http.MethodPost, Path: "/repos/*/*/check-runs", Delay: 1500 * time.Millisecond})
	r := start(t, testConfig(t, f))
	if code, _ := r.post("pull_request", "g-1", prPayload(t, "opened", p, p.HeadSHA), nil); code != http.StatusOK {
		t.Fatal(code)
	}
	waitFor(t, "the job to write", func() bool {
		for _, c := range f.Calls() {
			if strings.HasSuffix(c.Path, "/check-runs") {
				return true
			}
		}
		return false
	})
	r.stop() // returns once the running job is done
	if runs := f.CheckRuns(owner, repo, p.HeadSHA); len(runs) != 1 {
		t.Fatalf("the running job did not finish before shutdown: %+v", runs)
	}
	if _, err := http.Get(r.url + "/healthz"); err == nil {
		t.Error("still accepting after shutdown")
	}
}

// The reconciler redelivers deliveries whose every attempt failed and that
// were never stored, and evaluates open pull requests updated since the
// last sweep (a webhook that never arrived).
func TestReconcile(t *testing.T) {
	f := fakeGitHub(t)
	p := f.AddLinearPR(owner, repo, 1, func(i int) ghfake.Commit { return commit(i, false) })
	failed := f.AddHookDelivery(ghfake.HookDelivery{GUID: "lost-1", StatusCode: 502, Status: "Invalid HTTP Response: 502", InstallationID: instID})
	f.AddHookDelivery(ghfake.HookDelivery{GUID: "ok-1", StatusCode: 200, InstallationID: instID})
	f.AddHookDelivery(ghfake.HookDelivery{GUID: "retried-1", StatusCode: 500, InstallationID: instID})
	f.AddHookDelivery(ghfake.HookDelivery{GUID: "retried-1", StatusCode: 200, InstallationID: instID, Redelivery: true})
	f.AddHookDelivery(ghfake.HookDelivery{GUID: "stored-1", StatusCode: 504, InstallationID: instID})
	r := start(t, testConfig(t, f))
	// stored-1 reached us (GitHub timed out waiting for the answer).
	if code, _ := r.post("pull_request", "stored-1", prPayload(t, "opened", p, p.HeadSHA), nil); code != http.StatusOK {
		t.Fatal(code)
	}
	r.settle()
	f.SetBranch(owner, repo, p.HeadRef, push(f, p, p.HeadSHA, commit(2, false))) // a push whose webhook was lost
	head := f.BranchSHA(owner, repo, p.HeadRef)
	if err := r.s.Reconcile(context.Background(), r.s.Queue()); err != nil {
		t.Fatal(err)
	}
	rd := f.Redeliveries()
	if len(rd) != 1 || rd[0].DeliveryID != failed {
		t.Errorf("redeliveries %+v, want only the failed, never-stored delivery %d", rd, failed)
	}
	waitFor(t, "the updated pull request evaluated", func() bool { return len(f.CheckRuns(owner, repo, head)) == 1 })
	// The fake's redelivery fails again (nothing listens for it): later
	// passes try again, three times at most.
	for i := 0; i < 4; i++ {
		if err := r.s.Reconcile(context.Background(), r.s.Queue()); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(f.Redeliveries()); n != 3 {
		t.Errorf("%d redeliveries after five passes, want 3 (the cap)", n)
	}
}

func TestCheckSuiteAndMergeGroup(t *testing.T) {
	f := fakeGitHub(t)
	p := f.AddLinearPR(owner, repo, 1, nil)
	r := start(t, testConfig(t, f))
	body := payload(t, "check_suite/rerequested.with-organization.payload.json", func(m map[string]any) {
		cs := m["check_suite"].(map[string]any)
		cs["app"].(map[string]any)["id"] = appID
		cs["pull_requests"] = []any{map[string]any{"number": p.Number}}
	})
	if code, b := r.post("check_suite", "cs-1", body, nil); code != http.StatusOK {
		t.Fatalf("check_suite: %d %s", code, b)
	}
	r.settle()
	if runs := f.CheckRuns(owner, repo, p.HeadSHA); len(runs) != 1 || runs[0].Conclusion != "success" {
		t.Fatalf("check_suite rerequested: %+v", runs)
	}
	// Another app's suite is not ours to re-run.
	other := payload(t, "check_suite/rerequested.with-organization.payload.json", nil)
	if code, _ := r.post("check_suite", "cs-2", other, nil); code != http.StatusAccepted {
		t.Errorf("another app's suite: %d, want 202", code)
	}

	// A merge queue entry: the queue's commit (built by GitHub, web-flow)
	// carries the PR's sign-off trailer; the merge-queue rule passes it.
	base := f.BranchSHA(owner, repo, "main")
	qc := ghfake.Commit{Parents: []string{base}, Message: "Merge pull request #1\n\nSigned-off-by: Dev <dev@example.com>",
		Author: ghfake.GitPerson{Name: "Octo Cat", Email: "octocat@users.noreply.github.com"}, AuthorLogin: "octocat",
		Committer: ghfake.GitPerson{Name: "GitHub", Email: "noreply@github.com"}, CommitterLogin: "web-flow"}
	head := f.AddCommit(owner, repo, qc)
	f.SetBranch(owner, repo, "gh-readonly-queue/main/pr-1-"+base[:7], head)
	mg := payload(t, "pull_request/opened.with-organization.payload.json", func(m map[string]any) {
		for k := range m {
			if k != "repository" && k != "installation" && k != "organization" && k != "sender" {
				delete(m, k)
			}
		}
		m["action"] = "checks_requested"
		m["merge_group"] = map[string]any{"head_sha": head, "base_sha": base, "head_ref": "refs/heads/gh-readonly-queue/main/pr-1-" + base[:7]}
	})
	if code, b := r.post("merge_group", "mg-1", mg, nil); code != http.StatusOK {
		t.Fatalf("merge_group: %d %s", code, b)
	}
	waitFor(t, "the merge group's check run", func() bool { return len(f.CheckRuns(owner, repo, head)) == 1 })
	if got := f.CheckRuns(owner, repo, head)[0]; got.Conclusion != "success" || len(got.Actions) != 0 {
		t.Errorf("merge group run: %+v", got)
	}
}

func TestMetricsAndProbes(t *testing.T) {
	f := fakeGitHub(t)
	r := start(t, testConfig(t, f))
	r.post("ping", "m-1", payload(t, "ping/with-app_id.payload.json", nil), nil)
	r.post("pull_request", "m-2", []byte("{}"), func(h http.Header) {})
	for path, want := range map[string]string{
		"/metrics": `contribution_policy_webhook_deliveries_total{event="pull_request",outcome="unauthorized"} 1`,
		"/healthz": "ok",
		"/readyz":  "ready",
	} {
		resp, err := http.Get(r.url + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("%s: %d, want %q in:\n%.2000s", path, resp.StatusCode, want, b)
		}
	}
	resp, _ := http.Get(r.url + "/metrics")
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, m := range []string{"contribution_policy_queue_jobs{state=\"available\"}", "contribution_policy_webhook_ack_seconds_bucket", `outcome="ping"`} {
		if !strings.Contains(string(b), m) {
			t.Errorf("/metrics lacks %s", m)
		}
	}
}

// When GitHub fails mid-evaluation the check run says so (never a stale
// pass), and the job is retried.
func TestGitHubFailureReportsError(t *testing.T) {
	f := fakeGitHub(t)
	p := f.AddLinearPR(owner, repo, 1, nil)
	f.Inject(ghfake.Fault{Path: "/graphql", Status: http.StatusBadGateway})
	r := start(t, testConfig(t, f))
	if code, _ := r.post("pull_request", "e-1", prPayload(t, "opened", p, p.HeadSHA), nil); code != http.StatusOK {
		t.Fatal(code)
	}
	waitFor(t, "an error check run", func() bool { return len(f.CheckRuns(owner, repo, p.HeadSHA)) == 1 })
	got := f.CheckRuns(owner, repo, p.HeadSHA)[0]
	if got.Conclusion != "failure" || !strings.Contains(got.Output.Title, "could not be evaluated") {
		t.Errorf("check run while GitHub fails: %+v", got)
	}
	depth, err := r.s.Queue().Depth(context.Background())
	if err != nil || depth["retryable"]+depth["running"]+depth["available"] != 1 {
		t.Errorf("the job should wait for a retry: %v %v", depth, err)
	}
}

// The organisation's policy extends another repository's file; the target
// is read with the contents API and revalidated with its ETag afterwards.
func TestOrgPolicyExtends(t *testing.T) {
	f := fakeGitHub(t)
	f.AddRepo(ghfake.Repo{Owner: owner, Name: ".github", OwnerType: "Organization"})
	f.SetFile(owner, ".github", "main", ".github/contribution-policy.yml", "_extends: policies:shared/policy.yml\n")
	f.AddRepo(ghfake.Repo{Owner: owner, Name: "policies", OwnerType: "Organization"})
	f.SetFile(owner, "policies", "main", "shared/policy.yml", "version: 1\nlabels:\n  dco:\n    enabled: true\n    yes: signed-off\n")
	p := f.AddLinearPR(owner, repo, 1, nil)
	r := start(t, testConfig(t, f))
	r.post("pull_request", "x-1", prPayload(t, "opened", p, p.HeadSHA), nil)
	r.settle()
	if got := f.IssueLabels(owner, repo, p.Number); len(got) != 1 || got[0] != "signed-off" {
		t.Fatalf("labels %v: the extended policy was not applied", got)
	}
	f.ResetCalls()
	r.post("issue_comment", "x-2", commentPayload(t, p.Number, "/recheck", "dev"), nil)
	r.settle()
	revalidated := false
	for _, c := range f.Calls() {
		if strings.Contains(c.Path, "/contents/") && c.Status == http.StatusNotModified {
			revalidated = true
		}
	}
	if !revalidated {
		t.Errorf("the extended file was not revalidated with its ETag: %v", f.Calls())
	}
}

// A comment that may sign the CLA is stored with its delivery and handed to
// the evaluation; a comment with no command and nothing to sign is ignored.
func TestSigningCommentReachesTheEvaluation(t *testing.T) {
	f := fakeGitHub(t)
	p := f.AddLinearPR(owner, repo, 1, nil)
	r := start(t, testConfig(t, f))
	if code, _ := r.post("issue_comment", "s-0", commentPayload(t, p.Number, "thanks!", "dev"), nil); code != http.StatusAccepted {
		t.Errorf("a plain comment: %d, want 202", code)
	}
	body := commentPayload(t, p.Number, "I have read the CLA Document and I hereby sign the CLA", "dev")
	d, err := parseIssueComment(r.s, body)
	if err != nil || d == nil || d.Request == nil || d.Request.Kind != queue.RequestComment || d.Request.Comment.Author != "dev" {
		t.Fatalf("parsed %+v %v", d, err)
	}
	if code, _ := r.post("issue_comment", "s-1", body, nil); code != http.StatusOK {
		t.Fatalf("signing comment: %d", code)
	}
	r.settle()
	if runs := f.CheckRuns(owner, repo, p.HeadSHA); len(runs) != 1 || runs[0].Conclusion != "success" {
		t.Errorf("evaluation after the signing comment: %+v", runs)
	}
}

// A delivery for a pull request that does not exist is dropped, not retried
// for hours.
func TestMissingPullRequestIsDropped(t *testing.T) {
	f := fakeGitHub(t)
	p := f.AddLinearPR(owner, repo, 1, nil)
	r := start(t, testConfig(t, f))
	p.Number = 99
	if code, _ := r.post("pull_request", "n-1", prPayload(t, "opened", p, p.HeadSHA), nil); code != http.StatusOK {
		t.Fatal(code)
	}
	r.settle() // fails unless the job completed (a retry would leave it retryable)
}

// Writes go out with a token scoped to the pull request's repository and
// to the reporting permissions; reads use the installation's own token.
func TestWritesUseRepositoryScopedToken(t *testing.T) {
	f := fakeGitHub(t)
	p := f.AddLinearPR(owner, repo, 1, func(i int) ghfake.Commit { return commit(i, false) })
	r := start(t, testConfig(t, f))
	r.post("pull_request", "w-1", prPayload(t, "opened", p, p.HeadSHA), nil)
	r.settle()
	writeTokens, readTokens := map[string]bool{}, map[string]bool{}
	for _, c := range f.Writes() {
		if !strings.HasSuffix(c.Path, "/access_tokens") { // minted with the App's JWT
			writeTokens[c.Token] = true
		}
	}
	for _, c := range f.Reads() {
		if c.Path == "/graphql" {
			readTokens[c.Token] = true
		}
	}
	if len(writeTokens) != 1 || len(readTokens) != 1 {
		t.Fatalf("write tokens %v, read tokens %v: want one of each", writeTokens, readTokens)
	}
	for w := range writeTokens {
		if readTokens[w] {
			t.Error("writes used the installation-wide token")
		}
	}
	var minted []string
	for _, c := range f.Calls() {
		if strings.HasSuffix(c.Path, "/access_tokens") {
			minted = append(minted, c.Path)
		}
	}
	if len(minted) != 2 {
		t.Errorf("tokens minted: %v, want the installation's and the scoped writer's", minted)
	}
}
