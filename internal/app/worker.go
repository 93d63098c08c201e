package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/gh"
	"github.com/contribution-policy/contribution-policy/internal/pipeline"
	"github.com/contribution-policy/contribution-policy/internal/queue"
)

var _ queue.Handler = (*Server)(nil)

// pipelineFor builds the pipeline for one installation and repository:
// reads with the installation's token, writes with one scoped to the
// repository (scoped.go).
func (s *Server) pipelineFor(ctx context.Context, inst *gh.Installation, repo string) (*pipeline.Pipeline, error) {
	bot, err := s.bot(ctx)
	if err != nil {
		return nil, err
	}
	w, err := s.gh.RepoWriter(inst.ID, repo, gh.WriteScope{Statuses: s.cfg.CommitStatuses})
	if err != nil {
		return nil, err
	}
	return &pipeline.Pipeline{
		GitHub: scopedGitHub{Client: inst.Client, writes: w.Client}, BotLogin: bot, ServerURL: s.cfg.ServerURL, PolicyPath: s.cfg.PolicyPath,
		Logger: s.log.With(LogKeyInstallationID, inst.ID),
		Report: pipeline.ReportCheckRuns, Checks: pipeline.CheckRunOptions{AppID: s.cfg.AppID, Statuses: s.cfg.CommitStatuses},
		Config:             s.configs.forInstallation(inst),
		CLAStore:           s.claStore(inst),
		AffiliationCache:   s.affiliationCache,
		AffiliationSources: s.affiliationSources,
	}, nil
}

// Evaluate runs the pipeline on a pull request (queue.Handler).
func (s *Server) Evaluate(ctx context.Context, pr queue.PR, reqs []queue.Request) error {
	log := s.log.With(LogKeyInstallationID, pr.InstallationID, LogKeyRepoOwner, pr.Owner, LogKeyRepoName, pr.Repo, LogKeyPRNum, pr.Number)
	inst, err := s.gh.Installation(pr.InstallationID)
	if err != nil {
		return err
	}
	p, err := s.pipelineFor(ctx, inst, pr.Repo)
	if err != nil {
		return err
	}
	t := pipeline.Target{Owner: pr.Owner, Repo: pr.Repo, Number: pr.Number, Event: "pull_request"}
	var comments []*pipeline.Comment
	for _, r := range reqs {
		if r.Kind == queue.RequestOpened {
			t.Action = "opened"
		}
		if r.Kind == queue.RequestComment && r.Comment != nil {
			c := r.Comment
			comments = append(comments, &pipeline.Comment{ID: c.ID, URL: c.URL, Body: c.Body, AuthorID: c.AuthorID,
				Author: c.Author, AuthorType: c.AuthorType, CreatedAt: c.CreatedAt, RepoID: c.RepoID, DeliveryID: r.DeliveryID})
		}
		if r.Kind != queue.RequestOverride {
			continue
		}
		ok, err := s.mayOverride(ctx, inst.Client, pr, r.Login)
		if err != nil {
			return err
		}
		if !ok {
			log.Warn("override refused: the clicker has no write access", "login", r.Login, LogKeySHA, r.HeadSHA)
			continue
		}
		log.Info("DCO override by a maintainer", "login", r.Login, LogKeySHA, r.HeadSHA)
		t.Override = &pipeline.Override{Login: r.Login, HeadSHA: r.HeadSHA}
	}
	// Each signing comment is its own run (the pipeline records one
	// comment's signature per run); the last run reports the final state.
	for i, c := range comments {
		if i == len(comments)-1 {
			t.Comment = c
			break
		}
		ct := t
		ct.Comment = c
		cout, err := p.Run(ctx, ct)
		if err != nil {
			return fmt.Errorf("evaluate %s with comment %d: %w", pr, c.ID, err)
		}
		s.requeueAfterSigning(ctx, inst, pr, cout, log)
	}
	log.Info("evaluating", "replica", s.cfg.ReplicaID)
	start := time.Now()
	before := inst.Stats.Snapshot()
	out, err := p.Run(ctx, t)
	after := inst.Stats.Snapshot()
	attrs := []any{"replica", s.cfg.ReplicaID, "duration_ms", time.Since(start).Milliseconds(),
		"api_reads", (after.Reads + after.GraphQLQueries) - (before.Reads + before.GraphQLQueries),
		"api_writes", (after.Writes + after.GraphQLMutations) - (before.Writes + before.GraphQLMutations)}
	if out != nil {
		attrs = append(attrs, LogKeySHA, out.Target.HeadSHA)
		if out.Decision != nil {
			attrs = append(attrs, "result", string(out.Decision.Result), "writes", len(out.Applied))
		}
	}
	if err != nil {
		if gone(err) {
			// Deleted repository or pull request, or the App lost access:
			// nothing to report on, nothing to retry.
			log.Warn("pull request not found; dropped", append(attrs, "err", err)...)
			return nil
		}
		log.Warn("evaluation failed; will retry", append(attrs, "err", err)...)
		return fmt.Errorf("evaluate %s: %w", pr, err)
	}
	if out.WriteErr != nil {
		if gh.IsForbidden(out.WriteErr) {
			log.Warn("the installation may not write here (permissions?)", append(attrs, "err", out.WriteErr)...)
			return nil
		}
		log.Warn("some writes failed; will retry", append(attrs, "err", out.WriteErr)...)
		return fmt.Errorf("report on %s: %w", pr, out.WriteErr)
	}
	log.Info("evaluated", attrs...)
	s.requeueAfterSigning(ctx, inst, pr, out, log)
	return nil
}

// requeueAfterSigning re-evaluates the signer's other open pull requests in
// the installation's account once a new signature is recorded, so they do
// not wait for their next push (cla.md §6.9 step 5). Best effort: the
// periodic sweep is the safety net.
func (s *Server) requeueAfterSigning(ctx context.Context, inst *gh.Installation, pr queue.PR, out *pipeline.Outcome, log *slog.Logger) {
	if out == nil || out.Signing == nil || !out.Signing.Created || out.Target.Comment == nil {
		return
	}
	others, err := inst.Client.OpenPRsByAuthor(ctx, pr.Owner, out.Target.Comment.Author)
	if err != nil {
		log.Warn("could not find the signer's other pull requests", "err", err)
		return
	}
	var prs []queue.PR
	for _, o := range others {
		if strings.EqualFold(o.Owner, pr.Owner) && strings.EqualFold(o.Repo, pr.Repo) && o.Number == pr.Number {
			continue
		}
		prs = append(prs, queue.PR{InstallationID: pr.InstallationID, Owner: o.Owner, Repo: o.Repo, Number: o.Number})
	}
	if err := s.queue.EnqueuePRs(ctx, prs); err != nil {
		log.Warn("could not re-queue the signer's other pull requests", "err", err)
		return
	}
	if len(prs) > 0 {
		log.Info("re-queued the signer's other pull requests", "count", len(prs))
	}
}

// mayOverride checks that login may press "Set DCO to pass": write access
// to the repository or more.
func (s *Server) mayOverride(ctx context.Context, c *gh.Client, pr queue.PR, login string) (bool, error) {
	if login == "" {
		return false, nil
	}
	perm, err := c.Permission(ctx, pr.Owner, pr.Repo, login)
	if err != nil {
		return false, err
	}
	return gh.IsMaintainer(perm), nil
}

// MergeGroup judges a merge queue entry (queue.Handler).
func (s *Server) MergeGroup(ctx context.Context, a queue.MergeGroupArgs) error {
	log := s.log.With(LogKeyInstallationID, a.InstallationID, LogKeyRepoOwner, a.Owner, LogKeyRepoName, a.Repo, LogKeySHA, a.HeadSHA)
	inst, err := s.gh.Installation(a.InstallationID)
	if err != nil {
		return err
	}
	p, err := s.pipelineFor(ctx, inst, a.Repo)
	if err != nil {
		return err
	}
	out, err := p.RunMergeGroup(ctx, pipeline.MergeGroup{Owner: a.Owner, Repo: a.Repo, HeadSHA: a.HeadSHA, BaseSHA: a.BaseSHA})
	if err != nil {
		return fmt.Errorf("merge group %s/%s@%s: %w", a.Owner, a.Repo, a.HeadSHA, err)
	}
	if out.WriteErr != nil {
		return out.WriteErr
	}
	log.Info("evaluated merge group", "result", string(out.Decision.Result))
	return nil
}

// SweepRepo lists a repository's open pull requests (queue.Handler).
func (s *Server) SweepRepo(ctx context.Context, a queue.SweepRepoArgs) ([]queue.PR, error) {
	inst, err := s.gh.Installation(a.InstallationID)
	if err != nil {
		return nil, err
	}
	prs, err := inst.Client.OpenPullRequests(ctx, a.Owner, a.Repo)
	if err != nil {
		if gh.IsNotFound(err) {
			return nil, nil
		}
		var ge gh.GraphQLErrors
		if errors.As(err, &ge) {
			s.log.Warn("cannot sweep the repository", LogKeyRepoOwner, a.Owner, LogKeyRepoName, a.Repo, "err", err)
			return nil, nil
		}
		return nil, err
	}
	out := make([]queue.PR, 0, len(prs))
	for _, p := range prs {
		out = append(out, queue.PR{InstallationID: a.InstallationID, Owner: p.Owner, Repo: p.Repo, Number: p.Number})
	}
	s.log.Info("swept repository", LogKeyInstallationID, a.InstallationID, LogKeyRepoOwner, a.Owner, LogKeyRepoName, a.Repo, "open_prs", len(out))
	return out, nil
}

// gone reports an error that retrying cannot fix: the pull request or its
// repository does not exist (or is not visible to the installation).
func gone(err error) bool {
	if gh.IsNotFound(err) {
		return true
	}
	var ge gh.GraphQLErrors
	if errors.As(err, &ge) {
		for _, e := range ge {
			if e.Type != "NOT_FOUND" {
				return false
			}
		}
		return len(ge) > 0
	}
	return false
}
