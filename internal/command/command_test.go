package command

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []Command
	}{
		{"plain", "/recheck", []Command{{Name: Recheck, Args: []string{}, Line: 1}}},
		{"case and spaces", "  /ReCheck  please\r\n", []Command{{Name: Recheck, Args: []string{"please"}, Line: 1}}},
		{"after prose", "thanks!\n\n/recheck", []Command{{Name: Recheck, Args: []string{}, Line: 3}}},
		{"quoted is ignored", "> /recheck\nno", nil},
		{"quoted with indentation is ignored", "   > /recheck", nil},
		{"in an HTML comment", "<!-- /recheck -->", nil},
		{"multi-line HTML comment keeps line numbers", "<!--\n/recheck\n-->\n/recheck", []Command{{Name: Recheck, Args: []string{}, Line: 4}}},
		{"unterminated HTML comment hides the rest", "<!-- x\n/recheck", nil},
		{"in a code fence", "```\n/recheck\n```", nil},
		{"in a tilde fence", "~~~sh\n/recheck\n~~~\n", nil},
		{"mid-line is not a command", "please /recheck", nil},
		{"unknown command", "/retest", nil},
		{"prefix of a word is not the command", "/rechecking", nil},
		{"CLA Assistant Lite's bare recheck", "recheck", []Command{{Name: Recheck, Args: []string{}, Line: 1}}},
		{"a sentence with recheck is not a command", "please recheck this", nil},
		{"/cla recheck", "/cla recheck", []Command{{Name: Recheck, Args: []string{}, Line: 1}}},
		{"/cla ack", "/CLA ack ccla-acme", []Command{{Name: CLAAck, Args: []string{"ccla-acme"}, Line: 1}}},
		{"/cla alone", "/cla", nil},
		{"/cla unknown", "/cla sign", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Parse(tc.body)); diff != "" {
				t.Errorf("Parse(%q) (-want +got):\n%s", tc.body, diff)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"/recheck", "> /recheck", "<!-- -->", "```\n/recheck", "\r\n/recheck\r"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, c := range Parse(body) {
			if c.Line < 1 || c.Name == "" {
				t.Fatalf("bad command %+v", c)
			}
		}
	})
}
