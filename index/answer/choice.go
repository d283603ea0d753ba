package answer

import (
	"math"

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
}

// choose picks the best-scoring option.
func choose(m learn.Linear, opts []option) choice {
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
	c := choice{opt: &opts[best], prob: 1 / sum, n: len(opts), margin: 1}
	if len(opts) > 1 {
		c.margin = math.Tanh(scores[best] - second)
	}
	return c
}
