package affiliation

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSlugs(t *testing.T) {
	n := NewNames()
	l, err := NewLabeler("", map[string]string{"aws": "Amazon", "ms": "Microsoft Corporation"}, n)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		company string
		want    string
	}{
		{"Google LLC", "google"},
		{"Red Hat, Inc.", "red-hat"},
		{"Red Hat", "red-hat"},
		{"Amazon", "aws"},                          // pinned
		{"Microsoft", "ms"},                        // pinned, matched by key
		{"AT&T", "att"},                            // '&' dropped
		{"Yahoo! Inc.", "yahoo"},                   // '!' dropped
		{"Booking.com", "booking-com"},             // other punctuation: '-'
		{"Dassault Systèmes", "dassault-systemes"}, // accents folded
		{"Gößwein GmbH", "gosswein"},
		{"Run:AI", "run-ai"},
		{"1&1 Internet SE", "11-internet"},
		{"Independent", "independent"},
		{"NotFound", "unknown"},
	}
	for _, tt := range tests {
		if got := l.Slug(n.Company(tt.company)); got != tt.want {
			t.Errorf("Slug(%q) = %q, want %q", tt.company, got, tt.want)
		}
	}
	// Lossy, long and clashing slugs get a hash: distinct companies, distinct labels.
	lossy := []string{"(주)우아한형제들", "北京华亿", "上海诺基亚贝尔股份有限公司", "НИСПАО", "ALO7 爱乐奇",
		"The Extraordinarily Long Name Of A Company That Does Many Things International",
		"The Extraordinarily Long Name Of A Company That Does Many Things Worldwide", "aws", "ms", "ALO7"}
	seen := map[string]string{}
	for _, c := range lossy {
		s := l.Slug(n.Company(c))
		if !validSlug(s) || len(s) > l.Budget() {
			t.Errorf("Slug(%q) = %q: invalid or too long", c, s)
		}
		if prev, ok := seen[s]; ok {
			t.Errorf("%q and %q share slug %q", prev, c, s)
		}
		seen[s] = c
		if again := l.Slug(n.Company(c)); again != s {
			t.Errorf("Slug(%q) unstable: %q then %q", c, s, again)
		}
	}
	if s := l.Slug(n.Company("aws")); !strings.HasPrefix(s, "aws-") {
		t.Errorf("a company clashing with a pinned slug got %q", s)
	}
	if s := l.Slug(n.Company("ALO7")); s != "alo7" {
		t.Errorf("ALO7 = %q", s)
	}
}

func TestLabels(t *testing.T) {
	l := DefaultLabeler()
	n := NewNames()
	long := "Société Anonyme des Établissements Industriels et Commerciaux de la Région Parisienne Réunis"
	tests := []struct {
		r     Result
		label string
		ok    bool
	}{
		{Result{Kind: KindCompany, Company: n.Company("Google LLC")}, "affiliation/google", true},
		{Result{Kind: KindIndependent, Company: n.Company("Independent")}, "affiliation/independent", true},
		{Result{Kind: KindUnknown}, "", false},
		{Result{Kind: KindBot, Company: n.Company("(Robots)")}, "", false},
		{Result{Kind: KindOptedOut}, "", false},
		{Result{Kind: KindAmbiguous}, "", false},
		{Result{Kind: KindCompany, Company: n.Company(long)}, "", true},
	}
	for _, tt := range tests {
		got, ok := l.Label(tt.r)
		if ok != tt.ok || (tt.label != "" && got != tt.label) || utf8.RuneCountInString(got) > MaxLabelName {
			t.Errorf("Label(%s) = %q %v", tt.r, got, ok)
		}
		if d := LabelDescription(tt.r); len(d) > MaxLabelDescription || !utf8.ValidString(d) {
			t.Errorf("description %q", d)
		}
	}
	l.Unknown, l.Independent = true, false
	if got, ok := l.Label(Result{Kind: KindUnknown}); !ok || got != "affiliation/unknown" {
		t.Errorf("unknown label %q", got)
	}
	if _, ok := l.Label(Result{Kind: KindIndependent, Company: n.Company("Independent")}); ok {
		t.Error("independent label when turned off")
	}
	if !l.Managed("affiliation/x") || l.Managed("affiliation/") || l.Managed("kind/bug") {
		t.Error("Managed")
	}
	if d := LabelDescription(Result{Kind: KindCompany, Company: n.Company(long)}); len(d) != 100 && !strings.HasSuffix(d, "...") {
		t.Errorf("long description %q (%d)", d, len(d))
	}
	if !ValidColor(DefaultLabelColor) || ValidColor("#c5def5") || ValidColor("xyz123") {
		t.Error("ValidColor")
	}
}

func TestRankNames(t *testing.T) {
	for r := RankAccountType; r <= RankNone; r++ {
		if r.Source() == "" || r.Describe() == "" || r.Source() == "rank-"+string(rune('0'+r)) {
			t.Errorf("rank %d", r)
		}
	}
	if RankEmailDomain.Describe() != "your commit e-mail domain" || Rank(42).Source() != "rank-42" {
		t.Error("names")
	}
	for c := ConfidenceNone; c <= ConfidenceAuthoritative; c++ {
		if got, ok := ParseConfidence(c.String()); !ok || got != c {
			t.Errorf("confidence %d", c)
		}
	}
}

func TestLabelerConfigErrors(t *testing.T) {
	bad := []map[string]string{
		{"Bad Slug": "Acme"},
		{"-acme": "Acme"},
		{"independent": "Acme"},
		{"acme": "Independent"},
		{"acme": "Acme", "acme-2": "Acme Inc."},
		{strings.Repeat("a", 39): "Acme"},
	}
	for _, pins := range bad {
		if _, err := NewLabeler("", pins, nil); err == nil {
			t.Errorf("pins %v accepted", pins)
		}
	}
	if _, err := NewLabeler("a-very-long-prefix-for-labels-indeed-yes/", nil, nil); err == nil {
		t.Error("prefix leaving no room accepted")
	}
	if l, err := NewLabeler("org/", nil, nil); err != nil || l.Budget() != 46 {
		t.Errorf("custom prefix: %v", err)
	}
}
