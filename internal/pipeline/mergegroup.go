package pipeline

import (
	"context"
	"fmt"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/gh"
	"github.com/contribution-policy/contribution-policy/internal/policy"
	"github.com/contribution-policy/contribution-policy/internal/reconcile"
	"github.com/contribution-policy/contribution-policy/internal/render"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

// MergeGroupGitHub is what judging a merge group needs besides GitHub.
type MergeGroupGitHub interface {
	RepoContextAt(ctx context.Context, owner, repo, ref, policyPath string) (*gh.RepoContext, error)
	CompareCommits(ctx context.Context, owner, repo, base, head string) ([]snapshot.Commit, error)
}

// MergeGroup is a merge queue's candidate: the commits base..head it built.
type MergeGroup struct {
	Owner, Repo      string
	HeadSHA, BaseSHA string
}

// RunMergeGroup judges a merge group's commits (the DCO merge-queue rule
// applies: snapshot event "merge_group") with the configuration at its base,
// and reports check runs on its head. There is no pull request, so no
// comment and no labels.
func (p *Pipeline) RunMergeGroup(ctx context.Context, mg MergeGroup) (*Outcome, error) {
	g, ok := p.GitHub.(MergeGroupGitHub)
	if !ok {
		return nil, fmt.Errorf("merge groups need a client that reads commits by range")
	}
	t := Target{Owner: mg.Owner, Repo: mg.Repo, HeadSHA: mg.HeadSHA, BaseSHA: mg.BaseSHA, Event: "merge_group"}
	out := &Outcome{Target: t}
	rctx, err := g.RepoContextAt(ctx, mg.Owner, mg.Repo, mg.BaseSHA, p.PolicyPath)
	if err != nil {
		return out, err
	}
	pc := &gh.PullContext{Repo: rctx.Repo, Files: rctx.Files}
	cfg, src, cerr := p.resolveConfig(ctx, pc)
	out.ConfigSource = src.String()
	var cur reconcile.Current
	if err := p.readCheckRuns(ctx, t, &cur); err != nil {
		return out, err
	}
	if cerr != nil {
		out.ConfigErr = cerr
		out.Decision = policy.ErrorDecision([]string{policy.CheckDCO}, "invalid configuration: "+cerr.Error())
	} else {
		commits, err := g.CompareCommits(ctx, mg.Owner, mg.Repo, mg.BaseSHA, mg.HeadSHA)
		if err != nil {
			return out, err
		}
		snap := &snapshot.Snapshot{Repository: rctx.Repo, Commits: commits, CommitCount: len(commits), Event: "merge_group"}
		snap.PullRequest.HeadSHA, snap.PullRequest.BaseSHA = mg.HeadSHA, mg.BaseSHA
		if err := p.memberships(ctx, cfg, snap); err != nil {
			return out, err
		}
		out.Config, out.Snapshot = cfg, snap
		out.Decision = policy.Evaluate(cfg, snap)
	}
	rc := render.Context{ServerURL: p.ServerURL, Repo: rctx.Repo}
	want := reconcile.Desired{CommentOff: true}
	c := cfg
	if cerr != nil {
		c = nil
	}
	mgp := *p
	mgp.Checks.Statuses = p.Checks.Statuses
	mgp.gate(out, rc, mergeGroupConfig(c), &want)
	out.Planned = reconcile.Plan(cur, want, reconcile.Identity{})
	if p.DryRun || len(out.Planned) == 0 {
		return out, nil
	}
	w := p.GitHub.Writer(t.Owner, t.Repo, 0, t.HeadSHA, p.BotLogin)
	out.Applied, out.WriteErr = reconcile.Apply(ctx, w, out.Planned)
	return out, nil
}

// mergeGroupConfig turns the override button off: a queue entry is not
// overridden, its pull request is.
func mergeGroupConfig(c *config.Config) *config.Config {
	if c == nil {
		return nil
	}
	cc := *c
	cc.DCO.AllowOverrideAction = false
	return &cc
}
