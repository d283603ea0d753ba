package timex

import (
	"github.com/storybot/storybot/corpus/text"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The time-expression finder works on its own light tokens rather than on
// regular expressions: news dates are short word sequences whose meaning
// hangs on neighbouring words ("in May" against "may be", "Fall Out Boy"),
// and token look-around says that more plainly and runs faster than one
// large alternation. Identifiers carry a tx prefix because other files of
// the package have tokenizers of their own.

type txKind uint8

const (
	txWord txKind = iota
	txNum
	txPunct
)

type txToken struct {
	text       string // as written
	low        string // lower case, for words; as written otherwise
	start, end int    // byte offsets in the paragraph
	kind       txKind
	tok        int  // the text-layer token this piece is part of
	ends       bool // the piece ends a sentence of the text layer
}

// txFromDoc reads the scanner's light tokens from the text layer's: each
// token splits further into letter runs, numbers and marks, so "U.S."
// reads as u . s . and "mid-2019" as mid - 2019, while sentences are the
// layer's.
func txFromDoc(d *text.Doc, toks []txToken) []txToken {
	si := 0
	for k, t := range d.Tokens {
		n := len(toks)
		toks = txTokenize(t.Text, toks)
		for x := n; x < len(toks); x++ {
			toks[x].start += t.Start
			toks[x].end += t.Start
			toks[x].tok = k
		}
		for si < len(d.Sentences) && d.Sentences[si].To <= k {
			si++
		}
		if si < len(d.Sentences) && d.Sentences[si].To == k+1 && len(toks) > n {
			toks[len(toks)-1].ends = true
		}
	}
	return toks
}

// txTokenize splits a paragraph into words, numbers and single punctuation
// marks. A number keeps inner separators followed by a digit, so that
// "02/25/22", "06.35", "10:30" and "2,001" each stay one token and a count
// like "2,001" can never be read as a year.
func txTokenize(s string, toks []txToken) []txToken {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			i++
		case c >= '0' && c <= '9':
			j := i + 1
			for j < len(s) {
				if txDigit(s[j]) {
					j++
					continue
				}
				if (s[j] == '.' || s[j] == ',' || s[j] == ':' || s[j] == '/') && j+1 < len(s) && txDigit(s[j+1]) {
					j += 2
					continue
				}
				break
			}
			toks = append(toks, txToken{text: s[i:j], low: s[i:j], start: i, end: j, kind: txNum})
			i = j
		default:
			r, w := utf8.DecodeRuneInString(s[i:])
			if !unicode.IsLetter(r) {
				if !unicode.IsSpace(r) {
					toks = append(toks, txToken{text: s[i : i+w], low: s[i : i+w], start: i, end: i + w, kind: txPunct})
				}
				i += w
				continue
			}
			j := i + w
			for j < len(s) {
				r2, w2 := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsLetter(r2) {
					break
				}
				j += w2
			}
			toks = append(toks, txToken{text: s[i:j], low: strings.ToLower(s[i:j]), start: i, end: j, kind: txWord})
			i = j
		}
	}
	return toks
}

func txDigit(c byte) bool { return c >= '0' && c <= '9' }

var txMonthWords = map[string]int{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
	"july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
	"sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

var txWeekdays = map[string]int{
	"sunday": 0, "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6,
}

var txPartsOfDay = text.WordSet("morning afternoon evening night noon midnight overnight")

var txCounts = map[string]int{
	"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
	"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
	"fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
}

var txTens = map[string]int{
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
	"sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
	"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}

var txUnits = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
}

// txZones are the clock-time zones wire stories print after a time.
var txZones = text.WordSet("et est edt ct cst cdt mt mst mdt pt pst pdt gmt utc bst cet cest")

// txHedges may open an "ago" expression and belong to it: "almost four years ago".
var txHedges = text.WordSet("almost nearly about some roughly around just only over barely")

// txMonthContext are words after which a bare capitalised month name is a
// date rather than a name or a verb: "in May" but not "Theresa May".
var txMonthContext = text.WordSet("in since until till by during through throughout before after from of " +
	"between early late mid last next this for around about until starting beginning ending")

// txDeterminers may precede a month used as a modifier: "the March summit".
var txDeterminers = text.WordSet("the a an its their his her our")

// txPrepositions cannot follow a month used as a modifier ("the March on
// Washington" is a name).
var txPrepositions = text.WordSet("of on to for from in at by with against through toward towards and or " +
	"is was are were has had will would")

// txYearContext are words after which a four-digit number is a year even if a
// plural noun follows: "in 2001 troops invaded".
var txYearContext = text.WordSet("in since by until till of from during before after through to for between " +
	"around about circa early late mid and or the")

// txCapYearOK are capitalised words that may stand right before a bare year.
// Other capitalised words make it a name: "Windows 2000", "Flight 1999".
var txCapYearOK = text.WordSet("in since by until of from during before after through to for between around " +
	"and or the early late mid fiscal summer spring autumn fall winter")

var txSeasons = map[string]int{"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}

// txTitleWords follow a weekday in newspaper and programme names.
var txTitleWords = text.WordSet("times telegraph mirror express herald post tribune independent star sport")
