//go:build noapp

package clastore

import (
	"context"
	"errors"
	"testing"
)

// The Action's build (-tags noapp) leaves the SQL drivers out: asking it for
// a database is a clear error, not a panic or an "unknown driver".
func TestNoSQLDriversInTheActionBuild(t *testing.T) {
	if _, err := Open(context.Background(), "sqlite:/tmp/x.db"); !errors.Is(err, errNoSQLDrivers) {
		t.Fatalf("Open: %v, want errNoSQLDrivers", err)
	}
}
