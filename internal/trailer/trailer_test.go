package trailer

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		msg  string
		want []Trailer
	}{
		{"empty", "", nil},
		{"subject only", "Fix the thing", nil},
		{
			"trailer block",
			"Fix\n\nBody text.\n\nSigned-off-by: Ann <ann@x.org>\nCo-authored-by: Bob <bob@y.org>\n",
			[]Trailer{{"Signed-off-by", "Ann <ann@x.org>", 5}, {"Co-authored-by", "Bob <bob@y.org>", 6}},
		},
		{
			"anywhere in the message, not only the last paragraph",
			"Fix\n\nSigned-off-by: Ann <ann@x.org>\n\nChange-Id: I123\n",
			[]Trailer{{"Signed-off-by", "Ann <ann@x.org>", 3}, {"Change-Id", "I123", 5}},
		},
		{
			"CRLF and lone CR end lines",
			"Fix\r\n\r\nA: 1\rB: 2\r\n",
			[]Trailer{{"A", "1", 3}, {"B", "2", 4}},
		},
		{"key case kept as written", "SIGNED-OFF-BY: A <a@b>", []Trailer{{"SIGNED-OFF-BY", "A <a@b>", 1}}},
		{"no space after colon", "Key:value", []Trailer{{"Key", "value", 1}}},
		{"tabs and spaces after colon, trailing space", "Key:\t  value \t", []Trailer{{"Key", "value", 1}}},
		{"indented is not a trailer", "  Key: value", nil},
		{"quoted is not a trailer", "> Key: value", nil},
		{"space before colon is not a trailer", "Key : value", nil},
		{"key must start with a letter", "12:30 meeting\n-x: y", nil},
		{"key is ASCII alnum and dash only", "Key_x: y\nKéy: z", nil},
		{"URL is not a trailer", "https://example.org/x", nil},
		{"empty value kept", "Key:", []Trailer{{"Key", "", 1}}},
		{
			"fenced code is not special",
			"Fix\n\n```\nSigned-off-by: A <a@b>\n```\n",
			[]Trailer{{"Signed-off-by", "A <a@b>", 4}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Parse(tt.msg)); diff != "" {
				t.Errorf("Parse(%q) (-want +got):\n%s", tt.msg, diff)
			}
		})
	}
}

func TestValues(t *testing.T) {
	msg := "Fix\n\nco-authored-by: Bob <bob@y.org>\nSigned-off-by: Ann <ann@x.org>\nCo-Authored-By: Cy <cy@z.org>\nCo-authored-by-x: no\n"
	want := []Trailer{{"co-authored-by", "Bob <bob@y.org>", 3}, {"Co-Authored-By", "Cy <cy@z.org>", 5}}
	if diff := cmp.Diff(want, Values(msg, CoAuthoredBy)); diff != "" {
		t.Errorf("Values (-want +got):\n%s", diff)
	}
}

func TestParsePerson(t *testing.T) {
	tests := []struct {
		in   string
		want Person
		prob Problem
	}{
		{"Ann Lee <ann@x.org>", Person{"Ann Lee", "ann@x.org"}, OK},
		{"   Ann Lee   <  ann@x.org  >  ", Person{"Ann Lee", "ann@x.org"}, OK},
		{"Ann  Lee <ann@x.org>", Person{"Ann  Lee", "ann@x.org"}, OK},
		{"Ann<ann@x.org>", Person{"Ann", "ann@x.org"}, OK},
		{"José Núñez <jose@x.org>", Person{"José Núñez", "jose@x.org"}, OK},
		{"A <b> <c@d>", Person{"A <b>", "c@d"}, OK},
		{"Bot <49699333+dependabot[bot]@users.noreply.github.com>", Person{"Bot", "49699333+dependabot[bot]@users.noreply.github.com"}, OK},
		{"Ann <ann+dco@x.org>", Person{"Ann", "ann+dco@x.org"}, OK},
		{"Ann <ann@localhost>", Person{"Ann", "ann@localhost"}, OK},
		{"Ann <анна@пример.рф>", Person{"Ann", "анна@пример.рф"}, OK},
		{"", Person{}, EmptyValue},
		{"   ", Person{}, EmptyValue},
		{"Jane", Person{}, NoEmail},
		{"jane at x.org", Person{}, NoEmail},
		{"Jane>", Person{}, NoEmail},
		{"jane@x.org", Person{"", "jane@x.org"}, BareEmail},
		{"Jane Doe jane@x.org", Person{"Jane Doe", "jane@x.org"}, BareEmail},
		{"Jane <jane at x.org>", Person{"Jane", "jane at x.org"}, BadEmail},
		{"Jane <jane(at)x.org>", Person{"Jane", "jane(at)x.org"}, BadEmail},
		{"Jane <>", Person{"Jane", ""}, BadEmail},
		{"Jane <@x.org>", Person{"Jane", "@x.org"}, BadEmail},
		{"Jane <jane@>", Person{"Jane", "jane@"}, BadEmail},
		{"Jane <jane@.org>", Person{"Jane", "jane@.org"}, BadEmail},
		{"<jane@x.org>", Person{"", "jane@x.org"}, NoName},
		{"Jane <jane@x.org> (ACME)", Person{}, TextAfterEmail},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, prob := ParsePerson(tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" || prob != tt.prob {
				t.Errorf("ParsePerson(%q) = %v, %q; want %v, %q", tt.in, got, prob, tt.want, tt.prob)
			}
		})
	}
}

func TestScanSignOffs(t *testing.T) {
	ann := Person{"Ann Lee", "ann@x.org"}
	tests := []struct {
		name string
		msg  string
		want Scan
	}{
		{"none", "Fix\n\nBody\n", Scan{}},
		{"plain", "Fix\n\nSigned-off-by: Ann Lee <ann@x.org>\n", Scan{SignOffs: []SignOff{{ann, 3}}}},
		{"lower case key", "Fix\n\nsigned-off-by: Ann Lee <ann@x.org>", Scan{SignOffs: []SignOff{{ann, 3}}}},
		{"upper case key", "Fix\n\nSIGNED-OFF-BY: Ann Lee <ann@x.org>", Scan{SignOffs: []SignOff{{ann, 3}}}},
		{"mixed case key", "Fix\n\nSigned-Off-By: Ann Lee <ann@x.org>", Scan{SignOffs: []SignOff{{ann, 3}}}},
		{"subject line counts (dcoapp, dco2)", "Signed-off-by: Ann Lee <ann@x.org>", Scan{SignOffs: []SignOff{{ann, 1}}}},
		{"CRLF", "Fix\r\n\r\nSigned-off-by: Ann Lee <ann@x.org>\r\n", Scan{SignOffs: []SignOff{{ann, 3}}}},
		{"lone CR", "Fix\r\rSigned-off-by: Ann Lee <ann@x.org>\r", Scan{SignOffs: []SignOff{{ann, 3}}}},
		{"tab after colon", "Signed-off-by:\tAnn Lee <ann@x.org>", Scan{SignOffs: []SignOff{{ann, 1}}}},
		{"no space after colon", "Signed-off-by:Ann Lee <ann@x.org>", Scan{SignOffs: []SignOff{{ann, 1}}}},
		{"several spaces, spaces inside <>", "Signed-off-by:   Ann Lee   <  ann@x.org >  ", Scan{SignOffs: []SignOff{{ann, 1}}}},
		{"trailing whitespace", "Signed-off-by: Ann Lee <ann@x.org> \t ", Scan{SignOffs: []SignOff{{ann, 1}}}},
		{"mid-body, before a Change-Id paragraph", "Fix\n\nSigned-off-by: Ann Lee <ann@x.org>\n\nChange-Id: I1\n", Scan{SignOffs: []SignOff{{ann, 3}}}},
		{"inside a code fence counts", "Fix\n\n```\nSigned-off-by: Ann Lee <ann@x.org>\n```", Scan{SignOffs: []SignOff{{ann, 4}}}},
		{
			"several",
			"Fix\n\nSigned-off-by: Ann Lee <ann@x.org>\nSigned-off-by: Bob <bob@y.org>",
			Scan{SignOffs: []SignOff{{ann, 3}, {Person{"Bob", "bob@y.org"}, 4}}},
		},
		{
			"malformed: no email",
			"Fix\n\nSigned-off-by: Jane\nSigned-off-by: jane at x.org \n",
			Scan{Malformed: []Malformed{{3, "Signed-off-by: Jane", NoEmail}, {4, "Signed-off-by: jane at x.org", NoEmail}}},
		},
		{
			"malformed: bare, bad, empty",
			"Signed-off-by: jane@x.org\nSigned-off-by: Jane <jane at x.org>\nSigned-off-by:",
			Scan{Malformed: []Malformed{{1, "Signed-off-by: jane@x.org", BareEmail}, {2, "Signed-off-by: Jane <jane at x.org>", BadEmail}, {3, "Signed-off-by:", EmptyValue}}},
		},
		{
			"indented",
			"Fix\n\n    Signed-off-by: Ann Lee <ann@x.org>",
			Scan{Hints: []Hint{{3, "    Signed-off-by: Ann Lee <ann@x.org>", Indented, ann}}},
		},
		{
			"quoted",
			"Fix\n\n> Signed-off-by: Ann Lee <ann@x.org>\n>>Signed-off-by: X",
			Scan{Hints: []Hint{{3, "> Signed-off-by: Ann Lee <ann@x.org>", Quoted, ann}, {4, ">>Signed-off-by: X", Quoted, Person{}}}},
		},
		{
			"misspellings",
			"Fix\n\nSigned-of-by: Ann Lee <ann@x.org>\nSigned off by: Ann Lee <ann@x.org>\nSignoff: Ann Lee <ann@x.org>\nSigned-off-by : Ann Lee <ann@x.org>\nSigned-off-by Ann Lee <ann@x.org>\nSign-off-by: <x>\nSigend-off-by: ann@x.org",
			Scan{Hints: []Hint{
				{3, "Signed-of-by: Ann Lee <ann@x.org>", Misspelled, ann},
				{4, "Signed off by: Ann Lee <ann@x.org>", Misspelled, ann},
				{5, "Signoff: Ann Lee <ann@x.org>", Misspelled, ann},
				{6, "Signed-off-by : Ann Lee <ann@x.org>", SpaceBeforeColon, ann},
				{7, "Signed-off-by Ann Lee <ann@x.org>", MissingColon, ann},
				{8, "Sign-off-by: <x>", Misspelled, Person{}},
				{9, "Sigend-off-by: ann@x.org", Misspelled, Person{}},
			}},
		},
		{
			"prose is not a hint",
			"Fix\n\nSignoff: not needed for docs\nSigned off by the maintainer.\nAcked-by: Bob <bob@y.org>\nReviewed-by: C <c@d>\nNote: see <x@y>",
			Scan{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, ScanSignOffs(tt.msg), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("ScanSignOffs(%q) (-want +got):\n%s", tt.msg, diff)
			}
		})
	}
}

func TestSignOffs(t *testing.T) {
	valid, malformed := SignOffs("Fix\n\nSigned-off-by: Ann <ann@x.org>\nSigned-off-by: Jane\n")
	if diff := cmp.Diff([]Person{{"Ann", "ann@x.org"}}, valid); diff != "" {
		t.Errorf("valid (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Signed-off-by: Jane"}, malformed); diff != "" {
		t.Errorf("malformed (-want +got):\n%s", diff)
	}
}

func TestHasSignOff(t *testing.T) {
	for msg, want := range map[string]bool{
		"":                               false,
		"x\n\nSigned-off-by: A <a@b.c>":  true,
		"x\n\nSigned-off-by: A":          false,
		"x\n\n Signed-off-by: A <a@b.c>": false,
		"x\n\nSigned-off-by: A\nsigned-off-by: B <b@c>": true,
	} {
		if got := HasSignOff(msg); got != want {
			t.Errorf("HasSignOff(%q) = %v, want %v", msg, got, want)
		}
	}
}

func TestPlausibleEmail(t *testing.T) {
	for e, want := range map[string]bool{
		"a@b":                             true,
		"a+tag@b.org":                     true,
		"a@b.co":                          true, // KineticCafe rejects two-letter labels; we do not
		"x[bot]@users.noreply.github.com": true,
		"ü@例え.jp":                         true,
		"":                                false,
		"a":                               false,
		"@b":                              false,
		"a@":                              false,
		"a b@c":                           false,
		"a@b.":                            false,
		"a\x00@b":                         false,
		"a@\xff":                          false,
		"<a@b>":                           false,
	} {
		if got := PlausibleEmail(e); got != want {
			t.Errorf("PlausibleEmail(%q) = %v, want %v", e, got, want)
		}
	}
}

// TestLinear guards the "linear time" promise loosely: a 1 MiB hostile
// message must parse quickly (a quadratic scan would take minutes).
func TestLinear(t *testing.T) {
	hostile := strings.Repeat("Signed-off-by: "+strings.Repeat("<", 1000)+"\n", 1000) +
		strings.Repeat(">", 1<<20) + strings.Repeat("   \t", 1<<18)
	s := ScanSignOffs(hostile)
	if len(s.Malformed) != 1000 {
		t.Fatalf("got %d malformed lines, want 1000", len(s.Malformed))
	}
	_ = Parse(hostile)
}

func TestLines(t *testing.T) {
	type line struct {
		N    int
		Text string
	}
	tests := []struct {
		in   string
		want []line
	}{
		{"", nil},
		{"a", []line{{1, "a"}}},
		{"a\n", []line{{1, "a"}}},
		{"a\n\nb", []line{{1, "a"}, {2, ""}, {3, "b"}}},
		{"a\r\nb\r\n", []line{{1, "a"}, {2, "b"}}},
		{"a\rb\rc", []line{{1, "a"}, {2, "b"}, {3, "c"}}},
		{"a\r\rb", []line{{1, "a"}, {2, ""}, {3, "b"}}},
		{"a\n\rb\r\n\nc", []line{{1, "a"}, {2, ""}, {3, "b"}, {4, ""}, {5, "c"}}},
		{"\r\n", []line{{1, ""}}},
		{"\n\r", []line{{1, ""}, {2, ""}}},
	}
	for _, tt := range tests {
		var got []line
		for n, l := range Lines(tt.in) {
			got = append(got, line{n, l})
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Lines(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
	// Stopping early must not panic.
	for range Lines("a\nb\nc") {
		break
	}
}

func TestLinearLoneCR(t *testing.T) {
	// Quadratic line splitting would rescan for '\n' after every lone CR.
	n := 0
	for range Lines(strings.Repeat("x\r", 1<<20) + "\n") {
		n++
	}
	if n != 1<<20 { // the last "\r\n" is one terminator
		t.Fatalf("got %d lines", n)
	}
}
