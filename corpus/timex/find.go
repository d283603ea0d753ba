package timex

import "time"

// FindTimes finds the time expressions in one paragraph and resolves them
// against the publication date (zero when unknown). Expressions come back
// in text order, without overlap, each the longest reading at its start.
// Relative expressions keep an empty Value when the date is unknown rather
// than being resolved against a guess.
func Find(text string, published time.Time) []TimeExpr {
	// Wire prose averages about six bytes a token.
	s := txScanner{text: text, toks: txTokenize(text, make([]txToken, 0, len(text)/5+4))}
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
			i++
			continue
		}
		start, end := s.toks[sp.i].start, s.toks[sp.j-1].end
		te := TimeExpr{Text: text[start:end], Start: start, End: end, Value: sp.value, Precision: sp.prec, Relative: sp.rel}
		if sp.rel && !known {
			te.Value = ""
		}
		out = append(out, te)
		i = sp.j
	}
	return out
}
