package app

import "github.com/contribution-policy/contribution-policy/internal/queue"

// check_suite: "Re-run all checks" (rerequested) on our suite evaluates
// its pull requests again. A fork's suite lists no pull request; its runs'
// own "Re-run" (check_run.rerequested) covers it.
func parseCheckSuite(s *Server, body []byte) (*queue.Delivery, error) {
	var ev struct {
		envelope
		CheckSuite struct {
			App          appRef  `json:"app"`
			PullRequests []prRef `json:"pull_requests"`
		} `json:"check_suite"`
	}
	if err := decode(body, &ev); err != nil {
		return nil, err
	}
	if ev.Action != "rerequested" || ev.CheckSuite.App.ID != s.cfg.AppID || len(ev.CheckSuite.PullRequests) == 0 {
		return nil, nil
	}
	return prWork(ev.envelope, ev.CheckSuite.PullRequests[0].Number)
}
