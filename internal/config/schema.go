package config

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/contribution-policy/contribution-policy/internal/schema"
)

// SchemaID is where the configuration's JSON Schema is published (the file
// schema/contribution-policy.schema.json on the default branch), for
// editors: `# yaml-language-server: $schema=<SchemaID>`.
const SchemaID = "https://raw.githubusercontent.com/contribution-policy/contribution-policy/main/schema/contribution-policy.schema.json"

// JSONSchema is the configuration file's JSON Schema, generated from the
// types' tags with Default() as the defaults.
func JSONSchema() (*schema.Schema, error) {
	s, err := schema.JSONSchema(reflect.TypeFor[Config](), Default(), schema.SchemaOptions{
		ID:    SchemaID,
		Title: "contribution-policy configuration",
		Description: "The " + PolicyPath + " file of a repository, or of an organisation's .github repository. " +
			"Generated from the Go types; see docs/configuration.md.",
	})
	if err != nil {
		return nil, fmt.Errorf("generate the configuration schema: %w", err)
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

// Reference renders every key of the configuration as a Markdown table
// (key, type, default, description), generated from JSONSchema so that it
// cannot drift from what the decoder accepts.
func Reference() string {
	s, err := JSONSchema()
	if err != nil {
		// The types are fixed at compile time and the package's tests
		// generate this schema: reaching here is a programming error.
		panic(err)
	}
	var b strings.Builder
	b.WriteString("| Key | Type | Default | Description |\n")
	b.WriteString("|---|---|---|---|\n")
	referenceRows(&b, s, "")
	return b.String()
}

func referenceRows(b *strings.Builder, s *schema.Schema, prefix string) {
	for _, p := range s.Properties {
		path := p.Name
		if prefix != "" {
			path = prefix + "." + p.Name
		}
		typ := typeName(p.Schema)
		if containsString(s.Required, p.Name) {
			typ += ", required"
		}
		def := ""
		if p.Schema.Default != nil {
			def = "`" + string(p.Schema.Default) + "`"
		}
		def = strings.ReplaceAll(def, "|", `\|`) // inside a code span only the pipe needs escaping
		fmt.Fprintf(b, "| `%s` | %s | %s | %s |\n", path, cell(typ), def, cell(p.Schema.Description))
		if len(p.Schema.Properties) > 0 {
			referenceRows(b, p.Schema, path)
		}
		if p.Schema.Items != nil && len(p.Schema.Items.Properties) > 0 {
			referenceRows(b, p.Schema.Items, path+"[]")
		}
		if ap, ok := p.Schema.AdditionalProperties.(*schema.Schema); ok && len(ap.Properties) > 0 {
			referenceRows(b, ap, path+".<name>")
		}
	}
}

// typeName describes a property's schema in words.
func typeName(s *schema.Schema) string {
	if len(s.Enum) > 0 {
		vals := make([]string, len(s.Enum))
		for i, e := range s.Enum {
			j, _ := json.Marshal(e)
			vals[i] = "`" + strings.Trim(string(j), `"`) + "`"
		}
		return "one of " + strings.Join(vals, ", ")
	}
	var t string
	switch {
	case s.Type.Has("array") && s.Items != nil:
		t = "list of " + plural(typeName(s.Items))
	case s.Type.Has("object") && len(s.Properties) > 0:
		t = "mapping"
	case s.Type.Has("object"):
		if ap, ok := s.AdditionalProperties.(*schema.Schema); ok {
			t = "mapping of names to " + plural(typeName(ap))
		} else {
			t = "mapping"
		}
	case len(s.Type) > 0:
		t = s.Type[0]
	default:
		t = "any"
	}
	if s.MaxLength != nil {
		t += fmt.Sprintf(" (≤ %d characters)", *s.MaxLength)
	}
	if s.Type.Has("null") {
		t += " or null"
	}
	return t
}

func plural(s string) string {
	switch {
	case strings.HasPrefix(s, "one of "), strings.HasPrefix(s, "list of "), strings.HasPrefix(s, "mapping of "):
		return s
	case strings.HasSuffix(s, "s"):
		return s
	}
	word, rest, _ := strings.Cut(s, " ")
	if rest != "" {
		return word + "s " + rest
	}
	return word + "s"
}

// cell escapes text for a Markdown table cell; "<email>" would otherwise be
// taken for an HTML tag and vanish.
func cell(s string) string {
	s = strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
