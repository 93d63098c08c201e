package reconcile

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPlanPrefixedLabels(t *testing.T) {
	spec := &Label{Color: "c5def5", Description: "Author's employer"}
	tests := []struct {
		name    string
		cur     Current
		fam     PrefixLabels
		want    []Op
		comment string
	}{
		{"add, creating the label", Current{Labels: []string{"bug"}, MissingRepoLabels: []string{"affiliation/acme"}},
			PrefixLabels{Prefix: "affiliation/", Want: "affiliation/acme", Spec: spec},
			[]Op{{Kind: CreateLabel, Label: Label{Name: "affiliation/acme", Color: "c5def5", Description: "Author's employer"}}, {Kind: AddLabels, Labels: []string{"affiliation/acme"}}}, ""},
		{"add an existing label", Current{}, PrefixLabels{Prefix: "affiliation/", Want: "affiliation/acme", Spec: spec},
			[]Op{{Kind: AddLabels, Labels: []string{"affiliation/acme"}}}, ""},
		{"present (any case)", Current{Labels: []string{"Affiliation/ACME"}}, PrefixLabels{Prefix: "affiliation/", Want: "affiliation/acme"}, nil, ""},
		{"replace the bot's stale label", Current{Labels: []string{"affiliation/globex", "bug"}}, PrefixLabels{Prefix: "affiliation/", Want: "affiliation/acme"},
			[]Op{{Kind: AddLabels, Labels: []string{"affiliation/acme"}}, {Kind: RemoveLabel, Label: Label{Name: "affiliation/globex"}}}, ""},
		{"a person's label stays", Current{Labels: []string{"affiliation/globex"}}, PrefixLabels{Prefix: "affiliation/", Keep: []string{"AFFILIATION/globex"}}, nil, ""},
		{"opt out removes only the bot's", Current{Labels: []string{"affiliation/acme", "affiliation/initech", "affiliations"}},
			PrefixLabels{Prefix: "affiliation/", Keep: []string{"affiliation/initech"}},
			[]Op{{Kind: RemoveLabel, Label: Label{Name: "affiliation/acme"}}}, "affiliations lacks the prefix"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Plan(tc.cur, Desired{Prefixed: []PrefixLabels{tc.fam}, CommentOff: true}, Identity{})
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("plan (-want +got):\n%s", diff)
			}
		})
	}
}
