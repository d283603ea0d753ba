package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentences splits s into sentences.
func Sentences(s string) []Span { return splitTokens(s, Tokenize(s)) }

// splitTokens finds sentence boundaries. A sentence ends at ". ! ? …" when
// what follows opens a sentence (a capital, a digit, a quotation mark),
// after any closing quotation marks and brackets, and at a line break.
// An abbreviation's period is part of its token and ends nothing, except
// that an acronym such as "U.S." ends a sentence when a word that only
// opens sentences follows ("… in the U.S. The …").
func splitTokens(s string, toks []Token) []Span {
	var out []Span
	from := 0
	cut := func(to int) {
		if to > from {
			out = append(out, Span{From: from, To: to, Start: toks[from].Start, End: toks[to-1].End})
		}
		from = to
	}
	for i := 0; i < len(toks); i++ {
		if i > from && strings.Contains(s[toks[i-1].End:toks[i].Start], "\n") {
			cut(i)
		}
		t := toks[i].Text
		end := false
		switch {
		case t[0] == '.' || t[0] == '!' || t[0] == '?' || t == "…":
			end = true
		case len(t) > 2 && t[len(t)-1] == '.' && strings.Contains(t[:len(t)-1], ".") && i+1 < len(toks) && opensOnly[toks[i+1].Text]:
			end = true
		}
		if !end {
			continue
		}
		j := i + 1
		// Closing marks touch what they close; a straight quotation mark
		// after a space opens the next sentence instead.
		for j < len(toks) && closers[toks[j].Text] && toks[j].Start == toks[j-1].End {
			j++
		}
		if j == len(toks) {
			i = j - 1
			continue
		}
		if opensSentence(toks[j].Text) {
			cut(j)
			i = j - 1
		}
	}
	cut(len(toks))
	return out
}

// closers are closing quotation marks and brackets that stay with the
// sentence they close.
var closers = WordSet(`” ’ " ' '' ) ] »`)

// opensOnly are words that open sentences and seldom follow an acronym
// inside one.
var opensOnly = WordSet("The He She It They We I But And This That These Those There In On At A An His Her Their Its")

func opensSentence(t string) bool {
	r, _ := utf8.DecodeRuneInString(t)
	if unicode.IsUpper(r) || unicode.IsDigit(r) {
		return true
	}
	switch t {
	case "“", "\"", "‘", "'", "''", "``", "(", "[", "—", "--", "«":
		return true
	}
	return false
}
