package snapshot

import (
	"fmt"
	"reflect"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/schema"
)

// SchemaID is where the snapshot format's JSON Schema is published
// (schema/snapshot.schema.json on the default branch).
const SchemaID = "https://raw.githubusercontent.com/contribution-policy/contribution-policy/main/schema/snapshot.schema.json"

// JSONSchema is the snapshot file's JSON Schema, generated from the types'
// tags; its "config" refers to the configuration schema (config.SchemaID).
func JSONSchema() (*schema.Schema, error) {
	s, err := schema.JSONSchema(reflect.TypeFor[Snapshot](), nil, schema.SchemaOptions{
		Tag:   "json",
		ID:    SchemaID,
		Title: "contribution-policy snapshot",
		Description: "One pull request, its commits and the identities behind them, as `contribution-policy check --snapshot` reads it. " +
			"Generated from the Go types.",
		Fields: map[string]*schema.Schema{"config": {Ref: config.SchemaID}},
	})
	if err != nil {
		return nil, fmt.Errorf("generate the snapshot schema: %w", err)
	}
	return s, nil
}

// SchemaJSON is JSONSchema as the indented JSON committed in schema/.
func SchemaJSON() ([]byte, error) {
	s, err := JSONSchema()
	if err != nil {
		return nil, err
	}
	return s.MarshalIndent()
}
