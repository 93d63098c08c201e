package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Options tune Decode.
type Options struct {
	// Tag is the struct tag that names keys: "yaml" when empty.
	Tag string

	// Raw, when set, is called for every json.RawMessage field Decode fills,
	// with the field's path and value node, so that the caller can decode
	// the sub-document itself with positions intact. The field receives the
	// node converted to JSON.
	Raw func(path string, n *yaml.Node)

	// MaxAliasNodes caps how many nodes may be visited through aliases,
	// against exponential "billion laughs" documents: 10,000 when zero.
	MaxAliasNodes int
}

// Decode decodes node (a document or any node) onto out, which must be a
// non-nil pointer, and returns every problem found, sorted by position. Keys
// absent from the document leave out's values untouched: decode onto the
// defaults. On problems, out holds whatever could be decoded.
//
// Rules: keys must name a field (case-sensitive) and appear once; scalars
// must have the field's type as YAML 1.2 resolves it (so yes/no/on/off are
// strings, never booleans; "1" in quotes is a string); null is accepted only
// by pointers (set to nil), interfaces, Node, json.RawMessage and
// Unmarshalers; aliases are followed (problems inside them are reported at
// the anchor's text); merge keys ("<<") are rejected.
func Decode(node *yaml.Node, out any, opts Options) []Problem {
	v := reflect.ValueOf(out)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return []Problem{{Message: fmt.Sprintf("internal error: Decode needs a non-nil pointer, got %T", out)}}
	}
	d := &decoder{opts: opts, types: newTypeCache(opts.Tag)}
	if d.opts.MaxAliasNodes <= 0 {
		d.opts.MaxAliasNodes = 10_000
	}
	n := node
	if n == nil || n.Kind == 0 || (n.Kind == yaml.DocumentNode && len(n.Content) == 0) {
		n = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}
	} else if n.Kind == yaml.DocumentNode {
		n = n.Content[0]
	}
	d.value(n, v.Elem(), nil)
	return SortProblems(d.problems)
}

type decoder struct {
	opts     Options
	types    *typeCache
	problems []Problem
	path     []segment

	aliasDepth     int          // > 0 while decoding an alias's target
	aliasNodes     int          // nodes visited through aliases
	aliasExhausted bool         // the budget ran out (reported once)
	active         []*yaml.Node // alias targets being decoded: a repeat is a cycle
}

func (d *decoder) problem(n *yaml.Node, path string, msg string) {
	d.problems = append(d.problems, Problem{Path: path, Line: n.Line, Column: n.Column, Message: msg})
}

func (d *decoder) here(n *yaml.Node, msg string) { d.problem(n, renderPath(d.path), msg) }

func (d *decoder) push(key string) { d.path = append(d.path, segment{key: key, index: -1}) }
func (d *decoder) pushIndex(i int) { d.path = append(d.path, segment{index: i}) }
func (d *decoder) pop()            { d.path = d.path[:len(d.path)-1] }

func (d *decoder) typeProblem(n *yaml.Node, t reflect.Type) {
	d.here(n, "expected "+expected(t)+", got "+describe(n))
}

// enter accounts for a node visited through an alias; false once the budget is spent.
func (d *decoder) enter(n *yaml.Node) bool {
	if d.aliasDepth == 0 {
		return true
	}
	d.aliasNodes++
	if d.aliasNodes <= d.opts.MaxAliasNodes {
		return true
	}
	if !d.aliasExhausted {
		d.aliasExhausted = true
		d.here(n, fmt.Sprintf("aliases expand to more than %d values; write the values out instead", d.opts.MaxAliasNodes))
	}
	return false
}

// resolveAlias returns the alias's target and a function to call when done
// with it, or ok=false after reporting why it cannot be followed.
func (d *decoder) resolveAlias(n *yaml.Node) (target *yaml.Node, done func(), ok bool) {
	if n.Alias == nil {
		d.here(n, fmt.Sprintf("alias *%s refers to no anchor", n.Value))
		return nil, nil, false
	}
	if slices.Contains(d.active, n.Alias) {
		d.here(n, fmt.Sprintf("alias *%s refers to a value that contains it", n.Value))
		return nil, nil, false
	}
	if d.aliasExhausted {
		return nil, nil, false
	}
	d.active = append(d.active, n.Alias)
	d.aliasDepth++
	return n.Alias, func() {
		d.active = d.active[:len(d.active)-1]
		d.aliasDepth--
	}, true
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

func (d *decoder) value(n *yaml.Node, v reflect.Value, c *constraints) {
	if n.Kind == yaml.AliasNode {
		target, done, ok := d.resolveAlias(n)
		if !ok {
			return
		}
		defer done()
		// The value as a whole is reported at the alias; what is inside it
		// at the anchor's text, where it is written.
		at := *target
		at.Line, at.Column = n.Line, n.Column
		n = &at
	}
	if !d.enter(n) {
		return
	}
	t := v.Type()
	if t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface && reflect.PointerTo(t).Implements(unmarshalerType) {
		if err := v.Addr().Interface().(Unmarshaler).UnmarshalSchema(n); err != nil {
			d.here(n, err.Error())
		}
		return
	}
	switch t {
	case nodeType:
		v.Set(reflect.ValueOf(Node{n}))
		return
	case rawType:
		d.raw(n, v)
		return
	case timeType:
		d.time(n, v)
		return
	case durationType:
		d.duration(n, v)
		return
	}
	if isNull(n) {
		if t.Kind() == reflect.Pointer || t.Kind() == reflect.Interface {
			v.SetZero()
			return
		}
		d.typeProblem(n, t)
		return
	}
	switch k := t.Kind(); {
	case k == reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(t.Elem()))
		}
		d.value(n, v.Elem(), c)
	case k == reflect.Struct:
		d.structure(n, v)
	case k == reflect.Map:
		d.mapping(n, v, c)
	case k == reflect.Slice:
		d.sequence(n, v, c)
	case k == reflect.Interface && t.NumMethod() == 0:
		var x any
		if err := n.Decode(&x); err != nil {
			d.here(n, fmt.Sprintf("cannot decode %s: %v", describe(n), err))
			return
		}
		if x != nil {
			v.Set(reflect.ValueOf(x))
		}
	case k == reflect.Bool, k == reflect.String, isIntKind(k), isUintKind(k), k == reflect.Float32, k == reflect.Float64:
		d.scalar(n, v, c)
	default:
		d.here(n, fmt.Sprintf("internal error: cannot decode into %s", t))
	}
}

// key returns a mapping key's text, reporting keys that are not plain scalars.
func (d *decoder) key(kn *yaml.Node) (string, bool) {
	if kn.Kind == yaml.AliasNode && kn.Alias != nil {
		kn = kn.Alias
	}
	switch {
	case kn.Kind != yaml.ScalarNode:
		d.here(kn, "expected a string key, got "+describe(kn))
	case kn.ShortTag() == "!!merge":
		d.here(kn, `merge keys ("<<") are not supported; write the keys out`)
	case isNull(kn):
		d.here(kn, "expected a string key, got null")
	default:
		return kn.Value, true
	}
	return "", false
}

func (d *decoder) structure(n *yaml.Node, v reflect.Value) {
	if n.Kind != yaml.MappingNode {
		d.typeProblem(n, v.Type())
		return
	}
	si, err := d.types.get(v.Type())
	if err != nil {
		d.here(n, "internal error: "+err.Error())
		return
	}
	var buf [16]*yaml.Node
	seen := buf[:0]
	if len(si.fields) > len(buf) {
		seen = make([]*yaml.Node, len(si.fields))
	} else {
		seen = buf[:len(si.fields)]
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := n.Content[i], n.Content[i+1]
		key, ok := d.key(kn)
		if !ok {
			continue
		}
		fi, found := si.byName[key]
		if !found {
			msg := "unknown key " + strconv.Quote(key)
			if s := suggest(key, si); s != "" {
				msg += " (did you mean " + strconv.Quote(s) + "?)"
			}
			d.here(kn, msg)
			continue
		}
		if prev := seen[fi]; prev != nil {
			d.here(kn, fmt.Sprintf("duplicate key %q (first at %d:%d)", key, prev.Line, prev.Column))
			continue
		}
		seen[fi] = kn
		f := &si.fields[fi]
		d.push(key)
		d.value(vn, v.FieldByIndex(f.index), f.c)
		d.pop()
	}
	for fi := range si.fields {
		if f := &si.fields[fi]; f.required && seen[fi] == nil {
			d.push(f.name)
			d.here(n, MsgRequired)
			d.pop()
		}
	}
}

func (d *decoder) mapping(n *yaml.Node, v reflect.Value, c *constraints) {
	if n.Kind != yaml.MappingNode {
		d.typeProblem(n, v.Type())
		return
	}
	t := v.Type()
	if t.Key().Kind() != reflect.String {
		d.here(n, fmt.Sprintf("internal error: map keys must be strings, not %s", t.Key()))
		return
	}
	if v.IsNil() {
		v.Set(reflect.MakeMapWithSize(t, len(n.Content)/2))
	}
	seen := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := n.Content[i], n.Content[i+1]
		key, ok := d.key(kn)
		if !ok {
			continue
		}
		if prev := seen[key]; prev != nil {
			d.here(kn, fmt.Sprintf("duplicate key %q (first at %d:%d)", key, prev.Line, prev.Column))
			continue
		}
		seen[key] = kn
		kv := reflect.ValueOf(key).Convert(t.Key())
		elem := reflect.New(t.Elem()).Elem()
		if old := v.MapIndex(kv); old.IsValid() {
			elem.Set(old) // decode onto the existing entry, like struct fields
		}
		d.push(key)
		d.value(vn, elem, c)
		d.pop()
		v.SetMapIndex(kv, elem)
	}
}

func (d *decoder) sequence(n *yaml.Node, v reflect.Value, c *constraints) {
	if n.Kind != yaml.SequenceNode {
		d.typeProblem(n, v.Type())
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, en := range n.Content {
		d.pushIndex(i)
		d.value(en, s.Index(i), c)
		d.pop()
	}
	v.Set(s)
}

func (d *decoder) scalar(n *yaml.Node, v reflect.Value, c *constraints) {
	if n.Kind != yaml.ScalarNode {
		d.typeProblem(n, v.Type())
		return
	}
	tag := n.ShortTag()
	switch k := v.Kind(); {
	case k == reflect.Bool:
		if tag != "!!bool" {
			d.typeProblem(n, v.Type())
			return
		}
		switch strings.ToLower(n.Value) {
		case "true":
			v.SetBool(true)
		case "false":
			v.SetBool(false)
		default: // only reachable with an explicit !!bool tag
			d.here(n, "expected a boolean (true or false), got "+Quote(n.Value))
		}
	case k == reflect.String:
		if tag != "!!str" && tag != "!!timestamp" {
			d.typeProblem(n, v.Type())
			return
		}
		v.SetString(n.Value)
		d.checkString(n, n.Value, c)
	case isIntKind(k), isUintKind(k):
		i, ok := d.integer(n, v.Type())
		if !ok {
			return
		}
		if isIntKind(k) {
			v.SetInt(i.Int64())
		} else {
			v.SetUint(i.Uint64())
		}
		d.checkNumber(n, new(big.Rat).SetInt(i), i.String(), c)
	default: // floats
		f, ok := d.float(n, v.Type())
		if !ok {
			return
		}
		v.SetFloat(f)
		if !math.IsInf(f, 0) && !math.IsNaN(f) {
			d.checkNumber(n, new(big.Rat).SetFloat64(f), strconv.FormatFloat(f, 'g', -1, 64), c)
		}
	}
}

// integer parses an !!int, or an !!float with no fraction, within t's range.
func (d *decoder) integer(n *yaml.Node, t reflect.Type) (*big.Int, bool) {
	var i *big.Int
	switch n.ShortTag() {
	case "!!int":
		var ok bool
		if i, ok = parseYAMLInt(n.Value); !ok {
			d.here(n, "expected an integer, got "+Quote(n.Value))
			return nil, false
		}
	case "!!float":
		f, err := parseYAMLFloat(n.Value)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || f != math.Trunc(f) {
			d.typeProblem(n, t)
			return nil, false
		}
		i, _ = big.NewFloat(f).Int(nil)
	default:
		d.typeProblem(n, t)
		return nil, false
	}
	lo, hi := intRange(t)
	if i.Cmp(lo) < 0 {
		d.here(n, fmt.Sprintf("%s is too small (minimum %s)", trunc(n.Value), lo))
		return nil, false
	}
	if i.Cmp(hi) > 0 {
		d.here(n, fmt.Sprintf("%s is too large (maximum %s)", trunc(n.Value), hi))
		return nil, false
	}
	return i, true
}

func (d *decoder) float(n *yaml.Node, t reflect.Type) (float64, bool) {
	var f float64
	switch n.ShortTag() {
	case "!!float":
		var err error
		if f, err = parseYAMLFloat(n.Value); err != nil {
			d.here(n, "expected a number, got "+Quote(n.Value))
			return 0, false
		}
	case "!!int":
		i, ok := parseYAMLInt(n.Value)
		if !ok {
			d.here(n, "expected a number, got "+Quote(n.Value))
			return 0, false
		}
		f, _ = new(big.Float).SetInt(i).Float64()
	default:
		d.typeProblem(n, t)
		return 0, false
	}
	if t.Kind() == reflect.Float32 && !math.IsInf(f, 0) && math.Abs(f) > math.MaxFloat32 {
		d.here(n, fmt.Sprintf("%s is too large for a 32-bit number", trunc(n.Value)))
		return 0, false
	}
	if math.IsInf(f, 0) && !strings.Contains(strings.ToLower(n.Value), "inf") {
		d.here(n, fmt.Sprintf("%s is too large", trunc(n.Value)))
		return 0, false
	}
	return f, true
}

// parseYAMLInt accepts what yaml.v3 resolves as !!int: an optional sign,
// decimal, 0x, 0o, 0b or legacy 0-octal digits, with underscores.
func parseYAMLInt(s string) (*big.Int, bool) {
	plain := strings.ReplaceAll(s, "_", "")
	i, ok := new(big.Int).SetString(plain, 0)
	if !ok && plain != "" && (plain[0] == '+') {
		i, ok = new(big.Int).SetString(plain[1:], 0)
	}
	return i, ok
}

func parseYAMLFloat(s string) (float64, error) {
	switch strings.ToLower(strings.TrimPrefix(s, "+")) {
	case ".inf":
		return math.Inf(1), nil
	case "-.inf":
		return math.Inf(-1), nil
	case ".nan":
		return math.NaN(), nil
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
	if err != nil && !isRangeErr(err) {
		return 0, err
	}
	return f, nil // a range error returns ±Inf, which callers report as too large
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

func (d *decoder) checkString(n *yaml.Node, s string, c *constraints) {
	if c == nil {
		return
	}
	if c.enum != nil && !slices.Contains(c.enum, s) {
		d.here(n, EnumMessage(Quote(s), c.enum))
		return
	}
	if c.minLength >= 0 || c.maxLength >= 0 {
		l := utf8.RuneCountInString(s)
		switch {
		case c.minLength == 1 && l == 0:
			d.here(n, "must not be empty")
			return
		case c.minLength >= 0 && l < c.minLength:
			d.here(n, fmt.Sprintf("must be at least %d characters, got %d", c.minLength, l))
			return
		case c.maxLength >= 0 && l > c.maxLength:
			d.here(n, MaxLengthMessage(c.maxLength, l))
			return
		}
	}
	if c.pattern != nil && !c.pattern.MatchString(s) {
		if c.patternDoc != "" {
			d.here(n, "expected "+c.patternDoc+", got "+Quote(s))
		} else {
			d.here(n, fmt.Sprintf("%s does not match %s", Quote(s), c.pattern))
		}
	}
}

// MaxLengthMessage is the message for a string longer than max characters,
// shared with semantic checks so that the same rule reads the same.
func MaxLengthMessage(max, got int) string {
	return fmt.Sprintf("must be at most %d characters, got %d", max, got)
}

func (d *decoder) checkNumber(n *yaml.Node, r *big.Rat, text string, c *constraints) {
	if c == nil {
		return
	}
	if c.enum != nil && !slices.Contains(c.enum, text) {
		d.here(n, EnumMessage(text, c.enum))
		return
	}
	if c.minimum != nil && r.Cmp(c.minimum) < 0 {
		d.here(n, fmt.Sprintf("must be at least %s, got %s", c.minimum.RatString(), trunc(text)))
	}
}

// EnumMessage is the message for a value (got, as it should be shown: quoted
// for strings, see Quote) that is not one of enum; shared with semantic
// checks so that the same rule reads the same.
func EnumMessage(got string, enum []string) string {
	if len(enum) == 1 {
		return fmt.Sprintf("must be %s, got %s", enumItem(enum[0]), got)
	}
	items := make([]string, len(enum))
	for i, e := range enum {
		items[i] = enumItem(e)
	}
	return fmt.Sprintf("%s is not one of %s", got, strings.Join(items, ", "))
}

func enumItem(e string) string {
	if e == "" || strings.ContainsAny(e, ", \"") {
		return strconv.Quote(e)
	}
	return e
}

func (d *decoder) time(n *yaml.Node, v reflect.Value) {
	if tag := n.ShortTag(); n.Kind != yaml.ScalarNode || (tag != "!!str" && tag != "!!timestamp") {
		d.typeProblem(n, v.Type())
		return
	}
	t, err := time.Parse(time.RFC3339Nano, n.Value)
	if err != nil {
		d.here(n, "expected an RFC 3339 timestamp such as \"2006-01-02T15:04:05Z\", got "+Quote(n.Value))
		return
	}
	v.Set(reflect.ValueOf(t))
}

func (d *decoder) duration(n *yaml.Node, v reflect.Value) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		d.typeProblem(n, v.Type())
		return
	}
	dur, err := time.ParseDuration(n.Value)
	if err != nil {
		d.here(n, "expected a duration such as \"1h30m\", got "+Quote(n.Value))
		return
	}
	v.SetInt(int64(dur))
}

func (d *decoder) raw(n *yaml.Node, v reflect.Value) {
	var buf bytes.Buffer
	if err := d.toJSON(&buf, n); err != nil {
		d.here(n, err.Error())
		return
	}
	v.SetBytes(buf.Bytes())
	if d.opts.Raw != nil {
		d.opts.Raw(renderPath(d.path), n)
	}
}

// expected names what a value of type t looks like.
func expected(t reflect.Type) string {
	switch t {
	case timeType:
		return "an RFC 3339 timestamp"
	case durationType:
		return `a duration such as "1h30m"`
	}
	switch k := t.Kind(); {
	case k == reflect.Bool:
		return "a boolean"
	case isIntKind(k), isUintKind(k):
		return "an integer"
	case k == reflect.Float32, k == reflect.Float64:
		return "a number"
	case k == reflect.String:
		return "a string"
	case k == reflect.Struct, k == reflect.Map:
		return "a mapping"
	case k == reflect.Slice, k == reflect.Array:
		return "a list"
	case k == reflect.Pointer:
		return expected(t.Elem())
	}
	return "a value"
}

// describe names what a node is, with its value when it is a scalar.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.DocumentNode:
		return "a document"
	}
	switch tag := n.ShortTag(); tag {
	case "!!str":
		return "string " + Quote(n.Value)
	case "!!int":
		return "integer " + trunc(n.Value)
	case "!!float":
		return "number " + trunc(n.Value)
	case "!!bool":
		return "boolean " + n.Value
	case "!!null":
		return "null"
	case "!!timestamp":
		return "timestamp " + trunc(n.Value)
	case "!!binary":
		return "binary data"
	default:
		return tag + " " + Quote(n.Value)
	}
}

const maxShown = 60

// Quote quotes a value for a message, shortened when long.
func Quote(s string) string {
	if utf8.RuneCountInString(s) > maxShown {
		return strconv.Quote(string([]rune(s)[:maxShown])) + "…"
	}
	return strconv.Quote(s)
}

func trunc(s string) string {
	if utf8.RuneCountInString(s) > maxShown {
		return string([]rune(s)[:maxShown]) + "…"
	}
	return s
}

// ToJSON converts a node to JSON text: mappings become objects (keys in
// document order), sequences arrays, scalars by their resolved tag. Aliases
// are expanded, at most 10,000 nodes' worth. Merge keys, non-scalar keys and
// .inf/.nan are errors.
func ToJSON(n *yaml.Node) ([]byte, error) {
	d := &decoder{opts: Options{MaxAliasNodes: 10_000}}
	var buf bytes.Buffer
	n = unwrapDocument(n)
	if n == nil {
		return []byte("null"), nil
	}
	if err := d.toJSON(&buf, n); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (d *decoder) toJSON(buf *bytes.Buffer, n *yaml.Node) error {
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil || slices.Contains(d.active, n.Alias) {
			return fmt.Errorf("alias *%s cannot be expanded", n.Value)
		}
		d.active = append(d.active, n.Alias)
		d.aliasDepth++
		defer func() { d.active = d.active[:len(d.active)-1]; d.aliasDepth-- }()
		n = n.Alias
	}
	if d.aliasDepth > 0 {
		if d.aliasNodes++; d.aliasNodes > d.opts.MaxAliasNodes {
			return fmt.Errorf("aliases expand to more than %d values", d.opts.MaxAliasNodes)
		}
	}
	switch n.Kind {
	case yaml.MappingNode:
		buf.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			kn := n.Content[i]
			if kn.Kind == yaml.AliasNode && kn.Alias != nil {
				kn = kn.Alias
			}
			if kn.Kind != yaml.ScalarNode || kn.ShortTag() == "!!merge" {
				return fmt.Errorf("%d:%d: a key that is not a plain string has no JSON equivalent", kn.Line, kn.Column)
			}
			if i > 0 {
				buf.WriteByte(',')
			}
			writeJSONString(buf, kn.Value)
			buf.WriteByte(':')
			if err := d.toJSON(buf, n.Content[i+1]); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
	case yaml.SequenceNode:
		buf.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := d.toJSON(buf, c); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			buf.WriteString("null")
		case "!!bool":
			switch strings.ToLower(n.Value) {
			case "true":
				buf.WriteString("true")
			case "false":
				buf.WriteString("false")
			default:
				return fmt.Errorf("%d:%d: %s is not a boolean", n.Line, n.Column, Quote(n.Value))
			}
		case "!!int":
			i, ok := parseYAMLInt(n.Value)
			if !ok {
				return fmt.Errorf("%d:%d: %s is not an integer", n.Line, n.Column, Quote(n.Value))
			}
			buf.WriteString(i.String())
		case "!!float":
			if json.Valid([]byte(n.Value)) {
				buf.WriteString(n.Value)
				break
			}
			f, err := parseYAMLFloat(n.Value)
			if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
				return fmt.Errorf("%d:%d: %s has no JSON equivalent", n.Line, n.Column, Quote(n.Value))
			}
			buf.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
		default:
			writeJSONString(buf, n.Value)
		}
	default:
		return fmt.Errorf("%d:%d: unexpected YAML node", n.Line, n.Column)
	}
	return nil
}

func writeJSONString(buf *bytes.Buffer, s string) {
	b, _ := json.Marshal(s) // cannot fail for a string
	buf.Write(b)
}
