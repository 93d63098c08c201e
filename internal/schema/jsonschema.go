package schema

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"math/big"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"time"
)

// Draft is the JSON Schema dialect JSONSchema produces.
const Draft = "https://json-schema.org/draft/2020-12/schema"

// durationPattern matches what time.ParseDuration accepts.
const durationPattern = `^[-+]?(0|(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$`

// Schema is a JSON Schema (the subset JSONSchema produces). Field order is
// the output's key order and properties keep the Go declaration order, so
// the marshalled file is stable and reads top-down like the struct.
type Schema struct {
	Schema               string          `json:"$schema,omitempty"`
	ID                   string          `json:"$id,omitempty"`
	Ref                  string          `json:"$ref,omitempty"`
	Title                string          `json:"title,omitempty"`
	Description          string          `json:"description,omitempty"`
	Type                 Types           `json:"type,omitempty"`
	Format               string          `json:"format,omitempty"`
	Enum                 []any           `json:"enum,omitempty"`
	Pattern              string          `json:"pattern,omitempty"`
	MinLength            *int            `json:"minLength,omitempty"`
	MaxLength            *int            `json:"maxLength,omitempty"`
	Minimum              json.Number     `json:"minimum,omitempty"`
	Maximum              json.Number     `json:"maximum,omitempty"`
	Default              json.RawMessage `json:"default,omitempty"`
	Properties           Properties      `json:"properties,omitempty"`
	AdditionalProperties any             `json:"additionalProperties,omitempty"` // false or *Schema
	Required             []string        `json:"required,omitempty"`
	Items                *Schema         `json:"items,omitempty"`
}

// Types is a schema's "type": one name marshals as a string, several as a list.
type Types []string

// MarshalJSON implements json.Marshaler.
func (t Types) MarshalJSON() ([]byte, error) {
	if len(t) == 1 {
		return json.Marshal(t[0])
	}
	return json.Marshal([]string(t))
}

// Has reports whether name is one of the types.
func (t Types) Has(name string) bool { return slices.Contains(t, name) }

// Property is one named property of an object schema.
type Property struct {
	Name   string
	Schema *Schema
}

// Properties are an object's properties in declaration order.
type Properties []Property

// MarshalJSON writes the properties as a JSON object in their order.
func (ps Properties) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, p := range ps {
		if i > 0 {
			buf.WriteByte(',')
		}
		writeJSONString(&buf, p.Name)
		buf.WriteByte(':')
		b, err := marshalNoEscape(p.Schema)
		if err != nil {
			return nil, fmt.Errorf("property %s: %w", p.Name, err)
		}
		buf.Write(b)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// Get returns the named property's schema, or nil.
func (ps Properties) Get(name string) *Schema {
	for _, p := range ps {
		if p.Name == name {
			return p.Schema
		}
	}
	return nil
}

// MarshalIndent renders the schema as indented JSON with a final newline,
// without HTML escaping, for files kept in the repository.
func (s *Schema) MarshalIndent() ([]byte, error) {
	b, err := marshalNoEscape(s)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

func marshalNoEscape(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// SchemaOptions tune JSONSchema.
type SchemaOptions struct {
	Tag         string // struct tag naming keys: "yaml" when empty
	ID          string // $id: where the schema is published
	Title       string
	Description string
	// Fields replaces the generated schema at these paths (struct keys joined
	// with ".", "[]" for list items, ".*" for map values), e.g. to point a
	// raw sub-document at another schema with $ref. Description and default
	// are kept unless the replacement sets them.
	Fields map[string]*Schema
}

// JSONSchema generates a draft 2020-12 JSON Schema for t from the same tags
// Decode obeys. defaults, when not nil, is a value of type t (or a pointer to
// one) whose scalar, list and map values become each property's "default";
// objects get no default of their own since their properties carry them.
func JSONSchema(t reflect.Type, defaults any, opts SchemaOptions) (*Schema, error) {
	g := &generator{types: newTypeCache(opts.Tag), fields: opts.Fields}
	var dv reflect.Value
	if defaults != nil {
		dv = reflect.ValueOf(defaults)
		for dv.Kind() == reflect.Pointer && dv.Type() != t {
			dv = dv.Elem()
		}
		if dv.Type() != t {
			return nil, fmt.Errorf("defaults are a %s, not a %s", dv.Type(), t)
		}
	}
	s, err := g.gen(t, dv, "", nil)
	if err != nil {
		return nil, err
	}
	s.Schema, s.ID, s.Title = Draft, opts.ID, opts.Title
	if opts.Description != "" {
		s.Description = opts.Description
	}
	s.Default = nil
	return s, nil
}

type generator struct {
	types  *typeCache
	fields map[string]*Schema
	stack  []reflect.Type // against recursive types
}

func (g *generator) gen(t reflect.Type, dv reflect.Value, path string, c *constraints) (*Schema, error) {
	if r, ok := g.fields[path]; ok && path != "" {
		cp := *r
		return &cp, nil
	}
	if slices.Contains(g.stack, t) {
		return nil, fmt.Errorf("%s: recursive type %s is not supported", path, t)
	}
	g.stack = append(g.stack, t)
	defer func() { g.stack = g.stack[:len(g.stack)-1] }()

	if t.Implements(schemerType) {
		return reflect.Zero(t).Interface().(Schemer).JSONSchema(), nil
	}
	if t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(schemerType) {
		return reflect.New(t).Interface().(Schemer).JSONSchema(), nil
	}
	if t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(unmarshalerType) {
		return &Schema{}, nil
	}
	switch t {
	case timeType:
		return &Schema{Type: Types{"string"}, Format: "date-time"}, nil
	case durationType:
		return &Schema{Type: Types{"string"}, Pattern: durationPattern}, nil
	case rawType, nodeType:
		return &Schema{}, nil
	}
	switch k := t.Kind(); {
	case k == reflect.Bool:
		return &Schema{Type: Types{"boolean"}}, nil
	case k == reflect.String:
		s := &Schema{Type: Types{"string"}}
		applyConstraints(s, c, func(e string) any { return e })
		return s, nil
	case isIntKind(k), isUintKind(k):
		s := &Schema{Type: Types{"integer"}}
		if lo, hi := intRange(t); t.Bits() < 64 || isUintKind(k) {
			s.Minimum = json.Number(lo.String())
			if t.Bits() < 64 {
				s.Maximum = json.Number(hi.String())
			}
		}
		applyConstraints(s, c, func(e string) any { n, _ := strconv.ParseInt(e, 10, 64); return n })
		return s, nil
	case k == reflect.Float32, k == reflect.Float64:
		s := &Schema{Type: Types{"number"}}
		applyConstraints(s, c, nil)
		return s, nil
	case k == reflect.Pointer:
		s, err := g.gen(t.Elem(), elemOrInvalid(dv), path, c)
		if err != nil {
			return nil, err
		}
		if len(s.Type) > 0 && !s.Type.Has("null") {
			s.Type = append(slices.Clone(s.Type), "null")
		}
		return s, nil
	case k == reflect.Slice:
		items, err := g.gen(t.Elem(), reflect.Value{}, path+"[]", c)
		if err != nil {
			return nil, err
		}
		return &Schema{Type: Types{"array"}, Items: items}, nil
	case k == reflect.Map:
		if t.Key().Kind() != reflect.String {
			return nil, fmt.Errorf("%s: map keys must be strings, not %s", path, t.Key())
		}
		vals, err := g.gen(t.Elem(), reflect.Value{}, path+".*", c)
		if err != nil {
			return nil, err
		}
		return &Schema{Type: Types{"object"}, AdditionalProperties: vals}, nil
	case k == reflect.Struct:
		return g.object(t, dv, path)
	case k == reflect.Interface:
		return &Schema{}, nil
	}
	return nil, fmt.Errorf("%s: unsupported type %s", path, t)
}

func (g *generator) object(t reflect.Type, dv reflect.Value, path string) (*Schema, error) {
	si, err := g.types.get(t)
	if err != nil {
		return nil, err
	}
	s := &Schema{Type: Types{"object"}, AdditionalProperties: false}
	for _, f := range si.fields {
		var fv reflect.Value
		if dv.IsValid() {
			fv = dv.FieldByIndex(f.index)
		}
		fpath := f.name
		if path != "" {
			fpath = path + "." + f.name
		}
		ps, err := g.gen(f.typ, fv, fpath, f.c)
		if err != nil {
			return nil, err
		}
		if ps.Description == "" {
			ps.Description = f.doc
		}
		if fv.IsValid() && ps.Default == nil && !isObjectType(f.typ) {
			if ps.Default, err = defaultJSON(fv, g.types); err != nil {
				return nil, fmt.Errorf("default of %s: %w", fpath, err)
			}
		}
		s.Properties = append(s.Properties, Property{Name: f.name, Schema: ps})
		if f.required {
			s.Required = append(s.Required, f.name)
		}
	}
	return s, nil
}

// isObjectType reports types whose schema is an object with properties, whose
// defaults live on the properties instead.
func isObjectType(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Kind() == reflect.Struct && t != timeType
}

func elemOrInvalid(v reflect.Value) reflect.Value {
	if !v.IsValid() || v.IsNil() {
		return reflect.Value{}
	}
	return v.Elem()
}

func applyConstraints(s *Schema, c *constraints, enumValue func(string) any) {
	if c == nil {
		return
	}
	if c.enum != nil && enumValue != nil {
		for _, e := range c.enum {
			s.Enum = append(s.Enum, enumValue(e))
		}
	}
	if c.minLength >= 0 {
		s.MinLength = &c.minLength
	}
	if c.maxLength >= 0 {
		s.MaxLength = &c.maxLength
	}
	if c.pattern != nil {
		s.Pattern = c.pattern.String()
	}
	if c.minimum != nil {
		cur, ok := new(big.Rat).SetString(string(s.Minimum))
		if !ok || c.minimum.Cmp(cur) > 0 {
			s.Minimum = json.Number(c.minimum.RatString())
		}
	}
}

// defaultJSON renders a default value as JSON using the schema's key names.
// It returns nil (no default) for values that have none worth stating: nil
// pointers, zero times, raw documents.
func defaultJSON(v reflect.Value, tc *typeCache) (json.RawMessage, error) {
	x, ok, err := defaultValue(v, tc)
	if err != nil || !ok {
		return nil, err
	}
	return marshalNoEscape(x)
}

func defaultValue(v reflect.Value, tc *typeCache) (any, bool, error) {
	t := v.Type()
	switch t {
	case timeType:
		tm := v.Interface().(time.Time)
		if tm.IsZero() {
			return nil, false, nil
		}
		return tm.Format(time.RFC3339Nano), true, nil
	case durationType:
		return time.Duration(v.Int()).String(), true, nil
	case rawType, nodeType:
		return nil, false, nil
	}
	if m, ok := v.Interface().(json.Marshaler); ok {
		return m, true, nil
	}
	if m, ok := v.Interface().(encoding.TextMarshaler); ok {
		return m, true, nil
	}
	switch k := t.Kind(); {
	case k == reflect.Pointer || k == reflect.Interface:
		if v.IsNil() {
			return nil, false, nil
		}
		return defaultValue(v.Elem(), tc)
	case k == reflect.Bool:
		return v.Bool(), true, nil
	case k == reflect.String:
		return v.String(), true, nil
	case isIntKind(k):
		return v.Int(), true, nil
	case isUintKind(k):
		return v.Uint(), true, nil
	case k == reflect.Float32 || k == reflect.Float64:
		return v.Float(), true, nil
	case k == reflect.Slice:
		out := make([]any, 0, v.Len())
		for i := range v.Len() {
			x, _, err := defaultValue(v.Index(i), tc)
			if err != nil {
				return nil, false, err
			}
			out = append(out, x)
		}
		return out, true, nil
	case k == reflect.Map:
		out := make(map[string]any, v.Len()) // encoding/json sorts the keys
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, key := range keys {
			x, _, err := defaultValue(v.MapIndex(key), tc)
			if err != nil {
				return nil, false, err
			}
			out[key.String()] = x
		}
		return out, true, nil
	case k == reflect.Struct:
		si, err := tc.get(t)
		if err != nil {
			return nil, false, err
		}
		var props Properties
		for _, f := range si.fields {
			x, ok, err := defaultValue(v.FieldByIndex(f.index), tc)
			if err != nil {
				return nil, false, err
			}
			if ok {
				b, err := marshalNoEscape(x)
				if err != nil {
					return nil, false, err
				}
				props = append(props, Property{Name: f.name, Schema: &Schema{Default: b}})
			}
		}
		return orderedObject(props), true, nil
	}
	return nil, false, fmt.Errorf("no default rendering for %s", t)
}

// orderedObject marshals struct defaults with keys in declaration order.
type orderedObject Properties

func (o orderedObject) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, p := range o {
		if i > 0 {
			buf.WriteByte(',')
		}
		writeJSONString(&buf, p.Name)
		buf.WriteByte(':')
		buf.Write(p.Schema.Default)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
