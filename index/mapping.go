// Package index keeps the story paragraphs in a bleve index: it builds it,
// swaps a rebuilt one in atomically, and searches it with queries that user
// text can never turn into bleve syntax. No other package imports bleve.
package index

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
)

// textAnalyzer is bleve's English analysis ("en") with accents folded
// first, so that "Afghanistán" finds "Afghanistan" and "Sao Paulo" finds
// "São Paulo": stories and the people asking about them spell names from
// other languages either way.
const textAnalyzer = "en_folded"

// textAnalyzerConfig is the "en" chain of bleve with the folding added.
var textAnalyzerConfig = map[string]any{
	"type":          custom.Name,
	"char_filters":  []string{asciifolding.Name},
	"tokenizer":     unicode.Name,
	"token_filters": []string{en.PossessiveName, lowercase.Name, en.StopName, porter.Name},
}

// Field names of a paragraph document.
const (
	fieldStory     = "story"
	fieldParagraph = "paragraph"
	fieldHeadline  = "headline"
	fieldText      = "text"
	fieldPublished = "published"
	fieldSource    = "source"
	fieldURL       = "url"
	fieldAnn       = "ann"
)

func newMapping() mapping.IndexMapping {
	// Stored-only fields are returned with hits but cost nothing to search.
	stored := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Index = false
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	text := bleve.NewTextFieldMapping()
	text.Analyzer = textAnalyzer
	// Term vectors hold positions, which phrase queries need.
	text.IncludeTermVectors = true
	text.IncludeInAll = false

	story := bleve.NewKeywordFieldMapping()
	story.Analyzer = keyword.Name
	story.IncludeInAll = false

	para := bleve.NewNumericFieldMapping()
	para.IncludeInAll = false
	para.Index = false

	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(fieldStory, story)
	doc.AddFieldMappingsAt(fieldParagraph, para)
	doc.AddFieldMappingsAt(fieldHeadline, stored())
	doc.AddFieldMappingsAt(fieldText, text)
	doc.AddFieldMappingsAt(fieldPublished, stored())
	doc.AddFieldMappingsAt(fieldSource, stored())
	doc.AddFieldMappingsAt(fieldURL, stored())
	doc.AddFieldMappingsAt(fieldAnn, stored())

	m := bleve.NewIndexMapping()
	if err := m.AddCustomAnalyzer(textAnalyzer, textAnalyzerConfig); err != nil {
		panic("index: the text analyzer is misconfigured: " + err.Error()) // a build defect, caught by every test
	}
	m.DefaultMapping = doc
	m.DefaultAnalyzer = textAnalyzer
	m.ScoringModel = "bm25"
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	return m
}
