//go:build !noapp

package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"

	"github.com/contribution-policy/contribution-policy/internal/app"
)

// runServe is `contribution-policy serve`: the GitHub App's webhook server.
// Everything is configured through the environment (docs/app.md); --listen
// overrides CP_LISTEN.
func runServe(ctx context.Context, env Env, args []string) (int, error) {
	fs := newFlags("serve", env, "serve [--listen ADDR]")
	listen := fs.String("listen", "", "address to listen on (default $CP_LISTEN or :8080)")
	if err := fs.Parse(args); err != nil {
		return ExitError, err
	}
	if fs.NArg() > 0 {
		return ExitError, usageError("serve takes no arguments")
	}
	cfg, err := app.LoadConfig(env.Getenv, nil)
	if err != nil {
		return ExitError, fmt.Errorf("configuration:\n%w", err)
	}
	if *listen != "" {
		cfg.Listen = *listen
	}
	log := slog.New(slog.NewJSONHandler(env.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	o := app.Options{Logger: log}
	o.Pacer.MinInterval = cfg.WriteInterval
	if cfg.WriteInterval <= 0 {
		o.Pacer.MinInterval = -1
	}
	s, err := app.New(ctx, cfg, o)
	if err != nil {
		return ExitError, err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		s.Close()
		return ExitError, err
	}
	if err := s.Serve(ctx, ln); err != nil {
		return ExitError, err
	}
	return ExitOK, nil
}
