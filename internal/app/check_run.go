package app

import (
	"github.com/contribution-policy/contribution-policy/internal/pipeline"
	"github.com/contribution-policy/contribution-policy/internal/queue"
	"github.com/contribution-policy/contribution-policy/internal/reconcile"
)

// checkRunPayload is the part of a check_run the App reads.
type checkRunPayload struct {
	ID           int64   `json:"id"`
	HeadSHA      string  `json:"head_sha"`
	ExternalID   string  `json:"external_id"`
	App          appRef  `json:"app"`
	PullRequests []prRef `json:"pull_requests"`
}

// prNumber is the pull request a run of ours belongs to: from the payload,
// or (forks, whose payloads list none) from the run's external_id.
func (c checkRunPayload) prNumber() int {
	if len(c.PullRequests) > 0 {
		return c.PullRequests[0].Number
	}
	n, _ := reconcile.PRFromExternalID(c.ExternalID)
	return n
}

// check_run: "Re-run" (rerequested) evaluates again; the "Set DCO to pass"
// button (requested_action) queues a maintainer override, whose clicker's
// permission the job checks before anything is written.
func parseCheckRun(s *Server, body []byte) (*queue.Delivery, error) {
	var ev struct {
		envelope
		CheckRun        checkRunPayload `json:"check_run"`
		RequestedAction *struct {
			Identifier string `json:"identifier"`
		} `json:"requested_action"`
	}
	if err := decode(body, &ev); err != nil {
		return nil, err
	}
	if ev.CheckRun.App.ID != s.cfg.AppID {
		return nil, nil // another app's run
	}
	n := ev.CheckRun.prNumber()
	if n == 0 {
		return nil, nil // a merge group's run: a new queue entry re-runs it
	}
	switch ev.Action {
	case "rerequested":
		return prWork(ev.envelope, n)
	case "requested_action":
		if ev.RequestedAction == nil || ev.RequestedAction.Identifier != pipeline.OverrideIdentifier {
			return nil, nil
		}
		d, err := prWork(ev.envelope, n)
		if err != nil {
			return nil, err
		}
		d.Request = &queue.Request{Kind: queue.RequestOverride, HeadSHA: ev.CheckRun.HeadSHA, Login: ev.Sender.Login, CheckRunID: ev.CheckRun.ID}
		return d, nil
	}
	return nil, nil
}
