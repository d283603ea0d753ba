package timex

import "github.com/storybot/storybot/corpus/text"

// A bare "Friday" or "in April" in news means the most recent one, unless
// the verb that governs it looks forward ("will meet Friday", "is expected
// to join in April"). Full parsing is out of reach at index time, so the
// nearest tense cue within the clause decides.

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

// tense guesses the tense governing the tokens [i, j).
func (s *txScanner) tense(i, j int) txTense {
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

// sentenceEnd reports whether the punctuation token k ends a sentence.
func (s *txScanner) sentenceEnd(k int) bool {
	switch s.toks[k].text {
	case "!", "?", ";":
		return true
	case ".":
		if k == 0 {
			return true
		}
		p := s.toks[k-1]
		if p.kind == txWord && (txAbbrevs[p.low] || len(p.low) == 1) {
			return false
		}
		return true
	}
	return false
}
