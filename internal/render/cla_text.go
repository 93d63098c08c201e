package render

import (
	"fmt"
	"strings"

	"github.com/contribution-policy/contribution-policy/internal/policy/cla"
)

// VerdictCLA is the CLA check's part of the JSON verdict: every identity,
// covered with its basis, or missing (or warned about) with its reason code.
// Field names are a public contract, documented in docs/snapshot.md.
type VerdictCLA struct {
	Covered    []VerdictIdentity `json:"covered"`
	Missing    []VerdictIdentity `json:"missing"`
	Warnings   []VerdictIdentity `json:"warnings,omitempty"`
	SignPhrase string            `json:"sign_phrase,omitempty"`
}

// VerdictIdentity is one identity in the JSON verdict.
type VerdictIdentity struct {
	GitHubID int64      `json:"github_id,omitempty"`
	Login    string     `json:"login,omitempty"`
	Email    string     `json:"email,omitempty"`
	Roles    []cla.Role `json:"roles"`
	Commits  []string   `json:"commits,omitempty"`
	// Basis (covered identities): icla:<version>, ccla:<id>/<rule>,
	// allowlist:<rule>.
	Basis string `json:"basis,omitempty"`
	// Reason (missing ones, and warnings): a stable code such as
	// MISSING_SIGNATURE or UNLINKED_EMAIL.
	Reason  cla.Reason `json:"reason,omitempty"`
	Detail  string     `json:"detail"`
	Company string     `json:"company,omitempty"`
}

func newVerdictCLA(r *cla.Result) *VerdictCLA {
	v := &VerdictCLA{Covered: []VerdictIdentity{}, Missing: []VerdictIdentity{}, SignPhrase: r.SignPhrase}
	for _, x := range r.Identities {
		vi := VerdictIdentity{GitHubID: x.GitHubID, Login: x.Login, Roles: x.Roles, Commits: x.Commits,
			Basis: x.Basis, Reason: x.Reason, Detail: x.Detail, Company: x.Company}
		if x.Unresolved || x.Login == "" {
			vi.Email = x.Email
		}
		switch x.Conclusion {
		case cla.Covered:
			v.Covered = append(v.Covered, vi)
			if x.Reason == cla.ResignSoon {
				v.Warnings = append(v.Warnings, vi)
			}
		case cla.Missing:
			v.Missing = append(v.Missing, vi)
		case cla.Warning:
			v.Warnings = append(v.Warnings, vi)
		}
	}
	return v
}

// writeCLAText lists every identity for the terminal report.
func writeCLAText(b *strings.Builder, r *cla.Result) {
	if r.Unavailable != nil {
		fmt.Fprintf(b, "      store: %s: %s\n", r.Unavailable.Code, flatten(r.Unavailable.Message))
	}
	for _, x := range r.Identities {
		mark := map[cla.Conclusion]string{cla.Covered: "ok  ", cla.Missing: "FAIL", cla.Warning: "warn"}[x.Conclusion]
		what := x.Basis
		if x.Reason != "" {
			what = strings.TrimPrefix(what+" "+string(x.Reason), " ")
		}
		fmt.Fprintf(b, "      %s %-30s %s\n", mark, flatten(x.Display()), what)
		if x.Conclusion != cla.Covered || x.Reason != "" {
			fmt.Fprintf(b, "           %s\n", flatten(x.Detail))
		}
	}
	if !r.Passed() && r.Unavailable == nil {
		fmt.Fprintf(b, "    sign: comment %q on the pull request\n", r.SignPhrase)
	}
}
