package answer

import (
	"slices"
	"sort"
	"strings"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/answer/learn"
)

// candidate is a hit being re-ranked, with what was worked out about it.
type candidate struct {
	hit      index.Hit
	toks     []token
	headline []token   // the words of its story's headline
	coverage float64   // share of the question's weight found in the passage
	matched  int       // question words found in the passage
	feat     []float64 // rankFeatures
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

// rankFeatures are what the ranker knows about a passage. BM25 finds the
// paragraphs; coverage of the question's words separates the one that
// answers from one that merely repeats a rare word; the kind of question
// favours paragraphs that hold what it asks for. Their weights are learned
// (see Train).
var rankFeatures = []string{
	"bm25",          // the search score, relative to the best hit's
	"coverage",      // share of the question's weight in the passage
	"fuzzy",         // ... added by misspelt, number-word and initial matches
	"sentence",      // the largest share found in one sentence
	"headline",      // share found in the story's headline
	"story",         // share found in the passage or its headline: a paragraph is read under its headline
	"bigrams",       // share of the question's word pairs found side by side
	"who.statement", // who: share found in the best-matching statement's quote
	"who.verbatim",  // who: the longest run of the question's words, as written, in the passage, as a share of them
	"when.time",     // when: the passage has a time expression with a date
	"when.sentence", // when: the largest share in a sentence with a time expression
	"ask.typed",     // ask for a number or date: the passage has one
}

const (
	rfBM25 = iota
	rfCoverage
	rfFuzzy
	rfSentence
	rfHeadline
	rfStory
	rfBigrams
	rfStatement
	rfVerbatim
	rfTime
	rfTimeSentence
	rfTyped
	rfCount
)

// sentenceCoverage is the largest share of the question's weight found in
// one sentence, and the largest among sentences that hold a time
// expression: an answer states its facts together, while a paragraph that
// merely mentions the same words here and there does not.
func sentenceCoverage(qw map[string]float64, text string, toks []token, times []corpus.TimeExpr) (best, timed float64) {
	i := 0
	for _, s := range sentences(text) {
		j := i
		for j < len(toks) && toks[j].Start < s.End {
			j++
		}
		cov, _ := coverage(qw, toks[i:j])
		best = max(best, cov)
		for _, t := range times {
			if t.Start >= s.Start && t.Start < s.End {
				timed = max(timed, cov)
				break
			}
		}
		i = j
	}
	return best, timed
}

// fuzzyCoverage is the share of the question's weight that the passage has
// only in another spelling: a typo, a number word, initials. found holds
// the question's stems the passage has as they are.
func fuzzyCoverage(q []token, qw map[string]float64, toks []token, found map[string]bool) float64 {
	var total, got float64
	for _, v := range qw {
		total += v
	}
	if total == 0 || len(found) == len(qw) {
		return 0
	}
	done := map[string]bool{}
	for _, t := range q {
		if t.Stem == "" || found[t.Stem] || done[t.Stem] {
			continue
		}
		done[t.Stem] = true
		if termIn(t, toks) {
			got += qw[t.Stem]
		}
	}
	return got / total
}

// bigramShare is the share of the question's adjacent content-word pairs
// that stand side by side in the passage too.
func bigramShare(q []token, toks []token) float64 {
	var pairs [][2]string
	prev := ""
	for _, t := range q {
		if t.Stem == "" {
			continue
		}
		if p := [2]string{prev, t.Stem}; prev != "" && !slices.Contains(pairs, p) {
			pairs = append(pairs, p)
		}
		prev = t.Stem
	}
	if len(pairs) == 0 {
		return 0
	}
	found := make([]bool, len(pairs))
	n := 0
	prev = ""
	for _, t := range toks {
		if t.Stem == "" {
			continue
		}
		for i, p := range pairs {
			if !found[i] && p[0] == prev && p[1] == t.Stem {
				found[i] = true
				n++
			}
		}
		prev = t.Stem
	}
	return float64(n) / float64(len(pairs))
}

// newCandidates works out the ranking features of every hit.
func newCandidates(kind Kind, q question, qw map[string]float64, sq spanQuestion, hits []index.Hit) []*candidate {
	if len(hits) == 0 {
		return nil
	}
	top := hits[0].Score
	qt := tokenize(q.Search)
	var plain []string // who-said: the words as the reader pasted them, stop words too
	if kind == Who {
		plain = plainWords(q.Search)
	}
	typed := kind == Ask && (sq.typ == typeDate || (&sentence{sq: &sq}).numeric())
	out := make([]*candidate, 0, len(hits))
	type headline struct {
		toks []token
		cov  float64
	}
	headlines := map[string]headline{} // the hits of one story share its headline
	for _, h := range hits {
		c := &candidate{hit: h, toks: tokenize(h.Text), feat: make([]float64, rfCount)}
		var found map[string]bool
		c.coverage, found = coverageOf(qw, c.toks)
		c.matched = len(found)
		f := c.feat
		if top > 0 {
			f[rfBM25] = h.Score / top
		}
		f[rfCoverage] = c.coverage
		f[rfFuzzy] = fuzzyCoverage(qt, qw, c.toks, found)
		f[rfSentence], f[rfTimeSentence] = sentenceCoverage(qw, h.Text, c.toks, h.Times)
		head, ok := headlines[h.Headline]
		if !ok {
			head = headline{toks: tokenize(h.Headline)}
			head.cov, _ = coverage(qw, head.toks)
			headlines[h.Headline] = head
		}
		f[rfHeadline] = head.cov
		f[rfStory], _ = coverage(qw, append(slices.Clone(c.toks), head.toks...))
		c.headline = head.toks
		f[rfBigrams] = bigramShare(qt, c.toks)
		switch kind {
		case Who:
			c.stmt, c.stmtMatch = bestStatement(qw, h)
			f[rfStatement] = c.stmtMatch
			f[rfTimeSentence] = 0
			if len(plain) >= 3 {
				f[rfVerbatim] = float64(longestRun(plain, plainWords(h.Text))) / float64(len(plain))
			}
		case When:
			if hasResolvedTime(h.Times) {
				f[rfTime] = 1
			}
		default:
			f[rfTimeSentence] = 0
			if typed && hasTypedWord(c.toks) {
				f[rfTyped] = 1
			}
		}
		out = append(out, c)
	}
	return out
}

// hasTypedWord reports whether a passage has a number or a date word.
func hasTypedWord(toks []token) bool {
	for _, t := range toks {
		l := strings.ToLower(t.Word)
		if isNumberWord(l) || hasDigit(t.Word) || monthWords[l] || dateWords[l] {
			return true
		}
	}
	return false
}

// rank orders candidates by the model's score, best first.
func rank(m learn.Linear, cands []*candidate) []*candidate {
	for _, c := range cands {
		c.score = m.Score(c.feat)
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	return cands
}

// weights gives each content word of the question a weight. Longer words
// carry more meaning than short ones; numbers and names are as telling as
// rare words, so no corpus statistics are needed here. The weights are
// multiples of 1/8, so that their sums are exact in whatever order a map
// gives them: the same question always gets the same scores.
func weights(text string) map[string]float64 {
	w := map[string]float64{}
	for _, t := range tokenize(text) {
		if t.Stem == "" {
			continue
		}
		v := 1.0
		if len(t.Stem) <= 3 {
			v = 0.625
		}
		if t.Word[0] >= 'A' && t.Word[0] <= 'Z' || t.Word[0] >= '0' && t.Word[0] <= '9' {
			v += 0.375
		}
		w[t.Stem] = v
	}
	return w
}

func coverage(qw map[string]float64, toks []token) (float64, int) {
	cov, found := coverageOf(qw, toks)
	return cov, len(found)
}

// coverageOf is the share of the question's weight found in toks, and
// which of its stems were found.
func coverageOf(qw map[string]float64, toks []token) (float64, map[string]bool) {
	var total, got float64
	for _, v := range qw {
		total += v
	}
	seen := map[string]bool{}
	if total == 0 {
		return 0, seen
	}
	for _, t := range toks {
		if v, ok := qw[t.Stem]; ok && !seen[t.Stem] {
			seen[t.Stem] = true
			got += v
		}
	}
	return got / total, seen
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
