package app

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/queue"
)

// MaxPayload is GitHub's webhook payload cap (25 MB: above it GitHub sends
// nothing); the body is read through http.MaxBytesReader at that size.
const MaxPayload = 25 << 20

// HookPath is the webhook route (go-githubapp's default).
const HookPath = "/api/github/hook"

// Outcomes of a delivery, the "outcome" label of the deliveries metric.
const (
	outcomeStored       = "stored"
	outcomeDuplicate    = "duplicate"
	outcomeIgnored      = "ignored"
	outcomePing         = "ping"
	outcomeUnauthorized = "unauthorized"
	outcomeBadRequest   = "bad_request"
	outcomeError        = "error"
)

// serveHook is POST /api/github/hook. Order matters: the raw body is read
// (capped) and its signature checked before anything of it is parsed.
func (s *Server) serveHook(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	event := r.Header.Get("X-GitHub-Event")
	outcome := outcomeError
	defer func() { s.metrics.delivery(metricEvent(event), outcome, time.Since(start)) }()
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		outcome = outcomeBadRequest
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxPayload))
	if err != nil {
		outcome = outcomeBadRequest
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "payload larger than 25 MiB", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "could not read the body", http.StatusBadRequest)
		return
	}
	if msg := s.verify(r.Header, body); msg != "" {
		outcome = outcomeUnauthorized
		s.log.Warn("webhook refused", "reason", msg, LogKeyEventType, event, LogKeyDeliveryID, r.Header.Get("X-GitHub-Delivery"), "remote", r.RemoteAddr)
		http.Error(w, msg, http.StatusUnauthorized)
		return
	}
	id := r.Header.Get("X-GitHub-Delivery")
	if event == "" || id == "" || len(id) > 200 {
		outcome = outcomeBadRequest
		http.Error(w, "X-GitHub-Event and X-GitHub-Delivery are required", http.StatusBadRequest)
		return
	}
	log := s.log.With(LogKeyEventType, event, LogKeyDeliveryID, id)
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			outcome = outcomeBadRequest
			http.Error(w, "the webhook's content type must be application/json", http.StatusUnsupportedMediaType)
			return
		}
	}
	if event == "ping" {
		outcome = outcomePing
		log.Info("ping")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, "pong\n")
		return
	}
	parse := parsers[event]
	if parse == nil {
		outcome = outcomeIgnored
		w.WriteHeader(http.StatusAccepted)
		return
	}
	d, err := parse(s, body)
	if err != nil {
		outcome = outcomeBadRequest
		log.Warn("malformed webhook", "err", err)
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if d == nil {
		outcome = outcomeIgnored
		w.WriteHeader(http.StatusAccepted)
		return
	}
	d.ID, d.Event, d.Received = id, event, start
	res, err := s.queue.Submit(r.Context(), d)
	if err != nil {
		log.Error("could not store the delivery", "err", err)
		http.Error(w, "could not store the delivery; redeliver it", http.StatusServiceUnavailable)
		return
	}
	if res == queue.Duplicate {
		outcome = outcomeDuplicate
		log.Info("duplicate delivery: nothing to do")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, "duplicate\n")
		return
	}
	outcome = outcomeStored
	if d.PR != nil {
		log.Debug("queued", LogKeyInstallationID, d.InstallationID, LogKeyRepoOwner, d.PR.Owner, LogKeyRepoName, d.PR.Repo, LogKeyPRNum, d.PR.Number)
	}
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, "queued\n")
}

// verify checks X-Hub-Signature-256 against every configured secret in
// constant time. It returns why the request is refused, or "".
func (s *Server) verify(h http.Header, body []byte) string {
	sig := h.Get("X-Hub-Signature-256")
	if sig == "" {
		if h.Get("X-Hub-Signature") != "" {
			return "X-Hub-Signature (SHA-1) is not accepted: X-Hub-Signature-256 is required"
		}
		return "X-Hub-Signature-256 is required"
	}
	hexSig, ok := strings.CutPrefix(sig, "sha256=")
	if !ok {
		return "X-Hub-Signature-256 must start with sha256="
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil || len(got) != sha256.Size {
		return "X-Hub-Signature-256 is malformed"
	}
	match := false
	for _, secret := range s.cfg.WebhookSecrets {
		m := hmac.New(sha256.New, secret)
		m.Write(body)
		// Every secret is checked, so timing says nothing about which matched.
		if hmac.Equal(m.Sum(nil), got) {
			match = true
		}
	}
	if !match {
		return "signature mismatch"
	}
	return ""
}

// metricEvent bounds the event label to known names.
func metricEvent(e string) string {
	if _, ok := parsers[e]; ok || e == "ping" {
		return e
	}
	if e == "" {
		return "none"
	}
	return "other"
}

// Sign returns the X-Hub-Signature-256 value for body (tests and tools).
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}
