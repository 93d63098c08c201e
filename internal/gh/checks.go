package gh

import (
	"context"
	"fmt"

	"github.com/google/go-github/v60/github"

	"github.com/contribution-policy/contribution-policy/internal/reconcile"
	"github.com/contribution-policy/contribution-policy/internal/transport"
)

// maxAnnotations is GitHub's limit of annotations per check-run request.
const maxAnnotations = 50

var _ reconcile.CheckWriter = (*PRWriter)(nil)

// CheckRuns lists the latest check run of each name that app appID has on
// ref (a SHA). GitHub answers only with the latest run per name and app.
func (c *Client) CheckRuns(ctx context.Context, owner, repo, ref string, appID int64) ([]reconcile.CheckRun, error) {
	opts := &github.ListCheckRunsOptions{Filter: github.String("latest"), ListOptions: github.ListOptions{PerPage: 100}}
	if appID != 0 {
		opts.AppID = &appID
	}
	var out []reconcile.CheckRun
	for page := 0; page < maxPages; page++ {
		res, resp, err := c.rest.Checks.ListCheckRunsForRef(ctx, owner, repo, ref, opts)
		if err != nil {
			return nil, fmt.Errorf("list check runs of %s/%s@%s: %w", owner, repo, short(ref), ctxErr(ctx, err))
		}
		for _, r := range res.CheckRuns {
			out = append(out, reconcile.CheckRun{
				ID: r.GetID(), Name: r.GetName(), Status: r.GetStatus(), Conclusion: r.GetConclusion(),
				ExternalID: r.GetExternalID(), DetailsURL: r.GetDetailsURL(),
				Title: r.GetOutput().GetTitle(), Summary: r.GetOutput().GetSummary(), Text: r.GetOutput().GetText(),
			})
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	return out, nil
}

func checkOutput(cr reconcile.CheckRun) *github.CheckRunOutput {
	o := &github.CheckRunOutput{Title: github.String(cr.Title), Summary: github.String(cr.Summary)}
	if cr.Text != "" {
		o.Text = github.String(cr.Text)
	}
	for i, a := range cr.Annotations {
		if i == maxAnnotations {
			break
		}
		ann := &github.CheckRunAnnotation{Path: github.String(a.Path), StartLine: github.Int(a.StartLine), EndLine: github.Int(a.EndLine),
			AnnotationLevel: github.String(a.Level), Message: github.String(a.Message)}
		if a.Title != "" {
			ann.Title = github.String(a.Title)
		}
		o.Annotations = append(o.Annotations, ann)
	}
	return o
}

func checkActions(cr reconcile.CheckRun) []*github.CheckRunAction {
	out := []*github.CheckRunAction{} // an empty list removes earlier buttons
	for _, a := range cr.Actions {
		out = append(out, &github.CheckRunAction{Label: a.Label, Description: a.Description, Identifier: a.Identifier})
	}
	return out
}

// CreateCheckRun creates a completed check run on the writer's SHA. The
// call is not idempotent; a lost response is repaired by the next run,
// which finds the run by this app and name and updates it instead.
func (w *PRWriter) CreateCheckRun(ctx context.Context, cr reconcile.CheckRun) error {
	opts := github.CreateCheckRunOptions{
		Name: cr.Name, HeadSHA: w.sha, Status: github.String("completed"), Conclusion: github.String(cr.Conclusion),
		ExternalID: github.String(cr.ExternalID), Output: checkOutput(cr), Actions: checkActions(cr),
	}
	if cr.DetailsURL != "" {
		opts.DetailsURL = github.String(cr.DetailsURL)
	}
	if _, _, err := w.c.rest.Checks.CreateCheckRun(ctx, w.owner, w.repo, opts); err != nil {
		return fmt.Errorf("create check run %s on %s@%s: %w", cr.Name, w.pr(), short(w.sha), ctxErr(ctx, err))
	}
	return nil
}

// UpdateCheckRun rewrites check run cr.ID (idempotent).
func (w *PRWriter) UpdateCheckRun(ctx context.Context, cr reconcile.CheckRun) error {
	opts := github.UpdateCheckRunOptions{
		Name: cr.Name, Status: github.String("completed"), Conclusion: github.String(cr.Conclusion),
		ExternalID: github.String(cr.ExternalID), Output: checkOutput(cr), Actions: checkActions(cr),
	}
	if cr.DetailsURL != "" {
		opts.DetailsURL = github.String(cr.DetailsURL)
	}
	if _, _, err := w.c.rest.Checks.UpdateCheckRun(transport.WithIdempotent(ctx), w.owner, w.repo, cr.ID, opts); err != nil {
		return fmt.Errorf("update check run %d (%s) on %s: %w", cr.ID, cr.Name, w.pr(), ctxErr(ctx, err))
	}
	return nil
}
