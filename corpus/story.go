// Package corpus reads news stories and works out what they say: their
// paragraphs, publication date, attributed statements and time expressions.
// It is plain Go: no search engine and no Discord.
package corpus

import (
	"time"

	"github.com/storybot/storybot/corpus/attrib"
	"github.com/storybot/storybot/corpus/timex"
)

// Story is one article, split into body paragraphs.
type Story struct {
	// ID is the story's file name, e.g. "taliban-call-for-russia-ukraine-peace.txt".
	ID       string `json:"id"`
	Headline string `json:"headline"`
	Source   string `json:"source,omitempty"`
	URL      string `json:"url,omitempty"`
	Author   string `json:"author,omitempty"`
	License  string `json:"license,omitempty"`
	// Published is the publication date; the zero value means unknown.
	Published time.Time `json:"published,omitzero"`
	// Paragraphs are numbered from 0 in body order; the headline is not one.
	Paragraphs []Paragraph `json:"paragraphs"`
}

// Paragraph is one body paragraph with what was found in it.
type Paragraph struct {
	Index      int         `json:"index"`
	Text       string      `json:"text"`
	Statements []Statement `json:"statements,omitempty"`
	Times      []TimeExpr  `json:"times,omitempty"`
}

// DateKnown reports whether the story's publication date is known.
func (s *Story) DateKnown() bool { return !s.Published.IsZero() }

// PublishedISO is the publication date as YYYY-MM-DD, or "" when unknown.
func (s *Story) PublishedISO() string {
	if !s.DateKnown() {
		return ""
	}
	return s.Published.Format(time.DateOnly)
}

// Statement is something a speaker said, directly or in reported speech.
// Package attrib finds them.
type Statement = attrib.Statement

// Precision says how much of a TimeExpr's Value is meaningful.
type Precision = timex.Precision

const (
	Decade = timex.Decade
	Year   = timex.Year
	Month  = timex.Month
	Day    = timex.Day
	Minute = timex.Minute
)

// TimeExpr is a time expression found in a paragraph. Package timex finds them.
type TimeExpr = timex.TimeExpr
