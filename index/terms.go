package index

import (
	"cmp"
	"context"
	"slices"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// analyzer is the text field's analyzer, to turn a question into the terms
// the index holds.
var analyzer = newMapping().(*mapping.IndexMappingImpl).AnalyzerNamed(textAnalyzer)

// queryTerms analyses text into at most limit distinct index terms, in
// order: a word typed again adds nothing to search for.
func queryTerms(text string, limit int) []string {
	var terms []string
	seen := map[string]bool{}
	for _, tok := range analyzer.Analyze([]byte(text)) {
		t := string(tok.Term)
		if !seen[t] {
			if len(terms) == limit {
				break
			}
			seen[t] = true
			terms = append(terms, t)
		}
	}
	return terms
}

// Across a whole archive, a word found in many paragraphs ("said", "year")
// makes the search visit all of them while adding almost nothing to BM25's
// ranking. Such words are left out of the search and count only when the
// candidates are re-ranked.
const (
	// commonShare is the share of paragraphs above which a word is common.
	commonShare = 0.02
	// minCommon keeps small archives from calling every word common.
	minCommon = 200
	// keepRarest is how many words may be searched however common they all
	// are, budget permitting.
	keepRarest = 3
)

// termDF is a term and how many paragraphs hold it.
type termDF struct {
	term string
	df   uint64
}

// termStats looks up how many paragraphs hold a term, once per term and
// from one reader per collection searched, summed: a question's words and
// its phrases' words overlap, and a search of a server's collection with
// the shared library visits both.
type termStats struct {
	rs    []bleveindex.IndexReader // one per index; nil where none is read
	sizes []uint64                 // each index's paragraphs
	docs  uint64
	seen  map[string]uint64
}

func newTermStats(idxs ...bleve.Index) *termStats {
	s := &termStats{seen: map[string]uint64{}}
	for _, idx := range idxs {
		n, _ := idx.DocCount()
		s.docs += n
		var r bleveindex.IndexReader
		// Beside others, a collection too small for any word to be common
		// in it counts every paragraph for every word, an upper bound that
		// keeps the budget safe, without looking a word up in it: a
		// server's few stories then add next to nothing to a search of
		// the shared library.
		if n > minCommon || len(idxs) == 1 {
			if adv, err := idx.Advanced(); err == nil {
				r, _ = adv.Reader()
			}
		}
		s.rs = append(s.rs, r)
		s.sizes = append(s.sizes, n)
	}
	return s
}

// df is how many paragraphs hold term. A term whose frequency cannot be
// read counts as held by every paragraph, so it is never thought cheap.
func (s *termStats) df(term string) uint64 {
	if n, ok := s.seen[term]; ok {
		return n
	}
	var n uint64
	for i, r := range s.rs {
		count := s.sizes[i]
		if r != nil {
			if tfr, err := r.TermFieldReader(context.Background(), []byte(term), fieldText, false, false, false); err == nil {
				count = tfr.Count()
				tfr.Close()
			}
		}
		n += count
	}
	n = min(n, s.docs)
	s.seen[term] = n
	return n
}

func (s *termStats) close() {
	for _, r := range s.rs {
		if r != nil {
			r.Close()
		}
	}
}

// freqs pairs each term with its frequency, rarest first, and leaves out
// those no paragraph holds: they cannot match.
func (s *termStats) freqs(terms []string) []termDF {
	out := make([]termDF, 0, len(terms))
	for _, t := range terms {
		if df := s.df(t); df > 0 {
			out = append(out, termDF{t, df})
		}
	}
	slices.SortStableFunc(out, func(a, b termDF) int { return cmp.Compare(a.df, b.df) })
	return out
}

// choose keeps the terms worth searching among dfs (rarest first) in an
// archive of docs paragraphs: all but the common ones, and never fewer than
// keepRarest. Within one story every word helps to tell its paragraphs
// apart, and none visits more than the story holds, so all are kept.
func choose(dfs []termDF, inStory bool, docs uint64) []termDF {
	if inStory {
		return dfs
	}
	limit := max(uint64(commonShare*float64(docs)), minCommon)
	var out []termDF
	for i, d := range dfs {
		if i < keepRarest || d.df <= limit {
			out = append(out, d)
		}
	}
	return out
}
