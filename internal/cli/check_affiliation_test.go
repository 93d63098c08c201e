package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// check --snapshot shows the affiliation (company, source, confidence,
// label) and the guidance, in text and in the JSON verdict; README's main
// example keeps passing and shows them too.
func TestCheckSnapshotAffiliation(t *testing.T) {
	for _, tc := range []struct {
		file, company, source, confidence, label string
	}{
		{"../../examples/pr-affiliation.json", "Acme Corporation", "verified-domain", "high", "affiliation/acme"},
		{"../../examples/pr-mixed.json", "Example Inc.", "corporate-cla", "high", "affiliation/example"}, // corporate CLA coverage outranks the email domain
	} {
		t.Run(tc.file, func(t *testing.T) {
			code, out, errs := runCLI(t, "", "check", "--snapshot", tc.file)
			if code != ExitOK {
				t.Fatalf("exit %d\n%s%s", code, out, errs)
			}
			wants := []string{"contribution-policy/dco", "affiliation (informational): " + tc.company, "label " + tc.label, "guidance: first-time corporate contributor"}
			if strings.HasSuffix(tc.file, "pr-mixed.json") { // README's main job prints every check
				wants = append(wants, "contribution-policy/cla")
			}
			for _, want := range wants {
				if !strings.Contains(out, want) {
					t.Errorf("text lacks %q:\n%s", want, out)
				}
			}
			code, out, _ = runCLI(t, "", "check", "--snapshot", tc.file, "--format", "json")
			var v struct {
				Result string `json:"result"`
				Checks map[string]struct {
					Conclusion, Company, Source, Confidence, Label string
				} `json:"checks"`
				Guidance *struct{ Kind, Company string } `json:"guidance"`
			}
			if err := json.Unmarshal([]byte(out), &v); err != nil || code != ExitOK {
				t.Fatalf("%d %v\n%s", code, err, out)
			}
			a := v.Checks["affiliation"]
			if v.Result != "pass" || a.Conclusion != "neutral" || a.Company != tc.company || a.Source != tc.source || a.Confidence != tc.confidence || a.Label != tc.label {
				t.Errorf("checks.affiliation %+v", a)
			}
			if v.Guidance == nil || v.Guidance.Kind != "first-time-corporate" || v.Guidance.Company != tc.company {
				t.Errorf("guidance %+v", v.Guidance)
			}
		})
	}
}
