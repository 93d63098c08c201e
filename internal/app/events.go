package app

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/contribution-policy/contribution-policy/internal/queue"
)

// The payload fields the App reads, common to its events. Decoding into
// these small structs (rather than go-github's full event types) keeps the
// acknowledgement path cheap; each handler file turns its event into the
// work to queue at once.

type account struct {
	Login string `json:"login"`
	Type  string `json:"type"`
}

type repository struct {
	ID       int64   `json:"id"`
	Name     string  `json:"name"`
	FullName string  `json:"full_name"`
	Owner    account `json:"owner"`
}

func (r repository) split() (string, string) {
	if o, n, ok := strings.Cut(r.FullName, "/"); ok {
		return o, n
	}
	return r.Owner.Login, r.Name
}

type installation struct {
	ID int64 `json:"id"`
}

type appRef struct {
	ID int64 `json:"id"`
}

type prRef struct {
	Number int `json:"number"`
}

// envelope is what every event carries.
type envelope struct {
	Action       string        `json:"action"`
	Repository   *repository   `json:"repository"`
	Installation *installation `json:"installation"`
	Sender       account       `json:"sender"`
}

// parser turns an event's payload into the work it asks for; nil means
// nothing to do.
type parser func(s *Server, body []byte) (*queue.Delivery, error)

// parsers are the handled events, one file each.
var parsers = map[string]parser{
	"pull_request":              parsePullRequest,
	"issue_comment":             parseIssueComment,
	"check_run":                 parseCheckRun,
	"check_suite":               parseCheckSuite,
	"installation":              parseInstallation,
	"installation_repositories": parseInstallationRepositories,
	"merge_group":               parseMergeGroup,
}

func decode(body []byte, v any) error {
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("malformed payload: %w", err)
	}
	return nil
}

// prWork is the common "evaluate this pull request" delivery.
func prWork(env envelope, number int) (*queue.Delivery, error) {
	if env.Repository == nil || env.Installation == nil || env.Installation.ID == 0 || number <= 0 {
		return nil, fmt.Errorf("malformed payload: repository, installation and pull request number are required")
	}
	owner, name := env.Repository.split()
	// A payload naming no repository (or a malformed one) must be refused
	// here: queued work for "/{}#1" would fail forever (fuzzing found it).
	if !validName(owner) || !validName(name) {
		return nil, fmt.Errorf("malformed payload: repository %q is not owner/name", env.Repository.FullName)
	}
	pr := queue.PR{InstallationID: env.Installation.ID, Owner: owner, Repo: name, Number: number}
	return &queue.Delivery{Action: env.Action, InstallationID: env.Installation.ID, PR: &pr}, nil
}

// validName accepts what GitHub allows in an account login or a repository
// name: letters, digits, '-', '_' and '.'.
func validName(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}
