package app

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/contribution-policy/contribution-policy/internal/ghfake"
	"github.com/contribution-policy/contribution-policy/internal/pgtest"
)

// These tests run the built binary, as an operator would, against the fake
// GitHub in this process: a server killed with SIGKILL mid-burst, restarted;
// and two replicas on one PostgreSQL.

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "cp-app-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "contribution-policy")
		cmd := exec.Command("go", "build", "-o", binPath, "github.com/contribution-policy/contribution-policy/cmd/contribution-policy")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

func freePort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// proc is a serve process.
type proc struct {
	t    *testing.T
	cmd  *exec.Cmd
	addr string
	logs *lockedBuffer
	done chan struct{}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func serveProc(t *testing.T, f *ghfake.Fake, db map[string]string, replica string) *proc {
	t.Helper()
	key, _ := appKey(t)
	p := &proc{t: t, addr: freePort(t), logs: &lockedBuffer{}, done: make(chan struct{})}
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"GITHUB_APP_ID=" + fmt.Sprint(appID), "GITHUB_APP_PRIVATE_KEY=" + string(key),
		"GITHUB_WEBHOOK_SECRET=" + string(secret),
		"GITHUB_API_URL=" + f.URL(), "GITHUB_GRAPHQL_URL=" + f.GraphQLURL(), "GITHUB_SERVER_URL=" + f.ServerURL(),
		"CP_LISTEN=" + p.addr, "CP_WORKERS=8", "CP_JOB_TIMEOUT=4s", "CP_RESCUE_AFTER=5s", "CP_WRITE_INTERVAL=0",
		"CP_REPLICA_ID=" + replica, "CP_SHUTDOWN_TIMEOUT=5s",
	}
	for k, v := range db {
		env = append(env, k+"="+v)
	}
	p.cmd = exec.Command(binary(t), "serve")
	p.cmd.Env = env
	p.cmd.Stderr = p.logs
	p.cmd.Stdout = p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { p.kill() })
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + p.addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		select {
		case <-p.done:
			t.Fatalf("serve exited:\n%s", p.logs)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not become ready:\n%s", p.logs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (p *proc) kill() {
	if p.cmd.Process != nil {
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		<-p.done
	}
}

func (p *proc) post(client *http.Client, event, id string, body []byte) (int, error) {
	req, _ := http.NewRequest(http.MethodPost, "http://"+p.addr+HookPath, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GitHub-Event", event)
	req.Header.Set("X-GitHub-Delivery", id)
	req.Header.Set("X-Hub-Signature-256", Sign(secret, body))
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// burst sends n deliveries per pull request from 16 senders, and returns the
// ids acknowledged with 2xx. stopAfter, when > 0, is called once that many
// were acknowledged (it kills the server).
func burst(t *testing.T, f *ghfake.Fake, targets func(i int) *proc, prs []ghfake.Pull, n int, stopAfter int, stop func()) []string {
	type job struct {
		id   string
		body []byte
		i    int
	}
	var jobs []job
	for k := 0; k < n; k++ {
		for i, p := range prs {
			action := "synchronize"
			if k == 0 {
				action = "opened"
			}
			jobs = append(jobs, job{id: fmt.Sprintf("pr%d-%d", p.Number, k), body: prPayload(t, action, p, p.HeadSHA), i: i + k})
		}
	}
	var (
		mu    sync.Mutex
		acked []string
		once  sync.Once
		wg    sync.WaitGroup
	)
	ch := make(chan job)
	client := &http.Client{Timeout: 10 * time.Second}
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range ch {
				code, err := targets(j.i).post(client, "pull_request", j.id, j.body)
				if err == nil && code >= 200 && code < 300 {
					mu.Lock()
					acked = append(acked, j.id)
					k := len(acked)
					mu.Unlock()
					if stopAfter > 0 && k == stopAfter {
						once.Do(stop)
					}
				}
			}
		}()
	}
	for _, j := range jobs {
		ch <- j
	}
	close(ch)
	wg.Wait()
	return acked
}

// unprocessed lists the acknowledged ids not yet processed (or not stored).
func unprocessed(t *testing.T, query func() (map[string]bool, error), acked []string) []string {
	got, err := query()
	if err != nil {
		t.Logf("query: %v", err)
		return acked
	}
	var out []string
	for _, id := range acked {
		if !got[id] {
			out = append(out, id)
		}
	}
	return out
}

func sqliteProcessed(path string) func() (map[string]bool, error) {
	return func() (map[string]bool, error) {
		db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)")
		if err != nil {
			return nil, err
		}
		defer db.Close()
		rows, err := db.Query(`SELECT id, processed_at IS NOT NULL FROM cp_delivery`)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := map[string]bool{}
		for rows.Next() {
			var id string
			var done bool
			if err := rows.Scan(&id, &done); err != nil {
				return nil, err
			}
			out[id] = done
		}
		return out, rows.Err()
	}
}

func pgProcessed(dsn string) func() (map[string]bool, error) {
	return func() (map[string]bool, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		pool, err := pgxpool.New(ctx, dsn)
		if err != nil {
			return nil, err
		}
		defer pool.Close()
		rows, err := pool.Query(ctx, `SELECT id, processed_at IS NOT NULL FROM cp_delivery`)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := map[string]bool{}
		for rows.Next() {
			var id string
			var done bool
			if err := rows.Scan(&id, &done); err != nil {
				return nil, err
			}
			out[id] = done
		}
		return out, rows.Err()
	}
}

// seedPRs makes n failing pull requests (each gets a check run and a
// comment).
func seedPRs(f *ghfake.Fake, n int) []ghfake.Pull {
	prs := make([]ghfake.Pull, n)
	for i := range prs {
		prs[i] = f.AddLinearPR(owner, repo, 1, func(j int) ghfake.Commit { return commit(j, false) })
	}
	return prs
}

// checkOnePerPR asserts one check run on each head and one policy comment
// on each pull request: nothing lost, nothing duplicated.
func checkOnePerPR(t *testing.T, f *ghfake.Fake, prs []ghfake.Pull) {
	t.Helper()
	bad := 0
	for _, p := range prs {
		runs := f.CheckRuns(owner, repo, p.HeadSHA)
		cs := botComments(f, p.Number)
		if len(runs) != 1 || len(cs) != 1 {
			bad++
			if bad <= 5 {
				t.Errorf("#%d: %d check runs, %d policy comments; want 1 and 1", p.Number, len(runs), len(cs))
			}
		}
	}
	if bad > 5 {
		t.Errorf("... %d pull requests in all", bad)
	}
}

func crashTest(t *testing.T, db map[string]string, processed func() (map[string]bool, error)) {
	f := fakeGitHub(t)
	// Slow writes a little so jobs are in flight when the server dies.
	f.Inject(ghfake.Fault{Method: http.MethodPost, Delay: 20 * time.Millisecond})
	prs := seedPRs(f, 100)
	p := serveProc(t, f, db, "a")
	acked := burst(t, f, func(int) *proc { return p }, prs, 5, 250, p.kill)
	if len(acked) < 250 || len(acked) >= 500 {
		t.Logf("acknowledged %d of 500 before the kill", len(acked))
	}
	p.kill()
	t.Logf("killed with %d of 500 deliveries acknowledged; %d writes made", len(acked), len(f.Writes()))
	p2 := serveProc(t, f, db, "b")
	deadline := time.Now().Add(90 * time.Second)
	for {
		left := unprocessed(t, processed, acked)
		if len(left) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d acknowledged deliveries never processed, e.g. %v\nlogs:\n%s", len(left), left[:min(5, len(left))], tail(p2.logs.String(), 40))
		}
		time.Sleep(200 * time.Millisecond)
	}
	// Every PR with an acknowledged delivery was reported, exactly once.
	seen := map[int]bool{}
	for _, id := range acked {
		var n, k int
		fmt.Sscanf(id, "pr%d-%d", &n, &k)
		seen[n] = true
	}
	var reported []ghfake.Pull
	for _, pr := range prs {
		if seen[pr.Number] {
			reported = append(reported, pr)
		}
	}
	time.Sleep(500 * time.Millisecond) // let any stray duplicate land before counting
	checkOnePerPR(t, f, reported)
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func TestCrashSQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	path := filepath.Join(t.TempDir(), "app.db")
	crashTest(t, map[string]string{"CP_SQLITE_PATH": path}, sqliteProcessed(path))
}

func TestCrashPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	dsn := pgtest.DSN(t)
	crashTest(t, map[string]string{"DATABASE_URL": dsn}, pgProcessed(dsn))
}

// Two replicas on one PostgreSQL share the deliveries: no pull request is
// evaluated by both at once, and the periodic reconcile runs on one.
func TestTwoReplicasPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dsn := pgtest.DSN(t)
	f := fakeGitHub(t)
	f.Inject(ghfake.Fault{Method: http.MethodPost, Delay: 10 * time.Millisecond})
	prs := seedPRs(f, 40)
	db := map[string]string{"DATABASE_URL": dsn}
	a := serveProc(t, f, db, "a")
	b := serveProc(t, f, db, "b")
	acked := burst(t, f, func(i int) *proc {
		if i%2 == 0 {
			return a
		}
		return b
	}, prs, 6, 0, nil)
	deadline := time.Now().Add(60 * time.Second)
	for len(unprocessed(t, pgProcessed(dsn), acked)) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("not all processed\n%s\n%s", tail(a.logs.String(), 20), tail(b.logs.String(), 20))
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	checkOnePerPR(t, f, prs)
	// The leader runs the reconcile job on start; wait for it, then a
	// little more to see that the other replica does not run it too.
	waitFor(t, "the reconcile job", func() bool {
		return strings.Contains(a.logs.String(), `"msg":"reconciled"`) || strings.Contains(b.logs.String(), `"msg":"reconciled"`)
	})
	time.Sleep(2 * time.Second)

	// Intervals of work per pull request, from both replicas' logs.
	type span struct {
		start, end time.Time
		replica    string
	}
	spans := map[string][]span{}
	open := map[string]span{}
	reconciles := map[string]int{}
	byReplica := map[string]int{}
	for _, logs := range []string{a.logs.String(), b.logs.String()} {
		sc := bufio.NewScanner(strings.NewReader(logs))
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var l struct {
				Time    time.Time `json:"time"`
				Msg     string    `json:"msg"`
				Replica string    `json:"replica"`
				Num     int       `json:"github_pr_num"`
			}
			if json.Unmarshal(sc.Bytes(), &l) != nil {
				continue
			}
			k := fmt.Sprintf("%s#%d", l.Replica, l.Num)
			switch l.Msg {
			case "evaluating":
				open[k] = span{start: l.Time, replica: l.Replica}
			case "evaluated":
				s := open[k]
				s.end = l.Time
				spans[fmt.Sprint(l.Num)] = append(spans[fmt.Sprint(l.Num)], s)
				byReplica[l.Replica]++
			case "reconciled":
				reconciles[l.Replica]++
			}
		}
	}
	for pr, ss := range spans {
		sort.Slice(ss, func(i, j int) bool { return ss[i].start.Before(ss[j].start) })
		for i := 1; i < len(ss); i++ {
			if ss[i].start.Before(ss[i-1].end) {
				t.Errorf("#%s evaluated by %s and %s at once: %v–%v and %v–%v", pr, ss[i-1].replica, ss[i].replica,
					ss[i-1].start.Format("15:04:05.000"), ss[i-1].end.Format("15:04:05.000"), ss[i].start.Format("15:04:05.000"), ss[i].end.Format("15:04:05.000"))
			}
		}
	}
	t.Logf("evaluations by replica: %v; reconciles: %v", byReplica, reconciles)
	if byReplica["a"] == 0 || byReplica["b"] == 0 {
		t.Errorf("both replicas should have worked: %v", byReplica)
	}
	if len(reconciles) != 1 {
		t.Errorf("the periodic reconcile ran on %d replicas (%v), want exactly one", len(reconciles), reconciles)
	}
}
