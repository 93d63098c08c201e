package app

import (
	"testing"

	"github.com/contribution-policy/contribution-policy/internal/fixtures"
)

// BenchmarkParsePullRequest: the acknowledgement path's payload parsing
// (gjson) against decoding the same fields with encoding/json.
func BenchmarkParsePullRequest(b *testing.B) {
	body := fixtures.MustRead("webhooks/pull_request/synchronize.payload.json")
	b.Run("gjson", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if _, err := parsePullRequest(nil, body); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var ev struct {
				envelope
				Number      int `json:"number"`
				PullRequest struct {
					State string `json:"state"`
				} `json:"pull_request"`
			}
			if err := decode(body, &ev); err != nil {
				b.Fatal(err)
			}
		}
	})
}
