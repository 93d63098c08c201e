package gh

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v60/github"

	"github.com/contribution-policy/contribution-policy/internal/transport"
)

// AppOptions configure a GitHub App.
type AppOptions struct {
	AppID      int64
	PrivateKey []byte // PEM
	// APIURL and GraphQLURL as in Options (GHES: https://host/api/v3/).
	APIURL, GraphQLURL string
	// Slug is the App's slug; its bot posts as "<slug>[bot]". Learned from
	// GET /app/installations when empty.
	Slug string
	// Base is the HTTP transport under the stack (nil: a default one).
	Base http.RoundTripper
	// Transport configures each client's stack (retries, pacing, clock).
	Transport transport.Options
	// CacheSize bounds the installation clients kept (default 256).
	CacheSize int
	// Timeout bounds each call, retries and rate-limit waits included
	// (default: transport.CallBudget of Transport.Retry; a shorter one
	// refuses the waits the retry budget allows).
	Timeout time.Duration
}

// App is a GitHub App: a JWT-authenticated client for app endpoints and a
// bounded cache of installation clients, each with its own transport stack
// (so pacing and rate-limit state are per installation, as GitHub counts).
type App struct {
	opts AppOptions
	api  string
	apps *AppsTransport
	app  *github.Client

	mu   sync.Mutex
	slug string
	lru  *list.List // of *Installation, most recent first
	byID map[int64]*list.Element
	// scoped holds RepoWriter's clients by installation/repository.
	scoped map[string]*list.Element
	stats  *transport.Stats
}

// AppsTransport is the JWT transport (exported so tests can inspect it).
type AppsTransport = ghinstallation.AppsTransport

// Installation is one installation's client and the stats of its stack.
type Installation struct {
	ID     int64
	Client *Client
	Stats  *transport.Stats
	// scopedName is set on RepoWriter's repository-scoped clients.
	scopedName string
}

// NewApp builds the App's clients. It makes no request.
func NewApp(o AppOptions) (*App, error) {
	if o.AppID == 0 || len(o.PrivateKey) == 0 {
		return nil, errors.New("a GitHub App needs its id and private key")
	}
	if o.Base == nil {
		// A per-attempt header timeout: Timeout spans the retries.
		o.Base = transport.DefaultBase(0)
	}
	if o.CacheSize <= 0 {
		o.CacheSize = 256
	}
	if o.Timeout <= 0 {
		o.Timeout = transport.CallBudget(o.Transport.Retry)
	}
	api := o.APIURL
	if api == "" {
		api = DefaultAPIURL
	}
	if !strings.HasSuffix(api, "/") {
		api += "/"
	}
	atr, err := ghinstallation.NewAppsTransport(o.Base, o.AppID, o.PrivateKey)
	if err != nil {
		return nil, fmt.Errorf("GitHub App private key: %w", err)
	}
	// Token and JWT calls go to the same host as the API (GHES).
	atr.BaseURL = strings.TrimSuffix(api, "/")
	rt, stats := transport.New(atr, o.Transport)
	app := github.NewClient(&http.Client{Transport: rt, Timeout: o.Timeout})
	if api != DefaultAPIURL {
		if app, err = app.WithEnterpriseURLs(api, api); err != nil {
			return nil, fmt.Errorf("configure API URL %q: %w", api, err)
		}
	}
	app.UserAgent = ""
	return &App{opts: o, api: api, apps: atr, app: app, slug: o.Slug, lru: list.New(), byID: map[int64]*list.Element{}, stats: stats}, nil
}

// ID is the App's id.
func (a *App) ID() int64 { return a.opts.AppID }

// AppStats are the stats of the App-JWT client.
func (a *App) AppStats() *transport.Stats { return a.stats }

// Installation returns the (cached) client of an installation.
func (a *App) Installation(id int64) (*Installation, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if e, ok := a.byID[id]; ok {
		a.lru.MoveToFront(e)
		return e.Value.(*Installation), nil
	}
	inst, err := a.newInstallation(id, nil)
	if err != nil {
		return nil, err
	}
	a.byID[id] = a.lru.PushFront(inst)
	a.evictLocked()
	return inst, nil
}

// WriteScope names what a repository-scoped token may do.
type WriteScope struct {
	// Statuses adds "statuses: write" (commit statuses besides check runs).
	Statuses bool
}

// RepoWriter returns a client whose token reaches one repository only, with
// the write permissions the App's reporting needs (checks, pull requests;
// statuses when asked) and nothing else: the writes of an evaluation cannot
// touch another repository even if a bug aimed them there. Cached like
// Installation, per installation and repository.
func (a *App) RepoWriter(installationID int64, repo string, scope WriteScope) (*Installation, error) {
	name := fmt.Sprintf("%d/%s/%v", installationID, strings.ToLower(repo), scope.Statuses)
	a.mu.Lock()
	defer a.mu.Unlock()
	if e, ok := a.scoped[name]; ok {
		a.lru.MoveToFront(e)
		return e.Value.(*Installation), nil
	}
	perms := &github.InstallationPermissions{Checks: github.String("write"), PullRequests: github.String("write"), Metadata: github.String("read")}
	if scope.Statuses {
		perms.Statuses = github.String("write")
	}
	inst, err := a.newInstallation(installationID, &github.InstallationTokenOptions{Repositories: []string{repo}, Permissions: perms})
	if err != nil {
		return nil, err
	}
	inst.scopedName = name
	if a.scoped == nil {
		a.scoped = map[string]*list.Element{}
	}
	a.scoped[name] = a.lru.PushFront(inst)
	a.evictLocked()
	return inst, nil
}

// newInstallation builds an installation's client with its own transport
// stack; scope (nil: the installation's full token) narrows its token.
func (a *App) newInstallation(id int64, scope *github.InstallationTokenOptions) (*Installation, error) {
	itr := ghinstallation.NewFromAppsTransport(a.apps, id)
	itr.BaseURL = strings.TrimSuffix(a.api, "/")
	itr.InstallationTokenOptions = scope
	rt, stats := transport.New(itr, a.opts.Transport)
	c, err := New(Options{APIURL: a.api, GraphQLURL: a.opts.GraphQLURL, HTTPClient: &http.Client{Transport: rt, Timeout: a.opts.Timeout}})
	if err != nil {
		return nil, err
	}
	return &Installation{ID: id, Client: c, Stats: stats}, nil
}

func (a *App) evictLocked() {
	for a.lru.Len() > a.opts.CacheSize {
		old := a.lru.Back()
		a.lru.Remove(old)
		in := old.Value.(*Installation)
		if in.scopedName != "" {
			delete(a.scoped, in.scopedName)
		} else {
			delete(a.byID, in.ID)
		}
	}
}

// Installations returns the cached clients (for metrics): each
// installation's, and its repository-scoped writers' (same ID).
func (a *App) Installations() []*Installation {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]*Installation, 0, a.lru.Len())
	for e := a.lru.Front(); e != nil; e = e.Next() {
		out = append(out, e.Value.(*Installation))
	}
	return out
}

// AppInstallation is an installation as GET /app/installations lists it.
type AppInstallation struct {
	ID      int64
	Account string
	AppSlug string
}

// ListInstallations lists every installation of the App (App JWT).
func (a *App) ListInstallations(ctx context.Context) ([]AppInstallation, error) {
	var out []AppInstallation
	opts := &github.ListOptions{PerPage: 100}
	for page := 0; page < maxPages; page++ {
		list, resp, err := a.app.Apps.ListInstallations(ctx, opts)
		if err != nil {
			return nil, fmt.Errorf("list installations: %w", ctxErr(ctx, err))
		}
		for _, i := range list {
			out = append(out, AppInstallation{ID: i.GetID(), Account: i.GetAccount().GetLogin(), AppSlug: i.GetAppSlug()})
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	return out, nil
}

// BotLogin is the login the App's comments carry, "<slug>[bot]". Without a
// configured slug it is learned once from GET /app/installations (GET /app
// is not in the project's API contract).
func (a *App) BotLogin(ctx context.Context) (string, error) {
	a.mu.Lock()
	slug := a.slug
	a.mu.Unlock()
	if slug == "" {
		insts, err := a.ListInstallations(ctx)
		if err != nil {
			return "", fmt.Errorf("learn the App's slug: %w", err)
		}
		for _, i := range insts {
			if i.AppSlug != "" {
				slug = i.AppSlug
				break
			}
		}
		if slug == "" {
			return "", errors.New("learn the App's slug: the App has no installation yet; set GITHUB_APP_SLUG")
		}
		a.mu.Lock()
		a.slug = slug
		a.mu.Unlock()
	}
	return slug + "[bot]", nil
}

// Delivery is one webhook delivery attempt in GitHub's log.
type Delivery struct {
	ID          int64
	GUID        string
	DeliveredAt time.Time
	StatusCode  int
	Event       string
	Action      string
	Redelivery  bool
}

// OK reports whether the attempt was answered with a 2xx.
func (d Delivery) OK() bool { return d.StatusCode >= 200 && d.StatusCode < 300 }

// HookDeliveries pages through the App's delivery log, newest first, and
// stops at the first delivery older than since (or when fn returns false).
func (a *App) HookDeliveries(ctx context.Context, since time.Time, fn func(Delivery) bool) error {
	opts := &github.ListCursorOptions{PerPage: 100}
	for page := 0; page < maxPages; page++ {
		list, resp, err := a.app.Apps.ListHookDeliveries(ctx, opts)
		if err != nil {
			return fmt.Errorf("list hook deliveries: %w", ctxErr(ctx, err))
		}
		for _, d := range list {
			dd := Delivery{ID: d.GetID(), GUID: d.GetGUID(), DeliveredAt: d.GetDeliveredAt().Time, StatusCode: d.GetStatusCode(),
				Event: d.GetEvent(), Action: d.GetAction(), Redelivery: d.GetRedelivery()}
			if dd.DeliveredAt.Before(since) || !fn(dd) {
				return nil
			}
		}
		if resp.Cursor == "" || len(list) == 0 {
			return nil
		}
		opts.Cursor = resp.Cursor
	}
	return nil
}

// Redeliver asks GitHub to deliver a delivery again (App JWT).
func (a *App) Redeliver(ctx context.Context, id int64) error {
	_, _, err := a.app.Apps.RedeliverHookDelivery(ctx, id)
	var acc *github.AcceptedError
	if err != nil && !errors.As(err, &acc) {
		return fmt.Errorf("redeliver delivery %d: %w", id, ctxErr(ctx, err))
	}
	return nil
}
