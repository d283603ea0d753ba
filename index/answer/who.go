package answer

// whoAnswer names the speaker of the statement that best matches the
// question in the best passage.
func whoAnswer(a *Answer, c *candidate) {
	s := c.stmt
	if s == nil || s.Speaker == "" {
		a.Note = "The best passage does not say who said it."
		return
	}
	a.Answer = s.Speaker
	a.Description = s.Description
	a.Quote = s.Quote
	if s.End > s.Start {
		a.Span = &Span{s.Start, s.End}
	}
}
