package answer

// askOptions lists the phrases of a passage that could answer an
// ask-question. Every short run of words the question does not have is a
// candidate; spanFeatures say how well it fits: whether it sits in a
// sentence that shares the question's words, next to those words, is of
// the type the question asks for (a number for "how many", a date for
// "when", a name for "who") and looks like a whole phrase rather than a
// piece of one.
func askOptions(sq spanQuestion, qw map[string]float64, c *candidate) []option {
	text := c.hit.Text
	if len(c.toks) == 0 {
		return nil
	}
	var sents []*sentence
	bestCov := 0.0
	for _, s := range sentences(text) {
		lo, hi := tokenRange(c.toks, s)
		if hi-lo == 0 {
			continue
		}
		st := newSentence(text, c.toks[lo:hi], qw, sq)
		if st.qTotal == 0 {
			continue
		}
		sents = append(sents, st)
		bestCov = max(bestCov, st.cov)
	}
	var out []option
	for _, st := range sents {
		out = append(out, st.candidates(st.cov == bestCov && bestCov > 0)...)
	}
	return out
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
