package answer

import (
	"math"
	"slices"

	"github.com/storybot/storybot/corpus/text"
)

// askOptions lists the phrases of a passage that could answer an
// ask-question: its noun phrases, named entities and the like, as the text
// layer finds them (see phrasesOf). spanFeatures say how well each fits:
// whether it sits in a sentence that shares the question's words, next to
// those words, is of the type the question asks for (a number for "how
// many", a date for "when", a person for "who") and is a whole phrase
// rather than a piece of one.
func askOptions(sq spanQuestion, qw map[string]float64, c *candidate) []option {
	body := c.hit.Text
	if len(c.toks) == 0 {
		return nil
	}
	var sents []*sentence
	var spans []Span
	bestCov := 0.0
	for _, s := range sentences(body) {
		lo, hi := tokenRange(c.toks, s)
		if hi-lo == 0 {
			continue
		}
		st := newSentence(body, c.toks[lo:hi], qw, sq)
		if st.qTotal == 0 {
			continue
		}
		sents, spans = append(sents, st), append(spans, s)
		bestCov = max(bestCov, st.cov)
	}
	idf, iw, iwTotal := sentenceIDF(sents)
	for _, st := range sents {
		st.iw, st.iwTotal = iw, iwTotal
	}
	bestIDF := 0.0
	for _, st := range sents {
		bestIDF = max(bestIDF, idf[st])
	}
	var out []option
	for k, st := range sents {
		// A sentence without a word of the question holds no answer the
		// question can be tied to; the text layer is spared its work.
		if st.cov == 0 {
			continue
		}
		sp := spans[k]
		d := text.Analyze(body[sp.Start:sp.End])
		st.tag(d, sp.Start)
		in := phrasesOf(d)
		if sq.typ == typeReason {
			in = append(in, clausesOf(d)...)
		}
		for i := range in {
			in[i].start += sp.Start
			in[i].end += sp.Start
		}
		opts := st.candidates(in, st.cov == bestCov && bestCov > 0)
		for _, o := range opts {
			o.feat[sfSentenceIDF] = idf[st]
			if idf[st] == bestIDF && bestIDF > 0 {
				o.feat[sfBestIDF] = 1
			}
			o.feat[sfIDFGap] = bestIDF - idf[st]
		}
		out = append(out, opts...)
	}
	relative(out)
	return out
}

// relative adds the features that compare a phrase with the passage's
// other phrases: the answer is often the phrase nearest the question's
// words, and the nearest one of the type asked for, however near that is.
func relative(opts []option) {
	var best, bestMatch float64
	for _, o := range opts {
		best = max(best, o.feat[sfProximityIDF])
		if o.feat[sfEntityMatch] > 0 {
			bestMatch = max(bestMatch, o.feat[sfProximityIDF])
		}
	}
	for _, o := range opts {
		o.feat[sfProximityGap] = best - o.feat[sfProximityIDF]
		if o.feat[sfEntityMatch] > 0 && o.feat[sfProximityIDF] == bestMatch {
			o.feat[sfMatchNearest] = 1
		}
	}
}

// sentenceIDF weighs the question's words by how few of the passage's
// sentences hold them, and gives each sentence its share of that weight: a
// word that every sentence repeats (the article's subject) tells none of
// them apart.
func sentenceIDF(sents []*sentence) (map[*sentence]float64, map[string]float64, float64) {
	df := map[string]int{}
	for _, st := range sents {
		seen := map[string]bool{}
		for i, t := range st.toks {
			if st.isQ[i] && !seen[t.Stem] {
				seen[t.Stem] = true
				df[t.Stem]++
			}
		}
	}
	stems := make([]string, 0, len(df))
	for s := range df {
		stems = append(stems, s)
	}
	slices.Sort(stems) // summed in one order, for the same result every time
	var total float64
	w := map[string]float64{}
	for _, s := range stems {
		w[s] = math.Log(float64(len(sents)+1) / (float64(df[s]) + 0.5))
		total += w[s]
	}
	out := map[*sentence]float64{}
	if total == 0 {
		return out, w, total
	}
	for _, st := range sents {
		seen := map[string]bool{}
		var got float64
		for i, t := range st.toks {
			if st.isQ[i] && !seen[t.Stem] {
				seen[t.Stem] = true
				got += w[t.Stem]
			}
		}
		out[st] = got / total
	}
	return out, w, total
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
