package answer

import (
	"github.com/storybot/storybot/corpus"
)

// whenAnswer picks the time expression that anchors the event the question
// describes: the one in the sentence that shares most words with it, and,
// within that sentence, the one nearest those words.
func whenAnswer(a *Answer, qw map[string]float64, c *candidate) {
	t := anchorTime(qw, c)
	if t == nil {
		a.Note = "The best passage does not say when."
		return
	}
	a.Answer = t.Text
	a.Span = &Span{t.Start, t.End}
	a.Precision = string(t.Precision)
	if t.Resolved() {
		a.Date = t.Value
	} else {
		a.Note = "“" + t.Text + "” is relative to the story's publication date, which is unknown, so it cannot be fixed to a calendar date."
	}
}

func anchorTime(qw map[string]float64, c *candidate) *corpus.TimeExpr {
	times := c.hit.Times
	if len(times) == 0 {
		return nil
	}
	sents := sentences(c.hit.Text)
	var best *corpus.TimeExpr
	bestScore := -1.0
	for i := range times {
		t := &times[i]
		s := sentenceAt(sents, t.Start)
		var in []token
		for _, tok := range c.toks {
			if tok.Start >= s.Start && tok.End <= s.End && (tok.End <= t.Start || tok.Start >= t.End) {
				in = append(in, tok)
			}
		}
		cov, _ := coverage(qw, in)
		score := cov - 0.001*float64(distanceToMatch(qw, in, t.Start, t.End))/float64(len(c.hit.Text)+1)
		// A question about an event seldom repeats its date, so a time
		// expression whose words are in the question is not the answer.
		if cov2, _ := coverage(qw, tokenize(t.Text)); cov2 > 0 {
			score -= 0.5
		}
		if t.Resolved() {
			score += 0.01
		}
		if score > bestScore {
			best, bestScore = t, score
		}
	}
	return best
}

// distanceToMatch is how far, in bytes, the span [start,end) is from the
// nearest question word among toks.
func distanceToMatch(qw map[string]float64, toks []token, start, end int) int {
	best := 1 << 30
	for _, t := range toks {
		if _, ok := qw[t.Stem]; !ok || t.Stem == "" {
			continue
		}
		d := 0
		if t.End <= start {
			d = start - t.End
		} else if t.Start >= end {
			d = t.Start - end
		}
		best = min(best, d)
	}
	return best
}
