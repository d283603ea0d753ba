package main

import (
	"path/filepath"
	"sort"
	"strings"
)

// closest returns up to n of the candidates nearest to what was typed, the
// nearest first: those that contain it or that it contains, then by edit
// distance, compared without case and without a file extension.
func closest(typed string, candidates []string, n int) []string {
	key := func(s string) string { return strings.ToLower(strings.TrimSuffix(s, filepath.Ext(s))) }
	t := key(typed)
	type scored struct {
		name string
		dist int
	}
	var all []scored
	for _, c := range candidates {
		k := key(c)
		d := editDistance(t, k)
		if t != "" && (strings.Contains(k, t) || strings.Contains(t, k)) {
			d = -1 // a part of the name beats any spelling distance
		}
		all = append(all, scored{c, d})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].dist < all[j].dist })
	var out []string
	for _, s := range all[:min(n, len(all))] {
		out = append(out, s.name)
	}
	return out
}

// didYouMean suggests the one candidate close enough to be a typo of
// typed, as " (did you mean X?)", or "".
func didYouMean(typed string, candidates []string) string {
	best := closest(typed, candidates, 1)
	if len(best) == 0 {
		return ""
	}
	t, b := strings.ToLower(typed), strings.ToLower(best[0])
	if editDistance(t, b) > max(2, len(t)/3) && !strings.HasPrefix(b, t) {
		return ""
	}
	return " (did you mean " + best[0] + "?)"
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
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
