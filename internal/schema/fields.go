package schema

import (
	"encoding/json"
	"fmt"
	"math/big"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Unmarshaler is implemented by custom scalar types that decode themselves
// from a node. An error becomes a Problem at the node, with the error's text
// as the message, so it should read like "expected ..., got ...".
type Unmarshaler interface {
	UnmarshalSchema(n *yaml.Node) error
}

// Schemer is implemented by types (usually Unmarshalers) that describe their
// own JSON Schema; without it such a type's schema accepts any value.
type Schemer interface {
	JSONSchema() *Schema
}

// Node holds a sub-document as it was written, for fields whose content is
// decoded later by someone else (e.g. with different rules). Decode stores
// the value node, with its positions, in it; a null value gives a null
// scalar node and an absent key leaves it nil. The schema of a Node field
// accepts any value.
type Node struct {
	*yaml.Node
}

var (
	timeType        = reflect.TypeFor[time.Time]()
	durationType    = reflect.TypeFor[time.Duration]()
	rawType         = reflect.TypeFor[json.RawMessage]()
	nodeType        = reflect.TypeFor[Node]()
	unmarshalerType = reflect.TypeFor[Unmarshaler]()
	schemerType     = reflect.TypeFor[Schemer]()
)

// constraints are the value rules from tags; they apply to the field's scalar
// value, or to the scalar elements of a slice, map or pointer field.
type constraints struct {
	enum       []string
	minLength  int // -1: none
	maxLength  int // -1: none
	pattern    *regexp.Regexp
	patternDoc string
	minimum    *big.Rat
}

type fieldInfo struct {
	name     string
	index    []int
	typ      reflect.Type
	doc      string
	required bool
	c        *constraints // nil when the field has no value rules
}

type structInfo struct {
	fields []fieldInfo
	byName map[string]int
}

// typeCache holds struct layouts for one Decode or JSONSchema call, so that
// no state outlives the call.
type typeCache struct {
	tag     string
	structs map[reflect.Type]*structInfo
}

func newTypeCache(tag string) *typeCache {
	if tag == "" {
		tag = "yaml"
	}
	return &typeCache{tag: tag, structs: map[reflect.Type]*structInfo{}}
}

func (tc *typeCache) get(t reflect.Type) (*structInfo, error) {
	if si, ok := tc.structs[t]; ok {
		return si, nil
	}
	si := &structInfo{byName: map[string]int{}}
	if err := tc.collect(si, t, nil); err != nil {
		return nil, err
	}
	tc.structs[t] = si
	return si, nil
}

func (tc *typeCache) collect(si *structInfo, t reflect.Type, index []int) error {
	for i := range t.NumField() {
		sf := t.Field(i)
		tag, hasTag := sf.Tag.Lookup(tc.tag)
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" && opts == "" {
			continue
		}
		idx := append(append([]int(nil), index...), i)
		inline := strings.Contains(","+opts+",", ",inline,") || (sf.Anonymous && name == "" && sf.Type.Kind() == reflect.Struct)
		if inline {
			if sf.Type.Kind() != reflect.Struct {
				return fmt.Errorf("%s.%s: only struct fields can be inlined", t, sf.Name)
			}
			if err := tc.collect(si, sf.Type, idx); err != nil {
				return err
			}
			continue
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			if hasTag && opts == "" {
				return fmt.Errorf("%s.%s: empty %s tag", t, sf.Name, tc.tag)
			}
			name = sf.Name
			if tc.tag == "yaml" {
				name = strings.ToLower(name)
			}
		}
		if _, dup := si.byName[name]; dup {
			return fmt.Errorf("%s.%s: key %q used twice", t, sf.Name, name)
		}
		c, err := parseConstraints(sf)
		if err != nil {
			return fmt.Errorf("%s.%s: %w", t, sf.Name, err)
		}
		si.byName[name] = len(si.fields)
		si.fields = append(si.fields, fieldInfo{
			name:     name,
			index:    idx,
			typ:      sf.Type,
			doc:      sf.Tag.Get("doc"),
			required: sf.Tag.Get("required") == "true",
			c:        c,
		})
	}
	return nil
}

// scalarType is the type the constraints of a field of type t apply to.
func scalarType(t reflect.Type) reflect.Type {
	for {
		switch {
		case t == rawType:
			return t
		case t.Kind() == reflect.Pointer, t.Kind() == reflect.Slice, t.Kind() == reflect.Map:
			t = t.Elem()
		default:
			return t
		}
	}
}

func parseConstraints(sf reflect.StructField) (*constraints, error) {
	c := &constraints{minLength: -1, maxLength: -1}
	set := false
	st := scalarType(sf.Type)
	isString := st.Kind() == reflect.String
	isNumber := isIntKind(st.Kind()) || isUintKind(st.Kind()) || st.Kind() == reflect.Float32 || st.Kind() == reflect.Float64
	if st == durationType || st == timeType {
		isString, isNumber = false, false
	}
	if v, ok := sf.Tag.Lookup("enum"); ok {
		set = true
		c.enum = strings.Split(v, ",")
		for _, e := range c.enum {
			switch {
			case isString:
			case isIntKind(st.Kind()) || isUintKind(st.Kind()):
				if _, err := strconv.ParseInt(e, 10, 64); err != nil {
					return nil, fmt.Errorf("enum value %q is not an integer", e)
				}
			default:
				return nil, fmt.Errorf("enum on %s is not supported", st)
			}
		}
	}
	for _, l := range []struct {
		tag string
		dst *int
	}{{"minLength", &c.minLength}, {"maxLength", &c.maxLength}} {
		v, ok := sf.Tag.Lookup(l.tag)
		if !ok {
			continue
		}
		if !isString {
			return nil, fmt.Errorf("%s on %s is not supported", l.tag, st)
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("bad %s %q", l.tag, v)
		}
		*l.dst, set = n, true
	}
	if v, ok := sf.Tag.Lookup("pattern"); ok {
		if !isString {
			return nil, fmt.Errorf("pattern on %s is not supported", st)
		}
		re, err := regexp.Compile(v)
		if err != nil {
			return nil, fmt.Errorf("bad pattern: %w", err)
		}
		c.pattern, c.patternDoc, set = re, sf.Tag.Get("patternDoc"), true
	}
	if v, ok := sf.Tag.Lookup("minimum"); ok {
		if !isNumber {
			return nil, fmt.Errorf("minimum on %s is not supported", st)
		}
		r, ok := new(big.Rat).SetString(v)
		if !ok {
			return nil, fmt.Errorf("bad minimum %q", v)
		}
		c.minimum, set = r, true
	}
	if !set {
		return nil, nil
	}
	return c, nil
}

func isIntKind(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return true
	}
	return false
}

func isUintKind(k reflect.Kind) bool {
	switch k {
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return true
	}
	return false
}

// intRange is the range of an integer kind.
func intRange(t reflect.Type) (lo, hi *big.Int) {
	bits := uint(t.Bits())
	if isUintKind(t.Kind()) {
		hi = new(big.Int).Lsh(big.NewInt(1), bits)
		return big.NewInt(0), hi.Sub(hi, big.NewInt(1))
	}
	hi = new(big.Int).Lsh(big.NewInt(1), bits-1)
	lo = new(big.Int).Neg(hi)
	return lo, hi.Sub(hi, big.NewInt(1))
}
