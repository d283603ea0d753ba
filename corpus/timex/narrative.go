package timex

import "time"

// A story tells events in order, and "that day", "the next morning" or
// "the following month" are read against the date of the event before
// them, not against the publication date. The anchor is the last calendar
// date the story gave, at day or month precision.
type anchorDate struct {
	t    time.Time
	prec Precision
}

func (a *anchorDate) note(te TimeExpr, sp txSpan) {
	if a == nil || te.Value == "" {
		return
	}
	switch te.Precision {
	case Day, Minute:
		if t, err := time.Parse(time.DateOnly, te.Value[:10]); err == nil {
			a.t, a.prec = t, Day
		}
	case Month:
		if t, err := time.Parse("2006-01", te.Value); err == nil {
			a.t, a.prec = t, Month
		}
	}
}

// narrativeUnits are the units that a narrative expression moves by.
var narrativeUnits = map[string]Precision{"day": Day, "night": Day, "morning": Day, "afternoon": Day, "evening": Day,
	"week": Month, "month": Month, "year": Year}

// narrativeRule reads "that day", "later that week", "the next morning",
// "the following month", "the day before", "a year earlier", "the same day".
func (s *txScanner) narrativeRule(i int, a *anchorDate) (txSpan, bool) {
	if a == nil || a.t.IsZero() {
		return txSpan{}, false
	}
	k := i
	switch s.low(k) {
	case "later", "earlier", "early", "late":
		if s.low(k+1) != "that" {
			return txSpan{}, false
		}
		k++
	}
	step := 0
	var unit string
	switch w := s.low(k); w {
	case "that":
		unit = s.low(k + 1)
		k += 2
	case "the":
		switch s.low(k + 1) {
		case "next", "following":
			step, unit = 1, s.low(k+2)
			k += 3
		case "previous", "preceding", "prior":
			step, unit = -1, s.low(k+2)
			k += 3
		case "same":
			unit = s.low(k + 2)
			k += 3
		default:
			// "the day before", "the day after"
			unit = s.low(k + 1)
			switch s.low(k + 2) {
			case "before":
				step = -1
			case "after":
				step = 1
			default:
				return txSpan{}, false
			}
			if k+3 < len(s.toks) && s.toks[k+3].kind != txPunct {
				// "the day after the election" names its own anchor.
				return txSpan{}, false
			}
			k += 3
		}
	default:
		return txSpan{}, false
	}
	prec, ok := narrativeUnits[unit]
	if !ok || (prec == Day && a.prec != Day) {
		return txSpan{}, false
	}
	if unit == "year" && step == 0 && s.low(i) == "that" && s.low(i-1) == "of" {
		return txSpan{}, false // "the end of that year" reads the same, but "of" belongs to a longer phrase
	}
	sp := txSpan{i: i, j: k, prec: prec, rel: true, anchored: true}
	switch unit {
	case "week":
		t := a.t.AddDate(0, 0, 7*step)
		sp.value = txMonth(t.Year(), t.Month())
	case "month":
		y, m := txShiftMonth(a.t, step)
		sp.value = txMonth(y, m)
	case "year":
		sp.value = txYear(a.t.Year() + step)
	default:
		sp.value = txDay(a.t.AddDate(0, 0, step))
	}
	return sp, true
}

// Confidences by how an expression was read. They are the share right of
// each kind of reading on the evaluation data (docs/LANGUAGE.md gives the
// counts); a kind that was too rare to measure takes its parent's.
const (
	confAbsolute = 0.95 // the text spells out the year
	confDeictic  = 0.93 // "yesterday", "two days ago", "last month": no choice to make
	confTensed   = 0.9  // "Friday", "in May": the governing verb chose the direction
	confUntensed = 0.8  // no governing verb was found: the most recent one is assumed
	confAnchored = 0.6  // resolved against the story's narrative time
)

func (sp txSpan) confidence() float64 {
	switch {
	case sp.anchored:
		return confAnchored
	case !sp.rel:
		return confAbsolute
	case !sp.tensed:
		return confDeictic
	case sp.tense == txUnknown:
		return confUntensed
	}
	return confTensed
}
