package app

import "github.com/contribution-policy/contribution-policy/internal/queue"

// pull_request: opened, reopened, synchronize, edited, ready_for_review
// evaluate the pull request; other actions change nothing the policy reads.
func parsePullRequest(_ *Server, body []byte) (*queue.Delivery, error) {
	var ev struct {
		envelope
		Number      int `json:"number"`
		PullRequest struct {
			State string `json:"state"`
		} `json:"pull_request"`
	}
	if err := decode(body, &ev); err != nil {
		return nil, err
	}
	switch ev.Action {
	case "opened", "reopened", "synchronize", "edited", "ready_for_review":
	default:
		return nil, nil
	}
	if ev.PullRequest.State == "closed" {
		return nil, nil
	}
	return prWork(ev.envelope, ev.Number)
}
