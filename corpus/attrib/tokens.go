package attrib

import (
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
}

// quoteSpan is one quotation: the bytes between its marks and the tokens
// of its marks. close is -1 when the quotation is never closed.
type quoteSpan struct {
	s, e        int
	open, close int
}

// abbrevs end with a period that does not end a sentence. Keeping the
// period on the word also keeps "Sen." or "Gov." recognisable as titles.
var abbrevs = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "gov": true, "sen": true, "sens": true,
	"rep": true, "reps": true, "del": true, "lt": true, "gen": true, "col": true, "capt": true,
	"sgt": true, "maj": true, "adm": true, "cmdr": true, "st": true, "jr": true, "sr": true,
	"prof": true, "pres": true, "rev": true, "hon": true, "gens": true, "cpl": true, "pvt": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true,
	"sep": true, "sept": true, "oct": true, "nov": true, "dec": true, "no": true, "vs": true,
	"inc": true, "corp": true, "co": true, "ltd": true, "mt": true, "ft": true, "est": true,
	"approx": true, "dept": true, "univ": true, "assn": true, "bros": true, "messrs": true,
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// tokenize splits a paragraph into tokens and marks quotations and
// sentence starts. It never allocates strings: token texts are slices of p.
func tokenize(p string) ([]token, []quoteSpan) {
	toks := make([]token, 0, len(p)/5+4)
	i := 0
	for i < len(p) {
		r, n := utf8.DecodeRuneInString(p[i:])
		switch {
		case r == '\n':
			toks = append(toks, token{s: i, e: i + n, text: p[i : i+n], kind: tkNL})
			i += n
		case unicode.IsSpace(r):
			i += n
		case r == '“':
			toks = append(toks, token{s: i, e: i + n, text: p[i : i+n], kind: tkOpenQ})
			i += n
		case r == '”':
			toks = append(toks, token{s: i, e: i + n, text: p[i : i+n], kind: tkCloseQ})
			i += n
		case r == '"':
			toks = append(toks, token{s: i, e: i + n, text: p[i : i+n], kind: tkStraight})
			i += n
		case r == '\'' && strings.HasPrefix(p[i:], "''"):
			toks = append(toks, token{s: i, e: i + 2, text: p[i : i+2], kind: tkStraight})
			i += 2
		case r == '.' || r == '!' || r == '?':
			j := i + 1
			for j < len(p) && (p[j] == '.' || p[j] == '!' || p[j] == '?') {
				j++
			}
			toks = append(toks, token{s: i, e: j, text: p[i:j], kind: tkEnd})
			i = j
		case isWordRune(r):
			j := scanWord(p, i)
			toks = append(toks, token{s: i, e: j, text: p[i:j], kind: tkWord})
			i = j
		default:
			toks = append(toks, token{s: i, e: i + n, text: p[i : i+n], kind: tkPunct})
			i += n
		}
	}
	quotes := markQuotes(p, toks)
	markSentences(toks)
	return toks, quotes
}

// scanWord reads a word from i. Internal apostrophes, hyphens, slashes,
// ampersands and periods stay inside ("O’Neill", "R-Ky.", "9/11", "U.S."),
// and a trailing period stays on abbreviations and initials.
func scanWord(p string, i int) int {
	j := i
	for j < len(p) {
		r, n := utf8.DecodeRuneInString(p[j:])
		if isWordRune(r) {
			j += n
			continue
		}
		if r == '\'' || r == '’' || r == '-' || r == '/' || r == '&' || r == '.' {
			if j+n < len(p) {
				r2, _ := utf8.DecodeRuneInString(p[j+n:])
				if isWordRune(r2) && !(r == '\'' && j+n < len(p) && p[j+n] == '\'') {
					j += n
					continue
				}
			}
		}
		break
	}
	if j < len(p) && p[j] == '.' {
		w := p[i:j]
		if strings.Contains(w, ".") || abbrevs[strings.ToLower(w)] || isAffiliation(w) ||
			(utf8.RuneCountInString(w) == 1 && unicode.IsUpper([]rune(w)[0])) {
			// "U.S." and initials; but "U.S." at a paragraph end is still kept
			// whole, which only costs a missed sentence boundary.
			j++
		}
	}
	// A plural possessive such as "Davis' commentary".
	if j < len(p) && (p[j] == '\'' || strings.HasPrefix(p[j:], "’")) && p[j-1] == 's' {
		_, n := utf8.DecodeRuneInString(p[j:])
		if j+n < len(p) && p[j+n] == ' ' && j+n+1 < len(p) && unicode.IsLower(rune(p[j+n+1])) {
			j += n
		}
	}
	return j
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

// markSentences flags sentence starts outside quotations: after . ! ? when
// a capital or a quotation follows, and after line breaks.
func markSentences(toks []token) {
	if len(toks) > 0 {
		toks[0].sentStart = true
	}
	for i := 0; i < len(toks)-1; i++ {
		t := toks[i]
		switch {
		case t.kind == tkNL:
			toks[i+1].sentStart = true
		case t.kind == tkEnd && t.quote < 0:
			n := toks[i+1]
			if n.kind == tkOpenQ || n.kind == tkStraight || n.kind == tkNL || (n.kind == tkWord && startsUpper(n.text)) {
				toks[i+1].sentStart = true
			}
		case t.kind == tkCloseQ || (t.kind == tkStraight && t.quote < 0 && i > 0 && toks[i-1].quote >= 0):
			// “… .” Next sentence: only when the quotation itself ended one.
			if i > 0 && toks[i-1].kind == tkEnd {
				n := toks[i+1]
				if n.kind == tkOpenQ || n.kind == tkStraight || (n.kind == tkWord && startsUpper(n.text)) {
					toks[i+1].sentStart = true
				}
			}
		}
	}
}

func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

func startsLower(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r)
}

// sentenceBounds returns the token range [from, to) of the sentence that
// holds token i.
func sentenceBounds(toks []token, i int) (int, int) {
	from := i
	for from > 0 && !toks[from].sentStart {
		from--
	}
	to := i + 1
	for to < len(toks) && !toks[to].sentStart {
		to++
	}
	return from, to
}
