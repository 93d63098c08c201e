package schema

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// segment is one step of a path: a mapping key, or a list index when key is
// empty and index >= 0.
type segment struct {
	key   string
	index int
}

func renderPath(segs []segment) string {
	var b strings.Builder
	for _, s := range segs {
		appendSegment(&b, s)
	}
	return b.String()
}

func appendSegment(b *strings.Builder, s segment) {
	if s.index >= 0 {
		b.WriteByte('[')
		b.WriteString(strconv.Itoa(s.index))
		b.WriteByte(']')
		return
	}
	if isIdent(s.key) {
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.key)
		return
	}
	b.WriteByte('[')
	b.WriteString(strconv.Quote(s.key))
	b.WriteByte(']')
}

// JoinPath appends a key to a path, quoting it when it is not a plain name.
func JoinPath(path, key string) string {
	var b strings.Builder
	b.WriteString(path)
	appendSegment(&b, segment{key: key, index: -1})
	return b.String()
}

// isIdent reports whether a key can be written bare in a path.
func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case (c >= '0' && c <= '9') || c == '-':
			if i == 0 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// parsePath is the inverse of renderPath. It returns false on a malformed path.
func parsePath(p string) ([]segment, bool) {
	var segs []segment
	for i := 0; i < len(p); {
		switch c := p[i]; {
		case c == '.':
			if i == 0 || i == len(p)-1 || p[i+1] == '.' || p[i+1] == '[' {
				return nil, false
			}
			i++
		case c == '[':
			end := strings.IndexByte(p[i:], ']')
			if end < 0 {
				return nil, false
			}
			inner := p[i+1 : i+end]
			if strings.HasPrefix(inner, `"`) {
				// A quoted key may itself contain ']': find the closing quote.
				q, err := strconv.QuotedPrefix(p[i+1:])
				if err != nil || i+1+len(q) >= len(p) || p[i+1+len(q)] != ']' {
					return nil, false
				}
				k, _ := strconv.Unquote(q)
				segs = append(segs, segment{key: k, index: -1})
				i += 1 + len(q) + 1
				continue
			}
			n, err := strconv.Atoi(inner)
			if err != nil || n < 0 {
				return nil, false
			}
			segs = append(segs, segment{index: n})
			i += end + 1
		default:
			j := i
			for j < len(p) && p[j] != '.' && p[j] != '[' {
				j++
			}
			segs = append(segs, segment{key: p[i:j], index: -1})
			i = j
		}
	}
	return segs, true
}

// Find returns the node at path below root (a document or any node), or, when
// the path does not exist in the document, the deepest node on the way to it;
// nil only when root is nil or empty. Aliases are followed. Semantic checks
// that run on decoded values use it to give their problems a position.
func Find(root *yaml.Node, path string) *yaml.Node {
	n := unwrapDocument(root)
	if n == nil {
		return nil
	}
	segs, ok := parsePath(path)
	if !ok {
		return n
	}
	for _, s := range segs {
		n = followAlias(n)
		var next *yaml.Node
		switch {
		case s.index >= 0 && n.Kind == yaml.SequenceNode:
			if s.index < len(n.Content) {
				next = n.Content[s.index]
			}
		case s.index < 0 && n.Kind == yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if k := followAlias(n.Content[i]); k.Kind == yaml.ScalarNode && k.Value == s.key {
					next = n.Content[i+1]
					break
				}
			}
		}
		if next == nil {
			return n
		}
		n = next
	}
	return n
}

// Position is Find's node position, (0, 0) when there is none.
func Position(root *yaml.Node, path string) (line, column int) {
	if n := Find(root, path); n != nil {
		return n.Line, n.Column
	}
	return 0, 0
}

func unwrapDocument(n *yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return nil
		}
		return n.Content[0]
	}
	if n.Kind == 0 {
		return nil
	}
	return n
}

// followAlias resolves chains of aliases without a budget; only for lookups
// that visit one node per step.
func followAlias(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}
