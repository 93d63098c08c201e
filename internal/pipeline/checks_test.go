package pipeline

import (
	"testing"
	"unicode/utf8"
)

// GitHub refuses a requested action over its limits (a bug the fake caught:
// a 41-character description).
func TestOverrideActionFitsGitHubLimits(t *testing.T) {
	for _, c := range []struct {
		name, v string
		max     int
	}{{"label", OverrideLabel, 20}, {"description", OverrideDescription, 40}, {"identifier", OverrideIdentifier, 20}} {
		if n := utf8.RuneCountInString(c.v); n > c.max {
			t.Errorf("%s %q is %d characters; GitHub allows %d", c.name, c.v, n, c.max)
		}
	}
}
