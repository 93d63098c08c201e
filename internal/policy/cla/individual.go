package cla

import (
	"strconv"
	"strings"
	"time"

	"github.com/contribution-policy/contribution-policy/internal/config"
	"github.com/contribution-policy/contribution-policy/internal/snapshot"
)

// individualVerdict is what the signatures say about one identity and the
// individual agreement.
type individualVerdict struct {
	covered bool
	grace   bool   // covered by an older version during the grace period
	version string // the version of the signature that decided
	resign  bool   // only signatures of versions that no longer count
	revoked bool   // only revoked signatures
}

// individual judges id's signatures of agreement a at time at (cla.md §6.5):
// a non-revoked signature of the current version or one it is compatible
// with covers; during the grace period any older version covers with a
// warning; otherwise an older signature means "sign again".
func individual(a *config.Agreement, sigs []snapshot.Signature, at time.Time) individualVerdict {
	if a == nil {
		return individualVerdict{}
	}
	var older *snapshot.Signature
	revoked := false
	for i := range sigs {
		s := &sigs[i]
		switch {
		case s.RevokedAt != nil && !s.RevokedAt.After(at):
			revoked = true
		case compatible(a, s.Version):
			return individualVerdict{covered: true, version: s.Version}
		case older == nil:
			older = s
		}
	}
	switch {
	case older != nil && a.GraceUntil != nil && at.Before(*a.GraceUntil):
		return individualVerdict{covered: true, grace: true, version: older.Version}
	case older != nil:
		return individualVerdict{resign: true, version: older.Version}
	}
	return individualVerdict{revoked: revoked}
}

// compatible reports whether a signature of version v counts for a.
func compatible(a *config.Agreement, v string) bool {
	if SameVersion(string(a.Version), v) {
		return true
	}
	for _, c := range a.CompatibleWith {
		if SameVersion(string(c), v) {
			return true
		}
	}
	return false
}

// SameVersion compares versions as people write them: a leading "v" and
// trailing ".0" components do not matter when every component is a number
// ("2" = "2.0" = "v2.0.0"); other versions compare as text, ignoring case.
func SameVersion(a, b string) bool {
	na, oka := numericVersion(a)
	nb, okb := numericVersion(b)
	if oka && okb {
		return na == nb
	}
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

func numericVersion(v string) (string, bool) {
	v = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(v), "v"), "V")
	parts := strings.Split(v, ".")
	for i, p := range parts {
		n, err := strconv.ParseUint(p, 10, 64)
		if err != nil {
			return "", false
		}
		parts[i] = strconv.FormatUint(n, 10)
	}
	for len(parts) > 1 && parts[len(parts)-1] == "0" {
		parts = parts[:len(parts)-1]
	}
	return strings.Join(parts, "."), true
}

// Major is a version's first component, part of a signature's idempotency
// key (cla.md §6.4): "2.1.0" → "2", "v3" → "3", "2024-05" → "2024-05".
func Major(v string) string {
	v = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(v), "v"), "V")
	if n, ok := numericVersion(v); ok {
		m, _, _ := strings.Cut(n, ".")
		return m
	}
	m, _, _ := strings.Cut(v, ".")
	return strings.ToLower(m)
}

// AcceptsVersion reports whether a version named in a signing comment is one
// a new signature may be recorded for: the current version or a compatible
// one. A {major} placeholder is satisfied by the current major version.
func AcceptsVersion(a *config.Agreement, v string) bool {
	return compatible(a, v) || Major(v) == Major(string(a.Version)) && !strings.Contains(v, ".")
}

// IndividualAgreement returns the configuration's individual agreement.
func IndividualAgreement(cfg config.CLA) *config.Agreement {
	for i := range cfg.Agreements {
		if k := cfg.Agreements[i].Kind; k == "" || k == config.KindIndividual {
			return &cfg.Agreements[i]
		}
	}
	return nil
}

// SignPhrase is the exact phrase to post: the configured one with its
// placeholders filled in for the current version.
func SignPhrase(cfg config.CLA) string {
	p := cfg.SignPhrase
	if p == "" {
		p = config.DefaultSignPhrase
	}
	if a := IndividualAgreement(cfg); a != nil {
		p = strings.NewReplacer("{version}", string(a.Version), "{major}", Major(string(a.Version))).Replace(p)
	}
	return p
}
