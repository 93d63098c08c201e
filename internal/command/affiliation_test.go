package command

import (
	"strings"
	"testing"
)

func TestParseAffiliation(t *testing.T) {
	tests := []struct {
		body string
		want AffiliationCmd
		ok   bool
	}{
		{"/affiliation Acme Corp", AffiliationCmd{Company: "Acme Corp", Line: 1}, true},
		{"Thanks!\r\n\r\n/AFFILIATION   none  ", AffiliationCmd{None: true, Line: 3}, true},
		{"/affiliation `Red Hat, Inc.`", AffiliationCmd{Company: "Red Hat, Inc.", Line: 1}, true},
		{"/affiliation \"Globex\"", AffiliationCmd{Company: "Globex", Line: 1}, true},
		{"/affiliation Acme\n/affiliation none", AffiliationCmd{None: true, Line: 2}, true},
		{"> /affiliation none", AffiliationCmd{}, false},
		{"```\n/affiliation none\n```", AffiliationCmd{}, false},
		{"<!-- /affiliation none -->", AffiliationCmd{}, false},
		{"please run /affiliation none", AffiliationCmd{}, false},
		{"/affiliation", AffiliationCmd{}, false},
		{"/affiliation ``", AffiliationCmd{}, false},
		{"/affiliationnone", AffiliationCmd{}, false},
		{"/affiliation " + strings.Repeat("x", MaxAffiliationCompany+1), AffiliationCmd{}, false},
	}
	for _, tc := range tests {
		got, ok := ParseAffiliation(tc.body)
		if ok != tc.ok || got != tc.want {
			t.Errorf("ParseAffiliation(%q) = %+v, %v; want %+v, %v", tc.body, got, ok, tc.want, tc.ok)
		}
	}
}
