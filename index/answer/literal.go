package answer

import (
	"context"
	"sort"
	"strings"
	"unicode"

	"github.com/storybot/storybot/index"
)

// literalHits finds, in one story, the paragraphs that hold the
// question's words in the order written, stop words and all. The index
// leaves such words out, so a fragment made of them alone ("and not only
// because his") finds nothing there, although a reader who names the
// story and pastes the words expects the paragraph they came from. A
// paragraph scores by its longest run of the question's words, and needs
// a run of two.
func (e *Engine) literalHits(ctx context.Context, scope index.Scope, story, text string) ([]index.Hit, error) {
	want := plainWords(text)
	if len(want) < 2 {
		return nil, nil
	}
	paras, err := e.ix.Paragraphs(ctx, scope, story)
	if err != nil {
		return nil, err
	}
	var hits []index.Hit
	for _, h := range paras {
		if run := longestRun(want, plainWords(h.Text)); run >= 2 {
			h.Score = float64(run)
			hits = append(hits, h)
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Score > hits[j].Score })
	return hits, nil
}

func plainWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’'
	})
}

// longestRun is the length of the longest run of a's words that stands,
// in the same order, somewhere in b.
func longestRun(a, b []string) int {
	best := 0
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			if a[i] == b[j] {
				cur[j+1] = prev[j] + 1
				best = max(best, cur[j+1])
			} else {
				cur[j+1] = 0
			}
		}
		prev, cur = cur, prev
	}
	return best
}
