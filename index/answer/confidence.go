package answer

import (
	"math"
)

// confidenceFeatures are what a short answer's confidence is worked out
// from: how sure the ranking was of the passage, how sure the choice was
// of the answer within it, and what the kind of question adds. Their
// weights are learned from right and wrong answers, and from questions
// whose answer was taken out of the story (see Train).
var confidenceFeatures = map[Kind][]string{
	Ask: append(commonConfidence[:len(commonConfidence):len(commonConfidence)], "span.sentence", "best.sentence", "proximity", "typed", "untyped",
		"entity.match", "entity.clash", "sentence.idf", "bigrams", "choice.score"),
	Who:  append(commonConfidence[:len(commonConfidence):len(commonConfidence)], "quote", "precision", "named", "words", "quote.short", "attributed", "pairs"),
	When: append(commonConfidence[:len(commonConfidence):len(commonConfidence)], "time.sentence", "resolved", "in.question", "valued"),
}

var commonConfidence = []string{
	"coverage",      // share of the question's weight in the best passage, in any spelling
	"keys",          // share of the question's names and numbers in it
	"sentence",      // largest share in one of its sentences
	"rank.prob",     // the best passage's share of the ranking's softmax
	"rank.margin",   // how far it is ahead of the next passage
	"choice.prob",   // the answer's share of the softmax over the passage's options
	"choice.margin", // how far it is ahead of the next option
	"options",       // how many options there were (log)
}

// confidenceInput works out confidenceFeatures[kind].
func confidenceInput(kind Kind, sq spanQuestion, gate []float64, ranked []*candidate, ch choice) []float64 {
	f := []float64{gate[gfCoverage] + gate[gfFuzzy], gate[gfKeys], gate[gfSentence],
		rankProb(ranked), 1, ch.prob, ch.margin, math.Log1p(float64(ch.n))}
	if len(ranked) > 1 {
		f[4] = math.Tanh(ranked[0].score - ranked[1].score)
	}
	var o []float64
	if ch.opt != nil {
		o = ch.opt.feat
	}
	get := func(i int) float64 {
		if o == nil {
			return 0
		}
		return o[i]
	}
	switch kind {
	case Ask:
		typed, untyped := 0.0, 0.0
		if sq.typ == typeDate || sq.typ == typeNumber || sq.typ == typePercent || sq.typ == typeMoney {
			typed = 1
		}
		if sq.typ == typeAny {
			untyped = 1
		}
		f = append(f, get(sfSentence), get(sfBestSentence), get(sfProximity), typed, untyped,
			get(sfEntityMatch), get(sfEntityClash), get(sfSentenceIDF), get(sfBigrams), ch.score)
	case Who:
		// A fragment of a quote matches a small part of it: the share of
		// the quote's words in the question says less then.
		words := gate[gfWords]
		short := 0.0
		if words <= math.Log1p(shortQuestion) {
			short = get(tfQuote)
		}
		f = append(f, get(tfQuote), get(tfPrecision), get(tfNamed), words, short, get(tfAttributed), get(tfBigrams))
	case When:
		f = append(f, get(xfSentence), get(xfResolved), get(xfInQuestion), get(xfValued))
	}
	return f
}

// shortQuestion is the most content words a fragment of a quote has.
const shortQuestion = 6

// rankProb is the best passage's share of the softmax over the ranked
// passages' scores.
func rankProb(ranked []*candidate) float64 {
	if len(ranked) == 0 {
		return 0
	}
	var sum float64
	for _, c := range ranked {
		sum += math.Exp(c.score - ranked[0].score)
	}
	return 1 / sum
}

// confidence is the model's probability that the choice is right.
