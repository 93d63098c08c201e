package pipeline

import (
	"context"
	"fmt"
	"strings"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/policy"
	"github.com/contribution-policy/contribution-policy/internal/reconcile"
	"github.com/contribution-policy/contribution-policy/internal/render"
	"github.com/contribution-policy/contribution-policy/internal/schema"
)

// ReportMode is how the gate is reported.
type ReportMode int

// Report modes.
const (
	// ReportStatuses reports each check as a commit status (the Action).
	ReportStatuses ReportMode = iota
	// ReportCheckRuns reports each check as a check run of the App, with
	// per-commit details and the "Set DCO to pass" button; commit statuses
	// are added when CheckRunOptions.Statuses is set.
	ReportCheckRuns
)

// CheckRunOptions configure ReportCheckRuns.
type CheckRunOptions struct {
	// AppID is the App whose check runs are ours (list filter).
	AppID int64
	// DetailsURL is set on every check run ("" = GitHub's own page).
	DetailsURL string
	// Statuses also posts a commit status per check (some branch
	// protections require statuses).
	Statuses bool
}

// CheckRunReader lists the App's check runs on a commit; *gh.Client
// implements it.
type CheckRunReader interface {
	CheckRuns(ctx context.Context, owner, repo, ref string, appID int64) ([]reconcile.CheckRun, error)
}

// The "Set DCO to pass" requested action (GitHub's limits: label ≤ 20,
// description ≤ 40, identifier ≤ 20 characters).
const (
	OverrideLabel       = "Set DCO to pass"
	OverrideDescription = "Maintainers only: mark DCO as passed"
	OverrideIdentifier  = "dco-override"
)

// readCheckRuns fills cur.CheckRuns in check-run mode.
func (p *Pipeline) readCheckRuns(ctx context.Context, t Target, cur *reconcile.Current) error {
	if p.Report != ReportCheckRuns {
		return nil
	}
	r, ok := p.GitHub.(CheckRunReader)
	if !ok {
		return fmt.Errorf("check-run mode needs a client that lists check runs")
	}
	runs, err := r.CheckRuns(ctx, t.Owner, t.Repo, t.HeadSHA, p.Checks.AppID)
	if err != nil {
		return err
	}
	cur.CheckRuns = runs
	return nil
}

// Override is a maintainer's "Set DCO to pass" on a head commit.
type Override struct {
	Login   string
	HeadSHA string // the commit it was given for; ignored on any other
}

// overrideOn finds the override of check on the current runs.
func overrideOn(runs []reconcile.CheckRun, check string) (Override, bool) {
	name := policy.ContextPrefix + check
	for _, r := range runs {
		if strings.EqualFold(r.Name, name) && r.Conclusion == "success" {
			if rest, ok := strings.CutPrefix(r.ExternalID, reconcile.OverridePrefix); ok {
				_, login, _ := strings.Cut(rest, ":")
				return Override{Login: login}, true
			}
		}
	}
	return Override{}, false
}

// OverrideExternalID is the external_id that records an override by login
// on the check run of pull request pr.
func OverrideExternalID(pr int, login string) string {
	return fmt.Sprintf("%s%d:%s", reconcile.OverridePrefix, pr, login)
}

// applyOverride turns a failing DCO verdict into a pass when a maintainer
// overrode it on this head commit (a new push clears it: check runs belong
// to a commit).
func applyOverride(out *Outcome, cur reconcile.Current, cfg *config.Config) {
	o, ok := overrideOn(cur.CheckRuns, policy.CheckDCO)
	if req := out.Target.Override; !ok && req != nil && req.HeadSHA == out.Target.HeadSHA &&
		cfg != nil && cfg.DCO.AllowOverrideAction && req.Login != "" {
		o, ok = *req, true
	}
	d := out.Decision
	if !ok || d == nil {
		return
	}
	for i, c := range d.Checks {
		if c.Name != policy.CheckDCO || c.Conclusion != policy.Failure {
			continue
		}
		d.Checks[i].Conclusion = policy.Success
		d.Checks[i].Title = "Set to pass by @" + o.Login
		d.Checks[i].Description = policy.Truncate("DCO: set to pass by @"+o.Login, 140)
		out.Overridden = o.Login
		if cfg != nil && cfg.Labels.DCO.Enabled {
			for j, l := range d.Labels.Want {
				if l == cfg.Labels.DCO.No {
					d.Labels.Want[j] = cfg.Labels.DCO.Yes
				}
			}
		}
	}
	d.Result = policy.Pass
	for _, c := range d.Checks {
		switch c.Conclusion {
		case policy.Error:
			d.Result = policy.Errored
		case policy.Failure:
			if d.Result != policy.Errored {
				d.Result = policy.Fail
			}
		}
	}
}

// commentDecision is the decision the comment is rendered from: an
// overridden DCO check has nothing left to fix.
func commentDecision(out *Outcome) *policy.Decision {
	if out.Overridden == "" || out.Decision == nil {
		return out.Decision
	}
	d := *out.Decision
	d.DCO = nil
	return &d
}

// checkRuns maps each check to the App's check run.
func (p *Pipeline) checkRuns(out *Outcome, rc render.Context, cfg *config.Config) []reconcile.CheckRun {
	d := out.Decision
	runs := make([]reconcile.CheckRun, 0, len(d.Checks))
	for _, c := range d.Checks {
		note := ""
		if c.Name == policy.CheckDCO && out.Overridden != "" {
			note = "A maintainer, @" + out.Overridden + ", set this check to pass for this commit. A new push runs it again."
		}
		o := render.CheckRun(d, c.Name, rc, note)
		cr := reconcile.CheckRun{
			Name: c.Context(), Status: "completed", Conclusion: checkConclusion(c.Conclusion),
			DetailsURL: p.Checks.DetailsURL, Title: o.Title, Summary: o.Summary, Text: o.Text,
		}
		if c.Name == policy.CheckDCO && c.Conclusion == policy.Failure && cfg != nil && cfg.DCO.AllowOverrideAction {
			cr.Actions = []reconcile.Action{{Label: OverrideLabel, Description: OverrideDescription, Identifier: OverrideIdentifier}}
		}
		if c.Conclusion == policy.Error && out.ConfigErr != nil {
			cr.Annotations = configAnnotations(out.ConfigErr, out.Target)
		}
		cr.ExternalID = reconcile.ExternalID(out.Target.Number, cr)
		if c.Name == policy.CheckDCO && out.Overridden != "" {
			cr.ExternalID = OverrideExternalID(out.Target.Number, out.Overridden)
		}
		runs = append(runs, cr)
	}
	return runs
}

// checkConclusion maps a verdict to a check-run conclusion (GitHub has no
// "error": a check that could not be evaluated fails, never passes).
func checkConclusion(c policy.Conclusion) string {
	switch c {
	case policy.Success:
		return "success"
	case policy.Neutral:
		return "neutral"
	case policy.Skipped:
		return "skipped"
	}
	return "failure"
}

// configAnnotations points at the lines of a broken configuration file of
// the pull request's own repository.
func configAnnotations(err error, t Target) []reconcile.Annotation {
	var out []reconcile.Annotation
	for _, ce := range configErrors(err) {
		if !strings.EqualFold(ce.Source.Repo, t.Owner+"/"+t.Repo) || ce.Source.Path == "" {
			continue
		}
		for _, pr := range ce.Problems {
			line := pr.Line
			if line < 1 {
				line = 1
			}
			out = append(out, reconcile.Annotation{Path: ce.Source.Path, StartLine: line, EndLine: line, Level: "failure",
				Title: "Invalid configuration", Message: problemText(pr)})
		}
	}
	return out
}

func problemText(p schema.Problem) string {
	if p.Path != "" {
		return p.Path + ": " + p.Message
	}
	return p.Message
}

// configErrors unwraps joined *config.Error values.
func configErrors(err error) []*config.Error {
	var out []*config.Error
	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		if ce, ok := e.(*config.Error); ok {
			out = append(out, ce)
			return
		}
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		if u, ok := e.(interface{ Unwrap() error }); ok {
			walk(u.Unwrap())
		}
	}
	walk(err)
	return out
}

// gate fills the gate part of want: statuses, check runs or both.
func (p *Pipeline) gate(out *Outcome, rc render.Context, cfg *config.Config, want *reconcile.Desired) {
	if p.Report != ReportCheckRuns {
		want.Statuses = statuses(out.Decision, p.TargetURL)
		return
	}
	want.CheckRuns = p.checkRuns(out, rc, cfg)
	if p.Checks.Statuses {
		want.Statuses = statuses(out.Decision, p.TargetURL)
	}
}

// errorOps is what Run writes when it could not evaluate: `error` on the
// DCO gate, so it never shows a stale success.
func (p *Pipeline) errorOps(ctx context.Context, d *policy.Decision, t Target) []reconcile.Op {
	if p.Report != ReportCheckRuns {
		return []reconcile.Op{{Kind: reconcile.SetStatus, Status: statuses(d, p.TargetURL)[0]}}
	}
	out := &Outcome{Target: t, Decision: d}
	rc := render.Context{ServerURL: p.ServerURL, Number: t.Number}
	rc.Repo.Owner, rc.Repo.Name = t.Owner, t.Repo
	cr := p.checkRuns(out, rc, nil)[0]
	var cur reconcile.Current
	if r, ok := p.GitHub.(CheckRunReader); ok {
		cur.CheckRuns, _ = r.CheckRuns(ctx, t.Owner, t.Repo, t.HeadSHA, p.Checks.AppID)
	}
	return reconcile.Plan(cur, reconcile.Desired{CheckRuns: []reconcile.CheckRun{cr}}, reconcile.Identity{})
}
