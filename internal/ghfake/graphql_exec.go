package ghfake

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// A generic GraphQL executor over gqlparser's validated AST. Resolvers are
// registered per "Type.field"; a requested field without one is a violation,
// so nobody silently gets nulls.

// gqlObj carries the concrete type of a value of an abstract type.
type gqlObj struct {
	typ string
	v   any
}

// gqlError is a GraphQL error the way GitHub shapes it.
type gqlError struct {
	typ, msg string
}

func (e *gqlError) Error() string { return e.msg }

func notFoundErr(format string, args ...any) error {
	return &gqlError{typ: "NOT_FOUND", msg: fmt.Sprintf(format, args...)}
}

type resolver func(x *gqlExec, parent any, args map[string]any) (any, error)

type gqlExec struct {
	f          *Fake
	schema     *ast.Schema
	doc        *ast.QueryDocument
	vars       map[string]any
	tok        *tokenState
	errors     []any
	violations []string
}

// ordered keeps response keys in query order.
type ordered struct {
	keys []string
	vals map[string]any
}

func (o *ordered) set(k string, v any) {
	if o.vals == nil {
		o.vals = map[string]any{}
	}
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

func (o *ordered) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		vb, err := json.Marshal(o.vals[k])
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func gqlErrorObj(msg, typ string, path []any, locs []gqlLocation) obj {
	o := obj{"message": msg}
	if typ != "" {
		o["type"] = typ
	}
	if path != nil {
		o["path"] = path
	}
	if len(locs) > 0 {
		l := make([]any, len(locs))
		for i, x := range locs {
			l[i] = obj{"line": x.Line, "column": x.Column}
		}
		o["locations"] = l
	}
	return o
}

type gqlLocation = struct {
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
}

func (x *gqlExec) addError(err error, path []any, pos *ast.Position) {
	typ := ""
	if ge, ok := err.(*gqlError); ok {
		typ = ge.typ
	}
	var locs []gqlLocation
	if pos != nil {
		locs = []gqlLocation{{Line: pos.Line, Column: pos.Column}}
	}
	x.errors = append(x.errors, gqlErrorObj(err.Error(), typ, append([]any(nil), path...), locs))
}

func (x *gqlExec) run(op *ast.OperationDefinition) any {
	root := x.schema.Query
	if op.Operation == ast.Mutation {
		root = x.schema.Mutation
	}
	out, ok := x.execSet(root, nil, op.SelectionSet, nil)
	if !ok {
		return nil
	}
	return out
}

type fieldGroup struct {
	key    string
	fields []*ast.Field
}

// collect flattens fragments that apply to typ and merges same-key fields.
func (x *gqlExec) collect(typ *ast.Definition, set ast.SelectionSet, groups *[]*fieldGroup, idx map[string]*fieldGroup) {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if !x.included(s.Directives) {
				continue
			}
			k := s.Alias
			if k == "" {
				k = s.Name
			}
			g := idx[k]
			if g == nil {
				g = &fieldGroup{key: k}
				idx[k] = g
				*groups = append(*groups, g)
			}
			g.fields = append(g.fields, s)
		case *ast.InlineFragment:
			if x.included(s.Directives) && (s.TypeCondition == "" || x.applies(typ, s.TypeCondition)) {
				x.collect(typ, s.SelectionSet, groups, idx)
			}
		case *ast.FragmentSpread:
			frag := s.Definition
			if frag == nil {
				frag = x.doc.Fragments.ForName(s.Name)
			}
			if frag != nil && x.included(s.Directives) && x.applies(typ, frag.TypeCondition) {
				x.collect(typ, frag.SelectionSet, groups, idx)
			}
		}
	}
}

func (x *gqlExec) included(dirs ast.DirectiveList) bool {
	for _, d := range dirs {
		if d.Name != "skip" && d.Name != "include" {
			continue
		}
		v, _ := d.ArgumentMap(x.vars)["if"].(bool)
		if (d.Name == "skip" && v) || (d.Name == "include" && !v) {
			return false
		}
	}
	return true
}

func (x *gqlExec) applies(typ *ast.Definition, cond string) bool {
	if cond == typ.Name {
		return true
	}
	for _, p := range x.schema.GetPossibleTypes(x.schema.Types[cond]) {
		if p.Name == typ.Name {
			return true
		}
	}
	return false
}

// execSet resolves a selection set on an object; false means a non-null
// field came back null and the parent must become null.
func (x *gqlExec) execSet(typ *ast.Definition, v any, set ast.SelectionSet, path []any) (*ordered, bool) {
	var groups []*fieldGroup
	x.collect(typ, set, &groups, map[string]*fieldGroup{})
	out := &ordered{}
	for _, g := range groups {
		fld := g.fields[0]
		p := append(append([]any(nil), path...), g.key)
		if fld.Name == "__typename" {
			out.set(g.key, typ.Name)
			continue
		}
		def := typ.Fields.ForName(fld.Name)
		if def == nil {
			x.violations = append(x.violations, fmt.Sprintf("no field %s.%s", typ.Name, fld.Name))
			out.set(g.key, nil)
			continue
		}
		res := gqlResolvers[typ.Name+"."+fld.Name]
		if res == nil {
			res = genericResolver(typ.Name, fld.Name, v)
		}
		var val any
		errored := false
		if res == nil {
			x.violations = append(x.violations, fmt.Sprintf("the fake has no resolver for %s.%s (add one in graphql_resolvers.go)", typ.Name, fld.Name))
		} else {
			var err error
			val, err = res(x, v, fld.ArgumentMap(x.vars))
			if err != nil {
				x.addError(err, p, fld.Position)
				val, errored = nil, true
			}
		}
		var sub ast.SelectionSet
		for _, f := range g.fields {
			sub = append(sub, f.SelectionSet...)
		}
		cv, ok := x.complete(def.Type, val, sub, p, fld, errored)
		if !ok {
			return nil, false
		}
		out.set(g.key, cv)
	}
	return out, true
}

func isNil(v any) bool {
	if o, ok := v.(gqlObj); ok {
		v = o.v
	}
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

func (x *gqlExec) complete(t *ast.Type, v any, set ast.SelectionSet, path []any, fld *ast.Field, errored bool) (any, bool) {
	if isNil(v) {
		if t.NonNull {
			if !errored {
				x.addError(fmt.Errorf("Cannot return null for non-nullable field %s", fld.Name), path, fld.Position)
			}
			return nil, false
		}
		return nil, true
	}
	if t.Elem != nil {
		list, ok := v.([]any)
		if !ok {
			x.violations = append(x.violations, fmt.Sprintf("resolver for %s returned %T, want []any", fld.Name, v))
			return nil, !t.NonNull
		}
		out := make([]any, 0, len(list))
		for i, it := range list {
			cv, ok := x.complete(t.Elem, it, set, append(append([]any(nil), path...), i), fld, false)
			if !ok {
				return nil, !t.NonNull
			}
			out = append(out, cv)
		}
		return out, true
	}
	def := x.schema.Types[t.NamedType]
	switch def.Kind {
	case ast.Scalar, ast.Enum:
		return v, true
	}
	concrete := def
	if o, ok := v.(gqlObj); ok {
		concrete, v = x.schema.Types[o.typ], o.v
	} else if def.Kind != ast.Object {
		x.violations = append(x.violations, fmt.Sprintf("resolver for %s returned %T for abstract type %s (wrap it in gqlObj)", fld.Name, v, def.Name))
		return nil, !t.NonNull
	}
	out, ok := x.execSet(concrete, v, set, path)
	if !ok {
		return nil, !t.NonNull
	}
	return out, true
}

// ---- connections ----

// connection is a page of a GitHub-style cursor connection.
type connection struct {
	nodes            []any
	start            int // index of nodes[0] in the full list
	total            int
	hasNext, hasPrev bool
}

func cursorAt(i int) string {
	return base64.StdEncoding.EncodeToString([]byte("cursor:v2:" + strconv.Itoa(i)))
}

func cursorIndex(c string) (int, bool) {
	b, err := base64.StdEncoding.DecodeString(c)
	if err != nil || !strings.HasPrefix(string(b), "cursor:v2:") {
		return 0, false
	}
	n, err := strconv.Atoi(string(b[len("cursor:v2:"):]))
	return n, err == nil
}

func intArg(args map[string]any, name string) (int, bool) {
	switch v := args[name].(type) {
	case int:
		return v, true
	case int64:
		return int(v), true
	case float64:
		return int(v), true
	case json.Number:
		n, err := v.Int64()
		return int(n), err == nil
	}
	return 0, false
}

// paginate applies first/after/last/before with GitHub's rules: first or
// last is required and at most 100.
func (x *gqlExec) paginate(name string, items []any, args map[string]any) (*connection, error) {
	first, hasFirst := intArg(args, "first")
	last, hasLast := intArg(args, "last")
	if !hasFirst && !hasLast {
		x.violations = append(x.violations, fmt.Sprintf("connection %s queried without first/last", name))
		return nil, &gqlError{typ: "MISSING_PAGINATION_BOUNDARIES", msg: fmt.Sprintf("You must provide a `first` or `last` value to properly paginate the `%s` connection.", name)}
	}
	for _, b := range []struct {
		has  bool
		n    int
		name string
	}{{hasFirst, first, "first"}, {hasLast, last, "last"}} {
		if b.has && (b.n < 0 || b.n > 100) {
			x.violations = append(x.violations, fmt.Sprintf("connection %s: %s=%d is outside 0..100", name, b.name, b.n))
			return nil, &gqlError{typ: "EXCESSIVE_PAGINATION", msg: fmt.Sprintf("Requesting %d records on the `%s` connection exceeds the `%s` limit of 100 records.", b.n, name, b.name)}
		}
	}
	lo, hi := 0, len(items)
	if a, ok := args["after"].(string); ok && a != "" {
		i, ok := cursorIndex(a)
		if !ok {
			return nil, &gqlError{typ: "INVALID_CURSOR_ARGUMENTS", msg: fmt.Sprintf("`%s` does not appear to be a valid cursor.", a)}
		}
		lo = min(i+1, hi)
	}
	if b, ok := args["before"].(string); ok && b != "" {
		i, ok := cursorIndex(b)
		if !ok {
			return nil, &gqlError{typ: "INVALID_CURSOR_ARGUMENTS", msg: fmt.Sprintf("`%s` does not appear to be a valid cursor.", b)}
		}
		hi = max(lo, min(i, hi))
	}
	c := &connection{total: len(items)}
	if hasFirst && hi-lo > first {
		hi, c.hasNext = lo+first, true
	}
	if hasLast && hi-lo > last {
		lo, c.hasPrev = hi-last, true
	}
	c.hasNext = c.hasNext || hi < len(items) && !hasLast
	c.hasPrev = c.hasPrev || lo > 0 && !hasFirst
	c.nodes, c.start = items[lo:hi], lo
	return c, nil
}

type edge struct {
	cursor string
	node   any
}

type pageInfo struct {
	hasNext, hasPrev bool
	start, end       any
}

// genericResolver serves the shape every connection, edge and PageInfo shares.
func genericResolver(typ, field string, parent any) resolver {
	switch p := parent.(type) {
	case *connection:
		switch field {
		case "nodes":
			return func(*gqlExec, any, map[string]any) (any, error) { return p.nodes, nil }
		case "totalCount":
			return func(*gqlExec, any, map[string]any) (any, error) { return p.total, nil }
		case "edges":
			return func(*gqlExec, any, map[string]any) (any, error) {
				out := make([]any, len(p.nodes))
				for i, n := range p.nodes {
					out[i] = &edge{cursor: cursorAt(p.start + i), node: n}
				}
				return out, nil
			}
		case "pageInfo":
			return func(*gqlExec, any, map[string]any) (any, error) {
				pi := &pageInfo{hasNext: p.hasNext, hasPrev: p.hasPrev}
				if len(p.nodes) > 0 {
					pi.start, pi.end = cursorAt(p.start), cursorAt(p.start+len(p.nodes)-1)
				}
				return pi, nil
			}
		}
	case *edge:
		switch field {
		case "cursor":
			return func(*gqlExec, any, map[string]any) (any, error) { return p.cursor, nil }
		case "node":
			return func(*gqlExec, any, map[string]any) (any, error) { return p.node, nil }
		}
	case *pageInfo:
		switch field {
		case "hasNextPage":
			return func(*gqlExec, any, map[string]any) (any, error) { return p.hasNext, nil }
		case "hasPreviousPage":
			return func(*gqlExec, any, map[string]any) (any, error) { return p.hasPrev, nil }
		case "startCursor":
			return func(*gqlExec, any, map[string]any) (any, error) { return p.start, nil }
		case "endCursor":
			return func(*gqlExec, any, map[string]any) (any, error) { return p.end, nil }
		}
	}
	return nil
}
