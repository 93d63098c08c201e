package app

import (
	"fmt"
	"strings"

	"github.com/contribution-policy/contribution-policy/internal/queue"
)

type repoEntry struct {
	FullName string `json:"full_name"`
}

func sweeps(inst int64, repos []repoEntry) []queue.SweepRepoArgs {
	var out []queue.SweepRepoArgs
	for _, r := range repos {
		if o, n, ok := strings.Cut(r.FullName, "/"); ok {
			out = append(out, queue.SweepRepoArgs{InstallationID: inst, Owner: o, Repo: n})
		}
	}
	return out
}

// installation: a new (or unsuspended, or re-permissioned) installation
// sweeps the open pull requests of its repositories.
func parseInstallation(_ *Server, body []byte) (*queue.Delivery, error) {
	var ev struct {
		envelope
		Repositories []repoEntry `json:"repositories"`
	}
	if err := decode(body, &ev); err != nil {
		return nil, err
	}
	switch ev.Action {
	case "created", "unsuspend", "new_permissions_accepted":
	default:
		return nil, nil
	}
	if ev.Installation == nil || ev.Installation.ID == 0 {
		return nil, fmt.Errorf("malformed payload: no installation")
	}
	rs := sweeps(ev.Installation.ID, ev.Repositories)
	if len(rs) == 0 {
		return nil, nil
	}
	return &queue.Delivery{Action: ev.Action, InstallationID: ev.Installation.ID, Repos: rs}, nil
}

// installation_repositories: repositories added to an installation are
// swept.
func parseInstallationRepositories(_ *Server, body []byte) (*queue.Delivery, error) {
	var ev struct {
		envelope
		Added []repoEntry `json:"repositories_added"`
	}
	if err := decode(body, &ev); err != nil {
		return nil, err
	}
	if ev.Action != "added" || ev.Installation == nil || ev.Installation.ID == 0 {
		return nil, nil
	}
	rs := sweeps(ev.Installation.ID, ev.Added)
	if len(rs) == 0 {
		return nil, nil
	}
	return &queue.Delivery{Action: ev.Action, InstallationID: ev.Installation.ID, Repos: rs}, nil
}
