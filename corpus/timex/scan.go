package timex

import (
	"fmt"
	"github.com/storybot/storybot/corpus/text"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// txSpan is a match over tokens [i, j) before it becomes a TimeExpr.
type txSpan struct {
	i, j  int
	value string
	prec  Precision
	rel   bool
	// tense is the tense read for a relative expression whose direction
	// depends on it; anchored marks one resolved against the story's
	// narrative time instead of the publication date.
	tense    txTense
	tensed   bool
	anchored bool
}

// txScanner holds one paragraph's tokens and the date they are read against.
type txScanner struct {
	text string
	doc  *text.Doc
	// tensed and lastTense record whether the rule being tried read the
	// tense, and what it read.
	tensed    bool
	lastTense txTense
	toks      []txToken
	pub       time.Time
	// futureAt is the first future word of the sentence that starts at
	// token futureFrom-1 (none when 0), or -1 for none.
	futureFrom, futureAt int
}

func (s *txScanner) low(k int) string {
	if k < 0 || k >= len(s.toks) {
		return ""
	}
	return s.toks[k].low
}

func (s *txScanner) punct(k int, p string) bool {
	return k >= 0 && k < len(s.toks) && s.toks[k].kind == txPunct && s.toks[k].text == p
}

// touching reports whether token k+1 follows token k with no space.
func (s *txScanner) touching(k int) bool {
	return k >= 0 && k+1 < len(s.toks) && s.toks[k].end == s.toks[k+1].start
}

func (s *txScanner) capital(k int) bool {
	if k < 0 || k >= len(s.toks) || s.toks[k].kind != txWord {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s.toks[k].text)
	return unicode.IsUpper(r)
}

func (s *txScanner) isNum(k int) bool {
	return k >= 0 && k < len(s.toks) && s.toks[k].kind == txNum
}

// plainDigits reports whether number token k is only digits, n of them
// (any length when n is 0).
func (s *txScanner) plainDigits(k, n int) bool {
	if !s.isNum(k) {
		return false
	}
	t := s.toks[k].text
	if n > 0 && len(t) != n {
		return false
	}
	for i := 0; i < len(t); i++ {
		if !txDigit(t[i]) {
			return false
		}
	}
	return true
}

// startsSentence reports whether token k opens a sentence or a quotation,
// where capitalisation says nothing about names.
func (s *txScanner) startsSentence(k int) bool {
	if k == 0 {
		return true
	}
	p := s.toks[k-1]
	if p.kind != txPunct {
		return false
	}
	switch p.text {
	case "\"", "“", "'", "‘", "`", "(", "—", "_", ":":
		return true
	}
	return s.sentenceEnd(k - 1)
}

// month reads a month name. Names must be capitalised, and abbreviations
// must carry their period or be followed by a number, so that "mar" and
// "Jan Smith" stay words.
func (s *txScanner) month(k int) (time.Month, int, bool) {
	if !s.capital(k) {
		return 0, 0, false
	}
	w := s.toks[k].low
	m := txMonthWords[w]
	if m == 0 {
		return 0, 0, false
	}
	next := k + 1
	if len(w) <= 4 && w != "may" && w != "june" && w != "july" {
		switch {
		case s.punct(next, "."):
			next++
		case s.isNum(next):
		default:
			return 0, 0, false
		}
	}
	return time.Month(m), next, true
}

func (s *txScanner) isMonth(k int) bool {
	_, _, ok := s.month(k)
	return ok
}

// day reads a day of the month, "19" or "19th".
func (s *txScanner) day(k int) (int, int, bool) {
	if !s.plainDigits(k, 0) || len(s.toks[k].text) > 2 {
		return 0, 0, false
	}
	d, _ := strconv.Atoi(s.toks[k].text)
	if d < 1 || d > 31 {
		return 0, 0, false
	}
	next := k + 1
	if s.touching(k) {
		switch s.low(next) {
		case "st", "nd", "rd", "th":
			next++
		default:
			if s.toks[next].kind == txWord {
				return 0, 0, false // "19km"
			}
		}
	}
	return d, next, true
}

// year4 reads a four-digit year as used in full dates.
func (s *txScanner) year4(k int) (int, bool) {
	if !s.plainDigits(k, 4) {
		return 0, false
	}
	y, _ := strconv.Atoi(s.toks[k].text)
	return y, y >= 1000 && y <= 2999
}

// yearAfterDay reads the year closing a full date: ", 2022" or " 2022".
func (s *txScanner) yearAfterDay(k int) (int, int, bool) {
	if s.punct(k, ",") {
		k++
	}
	if y, ok := s.year4(k); ok {
		return y, k + 1, true
	}
	return 0, 0, false
}

// clock reads "10 p.m.", "06.35 a.m.", "10:30 am", "noon" or "midnight".
// exact is false for midnight, whose day is ambiguous in news usage.
func (s *txScanner) clock(k int) (h, m, next int, exact, ok bool) {
	switch s.low(k) {
	case "noon":
		return 12, 0, k + 1, true, true
	case "midnight":
		return 0, 0, k + 1, false, true
	}
	if !s.isNum(k) {
		return
	}
	t := s.toks[k].text
	hs, ms, _ := strings.Cut(strings.Replace(t, ".", ":", 1), ":")
	if len(hs) == 0 || len(hs) > 2 || (ms != "" && len(ms) != 2) {
		return
	}
	h, err := strconv.Atoi(hs)
	if err != nil || h < 1 || h > 12 {
		return
	}
	if ms != "" {
		if m, err = strconv.Atoi(ms); err != nil || m > 59 {
			return
		}
	}
	next = k + 1
	pm := false
	switch w := s.low(next); {
	case w == "am" || w == "pm":
		pm = w == "pm"
		next++
	case (w == "a" || w == "p") && s.punct(next+1, ".") && s.low(next+2) == "m":
		pm = w == "p"
		next += 3
		if s.punct(next, ".") {
			next++
		}
	default:
		return 0, 0, 0, false, false
	}
	if pm && h < 12 {
		h += 12
	} else if !pm && h == 12 {
		h = 0
	}
	return h, m, next, true, true
}

// zone skips a time zone written after a time: "ET", "local time", "U.S. time".
func (s *txScanner) zone(k int) int {
	if k < len(s.toks) && s.toks[k].kind == txWord && txZones[s.toks[k].low] && strings.ToUpper(s.toks[k].text) == s.toks[k].text {
		return k + 1
	}
	if s.low(k) == "local" && s.low(k+1) == "time" {
		return k + 2
	}
	if s.low(k) == "u" && s.punct(k+1, ".") && s.low(k+2) == "s" && s.punct(k+3, ".") && s.low(k+4) == "time" {
		return k + 5
	}
	return k
}

func txClock(date time.Time, h, m int) string {
	return fmt.Sprintf("%sT%02d:%02d", txDay(date), h, m)
}

// weekdayDir turns a weekday's modifier and tense into which one is meant.
func (s *txScanner) weekdayDir(mod string, i, j int) txDirection {
	switch mod {
	case "last", "past":
		return txBefore
	case "next", "coming":
		return txAfter
	}
	if s.tense(i, j) == txFuture {
		return txOnOrAfter
	}
	return txOnOrBefore
}

// txRules are tried at every token; the longest match wins.
var txRules = []func(*txScanner, int) (txSpan, bool){
	(*txScanner).numericRule,
	(*txScanner).monthRule,
	(*txScanner).dayFirstRule,
	(*txScanner).weekdayRule,
	(*txScanner).clockRule,
	(*txScanner).dayWordRule,
	(*txScanner).unitRule,
	(*txScanner).agoRule,
	(*txScanner).yearRule,
	(*txScanner).spelledYearRule,
	(*txScanner).seasonRule,
	(*txScanner).holidayRule,
	(*txScanner).yearEndRule,
	(*txScanner).currentRule,
}

// txStarters are the words some rule can begin with; most words are not,
// and skipping them keeps indexing fast.
var txStarters = text.WordSet("early late mid last next this past coming the today tonight yesterday tomorrow " +
	"earlier later almost nearly about some roughly around just only over barely more less at " +
	"a an one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty " +
	"fiscal nineteen spring summer fall autumn winter christmas new thanksgiving halloween easter " +
	"independence labor memorial year end noon midnight current")

func txCanStart(t txToken) bool {
	if t.kind != txWord {
		return true
	}
	_, month := txMonthWords[t.low]
	_, weekday := txWeekdays[t.low]
	return month || weekday || txStarters[t.low]
}

func (s *txScanner) matchAt(i int) (txSpan, bool) {
	if !txCanStart(s.toks[i]) {
		return txSpan{}, false
	}
	var best txSpan
	found := false
	for _, rule := range txRules {
		s.tensed, s.lastTense = false, txUnknown
		if sp, ok := rule(s, i); ok && (!found || sp.j > best.j) {
			sp.tensed, sp.tense = s.tensed, s.lastTense
			best, found = sp, true
		}
	}
	return best, found
}
