package gitdm

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// DecodeEmail undoes the gitdm obfuscation and lower-cases the result
// (affiliation.md §1.7). Like devstats' emailDecode, a '!' becomes '@' only
// between two non-empty runs of characters that are neither white space nor
// '!' (regexp ([^\s!]+)!([^\s!]+), applied left to right, non-overlapping),
// so "Yahoo! Inc." is left alone and "a!b!c" becomes "a@b!c". Addresses that
// already contain '@' are only trimmed and lower-cased.
func DecodeEmail(s string) string {
	s = trimSpaceString(s)
	if strings.IndexByte(s, '@') < 0 && strings.IndexByte(s, '!') >= 0 {
		s = decodeBang(s)
	}
	return strings.ToLower(s)
}

// decodeEmailBytes is DecodeEmail on a token the caller owns: it decodes
// and lower-cases in place, then makes one string.
func decodeEmailBytes(b []byte) string {
	b = trimSpace(b)
	if bytes.IndexByte(b, '@') < 0 {
		lastEnd := 0
		for i := 0; i < len(b); {
			if b[i] != '!' || i-1 < lastEnd || !runChar(b[i-1]) || i+1 >= len(b) || !runChar(b[i+1]) {
				i++
				continue
			}
			b[i] = '@'
			i++
			for i < len(b) && runChar(b[i]) {
				i++
			}
			lastEnd = i
		}
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c >= utf8.RuneSelf {
			return strings.ToLower(string(b))
		}
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func decodeBang(s string) string {
	var b []byte
	i, lastEnd := 0, 0 // a match's left run must start at or after lastEnd
	for i < len(s) {
		if s[i] != '!' || i-1 < lastEnd || !runChar(s[i-1]) || i+1 >= len(s) || !runChar(s[i+1]) {
			i++
			continue
		}
		if b == nil {
			b = []byte(s)
		}
		b[i] = '@'
		i++
		for i < len(s) && runChar(s[i]) {
			i++
		}
		lastEnd = i
	}
	if b == nil {
		return s
	}
	return string(b)
}

func runChar(c byte) bool { return c != '!' && !isSpace(c) }

// EncodeEmail is the inverse: '@' becomes '!' (the form gitdm files use).
func EncodeEmail(s string) string { return strings.ReplaceAll(s, "@", "!") }

// SplitEmail splits a decoded address into its local part and domain and
// reports whether it looks like an address: one '@', a non-empty local part
// without white space, and a valid domain (see ValidDomain).
func SplitEmail(s string) (local, domain string, ok bool) {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return "", "", false
	}
	local, domain = s[:at], s[at+1:]
	if strings.IndexByte(local, '@') >= 0 {
		return "", "", false
	}
	for i := 0; i < len(local); i++ {
		if isSpace(local[i]) {
			return "", "", false
		}
	}
	return local, domain, ValidDomain(domain)
}

// ValidDomain reports whether s is a plausible lower-case DNS name with at
// least two labels: labels of letters, digits, '-', '_' or non-ASCII
// (internationalised) characters, none empty or longer than 63 bytes.
func ValidDomain(s string) bool {
	if len(s) == 0 || len(s) > 253 || !utf8.ValidString(s) {
		return false
	}
	labels, n := 1, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.':
			if n == 0 {
				return false
			}
			labels++
			n = 0
			continue
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_', c >= 0x80:
		default:
			return false
		}
		n++
		if n > 63 {
			return false
		}
	}
	return n > 0 && labels >= 2
}

// Noreply is what a GitHub no-reply address says about its account.
type Noreply struct {
	ID    int64  // 0 for the pre-2017 "login@users.noreply.github.com" form
	Login string // lower-cased
	Bot   bool   // "<id>+<app>[bot]@users.noreply.github.com"
}

// NoreplyDomain is GitHub's no-reply e-mail domain.
const NoreplyDomain = "users.noreply.github.com"

// ParseNoreply recognises ID+LOGIN@users.noreply.github.com and
// LOGIN@users.noreply.github.com (affiliation.md §2.3) in a decoded,
// lower-cased address.
func ParseNoreply(email string) (Noreply, bool) {
	local, ok := strings.CutSuffix(email, "@"+NoreplyDomain)
	if !ok || local == "" {
		return Noreply{}, false
	}
	var n Noreply
	if plus := strings.IndexByte(local, '+'); plus >= 0 {
		id, ok := digits(local[:plus])
		if !ok || plus > 12 || id == 0 {
			return Noreply{}, false
		}
		n.ID = int64(id)
		local = local[plus+1:]
	}
	if login, ok := strings.CutSuffix(local, "[bot]"); ok {
		n.Bot = true
		local = login
	}
	if local == "" {
		return Noreply{}, false
	}
	for i := 0; i < len(local); i++ {
		c := local[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return Noreply{}, false
		}
	}
	n.Login = local
	return n, true
}
