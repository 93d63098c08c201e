package reconcile

import "strings"

// PrefixLabels is a family of labels the tool manages by prefix, such as
// affiliation/<slug>: it wants at most one of them on the pull request, and
// may remove the others — but never one a person set (Keep).
type PrefixLabels struct {
	// Prefix names the family (matched case-insensitively, as GitHub
	// compares label names).
	Prefix string
	// Want is the family's label wanted on the pull request; "" = none.
	Want string
	// Spec is the label created in the repository when Want is missing
	// there (listed in Current.MissingRepoLabels); nil = let GitHub create
	// it with its default colour when it is added.
	Spec *Label
	// Keep are labels of the family that people set: never removed.
	Keep []string
}

// HasPrefix reports whether label belongs to the family.
func (p PrefixLabels) HasPrefix(label string) bool {
	return p.Prefix != "" && len(label) >= len(p.Prefix) && strings.EqualFold(label[:len(p.Prefix)], p.Prefix)
}

// planPrefixed plans each family: create the wanted label in the repository
// when it is known to be missing, add it when the pull request lacks it,
// and remove the family's other labels except those people set.
func planPrefixed(cur Current, fams []PrefixLabels, missing map[string]bool) (creates []Op, add []string, removes []Op) {
	for _, f := range fams {
		if f.Want != "" && !containsFold(cur.Labels, f.Want) {
			if f.Spec != nil && missing[strings.ToLower(f.Want)] {
				spec := *f.Spec
				spec.Name = f.Want
				creates = append(creates, Op{Kind: CreateLabel, Label: spec})
			}
			add = append(add, f.Want)
		}
		for _, l := range cur.Labels {
			if f.HasPrefix(l) && !strings.EqualFold(l, f.Want) && !containsFold(f.Keep, l) {
				removes = append(removes, Op{Kind: RemoveLabel, Label: Label{Name: l}})
			}
		}
	}
	return creates, add, removes
}
