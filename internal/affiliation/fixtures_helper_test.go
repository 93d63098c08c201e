package affiliation_test

import (
	"testing"

	"github.com/contribution-policy/contribution-policy/internal/fixtures"
)

func fixtureFiles(t testing.TB, names ...string) []file {
	var out []file
	for _, n := range names {
		b, err := fixtures.Read("affiliations/" + n)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, file{name: n, content: string(b), lenient: true})
	}
	return out
}
