package trailer

import (
	"strings"
	"testing"
	"unicode/utf8"
)

var fuzzSeeds = []string{
	"",
	"Fix\n\nSigned-off-by: Ann Lee <ann@x.org>\n",
	"Signed-off-by:   Ann  <  a@b  >  \r\n",
	"Signed-off-by: Jane\nSigned-off-by: <a@b>\nSigned-off-by: A <b> <c@d> x",
	"  Signed-off-by: A <a@b>\n> Signed-off-by: A <a@b>\nSigned-of-by: A <a@b>",
	"Signed-off-by A <a@b>\rSigned off by: A <a@b>\r\nSignoff: a@b",
	"Co-authored-by: Bob <bob@y.org>\nhttps://x\nKey:",
	"\xff\xfeSigned-off-by: \xff <\xff@\xff>",
}

// FuzzParse checks Parse never panics and that what it returns re-parses to
// itself: a trailer's Key and Value, written back as "Key: Value", is the
// same trailer.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, msg string) {
		lines := 1 + strings.Count(msg, "\n") + strings.Count(msg, "\r")
		for _, tr := range Parse(msg) {
			if tr.Line < 1 || tr.Line > lines {
				t.Fatalf("line %d out of range 1..%d", tr.Line, lines)
			}
			if strings.ContainsAny(tr.Key+tr.Value, "\r\n") {
				t.Fatalf("trailer spans lines: %+v", tr)
			}
			again := Parse(tr.Key + ": " + tr.Value)
			if len(again) != 1 || again[0].Key != tr.Key || again[0].Value != tr.Value {
				t.Fatalf("round trip of %+v gave %+v", tr, again)
			}
		}
	})
}

// FuzzSignOffs checks ScanSignOffs never panics, that every valid sign-off
// formats back to a line that parses to the same person, and that it agrees
// with SignOffs and HasSignOff.
func FuzzSignOffs(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, msg string) {
		s := ScanSignOffs(msg)
		valid, malformed := SignOffs(msg)
		if len(valid) != len(s.SignOffs) || len(malformed) != len(s.Malformed) {
			t.Fatalf("SignOffs and ScanSignOffs disagree")
		}
		if HasSignOff(msg) != (len(s.SignOffs) > 0) {
			t.Fatalf("HasSignOff disagrees with ScanSignOffs")
		}
		for _, so := range s.SignOffs {
			if so.Name == "" || !PlausibleEmail(so.Email) || !utf8.ValidString(so.Email) {
				t.Fatalf("invalid identity accepted: %+v", so)
			}
			if strings.TrimSpace(so.Name) != so.Name || strings.ContainsAny(so.Name, "\r\n") {
				t.Fatalf("name not trimmed or spans lines: %q", so.Name)
			}
			v, m := SignOffs(Format(SignedOffBy, so.Person))
			if len(v) != 1 || len(m) != 0 || v[0] != so.Person {
				t.Fatalf("round trip of %+v gave %+v %q", so.Person, v, m)
			}
		}
		for _, m := range s.Malformed {
			if m.Problem == OK || !HasPrefixFold(m.Text, sobKey) {
				t.Fatalf("bad malformed entry %+v", m)
			}
		}
		for _, h := range s.Hints {
			if h.Kind == "" || h.Text == "" {
				t.Fatalf("bad hint %+v", h)
			}
		}
	})
}
