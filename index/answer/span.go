package answer

import "math"

// askAnswer picks a short answer from the best passage: the phrase that
// answers the question, not the whole paragraph. Every short run of words
// the question does not have is a candidate; it scores for sitting in a
// sentence that shares the question's words, for sitting next to those
// words, for being of the type the question asks for (a number for "how
// many", a date for "when", a name for "who") and for looking like a whole
// phrase rather than a piece of one.
func askAnswer(a *Answer, q question, qw map[string]float64, c *candidate) {
	sp, ok := bestSpan(q, qw, c)
	if !ok {
		return
	}
	a.Answer = c.hit.Text[sp.Start:sp.End]
	a.Span = &sp
}

// minSpanScore is the score below which no candidate is worth showing:
// a phrase that is neither of the asked-for type nor near the question's
// words is more likely wrong than right, and the passage is shown anyway.
const minSpanScore = -1.5

func bestSpan(q question, qw map[string]float64, c *candidate) (Span, bool) {
	text := c.hit.Text
	if len(c.toks) == 0 {
		return Span{}, false
	}
	sq := analyseQuestion(q.Raw, qw)
	best, bestScore := Span{}, math.Inf(-1)
	for _, s := range sentences(text) {
		lo, hi := tokenRange(c.toks, s)
		if hi-lo == 0 {
			continue
		}
		st := newSentence(text, c.toks[lo:hi], qw, sq)
		if st.qTotal == 0 {
			continue
		}
		for _, cd := range st.candidates() {
			if cd.score > bestScore {
				best, bestScore = cd.span, cd.score
			}
		}
	}
	if bestScore < minSpanScore {
		return Span{}, false
	}
	return best, true
}

// tokenRange gives the indexes [lo, hi) of the tokens inside s.
func tokenRange(toks []token, s Span) (int, int) {
	lo := 0
	for lo < len(toks) && toks[lo].Start < s.Start {
		lo++
	}
	hi := lo
	for hi < len(toks) && toks[hi].End <= s.End {
		hi++
	}
	return lo, hi
}
