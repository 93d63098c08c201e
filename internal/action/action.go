// Package action is the GitHub Action front end: it reads the runner's
// environment and event file, runs the pipeline, and reports through commit
// statuses, labels and the policy comment (on the pull request) and through
// outputs, the job summary, annotations and the exit code (on the run).
package action

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/sethvargo/go-githubactions"

	"github.com/contribution-policy/contribution-policy/internal/command"
	"github.com/contribution-policy/contribution-policy/internal/gh"
	"github.com/contribution-policy/contribution-policy/internal/pipeline"
	"github.com/contribution-policy/contribution-policy/internal/policy"
	"github.com/contribution-policy/contribution-policy/internal/render"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
	"github.com/contribution-policy/contribution-policy/internal/transport"
	"github.com/contribution-policy/contribution-policy/internal/version"
)

// Exit codes.
const (
	ExitPass  = 0 // every check passes (or nothing to do)
	ExitFail  = 1 // a policy check fails
	ExitError = 2 // the tool could not evaluate: bad input, bad config, GitHub fault
)

// Inputs the Action reads; action.yml declares exactly these (tested).
const (
	InputToken           = "github-token"
	InputConfigPath      = "config-path"
	InputDryRun          = "dry-run"
	InputBotLogin        = "bot-login"
	InputMembershipToken = "membership-token"
	InputCLAToken        = "cla-token"
)

// Outputs the Action sets; action.yml declares exactly these (tested).
const (
	OutputResult         = "result"
	OutputDCO            = "dco"
	OutputFailingCommits = "failing-commits"
	OutputConfigSource   = "config-source"
	OutputCLA            = "cla"
)

// DefaultBotLogin is who comments when the workflow uses GITHUB_TOKEN.
const DefaultBotLogin = "github-actions[bot]"

// Options are the process's environment.
type Options struct {
	Getenv func(string) string
	// Stdout receives workflow commands (annotations, masks); Stderr logs.
	Stdout, Stderr io.Writer
	// Transport is the base HTTP transport (tests may slow or break it).
	Transport http.RoundTripper
}

// Run runs the Action and returns the process exit code. It never panics on
// bad input: every problem becomes an `::error` annotation and exit 2.
func Run(ctx context.Context, o Options) (code int) {
	a := githubactions.New(githubactions.WithGetenv(o.Getenv), githubactions.WithWriter(o.Stdout))
	r := &runner{a: a, getenv: o.Getenv, log: newLogger(o)}
	// First thing: as root in a container, become the workspace owner.
	dropPrivileges(o.Getenv("GITHUB_WORKSPACE"), r.log)
	defer func() {
		// go-githubactions panics when it cannot write a file command; turn
		// that into a reported tool error instead of a crash.
		if p := recover(); p != nil {
			fmt.Fprintf(o.Stdout, "::error title=contribution-policy::internal error: %v\n", p)
			code = ExitError
		}
	}()
	code, err := r.run(ctx, o)
	if err != nil {
		a.WithFieldsMap(map[string]string{"title": "contribution-policy"}).Errorf("%s", err)
		r.setOutput(OutputResult, string(policy.Errored))
		return ExitError
	}
	return code
}

type runner struct {
	a      *githubactions.Action
	getenv func(string) string
	log    *slog.Logger
	// summaryOK records whether GITHUB_STEP_SUMMARY can be written.
}

func newLogger(o Options) *slog.Logger {
	level := slog.LevelInfo
	if o.Getenv("RUNNER_DEBUG") == "1" {
		level = slog.LevelDebug
	}
	w := o.Stderr
	if w == nil {
		w = io.Discard
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

func (r *runner) run(ctx context.Context, o Options) (int, error) {
	token := r.a.GetInput(InputToken)
	if token == "" {
		return ExitError, fmt.Errorf("input %q is empty: pass `%s: ${{ github.token }}` (or a GitHub App token) in the workflow", InputToken, InputToken)
	}
	r.a.AddMask(token)
	memberToken := r.a.GetInput(InputMembershipToken)
	if memberToken != "" {
		r.a.AddMask(memberToken)
	}
	claToken := r.a.GetInput(InputCLAToken)
	if claToken != "" {
		r.a.AddMask(claToken)
	}
	dryRun, err := boolInput(r.a, InputDryRun)
	if err != nil {
		return ExitError, err
	}
	// The event is decoded first, by us, so a malformed file is reported with
	// its line and column.
	target, skip, readOnly, err := r.target(r.getenv("GITHUB_EVENT_NAME"), r.getenv("GITHUB_EVENT_PATH"))
	if err != nil {
		return ExitError, err
	}
	if skip != "" {
		r.a.Noticef("%s", skip)
		r.setOutput(OutputResult, "skipped")
		return ExitPass, nil
	}
	ghctx, err := r.a.Context()
	if err != nil {
		return ExitError, fmt.Errorf("read the runner's environment: %w", err)
	}

	client, stats, err := r.client(ghctx, token, o.Transport)
	if err != nil {
		return ExitError, err
	}
	var members pipeline.GitHub = client
	if memberToken != "" {
		mc, _, err := r.client(ghctx, memberToken, o.Transport)
		if err != nil {
			return ExitError, err
		}
		members = memberClient{Client: client, members: mc}
	}
	botLogin := r.a.GetInput(InputBotLogin)
	if botLogin == "" {
		botLogin = DefaultBotLogin
	}
	note := ""
	if readOnly {
		dryRun = true
		note = "This pull request comes from a fork and the workflow runs on `pull_request`, so its token " +
			"is read-only: nothing was written to the pull request. Run the workflow on `pull_request_target` " +
			"(it never checks out the pull request's code) to report statuses and comments."
	} else if dryRun {
		note = "Dry run: nothing was written to the pull request."
	}
	p := &pipeline.Pipeline{
		GitHub:     members,
		BotLogin:   botLogin,
		ServerURL:  ghctx.ServerURL,
		TargetURL:  runURL(ghctx),
		DryRun:     dryRun,
		Logger:     r.log,
		PolicyPath: r.a.GetInput(InputConfigPath),
	}
	if p.CLAStore, err = r.claStore(ghctx, client, claToken, o.Transport); err != nil {
		return ExitError, err
	}
	start := time.Now()
	out, runErr := p.Run(ctx, target)
	if out != nil && out.WriteErr != nil && gh.IsForbidden(out.WriteErr) {
		// The token could not write (fork PR, missing permission): say so and
		// keep the verdict; the summary still carries the report.
		note = "The token could not write to the pull request (" + out.WriteErr.Error() + "). Check the job's " +
			"`permissions:` (statuses: write, pull-requests: write) or run on `pull_request_target`."
		out.WriteErr = nil
	}
	api := stats.Snapshot()
	r.log.Info("evaluated", "pr", target.String(), "duration_ms", time.Since(start).Milliseconds(),
		"api_reads", api.Reads+api.GraphQLQueries, "api_writes", api.Writes+api.GraphQLMutations, "api_retries", api.Retries)
	if runErr != nil {
		return ExitError, fmt.Errorf("evaluate %s: %w", target, runErr)
	}
	return r.report(out, ghctx.ServerURL, note)
}

// report sets outputs, the job summary and annotations, and picks the exit
// code.
func (r *runner) report(out *pipeline.Outcome, serverURL, note string) (int, error) {
	d := out.Decision
	r.setOutput(OutputResult, string(d.Result))
	if c, ok := d.Check(policy.CheckDCO); ok {
		r.setOutput(OutputDCO, string(c.Conclusion))
	} else {
		r.setOutput(OutputDCO, "")
	}
	var failing []string
	if d.DCO != nil {
		for _, c := range d.DCO.Failed() {
			failing = append(failing, c.SHA)
		}
	}
	r.setOutput(OutputFailingCommits, strings.Join(failing, ","))
	r.setOutput(OutputConfigSource, out.ConfigSource)
	r.reportCLA(out)
	r.reportAffiliation(out)
	rc := render.Context{ServerURL: serverURL, Repo: snapshot.Repository{Owner: out.Target.Owner, Name: out.Target.Repo}, Number: out.Target.Number}
	r.summary(render.Summary(d, rc, note))
	for _, c := range d.Checks {
		switch c.Conclusion {
		case policy.Failure:
			msg := c.Title
			if c.Name == policy.CheckDCO && len(failing) > 0 {
				msg += ": " + shortList(failing, 10)
			}
			r.a.WithFieldsMap(map[string]string{"title": c.Context()}).Errorf("%s", msg)
		case policy.Error:
			msg := c.Detail
			if msg == "" {
				msg = c.Description
			}
			r.a.WithFieldsMap(map[string]string{"title": c.Context()}).Errorf("%s", msg)
		}
	}
	if out.WriteErr != nil {
		r.a.Warningf("some writes to the pull request failed: %s", out.WriteErr)
	}
	switch d.Result {
	case policy.Pass:
		return ExitPass, nil
	case policy.Fail:
		return ExitFail, nil
	}
	return ExitError, nil
}

// target turns the event into a pipeline target. skip, when set, is why the
// event needs no work. readOnly is set for fork PRs on `pull_request`.
func (r *runner) target(event, path string) (t pipeline.Target, skip string, readOnly bool, err error) {
	switch ev := event; ev {
	case "pull_request_target", "pull_request":
		pe, err := parsePullRequestEvent(path)
		if err != nil {
			return t, "", false, err
		}
		if pe.Action == "closed" {
			return t, "pull request closed: nothing to check", false, nil
		}
		t = pipeline.Target{Owner: pe.Owner, Repo: pe.Repo, Number: pe.Number, HeadSHA: pe.HeadSHA, BaseSHA: pe.BaseSHA, CommitCount: pe.Commits, Event: ev, Action: pe.Action}
		return t, "", ev == "pull_request" && pe.Fork, nil
	case "issue_comment":
		ce, err := parseIssueCommentEvent(path)
		if err != nil {
			return t, "", false, err
		}
		switch {
		case !ce.IsPR:
			return t, "comment on an issue, not a pull request: nothing to check", false, nil
		case ce.Action != "created":
			return t, fmt.Sprintf("comment %s: commands are only read from new comments", ce.Action), false, nil
		case ce.AuthorType == "Bot":
			return t, "comment by a bot: ignored", false, nil
		}
		signing := mayConcernCLA(ce.Body)
		affiliation := pipeline.MayConcernAffiliation(ce.Body)
		if !hasCommand(ce.Body, command.Recheck) && !signing && !affiliation {
			return t, "comment without a command: nothing to do", false, nil
		}
		t = pipeline.Target{Owner: ce.Owner, Repo: ce.Repo, Number: ce.Number, Event: ev}
		if signing || affiliation {
			t.Comment = ce.pipelineComment()
		}
		return t, "", false, nil
	case "":
		return t, "", false, fmt.Errorf("GITHUB_EVENT_NAME is not set: is this running in GitHub Actions?")
	default:
		return t, fmt.Sprintf("event %q is not handled: run this action on pull_request_target (and issue_comment for /recheck)", ev), false, nil
	}
}

func hasCommand(body string, name command.Name) bool {
	for _, c := range command.Parse(body) {
		if c.Name == name {
			return true
		}
	}
	return false
}

func (r *runner) client(ghctx *githubactions.GitHubContext, token string, base http.RoundTripper) (*gh.Client, *transport.Stats, error) {
	hc, stats := transport.NewClient(base, transport.Options{
		Logger:  r.log,
		Version: version.Version,
		// A run writes a handful of times at most; GitHub's one-second
		// guidance is for sustained writers, so a short gap is enough here.
		Pacer: transport.PacerOptions{MinInterval: 250 * time.Millisecond},
	})
	c, err := gh.New(gh.Options{
		APIURL:     ghctx.APIURL,
		GraphQLURL: ghctx.GraphqlURL,
		Token:      token,
		HTTPClient: hc,
	})
	return c, stats, err
}

// memberClient answers membership questions with a token that can see
// private org members, and everything else with the main token.
type memberClient struct {
	*gh.Client
	members *gh.Client
}

func (m memberClient) IsOrgMember(ctx context.Context, org, login string) (bool, error) {
	return m.members.IsOrgMember(ctx, org, login)
}

func runURL(c *githubactions.GitHubContext) string {
	if c.RunID == 0 || c.Repository == "" {
		return ""
	}
	return fmt.Sprintf("%s/%s/actions/runs/%d", strings.TrimSuffix(c.ServerURL, "/"), c.Repository, c.RunID)
}

func boolInput(a *githubactions.Action, name string) (bool, error) {
	switch v := strings.ToLower(a.GetInput(name)); v {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	default:
		return false, fmt.Errorf("input %q must be true or false, got %q", name, v)
	}
}

// setOutput writes an output, stripping newlines: outputs are single-line by
// contract, and go-githubactions' fixed heredoc delimiter must never appear
// in a value.
func (r *runner) setOutput(name, value string) {
	if r.getenv("GITHUB_OUTPUT") == "" {
		return
	}
	value = strings.NewReplacer("\r", " ", "\n", " ").Replace(value)
	r.a.SetOutput(name, value)
}

func (r *runner) summary(md string) {
	if r.getenv("GITHUB_STEP_SUMMARY") == "" {
		return
	}
	r.a.AddStepSummary(md)
}

func shortList(shas []string, n int) string {
	var out []string
	for i, s := range shas {
		if i == n {
			out = append(out, fmt.Sprintf("and %d more", len(shas)-n))
			break
		}
		if len(s) > 7 {
			s = s[:7]
		}
		out = append(out, s)
	}
	return strings.Join(out, ", ")
}
