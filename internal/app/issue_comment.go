package app

import (
	"strings"

	"github.com/contribution-policy/contribution-policy/internal/command"
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
			Body string  `json:"body"`
			User account `json:"user"`
		} `json:"comment"`
	}
	if err := decode(body, &ev); err != nil {
		return nil, err
	}
	if ev.Action != "created" || ev.Issue.PullRequest == nil || ev.Issue.State == "closed" ||
		ev.Comment.User.Type == "Bot" || strings.HasSuffix(ev.Comment.User.Login, "[bot]") {
		return nil, nil
	}
	if !commandTriggers(command.Parse(ev.Comment.Body)) {
		return nil, nil
	}
	return prWork(ev.envelope, ev.Issue.Number)
}

// commandTriggers reports whether a comment's commands call for an
// evaluation. Every command does: `/recheck` directly, and commands whose
// effect the pipeline reads from the pull request's comments (the CLA's
// sign phrase, added to internal/command by the CLA work) take effect in
// that evaluation. This is the seam for new commands.
func commandTriggers(cmds []command.Command) bool {
	return len(cmds) > 0
}
