// Command appload measures how fast `contribution-policy serve` accepts
// webhook deliveries: accepted deliveries per second and the p50/p99
// acknowledgement latency (from sending a signed delivery to its 2xx, i.e.
// until it is durably stored), on SQLite and on PostgreSQL. The server runs
// in this process against the fake GitHub (its workers evaluate the pull
// requests meanwhile), on loopback only, for a bounded number of requests.
//
//	go run ./bench/appload -db sqlite -n 20000 -c 32
//	go run ./bench/appload -db postgres        # a throwaway cluster (internal/pgtest)
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/app"
	"github.com/contribution-policy/contribution-policy/internal/fixtures"
	"github.com/contribution-policy/contribution-policy/internal/ghfake"
	"github.com/contribution-policy/contribution-policy/internal/pgtest"
	"github.com/contribution-policy/contribution-policy/internal/transport"
)

func main() {
	db := flag.String("db", "sqlite", "sqlite or postgres")
	n := flag.Int("n", 20000, "deliveries to send")
	c := flag.Int("c", 32, "concurrent senders")
	prs := flag.Int("prs", 200, "pull requests the deliveries are spread over")
	workers := flag.Int("workers", 10, "the server's job workers (they evaluate against the in-process fake meanwhile)")
	sync := flag.String("sqlite-synchronous", "FULL", "SQLite synchronous pragma")
	dir := flag.String("dir", "", "directory for the SQLite file (default: a temporary one)")
	rate := flag.Float64("rate", 0, "open loop: send this many deliveries per second (latency from each one's scheduled time); 0: closed loop with -c senders")
	latency := flag.Duration("github-latency", 0, "hold every fake GitHub answer this long (100ms: the simulation of research/peers-measured.md §6); 0: answer at once, so the workers evaluate as fast as the CPU allows")
	prof := flag.String("cpuprofile", "", "write a CPU profile")
	flag.Parse()
	if *prof != "" {
		pf, err := os.Create(*prof)
		if err != nil {
			log.Fatal(err)
		}
		_ = pprof.StartCPUProfile(pf)
		defer pprof.StopCPUProfile()
	}
	res, err := run(*db, *n, *c, *prs, *workers, *sync, *dir, *rate, *latency)
	if err != nil {
		pprof.StopCPUProfile()
		log.Fatal(err) // a failed run must not look like an empty result to bench/app.sh
	}
	out, _ := json.Marshal(res)
	fmt.Println(string(out))
}

type result struct {
	DB         string  `json:"db"`
	Deliveries int     `json:"deliveries"`
	Accepted   int     `json:"accepted"`
	Senders    int     `json:"senders"`
	Seconds    float64 `json:"seconds"`
	PerSecond  float64 `json:"per_second"`
	P50ms      float64 `json:"p50_ms"`
	P99ms      float64 `json:"p99_ms"`
	MaxMs      float64 `json:"max_ms"`
	CPUs       int     `json:"cpus"`
	Sync       string  `json:"sqlite_synchronous,omitempty"`
	Rate       float64 `json:"offered_per_second,omitempty"`
	LatencyMs  float64 `json:"github_latency_ms"`
}

func run(db string, n, conc, nprs, workers int, syncMode, dir string, rate float64, latency time.Duration) (*result, error) {
	f, err := ghfake.Start()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if latency > 0 {
		// Status 0: answer normally, after the delay.
		f.Inject(ghfake.Fault{Delay: latency})
	}
	const owner, repo, appID, instID = "acme", "widgets", 4242, 42
	f.AddRepo(ghfake.Repo{Owner: owner, Name: repo, OwnerType: "Organization"})
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	f.AddApp(appID, &k.PublicKey, "contribution-policy")
	f.AddInstallation(instID, appID, owner, nil)
	pulls := make([]ghfake.Pull, nprs)
	for i := range pulls {
		pulls[i] = f.AddLinearPR(owner, repo, 2, nil)
	}
	secret := []byte("bench secret")
	if dir == "" {
		if dir, err = os.MkdirTemp(".", ".appload-"); err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
	}
	cfg := app.Config{
		AppID: appID, PrivateKey: pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}),
		WebhookSecrets: [][]byte{secret}, APIURL: f.URL(), GraphQLURL: f.GraphQLURL(), ServerURL: f.ServerURL(),
		SQLitePath: filepath.Join(dir, "app.db"), SQLiteSynchronous: syncMode, Workers: workers,
		JobTimeout: time.Minute, ReconcileInterval: -1, ShutdownTimeout: 10 * time.Second, ReplicaID: "bench",
	}
	res := &result{DB: db, Deliveries: n, Senders: conc, CPUs: runtime.NumCPU(), LatencyMs: float64(latency) / float64(time.Millisecond)}
	if db == "postgres" {
		srv, err := pgtest.Start()
		if err != nil {
			return nil, err
		}
		defer srv.Stop()
		if cfg.DatabaseURL, err = srv.CreateDatabase(context.Background()); err != nil {
			return nil, err
		}
	} else {
		res.Sync = syncMode
	}
	s, err := app.New(context.Background(), cfg, app.Options{Pacer: transport.PacerOptions{MinInterval: -1}})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	defer func() { cancel(); <-done }()

	// Real payloads (octokit's pull_request fixture), re-pointed and signed.
	var tmpl map[string]any
	if err := json.Unmarshal(fixtures.MustRead("webhooks/pull_request/synchronize.payload.json"), &tmpl); err != nil {
		return nil, err
	}
	bodies := make([][]byte, len(pulls))
	for i, p := range pulls {
		tmpl["number"] = p.Number
		tmpl["installation"] = map[string]any{"id": instID}
		r := tmpl["repository"].(map[string]any)
		r["name"], r["full_name"] = repo, owner+"/"+repo
		pr := tmpl["pull_request"].(map[string]any)
		pr["number"], pr["state"] = p.Number, "open"
		pr["head"].(map[string]any)["sha"] = p.HeadSHA
		if bodies[i], err = json.Marshal(tmpl); err != nil {
			return nil, err
		}
	}
	sigs := make([]string, len(bodies))
	for i, b := range bodies {
		sigs[i] = app.Sign(secret, b)
	}
	url := "http://" + ln.Addr().String() + app.HookPath
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128, MaxConnsPerHost: 128}, Timeout: 10 * time.Second}
	if rate == 0 {
		client.Transport = &http.Transport{MaxIdleConnsPerHost: conc, MaxConnsPerHost: conc}
	}
	send := func(i int, id string) (time.Duration, bool) {
		req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(bodies[i%len(bodies)]))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-GitHub-Event", "pull_request")
		req.Header.Set("X-GitHub-Delivery", id)
		req.Header.Set("X-Hub-Signature-256", sigs[i%len(sigs)])
		t0 := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, false
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return time.Since(t0), resp.StatusCode/100 == 2
	}
	for i := 0; i < 200; i++ { // warm up connections and caches
		send(i, fmt.Sprintf("warm-%d", i))
	}
	lat := make([]time.Duration, n)
	var next, accepted atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	if rate > 0 {
		// Open loop: delivery i is due at start + i/rate, whatever the
		// server's speed; its latency counts from then (no coordinated
		// omission). 128 keep-alive senders take deliveries as they fall due.
		res.Rate = rate
		type item struct {
			i   int
			due time.Time
		}
		ch := make(chan item, n)
		for w := 0; w < 128; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for it := range ch {
					_, ok := send(it.i, fmt.Sprintf("bench-%d", it.i))
					lat[it.i] = time.Since(it.due)
					if ok {
						accepted.Add(1)
					}
				}
			}()
		}
		for i := 0; i < n; i++ {
			due := start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
			if d := time.Until(due); d > 0 {
				time.Sleep(d)
			}
			ch <- item{i, due}
		}
		close(ch)
		conc = 0
	}
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				d, ok := send(i, fmt.Sprintf("bench-%d", i))
				lat[i] = d
				if ok {
					accepted.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	res.Accepted = int(accepted.Load())
	res.Seconds = el.Seconds()
	res.PerSecond = float64(res.Accepted) / el.Seconds()
	res.P50ms, res.P99ms, res.MaxMs = ms(lat[n/2]), ms(lat[n*99/100]), ms(lat[n-1])
	return res, nil
}
