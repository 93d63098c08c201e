package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// ParseYAML parses one YAML document into a node tree for Decode. An empty
// or comment-only document gives a DocumentNode with no content. A second
// document ("---") is an error: it would otherwise be ignored silently.
// Syntax errors are *SyntaxError with a line and column (see locateYAMLError).
func ParseYAML(data []byte) (*yaml.Node, error) {
	doc, err := parseYAMLDocs(data)
	if err != nil {
		var se *SyntaxError
		if errors.As(err, &se) {
			return nil, se
		}
		msg := yamlMessage(err)
		var line, col int
		if len(data) <= maxLocate {
			line, col = locateYAMLError(data, msg)
		} else {
			line, col = reportedLine(err), 1
		}
		if r := runeAt(data, line, col); r == '\t' && !strings.Contains(msg, "tab") {
			msg += " (a tab: indent YAML with spaces)"
		}
		return nil, &SyntaxError{Line: line, Column: col, Msg: "invalid YAML: " + msg}
	}
	return doc, nil
}

func parseYAMLDocs(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return &yaml.Node{Kind: yaml.DocumentNode}, nil
		}
		return nil, err
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
		return &doc, nil
	case err != nil:
		return nil, err
	default:
		return nil, &SyntaxError{Line: next.Line, Column: next.Column,
			Msg: `only one YAML document is allowed, found a second one ("---")`}
	}
}

// runeAt returns the character at a 1-based line and column, or -1.
func runeAt(data []byte, line, col int) rune {
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			return -1
		}
		data = data[i+1:]
	}
	for c := 1; len(data) > 0; c++ {
		r, size := utf8.DecodeRune(data)
		if c == col {
			return r
		}
		data = data[size:]
	}
	return -1
}

// maxLocate bounds the documents whose syntax errors are located by
// re-parsing prefixes (a few dozen parses); larger ones, which no
// configuration file is, get yaml.v3's own line.
const maxLocate = 64 << 10

// reportedLine is the line yaml.v3 put in its message, or 1.
func reportedLine(err error) int {
	if m := yamlLinePrefix.FindStringSubmatch(err.Error()); m != nil && m[2] != "" {
		if n, e := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(m[2], "line "), ": ")); e == nil && n > 0 {
			return n
		}
	}
	return 1
}

var yamlLinePrefix = regexp.MustCompile(`^(yaml: )?(line \d+: )?`)

// yamlMessage strips yaml.v3's "yaml: line N: " prefix: its line number is
// off by one for parser errors and missing on the first line, so we find the
// position ourselves.
func yamlMessage(err error) string {
	return yamlLinePrefix.ReplaceAllString(err.Error(), "")
}

// locateYAMLError finds where a syntax error is: the shortest prefix of the
// document, first by whole lines and then by characters within the line,
// that fails with the same message. yaml.v3 reports no column, and its line
// is the context's or off by one. The search is exact for errors caused by
// what was read so far (the usual case); otherwise the column is that of the
// failing line's first character.
func locateYAMLError(data []byte, msg string) (line, col int) {
	fails := func(end int) bool {
		_, err := parseYAMLDocs(data[:end])
		if err == nil {
			return false
		}
		var se *SyntaxError
		return !errors.As(err, &se) && yamlMessage(err) == msg
	}
	// Line ends, exclusive, including the newline.
	var ends []int
	for i, c := range data {
		if c == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(ends) == 0 || ends[len(ends)-1] != len(data) {
		ends = append(ends, len(data))
	}
	lo, hi := 0, len(ends)-1 // find the first line index whose prefix fails
	for lo < hi {
		mid := (lo + hi) / 2
		if fails(ends[mid]) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	start := 0
	if lo > 0 {
		start = ends[lo-1]
	}
	text := data[start:ends[lo]]
	line = lo + 1
	limit := min(len(text), 512)
	for c := 0; c < limit; {
		_, size := utf8.DecodeRune(text[c:])
		c += size
		if fails(start + c) {
			return line, utf8.RuneCount(text[:c])
		}
	}
	// The error shows only with what follows: point at the line's text.
	trimmed := bytes.TrimLeft(text, " \t")
	return line, utf8.RuneCount(text[:len(text)-len(trimmed)]) + 1
}

// ParseJSON parses JSON text into the same node tree ParseYAML produces, so
// that Decode reports JSON problems with line and column too. It does not go
// through the YAML parser because valid JSON is not always valid YAML to
// yaml.v3: it rejects the "\/" escape and escaped surrogate pairs such as
// "\ud83d\ude00", which Python's json module writes for every emoji.
// Columns count characters, as yaml.v3's do. Duplicate keys are kept (Decode
// reports them). Syntax errors are *SyntaxError.
func ParseJSON(data []byte) (*yaml.Node, error) {
	p := &jsonParser{data: data, line: 1, col: 1}
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		p.pos, p.markPos = 3, 3 // a byte order mark, as some Windows tools write
	}
	p.skipSpace()
	if p.pos == len(data) {
		return nil, p.errorf(p.pos, "empty JSON document")
	}
	root, err := p.value()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(data) {
		return nil, p.errorf(p.pos, "unexpected %s after the JSON value", p.describe(p.pos))
	}
	return &yaml.Node{Kind: yaml.DocumentNode, Line: 1, Column: 1, Content: []*yaml.Node{root}}, nil
}

const maxJSONDepth = 10_000

type jsonParser struct {
	data  []byte
	pos   int
	depth int

	// Position of markPos; positions are asked for in increasing order, so
	// counting from the last one keeps the whole parse linear.
	markPos   int
	line, col int
}

func (p *jsonParser) position(off int) (int, int) {
	for i := p.markPos; i < off; i++ {
		switch c := p.data[i]; {
		case c == '\n':
			p.line, p.col = p.line+1, 1
		case c&0xC0 != 0x80: // not a UTF-8 continuation byte: a new character
			p.col++
		}
	}
	p.markPos = off
	return p.line, p.col
}

func (p *jsonParser) errorf(off int, format string, args ...any) error {
	line, col := p.position(off)
	return &SyntaxError{Line: line, Column: col, Msg: "invalid JSON: " + fmt.Sprintf(format, args...)}
}

func (p *jsonParser) describe(off int) string {
	if off >= len(p.data) {
		return "end of file"
	}
	r, _ := utf8.DecodeRune(p.data[off:])
	return fmt.Sprintf("%q", r)
}

func (p *jsonParser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) node(kind yaml.Kind, tag string, off int) *yaml.Node {
	line, col := p.position(off)
	return &yaml.Node{Kind: kind, Tag: tag, Line: line, Column: col}
}

func (p *jsonParser) value() (*yaml.Node, error) {
	if p.pos >= len(p.data) {
		return nil, p.errorf(p.pos, "unexpected end of file, expected a value")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		return p.string()
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == 't':
		return p.literal("true", "!!bool")
	case c == 'f':
		return p.literal("false", "!!bool")
	case c == 'n':
		return p.literal("null", "!!null")
	default:
		return nil, p.errorf(p.pos, "expected a value, got %s", p.describe(p.pos))
	}
}

func (p *jsonParser) literal(word, tag string) (*yaml.Node, error) {
	if !bytes.HasPrefix(p.data[p.pos:], []byte(word)) {
		return nil, p.errorf(p.pos, "expected a value, got %s", p.describe(p.pos))
	}
	n := p.node(yaml.ScalarNode, tag, p.pos)
	n.Value = word
	p.pos += len(word)
	return n, nil
}

func (p *jsonParser) enter() error {
	if p.depth++; p.depth > maxJSONDepth {
		return p.errorf(p.pos, "nested more than %d levels deep", maxJSONDepth)
	}
	return nil
}

func (p *jsonParser) object() (*yaml.Node, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	n := p.node(yaml.MappingNode, "!!map", p.pos)
	n.Style = yaml.FlowStyle
	p.pos++ // '{'
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return n, nil
	}
	for {
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, p.errorf(p.pos, "expected a string key, got %s", p.describe(p.pos))
		}
		k, err := p.string()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, p.errorf(p.pos, "expected ':' after key %s, got %s", Quote(k.Value), p.describe(p.pos))
		}
		p.pos++
		p.skipSpace()
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		n.Content = append(n.Content, k, v)
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, p.errorf(p.pos, "expected ',' or '}', got end of file")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return n, nil
		default:
			return nil, p.errorf(p.pos, "expected ',' or '}', got %s", p.describe(p.pos))
		}
	}
}

func (p *jsonParser) array() (*yaml.Node, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	n := p.node(yaml.SequenceNode, "!!seq", p.pos)
	n.Style = yaml.FlowStyle
	p.pos++ // '['
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return n, nil
	}
	for {
		p.skipSpace()
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		n.Content = append(n.Content, v)
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, p.errorf(p.pos, "expected ',' or ']', got end of file")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return n, nil
		default:
			return nil, p.errorf(p.pos, "expected ',' or ']', got %s", p.describe(p.pos))
		}
	}
}

func (p *jsonParser) string() (*yaml.Node, error) {
	start := p.pos
	n := p.node(yaml.ScalarNode, "!!str", start)
	n.Style = yaml.DoubleQuotedStyle
	escaped := false
	i := start + 1
	for ; i < len(p.data); i++ {
		c := p.data[i]
		if c == '"' {
			break
		}
		if c < 0x20 {
			return nil, p.errorf(i, "control character %q in a string (escape it)", rune(c))
		}
		if c == '\\' {
			escaped = true
			i++
		}
	}
	if i >= len(p.data) {
		return nil, p.errorf(start, "string not terminated")
	}
	raw := p.data[start+1 : i]
	p.pos = i + 1
	if !escaped && utf8.Valid(raw) {
		n.Value = string(raw)
		return n, nil
	}
	// Escapes (and invalid UTF-8, replaced by U+FFFD) exactly as encoding/json does.
	var s string
	if err := json.Unmarshal(p.data[start:i+1], &s); err != nil {
		return nil, p.errorf(start, "bad string: %s", strings.TrimPrefix(err.Error(), "invalid character "))
	}
	n.Value = s
	return n, nil
}

func (p *jsonParser) number() (*yaml.Node, error) {
	start, i, d := p.pos, p.pos, p.data
	digits := func() int {
		j := i
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
		return i - j
	}
	tag := "!!int"
	if i < len(d) && d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case digits() == 0:
		return nil, p.errorf(start, "invalid number")
	}
	if i < len(d) && d[i] == '.' {
		i++
		tag = "!!float"
		if digits() == 0 {
			return nil, p.errorf(start, "invalid number: digits must follow '.'")
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		tag = "!!float"
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if digits() == 0 {
			return nil, p.errorf(start, "invalid number: digits must follow the exponent")
		}
	}
	n := p.node(yaml.ScalarNode, tag, start)
	n.Value = string(d[start:i])
	p.pos = i
	return n, nil
}
