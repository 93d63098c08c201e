package config

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/contribution-policy/contribution-policy/internal/schema"
	"github.com/contribution-policy/contribution-policy/internal/schema/schematest"
)

var update = flag.Bool("update", false, "rewrite generated files (schema, reference docs)")

const (
	schemaFile = "../../schema/contribution-policy.schema.json"
	docFile    = "../../docs/configuration.md"
	examples   = "../../examples/config"
	pkg        = "./internal/config"
)

func TestSchemaFileUpToDate(t *testing.T) {
	b, err := SchemaJSON()
	if err != nil {
		t.Fatal(err)
	}
	schematest.CheckFile(t, schemaFile, b, *update, pkg)
}

func TestReferenceUpToDate(t *testing.T) {
	schematest.CheckGeneratedBlock(t, docFile, "config-reference", Reference(), *update, pkg)
}

func TestReferenceListsEveryKey(t *testing.T) {
	ref := Reference()
	for _, key := range []string{"version", "dco.require.members", "dco.allowRemediationCommits.thirdParty", "labels.dco.yes", "comment.enabled"} {
		if !strings.Contains(ref, "| `"+key+"` |") {
			t.Errorf("reference has no row for %s", key)
		}
	}
	if strings.Contains(ref, "<email>") {
		t.Error("unescaped <email> would vanish in rendered Markdown")
	}
}

func schemaValidator(t testing.TB) func([]byte) error {
	t.Helper()
	b, err := SchemaJSON()
	if err != nil {
		t.Fatal(err)
	}
	return schematest.Validator(t, b)
}

// decodeProblems is Parse without Validate: what the struct tags, and so the
// JSON Schema, are responsible for.
func decodeProblems(src []byte) (n *yaml.Node, problems []schema.Problem, ok bool) {
	node, err := schema.ParseYAML(src)
	if err != nil || isEmpty(node) {
		return nil, nil, false
	}
	c := Default()
	return node, schema.Decode(node, &c, schema.Options{}), true
}

// TestSchemaAgreesWithDecoder: for every sample, the generated JSON Schema
// accepts the document exactly when the decoder reports no problem.
func TestSchemaAgreesWithDecoder(t *testing.T) {
	validate := schemaValidator(t)
	var samples []parseCase
	samples = append(samples, parseCases()...)
	for _, f := range exampleFiles(t) {
		if filepath.Base(f) == "dco.yml" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		samples = append(samples, parseCase{name: f, src: string(data)})
	}
	for _, tt := range samples {
		t.Run(tt.name, func(t *testing.T) {
			if tt.noJSON {
				t.Skip("no JSON equivalent")
			}
			node, problems, ok := decodeProblems([]byte(tt.src))
			if !ok {
				t.Skip("empty or unparsable")
			}
			agree(t, validate, node, problems)
		})
	}
}

func agree(t testing.TB, validate func([]byte) error, node *yaml.Node, problems []schema.Problem) {
	t.Helper()
	js, err := schema.ToJSON(node)
	if err != nil {
		t.Skipf("no JSON equivalent: %v", err)
	}
	verr := validate(js)
	if (verr == nil) != (len(problems) == 0) {
		t.Errorf("schema valid=%v but decoder problems=%v\ninstance: %s\nschema: %v", verr == nil, problems, js, verr)
	}
}

func exampleFiles(t testing.TB) []string {
	files, err := filepath.Glob(filepath.Join(examples, "*.yml"))
	if err != nil || len(files) < 4 {
		t.Fatalf("examples: %v %v", files, err)
	}
	return files
}

func TestExamples(t *testing.T) {
	for _, f := range exampleFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src := Source{Path: f}
		if filepath.Base(f) == "dco.yml" {
			d, err := ParseDCOFile(data, src)
			if err != nil {
				t.Errorf("%s: %v", f, err)
			}
			// The dcoapp-compatible policy file carries the same settings.
			c, err := Parse(mustRead(t, filepath.Join(examples, "dcoapp-compatible.yml")), src)
			if err != nil {
				t.Fatal(err)
			}
			if c.DCO != d {
				t.Errorf("dco.yml gives %+v, dcoapp-compatible.yml %+v", d, c.DCO)
			}
			continue
		}
		if _, err := Parse(data, src); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
