package app

import (
	"fmt"

	"github.com/contribution-policy/contribution-policy/internal/queue"
)

// merge_group: checks_requested judges the commits the merge queue built
// (base_sha..head_sha) under the DCO merge-queue rule.
func parseMergeGroup(_ *Server, body []byte) (*queue.Delivery, error) {
	var ev struct {
		envelope
		MergeGroup struct {
			HeadSHA string `json:"head_sha"`
			BaseSHA string `json:"base_sha"`
			HeadRef string `json:"head_ref"`
		} `json:"merge_group"`
	}
	if err := decode(body, &ev); err != nil {
		return nil, err
	}
	if ev.Action != "checks_requested" {
		return nil, nil
	}
	if ev.Repository == nil || ev.Installation == nil || ev.MergeGroup.HeadSHA == "" || ev.MergeGroup.BaseSHA == "" {
		return nil, fmt.Errorf("malformed payload: repository, installation and merge_group head/base are required")
	}
	owner, name := ev.Repository.split()
	return &queue.Delivery{Action: ev.Action, InstallationID: ev.Installation.ID, MergeGroup: &queue.MergeGroupArgs{
		InstallationID: ev.Installation.ID, Owner: owner, Repo: name,
		HeadSHA: ev.MergeGroup.HeadSHA, BaseSHA: ev.MergeGroup.BaseSHA, HeadRef: ev.MergeGroup.HeadRef,
	}}, nil
}
