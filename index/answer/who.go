package answer

import (
	"strings"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/corpus/text"
)

// statementFeatures are what the choice among a passage's statements knows
// about each one. Their weights are learned (see Train).
var statementFeatures = []string{
	"quote",      // share of the question's weight in the statement's quote
	"precision",  // share of the quote's words that the question has
	"bigrams",    // share of the question's word pairs found side by side in the quote
	"phrase",     // a part of the question in quotation marks is in the quote
	"named",      // the statement names its speaker
	"direct",     // the quote is in quotation marks
	"attributed", // how sure the attribution finder is of the speaker
}

const (
	tfQuote = iota
	tfPrecision
	tfBigrams
	tfPhrase
	tfNamed
	tfDirect
	tfAttributed
	tfCount
)

// whoOptions lists the statements of the best passage.
func whoOptions(q question, qw map[string]float64, c *candidate) []option {
	qt := tokenize(q.Search)
	var out []option
	for i := range c.hit.Statements {
		s := &c.hit.Statements[i]
		f := make([]float64, tfCount)
		qtoks := tokenize(s.Quote)
		f[tfQuote], _ = coverage(qw, qtoks)
		var content, shared int
		for _, t := range qtoks {
			if t.Stem == "" {
				continue
			}
			content++
			if _, ok := qw[t.Stem]; ok {
				shared++
			}
		}
		if content > 0 {
			f[tfPrecision] = float64(shared) / float64(content)
		}
		f[tfBigrams] = bigramShare(qt, qtoks)
		low := strings.ToLower(s.Quote)
		for _, p := range q.Phrases {
			if strings.Contains(low, strings.ToLower(p)) {
				f[tfPhrase] = 1
			}
		}
		if named(s) {
			f[tfNamed] = 1
		}
		if s.Direct {
			f[tfDirect] = 1
		}
		f[tfAttributed] = s.Confidence
		out = append(out, option{span: Span{s.Start, s.End}, feat: f, stmt: s})
	}
	return out
}

// named reports whether a statement gives its speaker a name.
func named(s *corpus.Statement) bool {
	return s.Speaker != "" && !unnamed[strings.ToLower(s.Speaker)]
}

// whoAnswer names the speaker of the chosen statement.
func whoAnswer(a *Answer, ch choice) {
	if ch.opt == nil {
		a.Note = "The best passage does not say who said it."
		return
	}
	s := ch.opt.stmt
	if s.Speaker == "" {
		a.Note = "The best passage does not say who said it."
		return
	}
	if !named(s) {
		// A pronoun the story never resolves names no one; quoting it as
		// the answer would look like one.
		a.Note = "The best passage attributes it only to “" + s.Speaker + "”, without a name."
		return
	}
	a.Answer, a.Description = nameWithRole(s)
	a.Answer = capitalArticle(a.Answer)
	a.Quote = s.Quote
	if s.End > s.Start {
		a.Span = &Span{s.Start, s.End}
	}
}

// nameWithRole names a speaker the way the story does: a title or role
// written before the name stays in front of the full name ("Republican
// National Committee Research Director Raj Shah", "Russian President
// Vladimir Putin"); what an apposition said stays the description. A
// bare "Mr." or "Dr." before a full name would read oddly and goes.
func nameWithRole(s *corpus.Statement) (name, desc string) {
	role, rest, _ := strings.Cut(s.Description, ", ")
	if role == "" || text.IsHonorific(role) || !strings.HasPrefix(s.Mention, role+" ") ||
		strings.Contains(strings.ToLower(s.Speaker), strings.ToLower(role)) {
		return s.Speaker, s.Description
	}
	return role + " " + s.Speaker, rest
}

// capitalArticle writes a leading article with a capital. A speaker is
// named as the story wrote it, and the story capitalises "The" only at
// the start of a sentence: "The Ukrainian Ministry of Defense" and "the
// United Nations" would be named in two styles side by side.
func capitalArticle(name string) string {
	for _, a := range []string{"the ", "a ", "an "} {
		if strings.HasPrefix(name, a) {
			return strings.ToUpper(name[:1]) + name[1:]
		}
	}
	return name
}

// unnamed are speakers that are no name at all.
var unnamed = map[string]bool{"it": true, "he": true, "she": true, "they": true, "we": true, "i": true,
	"you": true, "this": true, "that": true, "who": true}
