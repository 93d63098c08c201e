package cli

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/contribution-policy/contribution-policy/internal/pipeline"
	"github.com/contribution-policy/contribution-policy/internal/policy"
	"github.com/contribution-policy/contribution-policy/internal/render"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

func runCheck(ctx context.Context, env Env, args []string) (int, error) {
	fs := newFlags("check", env, "check (--snapshot FILE | --repo OWNER/REPO --pr N [--apply]) [--format text|json]")
	snapPath := fs.String("snapshot", "", "evaluate an offline snapshot file (JSON); no network")
	repo := fs.String("repo", "", "evaluate a pull request of OWNER/REPO through the GitHub API (token from GITHUB_TOKEN or GH_TOKEN)")
	pr := fs.Int("pr", 0, "pull request number (with --repo)")
	apply := fs.Bool("apply", false, "with --repo: write statuses, labels and the comment (default: dry run)")
	format := fs.String("format", "text", "output format: text or json")
	apiURL := fs.String("api-url", "", "GitHub REST API URL (default $GITHUB_API_URL or https://api.github.com/)")
	botLogin := fs.String("bot-login", "", "login the policy comment is posted as (with --apply; default: github-actions[bot])")
	if err := fs.Parse(args); err != nil {
		return ExitError, err
	}
	if fs.NArg() > 0 {
		return ExitError, usageError("unexpected argument %q", fs.Arg(0))
	}
	if *format != "text" && *format != "json" {
		return ExitError, usageError("--format must be text or json, got %q", *format)
	}
	var (
		d       *policy.Decision
		subject string
	)
	switch {
	case *snapPath != "" && *repo != "":
		return ExitError, usageError("give either --snapshot or --repo, not both")
	case *snapPath != "":
		data, err := os.ReadFile(*snapPath)
		if err != nil {
			return ExitError, fmt.Errorf("read snapshot: %w", err)
		}
		snap, cfg, err := snapshot.Decode(data, *snapPath)
		if err != nil {
			return ExitError, err
		}
		d = policy.Evaluate(cfg, snap)
		subject = fmt.Sprintf("%s#%d from %s", snap.Repository.FullName(), snap.PullRequest.Number, *snapPath)
	case *repo != "":
		owner, name, ok := strings.Cut(*repo, "/")
		if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
			return ExitError, usageError("--repo must be OWNER/REPO, got %q", *repo)
		}
		if *pr <= 0 {
			return ExitError, usageError("--pr must be a pull request number")
		}
		out, err := checkOnline(ctx, env, owner, name, *pr, *apiURL, *apply, *botLogin)
		if err != nil {
			return ExitError, err
		}
		d = out.Decision
		subject = fmt.Sprintf("%s/%s#%d", owner, name, *pr)
		if out.ConfigSource != "" {
			subject += ", config " + out.ConfigSource
		}
		defer reportWrites(env, out, *apply)
	default:
		return ExitError, usageError("give --snapshot FILE or --repo OWNER/REPO --pr N")
	}
	var err error
	if *format == "json" {
		err = render.WriteJSON(env.Stdout, d)
	} else {
		err = render.WriteText(env.Stdout, d, subject)
	}
	if err != nil {
		return ExitError, err
	}
	return exitCode(d.Result), nil
}

func checkOnline(ctx context.Context, env Env, owner, repo string, number int, apiURL string, apply bool, botLogin string) (*pipeline.Outcome, error) {
	c, err := apiClient(env, apiURL)
	if err != nil {
		return nil, err
	}
	if botLogin == "" {
		botLogin = "github-actions[bot]"
	}
	p := &pipeline.Pipeline{GitHub: c, BotLogin: botLogin, ServerURL: env.Getenv("GITHUB_SERVER_URL"), DryRun: !apply, CLAStore: claStoreOpener(c, env)}
	out, err := p.Run(ctx, pipeline.Target{Owner: owner, Repo: repo, Number: number})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func reportWrites(env Env, out *pipeline.Outcome, applied bool) {
	verb := "would write"
	ops := out.Planned
	if applied {
		verb, ops = "wrote", out.Applied
	}
	if len(ops) == 0 {
		fmt.Fprintln(env.Stderr, "no writes needed: GitHub already matches the decision")
	}
	for _, op := range ops {
		fmt.Fprintf(env.Stderr, "%s: %s\n", verb, op)
	}
	if out.WriteErr != nil {
		fmt.Fprintf(env.Stderr, "write errors: %s\n", out.WriteErr)
	}
}

func exitCode(r policy.Result) int {
	switch r {
	case policy.Pass:
		return ExitOK
	case policy.Fail:
		return ExitFail
	}
	return ExitError
}
