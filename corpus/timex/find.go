package timex

import (
	"time"

	"github.com/storybot/storybot/corpus/text"
)

// Find finds the time expressions in one paragraph and resolves them
// against the publication date (zero when unknown). Expressions come back
// in text order, without overlap, each the longest reading at its start.
// Relative expressions keep an empty Value when the date is unknown rather
// than being resolved against a guess.
func Find(s string, published time.Time) []TimeExpr {
	return FindStory([]*text.Doc{text.Scan(s)}, published)[0]
}

// FindStory finds the time expressions of a story's analysed paragraphs,
// given in body order. Besides what Find reads, it resolves expressions
// tied to the story's own narrative time ("that day", "the next morning")
// against the last calendar date the story gave before them.
func FindStory(paragraphs []*text.Doc, published time.Time) [][]TimeExpr {
	out := make([][]TimeExpr, len(paragraphs))
	var anchor anchorDate
	var pending []pendingEvent
	for i, d := range paragraphs {
		out[i] = findDoc(d, published, &anchor, func(pe pendingEvent) {
			pe.para = i
			pending = append(pending, pe)
		})
	}
	resolveEvents(pending, paragraphs, out)
	return out
}

func findDoc(d *text.Doc, published time.Time, anchor *anchorDate, event func(pendingEvent)) []TimeExpr {
	s := txScanner{text: d.Text, doc: d, toks: txFromDoc(d, make([]txToken, 0, len(d.Tokens)+len(d.Tokens)/4+4))}
	known := !published.IsZero()
	if known {
		s.pub = time.Date(published.Year(), published.Month(), published.Day(), 0, 0, 0, 0, time.UTC)
	}
	var out []TimeExpr
	for i := 0; i < len(s.toks); {
		if s.toks[i].kind == txPunct && !s.isApostrophe(i) {
			i++
			continue
		}
		sp, ok := s.matchAt(i)
		if !ok {
			if sp, ok = s.narrativeRule(i, anchor); !ok {
				if pe, j, ok := s.eventRule(i); ok {
					event(pe)
					i = j
					continue
				}
				i++
				continue
			}
		}
		start, end := s.toks[sp.i].start, s.toks[sp.j-1].end
		te := TimeExpr{Text: d.Text[start:end], Start: start, End: end, Value: sp.value, Precision: sp.prec, Relative: sp.rel,
			Confidence: sp.confidence()}
		if sp.rel && !known && !sp.anchored {
			te.Value, te.Confidence = "", 0
		}
		out = append(out, te)
		anchor.note(te, sp)
		i = sp.j
	}
	return out
}
