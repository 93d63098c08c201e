package config

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// FuzzParse: Parse never panics or hangs; it returns a valid configuration
// or an *Error with positioned problems; and wherever the document has a JSON
// equivalent, the JSON Schema agrees with the decoder on whether it is valid.
func FuzzParse(f *testing.F) {
	for _, c := range parseCases() {
		f.Add([]byte(c.src))
	}
	for _, name := range []string{"minimal.yml", "dcoapp-compatible.yml", "full.yml", "dco.yml"} {
		if b, err := os.ReadFile(examples + "/" + name); err == nil {
			f.Add(b)
		}
	}
	validate := schemaValidator(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, Source{Path: "f.yml"})
		if err != nil {
			var ce *Error
			if !errors.As(err, &ce) || len(ce.Problems) == 0 {
				t.Fatalf("error %T %v is not a *Error with problems", err, err)
			}
			for _, p := range ce.Problems {
				if p.Message == "" || p.Line < 0 {
					t.Fatalf("bad problem %+v", p)
				}
			}
		} else if ps := Validate(c); len(ps) != 0 {
			t.Fatalf("Parse accepted a config that Validate rejects: %v", ps)
		}
		_, _ = ParseDCOFile(data, Source{Path: "dco.yml"})

		// Explicit tags (!foo) and duplicate keys have no faithful JSON form.
		if strings.Contains(string(data), "!") {
			return
		}
		node, problems, ok := decodeProblems(data)
		if !ok {
			return
		}
		for _, p := range problems {
			if strings.Contains(p.Message, "duplicate key") || strings.Contains(p.Message, "alias") {
				return
			}
		}
		agree(t, validate, node, problems)
	})
}
