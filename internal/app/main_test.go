package app

import (
	"os"
	"testing"

	"github.com/contribution-policy/contribution-policy/internal/pgtest"
)

// TestMain shares one throwaway PostgreSQL cluster among the package's
// tests (each gets its own database).
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
