// Package index keeps the story paragraphs in a bleve index: it builds it,
// swaps a rebuilt one in atomically, and searches it with queries that user
// text can never turn into bleve syntax. No other package imports bleve.
package index

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"
)

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
	text.Analyzer = en.AnalyzerName
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
	m.DefaultMapping = doc
	m.DefaultAnalyzer = en.AnalyzerName
	m.ScoringModel = "bm25"
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	return m
}
