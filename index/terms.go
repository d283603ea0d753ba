package index

import (
	"slices"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
)

// analyzer is the text field's analyzer, to turn a question into the terms
// the index holds.
var analyzer = newMapping().(*mapping.IndexMappingImpl).AnalyzerNamed(textAnalyzer)

// queryTerms analyses text into distinct index terms, in order.
func queryTerms(text string) []string {
	var terms []string
	for _, tok := range analyzer.Analyze([]byte(text)) {
		t := string(tok.Term)
		if !slices.Contains(terms, t) {
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
	// keepRarest is how many words are searched however common they all are.
	keepRarest = 3
)

// driverTerms picks the terms worth searching in a scope: all but the
// common ones, and never fewer than keepRarest. Counts are summed over the
// scope's collections. On any error it keeps them all.
func driverTerms(parts []searchable, terms []string) []string {
	if len(terms) <= keepRarest {
		return terms
	}
	var docs uint64
	for _, p := range parts {
		n, err := p.gen.idx.DocCount()
		if err != nil {
			return terms
		}
		docs += n
	}
	limit := max(uint64(commonShare*float64(docs)), minCommon)
	type tf struct {
		term string
		df   uint64
	}
	dfs := make([]tf, 0, len(terms))
	for _, t := range terms {
		var df uint64
		for _, p := range parts {
			n, err := docFreq(p.gen.idx, t)
			if err != nil {
				return terms
			}
			df += n
		}
		if df > 0 {
			dfs = append(dfs, tf{t, df})
		}
	}
	slices.SortStableFunc(dfs, func(a, b tf) int {
		switch {
		case a.df < b.df:
			return -1
		case a.df > b.df:
			return 1
		}
		return 0
	})
	var out []string
	for i, d := range dfs {
		if i < keepRarest || d.df <= limit {
			out = append(out, d.term)
		}
	}
	return out
}

// docFreq is how many paragraphs hold term.
func docFreq(idx bleve.Index, term string) (uint64, error) {
	d, err := idx.FieldDictRange(fieldText, []byte(term), []byte(term))
	if err != nil {
		return 0, err
	}
	defer d.Close()
	var n uint64
	for {
		e, err := d.Next()
		if err != nil {
			return 0, err
		}
		if e == nil {
			return n, nil
		}
		if e.Term == term {
			n += e.Count
		}
	}
}
