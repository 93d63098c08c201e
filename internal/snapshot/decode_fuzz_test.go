package snapshot

import (
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzDecode: Decode never panics or hangs; it returns a snapshot and a
// config, or an *Error whose problems all have a message; and what it
// accepts is valid JSON that encoding/json (the format's other reader) reads
// to the same values.
func FuzzDecode(f *testing.F) {
	if b, err := os.ReadFile("testdata/valid.json"); err == nil {
		f.Add(b)
	}
	f.Add([]byte(minimal("")))
	f.Add([]byte(minimal(`, "config": {"version": 1, "dco": {"match": "email"}}`)))
	f.Add([]byte(minimal(`, "commit_count": 5, "org_members": ["a"], "event": "pull_request"`)))
	f.Add([]byte(`{"commits": [{}, {"sha": 1}], "config": null}`))
	f.Add([]byte(`{"a": "\ud83d\ude00\/", "b": [1e400, -0, 1.5e-3]}`))
	f.Add([]byte("{\"repository\": {\"owner\": \"o\",}\n}"))
	f.Add([]byte(`{"repository": {"owner": "o\u00e9\ud800", "name": "r", "owner_type": "User"}, "pull_request": {"number": 1.0}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, cfg, err := Decode(data, "f.json")
		if err != nil {
			var se *Error
			if !errors.As(err, &se) || len(se.Problems) == 0 {
				t.Fatalf("error %T %v is not an *Error with problems", err, err)
			}
			for _, p := range se.Problems {
				if p.Message == "" || p.Line < 0 {
					t.Fatalf("bad problem %+v", p)
				}
			}
			return
		}
		if s == nil || cfg == nil {
			t.Fatal("nil result without an error")
		}
		if !json.Valid(data) {
			t.Fatalf("accepted invalid JSON %q", data)
		}
		// encoding/json rejects integral floats (1.0) for integers, which
		// JSON Schema and Decode accept; otherwise it must read the same.
		var viaJSON Snapshot
		if err := json.Unmarshal(data, &viaJSON); err != nil {
			return
		}
		viaJSON.Config = s.Config
		if diff := cmp.Diff(&viaJSON, s); diff != "" {
			t.Fatalf("encoding/json (-) and Decode (+) differ:\n%s", diff)
		}
	})
}
