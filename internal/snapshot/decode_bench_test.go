package snapshot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/contribution-policy/contribution-policy/internal/schema"
)

// bigSnapshot is a realistic n-commit snapshot as JSON: multi-line messages
// with trailers, linked identities, an embedded config.
func bigSnapshot(tb testing.TB, n int) []byte {
	tb.Helper()
	s := Snapshot{
		Repository: Repository{Owner: "octo", Name: "widgets", OwnerType: "Organization"},
		PullRequest: PullRequest{
			Number: 7, CreatedAt: time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC),
			Author:  Account{Login: "alice", ID: 1001, Type: "User"},
			BaseSHA: fmt.Sprintf("%040x", 1), HeadSHA: fmt.Sprintf("%040x", n+1),
		},
		CommitCount: n,
		Config:      json.RawMessage(`{"version": 1, "dco": {"allowRemediationCommits": {"individual": true}}}`),
	}
	for i := range n {
		s.Commits = append(s.Commits, Commit{
			SHA:       fmt.Sprintf("%040x", i+2),
			Parents:   []string{fmt.Sprintf("%040x", i+1)},
			Message:   fmt.Sprintf("Change %d: adjust the widget frobnicator\n\nThe frobnicator now handles the case where the widget\nis already frobnicated, which used to panic.\n\nFixes #%d\nCo-authored-by: Bob <bob@example.com>\nSigned-off-by: Alice Example <alice@example.com>\n", i, i),
			Author:    Identity{Name: "Alice Example", Email: "alice@example.com", Login: "alice", ID: 1001, Type: "User"},
			Committer: Identity{Name: "GitHub", Email: "noreply@github.com", Login: "web-flow", ID: 19864447, Type: "User"},
		})
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// BenchmarkDecode is the shipped path: schema.ParseJSON, schema.Decode, checks, config.
func BenchmarkDecode(b *testing.B) {
	data := bigSnapshot(b, 5000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Decode(data, "big.json"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeViaYAMLParser is the alternative of parsing the JSON with
// yaml.v3 (which also rejects some valid JSON escapes), for comparison.
func BenchmarkDecodeViaYAMLParser(b *testing.B) {
	data := bigSnapshot(b, 5000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var n yaml.Node
		if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&n); err != nil {
			b.Fatal(err)
		}
		var s Snapshot
		if ps := schema.Decode(&n, &s, schema.Options{Tag: "json"}); len(ps) > 0 {
			b.Fatal(ps)
		}
	}
}

// BenchmarkEncodingJSON is the lenient baseline a fast path would use.
func BenchmarkEncodingJSON(b *testing.B) {
	data := bigSnapshot(b, 5000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		var s Snapshot
		if err := dec.Decode(&s); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDecodeScalesLinearly guards the decoder against quadratic behaviour
// without timing anything (BenchmarkDecode measures the time): ten times the
// commits may cost at most twelve times the allocations. It also decodes a
// 5,000-commit snapshot completely.
func TestDecodeScalesLinearly(t *testing.T) {
	if testing.Short() {
		t.Skip("large input")
	}
	allocs := func(commits int) float64 {
		data := bigSnapshot(t, commits)
		return testing.AllocsPerRun(1, func() {
			s, _, err := Decode(data, "big.json")
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Commits) != commits {
				t.Fatalf("decoded %d commits, want %d", len(s.Commits), commits)
			}
		})
	}
	small, large := allocs(500), allocs(5000)
	t.Logf("allocations: %.0f for 500 commits, %.0f for 5,000", small, large)
	if large > 12*small {
		t.Errorf("5,000 commits cost %.1f times the allocations of 500; want at most 12 (linear)", large/small)
	}
}
