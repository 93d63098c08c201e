//go:build noapp

package cli

import (
	"context"
	"fmt"
)

// The Action's container image is built with `-tags noapp` (see the
// Dockerfile): the App's server brings a job queue, SQLite, PostgreSQL and
// metrics, which would triple the image every Action run pulls, and the
// Action never serves webhooks. Builds without the tag have `serve`.
func runServe(context.Context, Env, []string) (int, error) {
	return ExitError, fmt.Errorf("this binary was built with -tags noapp (the Action's image) and has no App server; " +
		"build without that tag to run the App")
}
