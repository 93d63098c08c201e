package command

import (
	"testing"
)

const lite = "I have read the CLA Document and I hereby sign the CLA"

// §5.9 forgiving but safe signing (cla.md §4: CRLF, a period, quote-reply,
// extra text broke CLA Assistant Lite's exact match).
func TestFindSignature(t *testing.T) {
	tests := []struct {
		name, body, phrase string
		ok                 bool
		line               int
		version            string
	}{
		{"exact", lite, lite, true, 1, ""},
		{"§5.9 trailing period", lite + ".", lite, true, 1, ""},
		{"§5.9 CRLF and a greeting line", "Hi!\r\n\r\n" + lite + "\r\n", lite, true, 3, ""},
		{"§5.9 case and spacing", "  i HAVE read the cla   document and I hereby SIGN the CLA  ", lite, true, 1, ""},
		{"§5.9 Markdown emphasis", "**" + lite + "**", lite, true, 1, ""},
		{"quoted in double quotes", "\"" + lite + "\"", lite, true, 1, ""},
		{"smart quotes", "“" + lite + "”", lite, true, 1, ""},
		{"§5.9 a quote-reply does not sign", "> " + lite + "\n\nThanks, please sign as above.", lite, false, 0, ""},
		{"in a code block does not sign", "```\n" + lite + "\n```", lite, false, 0, ""},
		{"in an HTML comment does not sign", "<!-- " + lite + " -->", lite, false, 0, ""},
		{"a sentence mentioning the phrase does not sign", "Should I write \"" + lite + "\" here?", lite, false, 0, ""},
		{"only part of it", "I have read the CLA Document", lite, false, 0, ""},
		{"a bare recheck", "recheck", lite, false, 0, ""},
		{"empty phrase", lite, "", false, 0, ""},
		{"version placeholder", "I sign the Acme CLA v2.1.", "I sign the Acme CLA v{version}", true, 1, "2.1"},
		{"version without v", "I sign the Acme CLA 2", "I sign the Acme CLA {version}", true, 1, "2"},
		{"version with v in the comment only", "I sign the Acme CLA v3", "I sign the Acme CLA {major}", true, 1, "3"},
		{"placeholder in the middle", "I sign version 2.0 of the CLA", "I sign version {version} of the CLA", true, 1, "2.0"},
		{"placeholder left empty", "I sign the Acme CLA", "I sign the Acme CLA v{version}", false, 0, ""},
		{"two words where the version goes", "I sign the Acme CLA v2 please", "I sign the Acme CLA v{version}", false, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, ok := FindSignature(tc.body, tc.phrase)
			if ok != tc.ok || s.Line != tc.line || s.Version != tc.version {
				t.Errorf("FindSignature = %+v %v, want line %d version %q %v", s, ok, tc.line, tc.version, tc.ok)
			}
		})
	}
}

func TestNormalizePhrase(t *testing.T) {
	for in, want := range map[string]string{
		"  I have read the **CLA Document** and I hereby sign the CLA.  ": "i have read the cla document and i hereby sign the cla",
		"`I sign`!!":          "i sign",
		"\"I   SIGN\tit\"":    "i sign it",
		"I sign v2.0.":        "i sign v2.0",
		"...":                 "",
		"“I sign the CLA”":    "i sign the cla",
		"_I_ ~sign~ it; ":     "i sign it",
		"I've read and SIGN:": "ive read and sign",
	} {
		if got := NormalizePhrase(in); got != want {
			t.Errorf("NormalizePhrase(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzFindSignature(f *testing.F) {
	f.Add(lite, lite)
	f.Add("> "+lite, "I sign v{version}")
	f.Add("I sign v2", "I sign v{version}")
	f.Fuzz(func(t *testing.T, body, phrase string) {
		s, ok := FindSignature(body, phrase)
		if ok && s.Line < 1 {
			t.Fatalf("bad line %+v", s)
		}
	})
}
