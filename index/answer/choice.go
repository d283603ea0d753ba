package answer

import (
	"math"
	"sort"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index/answer/learn"
)

// option is one possible short answer within the best passage: a phrase
// for ask, a statement for who, a time expression for when.
type option struct {
	span Span
	feat []float64
	stmt *corpus.Statement
	time *corpus.TimeExpr
}

// choiceFeatures are the inputs of each kind's choice among its options.
var choiceFeatures = map[Kind][]string{Ask: spanFeatures, Who: statementFeatures, When: timeFeatures}

// choice is the option a model picked, with what the confidence needs.
type choice struct {
	opt *option
	// prob is the picked option's share of the softmax over all options,
	// margin how far its score is ahead of the next one's.
	prob, margin float64
	n            int
	// score is the picked option's score: the softmax says how it compares
	// with the others, the score how well it fits on its own.
	score float64
}

// choose picks the best-scoring option.
func choose(m learn.Linear, opts []option) choice {
	return pick(m, opts, false)
}

// chooseSpan picks the phrase with the highest expected token F1 under the
// model's distribution over the phrases (minimum Bayes risk): a phrase that
// overlaps with several likely ones is a safer answer than the single
// likeliest one.
func chooseSpan(m learn.Linear, opts []option) choice {
	return pick(m, opts, true)
}

// mbrPool is how many of the likeliest phrases the expected F1 considers.
const mbrPool = 30

func pick(m learn.Linear, opts []option, mbr bool) choice {
	if len(opts) == 0 {
		return choice{}
	}
	best, second := -1, math.Inf(-1)
	scores := make([]float64, len(opts))
	for i := range opts {
		scores[i] = m.Score(opts[i].feat)
		if best < 0 || scores[i] > scores[best] {
			if best >= 0 {
				second = scores[best]
			}
			best = i
		} else if scores[i] > second {
			second = scores[i]
		}
	}
	var sum float64
	for _, s := range scores {
		sum += math.Exp(s - scores[best])
	}
	c := choice{opt: &opts[best], prob: 1 / sum, n: len(opts), margin: 1, score: scores[best]}
	if len(opts) > 1 {
		c.margin = math.Tanh(scores[best] - second)
	}
	if mbr && len(opts) > 1 {
		order := make([]int, len(opts))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool { return scores[order[a]] > scores[order[b]] })
		order = order[:min(len(order), mbrPool)]
		bestExp := -1.0
		for _, i := range order {
			var e float64
			for _, j := range order {
				e += math.Exp(scores[j]-scores[best]) / sum * overlapF1(opts[i].span, opts[j].span)
			}
			if e > bestExp {
				bestExp, c.opt, c.score = e, &opts[i], scores[i]
			}
		}
		c.prob = bestExp
	}
	return c
}

// overlapF1 is the F1 of two byte ranges of one text, by bytes: a stand-in
// for the token F1 of the phrases they hold.
func overlapF1(a, b Span) float64 {
	in := min(a.End, b.End) - max(a.Start, b.Start)
	if in <= 0 {
		return 0
	}
	return 2 * float64(in) / float64(a.End-a.Start+b.End-b.Start)
}
