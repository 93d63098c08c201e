package queue

import (
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// PR names a pull request and the installation that reaches it.
type PR struct {
	InstallationID int64  `json:"installation_id"`
	Owner          string `json:"owner" river:"unique"`
	Repo           string `json:"repo" river:"unique"`
	Number         int    `json:"number" river:"unique"`
}

// Key is the pull request's queue key, "owner/repo#n" in lower case.
func (p PR) Key() string { return strings.ToLower(fmt.Sprintf("%s/%s#%d", p.Owner, p.Repo, p.Number)) }

func (p PR) String() string { return fmt.Sprintf("%s/%s#%d", p.Owner, p.Repo, p.Number) }

// EvaluateArgs is the job that evaluates one pull request. Its unique key is
// the pull request alone, so there is at most one such job per pull request
// that is not finished: a burst of events coalesces into it, and two workers
// never hold the same pull request.
type EvaluateArgs struct {
	PR
}

// Kind implements river.JobArgs.
func (EvaluateArgs) Kind() string { return "cp_evaluate" }

// uniquePending are the states in which a job blocks a duplicate. "completed"
// is left out (a finished evaluation must not block the next one); River
// requires available, pending, running and scheduled; retryable is kept so
// that a failing job is retried now rather than doubled (see insert).
var uniquePending = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
	rivertype.JobStateScheduled, rivertype.JobStateRetryable,
}

func uniqueOpts() river.UniqueOpts {
	return river.UniqueOpts{ByArgs: true, ByState: uniquePending}
}

// MergeGroupArgs evaluates the commits a merge queue built.
type MergeGroupArgs struct {
	InstallationID int64  `json:"installation_id"`
	Owner          string `json:"owner" river:"unique"`
	Repo           string `json:"repo" river:"unique"`
	HeadSHA        string `json:"head_sha" river:"unique"`
	BaseSHA        string `json:"base_sha"`
	HeadRef        string `json:"head_ref"`
}

// Kind implements river.JobArgs.
func (MergeGroupArgs) Kind() string { return "cp_merge_group" }

// SweepRepoArgs evaluates every open pull request of a repository (a
// repository the App was just installed on).
type SweepRepoArgs struct {
	InstallationID int64  `json:"installation_id"`
	Owner          string `json:"owner" river:"unique"`
	Repo           string `json:"repo" river:"unique"`
}

// Kind implements river.JobArgs.
func (SweepRepoArgs) Kind() string { return "cp_sweep_repo" }

// ReconcileArgs is the periodic repair job: redeliver failed deliveries,
// evaluate open pull requests updated since the last sweep, and re-queue
// pull requests whose last request was never completed.
type ReconcileArgs struct{}

// Kind implements river.JobArgs.
func (ReconcileArgs) Kind() string { return "cp_reconcile" }

// Request is an action someone asked for on a pull request besides an
// evaluation (a maintainer's "Set DCO to pass"); it is stored with the
// delivery and handed to the next evaluation of the pull request.
type Request struct {
	ID         string `json:"id"`
	Kind       string `json:"kind"` // RequestOverride
	HeadSHA    string `json:"head_sha"`
	Login      string `json:"login"`
	CheckRunID int64  `json:"check_run_id"`
	// Comment is set for RequestComment; DeliveryID names its delivery.
	Comment    *Comment `json:"comment,omitempty"`
	DeliveryID string   `json:"delivery_id,omitempty"`
}

// Request kinds.
const (
	RequestOverride = "dco-override"
	// RequestComment hands a new comment that may sign the CLA (or
	// acknowledge a corporate agreement) to the evaluation, as evidence.
	RequestComment = "comment"
	// RequestOpened records that a coalesced delivery opened (or reopened)
	// the pull request: first-time guidance is only first shown then.
	RequestOpened = "opened"
)

// Comment is a pull request comment as the webhook reported it.
type Comment struct {
	ID         int64     `json:"id"`
	URL        string    `json:"url"`
	Body       string    `json:"body"`
	AuthorID   int64     `json:"author_id"`
	Author     string    `json:"author"`
	AuthorType string    `json:"author_type"`
	CreatedAt  time.Time `json:"created_at"`
	RepoID     int64     `json:"repo_id"`
}

// Delivery is one accepted webhook delivery and the work it asks for.
type Delivery struct {
	ID             string // X-GitHub-Delivery
	Event, Action  string
	InstallationID int64
	// At most one of these is set.
	PR         *PR
	Request    *Request // with PR
	MergeGroup *MergeGroupArgs
	Repos      []SweepRepoArgs
	Received   time.Time
}

// Outcome of storing a delivery.
type Outcome int

// Outcomes.
const (
	Stored Outcome = iota
	Duplicate
)
