package answer

import "strings"

// whoAnswer names the speaker of the statement that best matches the
// question in the best passage.
func whoAnswer(a *Answer, c *candidate) {
	s := c.stmt
	if s == nil || s.Speaker == "" {
		a.Note = "The best passage does not say who said it."
		return
	}
	if unnamed[strings.ToLower(s.Speaker)] {
		// A pronoun the story never resolves names no one; quoting it as
		// the answer would look like one.
		a.Note = "The best passage attributes it only to “" + s.Speaker + "”, without a name."
		return
	}
	a.Answer = s.Speaker
	a.Description = s.Description
	a.Quote = s.Quote
	if s.End > s.Start {
		a.Span = &Span{s.Start, s.End}
	}
}

// unnamed are speakers that are no name at all.
var unnamed = map[string]bool{"it": true, "he": true, "she": true, "they": true, "we": true, "i": true,
	"you": true, "this": true, "that": true, "who": true}
