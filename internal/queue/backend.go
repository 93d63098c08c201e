package queue

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// backend is the queue on one River driver; TTx is the driver's
// transaction type (*sql.Tx for SQLite, pgx.Tx for PostgreSQL).
type backend[TTx any] struct {
	q      *Queue
	client *river.Client[TTx]
	pool   execer
	// reads serves reads that need no write lock (SQLite: read-only WAL
	// connections beside the one writer; PostgreSQL: the pool).
	reads    execer
	begin    func(ctx context.Context) (TTx, error)
	commit   func(ctx context.Context, tx TTx) error
	rollback func(ctx context.Context, tx TTx) error
	wrap     func(tx TTx) execer
	// complete marks the job completed inside tx (river.JobCompleteTx for
	// the driver).
	complete func(ctx context.Context, tx TTx, job *river.Job[EvaluateArgs]) error
	// forUpdate locks the pull request's row while its job completes
	// (PostgreSQL; SQLite transactions are serialised anyway).
	forUpdate string
	closeFn   func()
	// durableTx, when set, runs the transactions that store deliveries
	// (SQLite: with synchronous=FULL on a connection whose other
	// transactions run with NORMAL; see sqlite.go).
	durableTx func(ctx context.Context, fn func(tx TTx, x execer) error) error
}

func (b *backend[TTx]) db() execer { return b.pool }

func (b *backend[TTx]) reader() execer {
	if b.reads != nil {
		return b.reads
	}
	return b.pool
}
func (b *backend[TTx]) close() { b.closeFn() }

func (b *backend[TTx]) start(ctx context.Context) error { return b.client.Start(ctx) }

func (b *backend[TTx]) stop(ctx context.Context) error {
	err := b.client.Stop(ctx)
	if err != nil {
		// Out of time: cancel what still runs; River retries it later.
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = b.client.StopAndCancel(cctx)
	}
	return err
}

func (b *backend[TTx]) workers() *river.Workers {
	w := river.NewWorkers()
	river.AddWorker(w, &evaluateWorker[TTx]{b: b})
	river.AddWorker(w, &mergeGroupWorker[TTx]{b: b})
	river.AddWorker(w, &sweepRepoWorker[TTx]{b: b})
	river.AddWorker(w, &reconcileWorker[TTx]{b: b})
	return w
}

// inTx runs fn in a transaction.
func (b *backend[TTx]) inTx(ctx context.Context, fn func(tx TTx, x execer) error) error {
	tx, err := b.begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx, b.wrap(tx)); err != nil {
		_ = b.rollback(ctx, tx)
		return err
	}
	if err := b.commit(ctx, tx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// bump records one more request for a pull request and returns its new
// sequence number.
func bump(ctx context.Context, x execer, pr PR, now int64) (int64, error) {
	return bumpBy(ctx, x, pr, 1, now)
}

// bumpBy records n more requests.
func bumpBy(ctx context.Context, x execer, pr PR, n int, now int64) (int64, error) {
	seq, _, err := x.QueryInt64(ctx, `INSERT INTO cp_pr (pr_key, installation_id, owner, repo, number, requested_seq, done_seq, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, 0, ?)
		ON CONFLICT (pr_key) DO UPDATE SET requested_seq = cp_pr.requested_seq + excluded.requested_seq,
			installation_id = excluded.installation_id, updated_at = excluded.updated_at
		RETURNING requested_seq`, pr.Key(), pr.InstallationID, pr.Owner, pr.Repo, pr.Number, n, now)
	if err != nil {
		return 0, fmt.Errorf("record request for %s: %w", pr, err)
	}
	return seq, nil
}

// store writes a batch of deliveries and their jobs in one transaction,
// with a handful of statements per batch rather than per delivery: one
// multi-row insert of the deliveries (duplicates skipped), one upsert per
// pull request bumping its request sequence by its new deliveries, and one
// River insert of the batch's jobs.
func (b *backend[TTx]) store(ctx context.Context, ds []*Delivery) ([]Outcome, error) {
	outs := make([]Outcome, len(ds))
	run := b.inTx
	if b.durableTx != nil {
		run = b.durableTx
	}
	err := run(ctx, func(tx TTx, x execer) error {
		now := time.Now().UnixMilli()
		// Ids repeated within the batch: the first one counts.
		first := map[string]int{}
		var rows []int
		for i, d := range ds {
			if _, dup := first[d.ID]; dup {
				outs[i] = Duplicate
				continue
			}
			first[d.ID] = i
			rows = append(rows, i)
		}
		inserted := map[string]bool{}
		for len(rows) > 0 {
			chunk := rows[:min(len(rows), 500)]
			rows = rows[len(chunk):]
			var q strings.Builder
			q.WriteString(`INSERT INTO cp_delivery (id, event, action, installation_id, pr_key, seq, received_at, processed_at) VALUES `)
			args := make([]any, 0, 7*len(chunk))
			for j, i := range chunk {
				d := ds[i]
				if j > 0 {
					q.WriteString(", ")
				}
				q.WriteString("(?, ?, ?, ?, ?, 0, ?, ?)")
				prKey := ""
				var processed any
				if d.PR != nil {
					prKey = d.PR.Key()
				} else {
					// Other work is durable once its jobs are queued below.
					processed = now
				}
				args = append(args, d.ID, d.Event, d.Action, d.InstallationID, prKey, now, processed)
			}
			q.WriteString(" ON CONFLICT (id) DO NOTHING RETURNING id")
			err := x.QueryRows(ctx, q.String(), args, func(scan func(...any) error) error {
				var id string
				if err := scan(&id); err != nil {
					return err
				}
				inserted[id] = true
				return nil
			})
			if err != nil {
				return fmt.Errorf("store deliveries: %w", err)
			}
		}
		var jobs jobSet
		type prBatch struct {
			pr PR
			n  int
		}
		var order []string
		batchPRs := map[string]*prBatch{}
		for i, d := range ds {
			if outs[i] == Duplicate || !inserted[d.ID] {
				outs[i] = Duplicate
				continue
			}
			outs[i] = Stored
			if d.PR != nil {
				key := d.PR.Key()
				if batchPRs[key] == nil {
					batchPRs[key] = &prBatch{pr: *d.PR}
					order = append(order, key)
				}
				batchPRs[key].n++
				if r := d.Request; r != nil {
					payload := ""
					if r.Comment != nil {
						b, err := json.Marshal(r.Comment)
						if err != nil {
							return err
						}
						payload = string(b)
					}
					if _, err := x.Exec(ctx, `INSERT INTO cp_request (id, pr_key, kind, head_sha, login, check_run_id, payload, created_at)
						VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
						d.ID, key, r.Kind, r.HeadSHA, r.Login, r.CheckRunID, payload, now); err != nil {
						return err
					}
				}
			}
			if mg := d.MergeGroup; mg != nil {
				jobs.add("m:"+mg.Owner+"/"+mg.Repo+"@"+mg.HeadSHA, *mg, &river.InsertOpts{UniqueOpts: uniqueOpts(), MaxAttempts: maxAttempts})
			}
			for _, r := range d.Repos {
				jobs.add("s:"+r.Owner+"/"+r.Repo, r, &river.InsertOpts{UniqueOpts: uniqueOpts(), MaxAttempts: maxAttempts})
			}
		}
		for _, key := range order {
			pb := batchPRs[key]
			seq, err := bumpBy(ctx, x, pb.pr, pb.n, now)
			if err != nil {
				return err
			}
			// The batch's new deliveries (seq 0) share the final sequence
			// number: they are committed together.
			if _, err := x.Exec(ctx, `UPDATE cp_delivery SET seq = ? WHERE pr_key = ? AND seq = 0`, seq, key); err != nil {
				return err
			}
			jobs.add("e:"+key, EvaluateArgs{PR: pb.pr}, b.q.evaluateOpts())
		}
		return b.insert(ctx, tx, jobs)
	})
	return outs, err
}

func (b *backend[TTx]) enqueuePRs(ctx context.Context, prs []PR) error {
	return b.inTx(ctx, func(tx TTx, x execer) error {
		now := time.Now().UnixMilli()
		var jobs jobSet
		for _, pr := range prs {
			if _, err := bump(ctx, x, pr, now); err != nil {
				return err
			}
			jobs.add("e:"+pr.Key(), EvaluateArgs{PR: pr}, b.q.evaluateOpts())
		}
		return b.insert(ctx, tx, jobs)
	})
}

// jobSet collects a batch's jobs, one per unique key.
type jobSet struct {
	seen   map[string]bool
	params []river.InsertManyParams
}

func (j *jobSet) add(key string, args river.JobArgs, opts *river.InsertOpts) {
	if j.seen == nil {
		j.seen = map[string]bool{}
	}
	if j.seen[key] {
		return
	}
	j.seen[key] = true
	j.params = append(j.params, river.InsertManyParams{Args: args, InsertOpts: opts})
}

// insert inserts the jobs; a job that coalesced onto one waiting for its
// next retry makes that one run now (the new event may be what fixes it).
func (b *backend[TTx]) insert(ctx context.Context, tx TTx, jobs jobSet) error {
	if len(jobs.params) == 0 {
		return nil
	}
	res, err := b.client.InsertManyTx(ctx, tx, jobs.params)
	if err != nil {
		return fmt.Errorf("queue jobs: %w", err)
	}
	for _, r := range res {
		if r.UniqueSkippedAsDuplicate && r.Job != nil && r.Job.State == rivertype.JobStateRetryable {
			if _, err := b.client.JobRetryTx(ctx, tx, r.Job.ID); err != nil {
				return fmt.Errorf("retry job %d now: %w", r.Job.ID, err)
			}
		}
	}
	return nil
}

// ---- workers ----

type evaluateWorker[TTx any] struct {
	river.WorkerDefaults[EvaluateArgs]
	b *backend[TTx]
}

func (w *evaluateWorker[TTx]) Work(ctx context.Context, job *river.Job[EvaluateArgs]) error {
	b := w.b
	key := job.Args.Key()
	// Every request stored before this point is covered by this run: it
	// reads GitHub afresh after it.
	seq, _, err := b.reader().QueryInt64(ctx, `SELECT requested_seq FROM cp_pr WHERE pr_key = ?`, key)
	if err != nil {
		return fmt.Errorf("read request sequence of %s: %w", key, err)
	}
	var reqs []Request
	err = b.reader().QueryRows(ctx, `SELECT id, kind, head_sha, login, check_run_id, payload FROM cp_request WHERE pr_key = ? AND done_at IS NULL ORDER BY created_at`,
		[]any{key}, func(scan func(...any) error) error {
			var r Request
			var payload string
			if err := scan(&r.ID, &r.Kind, &r.HeadSHA, &r.Login, &r.CheckRunID, &payload); err != nil {
				return err
			}
			r.DeliveryID = r.ID
			if payload != "" {
				r.Comment = new(Comment)
				if err := json.Unmarshal([]byte(payload), r.Comment); err != nil {
					return fmt.Errorf("request %s: %w", r.ID, err)
				}
			}
			reqs = append(reqs, r)
			return nil
		})
	if err != nil {
		return fmt.Errorf("read requests of %s: %w", key, err)
	}
	start := time.Now()
	err = b.q.opts.Handler.Evaluate(ctx, job.Args.PR, reqs)
	b.q.observe(job.Kind, start, err)
	if err != nil {
		return err
	}
	again := false
	err = b.inTx(ctx, func(tx TTx, x execer) error {
		now := time.Now().UnixMilli()
		cur, _, err := x.QueryInt64(ctx, `SELECT requested_seq FROM cp_pr WHERE pr_key = ?`+b.forUpdate, key)
		if err != nil {
			return err
		}
		if _, err := x.Exec(ctx, `UPDATE cp_pr SET done_seq = ? WHERE pr_key = ? AND done_seq < ?`, seq, key, seq); err != nil {
			return err
		}
		if _, err := x.Exec(ctx, `UPDATE cp_delivery SET processed_at = ? WHERE pr_key = ? AND processed_at IS NULL AND seq <= ?`, now, key, seq); err != nil {
			return err
		}
		for _, r := range reqs {
			if _, err := x.Exec(ctx, `UPDATE cp_request SET done_at = ? WHERE id = ?`, now, r.ID); err != nil {
				return err
			}
		}
		if cur != seq {
			// Something arrived while this ran: run once more.
			again = true
			return nil
		}
		return b.complete(ctx, tx, job)
	})
	if err != nil {
		return fmt.Errorf("complete evaluation of %s: %w", key, err)
	}
	if again {
		return river.JobSnooze(b.q.opts.Debounce)
	}
	return nil
}

func (w *evaluateWorker[TTx]) Timeout(*river.Job[EvaluateArgs]) time.Duration {
	return w.b.q.opts.JobTimeout
}

type mergeGroupWorker[TTx any] struct {
	river.WorkerDefaults[MergeGroupArgs]
	b *backend[TTx]
}

func (w *mergeGroupWorker[TTx]) Work(ctx context.Context, job *river.Job[MergeGroupArgs]) error {
	start := time.Now()
	err := w.b.q.opts.Handler.MergeGroup(ctx, job.Args)
	w.b.q.observe(job.Kind, start, err)
	return err
}

type sweepRepoWorker[TTx any] struct {
	river.WorkerDefaults[SweepRepoArgs]
	b *backend[TTx]
}

func (w *sweepRepoWorker[TTx]) Work(ctx context.Context, job *river.Job[SweepRepoArgs]) error {
	start := time.Now()
	prs, err := w.b.q.opts.Handler.SweepRepo(ctx, job.Args)
	if err == nil {
		err = w.b.q.EnqueuePRs(ctx, prs)
	}
	w.b.q.observe(job.Kind, start, err)
	return err
}

type reconcileWorker[TTx any] struct {
	river.WorkerDefaults[ReconcileArgs]
	b *backend[TTx]
}

func (w *reconcileWorker[TTx]) Work(ctx context.Context, job *river.Job[ReconcileArgs]) error {
	start := time.Now()
	err := w.b.q.opts.Handler.Reconcile(ctx, w.b.q)
	w.b.q.observe(job.Kind, start, err)
	return err
}
