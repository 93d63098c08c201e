package config

import (
	"testing"

	"github.com/contribution-policy/contribution-policy/internal/schema/schematest"
)

// TestREADMEReference keeps the configuration reference in the README equal
// to the one generated from the schema.
func TestREADMEReference(t *testing.T) {
	schematest.CheckGeneratedBlock(t, "../../README.md", "config-reference", Reference(), *update, "./internal/config")
}
