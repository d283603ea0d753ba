package answer

import (
	"sort"
	"strings"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

// candidate is a hit being re-ranked, with what was worked out about it.
type candidate struct {
	hit      index.Hit
	toks     []token
	coverage float64 // share of the question's weight found in the passage
	matched  int     // question words found in the passage
	score    float64
	// For who-questions: the statement whose words best match the question.
	stmt      *corpus.Statement
	stmtMatch float64
}

func (c *candidate) passage(qw map[string]float64) Passage {
	h := c.hit
	return Passage{Collection: h.Collection, Story: h.Story, Paragraph: h.Paragraph, Headline: h.Headline, Source: h.Source,
		Published: h.Published, URL: h.URL, Text: h.Text, Score: round3(c.score),
		Matches: c.matchSpans(qw)}
}

func round3(f float64) float64 { return float64(int64(f*1000+0.5)) / 1000 }

// Weights of the re-ranking features. BM25 finds the paragraphs; coverage
// of the question's words separates the one that answers from one that
// merely repeats a rare word, and the kind of question favours paragraphs
// that hold what it asks for.
const (
	wBM25        = 1.0
	wCoverage    = 1.0
	wStatement   = 0.6
	wTime        = 0.25
	wOneSentence = 0.5
	// A story whose headline shares the question's words is likelier the
	// one meant, when the question does not name a story.
	wHeadline = 0.2
)

// sentenceCoverage is the largest share of the question's weight found in
// one sentence: an answer states its facts together, while a paragraph that
// merely mentions the same words here and there does not.
func sentenceCoverage(qw map[string]float64, text string, toks []token) float64 {
	best := 0.0
	i := 0
	for _, s := range sentences(text) {
		j := i
		for j < len(toks) && toks[j].Start < s.End {
			j++
		}
		cov, _ := coverage(qw, toks[i:j])
		best = max(best, cov)
		i = j
	}
	return best
}

func rerank(kind Kind, qw map[string]float64, hits []index.Hit) []*candidate {
	if len(hits) == 0 {
		return nil
	}
	top := hits[0].Score
	out := make([]*candidate, 0, len(hits))
	for _, h := range hits {
		c := &candidate{hit: h, toks: tokenize(h.Text)}
		c.coverage, c.matched = coverage(qw, c.toks)
		head, _ := coverage(qw, tokenize(h.Headline))
		c.score = wBM25*h.Score/top + wCoverage*c.coverage + wOneSentence*sentenceCoverage(qw, h.Text, c.toks) +
			wHeadline*head
		switch kind {
		case Who:
			c.stmt, c.stmtMatch = bestStatement(qw, h)
			c.score += wStatement * c.stmtMatch
		case When:
			if hasResolvedTime(h.Times) {
				c.score += wTime
			}
		}
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	return out
}

// weights gives each content word of the question a weight. Longer words
// carry more meaning than short ones; numbers and names are as telling as
// rare words, so no corpus statistics are needed here.
func weights(text string) map[string]float64 {
	w := map[string]float64{}
	for _, t := range tokenize(text) {
		if t.Stem == "" {
			continue
		}
		v := 1.0
		if len(t.Stem) <= 3 {
			v = 0.6
		}
		if t.Word[0] >= 'A' && t.Word[0] <= 'Z' || t.Word[0] >= '0' && t.Word[0] <= '9' {
			v += 0.4
		}
		w[t.Stem] = v
	}
	return w
}

func coverage(qw map[string]float64, toks []token) (float64, int) {
	var total, got float64
	for _, v := range qw {
		total += v
	}
	if total == 0 {
		return 0, 0
	}
	seen := map[string]bool{}
	for _, t := range toks {
		if v, ok := qw[t.Stem]; ok && !seen[t.Stem] {
			seen[t.Stem] = true
			got += v
		}
	}
	return got / total, len(seen)
}

// minCoverage is the least share of the question's words that the best
// passage must hold; below it, quoting the passage would be quoting noise.
const minCoverage = 0.34

// goodEnough decides whether the best candidate is worth quoting. Besides
// covering enough of the question, the stories must mention at least one
// of the names and numbers the question asks about: a question about a
// country no story mentions is not answered from a paragraph that merely
// shares "capital" with it.
func goodEnough(q question, ranked []*candidate) bool {
	if len(ranked) == 0 {
		return false
	}
	best := ranked[0]
	if best.coverage < minCoverage || best.matched < 1 {
		return false
	}
	keys := keyTerms(q.Search)
	if len(keys) == 0 {
		return true
	}
	for _, c := range ranked {
		for _, t := range c.toks {
			for k := range keys {
				if sameName(k, t.Stem) {
					return true
				}
			}
		}
	}
	return false
}

// sameName matches a name with its derived forms, which stemming leaves
// apart: "Ukraine" and "Ukrainian", "California" and "Californian".
func sameName(a, b string) bool {
	const stemLen = 5
	if len(a) < stemLen || len(b) < stemLen {
		return a == b
	}
	return a[:stemLen] == b[:stemLen]
}

// keyTerms are the stems of the names and numbers in a question: words
// written with a capital or a digit anywhere but at the start of a sentence.
func keyTerms(text string) map[string]bool {
	keys := map[string]bool{}
	for _, t := range tokenize(text) {
		if t.Stem == "" || t.Start == 0 || sentenceStart(text, t.Start) {
			continue
		}
		if r := t.Word[0]; r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			keys[t.Stem] = true
		}
	}
	return keys
}

// sentenceStart reports whether only spaces and quotation marks separate
// offset i from the end of a sentence before it.
func sentenceStart(text string, i int) bool {
	before := strings.TrimRight(text[:i], " \"“‘'(")
	return before == "" || strings.HasSuffix(before, ".") || strings.HasSuffix(before, "?") || strings.HasSuffix(before, "!")
}

// matchSpans are the words of the passage that the question has too.
func (c *candidate) matchSpans(qw map[string]float64) []Span {
	var spans []Span
	for _, t := range c.toks {
		if _, ok := qw[t.Stem]; ok && t.Stem != "" {
			spans = append(spans, Span{t.Start, t.End})
		}
	}
	return spans
}

func hasResolvedTime(ts []corpus.TimeExpr) bool {
	for _, t := range ts {
		if t.Resolved() {
			return true
		}
	}
	return false
}

// bestStatement finds the statement of a paragraph whose quote shares most
// of the question's words.
func bestStatement(qw map[string]float64, h index.Hit) (*corpus.Statement, float64) {
	var best *corpus.Statement
	bestCov := 0.0
	for i := range h.Statements {
		s := &h.Statements[i]
		cov, _ := coverage(qw, tokenize(s.Quote))
		if cov > bestCov || best == nil {
			best, bestCov = s, cov
		}
	}
	return best, bestCov
}
