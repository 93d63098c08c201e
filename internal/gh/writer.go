package gh

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/go-github/v60/github"

	"github.com/contribution-policy/contribution-policy/internal/reconcile"
	"github.com/contribution-policy/contribution-policy/internal/transport"
)

// PRWriter performs reconcile's writes on one pull request.
type PRWriter struct {
	c           *Client
	owner, repo string
	number      int
	sha         string
	botLogin    string
}

// Writer returns the writer for one pull request; statuses go on sha.
// botLogin identifies the bot's own comments when a lost response must be
// checked.
func (c *Client) Writer(owner, repo string, number int, sha, botLogin string) *PRWriter {
	return &PRWriter{c: c, owner: owner, repo: repo, number: number, sha: sha, botLogin: botLogin}
}

var _ reconcile.Writer = (*PRWriter)(nil)

func (w *PRWriter) pr() string { return fmt.Sprintf("%s/%s#%d", w.owner, w.repo, w.number) }

// SetStatus posts a commit status. Posting the same status twice has the
// same effect as once, so it is safe to retry after an unclear failure.
func (w *PRWriter) SetStatus(ctx context.Context, s reconcile.Status) error {
	st := &github.RepoStatus{State: &s.State, Context: &s.Context, Description: &s.Description}
	if s.TargetURL != "" {
		st.TargetURL = &s.TargetURL
	}
	_, _, err := w.c.rest.Repositories.CreateStatus(transport.WithIdempotent(ctx), w.owner, w.repo, w.sha, st)
	if err != nil {
		return fmt.Errorf("set status %s on %s@%s: %w", s.Context, w.pr(), short(w.sha), ctxErr(ctx, err))
	}
	return nil
}

// CreateLabel creates a repository label; one that already exists is fine.
func (w *PRWriter) CreateLabel(ctx context.Context, l reconcile.Label) error {
	lb := &github.Label{Name: &l.Name}
	if l.Color != "" {
		lb.Color = &l.Color
	}
	if l.Description != "" {
		lb.Description = &l.Description
	}
	_, _, err := w.c.rest.Issues.CreateLabel(transport.WithIdempotent(ctx), w.owner, w.repo, lb)
	if err != nil && !alreadyExists(err) {
		return fmt.Errorf("create label %q in %s/%s: %w", l.Name, w.owner, w.repo, ctxErr(ctx, err))
	}
	return nil
}

// AddLabels adds labels to the pull request (adding a present one is a no-op
// on GitHub, so retrying is safe).
func (w *PRWriter) AddLabels(ctx context.Context, labels []string) error {
	_, _, err := w.c.rest.Issues.AddLabelsToIssue(transport.WithIdempotent(ctx), w.owner, w.repo, w.number, labels)
	if err != nil {
		return fmt.Errorf("add labels %q to %s: %w", labels, w.pr(), ctxErr(ctx, err))
	}
	return nil
}

// RemoveLabel removes a label; one already gone is fine.
func (w *PRWriter) RemoveLabel(ctx context.Context, label string) error {
	// go-github v60 puts the name into the path unescaped; a label such as
	// "affiliation/acme" must not become two path segments.
	_, err := w.c.rest.Issues.RemoveLabelForIssue(ctx, w.owner, w.repo, w.number, url.PathEscape(label))
	if err != nil && !IsNotFound(err) {
		return fmt.Errorf("remove label %q from %s: %w", label, w.pr(), ctxErr(ctx, err))
	}
	return nil
}

// CreateComment posts the policy comment. A comment POST is not idempotent,
// so the transport never retries it blindly; if the call fails in a way that
// may have reached GitHub, the comments are re-read and the call counts as
// done when the comment is there — a lost response must not become a
// duplicate.
func (w *PRWriter) CreateComment(ctx context.Context, body string) error {
	_, _, err := w.c.rest.Issues.CreateComment(ctx, w.owner, w.repo, w.number, &github.IssueComment{Body: &body})
	if err == nil {
		return nil
	}
	if code := StatusCode(err); code >= 400 && code < 500 {
		return fmt.Errorf("comment on %s: %w", w.pr(), err)
	}
	if ctx.Err() != nil {
		return fmt.Errorf("comment on %s: %w", w.pr(), ctx.Err())
	}
	comments, lerr := w.c.Comments(ctx, w.owner, w.repo, w.number)
	if lerr != nil {
		return fmt.Errorf("comment on %s: %w (and checking whether it landed failed: %v)", w.pr(), err, lerr)
	}
	for _, c := range comments {
		if strings.EqualFold(c.Author, w.botLogin) && c.Body == body {
			return nil
		}
	}
	return fmt.Errorf("comment on %s: %w", w.pr(), err)
}

// EditComment replaces a comment's body (idempotent).
func (w *PRWriter) EditComment(ctx context.Context, id int64, body string) error {
	_, _, err := w.c.rest.Issues.EditComment(transport.WithIdempotent(ctx), w.owner, w.repo, id, &github.IssueComment{Body: &body})
	if err != nil {
		return fmt.Errorf("edit comment %d on %s: %w", id, w.pr(), ctxErr(ctx, err))
	}
	return nil
}

func alreadyExists(err error) bool {
	var er *github.ErrorResponse
	if !asErrorResponse(err, &er) || er.Response.StatusCode != http.StatusUnprocessableEntity {
		return false
	}
	for _, e := range er.Errors {
		if e.Code == "already_exists" {
			return true
		}
	}
	return false
}
