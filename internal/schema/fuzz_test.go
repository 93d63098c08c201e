package schema

import (
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// FuzzDecode: any bytes, parsed as YAML or JSON, decode onto the
// representative struct without panicking or hanging, and every problem has
// a message and a position inside the document.
func FuzzDecode(f *testing.F) {
	for _, c := range decodeCases() {
		f.Add([]byte(c.src))
	}
	f.Add([]byte(`{"version": 1, "items": [{"sha": "` + strings.Repeat("a", 40) + `"}], "raw": {"a": [1, 2]}}`))
	f.Add([]byte("a: &a [x, x]\nb: &b [*a, *a]\nlabels: {k: *b}\nany: *b\nraw: *b\n"))
	f.Add([]byte("version: 1\nlimits: {a: &x {max: 1}, b: *x, c: {<<: *x}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		// yaml.v3 also breaks lines at \r, NEL, LS and PS.
		lines := 1
		for _, sep := range []string{"\n", "\r", "\u0085", "\u2028", "\u2029"} {
			lines += strings.Count(string(data), sep)
		}
		for _, parse := range []func([]byte) (*yaml.Node, error){ParseYAML, ParseJSON} {
			n, err := parse(data)
			if err != nil {
				se, ok := err.(*SyntaxError)
				if !ok {
					t.Fatalf("error %T %v is not a *SyntaxError", err, err)
				}
				if se.Line < 0 || se.Line > lines+1 {
					t.Fatalf("syntax error line %d outside 1..%d: %v", se.Line, lines, se)
				}
				continue
			}
			cfg := testDefaults()
			for _, p := range Decode(n, &cfg, Options{MaxAliasNodes: 2000}) {
				if p.Message == "" || p.Line < 0 || p.Line > lines+1 {
					t.Fatalf("bad problem %+v", p)
				}
			}
			_, _ = ToJSON(n)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Fatalf("took %v", d)
		}
	})
}
