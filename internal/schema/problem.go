// Package schema decodes YAML (and JSON, which is parsed into the same node
// tree) onto Go structs strictly, reporting every problem with its path, line
// and column, and generates a JSON Schema (draft 2020-12) from the same struct
// tags, so the decoder and the published schema cannot drift apart.
//
// Struct tags (the key tag is chosen with Options.Tag / SchemaOptions.Tag):
//
//	yaml:"name" / json:"name"   key name; "-" skips the field; options after a comma are ignored,
//	                            except ",inline" which inlines an embedded struct's fields
//	doc:"..."                   description (schema "description", reference docs)
//	enum:"a,b"                  allowed values (strings or integers; an empty item allows "")
//	required:"true"             the key must be present (the value may still be empty)
//	minLength:"1" maxLength:"50" string length in characters (Unicode code points)
//	pattern:"^re$"              the string must match; patternDoc:"a 40-character SHA" words the error
//	minimum:"1"                 numbers must be at least this
//
// On a slice, map or pointer field, enum/minLength/maxLength/pattern/minimum
// apply to its scalar elements. Defaults are not a tag: decode onto a value
// that already holds the defaults (absent keys keep them), and pass that value
// to JSONSchema so the published defaults are the ones the code uses.
package schema

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Problem is one thing wrong with a document. Line and Column are 1-based;
// zero means the position is unknown (e.g. a value built in code).
type Problem struct {
	// Path locates the value: "dco.require.members", "commits[3].sha",
	// `labels["a b"]`; empty for the document itself.
	Path    string
	Line    int
	Column  int
	Message string
}

// String renders "line:col: path: message", leaving out the parts that are unknown.
func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		b.WriteString(strconv.Itoa(p.Line))
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(p.Column))
		b.WriteString(": ")
	}
	if p.Path != "" {
		b.WriteString(p.Path)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Messages that callers may want to recognise and reword.
const (
	// MsgRequired is the message of a missing required key; the problem's
	// Path is the missing key's and its position the enclosing mapping's.
	MsgRequired = "required"
)

// SortProblems orders problems by position, then path and message, and drops
// exact duplicates (the same rule found twice, e.g. by a struct tag and by a
// semantic check).
func SortProblems(ps []Problem) []Problem {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(
			cmp.Compare(posKey(a.Line), posKey(b.Line)),
			cmp.Compare(a.Column, b.Column),
			cmp.Compare(a.Path, b.Path),
			cmp.Compare(a.Message, b.Message),
		)
	})
	return slices.Compact(ps)
}

// posKey sorts unknown positions (0) last.
func posKey(line int) int {
	if line <= 0 {
		return int(^uint(0) >> 1)
	}
	return line
}

// Join renders problems one per line, each prefixed with prefix and ":" when
// prefix is not empty ("file.yml:3:5: path: message").
func Join(prefix string, ps []Problem) string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte('\n')
		}
		if prefix != "" {
			b.WriteString(prefix)
			b.WriteByte(':')
			if p.Line <= 0 {
				b.WriteByte(' ')
			}
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// SyntaxError is a document that could not be parsed at all.
type SyntaxError struct {
	Line, Column int
	Msg          string
}

func (e *SyntaxError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%d:%d: %s", e.Line, e.Column, e.Msg)
	}
	return e.Msg
}

// Problem returns the error as a Problem without a path.
func (e *SyntaxError) Problem() Problem {
	return Problem{Line: e.Line, Column: e.Column, Message: e.Msg}
}
