// Package cli implements the contribution-policy command line: one binary,
// subcommands for the Action, offline and online checks, local sign-off
// checks and configuration validation.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/contribution-policy/contribution-policy/internal/action"
	"github.com/contribution-policy/contribution-policy/internal/version"
)

// Exit codes shared by every subcommand.
const (
	ExitOK    = 0 // passed
	ExitFail  = 1 // a policy check failed
	ExitError = 2 // bad usage, bad input, or a tool error
)

// Env is the process environment, injected so commands are testable.
type Env struct {
	Args           []string // without the program name
	Getenv         func(string) string
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Dir is the working directory for local git commands ("" = current).
	Dir string
}

const usage = `contribution-policy enforces a project's contribution policy on pull requests.

Usage:
  contribution-policy <command> [flags]

Commands:
  action            run as a GitHub Action (the default when GITHUB_ACTIONS=true)
  check             evaluate a pull request: --snapshot FILE (offline) or --repo OWNER/REPO --pr N
  dco [RANGE]       check sign-offs of local commits (default: upstream merge base..HEAD)
  validate-config   validate a configuration file
  cla               CLA signatures: export, import (CLA Assistant, Lite), verify
  serve             run the GitHub App's webhook server (configured by environment; see docs/app.md)
  affiliation       employer data: index (build a prebuilt index), who LOGIN|EMAIL (resolve at a date)
  report            contributions by employer: --repo OWNER/REPO | --org ORG --since DATE (Markdown, CSV, JSON, SVG)
  version           print the version

Run 'contribution-policy <command> -h' for a command's flags.
`

// Main runs the command line and returns the exit code.
func Main(ctx context.Context, env Env) int {
	args := env.Args
	if len(args) == 0 {
		if env.Getenv("GITHUB_ACTIONS") == "true" {
			args = []string{"action"}
		} else {
			fmt.Fprint(env.Stderr, usage)
			return ExitError
		}
	}
	cmd, rest := args[0], args[1:]
	var err error
	code := ExitOK
	switch cmd {
	case "action":
		return action.Run(ctx, action.Options{Getenv: env.Getenv, Stdout: env.Stdout, Stderr: env.Stderr})
	case "check":
		code, err = runCheck(ctx, env, rest)
	case "dco":
		code, err = runDCO(ctx, env, rest)
	case "validate-config":
		code, err = runValidateConfig(env, rest)
	case "cla":
		code, err = runCLA(ctx, env, rest)
	case "serve":
		code, err = runServe(ctx, env, rest)
	case "affiliation":
		code, err = runAffiliation(env, rest)
	case "report":
		code, err = runReport(ctx, env, rest)
	case "version", "--version", "-version":
		fmt.Fprintln(env.Stdout, "contribution-policy", version.Version)
	case "help", "-h", "--help", "-help":
		fmt.Fprint(env.Stdout, usage)
	default:
		fmt.Fprintf(env.Stderr, "contribution-policy: unknown command %q\n\n%s", cmd, usage)
		return ExitError
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		fmt.Fprintf(env.Stderr, "contribution-policy %s: %s\n", cmd, strings.TrimRight(err.Error(), "\n"))
		return ExitError
	}
	return code
}

// newFlags makes a flag set that reports errors instead of exiting.
func newFlags(name string, env Env, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: contribution-policy %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// usageError marks an error as a usage problem.
func usageError(format string, args ...any) error {
	return fmt.Errorf("usage: "+format, args...)
}
