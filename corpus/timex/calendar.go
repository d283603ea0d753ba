package timex

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Calendar arithmetic that anchors relative expressions to the publication
// date. Everything here works on whole days in UTC; a story's time zone
// would change "yesterday" by at most a day, which the text never tells us.

// txDirection says which occurrence of a recurring date is meant.
type txDirection int8

const (
	txOnOrBefore txDirection = iota // the default for news: reports are about the past
	txOnOrAfter                     // a future-tense verb governs the expression
	txBefore                        // "last Friday"
	txAfter                         // "next Friday"
)

func txDay(t time.Time) string { return t.Format(time.DateOnly) }

func txMonth(y int, m time.Month) string { return fmt.Sprintf("%04d-%02d", y, int(m)) }

func txYear(y int) string { return strconv.Itoa(y) }

func txDate(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// txWeekday finds the given weekday relative to pub.
func txWeekday(pub time.Time, wd time.Weekday, dir txDirection) time.Time {
	diff := int(wd) - int(pub.Weekday())
	switch dir {
	case txOnOrAfter, txAfter:
		if diff < 0 || (diff == 0 && dir == txAfter) {
			diff += 7
		}
	default:
		if diff > 0 || (diff == 0 && dir == txBefore) {
			diff -= 7
		}
	}
	return pub.AddDate(0, 0, diff)
}

// txMonthYear finds the year of the given month relative to pub's month.
// "last June" skips the month just gone, which news would call "last
// month"; the same reading is what TimeML annotators give.
func txMonthYear(pub time.Time, m time.Month, dir txDirection) int {
	y, pm := pub.Year(), pub.Month()
	switch dir {
	case txOnOrAfter:
		if m < pm {
			y++
		}
	case txAfter:
		if m <= pm {
			y++
		}
	case txBefore:
		if m >= pm {
			y--
		}
		if txMonthsBetween(y, m, pub) == 1 {
			y--
		}
	default:
		if m > pm {
			y--
		}
	}
	return y
}

func txMonthsBetween(y int, m time.Month, pub time.Time) int {
	return (pub.Year()-y)*12 + int(pub.Month()) - int(m)
}

// txShiftMonth moves a month by n, ignoring the day so that the 31st
// never spills into the next month.
func txShiftMonth(pub time.Time, n int) (int, time.Month) {
	t := txDate(pub.Year(), pub.Month(), 1).AddDate(0, n, 0)
	return t.Year(), t.Month()
}

// txForwardWindow is how far ahead of publication a month and day without a
// year may fall and still be this year's although no verb marks the future:
// a date already past would have been written with its year.
const txForwardWindow = 45 * 24 * time.Hour

// txMonthDay picks the year for a month and day written without one. A
// weekday written with it ("Friday, Oct. 23") settles the year when only
// one candidate falls on that weekday.
func txMonthDay(pub time.Time, m time.Month, d int, wd int, tense txTense) (time.Time, bool) {
	var cands []time.Time
	for y := pub.Year() - 1; y <= pub.Year()+1; y++ {
		if t, ok := ValidDate(y, m, d); ok {
			cands = append(cands, t)
		}
	}
	if len(cands) == 0 {
		return time.Time{}, false
	}
	if wd >= 0 {
		var match []time.Time
		for _, t := range cands {
			if int(t.Weekday()) == wd {
				match = append(match, t)
			}
		}
		if len(match) == 1 {
			return match[0], true
		}
	}
	// Candidates are in date order.
	if tense == txFuture {
		for _, t := range cands {
			if !t.Before(pub) {
				return t, true
			}
		}
	}
	var before time.Time
	for _, t := range cands {
		if t.After(pub) {
			if tense == txUnknown && t.Sub(pub) <= txForwardWindow {
				return t, true
			}
			break
		}
		before = t
	}
	if before.IsZero() {
		return cands[len(cands)-1], true
	}
	return before, true
}

// txSaturday is the first day of the weekend a weekend expression means.
func txSaturday(pub time.Time, dir txDirection) time.Time {
	return txWeekday(pub, time.Saturday, dir)
}

// txWeekMonth is the month that holds most of the week pub+weeks lies in,
// i.e. the month of its Thursday, as ISO 8601 assigns weeks to years.
func txWeekMonth(pub time.Time, weeks int) (int, time.Month) {
	monday := pub.AddDate(0, 0, -((int(pub.Weekday())+6)%7)+7*weeks)
	th := monday.AddDate(0, 0, 3)
	return th.Year(), th.Month()
}

// txSeasonYear resolves a season to the year it starts in (winter: the year
// of its January, which holds most of it).
func txSeasonYear(pub time.Time, start int, mod string, tense txTense) int {
	y, pm := pub.Year(), int(pub.Month())
	// Index seasons by the absolute month they start in.
	now := y*12 + pm - 1
	var begin int
	switch mod {
	case "last", "past":
		// The most recent season that has ended.
		begin = y*12 + start - 1
		for begin+2 >= now {
			begin -= 12
		}
	case "next", "coming":
		begin = y*12 + start - 1
		for begin <= now {
			begin += 12
		}
	case "this":
		begin = y*12 + start - 1
		if start == 12 && pm <= 2 {
			begin -= 12
		}
	default:
		begin = y*12 + start - 1
		if tense == txFuture {
			for begin+2 < now {
				begin += 12
			}
		} else {
			for begin > now {
				begin -= 12
			}
		}
	}
	if start == 12 {
		begin++ // winter counts by its January
	}
	return begin / 12
}

// txHoliday is the date of a holiday in year y.
func txHoliday(name string, y int) time.Time {
	switch name {
	case "christmas":
		return txDate(y, time.December, 25)
	case "christmas eve":
		return txDate(y, time.December, 24)
	case "new year's day":
		return txDate(y, time.January, 1)
	case "new year's eve":
		return txDate(y, time.December, 31)
	case "independence day":
		return txDate(y, time.July, 4)
	case "halloween":
		return txDate(y, time.October, 31)
	case "thanksgiving":
		return txNthWeekday(y, time.November, time.Thursday, 4)
	case "labor day":
		return txNthWeekday(y, time.September, time.Monday, 1)
	case "memorial day":
		return txNthWeekday(y, time.June, time.Monday, 1).AddDate(0, 0, -7)
	case "easter":
		return txEaster(y)
	}
	return time.Time{}
}

func txNthWeekday(y int, m time.Month, wd time.Weekday, n int) time.Time {
	t := txDate(y, m, 1)
	t = t.AddDate(0, 0, (int(wd)-int(t.Weekday())+7)%7)
	return t.AddDate(0, 0, 7*(n-1))
}

// txEaster is Western Easter Sunday (the anonymous Gregorian algorithm).
func txEaster(y int) time.Time {
	a, b, c := y%19, y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return txDate(y, time.Month(month), day)
}

// txHolidayNear picks the occurrence of a holiday the text means.
func txHolidayNear(pub time.Time, name string, tense txTense) time.Time {
	y := pub.Year()
	if tense == txFuture {
		if t := txHoliday(name, y); !t.Before(pub) {
			return t
		}
		return txHoliday(name, y+1)
	}
	if t := txHoliday(name, y); !t.After(pub) {
		return t
	}
	return txHoliday(name, y-1)
}

// ValidDate is the date y-m-d, or false when no such day exists.
func ValidDate(y int, m time.Month, d int) (time.Time, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 || y < 1000 || y > 9999 {
		return time.Time{}, false
	}
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// MonthNumber maps a month name or its abbreviation ("Sept.") to its
// number, or 0.
func MonthNumber(s string) time.Month {
	return time.Month(txMonthWords[strings.ToLower(strings.TrimSuffix(s, "."))])
}
