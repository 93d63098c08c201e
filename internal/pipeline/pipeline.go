// Package pipeline is the one path every front end takes: read the pull
// request's context, resolve the configuration at the base commit, build the
// snapshot, evaluate it, and reconcile GitHub to the decision. The Action,
// the App and `check --repo` differ only in how they build a Target and what
// they do with the Outcome.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/affiliation"
	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/gh"
	"github.com/contribution-policy/contribution-policy/internal/policy"
	"github.com/contribution-policy/contribution-policy/internal/policy/dco"
	"github.com/contribution-policy/contribution-policy/internal/reconcile"
	"github.com/contribution-policy/contribution-policy/internal/render"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

// GitHub is what the pipeline needs from GitHub. *gh.Client implements it.
type GitHub interface {
	PullRequest(ctx context.Context, owner, repo string, number int) (*gh.PullHead, error)
	PullContext(ctx context.Context, q gh.PullContextQuery) (*gh.PullContext, error)
	PullCommits(ctx context.Context, owner, repo string, number, total int, base, head string) ([]snapshot.Commit, error)
	IsOrgMember(ctx context.Context, org, login string) (bool, error)
	Writer(owner, repo string, number int, sha, botLogin string) *gh.PRWriter
}

// Target is the pull request to evaluate, with what the triggering event
// already told us (zero values mean unknown and are read from the API).
type Target struct {
	Owner, Repo string
	Number      int
	HeadSHA     string
	BaseSHA     string
	// CommitCount is the PR's commit count from the event payload; knowing it
	// up front lets the commit list be read in parallel with the context.
	CommitCount int
	// Event is the triggering event name (for merge-queue rules).
	Event string
	// Action is the pull_request event's action (opened, synchronize,
	// ...): first-time guidance is first shown on opened or reopened only
	// ("" = unknown: never first shown).
	Action string
	// Override is a maintainer's "Set DCO to pass" for a head commit (App
	// mode, permission already checked); see checks.go.
	Override *Override
	// Comment is the new comment that triggered the run, which may sign
	// the CLA (cla.go).
	Comment *Comment
}

func (t Target) String() string { return fmt.Sprintf("%s/%s#%d", t.Owner, t.Repo, t.Number) }

// Pipeline evaluates pull requests and reports on them.
type Pipeline struct {
	GitHub GitHub
	// BotLogin is the login the bot's comments are posted as; together with
	// the marker it identifies the policy comment.
	BotLogin string
	// ServerURL is the GitHub web URL links are built from.
	ServerURL string
	// TargetURL is set on statuses (the Action's run page).
	TargetURL string
	// DryRun evaluates and plans without writing anything.
	DryRun bool
	// PolicyPath overrides where the configuration file is read from
	// (default .github/contribution-policy.yml).
	PolicyPath string
	Logger     *slog.Logger
	// Report picks statuses (the Action, the default) or check runs (the
	// App); Checks configures check runs (checks.go).
	Report ReportMode
	Checks CheckRunOptions
	// Config resolves the configuration from what the context query read
	// (nil: config.Resolve). The App sets it to follow _extends and to
	// start from its server defaults (config_source.go).
	Config ConfigResolver
	// CLAStore opens the CLA signature store (cla.go); Clock is "now" for
	// the engine (nil: the system clock).
	CLAStore StoreOpener
	Clock    func() time.Time
	// AffiliationSources are affiliation data the front end provides (the
	// App's server file), searched with the configured ones;
	// AffiliationCache keeps parsed data files and engines between runs
	// (nil: none). See affiliation_data.go.
	AffiliationSources []affiliation.Source
	AffiliationCache   *AffiliationCache
}

// Outcome is what a run decided and did.
type Outcome struct {
	Target   Target
	Decision *policy.Decision
	Snapshot *snapshot.Snapshot
	Config   *config.Config
	// ConfigSource names where the configuration came from ("" = defaults).
	ConfigSource string
	// ConfigErr is set when the configuration is invalid; Decision then
	// reports `error` on every check.
	ConfigErr error
	Comment   string
	Planned   []reconcile.Op
	Applied   []reconcile.Op
	// WriteErr collects failed writes (the gate may then not be reported).
	WriteErr error
	// Overridden is the maintainer who set the DCO check to pass on this
	// head with the check run's button ("" = none).
	Overridden string
	// Signing is what a triggering comment did (cla.go); nil: nothing.
	Signing *Signing
	// AffiliationCommand is what a triggering /affiliation comment did
	// (affiliation.go); nil: nothing.
	AffiliationCommand *AffiliationCommand

	aff *affRun
}

// Run evaluates the target and reconciles GitHub to the decision. An error
// means the policy could not be evaluated (GitHub unreachable, the PR gone);
// Run then still tries to report `error` on the DCO status so the gate never
// shows a stale success.
func (p *Pipeline) Run(ctx context.Context, t Target) (*Outcome, error) {
	log := p.logger().With("github_repository_owner", t.Owner, "github_repository_name", t.Repo, "github_pr_num", t.Number)
	out, err := p.run(ctx, t, log)
	if err != nil && !p.DryRun && out != nil && out.Target.HeadSHA != "" {
		d := policy.ErrorDecision([]string{policy.CheckDCO}, "could not evaluate: "+err.Error())
		w := p.GitHub.Writer(t.Owner, t.Repo, t.Number, out.Target.HeadSHA, p.BotLogin)
		et := t
		et.HeadSHA = out.Target.HeadSHA
		if _, werr := reconcile.Apply(ctx, w, p.errorOps(ctx, d, et)); werr != nil {
			log.Warn("could not report the error status", "err", werr)
		}
		out.Decision = d
	}
	return out, err
}

func (p *Pipeline) run(ctx context.Context, t Target, log *slog.Logger) (*Outcome, error) {
	out := &Outcome{Target: t}
	if t.HeadSHA == "" || t.BaseSHA == "" {
		head, err := p.GitHub.PullRequest(ctx, t.Owner, t.Repo, t.Number)
		if err != nil {
			return nil, err
		}
		t.HeadSHA, t.BaseSHA, t.CommitCount = head.HeadSHA, head.BaseSHA, head.CommitCount
		out.Target = t
	}
	pc, commits, err := p.read(ctx, t)
	if err != nil {
		return out, err
	}
	// Level-triggered: if the PR moved on since the event, judge what it is
	// now, once; a later event covers any further move.
	if pc.PR.HeadSHA != "" && (pc.PR.HeadSHA != t.HeadSHA || pc.PR.BaseSHA != t.BaseSHA) {
		log.Info("pull request moved since the event; evaluating its current head", "event_head", t.HeadSHA, "head", pc.PR.HeadSHA)
		t.HeadSHA, t.BaseSHA, t.CommitCount = pc.PR.HeadSHA, pc.PR.BaseSHA, pc.CommitCount
		out.Target = t
		if pc, commits, err = p.read(ctx, t); err != nil {
			return out, err
		}
	}

	cfg, src, cerr := p.resolveConfig(ctx, pc)
	out.ConfigSource = src.String()
	cur := reconcile.Current{Statuses: pc.HeadStatuses, Labels: pc.PR.Labels, Comments: pc.Comments}
	if err := p.readCheckRuns(ctx, t, &cur); err != nil {
		return out, err
	}
	if cerr != nil {
		out.ConfigErr = cerr
		out.Decision = policy.ErrorDecision(errorContexts(pc.HeadStatuses), "invalid configuration: "+cerr.Error())
		return p.report(ctx, out, cur, nil, log)
	}
	out.Config = cfg

	snap := &snapshot.Snapshot{
		Repository:  pc.Repo,
		PullRequest: pc.PR,
		Commits:     commits,
		CommitCount: pc.CommitCount,
		Event:       t.Event,
		EvaluatedAt: p.now(),
	}
	if err := p.memberships(ctx, cfg, snap); err != nil {
		return out, err
	}
	if cfg.CLA.Enabled {
		c := *cfg
		p.claFacts(ctx, &c, snap, t, pc, out, log)
		cfg, out.Config = &c, &c
	}
	var opts policy.Options
	if cfg.Affiliation.Enabled || cfg.Guidance.Enabled {
		out.aff = p.affiliationFacts(ctx, cfg, snap, t, cur, out, log)
		opts.Affiliation = out.aff.eng
	}
	out.Snapshot = snap
	out.Decision = policy.EvaluateWith(cfg, snap, opts)
	if a := out.Decision.Affiliation; a != nil && out.aff != nil && out.aff.err != nil && a.Err == "" {
		a.Err = out.aff.err.Error()
	}
	applyOverride(out, cur, cfg)
	return p.report(ctx, out, cur, cfg, log)
}

// read fetches the GraphQL context and the commit list, in parallel when the
// commit count is already known.
func (p *Pipeline) read(ctx context.Context, t Target) (*gh.PullContext, []snapshot.Commit, error) {
	q := gh.PullContextQuery{Owner: t.Owner, Repo: t.Repo, Number: t.Number, HeadSHA: t.HeadSHA, BaseSHA: t.BaseSHA, PolicyPath: p.PolicyPath}
	if t.CommitCount == 0 {
		pc, err := p.GitHub.PullContext(ctx, q)
		if err != nil {
			return nil, nil, err
		}
		commits, err := p.GitHub.PullCommits(ctx, t.Owner, t.Repo, t.Number, pc.CommitCount, t.BaseSHA, t.HeadSHA)
		return pc, commits, err
	}
	var (
		wg      sync.WaitGroup
		pc      *gh.PullContext
		commits []snapshot.Commit
		perr    error
		cerr    error
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		commits, cerr = p.GitHub.PullCommits(ctx, t.Owner, t.Repo, t.Number, t.CommitCount, t.BaseSHA, t.HeadSHA)
	}()
	pc, perr = p.GitHub.PullContext(ctx, q)
	wg.Wait()
	if err := errors.Join(perr, cerr); err != nil {
		return nil, nil, err
	}
	if pc.CommitCount > gh.MaxListedCommits && t.CommitCount <= gh.MaxListedCommits {
		// The event under-reported the size; read the full list.
		commits, cerr = p.GitHub.PullCommits(ctx, t.Owner, t.Repo, t.Number, pc.CommitCount, t.BaseSHA, t.HeadSHA)
	}
	return pc, commits, cerr
}

// memberships looks up only the org memberships that can change the DCO
// result (verified, unsigned commits when members are exempt).
func (p *Pipeline) memberships(ctx context.Context, cfg *config.Config, s *snapshot.Snapshot) error {
	if !cfg.DCO.Enabled {
		return nil
	}
	for _, login := range dco.MembershipQueries(cfg.DCO, s) {
		ok, err := p.GitHub.IsOrgMember(ctx, s.Repository.Owner, login)
		if err != nil {
			return err
		}
		if ok {
			s.OrgMembers = append(s.OrgMembers, login)
		}
	}
	return nil
}

// report plans and applies the writes that bring GitHub in line with the
// decision.
func (p *Pipeline) report(ctx context.Context, out *Outcome, cur reconcile.Current, cfg *config.Config, log *slog.Logger) (*Outcome, error) {
	t := out.Target
	rc := render.Context{ServerURL: p.ServerURL, Repo: snapshot.Repository{Owner: t.Owner, Name: t.Repo}, Number: t.Number}
	body, needed := render.Comment(commentDecision(out), rc)
	out.Comment = body
	want := reconcile.Desired{
		ManagedLabels: out.Decision.Labels.Managed,
		WantLabels:    out.Decision.Labels.Want,
		Comment:       body,
		CommentNeeded: needed,
		CommentOff:    cfg != nil && !cfg.Comment.Enabled,
	}
	if out.ConfigErr != nil {
		// Leave labels and the comment alone: the decision is not real.
		want.CommentOff = true
	} else {
		p.affiliationLabels(out, &cur, &want)
	}
	p.gate(out, rc, cfg, &want)
	id := reconcile.Identity{BotLogin: p.BotLogin, Marker: render.Marker, DuplicateMarker: render.DuplicateMarker}
	out.Planned = reconcile.Plan(cur, want, id)
	log.Debug("planned writes", "count", len(out.Planned))
	if p.DryRun || len(out.Planned) == 0 {
		return out, nil
	}
	w := p.GitHub.Writer(t.Owner, t.Repo, t.Number, t.HeadSHA, p.BotLogin)
	out.Applied, out.WriteErr = reconcile.Apply(ctx, w, out.Planned)
	return out, nil
}

// statuses maps each check to its commit status.
func statuses(d *policy.Decision, targetURL string) []reconcile.Status {
	out := make([]reconcile.Status, 0, len(d.Checks))
	for _, c := range d.Checks {
		out = append(out, reconcile.Status{
			Context:     c.Context(),
			State:       statusState(c.Conclusion),
			Description: policy.Truncate(c.Description, 140),
			TargetURL:   targetURL,
		})
	}
	return out
}

func statusState(c policy.Conclusion) string {
	switch c {
	case policy.Success, policy.Neutral, policy.Skipped:
		return "success"
	case policy.Failure:
		return "failure"
	}
	return "error"
}

// errorContexts names the checks to mark `error` when the configuration is
// broken: DCO (on by default) and every contribution-policy status already
// on the head commit, so a previously passing gate cannot stay green.
func errorContexts(existing map[string]reconcile.Status) []string {
	var others []string
	for _, s := range existing {
		name, ok := strings.CutPrefix(strings.ToLower(s.Context), policy.ContextPrefix)
		if ok && name != policy.CheckDCO {
			others = append(others, name)
		}
	}
	sort.Strings(others)
	return append([]string{policy.CheckDCO}, others...)
}

func (p *Pipeline) logger() *slog.Logger {
	if p.Logger != nil {
		return p.Logger
	}
	return slog.New(slog.DiscardHandler)
}
