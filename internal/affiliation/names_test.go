package affiliation

import (
	"regexp"
	"testing"
)

func TestCompanyKey(t *testing.T) {
	tests := map[string]string{
		"Red Hat, Inc.":                       "red hat",
		"Red Hat Inc.":                        "red hat",
		"Red Hat":                             "red hat",
		"Google LLC":                          "google",
		"Microsoft Corporation":               "microsoft",
		"Huawei Technologies Co. Ltd":         "huawei technologies",
		"SAP SE":                              "sap",
		"Ericsson AB":                         "ericsson",
		"Kubermatic GmbH":                     "kubermatic",
		"AG":                                  "ag", // never empty
		"Yahoo! Inc.":                         "yahoo!",
		"  Acme   Widgets   Ltd.  ":           "acme widgets",
		"(주)우아한형제들 (Woowa Bros.)":             "(주)우아한형제들 (woowa bros.)",
		"Nuage Networks from Nokia":           "nuage networks from nokia",
		"MayaData Inc. (f/k/a CloudByte Inc)": "mayadata inc. (f/k/a cloudbyte inc)",
	}
	for in, want := range tests {
		if got := CompanyKey(in); got != want {
			t.Errorf("CompanyKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClassification(t *testing.T) {
	n := NewNames()
	tests := []struct {
		in   string
		kind Kind
		name string
		key  string
	}{
		{"Independent", KindIndependent, "Independent", "independent"},
		{"*independent", KindIndependent, "Independent", "independent"},
		{"Self-employed", KindIndependent, "Independent", "independent"},
		{"Career Break", KindIndependent, "Career Break", "independent"},
		{"Temporarilly Retired", KindIndependent, "Temporarilly Retired", "independent"},
		{"NotFound", KindUnknown, "NotFound", "unknown"},
		{"(Unknown)", KindUnknown, "(Unknown)", "unknown"},
		{"?", KindUnknown, "?", "unknown"},
		{"-", KindUnknown, "-", "unknown"},
		{"", KindUnknown, "", "unknown"},
		{"(Robots)", KindBot, "(Robots)", "robots"},
		{"@kubernetes", KindCompany, "kubernetes", "kubernetes"},
		{"Acme Corp", KindCompany, "Acme Corp", "acme"},
	}
	for _, tt := range tests {
		c := n.Company(tt.in)
		if c.Kind != tt.kind || c.Name != tt.name || c.Key != tt.key || c.Raw != tt.in {
			t.Errorf("Company(%q) = %+v", tt.in, c)
		}
	}
}

func TestTwoLayers(t *testing.T) {
	n := NewNames()
	n.AddAlias("Amazon Web Services (@aws)", "AWS")
	n.AddAlias("loop-a", "loop-b")
	n.AddAlias("loop-b", "loop-a")
	n.AddAcquisition(regexp.MustCompile(`(?i)^(aws|amazon)$`), "Amazon")
	n.AddAcquisition(regexp.MustCompile(`(?i)^heptio(\s+inc\.?)?$`), "VMware Inc.")
	tests := map[string]string{
		"amazon web services (@aws)": "Amazon", // alias, then acquisition
		"AWS":                        "Amazon",
		"Heptio Inc.":                "VMware Inc.",
		"loop-a":                     "loop-b", // alias loops stop
		"Unrelated":                  "Unrelated",
	}
	for in, want := range tests {
		if got := n.Company(in); got.Name != want || got.Raw != in {
			t.Errorf("Company(%q) = %+v, want %q", in, got, want)
		}
	}
	// The cache is cleared when rules change.
	n.AddAlias("Unrelated", "Related")
	if got := n.Company("Unrelated").Name; got != "Related" {
		t.Errorf("after a new alias: %q", got)
	}
}

func TestPublicSuffixes(t *testing.T) {
	tests := []struct {
		domain, suffix, registrable string
		suffixes                    []string
	}{
		{"acme.com", "com", "acme.com", []string{"acme.com"}},
		{"mail.corp.acme.co.uk", "co.uk", "acme.co.uk", []string{"mail.corp.acme.co.uk", "corp.acme.co.uk", "acme.co.uk"}},
		{"co.uk", "co.uk", "", nil},
		{"com", "com", "", nil},
		{"x.github.io", "github.io", "x.github.io", []string{"x.github.io"}},
		{"chula.ac.th", "ac.th", "chula.ac.th", []string{"chula.ac.th"}},
	}
	for _, tt := range tests {
		reg, _ := RegistrableDomain(tt.domain)
		got := DomainSuffixes(tt.domain)
		if PublicSuffix(tt.domain) != tt.suffix || reg != tt.registrable || len(got) != len(tt.suffixes) {
			t.Errorf("%s: suffix %q registrable %q suffixes %q", tt.domain, PublicSuffix(tt.domain), reg, got)
			continue
		}
		for i := range got {
			if got[i] != tt.suffixes[i] {
				t.Errorf("%s: suffixes %q", tt.domain, got)
			}
		}
	}
}

func TestExclusionsList(t *testing.T) {
	x := DefaultExclusions()
	for _, e := range []string{"a@gmail.com", "A@GMAIL.COM", "a!gmail.com", "a@yahoo.co.uk", "a@mail.yahoo.com", "1+a@users.noreply.github.com",
		"noreply@github.com", "a@163.com", "a@qq.com", "a@outlook.com", "a@hotmail.fr", "a@protonmail.ch", "nodomain"} {
		if !x.Excluded(e) {
			t.Errorf("%s not excluded", e)
		}
	}
	for _, e := range []string{"a@google.com", "a@github.com", "a@yahoo-inc.com", "a@notgmail.com", "a@gmail.com.evil.example", "a@microsoft.com", "a@acme.co.uk"} {
		if x.Excluded(e) {
			t.Errorf("%s excluded", e)
		}
	}
}

func TestNormalize(t *testing.T) {
	rs := Normalize([]Range{
		{From: MinDay, Until: MaxDay, Company: "Now"},
		{From: MinDay, Until: 200, Company: "B"},
		{From: MinDay, Until: 100, Company: "A"},
		{From: MinDay, Until: 100, Company: "A2"}, // same end: the first wins
		{From: MinDay, Until: MaxDay, Company: "Now2"},
	})
	want := []Range{{MinDay, 100, "A"}, {100, 200, "B"}, {200, MaxDay, "Now"}}
	if len(rs) != len(want) {
		t.Fatalf("got %+v", rs)
	}
	for i := range rs {
		if rs[i] != want[i] {
			t.Errorf("range %d = %+v, want %+v", i, rs[i], want[i])
		}
	}
}
