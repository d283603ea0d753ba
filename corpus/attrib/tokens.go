package attrib

import (
	"github.com/storybot/storybot/corpus/text"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind classifies the tokens the attribution scanner works on.
type tokKind uint8

const (
	tkWord     tokKind = iota
	tkPunct            // , ; : ( ) — and the like
	tkEnd              // . ! ? that may end a sentence
	tkOpenQ            // “ or a ” misused as an opener
	tkCloseQ           // ”
	tkStraight         // " or '' whose role depends on position
	tkNL               // line break inside a paragraph
)

type token struct {
	s, e int
	text string
	kind tokKind
	// quote is the index of the quotation holding the token, or -1.
	quote int
	// sentStart marks the first token of a sentence.
	sentStart bool
	// pos is the text layer's part-of-speech tag (the word's, for a word
	// with its clitic), set by paraScan.tagSentence for the sentences that need it.
	pos string
	// k is the index of the text layer's token (the word's, for a word
	// with its clitic); -1 for a line break.
	k int
}

// quoteSpan is one quotation: the bytes between its marks and the tokens
// of its marks. close is -1 when the quotation is never closed.
type quoteSpan struct {
	s, e        int
	open, close int
}

// tokens reads a paragraph's tokens from the text layer, in the form the
// scanner works on: a clitic stays on its word ("Trump’s", "don't", the
// "Davis'" of a plural possessive), so that a speaker phrase is a run of
// words; quotation marks get their roles; line breaks become tokens; and
// sentence starts are the layer's, except inside quotations, which the
// scanner reads as one clause with their attribution.
func tokens(d *text.Doc) ([]token, []quoteSpan) {
	p := d.Text
	toks := make([]token, 0, len(d.Tokens)+2)
	starts := make(map[int]bool, len(d.Sentences))
	for _, s := range d.Sentences {
		starts[s.Start] = true
	}
	prevEnd := 0
	for k, t := range d.Tokens {
		if strings.Contains(p[prevEnd:t.Start], "\n") && len(toks) > 0 {
			nl := prevEnd + strings.Index(p[prevEnd:t.Start], "\n")
			toks = append(toks, token{s: nl, e: nl + 1, text: p[nl : nl+1], kind: tkNL, k: -1})
		}
		prevEnd = t.End
		if n := len(toks); n > 0 && toks[n-1].kind == tkWord && toks[n-1].e == t.Start && isClitic(p, d.Tokens, k) {
			toks[n-1].e = t.End
			toks[n-1].text = p[toks[n-1].s:t.End]
			continue
		}
		tk := token{s: t.Start, e: t.End, text: t.Text, sentStart: starts[t.Start], pos: t.POS, k: k}
		r, _ := utf8.DecodeRuneInString(t.Text)
		switch {
		case t.Text == "“" || t.Text == "``":
			tk.kind = tkOpenQ
		case t.Text == "”":
			tk.kind = tkCloseQ
		case t.Text == "\"" || t.Text == "''":
			tk.kind = tkStraight
		case r == '.' || r == '!' || r == '?':
			tk.kind = tkEnd
		case isWordRune(r):
			tk.kind = tkWord
		default:
			tk.kind = tkPunct
		}
		toks = append(toks, tk)
	}
	quotes := markQuotes(p, toks)
	if len(toks) > 0 {
		toks[0].sentStart = true
	}
	for i := 1; i < len(toks); i++ {
		switch {
		case toks[i-1].kind == tkNL:
			toks[i].sentStart = true
		case toks[i].quote >= 0 && toks[i-1].kind != tkOpenQ && toks[i-1].kind != tkStraight:
			toks[i].sentStart = false
		}
	}
	capSentences(toks)
	return toks, quotes
}

// maxSentence is the longest sentence, in tokens, that the scanner reads
// whole. Reported speech runs to the end of its sentence, so in one of
// thousands of clauses with no full stop (a feed item may be one) each
// content would hold most of the sentence, and a paragraph's statements
// the square of its length. Like a tagger's limit on sentence length, a
// longer sentence is read in pieces. No sentence of the dev and training
// articles comes near the limit: the longest has 329 tokens.
const maxSentence = 500

// capSentences cuts each sentence of more than maxSentence tokens outside
// quotations into pieces of at least half that many, after a comma,
// "and", "but" or semicolon where it can. A quotation is never cut and
// does not count: the scanner reads one with its attribution, and finds
// no cues inside it.
func capSentences(toks []token) {
	for from := 0; from < len(toks); {
		to := from + 1
		for to < len(toks) && !toks[to].sentStart {
			to++
		}
		if to-from > maxSentence {
			n := 0
			for x := from + 1; x < to; x++ {
				if toks[x].quote >= 0 {
					continue
				}
				if n++; toks[x-1].quote >= 0 || n < maxSentence/2 {
					continue
				}
				if n >= maxSentence || clauseJoint(lower(toks[x-1].text)) {
					toks[x].sentStart, n = true, 0
				}
			}
		}
		from = to
	}
}

// isClitic reports whether text token k is a clitic that the scanner keeps
// on the word before it: "’s", "n't", "'re", or the apostrophe of "Davis'
// commentary".
func isClitic(p string, toks []text.Token, k int) bool {
	switch w := strings.ToLower(toks[k].Text); w {
	case "'s", "’s", "n't", "n’t", "'re", "’re", "'ve", "’ve", "'ll", "’ll", "'d", "’d", "'m", "’m":
		return true
	case "'", "’":
		e := toks[k].End
		return toks[k-1].Text[len(toks[k-1].Text)-1] == 's' && e+1 < len(p) && p[e] == ' ' && unicode.IsLower(rune(p[e+1]))
	}
	return false
}

// markQuotes pairs quotation marks and labels every token with the
// quotation that holds it. A quotation left open at a line break or the end
// of the paragraph runs to there.
func markQuotes(p string, toks []token) []quoteSpan {
	var quotes []quoteSpan
	open := -1
	closeAt := func(closeTok, end int) {
		quotes = append(quotes, quoteSpan{s: toks[open].e, e: end, open: open, close: closeTok})
		open = -1
	}
	for i := range toks {
		t := &toks[i]
		t.quote = -1
		switch t.kind {
		case tkOpenQ:
			if open >= 0 {
				closeAt(-1, t.s)
			}
			open = i
		case tkCloseQ:
			if open >= 0 {
				closeAt(i, t.s)
			} else if i+1 < len(toks) && toks[i+1].kind == tkWord && (i == 0 || toks[i-1].kind == tkNL || toks[i-1].kind == tkEnd) {
				// Some sites open quotations with a closing mark.
				t.kind = tkOpenQ
				open = i
			}
		case tkStraight:
			if open >= 0 {
				closeAt(i, t.s)
			} else {
				open = i
			}
		case tkNL:
			if open >= 0 {
				closeAt(-1, t.s)
			}
		}
	}
	if open >= 0 {
		closeAt(-1, len(p))
	}
	for qi, q := range quotes {
		end := q.close
		if end < 0 {
			end = len(toks)
			for k := q.open + 1; k < len(toks); k++ {
				if toks[k].s >= q.e {
					end = k
					break
				}
			}
		}
		for k := q.open + 1; k < end; k++ {
			toks[k].quote = qi
		}
	}
	return quotes
}

func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

func startsLower(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r)
}

// tagSentence gives the tokens of the sentence that holds token i their
// parts of speech from the text layer, which tags the sentences holding
// them if it has not yet. Each sentence is read once: a story may be one
// sentence of thousands of cues, and reading it again for each was the
// square of its length.
func (sc *paraScan) tagSentence(i int) {
	si := sc.sentenceOf(i)
	if sc.posRead[si] {
		return
	}
	sc.posRead[si] = true
	from, to := sc.sentenceBounds(i)
	for x := from; x < to; x++ {
		if k := sc.toks[x].k; k >= 0 && sc.toks[x].pos == "" {
			sc.toks[x].pos = sc.doc.POS(k)
		}
	}
}

// sentenceStarts returns the first token of each sentence, ascending.
func sentenceStarts(toks []token) []int {
	var starts []int
	for i, t := range toks {
		if i == 0 || t.sentStart {
			starts = append(starts, i)
		}
	}
	return starts
}

// sentenceOf returns the index of the sentence that holds token i.
func (sc *paraScan) sentenceOf(i int) int {
	n, _ := slices.BinarySearch(sc.sentStarts, i+1)
	return n - 1
}

// sentenceBounds returns the token range [from, to) of the sentence that
// holds token i. The starts are looked up, not walked to: walking made
// each cue of a long sentence cost its length.
func (sc *paraScan) sentenceBounds(i int) (int, int) {
	si := sc.sentenceOf(i)
	to := len(sc.toks)
	if si+1 < len(sc.sentStarts) {
		to = sc.sentStarts[si+1]
	}
	return sc.sentStarts[si], to
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
