package schema

import (
	"flag"
	"reflect"
	"strings"
	"testing"

	"github.com/contribution-policy/contribution-policy/internal/schema/schematest"
)

var update = flag.Bool("update", false, "rewrite generated files")

func testSchema(t *testing.T) []byte {
	t.Helper()
	s, err := JSONSchema(reflect.TypeFor[testConfig](), testDefaults(), SchemaOptions{
		ID: "https://example.com/test.schema.json", Title: "test",
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestJSONSchemaGolden(t *testing.T) {
	schematest.CheckFile(t, "testdata/testconfig.schema.json", testSchema(t), *update, "./internal/schema")
}

func TestJSONSchemaDeterministic(t *testing.T) {
	a, b := testSchema(t), testSchema(t)
	if string(a) != string(b) {
		t.Error("two generations differ")
	}
}

// TestSchemaAgreesWithDecode: for every decode case the JSON Schema accepts
// the document exactly when Decode finds no problem.
func TestSchemaAgreesWithDecode(t *testing.T) {
	validate := schematest.Validator(t, testSchema(t))
	yamlOnly := map[string]string{
		"duplicate key":                 "JSON parsers keep the last of duplicate keys",
		"duplicate map key":             "JSON parsers keep the last of duplicate keys",
		"merge keys are rejected":       "no JSON equivalent",
		"non-string key":                "no JSON equivalent",
		"empty document":                "no JSON equivalent",
		"explicit tag with a bad value": "no JSON equivalent",
		"alias cycle":                   "no JSON equivalent",
	}
	for _, tt := range decodeCases() {
		t.Run(tt.name, func(t *testing.T) {
			if why, ok := yamlOnly[tt.name]; ok {
				t.Skip(why)
			}
			n, err := ParseYAML([]byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			js, err := ToJSON(n)
			if err != nil {
				t.Fatalf("ToJSON: %v", err)
			}
			err = validate(js)
			if (err == nil) != (len(tt.want) == 0) {
				t.Errorf("schema valid=%v, decode problems %v\ninstance %s\nschema error: %v", err == nil, tt.want, js, err)
			}
		})
	}
}

func TestJSONSchemaErrors(t *testing.T) {
	type rec struct {
		Next []rec `yaml:"next"`
	}
	type badTag struct {
		A int `yaml:"a" pattern:"x"`
	}
	type badMap struct {
		M map[int]string `yaml:"m"`
	}
	for _, tt := range []struct {
		t    reflect.Type
		want string
	}{
		{reflect.TypeFor[rec](), "recursive type"},
		{reflect.TypeFor[badTag](), "pattern on int is not supported"},
		{reflect.TypeFor[badMap](), "map keys must be strings"},
	} {
		if _, err := JSONSchema(tt.t, nil, SchemaOptions{}); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.t, err, tt.want)
		}
	}
	if _, err := JSONSchema(reflect.TypeFor[testConfig](), 3, SchemaOptions{}); err == nil {
		t.Error("defaults of the wrong type accepted")
	}
}
