package trailer

import "strings"

// SignOff is a well-formed Signed-off-by line.
type SignOff struct {
	Person
	Line int `json:"line"`
}

// Malformed is a line that starts with the Signed-off-by key but whose value
// is not a usable "Name <email>", so the report can say what is wrong with it
// instead of calling the sign-off missing.
type Malformed struct {
	Line    int     `json:"line"`
	Text    string  `json:"text"` // the whole line, trailing space removed
	Problem Problem `json:"problem"`
}

// HintKind classifies a line that was meant as a sign-off but is not one.
type HintKind string

// Hint kinds.
const (
	Misspelled       HintKind = "misspelled_key"     // "Signed-of-by:", "Signed off by:", "Signoff:"
	SpaceBeforeColon HintKind = "space_before_colon" // "Signed-off-by :"
	MissingColon     HintKind = "missing_colon"      // "Signed-off-by Jane <j@x.org>"
	Indented         HintKind = "indented"           // "    Signed-off-by: ..."
	Quoted           HintKind = "quoted"             // "> Signed-off-by: ..."
)

// Hint is a near miss: a line that looks like a sign-off but does not count.
type Hint struct {
	Line int      `json:"line"`
	Text string   `json:"text"`
	Kind HintKind `json:"kind"`
	// Signer is the identity the line names, when it names one well-formed;
	// the report can then say "this would have matched the author".
	Signer Person `json:"signer"`
}

// Scan is everything ScanSignOffs found in one message.
type Scan struct {
	SignOffs  []SignOff
	Malformed []Malformed
	Hints     []Hint
}

// SignOffs returns the well-formed Signed-off-by identities of the message
// and, separately, the Signed-off-by lines that name no usable identity.
func SignOffs(message string) (valid []Person, malformed []string) {
	s := ScanSignOffs(message)
	for _, so := range s.SignOffs {
		valid = append(valid, so.Person)
	}
	for _, m := range s.Malformed {
		malformed = append(malformed, m.Text)
	}
	return valid, malformed
}

const sobKey = "signed-off-by:"

// ScanSignOffs finds the sign-offs of a message, the malformed ones, and the
// lines that look like failed attempts (misspelt key, indentation, quoting).
func ScanSignOffs(message string) Scan {
	var s Scan
	eachLine(message, func(n int, line string) {
		if HasPrefixFold(line, sobKey) {
			text := TrimRightSpace(line)
			p, prob := ParsePerson(line[len(sobKey):])
			if prob == OK {
				s.SignOffs = append(s.SignOffs, SignOff{Person: p, Line: n})
			} else {
				s.Malformed = append(s.Malformed, Malformed{Line: n, Text: text, Problem: prob})
			}
			return
		}
		if h, ok := nearMiss(line); ok {
			h.Line = n
			s.Hints = append(s.Hints, h)
		}
	})
	return s
}

// HasSignOff reports whether the message holds at least one well-formed
// Signed-off-by line, whoever it names. This is all that is asked of a commit
// the merge queue built (dcoapp's hasSignoffTrailer).
func HasSignOff(message string) bool {
	found := false
	eachLine(message, func(_ int, line string) {
		if !found && HasPrefixFold(line, sobKey) {
			_, prob := ParsePerson(line[len(sobKey):])
			found = prob == OK
		}
	})
	return found
}

// maxKeyLen bounds how far into a line nearMiss looks for a key, which keeps
// the hint work per line constant.
const maxKeyLen = 24

// nearMiss recognises lines that were probably meant as a sign-off. checkpatch
// suggests a correction for keys within edit distance 2; so do we, plus the
// common "Signoff:" and "Signed off by:" forms, a space before the colon, a
// missing colon, and indented or quoted sign-offs.
func nearMiss(line string) (Hint, bool) {
	t := line
	kind := HintKind("")
	// Strip indentation and e-mail style quoting ("> > "), a few levels at most.
strip:
	for k := 0; k < 8 && t != ""; k++ {
		switch {
		case isBlank(t[0]):
			t = trimLeftBlank(t)
			if kind == "" {
				kind = Indented
			}
		case t[0] == '>':
			t = t[1:]
			kind = Quoted
		default:
			break strip
		}
	}
	if t == "" || !isLetter(t[0]) {
		return Hint{}, false
	}
	text := TrimRightSpace(line)
	if HasPrefixFold(t, sobKey) {
		if kind == "" {
			return Hint{}, false // a real sign-off; the caller handles it
		}
		p, _ := ParsePerson(t[len(sobKey):])
		return Hint{Text: text, Kind: kind, Signer: signer(p)}, true
	}
	end := len(t)
	if end > maxKeyLen+1 {
		end = maxKeyLen + 1
	}
	colon := strings.IndexByte(t[:end], ':')
	if colon < 0 {
		// "Signed-off-by Jane <jane@x.org>" or "Signed off by Jane <...>".
		for _, k := range [...]string{"signed-off-by", "signed off by", "signed-off by"} {
			if len(t) > len(k) && HasPrefixFold(t, k) && isBlank(t[len(k)]) {
				p, prob := ParsePerson(t[len(k):])
				if prob == OK {
					return Hint{Text: text, Kind: MissingColon, Signer: p}, true
				}
			}
		}
		return Hint{}, false
	}
	key, value := t[:colon], t[colon+1:]
	// Only lines whose value looks like an identity are worth a hint; this
	// keeps prose such as "Signoff: not needed for docs" quiet.
	if strings.IndexByte(value, '<') < 0 && strings.IndexByte(value, '@') < 0 {
		return Hint{}, false
	}
	var norm [maxKeyLen]byte
	nn := 0
	for i := 0; i < len(key); i++ {
		switch b := key[i]; {
		case isLetter(b):
			norm[nn] = lowerASCII(b)
			nn++
		case b == '-' || b == '_' || isBlank(b):
		default:
			return Hint{}, false
		}
	}
	k := string(norm[:nn])
	switch {
	case k == "signedoffby" && equalFoldASCII(TrimRightSpace(key), "signed-off-by"):
		if kind == "" {
			kind = SpaceBeforeColon
		}
	case k == "signedoffby", knownMisspelling(k),
		// Typos keep the first letter; testing it first spares the edit
		// distance for every "Reviewed-by:" and "Co-authored-by:".
		nn >= 8 && k[0] == 's' && distanceAtMost2(k, "signedoffby"):
		kind = Misspelled
	default:
		return Hint{}, false
	}
	p, _ := ParsePerson(value)
	return Hint{Text: text, Kind: kind, Signer: signer(p)}, true
}

func signer(p Person) Person {
	if p.Name == "" || !PlausibleEmail(p.Email) {
		return Person{}
	}
	return p
}

// knownMisspelling lists keys (letters only, lower case) too far from
// "signedoffby" for the edit distance test but common in the wild.
func knownMisspelling(k string) bool {
	switch k {
	case "signoff", "signedoff", "signoffby", "signedby", "signeoffby", "sob":
		return true
	}
	return false
}

// distanceAtMost2 reports whether the Levenshtein distance between a and b is
// at most 2. Both are at most maxKeyLen bytes, so the table lives on the stack.
func distanceAtMost2(a, b string) bool {
	if d := len(a) - len(b); d > 2 || d < -2 {
		return false
	}
	var prev, cur [maxKeyLen + 1]int
	for j := range len(b) + 1 {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)] <= 2
}
