// Command contribution-policy enforces an open source project's contribution
// policy (DCO, CLA, affiliation) on pull requests: as a GitHub Action, a
// GitHub App (serve) or a CLI. This file is wiring only.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	// CA roots compiled in: the container image is FROM scratch.
	_ "golang.org/x/crypto/x509roots/fallback"

	"github.com/contribution-policy/contribution-policy/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, cli.Env{
		Args:   os.Args[1:],
		Getenv: os.Getenv,
		Stdin:  os.Stdin,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
	})
	stop()
	os.Exit(code)
}
