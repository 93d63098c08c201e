// Package policy is the engine: it judges a snapshot against a configuration
// and returns a Decision. It does no I/O (no HTTP, no environment, no clock),
// which is what lets the offline `check --snapshot` mode and the table tests
// exercise exactly the code the Action and the App run.
package policy

import (
	"fmt"
	"strings"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/policy/cla"
	"github.com/contribution-policy/contribution-policy/internal/policy/dco"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

// Conclusion is a check's verdict, named as GitHub's check-run conclusions.
type Conclusion string

// Conclusions.
const (
	Success Conclusion = "success"
	Failure Conclusion = "failure"
	Neutral Conclusion = "neutral"
	Error   Conclusion = "error"
	Skipped Conclusion = "skipped"
)

// Result is the overall verdict: what the Action's exit code and `result`
// output report.
type Result string

// Results.
const (
	Pass    Result = "pass"
	Fail    Result = "fail"
	Errored Result = "error"
)

// Check names. Contexts derive from them (ContextPrefix + name) and are the
// names branch protection requires, identical in Action and App mode.
const (
	CheckDCO      = "dco"
	ContextPrefix = "contribution-policy/"
)

// Check is one check's verdict in a form every reporter (status, check run,
// summary, JSON) can use.
type Check struct {
	Name       string     `json:"-"`
	Conclusion Conclusion `json:"conclusion"`
	// Title is a short headline ("2 of 5 commits are not signed off").
	Title string `json:"title"`
	// Description fits a commit status (≤ 140 characters).
	Description string `json:"description"`
	// Detail is the full explanation when Description had to be shortened
	// (an error's whole message, for example).
	Detail string `json:"detail,omitempty"`
}

// Context is the status / check-run name for the check.
func (c Check) Context() string { return ContextPrefix + c.Name }

// Decision is the engine's output.
type Decision struct {
	Result Result
	// Checks are the enabled checks in a fixed order.
	Checks []Check
	// DCO is the DCO check's detail; nil when the check is disabled.
	DCO *dco.Result
	// CLA is the CLA check's detail; nil when the check is disabled.
	CLA *cla.Result
	// Labels is what the managed labels should be.
	Labels LabelPlan
	// Affiliation is the author's employer (informational: not among
	// Checks); nil when affiliation is off. Guidance is the first-time
	// section of the policy comment; nil when there is none (affiliation.go).
	Affiliation *AffiliationResult
	Guidance    *Guidance
}

// Check returns the named check and whether it ran.
func (d *Decision) Check(name string) (Check, bool) {
	for _, c := range d.Checks {
		if c.Name == name {
			return c, true
		}
	}
	return Check{}, false
}

// LabelPlan says which labels the tool manages and which of them it wants on
// the pull request. Labels outside Managed are never touched.
type LabelPlan struct {
	Managed []string
	Want    []string
}

// yesNo manages a check's pair of labels (when enabled): the one matching
// passed is wanted, the other removed.
func (l *LabelPlan) yesNo(p config.YesNoPair, passed bool) {
	if !p.Enabled {
		return
	}
	want := p.Yes
	if !passed {
		want = p.No
	}
	l.Managed = append(l.Managed, p.Yes, p.No)
	l.Want = append(l.Want, want)
}

// Evaluate judges the snapshot. cfg must be a validated configuration.
func Evaluate(cfg *config.Config, s *snapshot.Snapshot) *Decision {
	return EvaluateWith(cfg, s, Options{})
}

// EvaluateWith is Evaluate with its dependencies given (affiliation.go).
func EvaluateWith(cfg *config.Config, s *snapshot.Snapshot, o Options) *Decision {
	d := &Decision{}
	if cfg.DCO.Enabled {
		r := dco.Evaluate(cfg.DCO, s)
		d.DCO = &r
		d.Checks = append(d.Checks, dcoCheck(r))
		d.Labels.yesNo(cfg.Labels.DCO, r.Passed())
	}
	if cfg.CLA.Enabled {
		evaluateCLA(cfg, s, d)
	}
	evaluateAffiliation(cfg, s, d, o)
	d.Result = overall(d.Checks)
	return d
}

// ErrorDecision builds the decision reported when the policy cannot be evaluated
// (a bad configuration, GitHub unreachable): every named check reports
// `error` with the reason, never a pass.
func ErrorDecision(checks []string, reason string) *Decision {
	d := &Decision{Result: Errored}
	for _, name := range checks {
		d.Checks = append(d.Checks, Check{
			Name:        name,
			Conclusion:  Error,
			Title:       "The policy could not be evaluated",
			Description: Truncate(reason, 140),
			Detail:      reason,
		})
	}
	return d
}

func overall(checks []Check) Result {
	r := Pass
	for _, c := range checks {
		switch c.Conclusion {
		case Error:
			return Errored
		case Failure:
			r = Fail
		}
	}
	return r
}

func dcoCheck(r dco.Result) Check {
	c := Check{Name: CheckDCO}
	failed := len(r.Failed())
	total := len(r.Commits)
	switch {
	case r.Incomplete:
		c.Conclusion = Failure
		c.Title = fmt.Sprintf("Only %d of %d commits could be read", r.Seen, r.Total)
		c.Description = fmt.Sprintf("DCO: could not read all %d commits; failing closed", r.Total)
	case total == 0:
		c.Conclusion = Neutral
		c.Title = "No commits to check"
		c.Description = "DCO: no commits to check"
	case failed == 0:
		c.Conclusion = Success
		c.Title = "All commits are signed off"
		c.Description = fmt.Sprintf("DCO: %s signed off", plural(total, "commit", "commits"))
		if total > 1 {
			c.Description = fmt.Sprintf("DCO: all %d commits signed off", total)
		}
	default:
		c.Conclusion = Failure
		switch {
		case total == 1:
			c.Title = "The commit is not signed off"
		case failed == 1:
			c.Title = fmt.Sprintf("1 of %d commits is not signed off", total)
		default:
			c.Title = fmt.Sprintf("%d of %d commits are not signed off", failed, total)
		}
		c.Description = "DCO: " + strings.ToLower(c.Title[:1]) + c.Title[1:]
	}
	c.Description = Truncate(c.Description, 140)
	return c
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Truncate shortens s to at most n characters (runes), ending with "…" when
// it had to cut, so the result always fits GitHub's field limits.
func Truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	if n <= 1 {
		return string(r[:n])
	}
	return string(r[:n-1]) + "…"
}
