package answer

import (
	"math"
)

// timeFeatures are what the choice among a passage's time expressions
// knows about each one: the one that anchors the event the question
// describes sits in the sentence that shares most words with it, near
// those words. Their weights are learned (see Train). Nothing about the
// expression's form (a weekday, a year) is among them: which forms the
// evaluation questions ask about is a choice of how they were made, not
// a property of news.
var timeFeatures = []string{
	"sentence",    // share of the question's weight in the expression's sentence, itself left out
	"distance",    // how far the nearest question word is, as a share of the sentence
	"in.question", // the expression's own words are in the question: an event seldom repeats its date
	"resolved",    // it has a calendar value
	"alone",       // it is the only time expression in its sentence
	"valued",      // how sure the time expression finder is of its value
}

const (
	xfSentence = iota
	xfDistance
	xfInQuestion
	xfResolved
	xfAlone
	xfValued
	xfCount
)

// whenOptions lists the time expressions of the best passage.
func whenOptions(qw map[string]float64, c *candidate) []option {
	times := c.hit.Times
	sents := sentences(c.hit.Text)
	var out []option
	for i := range times {
		t := &times[i]
		s := sentenceAt(sents, t.Start)
		var in []token
		for _, tok := range c.toks {
			if tok.Start >= s.Start && tok.End <= s.End && (tok.End <= t.Start || tok.Start >= t.End) {
				in = append(in, tok)
			}
		}
		f := make([]float64, xfCount)
		f[xfSentence], _ = coverage(qw, in)
		f[xfDistance] = math.Min(1, float64(distanceToMatch(qw, in, t.Start, t.End))/float64(s.End-s.Start+1))
		if cov, _ := coverage(qw, tokenize(t.Text)); cov > 0 {
			f[xfInQuestion] = 1
		}
		if t.Resolved() {
			f[xfResolved] = 1
		}
		f[xfValued] = t.Confidence
		f[xfAlone] = 1
		for j := range times {
			if j != i && times[j].Start >= s.Start && times[j].Start < s.End {
				f[xfAlone] = 0
			}
		}
		out = append(out, option{span: Span{t.Start, t.End}, feat: f, time: t})
	}
	return out
}

// whenAnswer gives the chosen time expression and its date.
func whenAnswer(a *Answer, ch choice) {
	if ch.opt == nil {
		a.Note = "The best passage does not say when."
		return
	}
	t := ch.opt.time
	a.Answer = t.Text
	a.Span = &Span{t.Start, t.End}
	a.Precision = string(t.Precision)
	if t.Resolved() {
		a.Date = t.Value
	} else {
		a.Note = "“" + t.Text + "” is relative to the story's publication date, which is unknown, so it cannot be fixed to a calendar date."
	}
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
