// Package app is `contribution-policy serve`: the GitHub App. Webhooks are
// verified, turned into work and stored durably by internal/queue before
// they are acknowledged; workers run the same pipeline as the Action, with
// the App's installation tokens, and report with check runs. One file per
// event (pull_request.go, issue_comment.go, ...), as policy-bot's handler/.
package app

import (
	"context"
	"errors"
	"fmt"
	"github.com/contribution-policy/contribution-policy/internal/affiliation"
	"github.com/contribution-policy/contribution-policy/internal/pipeline"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/gh"
	"github.com/contribution-policy/contribution-policy/internal/queue"
	"github.com/contribution-policy/contribution-policy/internal/transport"
	"github.com/contribution-policy/contribution-policy/internal/version"
)

// Server is the App.
type Server struct {
	cfg     Config
	log     *slog.Logger
	gh      *gh.App
	queue   *queue.Queue
	metrics *metrics
	configs *configResolver
	ready   atomic.Bool

	botMu    sync.Mutex
	botLogin string

	signatures *signatureDB

	// affiliationSources is the server's own affiliation data (a prebuilt
	// index, CP_AFFILIATION_INDEX), under every repository's; the cache
	// keeps repositories' parsed data files and engines between runs.
	affiliationSources []affiliation.Source
	affiliationCache   *pipeline.AffiliationCache
}

// Options are what a caller may inject (tests).
type Options struct {
	Logger *slog.Logger
	// Transport is the HTTP transport to GitHub (nil: the default).
	Transport http.RoundTripper
	// Pacer overrides the write pacing (tests: MinInterval -1).
	Pacer transport.PacerOptions
}

// New builds the server: the GitHub App clients and the queue (the
// database is opened and migrated). It refuses to start without a webhook
// secret.
func New(ctx context.Context, cfg Config, o Options) (*Server, error) {
	if len(cfg.WebhookSecrets) == 0 || len(cfg.WebhookSecrets[0]) == 0 {
		return nil, errors.New("no webhook secret: refusing to start (set GITHUB_WEBHOOK_SECRET)")
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, log: log}
	s.signatures = &signatureDB{url: s.dbURL()}
	s.affiliationCache = pipeline.NewAffiliationCache(64)
	if cfg.AffiliationIndex != "" {
		ix, err := loadAffiliationIndex(cfg.AffiliationIndex)
		if err != nil {
			return nil, err
		}
		s.affiliationSources = []affiliation.Source{ix}
	}
	s.metrics = newMetrics(s)
	app, err := gh.NewApp(gh.AppOptions{
		AppID: cfg.AppID, PrivateKey: cfg.PrivateKey, APIURL: cfg.APIURL, GraphQLURL: cfg.GraphQLURL,
		Slug: cfg.Slug, Base: o.Transport,
		Transport: transport.Options{Version: version.Version, Logger: log, Pacer: o.Pacer,
			Retry: transport.RetryOptions{MaxWait: 2 * time.Minute}},
	})
	if err != nil {
		return nil, err
	}
	s.gh = app
	defaults, err := loadDefaults(cfg.DefaultsFile)
	if err != nil {
		return nil, err
	}
	s.configs = newConfigResolver(s, defaults)
	q, err := queue.Open(ctx, queue.Options{
		DatabaseURL: cfg.DatabaseURL, SQLitePath: cfg.SQLitePath, SQLiteSynchronous: cfg.SQLiteSynchronous,
		Workers: cfg.Workers, JobTimeout: cfg.JobTimeout, RescueAfter: cfg.RescueAfter, Debounce: cfg.Debounce,
		ReconcileInterval: cfg.ReconcileInterval, ID: cfg.ReplicaID, Logger: log, Handler: s,
		OnJob: s.metrics.job,
	})
	if err != nil {
		return nil, fmt.Errorf("open the queue: %w", err)
	}
	s.queue = q
	return s, nil
}

// Queue is the server's queue (tests inspect it).
func (s *Server) Queue() *queue.Queue { return s.queue }

// Handler routes the server's HTTP endpoints.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(HookPath, s.serveHook)
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if !s.ready.Load() {
			http.Error(w, "starting or stopping", http.StatusServiceUnavailable)
			return
		}
		if err := s.queue.Ping(ctx); err != nil {
			http.Error(w, "database: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, "ready\n")
	})
	mux.Handle("/metrics", s.metrics.handler())
	return mux
}

// Serve starts the workers and serves on ln until ctx ends, then shuts down
// gracefully: stop accepting, finish the acknowledgements in flight, let
// running jobs finish until ShutdownTimeout (those still running then are
// released to be retried), close the database.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	// Cancelling River's start context would cancel running jobs at once;
	// shutdown goes through queue.Stop instead, which lets them finish.
	if err := s.queue.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("start workers: %w", err)
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second, WriteTimeout: 60 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.ready.Store(true)
	s.log.Info("serving", "addr", ln.Addr().String(), "database", s.dbKind(), "replica", s.cfg.ReplicaID, "version", version.Version)
	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	s.ready.Store(false)
	timeout := s.cfg.ShutdownTimeout
	if timeout <= 0 {
		timeout = 25 * time.Second
	}
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	s.log.Info("shutting down")
	if serr := srv.Shutdown(sctx); serr != nil && err == nil {
		err = serr
	}
	if qerr := s.queue.Stop(sctx); qerr != nil {
		s.log.Warn("jobs still running at shutdown were released for a retry", "err", qerr)
	}
	s.queue.Close()
	s.signatures.close()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// Close releases the database of a server that was never served.
func (s *Server) Close() {
	s.queue.Close()
	s.signatures.close()
}

// dbURL names the server's database for the signature store.
func (s *Server) dbURL() string {
	if queue.IsPostgres(s.cfg.DatabaseURL) {
		return s.cfg.DatabaseURL
	}
	return "sqlite:" + s.cfg.SQLitePath
}

func (s *Server) dbKind() string {
	if queue.IsPostgres(s.cfg.DatabaseURL) {
		return "postgresql"
	}
	return "sqlite:" + s.cfg.SQLitePath
}

// bot returns the App's bot login, learned once.
func (s *Server) bot(ctx context.Context) (string, error) {
	s.botMu.Lock()
	defer s.botMu.Unlock()
	if s.botLogin != "" {
		return s.botLogin, nil
	}
	b, err := s.gh.BotLogin(ctx)
	if err != nil {
		return "", err
	}
	s.botLogin = b
	return b, nil
}
