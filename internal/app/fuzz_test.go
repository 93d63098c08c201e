package app

import (
	"net/http"
	"sort"
	"strings"
	"testing"
)

// FuzzVerify: no header value makes verify accept a body unless it carries
// that body's HMAC-SHA256 under a configured secret; and it never panics.
func FuzzVerify(f *testing.F) {
	s := &Server{cfg: Config{WebhookSecrets: [][]byte{secret, []byte("old secret")}}}
	body := []byte(`{"zen":"Keep it logically awesome."}`)
	f.Add("sha256="+strings.TrimPrefix(Sign(secret, body), "sha256="), "", body)
	f.Add("sha256=00", "sha1=abc", body)
	f.Add("", "sha1=0123456789abcdef0123456789abcdef01234567", body)
	f.Add("sha256="+strings.Repeat("zz", 32), "", []byte{})
	f.Add(Sign([]byte("wrong"), body), "", body)
	f.Fuzz(func(t *testing.T, sig256, sig1 string, body []byte) {
		h := http.Header{}
		if sig256 != "" {
			h.Set("X-Hub-Signature-256", sig256)
		}
		if sig1 != "" {
			h.Set("X-Hub-Signature", sig1)
		}
		if s.verify(h, body) != "" {
			return
		}
		got := h.Get("X-Hub-Signature-256")
		if !strings.EqualFold(got, Sign(secret, body)) && !strings.EqualFold(got, Sign([]byte("old secret"), body)) {
			t.Fatalf("accepted %q for a body it does not sign", got)
		}
	})
}

// FuzzParsers: every event parser turns any payload into work or an error,
// never a panic, and any work it returns names a real pull request or repo.
func FuzzParsers(f *testing.F) {
	s := &Server{cfg: Config{AppID: appID}}
	events := make([]string, 0, len(parsers))
	for e := range parsers {
		events = append(events, e)
	}
	sort.Strings(events)
	// Small seeds shaped like the real payloads (the fixtures themselves are
	// ~20 KB, which slows mutation to a crawl); the parsers read only these
	// fields.
	repo := `"repository":{"id":1,"name":"r","full_name":"o/r","owner":{"login":"o","type":"Organization"}},"installation":{"id":7}`
	for _, seed := range []string{
		`{"action":"opened","number":2,"pull_request":{"number":2,"head":{"sha":"ec26c3e57ca3a959ca5aad62de7213c562f8c821"},"base":{"sha":"f95f852bd8fca8fcc58a9a2d6c842781e32a215e"},"commits":1},` + repo + `}`,
		`{"action":"created","issue":{"number":2,"pull_request":{"url":"x"}},"comment":{"id":5,"body":"/recheck","user":{"login":"a","id":3,"type":"User"}},` + repo + `}`,
		`{"action":"requested_action","requested_action":{"identifier":"override"},"check_run":{"head_sha":"abc","app":{"id":1},"pull_requests":[{"number":2}]},"sender":{"login":"m"},` + repo + `}`,
		`{"action":"rerequested","check_suite":{"head_sha":"abc","app":{"id":1},"pull_requests":[{"number":2}]},` + repo + `}`,
		`{"action":"created","installation":{"id":7,"account":{"login":"o"}},"repositories":[{"full_name":"o/r"}]}`,
		`{"action":"added","installation":{"id":7,"account":{"login":"o"}},"repositories_added":[{"full_name":"o/r"}]}`,
		`{"action":"checks_requested","merge_group":{"head_sha":"abc","base_sha":"def","head_ref":"refs/heads/gh-readonly-queue/main/pr-2-abc"},` + repo + `}`,
	} {
		for i := range events {
			f.Add(uint8(i), []byte(seed))
		}
	}
	f.Add(uint8(0), []byte(`{"action":"opened","pull_request":null,"repository":{},"installation":{"id":1}}`))
	f.Add(uint8(1), []byte(`[]`))
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		event := events[int(which)%len(events)]
		d, err := parsers[event](s, body)
		if err != nil || d == nil {
			return
		}
		if d.PR != nil && (d.PR.Number <= 0 || d.PR.Owner == "" || d.PR.Repo == "") {
			t.Fatalf("%s: work for an unnamed pull request: %+v", event, d.PR)
		}
	})
}
