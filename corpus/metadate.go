package corpus

import (
	"strings"
	"time"
)

// metaDateLayouts are the forms publishers put in meta tags, JSON-LD and
// <time datetime>: ISO 8601 with or without a zone or fraction, the RFC
// forms of HTTP and feeds, and a few written ones. A fixed list, tried in
// order, never guesses day-month order the way a lenient parser does.
var metaDateLayouts = []string{
	time.RFC3339Nano, time.RFC3339,
	"2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05", "2006-01-02T15:04:05.999999999", "2006-01-02T15:04Z07:00", "2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05 -0700 MST",
	"2006-01-02 15:04:05", "2006-01-02 15:04", time.DateOnly, "2006/01/02", "20060102",
	time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04 -0700", time.RFC850, time.ANSIC, time.UnixDate,
	"January 2, 2006 3:04 PM", "January 2, 2006 15:04", "January 2, 2006", "Jan 2, 2006", "Jan. 2, 2006",
	"Monday, January 2, 2006", "2 January 2006", "2 Jan 2006", "02 Jan 2006 15:04:05 -0700",
}

// parseMetaDateString reads one date as a page's metadata gives it.
func parseMetaDateString(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range metaDateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
