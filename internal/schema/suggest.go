package schema

import "strings"

// suggest returns the field name closest to an unknown key, or "" when none
// is close enough to be a plausible typo. Keys that differ only in case, "_"
// or "-" (skipBots vs skip_bots) always match.
func suggest(key string, si *structInfo) string {
	norm := normalizeKey(key)
	best, bestDist := "", -1
	for _, f := range si.fields {
		if normalizeKey(f.name) == norm {
			return f.name
		}
		d := levenshtein(strings.ToLower(key), strings.ToLower(f.name))
		if bestDist < 0 || d < bestDist {
			best, bestDist = f.name, d
		}
	}
	// One edit up to four characters, two up to eight, then three.
	limit := min(1+(len([]rune(key))-1)/4, 3)
	if bestDist >= 0 && bestDist <= limit && bestDist < len([]rune(key)) {
		return best
	}
	return ""
}

func normalizeKey(s string) string {
	s = strings.ToLower(s)
	return strings.NewReplacer("_", "", "-", "").Replace(s)
}

// levenshtein is the edit distance between a and b, by runes.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		// Keys that long are not typos of ours; avoid quadratic work on hostile input.
		return max(len(ra), len(rb))
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
