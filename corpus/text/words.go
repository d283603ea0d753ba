package text

import "strings"

// WordSet builds a set from space-separated words. Word lists of the
// extractors are written this way so that each reads as one line of prose.
func WordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// honorifics stand before a surname and say nothing of a role: "Mr. King".
var honorifics = WordSet("mr. mrs. ms. miss dr. mr mrs ms dr")

// IsHonorific reports whether w (any case) is "Mr.", "Mrs.", "Ms.", "Miss" or "Dr.".
func IsHonorific(w string) bool { return honorifics[strings.ToLower(w)] }
