package index

import (
	"fmt"
	"slices"
	"strings"

	"github.com/contribution-policy/contribution-policy/internal/affiliation"
	"github.com/contribution-policy/contribution-policy/internal/gitdm"
)

// Maps are a project's own affiliation maps (from its configuration). Each
// value is a company, or a history in the gitdm machine form
// "OldCo < 2021-03-01, NewCo" (each company until the date after it, the
// last one open).
type Maps struct {
	Users   map[string]string // GitHub login -> history (rank 2, project list)
	Emails  map[string]string // e-mail address ('!' or '@') -> history (rank 2)
	Domains map[string]string // e-mail domain -> history (rank 6; rank 4 when verified)
}

// AddMaps adds a project's maps to data set ds. Give the data set the
// config's date as Updated so it wins conflicts with bulk data at the same
// rank. Errors name the offending entry.
func (b *Builder) AddMaps(ds DatasetID, m Maps) error {
	add := func(what string, entries map[string]string, rank affiliation.Rank, key func(string) (affiliation.Key, bool)) error {
		names := make([]string, 0, len(entries))
		for k := range entries {
			names = append(names, k)
		}
		slices.Sort(names)
		for i, name := range names {
			k, ok := key(name)
			if !ok {
				return fmt.Errorf("affiliation %s %q: not a valid %s", what, name, strings.TrimSuffix(what, "s"))
			}
			rs, msg := gitdm.ParseAffiliations(entries[name])
			if msg != "" {
				return fmt.Errorf("affiliation %s %q: %s (want \"Company\" or \"OldCo < YYYY-MM-DD, NewCo\")", what, name, msg)
			}
			b.Add(History{Dataset: ds, Rank: rank, Line: i + 1, Keys: []affiliation.Key{k}, Ranges: toRanges(rs)})
		}
		return nil
	}
	if err := add("users", m.Users, affiliation.RankList, func(s string) (affiliation.Key, bool) {
		k := affiliation.LoginKey(s)
		return k, k.Value != "" && !strings.ContainsAny(k.Value, " \t@")
	}); err != nil {
		return err
	}
	if err := add("emails", m.Emails, affiliation.RankList, func(s string) (affiliation.Key, bool) {
		k := affiliation.EmailKey(s)
		_, _, ok := gitdm.SplitEmail(k.Value)
		return k, ok
	}); err != nil {
		return err
	}
	return add("domains", m.Domains, affiliation.RankEmailDomain, func(s string) (affiliation.Key, bool) {
		k := affiliation.DomainKey(strings.TrimPrefix(strings.TrimSpace(s), "*."))
		return k, gitdm.ValidDomain(k.Value)
	})
}
