package index

import (
	"strings"
	"testing"

	"github.com/contribution-policy/contribution-policy/internal/affiliation"
)

func TestAddMaps(t *testing.T) {
	b := NewBuilder()
	ds := b.Dataset("config", day("2024-06-01"))
	err := b.AddMaps(ds, Maps{
		Users:   map[string]string{"Ann": "OldCo < 2021-03-01, NewCo", "bob": "Independent"},
		Emails:  map[string]string{"cy!corp.example": "Corp"},
		Domains: map[string]string{"*.acme.example": "Acme"},
	})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		k    affiliation.Key
		at   string
		want string
	}{
		{affiliation.LoginKey("ann"), "2021-02-28", "OldCo"},
		{affiliation.LoginKey("ann"), "2021-03-01", "NewCo"},
		{affiliation.LoginKey("bob"), "2000-01-01", "Independent"},
		{affiliation.EmailKey("cy@corp.example"), "2000-01-01", "Corp"},
		{affiliation.DomainKey("acme.example"), "2000-01-01", "Acme"},
	}
	for _, c := range checks {
		if got := companyAt(histories(ix, c.k), c.at); len(got) != 1 || got[0] != c.want {
			t.Errorf("%s at %s = %q, want %q", c.k, c.at, got, c.want)
		}
	}
	for _, bad := range []Maps{
		{Users: map[string]string{"a b": "X"}},
		{Emails: map[string]string{"not-an-address": "X"}},
		{Domains: map[string]string{"localhost": "X"}},
		{Users: map[string]string{"a": "X < 2021-13-01"}},
		{Users: map[string]string{"a": " , "}},
	} {
		if err := NewBuilder().AddMaps(0, bad); err == nil || !strings.HasPrefix(err.Error(), "affiliation ") {
			t.Errorf("%+v: err = %v", bad, err)
		}
	}
}
