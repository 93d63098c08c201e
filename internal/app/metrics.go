package app

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/contribution-policy/contribution-policy/internal/transport"
)

// metrics is the App's Prometheus registry (its own, not the global one).
type metrics struct {
	reg         *prometheus.Registry
	deliveries  *prometheus.CounterVec
	ack         *prometheus.HistogramVec
	jobs        *prometheus.HistogramVec
	redelivered prometheus.Counter
}

func newMetrics(s *Server) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.deliveries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "contribution_policy_webhook_deliveries_total",
		Help: "Webhook deliveries by event and outcome (stored, duplicate, ignored, ping, unauthorized, bad_request, error).",
	}, []string{"event", "outcome"})
	m.ack = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "contribution_policy_webhook_ack_seconds",
		Help:    "Time from receiving a delivery to acknowledging it (durably stored).",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
	}, []string{"outcome"})
	m.jobs = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "contribution_policy_job_duration_seconds",
		Help:    "Job latency by kind and outcome.",
		Buckets: prometheus.ExponentialBuckets(0.01, 2.5, 12),
	}, []string{"kind", "outcome"})
	m.redelivered = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "contribution_policy_redeliveries_total",
		Help: "Failed deliveries the reconciler asked GitHub to deliver again.",
	})
	m.reg.MustRegister(m.deliveries, m.ack, m.jobs, m.redelivered,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&stateCollector{s: s})
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

func (m *metrics) delivery(event, outcome string, d time.Duration) {
	m.deliveries.WithLabelValues(event, outcome).Inc()
	m.ack.WithLabelValues(outcome).Observe(d.Seconds())
}

func (m *metrics) job(kind string, d time.Duration, err error) {
	o := "ok"
	if err != nil {
		o = "error"
	}
	m.jobs.WithLabelValues(kind, o).Observe(d.Seconds())
}

// stateCollector reports, at scrape time, the queue depth by job state and
// the GitHub API use and rate-limit remaining per installation (from each
// installation's transport.Stats).
type stateCollector struct{ s *Server }

var (
	descDepth     = prometheus.NewDesc("contribution_policy_queue_jobs", "Jobs in the queue by state.", []string{"state"}, nil)
	descAPI       = prometheus.NewDesc("contribution_policy_github_requests_total", "GitHub API requests by installation and kind (read, write, graphql).", []string{"installation", "kind"}, nil)
	descRetries   = prometheus.NewDesc("contribution_policy_github_retries_total", "GitHub API retries by installation.", []string{"installation"}, nil)
	descRemaining = prometheus.NewDesc("contribution_policy_github_rate_limit_remaining", "X-RateLimit-Remaining last seen, by installation and resource.", []string{"installation", "resource"}, nil)
)

func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descDepth
	ch <- descAPI
	ch <- descRetries
	ch <- descRemaining
}

func (c *stateCollector) Collect(ch chan<- prometheus.Metric) {
	if c.s.queue != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		depth, err := c.s.queue.Depth(ctx)
		cancel()
		if err == nil {
			for _, st := range []string{"available", "scheduled", "running", "retryable", "completed", "discarded", "cancelled", "pending"} {
				ch <- prometheus.MustNewConstMetric(descDepth, prometheus.GaugeValue, float64(depth[st]), st)
			}
		}
	}
	if c.s.gh == nil {
		return
	}
	// An installation's plain client and its repository-scoped writers
	// add up; the rate limit is the installation's (the latest seen).
	type agg struct {
		reads, writes, gql, retries int64
		remaining                   map[string]transport.RateLimit
	}
	by := map[int64]*agg{}
	var ids []int64
	for _, inst := range c.s.gh.Installations() {
		a := by[inst.ID]
		if a == nil {
			a = &agg{remaining: map[string]transport.RateLimit{}}
			by[inst.ID] = a
			ids = append(ids, inst.ID)
		}
		sn := inst.Stats.Snapshot()
		a.reads += sn.Reads
		a.writes += sn.Writes
		a.gql += sn.GraphQLQueries + sn.GraphQLMutations
		a.retries += sn.Retries
		for res, rl := range sn.RateLimits {
			if rl.Observed.After(a.remaining[res].Observed) {
				a.remaining[res] = rl
			}
		}
	}
	for _, idn := range ids {
		a, id := by[idn], strconv.FormatInt(idn, 10)
		ch <- prometheus.MustNewConstMetric(descAPI, prometheus.CounterValue, float64(a.reads), id, "read")
		ch <- prometheus.MustNewConstMetric(descAPI, prometheus.CounterValue, float64(a.writes), id, "write")
		ch <- prometheus.MustNewConstMetric(descAPI, prometheus.CounterValue, float64(a.gql), id, "graphql")
		ch <- prometheus.MustNewConstMetric(descRetries, prometheus.CounterValue, float64(a.retries), id)
		for res, rl := range a.remaining {
			ch <- prometheus.MustNewConstMetric(descRemaining, prometheus.GaugeValue, float64(rl.Remaining), id, res)
		}
	}
	sn := c.s.gh.AppStats().Snapshot()
	ch <- prometheus.MustNewConstMetric(descAPI, prometheus.CounterValue, float64(sn.Reads+sn.Writes), "app", "app")
}
