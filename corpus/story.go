// Package corpus reads news stories and works out what they say: their
// paragraphs, publication date, attributed statements and time expressions.
// It is plain Go: no search engine and no Discord.
package corpus

import "time"

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
type Statement struct {
	// Speaker is the fullest name the story gives for whoever spoke,
	// e.g. "Abdul Qahar Balkhi" for a later "Balkhi" or "he".
	Speaker string `json:"speaker"`
	// Mention is the speaker as written next to the cue: "he", "the ministry".
	Mention string `json:"mention,omitempty"`
	// Description is what the story calls the speaker, e.g.
	// "Afghanistan Ministry of Foreign Affairs spokesman".
	Description string `json:"description,omitempty"`
	// Quote is the content of the statement, without surrounding quotation marks.
	Quote string `json:"quote"`
	// Cue is the verb or phrase that introduces it: "said", "wrote on Twitter", "according to".
	Cue string `json:"cue,omitempty"`
	// Direct is true for quoted words, false for reported speech.
	Direct bool `json:"direct"`
	// Start and End are the byte offsets of Quote within the paragraph text.
	Start int `json:"start"`
	End   int `json:"end"`
}

// Precision says how much of a TimeExpr's Value is meaningful.
type Precision string

const (
	Decade Precision = "decade"
	Year   Precision = "year"
	Month  Precision = "month"
	Day    Precision = "day"
	Minute Precision = "minute"
)

// TimeExpr is a time expression found in a paragraph.
type TimeExpr struct {
	// Text is the expression as written, e.g. "late on Wednesday".
	Text string `json:"text"`
	// Start and End are byte offsets of Text within the paragraph text.
	Start int `json:"start"`
	End   int `json:"end"`
	// Value is ISO 8601 at the given precision: "2022", "2022-02",
	// "2022-02-23", "2022-02-25T06:35", or "199" for the 1990s.
	// It is empty when the expression is relative and the publication date is unknown.
	Value     string    `json:"value,omitempty"`
	Precision Precision `json:"precision"`
	// Relative is true when the value was worked out from the publication date.
	Relative bool `json:"relative,omitempty"`
}

// Resolved reports whether the expression has a calendar value.
func (t TimeExpr) Resolved() bool { return t.Value != "" }
