package timex

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
	// Confidence is how likely Value is right, from 0 to 1: the share of
	// expressions read the same way that were right on the evaluation
	// data (see docs/LANGUAGE.md). It is 0 when Value is empty.
	Confidence float64 `json:"confidence,omitempty"`
}

// Resolved reports whether the expression has a calendar value.
func (t TimeExpr) Resolved() bool { return t.Value != "" }
