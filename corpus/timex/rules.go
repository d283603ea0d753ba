package timex

import (
	"github.com/storybot/storybot/corpus/text"
	"strconv"
	"strings"
	"time"
)

// Each rule reads one family of expressions starting at token i. Rules do
// not take a leading "on" or "in" into the expression, following TimeML,
// so Text is the date itself ("August 2021", "Friday morning").

// numericRule reads "02/25/22 06.35 a.m. ET" (US order) and ISO "2022-02-25".
func (s *txScanner) numericRule(i int) (txSpan, bool) {
	if !s.isNum(i) {
		return txSpan{}, false
	}
	var date time.Time
	k := i + 1
	if t := s.toks[i].text; strings.Count(t, "/") == 2 {
		parts := strings.Split(t, "/")
		if len(parts[0]) > 2 || len(parts[1]) > 2 || (len(parts[2]) != 2 && len(parts[2]) != 4) {
			return txSpan{}, false
		}
		mo, _ := strconv.Atoi(parts[0])
		d, _ := strconv.Atoi(parts[1])
		y, _ := strconv.Atoi(parts[2])
		if len(parts[2]) == 2 {
			// Two-digit years: web stamps are this century's, archives the last's.
			if y >= 70 {
				y += 1900
			} else {
				y += 2000
			}
		}
		var ok bool
		if date, ok = ValidDate(y, time.Month(mo), d); !ok {
			return txSpan{}, false
		}
	} else if y, ok := s.year4(i); ok && s.touching(i) && s.punct(i+1, "-") && s.touching(i+1) &&
		s.plainDigits(i+2, 2) && s.touching(i+2) && s.punct(i+3, "-") && s.touching(i+3) && s.plainDigits(i+4, 2) {
		mo, _ := strconv.Atoi(s.toks[i+2].text)
		d, _ := strconv.Atoi(s.toks[i+4].text)
		if date, ok = ValidDate(y, time.Month(mo), d); !ok {
			return txSpan{}, false
		}
		k = i + 5
	} else {
		return txSpan{}, false
	}
	sp := txSpan{i: i, j: k, value: txDay(date), prec: Day}
	c := k
	if s.low(c) == "at" {
		c++
	}
	if h, m, next, exact, ok := s.clock(c); ok && exact {
		sp.j = s.zone(next)
		sp.value, sp.prec = txClock(date, h, m), Minute
	}
	return sp, true
}

// monthRule reads expressions built on a month name: "Feb. 19, 2022",
// "Sept. 11", "August 2021", "January this year", "last June", "in May".
func (s *txScanner) monthRule(i int) (txSpan, bool) {
	k := i
	mod := ""
	switch w := s.low(k); w {
	case "early", "late", "mid", "last", "next", "this":
		mod = w
		k++
		if mod == "mid" && s.punct(k, "-") {
			k++
		}
	}
	mon, k2, ok := s.month(k)
	if !ok {
		return txSpan{}, false
	}
	monTok := k
	k = k2
	if mod == "" {
		if d, k3, ok := s.day(k); ok {
			if _, ok := ValidDate(2000, mon, d); !ok {
				return txSpan{}, false
			}
			if y, k4, ok := s.yearAfterDay(k3); ok {
				if t, ok := ValidDate(y, mon, d); ok {
					return txSpan{i: i, j: k4, value: txDay(t), prec: Day}, true
				}
				return txSpan{}, false
			}
			t, _ := txMonthDay(s.pub, mon, d, -1, s.tense(i, k3))
			return txSpan{i: i, j: k3, value: txDay(t), prec: Day, rel: true}, true
		}
	}
	if y, ok := s.year4(k); ok {
		return txSpan{i: i, j: k + 1, value: txMonth(y, mon), prec: Month}, true
	}
	if s.low(k) == "of" || (s.punct(k, ",") && (k+2 >= len(s.toks) || s.toks[k+2].kind == txPunct)) {
		// "August of 2021"; "October, 2007." but not "In May, 2000 people".
		if y, ok := s.year4(k + 1); ok {
			return txSpan{i: i, j: k + 2, value: txMonth(y, mon), prec: Month}, true
		}
	}
	if mod == "" && s.low(k+1) == "year" {
		off, ok := txSteps[s.low(k)]
		if ok && s.low(k) != "the" {
			return txSpan{i: i, j: k + 2, value: txMonth(s.pub.Year()+off, mon), prec: Month, rel: true}, true
		}
	}
	if mod == "" && !s.monthContext(monTok) {
		return txSpan{}, false
	}
	var y int
	switch mod {
	case "last":
		y = txMonthYear(s.pub, mon, txBefore)
	case "next":
		y = txMonthYear(s.pub, mon, txAfter)
	case "this":
		y = s.pub.Year()
	default:
		dir := txOnOrBefore
		switch t := s.tense(i, k); {
		case t == txFuture:
			dir = txOnOrAfter
		case t == txUnknown && txMonthsBetween(s.pub.Year(), mon, s.pub) == -1:
			// No verb dates it, and the month just ahead is nearer than
			// the same month eleven months back.
			dir = txOnOrAfter
		}
		y = txMonthYear(s.pub, mon, dir)
	}
	return txSpan{i: i, j: k, value: txMonth(y, mon), prec: Month, rel: true}, true
}

// monthContext reports whether the words around a bare month name make it
// a date: "in May", "the May election", "March and April".
func (s *txScanner) monthContext(mt int) bool {
	p := s.low(mt - 1)
	if txMonthContext[p] {
		return true
	}
	if (p == "and" || p == "or" || p == "to" || p == "-" || p == "–") && s.isMonth(mt-2) {
		return true
	}
	if txDeterminers[p] {
		n := mt + 1
		if s.punct(n, ".") {
			n++
		}
		return n < len(s.toks) && s.toks[n].kind == txWord && !s.capital(n) && !txPrepositions[s.toks[n].low]
	}
	return false
}

// dayFirstRule reads "19 February 2022" and "the 1st of May".
func (s *txScanner) dayFirstRule(i int) (txSpan, bool) {
	k := i
	the := s.low(k) == "the"
	if the {
		k++
	}
	d, k2, ok := s.day(k)
	if !ok {
		return txSpan{}, false
	}
	ordinal := k2 > k+1
	k = k2
	if s.low(k) == "of" {
		if !ordinal {
			return txSpan{}, false
		}
		k++
	} else if the {
		return txSpan{}, false
	}
	mon, k3, ok := s.month(k)
	if !ok {
		return txSpan{}, false
	}
	if _, ok := ValidDate(2000, mon, d); !ok {
		return txSpan{}, false
	}
	if y, ok := s.year4(k3); ok {
		if t, ok := ValidDate(y, mon, d); ok {
			return txSpan{i: i, j: k3 + 1, value: txDay(t), prec: Day}, true
		}
		return txSpan{}, false
	}
	t, _ := txMonthDay(s.pub, mon, d, -1, s.tense(i, k3))
	return txSpan{i: i, j: k3, value: txDay(t), prec: Day, rel: true}, true
}

// weekdayRule reads "Friday", "late on Wednesday", "Friday morning",
// "next Monday", "Friday at 10 a.m.", "Friday, Oct. 23".
func (s *txScanner) weekdayRule(i int) (txSpan, bool) {
	k := i
	mod := ""
	switch w := s.low(k); w {
	case "last", "next", "this", "past", "coming":
		mod = w
		k++
	case "early", "late", "earlier", "later":
		k++
		if s.low(k) == "on" {
			k++
		}
	}
	wd, ok := txWeekdays[s.low(k)]
	if !ok || !s.capital(k) || (s.capital(k+1) && txTitleWords[s.low(k+1)]) {
		return txSpan{}, false // "Sunday Times"
	}
	k++
	if s.punct(k, ",") {
		if mon, k2, ok := s.month(k + 1); ok {
			if d, k3, ok := s.day(k2); ok {
				if y, k4, ok := s.yearAfterDay(k3); ok {
					if t, ok := ValidDate(y, mon, d); ok {
						return txSpan{i: i, j: k4, value: txDay(t), prec: Day}, true
					}
				} else if t, ok := txMonthDay(s.pub, mon, d, wd, s.tense(i, k3)); ok {
					return txSpan{i: i, j: k3, value: txDay(t), prec: Day, rel: true}, true
				}
			}
		}
	}
	end := k
	h, m, exact := 0, 0, false
	if txPartsOfDay[s.low(k)] {
		if s.low(k) == "noon" {
			h, exact = 12, true
		}
		k++
		end = k
	}
	if s.low(k) == "at" {
		if ch, cm, next, ex, ok := s.clock(k + 1); ok {
			h, m, exact, end = ch, cm, ex, next
		}
	}
	end = s.zone(end)
	date := txWeekday(s.pub, time.Weekday(wd), s.weekdayDir(mod, i, end))
	sp := txSpan{i: i, j: end, value: txDay(date), prec: Day, rel: true}
	if exact {
		sp.value, sp.prec = txClock(date, h, m), Minute
	}
	return sp, true
}

// clockRule reads a time before its day: "10 p.m. Wednesday", "noon Thursday",
// "6 a.m. today". A time with no day is left alone.
func (s *txScanner) clockRule(i int) (txSpan, bool) {
	h, m, k, exact, ok := s.clock(i)
	if !ok {
		return txSpan{}, false
	}
	k = s.zone(k)
	if s.low(k) == "on" {
		k++
	}
	var date time.Time
	if wd, ok := txWeekdays[s.low(k)]; ok && s.capital(k) {
		date = txWeekday(s.pub, time.Weekday(wd), s.weekdayDir("", i, k+1))
	} else if off, ok := txDayOffsets[s.low(k)]; ok {
		date = s.pub.AddDate(0, 0, off)
	} else {
		return txSpan{}, false
	}
	sp := txSpan{i: i, j: k + 1, value: txDay(date), prec: Day, rel: true}
	if exact {
		sp.value, sp.prec = txClock(date, h, m), Minute
	}
	return sp, true
}

var txDayOffsets = map[string]int{"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}

// dayWordRule reads "yesterday", "late yesterday", "tomorrow morning",
// "this morning", "last night", "the day before yesterday".
func (s *txScanner) dayWordRule(i int) (txSpan, bool) {
	k := i
	switch s.low(k) {
	case "early", "late", "earlier", "later":
		k++
	}
	off := 0
	switch w := s.low(k); w {
	case "today", "tonight", "yesterday", "tomorrow":
		off = txDayOffsets[w]
		k++
		if w != "tonight" && txPartsOfDay[s.low(k)] && s.low(k) != "noon" && s.low(k) != "midnight" {
			k++
		}
	case "this":
		if s.capital(k+1) && !s.startsSentence(k) {
			return txSpan{}, false // "CBS This Morning"
		}
		switch s.low(k + 1) {
		case "morning", "afternoon", "evening":
			k += 2
		default:
			return txSpan{}, false
		}
	case "last":
		if s.low(k+1) != "night" {
			return txSpan{}, false
		}
		off = -1
		k += 2
	case "the":
		if s.low(k+1) != "day" {
			return txSpan{}, false
		}
		switch {
		case s.low(k+2) == "before" && s.low(k+3) == "yesterday":
			off = -2
		case s.low(k+2) == "after" && s.low(k+3) == "tomorrow":
			off = 2
		default:
			return txSpan{}, false
		}
		k += 4
	default:
		return txSpan{}, false
	}
	date := s.pub.AddDate(0, 0, off)
	sp := txSpan{i: i, j: k, value: txDay(date), prec: Day, rel: true}
	if s.low(k) == "at" {
		if h, m, next, exact, ok := s.clock(k + 1); ok && exact {
			sp.j = s.zone(next)
			sp.value, sp.prec = txClock(date, h, m), Minute
		}
	}
	return sp, true
}

// unitRule reads calendar units relative to publication: "last week",
// "earlier this month", "early next year", "the past year", "the weekend".
//
// Weeks have no precision of their own, so a week resolves to the month
// holding most of it (its Thursday, as in ISO 8601) at month precision,
// which never claims a day the text does not give. A weekend resolves to
// its Saturday, the day most weekend events are reported under.
func (s *txScanner) unitRule(i int) (txSpan, bool) {
	k := i
	switch s.low(k) {
	case "early", "late", "earlier", "later", "mid":
		k++
		if s.punct(k, "-") {
			k++
		}
	}
	rel := s.low(k)
	switch rel {
	case "the":
		switch s.low(k + 1) {
		case "past", "coming":
			rel = s.low(k + 1)
			k += 2
		case "weekend":
			k++
		case "fiscal", "current":
			// "the fiscal year", "the current fiscal year": the one the
			// story is in. "the fiscal year ended Sept. 30" names its end.
			k++
		default:
			return txSpan{}, false
		}
	case "last", "this", "next", "past", "coming":
		if k == i && (rel == "last" || rel == "next") && s.low(i-1) == "the" {
			// "the last year of the war" is not last year; "over the
			// next year" is.
			switch s.low(i - 2) {
			case "over", "in", "during", "within", "for":
			default:
				return txSpan{}, false
			}
		}
		k++
		if rel == "this" && (s.low(k) == "past" || s.low(k) == "coming") {
			rel = s.low(k)
			k++
		}
	default:
		return txSpan{}, false
	}
	unit := s.low(k)
	if unit == "current" && rel == "the" {
		k++
		unit = s.low(k)
	}
	if unit == "fiscal" && s.low(k+1) == "year" {
		if fiscalEnds[s.low(k+2)] || s.plainDigits(k+2, 0) {
			return txSpan{}, false
		}
		k++
		unit = "year"
	} else if rel == "the" && unit != "weekend" && unit != "past" && unit != "coming" {
		return txSpan{}, false
	}
	k++
	if s.low(k) == "of" && unit != "weekend" {
		return txSpan{}, false
	}
	step := txSteps[rel]
	sp := txSpan{i: i, j: k, rel: true}
	switch unit {
	case "week":
		y, m := txWeekMonth(s.pub, step)
		sp.value, sp.prec = txMonth(y, m), Month
	case "weekend":
		var t time.Time
		switch rel {
		case "the":
			dir := txOnOrBefore
			if s.tense(i, k) == txFuture {
				dir = txOnOrAfter
			}
			t = txSaturday(s.pub, dir)
		default:
			monday := s.pub.AddDate(0, 0, -((int(s.pub.Weekday())+6)%7)+7*step)
			t = monday.AddDate(0, 0, 5)
		}
		sp.value, sp.prec = txDay(t), Day
	case "month":
		y, m := txShiftMonth(s.pub, step)
		sp.value, sp.prec = txMonth(y, m), Month
	case "year":
		sp.value, sp.prec = txYear(s.pub.Year()+step), Year
	default:
		return txSpan{}, false
	}
	return sp, true
}

// fiscalEnds are words after "fiscal year" that date it by its own end or
// start, which another rule reads.
var fiscalEnds = text.WordSet("ended ending ends end began beginning begins starting started through to that which")

// txSteps say which unit "last", "this" or "next" points to.
var txSteps = map[string]int{"the": 0, "this": 0, "last": -1, "past": -1, "next": 1, "coming": 1}

// agoRule reads "two days ago", "almost four years ago", "a month ago".
func (s *txScanner) agoRule(i int) (txSpan, bool) {
	k := i
	switch {
	case txHedges[s.low(k)]:
		k++
	case (s.low(k) == "more" || s.low(k) == "less") && s.low(k+1) == "than", s.low(k) == "at" && s.low(k+1) == "least":
		k += 2
	}
	n, ok := txCounts[s.low(k)]
	if !ok {
		if !s.plainDigits(k, 0) || len(s.toks[k].text) > 3 {
			return txSpan{}, false
		}
		n, _ = strconv.Atoi(s.toks[k].text)
	}
	unit := strings.TrimSuffix(s.low(k+1), "s")
	if s.low(k+2) != "ago" {
		return txSpan{}, false
	}
	sp := txSpan{i: i, j: k + 3, rel: true}
	switch unit {
	case "day":
		sp.value, sp.prec = txDay(s.pub.AddDate(0, 0, -n)), Day
	case "week":
		sp.value, sp.prec = txDay(s.pub.AddDate(0, 0, -7*n)), Day
	case "month":
		y, m := txShiftMonth(s.pub, -n)
		sp.value, sp.prec = txMonth(y, m), Month
	case "year":
		sp.value, sp.prec = txYear(s.pub.Year()-n), Year
	case "decade":
		sp.value, sp.prec = txYear(s.pub.Year()-10*n), Year
	default:
		return txSpan{}, false
	}
	return sp, true
}

// yearRule reads "2001", "mid-2019", "fiscal 1988", "the 1990s", "the '90s".
func (s *txScanner) yearRule(i int) (txSpan, bool) {
	k := i
	the := s.low(k) == "the"
	if the {
		k++
	}
	pre := false
	switch s.low(k) {
	case "early", "late", "mid":
		pre = true
		k++
		if s.punct(k, "-") {
			k++
		}
	}
	fiscal := !the && !pre && s.low(k) == "fiscal"
	if fiscal {
		k++
	}
	// "the '90s": the century is whichever puts the decade last before publication.
	if s.isApostrophe(k) && s.plainDigits(k+1, 2) && s.touching(k+1) && s.low(k+2) == "s" && s.touching(k) {
		dd, _ := strconv.Atoi(s.toks[k+1].text)
		if dd%10 != 0 || fiscal {
			return txSpan{}, false
		}
		c := s.pub.Year() / 100 * 100
		if c+dd > s.pub.Year() {
			c -= 100
		}
		return txSpan{i: i, j: k + 3, value: strconv.Itoa((c + dd) / 10), prec: Decade, rel: true}, true
	}
	y, ok := s.year4(k)
	if !ok {
		return txSpan{}, false
	}
	if s.touching(k) && s.low(k+1) == "s" && y%10 == 0 {
		return txSpan{i: i, j: k + 2, value: strconv.Itoa(y / 10), prec: Decade}, true
	}
	if the {
		return txSpan{}, false // "the 2001 election": the year alone is matched from the next token
	}
	if !pre && !fiscal && !s.bareYear(k) {
		return txSpan{}, false
	}
	return txSpan{i: i, j: k + 1, value: txYear(y), prec: Year}, true
}

// bareYear decides whether a lone four-digit number is a year rather than
// an amount, a count or part of a name.
func (s *txScanner) bareYear(k int) bool {
	y, _ := strconv.Atoi(s.toks[k].text)
	if y < 1900 || y > 2099 {
		return false
	}
	prev := ""
	if k > 0 {
		p := s.toks[k-1]
		prev = p.low
		switch {
		case p.kind == txNum:
			return false
		case p.kind == txPunct && strings.ContainsAny(p.text, "$£€¥#"):
			return false
		case p.kind == txWord && s.capital(k-1) && !txCapYearOK[p.low] && !s.isMonth(k-1) && !s.startsSentence(k-1):
			return false // "Windows 2000", "Flight 1999"
		}
	}
	if k+1 < len(s.toks) {
		n := s.toks[k+1]
		switch {
		case n.kind == txPunct && n.text == "%":
			return false
		case n.low == "percent" || n.low == "per":
			return false
		case n.kind == txWord && !s.capital(k+1) && len(n.low) > 3 && strings.HasSuffix(n.low, "s") &&
			!strings.HasSuffix(n.low, "ss") && !txYearContext[prev]:
			return false // "2001 votes"
		}
	}
	return true
}

// spelledYearRule reads years spoken in broadcast transcripts: "nineteen ninety-one".
func (s *txScanner) spelledYearRule(i int) (txSpan, bool) {
	if s.low(i) != "nineteen" {
		return txSpan{}, false
	}
	tens := txTens[s.low(i+1)]
	if tens < 20 {
		return txSpan{}, false
	}
	k := i + 2
	if s.punct(k, "-") {
		if u, ok := txUnits[s.low(k+1)]; ok {
			tens += u
			k += 2
		}
	}
	return txSpan{i: i, j: k, value: txYear(1900 + tens), prec: Year}, true
}

// seasonRule reads "last spring", "this fall", "summer 2020", "the fall of
// 2021", "in the spring". Seasons have no ISO value at our precisions, so
// they resolve to their year. A bare season, or one followed by "of"
// something other than a year ("the fall of Kabul"), is not a date.
func (s *txScanner) seasonRule(i int) (txSpan, bool) {
	k := i
	mod := ""
	switch w := s.low(k); w {
	case "last", "this", "next", "past", "coming":
		mod = w
		k++
	case "early", "late", "mid":
		k++
		if s.punct(k, "-") {
			k++
		}
	case "the":
		switch s.low(i - 1) {
		case "in", "during", "by", "until", "through", "over", "since":
			mod = w
		}
		k++
	}
	start, ok := txSeasons[s.low(k)]
	if !ok || s.capital(k+1) {
		return txSpan{}, false // "Fall Out Boy", "Summer Olympics"
	}
	k++
	if y, ok := s.year4(k); ok {
		return txSpan{i: i, j: k + 1, value: txYear(y), prec: Year}, true
	}
	if s.low(k) == "of" {
		if y, ok := s.year4(k + 1); ok {
			return txSpan{i: i, j: k + 2, value: txYear(y), prec: Year}, true
		}
		return txSpan{}, false
	}
	if mod == "" {
		return txSpan{}, false
	}
	tense := txUnknown
	if mod == "the" {
		tense = s.tense(i, k)
	}
	y := txSeasonYear(s.pub, start, mod, tense)
	return txSpan{i: i, j: k, value: txYear(y), prec: Year, rel: true}, true
}

// holidayRule reads the fixed and movable holidays US news dates events by.
func (s *txScanner) holidayRule(i int) (txSpan, bool) {
	if !s.capital(i) {
		return txSpan{}, false
	}
	k := i + 1
	name := ""
	switch w := s.low(i); w {
	case "christmas":
		name = w
		switch s.low(k) {
		case "eve":
			name += " eve"
			k++
		case "day":
			k++
		default:
			if s.capital(k) {
				return txSpan{}, false // "Christmas Island"
			}
		}
	case "new":
		if s.low(k) != "year" || !s.isApostrophe(k+1) || s.low(k+2) != "s" {
			return txSpan{}, false
		}
		k += 3
		name = "new year's day"
		switch s.low(k) {
		case "eve":
			name = "new year's eve"
			k++
		case "day":
			k++
		}
	case "thanksgiving", "halloween", "easter":
		name = w
		if s.low(k) == "day" || (w == "easter" && s.low(k) == "sunday") {
			k++
		}
	case "independence", "labor", "memorial":
		if s.low(k) != "day" || !s.capital(k) {
			return txSpan{}, false
		}
		name = w + " day"
		k++
	default:
		return txSpan{}, false
	}
	if y, ok := s.year4(k); ok {
		return txSpan{i: i, j: k + 1, value: txDay(txHoliday(name, y)), prec: Day}, true
	}
	// "Christmas Day" is always a day; a bare "Christmas trees" is not.
	if !txHolidayContext[s.low(i-1)] && !txHolidayDays[s.low(k-1)] {
		return txSpan{}, false
	}
	t := txHolidayNear(s.pub, name, s.tense(i, k))
	return txSpan{i: i, j: k, value: txDay(t), prec: Day, rel: true}, true
}

// txHolidayContext are words after which a holiday name dates something.
var txHolidayContext = text.WordSet("on by before after since until till over during at for through around " +
	"last this next of from")

var txHolidayDays = text.WordSet("day eve sunday")

// yearEndRule reads "year-end", "year end" and "the end of the year" as
// December of the publication year. A fiscal year may end in any month.
func (s *txScanner) yearEndRule(i int) (txSpan, bool) {
	switch {
	case s.low(i) == "year" && s.low(i-1) != "fiscal":
		k := i + 1
		if s.punct(k, "-") && s.touching(i) {
			k++
		}
		if s.low(k) != "end" {
			return txSpan{}, false
		}
		return txSpan{i: i, j: k + 1, value: txMonth(s.pub.Year(), time.December), prec: Month, rel: true}, true
	case s.low(i) == "end" && s.low(i+1) == "of":
		step, ok := txSteps[s.low(i+2)]
		if !ok || s.low(i+3) != "year" || s.low(i+4) == "of" {
			return txSpan{}, false
		}
		return txSpan{i: i, j: i + 4, value: txMonth(s.pub.Year()+step, time.December), prec: Month, rel: true}, true
	}
	return txSpan{}, false
}

// currentRule reads "the current year", "the current month", the
// financial "year-earlier" and "a year earlier" (the year before
// publication), and "in five years" or "in two weeks" when the verb looks
// forward ("will retire in five years"; "the lowest in five years" is a
// span, not a date).
func (s *txScanner) currentRule(i int) (txSpan, bool) {
	switch {
	case s.low(i) == "the" && s.low(i+1) == "current":
		sp := txSpan{i: i, j: i + 3, rel: true}
		switch s.low(i + 2) {
		case "year":
			sp.value, sp.prec = txYear(s.pub.Year()), Year
		case "month":
			sp.value, sp.prec = txMonth(s.pub.Year(), s.pub.Month()), Month
		case "week":
			y, m := txWeekMonth(s.pub, 0)
			sp.value, sp.prec = txMonth(y, m), Month
		default:
			return txSpan{}, false
		}
		return sp, true
	case s.low(i) == "year" && s.punct(i+1, "-") && s.touching(i) && s.low(i+2) == "earlier",
		s.low(i) == "a" && s.low(i+1) == "year" && s.low(i+2) == "earlier":
		j := i + 3
		return txSpan{i: i, j: j, value: txYear(s.pub.Year() - 1), prec: Year, rel: true}, true
	case s.low(i-1) == "in" || s.low(i-1) == "within":
		n, ok := txCounts[s.low(i)]
		if !ok {
			if !s.plainDigits(i, 0) || len(s.toks[i].text) > 2 {
				return txSpan{}, false
			}
			n, _ = strconv.Atoi(s.toks[i].text)
		}
		unit := strings.TrimSuffix(s.low(i+1), "s")
		if unit != "year" && unit != "month" && unit != "week" && unit != "day" || s.tense(i, i+2) != txFuture {
			return txSpan{}, false
		}
		sp := txSpan{i: i, j: i + 2, rel: true}
		switch unit {
		case "year":
			sp.value, sp.prec = txYear(s.pub.Year()+n), Year
		case "month":
			y, m := txShiftMonth(s.pub, n)
			sp.value, sp.prec = txMonth(y, m), Month
		case "week":
			sp.value, sp.prec = txDay(s.pub.AddDate(0, 0, 7*n)), Day
		default:
			sp.value, sp.prec = txDay(s.pub.AddDate(0, 0, n)), Day
		}
		return sp, true
	}
	return txSpan{}, false
}
