package index

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/search/query"
)

// What one search may cost is decided before it runs, from the index's own
// term statistics, so that no wording of a question (a word typed 200
// times, a paragraph of the commonest words, a dozen quotations) can make
// it visit much more of the index than an ordinary question does.
//
// The unit is the posting: one paragraph holding one searched word. A term
// clause visits as many postings as paragraphs hold the word. A phrase
// clause is a conjunction of its words, which bleve walks from the rarest
// one, so it visits about (words × rarest word's paragraphs); a phrase of
// one word repeated has no rare word to walk from, which is what made
// "said said said …" cost a thousand times an ordinary question.
const (
	// budgetShare is the postings one search may visit, as a share of the
	// paragraphs searched. An ordinary question's rarer words stay well
	// inside it.
	budgetShare = 0.15
	// minBudget keeps small archives, where every search is cheap, from
	// losing words to the budget.
	minBudget = 2000
	// maxSearchTerms is the most distinct words one search looks up, and
	// maxLookups the most whose frequency is looked up to choose them.
	maxSearchTerms = 32
	maxLookups     = 64
	// maxPhraseWords cuts a phrase: a paragraph holding the first 32 words
	// of a quotation verbatim is the one that holds the quotation.
	maxPhraseWords = 32
)

// Plan is what one search looks for, chosen within its budget.
type Plan struct {
	Terms   []string `json:"terms"`
	Phrases []string `json:"phrases,omitempty"`
	// Postings is how many postings the search is expected to visit, at
	// most Budget; 0 when Unranked, as the search stops at the hits wanted.
	Postings uint64 `json:"postings"`
	Budget   uint64 `json:"budget"`
	// Dropped counts the words and phrases left out to stay in budget.
	Dropped int `json:"dropped,omitempty"`
	// Unranked is set when even the rarest word is in more paragraphs
	// than the budget allows. Such a question has no word that tells
	// paragraphs apart, and ranking them all by BM25 would cost as much
	// as the 200 repeats once did; it gets the first paragraphs that hold
	// the word, each scored 1, for the answer layer to re-rank.
	Unranked bool `json:"unranked,omitempty"`
}

// clause is one part of a search and what it is expected to cost.
type clause struct {
	q      query.Query
	cost   uint64
	term   string // set for a word
	phrase string // set for a phrase
}

// plan builds the query for text and phrases (already cleaned), within
// story when it is set. scope is how many paragraphs the search covers:
// within a story, no clause can visit more than the story holds.
func plan(idxs []bleve.Index, text string, phrases []string, story string, storyParas int) (query.Query, Plan) {
	stats := newTermStats(idxs...)
	defer stats.close()
	docs := stats.docs
	scope := docs
	if story != "" {
		scope = uint64(storyParas)
	}
	p := Plan{Budget: max(uint64(budgetShare*float64(docs)), minBudget)}

	dfs := stats.freqs(queryTerms(text, maxLookups))
	words := choose(dfs, story != "", docs)
	var clauses []clause
	for _, d := range words {
		tq := bleve.NewTermQuery(d.term)
		tq.SetField(fieldText)
		clauses = append(clauses, clause{q: tq, cost: min(d.df, scope), term: d.term})
	}
	p.Dropped = len(dfs) - len(words)
	addPhrase := func(s string, boost float64) {
		s, cost, ok := phraseCost(stats, s, scope)
		if !ok {
			return
		}
		ph := bleve.NewMatchPhraseQuery(s)
		ph.SetField(fieldText)
		ph.SetBoost(boost)
		clauses = append(clauses, clause{q: ph, cost: cost, phrase: s})
	}
	addPhrase(text, boostFullText)
	for _, s := range boundedPhrases(text, phrases) {
		addPhrase(s, boostPhrase)
	}

	// The rarest word is always searched, or nothing could be found; then
	// the cheapest clauses first, which are also the most telling ones:
	// a rare word weighs most in BM25, and a phrase is cheap exactly when
	// it holds a rare word.
	var parts []query.Query
	if len(clauses) > 0 && clauses[0].term != "" {
		parts = append(parts, clauses[0].q)
		p.Terms = append(p.Terms, clauses[0].term)
		p.Postings = clauses[0].cost
		clauses = clauses[1:]
		if p.Postings > p.Budget {
			// Every other clause costs at least as much.
			p.Unranked, p.Postings, p.Dropped = true, 0, p.Dropped+len(clauses)
			clauses = nil
		}
	}
	slices.SortStableFunc(clauses, func(a, b clause) int { return cmp.Compare(a.cost, b.cost) })
	for _, c := range clauses {
		if p.Postings+c.cost > p.Budget || (c.term != "" && len(p.Terms) == maxSearchTerms) {
			p.Dropped++
			continue
		}
		p.Postings += c.cost
		parts = append(parts, c.q)
		if c.term != "" {
			p.Terms = append(p.Terms, c.term)
		} else {
			p.Phrases = append(p.Phrases, c.phrase)
		}
	}
	if len(parts) == 0 {
		return bleve.NewMatchNoneQuery(), p
	}
	var q query.Query = bleve.NewDisjunctionQuery(parts...)
	if story != "" {
		only := bleve.NewTermQuery(story)
		only.SetField(fieldStory)
		q = bleve.NewConjunctionQuery(q, only)
	}
	return q, p
}

// phraseCost cuts s to maxPhraseWords indexed words and estimates what
// searching it costs. It reports false for a phrase that is no phrase
// (fewer than two indexed words) or that cannot match (a word no
// paragraph holds), which are not worth searching at all.
func phraseCost(stats *termStats, s string, scope uint64) (string, uint64, bool) {
	toks := analyzer.Analyze([]byte(s))
	if len(toks) < 2 {
		return "", 0, false
	}
	if len(toks) > maxPhraseWords {
		toks = toks[:maxPhraseWords]
		s = s[:unfoldedOffset(s, toks[len(toks)-1].End)]
	}
	rarest := scope
	seen := map[string]bool{}
	for _, t := range toks {
		term := string(t.Term)
		if seen[term] {
			continue
		}
		seen[term] = true
		df := stats.df(term)
		if df == 0 {
			return "", 0, false
		}
		rarest = min(rarest, df)
	}
	return s, uint64(len(toks)) * rarest, true
}

// folding is the analyzer's character filter (textAnalyzerConfig).
var folding = asciifolding.New()

// unfoldedOffset maps an offset into s as folded, where the analyzer's
// tokens are, to one into s itself. The two differ wherever a rune folds
// to more bytes ("⑽" to "(10)") or fewer ("é" to "e"), so a token's end
// cannot cut s: it may lie past the end of s, or short of the word, or
// inside a rune. Folding goes rune by rune, so the offset falls within
// what one rune of s became, and s is cut after that rune; no rune folds
// to two words, so that keeps the word count.
func unfoldedOffset(s string, folded int) int {
	n := 0
	for i, r := range s {
		if n >= folded {
			return i
		}
		if r < utf8.RuneSelf {
			n++
		} else {
			n += len(folding.Filter([]byte(string(r))))
		}
	}
	return len(s)
}

// Work adds up what searches cost, so that tests and benchmarks compare
// questions by the work they cause rather than by time, which a loaded
// machine distorts.
type Work struct {
	mu       sync.Mutex
	searches int
	postings uint64
	bytes    uint64
}

type workKey struct{}

// CountWork returns a context whose searches add their cost to w.
func CountWork(ctx context.Context, w *Work) context.Context {
	return context.WithValue(ctx, workKey{}, w)
}

func addWork(ctx context.Context, postings, bytes uint64) {
	if w, ok := ctx.Value(workKey{}).(*Work); ok {
		w.mu.Lock()
		w.searches++
		w.postings += postings
		w.bytes += bytes
		w.mu.Unlock()
	}
}

// Totals are the searches run, the postings their plans expected to
// visit, and the bytes bleve read from the index for them (its own
// measure of a search's cost, stored fields included).
func (w *Work) Totals() (searches int, postings, bytes uint64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.searches, w.postings, w.bytes
}
