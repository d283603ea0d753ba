package timex

import (
	"strings"

	"github.com/storybot/storybot/corpus/text"
)

// A bare "Friday" or "in April" in news means the most recent one, unless
// the verb that governs it looks forward ("will meet Friday", "is expected
// to join in April"). The governing verb is the nearest verb group of the
// clause, found by its part-of-speech tags, and its auxiliaries give the
// tense and aspect: "the plan Aug. 21" has no verb in "plan", and "had
// been scheduled for Friday" is past however forward "scheduled" looks.

type txTense uint8

const (
	txUnknown txTense = iota
	txPast
	txFuture
)

// txFutureCues point forward wherever they stand in the clause.
var txFutureCues = text.WordSet("will shall would plan plans planned planning schedule scheduled expected expects expect " +
	"due intends intend intended hopes hope aims slated upcoming likely ready willing tomorrow " +
	"begins starts opens expires resumes ends closes convenes")

// txPastCues are auxiliaries and markers of a finished event.
var txPastCues = text.WordSet("was were had did ago yesterday")

// txReportCues are speech verbs. They date the speaking, not what was said,
// so they count only right next to the expression: "said Friday".
var txReportCues = text.WordSet("said told announced reported added confirmed")

// txCueWindow is how many words back from the expression are searched.
const txCueWindow = 15

// tense reads the tense governing the tokens [i, j).
func (s *txScanner) tense(i, j int) txTense {
	if s.attributive(i, j) {
		// "the Jan. 9 shooting" names an event by its date; the clause's
		// verb is about something else ("police are still looking for …").
		s.tensed, s.lastTense = true, txUnknown
		return txUnknown
	}
	t := s.verbTense(i, j)
	if t == txUnknown {
		t = s.cueTense(i, j)
	}
	s.tensed, s.lastTense = true, t
	return t
}

// cueTense is the fallback when no verb governs the expression: the
// nearest word that points forward or back ("upcoming", "due", "ago").
func (s *txScanner) cueTense(i, j int) txTense {
	words := 0
	for k := i - 1; k >= 0 && words < txCueWindow; k-- {
		t := s.toks[k]
		if t.kind == txPunct {
			if s.sentenceEnd(k) {
				break
			}
			continue
		}
		words++
		if t.kind != txWord {
			continue
		}
		if s.inCompound(k) {
			continue // "lower-than-expected" is no verb
		}
		if ts := s.cueAt(k); ts != txUnknown {
			return ts
		}
		if txReportCues[t.low] && words <= 2 {
			return txPast
		}
	}
	// Nothing before: a fronted expression ("On Monday, the board will
	// vote") takes the tense of the words just after it.
	words = 0
	for k := j; k < len(s.toks) && words < 5; k++ {
		t := s.toks[k]
		if t.kind == txPunct {
			if s.sentenceEnd(k) {
				break
			}
			continue
		}
		words++
		switch t.low {
		case "will", "would", "shall":
			return txFuture
		case "is", "are":
			switch s.low(k + 1) {
			case "to", "expected", "scheduled", "due", "set", "slated", "likely", "going":
				return txFuture
			}
		case "was", "were", "had", "did", "said":
			return txPast
		}
	}
	return txUnknown
}

// cueAt reads the tense cue at word k, including the two-word ones.
func (s *txScanner) cueAt(k int) txTense {
	w := s.toks[k].low
	switch {
	case w == "ll" && k > 0 && s.isApostrophe(k-1):
		return txFuture
	case w == "going" || w == "set":
		if n := s.low(k + 1); n == "to" || n == "for" {
			return txFuture
		}
	case w == "to":
		// "is to resume trading", "to be completed"
		if p := s.low(k - 1); p == "is" || p == "are" || p == "am" {
			return txFuture
		}
		if s.low(k+1) == "be" {
			return txFuture
		}
	case txFutureCues[w]:
		return txFuture
	case txPastCues[w]:
		return txPast
	}
	return txUnknown
}

// inCompound reports whether word k is part of a hyphenated compound.
func (s *txScanner) inCompound(k int) bool {
	return (s.touching(k) && s.punct(k+1, "-")) || (s.touching(k-1) && s.punct(k-1, "-"))
}

func (s *txScanner) isApostrophe(k int) bool {
	if k < 0 || k >= len(s.toks) {
		return false
	}
	t := s.toks[k].text
	return t == "'" || t == "’"
}

// sentenceEnd reports whether the punctuation token k ends a sentence
// or a clause that a time expression's verb cannot reach past.
func (s *txScanner) sentenceEnd(k int) bool {
	switch s.toks[k].text {
	case "!", "?", ";":
		return true
	}
	return s.toks[k].ends
}

// futureLeads take an infinitive about what is to come: "expected to vote".
var futureLeads = text.WordSet("expected scheduled set due planned plans plan planning going hopes hope hoped aims aim intends intend " +
	"intended slated ready likely poised is are am")

// forwardParticiples look ahead even without a future auxiliary: "the vote,
// scheduled for Friday", "is expected Friday".
var forwardParticiples = text.WordSet("scheduled expected set due planned slated")

// reportVerbs date the speaking, not what was said: they govern only a time
// right after them, "said Friday".
var reportVerbs = text.WordSet("said says say told tells announced announces reported reports added adds confirmed confirms " +
	"stated wrote noted")

// verbTense finds the verb group that governs the tokens [i, j) and
// reads its tense: the nearest one before the expression within its
// clause, or else, for a fronted expression ("On Monday, the board will
// vote"), the first one after it.
func (s *txScanner) verbTense(i, j int) txTense {
	d := s.doc
	if d == nil || len(d.Tokens) == 0 {
		return txUnknown
	}
	ti, tj := s.toks[i].tok, s.toks[j-1].tok
	si := d.Sentence(ti)
	d.TagPOS(si)
	sent := d.Sentences[si]
	for k, n := ti-1, 0; k >= sent.From && n < txCueWindow; k, n = k-1, n+1 {
		p := d.Tokens[k].POS
		if p == ":" || p == "." {
			break
		}
		if !isVerbTag(p) {
			continue
		}
		w := strings.ToLower(d.Tokens[k].Text)
		if reportVerbs[w] && ti-k > 3 {
			break // what was said has its own tense; the verbs before "said" date the saying
		}
		if p == "VBN" && k+1 < len(d.Tokens) && strings.HasPrefix(d.POS(k+1), "NN") && (k == 0 || !isVerbTag(d.Tokens[k-1].POS)) {
			continue // "preferred shares": an adjective
		}
		t := s.groupTense(k, sent.From)
		if t == txPast && d.Tokens[k].POS == "VBD" && s.futureBefore(k, sent.From) {
			// A bare past verb under a future one is a clause inside the
			// future ("will redeem … preferred shares on Oct. 31", "likely
			// to buy as soon as trading opened Monday"), or a mistagged noun.
			return txFuture
		}
		if t != txUnknown {
			return t
		}
	}
	// A fronted expression takes the tense of the finite verb after it.
	for k := tj + 1; k < sent.To && k-tj <= 6; k++ {
		if !isVerbTag(d.Tokens[k].POS) {
			continue
		}
		w := strings.ToLower(d.Tokens[k].Text)
		switch {
		case w == "will" || w == "would" || w == "shall" || w == "'ll" || w == "’ll":
			return txFuture
		case w == "is" || w == "are":
			if k+1 < sent.To && futureLeads[strings.ToLower(d.Tokens[k+1].Text)] || k+1 < sent.To && d.Tokens[k+1].POS == "TO" {
				return txFuture
			}
		case d.Tokens[k].POS == "VBD":
			return txPast
		}
		return txUnknown
	}
	return txUnknown
}

func isVerbTag(p string) bool { return strings.HasPrefix(p, "VB") || p == "MD" }

// groupTense reads the tense of the verb group whose last verb is token k:
// its auxiliaries back to from, and an infinitive's lead ("is expected to").
func (s *txScanner) groupTense(k, from int) txTense {
	toks := s.doc.Tokens
	head := strings.ToLower(toks[k].Text)
	hp := toks[k].POS
	var aux []string
	a := k - 1
	for a >= from && (isVerbTag(toks[a].POS) || toks[a].POS == "RB" || toks[a].POS == "TO") && k-a <= 5 {
		aux = append(aux, strings.ToLower(toks[a].Text))
		a--
	}
	has := func(ws ...string) bool {
		for _, x := range aux {
			for _, w := range ws {
				if x == w {
					return true
				}
			}
		}
		return false
	}
	switch {
	case has("will", "'ll", "’ll", "shall", "wo", "would"):
		return txFuture
	case has("had"):
		return txPast // "had been scheduled for Friday"
	}
	if len(aux) > 0 && aux[0] == "to" || hp == "VB" && k > from && toks[k-1].POS == "TO" {
		// An infinitive: "is expected to vote Friday", "plans to open in May".
		lead := k - 1
		for lead >= from && (toks[lead].POS == "TO" || toks[lead].POS == "RB" || toks[lead].Text == "be") {
			lead--
		}
		if lead >= from && futureLeads[strings.ToLower(toks[lead].Text)] {
			return txFuture
		}
		if lead >= from && isVerbTag(toks[lead].POS) {
			return s.groupTense(lead, from)
		}
		return txUnknown
	}
	if forwardParticiples[head] && (hp == "VBN" || hp == "JJ" || hp == "VBD") {
		return txFuture // "was planned for early March"; "had been" was read above
	}
	switch hp {
	case "MD":
		return txUnknown // "could", "may": mood, not time
	case "VBD":
		return txPast
	case "VBN":
		if has("is", "are", "am", "be", "being") {
			return txUnknown
		}
		return txPast
	case "VBG":
		switch {
		case has("is", "are", "am"):
			return txFuture // "is meeting Friday"
		case has("was", "were"):
			return txPast
		}
		return txUnknown
	case "VBZ", "VBP":
		if reportVerbs[head] {
			return txPast
		}
		if len(aux) > 0 && (aux[0] == "has" || aux[0] == "have") {
			return txPast
		}
		// The present is ambiguous ("follows Tuesday's move", "opens
		// Friday"): the fallback's word cues decide.
		return txUnknown
	}
	if has("did", "was", "were") {
		return txPast
	}
	return txUnknown
}

// futureBefore reports whether a future auxiliary or a future lead with
// an infinitive ("likely to", "expected to") comes before token k in the
// sentence.
func (s *txScanner) futureBefore(k, from int) bool {
	// The sentence is read once for its first future word, not back from
	// each verb: a sentence with no full stop may be the whole story.
	if s.futureFrom != from+1 {
		s.futureFrom, s.futureAt = from+1, -1
		toks := s.doc.Tokens
		to := s.doc.Sentences[s.doc.Sentence(from)].To
		for a := from; a < to && s.futureAt < 0; a++ {
			w := strings.ToLower(toks[a].Text)
			switch {
			case w == "will" || w == "shall" || w == "'ll" || w == "’ll":
				s.futureAt = a
			case w == "to" && a > from && futureLeads[strings.ToLower(toks[a-1].Text)] && toks[a-1].POS != "VBZ" && toks[a-1].POS != "VBP":
				s.futureAt = a
			}
		}
	}
	return s.futureAt >= 0 && s.futureAt < k
}

// attributive reports whether the expression [i, j) stands between "the"
// and a noun, as a modifier of that noun.
func (s *txScanner) attributive(i, j int) bool {
	d := s.doc
	if d == nil || j >= len(s.toks) || s.low(i-1) != "the" || s.toks[j].kind != txWord {
		return false
	}
	k := s.toks[j].tok
	si := d.Sentence(k)
	d.TagPOS(si)
	return strings.HasPrefix(d.POS(k), "NN") && !strings.HasPrefix(d.POS(k), "NNP")
}
