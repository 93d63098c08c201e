package app

import (
	"context"
	"errors"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/gh"
	"github.com/contribution-policy/contribution-policy/internal/queue"
)

// Reconcile windows.
const (
	// deliveryRetention is how far back GitHub's delivery log can be
	// redelivered from (3 days on github.com).
	deliveryRetention = 72 * time.Hour
	// overlap re-reads a margin before each checkpoint: deliveries can take
	// minutes to appear in the log, and clocks differ.
	overlap = 10 * time.Minute
	// maxRedeliveries bounds one pass (a redelivery is a delivery too).
	maxRedeliveries = 200
	// maxAttemptsPerDelivery bounds the redeliveries of one delivery seen
	// in the window read (a delivery our server keeps refusing is not
	// retried forever).
	maxAttemptsPerDelivery = 3
	keepDeliveries         = 8 * 24 * time.Hour
)

// Reconcile is the periodic repair job (queue.Handler), run by one replica
// per interval (River's periodic jobs are enqueued by the elected leader,
// uniquely per period). It redelivers failed deliveries, evaluates open
// pull requests updated since the last sweep (a lost webhook is repaired
// within one interval), requeues pull requests whose last request never
// completed, and prunes old deliveries.
func (s *Server) Reconcile(ctx context.Context, q *queue.Queue) error {
	start := time.Now()
	var errs []error
	redelivered := 0
	if s.cfg.Redeliver {
		n, err := s.redeliver(ctx, q, start)
		redelivered = n
		errs = append(errs, err)
	}
	swept, err := s.sweepUpdated(ctx, q, start)
	errs = append(errs, err)
	requeued, err := q.RequeueUnfinished(ctx)
	errs = append(errs, err)
	errs = append(errs, q.Prune(ctx, keepDeliveries))
	err = errors.Join(errs...)
	s.log.Info("reconciled", "replica", s.cfg.ReplicaID, "redelivered", redelivered, "swept_prs", swept, "requeued", requeued,
		"duration_ms", time.Since(start).Milliseconds(), "err", err)
	return err
}

// redeliver asks GitHub to deliver again every delivery of the last 3 days
// whose every attempt failed and that we never stored.
func (s *Server) redeliver(ctx context.Context, q *queue.Queue, now time.Time) (int, error) {
	since := now.Add(-deliveryRetention)
	if v, ok, err := q.Get(ctx, "redeliver_since"); err == nil && ok {
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil && t.Add(-overlap).After(since) {
			since = t.Add(-overlap)
		}
	}
	ok := map[string]bool{}
	var failed []gh.Delivery // newest failed attempt per GUID
	seen := map[string]bool{}
	retries := map[string]int{}
	err := s.gh.HookDeliveries(ctx, since, func(d gh.Delivery) bool {
		if d.Redelivery {
			retries[d.GUID]++
		}
		if d.OK() {
			ok[d.GUID] = true
		} else if !seen[d.GUID] {
			seen[d.GUID] = true
			failed = append(failed, d)
		}
		return true
	})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, d := range failed {
		if ok[d.GUID] || n >= maxRedeliveries || retries[d.GUID] >= maxAttemptsPerDelivery {
			continue
		}
		known, err := q.KnownDelivery(ctx, d.GUID)
		if err != nil {
			return n, err
		}
		if known {
			continue
		}
		if err := s.gh.Redeliver(ctx, d.ID); err != nil {
			s.log.Warn("redelivery failed", LogKeyDeliveryID, d.GUID, "err", err)
			continue
		}
		n++
		s.metrics.redelivered.Inc()
		s.log.Info("redelivered a failed delivery", LogKeyDeliveryID, d.GUID, LogKeyEventType, d.Event)
	}
	// The next pass starts where this one did (minus the overlap).
	return n, q.Set(ctx, "redeliver_since", now.UTC().Format(time.RFC3339Nano))
}

// sweepUpdated queues every open pull request updated since the last
// sweep, per installation (one search request per 100 pull requests).
func (s *Server) sweepUpdated(ctx context.Context, q *queue.Queue, now time.Time) (int, error) {
	since := now.Add(-2 * s.cfg.ReconcileInterval)
	if v, ok, err := q.Get(ctx, "sweep_since"); err == nil && ok {
		if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
			since = t.Add(-overlap)
		}
	}
	insts, err := s.gh.ListInstallations(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	var errs []error
	for _, in := range insts {
		inst, err := s.gh.Installation(in.ID)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		prs, err := inst.Client.UpdatedOpenPRs(ctx, in.Account, since)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		list := make([]queue.PR, 0, len(prs))
		for _, p := range prs {
			list = append(list, queue.PR{InstallationID: in.ID, Owner: p.Owner, Repo: p.Repo, Number: p.Number})
		}
		if err := q.EnqueuePRs(ctx, list); err != nil {
			errs = append(errs, err)
			continue
		}
		total += len(list)
	}
	if err := errors.Join(errs...); err != nil {
		return total, err // keep the checkpoint: the next pass covers this window again
	}
	return total, q.Set(ctx, "sweep_since", now.UTC().Format(time.RFC3339Nano))
}
