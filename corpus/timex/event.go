package timex

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/storybot/storybot/corpus/text"
)

// "In the weeks before Slepian was killed" has no date of its own: it
// hangs on an event that the story may date somewhere else ("the Oct. 23
// sniper shooting of Dr. Barnett Slepian"). Such an expression is read in
// a second pass over the whole story, against the dated sentence that
// shares the event's names; without one it stays unread rather than be
// resolved against the publication date, which it has nothing to do with.

// eventUnits are the spans of time such an expression measures, and the
// precision its value can honestly have: "the days before" the 23rd is a
// time in that month, "the months before" one in that year.
var eventUnits = map[string]Precision{"hours": Day, "days": Month, "weeks": Month, "months": Year}

// eventSpread is how far, in days, the middle of the span lies from the event.
var eventSpread = map[string]int{"hours": 0, "days": 3, "weeks": 14, "months": 60}

// pendingEvent is an expression waiting for its event's date.
type pendingEvent struct {
	para       int
	start, end int // bytes of "the weeks before" in the paragraph
	unit       string
	step       int             // -1 before, +1 after
	names      map[string]bool // the event's proper nouns, lower case
	words      map[string]bool // its other content words
}

// datedSentence is a resolved calendar date and the words of its sentence.
type datedSentence struct {
	para  int
	te    TimeExpr
	names map[string]bool
	words map[string]bool
}

// eventRule reads "the days/weeks/months before|after <clause>" at token
// i, where the clause is not itself a time expression.
func (s *txScanner) eventRule(i int) (pendingEvent, int, bool) {
	k := i
	if s.low(k) == "the" {
		k++
	}
	if s.low(k) == "few" || s.low(k) == "final" || s.low(k) == "last" {
		k++
	}
	unit := s.low(k)
	if _, ok := eventUnits[unit]; !ok {
		return pendingEvent{}, 0, false
	}
	var step int
	switch s.low(k + 1) {
	case "before", "preceding", "prior":
		step = -1
	case "after", "following", "since":
		step = 1
	default:
		return pendingEvent{}, 0, false
	}
	j := k + 2
	if s.low(k+1) == "prior" {
		if s.low(j) != "to" {
			return pendingEvent{}, 0, false
		}
		j++
	}
	if j >= len(s.toks) || s.toks[j].kind == txPunct {
		return pendingEvent{}, 0, false
	}
	if _, ok := s.matchAt(j); ok {
		return pendingEvent{}, 0, false // "the weeks before Christmas" names its own date
	}
	d := s.doc
	if d == nil || len(d.Tokens) == 0 {
		return pendingEvent{}, 0, false
	}
	from := s.toks[j].tok
	si := d.Sentence(from)
	d.TagPOS(si)
	to := d.Sentences[si].To
	if p := clauseEnd(d, from, to); p < to {
		to = p
	}
	names, words := contentWords(d, from, to)
	if len(names) == 0 {
		return pendingEvent{}, 0, false // "the weeks before the vote": which vote is not said
	}
	return pendingEvent{start: s.toks[i].start, end: s.toks[k+1].end, unit: unit, step: step, names: names, words: words}, k + 2, true
}

// clauseEnd is where the clause that starts at token from ends: at a
// punctuation mark or after a dozen words.
func clauseEnd(d *text.Doc, from, to int) int {
	for k := from; k < to; k++ {
		switch d.Tokens[k].Text {
		case ",", ";", ":", "(", ")", "—", "–", `"`, "“", "”":
			return k
		}
		if k-from >= 12 {
			return k
		}
	}
	return to
}

// contentWords splits tokens [from, to) into proper nouns and other
// content words, both lower case, the latter cut to a short stem so that
// "killed" meets "killing".
func contentWords(d *text.Doc, from, to int) (names, words map[string]bool) {
	names, words = map[string]bool{}, map[string]bool{}
	for k := from; k < to; k++ {
		t := d.Tokens[k]
		w := strings.ToLower(t.Text)
		switch {
		case strings.HasPrefix(t.POS, "NNP"):
			if len(w) > 1 {
				names[w] = true
			}
		case strings.HasPrefix(t.POS, "NN") || strings.HasPrefix(t.POS, "VB") && !auxVerbs[w]:
			if len(w) > 3 {
				words[stem(w)] = true
			}
		}
	}
	return names, words
}

var auxVerbs = text.WordSet("is are was were be been being has have had do does did")

func stem(w string) string {
	if len(w) > 5 {
		return w[:5]
	}
	return w
}

// datedSentences lists the story's day- and month-precise dates with the
// words of the sentence each stands in.
func datedSentences(paragraphs []*text.Doc, found [][]TimeExpr) []datedSentence {
	var out []datedSentence
	for p, d := range paragraphs {
		// A sentence's words are read once for all its dates, which a
		// sentence with no full stop may have thousands of.
		read := -1
		var names, words map[string]bool
		for _, te := range found[p] {
			if te.Value == "" || (te.Precision != Day && te.Precision != Minute && te.Precision != Month) {
				continue
			}
			si := d.Sentence(d.TokenAt(te.Start))
			if si < 0 || si >= len(d.Sentences) {
				continue
			}
			if si != read {
				d.TagPOS(si)
				sent := d.Sentences[si]
				names, words = contentWords(d, sent.From, sent.To)
				read = si
			}
			out = append(out, datedSentence{para: p, te: te, names: names, words: words})
		}
	}
	return out
}

// resolveEvents dates each pending expression by the dated sentence that
// shares most of its event's words, among those sharing one of its names,
// and adds it to its paragraph's expressions.
func resolveEvents(pending []pendingEvent, paragraphs []*text.Doc, found [][]TimeExpr) {
	if len(pending) == 0 {
		return
	}
	dated := datedSentences(paragraphs, found)
	byName := map[string][]int{}
	for n, ds := range dated {
		for w := range ds.names {
			byName[w] = append(byName[w], n)
		}
	}
	for _, pe := range pending {
		best, bestScore := -1, 0
		for _, n := range eventCandidates(pe, dated, byName) {
			ds := dated[n]
			shared := 0
			for w := range pe.names {
				if ds.names[w] {
					shared++
				}
			}
			if shared == 0 {
				continue
			}
			score := 2 * shared
			for w := range pe.words {
				if ds.words[w] {
					score++
				}
			}
			if score > bestScore {
				best, bestScore = n, score
			}
		}
		if best < 0 {
			continue
		}
		te, ok := pe.date(dated[best].te)
		if !ok {
			continue
		}
		te.Text = paragraphs[pe.para].Text[pe.start:pe.end]
		te.Start, te.End = pe.start, pe.end
		exprs := found[pe.para]
		at := sort.Search(len(exprs), func(i int) bool { return exprs[i].Start >= te.Start })
		exprs = append(exprs, TimeExpr{})
		copy(exprs[at+1:], exprs[at:])
		exprs[at] = te
		found[pe.para] = exprs
	}
}

// maxEventCandidates is how many dated sentences an event is compared
// with. A story has a few dozen dates, but one of thousands of paragraphs
// may have thousands, and comparing each event with each cost the square
// of the story's length.
const maxEventCandidates = 100

// eventCandidates returns, in story order, the dated sentences that share
// a name with the event: all of them, or when there are more than
// maxEventCandidates, that many nearest to the event.
func eventCandidates(pe pendingEvent, dated []datedSentence, byName map[string][]int) []int {
	var out []int
	cut := false
	for w := range pe.names {
		l := byName[w]
		at := sort.Search(len(l), func(i int) bool { return dated[l[i]].para >= pe.para })
		lo, hi := max(at-maxEventCandidates, 0), min(at+maxEventCandidates, len(l))
		cut = cut || lo > 0 || hi < len(l)
		out = append(out, l[lo:hi]...)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if cut || len(out) > maxEventCandidates {
		dist := func(n int) int { return abs(dated[n].para - pe.para) }
		slices.SortStableFunc(out, func(a, b int) int { return cmp.Compare(dist(a), dist(b)) })
		out = out[:min(len(out), maxEventCandidates)]
		slices.Sort(out)
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// date is the expression's value given its event's date.
func (pe pendingEvent) date(event TimeExpr) (TimeExpr, bool) {
	layout := time.DateOnly
	v := event.Value
	if event.Precision == Month {
		layout = "2006-01"
	} else if len(v) > 10 {
		v = v[:10]
	}
	t, err := time.Parse(layout, v)
	if err != nil {
		return TimeExpr{}, false
	}
	prec := eventUnits[pe.unit]
	if event.Precision == Month && prec == Day {
		prec = Month
	}
	if event.Precision == Day || event.Precision == Minute {
		t = t.AddDate(0, 0, pe.step*eventSpread[pe.unit])
	}
	te := TimeExpr{Precision: prec, Relative: event.Relative, Confidence: confAnchored}
	switch prec {
	case Day:
		te.Value = txDay(t)
	case Month:
		te.Value = txMonth(t.Year(), t.Month())
	default:
		te.Value = txYear(t.Year())
	}
	return te, true
}
