package app

import (
	"strings"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/command"
	"github.com/contribution-policy/contribution-policy/internal/pipeline"
	"github.com/contribution-policy/contribution-policy/internal/queue"
)

// issue_comment: a command in a new comment on a pull request. Only
// `created` counts (an edit must not replay a command), never from a bot.
func parseIssueComment(s *Server, body []byte) (*queue.Delivery, error) {
	var ev struct {
		envelope
		Issue struct {
			Number      int       `json:"number"`
			PullRequest *struct{} `json:"pull_request"`
			State       string    `json:"state"`
		} `json:"issue"`
		Comment struct {
			ID        int64     `json:"id"`
			HTMLURL   string    `json:"html_url"`
			Body      string    `json:"body"`
			CreatedAt time.Time `json:"created_at"`
			User      struct {
				account
				ID int64 `json:"id"`
			} `json:"user"`
		} `json:"comment"`
	}
	if err := decode(body, &ev); err != nil {
		return nil, err
	}
	if ev.Action != "created" || ev.Issue.PullRequest == nil || ev.Issue.State == "closed" ||
		ev.Comment.User.Type == "Bot" || strings.HasSuffix(ev.Comment.User.Login, "[bot]") {
		return nil, nil
	}
	// A comment that may sign the CLA or set an affiliation travels with
	// its delivery as evidence (who said it, when).
	signing := pipeline.MayConcernCLA(ev.Comment.Body) || pipeline.MayConcernAffiliation(ev.Comment.Body)
	if !signing && !commandTriggers(command.Parse(ev.Comment.Body)) {
		return nil, nil
	}
	d, err := prWork(ev.envelope, ev.Issue.Number)
	if err != nil || !signing {
		return d, err
	}
	// The comment may sign the CLA: it goes to the evaluation as evidence
	// (stored with the delivery, so coalescing never loses it).
	c := ev.Comment
	d.Request = &queue.Request{Kind: queue.RequestComment, Login: c.User.Login, Comment: &queue.Comment{
		ID: c.ID, URL: c.HTMLURL, Body: c.Body, AuthorID: c.User.ID, Author: c.User.Login, AuthorType: c.User.Type,
		CreatedAt: c.CreatedAt, RepoID: ev.Repository.ID,
	}}
	return d, nil
}

// commandTriggers reports whether a comment's commands call for an
// evaluation. Every command does (`/recheck`, `/cla recheck`, ...). A comment
// that may sign the CLA (pipeline.MayConcernCLA) is also handed to the
// evaluation as evidence (queue.RequestComment → pipeline.Target.Comment).
// This is the seam for new commands.
func commandTriggers(cmds []command.Command) bool {
	return len(cmds) > 0
}
