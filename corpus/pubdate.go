package corpus

import (
	"github.com/storybot/storybot/corpus/timex"
	"regexp"
	"strconv"
	"time"
)

var (
	// "Update 02/25/22 06.35 a.m. ET: ..." as news sites stamp revisions.
	updateLine = regexp.MustCompile(`(?i)^(?:updated?|published|posted)[:\s]+(?:on\s+)?(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\b`)
	// A dateline opens the first paragraphs: "WASHINGTON, Sept. 12, 2016 —" or "Sept. 12, 2016 —".
	datelineText = regexp.MustCompile(`^(?:[A-Z][A-Z .'-]+,\s+)?(?:[A-Z][A-Za-z .'-]+,\s+)?` +
		`(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})\b`)
)

// inferPublished finds a publication date in the text of a story whose
// header gave none. An update stamp is the date the text was last
// published, so it wins over a dateline; the earliest-written stamp is
// used when there are several.
func inferPublished(st *Story) time.Time {
	for _, p := range st.Paragraphs {
		if m := updateLine.FindStringSubmatch(p.Text); m != nil {
			if t, ok := numericDate(m[1], m[2], m[3]); ok {
				return t
			}
		}
	}
	for i, p := range st.Paragraphs {
		if i >= 3 {
			break
		}
		if m := datelineText.FindStringSubmatch(p.Text); m != nil {
			mon := monthNumber(m[1])
			d, _ := strconv.Atoi(m[2])
			y, _ := strconv.Atoi(m[3])
			if t, ok := timex.ValidDate(y, mon, d); ok {
				return t
			}
		}
	}
	return time.Time{}
}

// numericDate reads US-style month/day/year with a two- or four-digit year.
func numericDate(ms, ds, ys string) (time.Time, bool) {
	m, _ := strconv.Atoi(ms)
	d, _ := strconv.Atoi(ds)
	y, _ := strconv.Atoi(ys)
	if len(ys) == 2 {
		// Two-digit years in web stamps are this century's, except the
		// few archives that reach back into the 1990s.
		if y >= 70 {
			y += 1900
		} else {
			y += 2000
		}
	}
	return timex.ValidDate(y, time.Month(m), d)
}

// monthNumber maps a month name or its abbreviation ("Sept.") to its
// number, or 0; the words are the time-expression rules' own.
func monthNumber(s string) time.Month {
	return timex.MonthNumber(s)
}
