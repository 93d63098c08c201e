// Package queue is the App's durable work queue, on River: webhook
// deliveries are stored (deduplicated by X-GitHub-Delivery) and turned into
// jobs in one transaction, so a delivery is acknowledged only once it is
// durable. SQLite (embedded, one process) by default; PostgreSQL when a
// database URL is given (several replicas share it).
//
// One job per pull request: its unique key is the pull request, held while
// the job is available, scheduled, running or retryable, so a burst of
// events coalesces and no two workers ever hold the same pull request. An
// event that arrives while the pull request's job is running bumps the pull
// request's request sequence; the job completes (in the same transaction
// as it checks the sequence) only if nothing arrived meanwhile, and
// otherwise runs once more.
package queue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Handler does the work of the jobs; the App implements it.
type Handler interface {
	// Evaluate evaluates a pull request and carries out reqs (requests
	// stored with its deliveries since its last evaluation).
	Evaluate(ctx context.Context, pr PR, reqs []Request) error
	MergeGroup(ctx context.Context, a MergeGroupArgs) error
	// SweepRepo lists the open pull requests of a repository to evaluate.
	SweepRepo(ctx context.Context, a SweepRepoArgs) ([]PR, error)
	// Reconcile is the periodic repair (leader-elected: one per interval).
	Reconcile(ctx context.Context, q *Queue) error
}

// Options configure a Queue.
type Options struct {
	// DatabaseURL selects PostgreSQL (postgres:// or postgresql://);
	// empty means SQLite at SQLitePath.
	DatabaseURL string
	SQLitePath  string
	// SQLiteSynchronous is SQLite's synchronous pragma: FULL (default:
	// an acknowledged delivery survives a power loss) or NORMAL (survives
	// a crash of the process).
	SQLiteSynchronous string
	Workers           int           // concurrent jobs per process (default 10)
	JobTimeout        time.Duration // default 2 min
	RescueAfter       time.Duration // a job running longer is presumed dead (default JobTimeout + 1 min)
	Debounce          time.Duration // delay before a pull request's first evaluation (default 0)
	ReconcileInterval time.Duration // period of the repair job (default 5 min; negative: off)
	BatchMax          int           // deliveries per insert transaction (default 256)
	ID                string        // this process's name among replicas
	Logger            *slog.Logger
	Handler           Handler
	// OnJob observes every finished job (metrics).
	OnJob func(kind string, d time.Duration, err error)
}

func (o *Options) defaults() {
	if o.Workers <= 0 {
		o.Workers = 10
	}
	if o.JobTimeout <= 0 {
		o.JobTimeout = 2 * time.Minute
	}
	if o.RescueAfter <= o.JobTimeout {
		o.RescueAfter = o.JobTimeout + time.Minute
	}
	if o.ReconcileInterval == 0 {
		o.ReconcileInterval = 5 * time.Minute
	}
	if o.BatchMax <= 0 {
		o.BatchMax = 256
	}
	if o.SQLitePath == "" {
		o.SQLitePath = "contribution-policy.db"
	}
	if o.SQLiteSynchronous == "" {
		o.SQLiteSynchronous = "FULL"
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// IsPostgres reports whether a database URL names PostgreSQL.
func IsPostgres(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

// engine is the driver-specific half (backend[TTx]).
type engine interface {
	store(ctx context.Context, ds []*Delivery) ([]Outcome, error)
	enqueuePRs(ctx context.Context, prs []PR) error
	start(ctx context.Context) error
	stop(ctx context.Context) error
	db() execer
	reader() execer
	close()
}

// Queue is the durable queue.
type Queue struct {
	opts Options
	eng  engine
	in   chan *submission
	wg   sync.WaitGroup
	// closed is closed by Close; Submit then refuses.
	mu     sync.RWMutex
	closed bool
}

type submission struct {
	d   *Delivery
	out chan result
}

type result struct {
	o   Outcome
	err error
}

// Open connects to the database, migrates it (River's tables and the
// queue's own) and builds the River client. Start starts working.
func Open(ctx context.Context, o Options) (*Queue, error) {
	o.defaults()
	if o.Handler == nil {
		return nil, errors.New("queue: no handler")
	}
	q := &Queue{opts: o, in: make(chan *submission, 4096)}
	var err error
	if IsPostgres(o.DatabaseURL) {
		q.eng, err = openPostgres(ctx, q)
	} else if o.DatabaseURL != "" {
		return nil, fmt.Errorf("DATABASE_URL must be a postgres:// or postgresql:// URL")
	} else {
		q.eng, err = openSQLite(ctx, q)
	}
	if err != nil {
		return nil, err
	}
	batchers := 1
	if IsPostgres(o.DatabaseURL) {
		batchers = 4
	}
	for i := 0; i < batchers; i++ {
		q.wg.Add(1)
		go q.batcher()
	}
	return q, nil
}

// Submit stores a delivery and the work it asks for, durably, and returns
// once it is committed (Duplicate: the delivery id was seen before and
// nothing was added).
func (q *Queue) Submit(ctx context.Context, d *Delivery) (Outcome, error) {
	q.mu.RLock()
	if q.closed {
		q.mu.RUnlock()
		return 0, errors.New("queue: shutting down")
	}
	s := &submission{d: d, out: make(chan result, 1)}
	q.in <- s
	q.mu.RUnlock()
	select {
	case r := <-s.out:
		return r.o, r.err
	case <-ctx.Done():
		// The batch may still commit; GitHub will see a failure and the
		// redelivery (same id) is then a harmless duplicate.
		return 0, ctx.Err()
	}
}

// batcher groups submissions into one transaction: a commit (an fsync) per
// batch rather than per delivery.
func (q *Queue) batcher() {
	defer q.wg.Done()
	for first := range q.in {
		batch := []*submission{first}
	drain:
		for len(batch) < q.opts.BatchMax {
			select {
			case s, ok := <-q.in:
				if !ok {
					break drain
				}
				batch = append(batch, s)
			default:
				break drain
			}
		}
		ds := make([]*Delivery, len(batch))
		for i, s := range batch {
			ds[i] = s.d
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		outs, err := q.eng.store(ctx, ds)
		cancel()
		for i, s := range batch {
			if err != nil {
				s.out <- result{err: err}
			} else {
				s.out <- result{o: outs[i]}
			}
		}
	}
}

// EnqueuePRs asks for an evaluation of each pull request (sweeps).
func (q *Queue) EnqueuePRs(ctx context.Context, prs []PR) error {
	if len(prs) == 0 {
		return nil
	}
	for len(prs) > 0 {
		n := min(len(prs), q.opts.BatchMax)
		if err := q.eng.enqueuePRs(ctx, prs[:n]); err != nil {
			return err
		}
		prs = prs[n:]
	}
	return nil
}

// Start starts the workers (and, on the elected leader, the periodic
// reconcile job and River's maintenance).
func (q *Queue) Start(ctx context.Context) error { return q.eng.start(ctx) }

// Stop stops taking deliveries, then stops the workers: running jobs may
// finish until ctx ends; those still running then are cancelled and
// retried later (by this process or another).
func (q *Queue) Stop(ctx context.Context) error {
	q.mu.Lock()
	if !q.closed {
		q.closed = true
		close(q.in)
	}
	q.mu.Unlock()
	q.wg.Wait()
	return q.eng.stop(ctx)
}

// Close releases the database.
func (q *Queue) Close() { q.eng.close() }

// Depth counts River's jobs by state (for /metrics).
func (q *Queue) Depth(ctx context.Context) (map[string]int64, error) {
	out := map[string]int64{}
	err := q.eng.reader().QueryRows(ctx, `SELECT state, COUNT(*) FROM river_job GROUP BY state`, nil, func(scan func(...any) error) error {
		var s string
		var n int64
		if err := scan(&s, &n); err != nil {
			return err
		}
		out[s] = n
		return nil
	})
	return out, err
}

// Ping checks the database (for /readyz).
func (q *Queue) Ping(ctx context.Context) error {
	_, _, err := q.eng.db().QueryInt64(ctx, `SELECT 1`)
	return err
}

// KnownDelivery reports whether a delivery id was stored (the redelivery
// pass skips those: they were received, whatever GitHub logged).
func (q *Queue) KnownDelivery(ctx context.Context, id string) (bool, error) {
	_, ok, err := q.eng.reader().QueryInt64(ctx, `SELECT 1 FROM cp_delivery WHERE id = ?`, id)
	return ok, err
}

// DeliveryStatus is a stored delivery's state (tests and operators).
type DeliveryStatus struct {
	ID        string
	PRKey     string
	Processed bool
}

// Deliveries lists the stored deliveries.
func (q *Queue) Deliveries(ctx context.Context) ([]DeliveryStatus, error) {
	var out []DeliveryStatus
	err := q.eng.reader().QueryRows(ctx, `SELECT id, pr_key, processed_at FROM cp_delivery ORDER BY received_at`, nil, func(scan func(...any) error) error {
		var d DeliveryStatus
		var p *int64
		if err := scan(&d.ID, &d.PRKey, &p); err != nil {
			return err
		}
		d.Processed = p != nil
		out = append(out, d)
		return nil
	})
	return out, err
}

// Get and Set keep small values across restarts and replicas (sweep
// checkpoints).
func (q *Queue) Get(ctx context.Context, k string) (string, bool, error) {
	var v string
	found := false
	err := q.eng.db().QueryRows(ctx, `SELECT v FROM cp_kv WHERE k = ?`, []any{k}, func(scan func(...any) error) error {
		found = true
		return scan(&v)
	})
	return v, found, err
}

// Set stores a value.
func (q *Queue) Set(ctx context.Context, k, v string) error {
	_, err := q.eng.db().Exec(ctx, `INSERT INTO cp_kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v`, k, v)
	return err
}

// RequeueUnfinished asks again for every pull request whose latest request
// never completed (its job was discarded after its last attempt, say).
func (q *Queue) RequeueUnfinished(ctx context.Context) (int, error) {
	var prs []PR
	err := q.eng.db().QueryRows(ctx, `SELECT installation_id, owner, repo, number FROM cp_pr WHERE requested_seq > done_seq`, nil,
		func(scan func(...any) error) error {
			var p PR
			var n int64
			if err := scan(&p.InstallationID, &p.Owner, &p.Repo, &n); err != nil {
				return err
			}
			p.Number = int(n)
			prs = append(prs, p)
			return nil
		})
	if err != nil {
		return 0, err
	}
	// A pull request with a job still pending or running dedupes onto it.
	return len(prs), q.EnqueuePRs(ctx, prs)
}

// Prune deletes processed deliveries older than keep (GitHub redelivers
// for 3 days, 7 on GHES; keep longer than that).
func (q *Queue) Prune(ctx context.Context, keep time.Duration) error {
	cutoff := time.Now().Add(-keep).UnixMilli()
	_, err := q.eng.db().Exec(ctx, `DELETE FROM cp_delivery WHERE processed_at IS NOT NULL AND received_at < ?`, cutoff)
	if err == nil {
		_, err = q.eng.db().Exec(ctx, `DELETE FROM cp_request WHERE done_at IS NOT NULL AND created_at < ?`, cutoff)
	}
	return err
}

// ---- shared River configuration ----

// retryPolicy backs off exponentially with jitter: 10 s, 20 s, 40 s, ...,
// capped at 15 min.
type retryPolicy struct{}

func (retryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	n := max(job.Attempt, 1)
	d := 10 * time.Second << min(n-1, 10)
	if d > 15*time.Minute {
		d = 15 * time.Minute
	}
	d = d/2 + rand.N(d/2+1)
	return time.Now().Add(d)
}

const maxAttempts = 12

func (q *Queue) riverConfig(workers *river.Workers, pollOnly bool) *river.Config {
	o := q.opts
	cfg := &river.Config{
		ID:                          o.ID,
		Queues:                      map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: o.Workers}},
		Workers:                     workers,
		JobTimeout:                  o.JobTimeout,
		RescueStuckJobsAfter:        o.RescueAfter,
		MaxAttempts:                 maxAttempts,
		RetryPolicy:                 retryPolicy{},
		CompletedJobRetentionPeriod: time.Hour,
		Logger:                      riverLogger(o.Logger),
		PollOnly:                    pollOnly,
	}
	if pollOnly {
		// SQLite has no LISTEN/NOTIFY: River polls. Every fetch is a write
		// on the one connection the acknowledgements also need, so poll at
		// a pace that costs little (a job waits 200 ms at most to start).
		cfg.FetchPollInterval = 200 * time.Millisecond
		cfg.FetchCooldown = 100 * time.Millisecond
	}
	if o.ReconcileInterval > 0 {
		iv := o.ReconcileInterval
		cfg.PeriodicJobs = []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(iv),
			func() (river.JobArgs, *river.InsertOpts) {
				return ReconcileArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: iv}}
			}, &river.PeriodicJobOpts{ID: "cp_reconcile", RunOnStart: true})}
	}
	return cfg
}

// riverLogger keeps River's own logging at warnings and above.
func riverLogger(l *slog.Logger) *slog.Logger {
	return slog.New(levelFilter{h: l.Handler(), min: slog.LevelWarn})
}

type levelFilter struct {
	h   slog.Handler
	min slog.Level
}

func (f levelFilter) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= f.min && f.h.Enabled(ctx, l)
}
func (f levelFilter) Handle(ctx context.Context, r slog.Record) error { return f.h.Handle(ctx, r) }
func (f levelFilter) WithAttrs(a []slog.Attr) slog.Handler {
	return levelFilter{h: f.h.WithAttrs(a), min: f.min}
}
func (f levelFilter) WithGroup(n string) slog.Handler {
	return levelFilter{h: f.h.WithGroup(n), min: f.min}
}

func (q *Queue) evaluateOpts() *river.InsertOpts {
	o := &river.InsertOpts{UniqueOpts: uniqueOpts(), MaxAttempts: maxAttempts}
	if q.opts.Debounce > 0 {
		o.ScheduledAt = time.Now().Add(q.opts.Debounce)
	}
	return o
}

func (q *Queue) observe(kind string, start time.Time, err error) {
	if q.opts.OnJob != nil {
		q.opts.OnJob(kind, time.Since(start), err)
	}
}

// schema is the queue's own tables, the same SQL on SQLite and PostgreSQL.
var schema = []string{
	`CREATE TABLE IF NOT EXISTS cp_delivery (
		id TEXT PRIMARY KEY,
		event TEXT NOT NULL,
		action TEXT NOT NULL,
		installation_id BIGINT NOT NULL,
		pr_key TEXT NOT NULL,
		seq BIGINT NOT NULL DEFAULT 0,
		received_at BIGINT NOT NULL,
		processed_at BIGINT
	)`,
	`CREATE INDEX IF NOT EXISTS cp_delivery_pr ON cp_delivery (pr_key, seq)`,
	`CREATE INDEX IF NOT EXISTS cp_delivery_received ON cp_delivery (received_at)`,
	`CREATE TABLE IF NOT EXISTS cp_pr (
		pr_key TEXT PRIMARY KEY,
		installation_id BIGINT NOT NULL,
		owner TEXT NOT NULL,
		repo TEXT NOT NULL,
		number BIGINT NOT NULL,
		requested_seq BIGINT NOT NULL,
		done_seq BIGINT NOT NULL DEFAULT 0,
		updated_at BIGINT NOT NULL
	)`,
	`CREATE TABLE IF NOT EXISTS cp_request (
		id TEXT PRIMARY KEY,
		pr_key TEXT NOT NULL,
		kind TEXT NOT NULL,
		head_sha TEXT NOT NULL,
		login TEXT NOT NULL,
		check_run_id BIGINT NOT NULL,
		payload TEXT NOT NULL DEFAULT '',
		created_at BIGINT NOT NULL,
		done_at BIGINT
	)`,
	`CREATE INDEX IF NOT EXISTS cp_request_pr ON cp_request (pr_key)`,
	`CREATE TABLE IF NOT EXISTS cp_kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)`,
}
