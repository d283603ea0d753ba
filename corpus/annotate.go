package corpus

import (
	"time"

	"github.com/storybot/storybot/corpus/attrib"
	"github.com/storybot/storybot/corpus/text"
	"github.com/storybot/storybot/corpus/timex"
)

// Annotate finds the statements and time expressions of every paragraph.
// It runs once, when a story is loaded, so that answering never re-parses
// text. Each paragraph is read once by the text layer, and both
// extractors share that reading; the layer tags only the sentences an
// extractor looks at (sentences with a speech cue, or a time expression
// whose tense matters), which keeps loading a large archive cheap.
func Annotate(st *Story) {
	docs := make([]*text.Doc, len(st.Paragraphs))
	for i, p := range st.Paragraphs {
		docs[i] = text.Scan(p.Text)
	}
	stmts := attrib.Find(docs)
	times := timex.FindStory(docs, st.Published)
	for i := range st.Paragraphs {
		st.Paragraphs[i].Statements = stmts[i]
		st.Paragraphs[i].Times = times[i]
	}
}

// FindStatements finds the attributed statements in a story's paragraphs,
// given in body order; see package attrib.
func FindStatements(paragraphs []string) [][]Statement { return attrib.FindText(paragraphs) }

// FindTimes finds the time expressions of one paragraph and resolves them
// against the publication date (zero when unknown); see package timex.
func FindTimes(text string, published time.Time) []TimeExpr { return timex.Find(text, published) }
