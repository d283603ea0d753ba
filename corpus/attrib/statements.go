package attrib

import (
	"cmp"
	"github.com/storybot/storybot/corpus/text"
	"slices"
	"strings"
	"unicode"
)

// rawStatement is a statement before its speaker is resolved across the
// story.
type rawStatement struct {
	phrase  speakerPhrase
	mention string // the speaker as written
	cue     string
	start   int // byte range of the content
	end     int
	direct  bool
	// inherit is set for quotations that carry no cue of their own and
	// continue the speaker of another statement.
	inherit *rawStatement
	// prevPara is set when the speaker comes from the previous paragraph.
	prevPara bool
	cueTok   int
	speaker  string
	desc     string
	person   bool
	// how says how the speaker was found, for the confidence.
	how speakerHow
}

type speakerHow uint8

const (
	byName       speakerHow = iota // a name or a description next to the cue
	byPronoun                      // a pronoun resolved to an earlier speaker or name
	byInheriting                   // a quotation continuing another statement
	unresolved                     // a pronoun nothing resolves
)

// Priors for each way of finding the speaker.
var howConfidence = [...]float64{byName: 0.9, byPronoun: 0.75, byInheriting: 0.8, unresolved: 0.2}

func (rs *rawStatement) confidence() float64 {
	c := howConfidence[rs.how]
	if rs.direct && rs.how == byName {
		c = 0.95
	}
	return c
}

// paraScan holds one paragraph's tokens while its statements are found.
type paraScan struct {
	text   string
	doc    *text.Doc
	toks   []token
	quotes []quoteSpan
	stmts  []*rawStatement
	// openEnd is true when the paragraph ends inside an open quotation.
	openEnd bool
	// closing is the quotation each token closes, or -1.
	closing []int
	// transcripts is how many of stmts findTranscript found; they come
	// first, and those of the cue scan after them in the order of their cues.
	transcripts int
	lowerText   string // text in lower case, once it is asked for
	// sentStarts is the first token of each sentence; posRead says which
	// sentences tagSentence has read.
	sentStarts []int
	posRead    []bool
	// own is the last statement of the cue scan among the first ownRead
	// of stmts that does not inherit its speaker.
	own     *rawStatement
	ownRead int
}

// FindText finds the attributed statements in a story's paragraphs,
// given in body order. The result has one slice per paragraph.
func FindText(paragraphs []string) [][]Statement {
	docs := make([]*text.Doc, len(paragraphs))
	for i, p := range paragraphs {
		docs[i] = text.Scan(p)
	}
	return Find(docs)
}

// Find finds the attributed statements in a story's analysed paragraphs,
// given in body order. The result has one slice per paragraph.
func Find(paragraphs []*text.Doc) [][]Statement {
	scans := make([]*paraScan, len(paragraphs))
	for i, p := range paragraphs {
		scans[i] = scanParagraph(p)
	}
	linkContinuations(scans)
	res := newResolver(scans)
	out := make([][]Statement, len(paragraphs))
	for i, sc := range scans {
		for _, rs := range sc.stmts {
			res.resolve(i, rs)
		}
		for _, rs := range sc.stmts {
			if rs.speaker == "" {
				continue
			}
			q := sc.text[rs.start:rs.end]
			out[i] = append(out[i], Statement{
				Speaker: rs.speaker, Mention: rs.mention, Description: rs.desc,
				Quote: q, Cue: rs.cue, Direct: rs.direct, Start: rs.start, End: rs.end, Confidence: rs.confidence(),
			})
		}
	}
	return out
}

func scanParagraph(d *text.Doc) *paraScan {
	toks, quotes := tokens(d)
	p := d.Text
	sc := &paraScan{text: p, doc: d, toks: toks, quotes: quotes, closing: make([]int, len(toks))}
	sc.sentStarts = sentenceStarts(toks)
	sc.posRead = make([]bool, len(sc.sentStarts))
	for i := range sc.closing {
		sc.closing[i] = -1
	}
	for qi, q := range quotes {
		if q.close < 0 && q.e == len(p) {
			sc.openEnd = true
		}
		if q.close >= 0 && sc.closing[q.close] < 0 {
			sc.closing[q.close] = qi
		}
	}
	sc.findTranscript()
	sc.transcripts = len(sc.stmts)
	for i := range toks {
		sc.findAt(i)
	}
	sc.findDashCredits()
	sc.attachOrphans()
	sc.cutAtNextAttribution()
	return sc
}

// cutAtNextAttribution ends a reported statement's content where another
// attribution begins inside it: in "Obama emphasized that the reforms were
// not complete, and rights groups warned that …" the first content stops
// before "rights groups". Only a new clause counts ("," "and" "but" ";"
// before the speaker), not "what the senators said was …", which belongs
// to the content. What is left of an outer one that framed another whole
// ("Back when he wrote his book, Mr. McKinley said that …") is too short
// to be a statement, and goes.
func (sc *paraScan) cutAtNextAttribution() {
	// A paragraph may be a whole story of statements, or one sentence of
	// thousands, so a statement only meets the attributions whose speaker
	// starts inside its content, and of those only the ones that cut it.
	// The cuts go in statement order, and each shortens the content, so
	// the next cut is the earliest statement among the attributions still
	// inside, and one that falls out stays out. A tree over the openers by
	// position gives the earliest; listing every opener inside made each
	// statement of a long sentence cost its length.
	type opener struct{ ps, i int }
	var opens []opener
	all := slices.Clone(sc.stmts) // keep reuses sc.stmts as it fills
	for i, b := range all {
		if b.cue == "" || b.phrase.to <= b.phrase.from || b.phrase.from == 0 || !clauseJoint(lower(sc.toks[b.phrase.from-1].text)) {
			continue
		}
		opens = append(opens, opener{sc.toks[b.phrase.from].s, i})
	}
	slices.SortFunc(opens, func(x, y opener) int { return cmp.Or(x.ps-y.ps, x.i-y.i) })
	first := newMinTree(len(opens))
	for k, o := range opens {
		first.set(k, o.i)
	}
	var out []int // openers taken out of the tree for the statement at hand
	keep := sc.stmts[:0]
	for ai, a := range all {
		if !a.direct {
			lo, _ := slices.BinarySearchFunc(opens, a.start+1, func(o opener, ps int) int { return o.ps - ps })
			for {
				hi, _ := slices.BinarySearchFunc(opens, a.end, func(o opener, ps int) int { return o.ps - ps })
				k := first.min(lo, hi)
				if k < 0 {
					break
				}
				bi := opens[k].i
				b := all[bi]
				ps, cs := sc.toks[b.phrase.from].s, sc.toks[b.cueTok].s
				if bi == ai || ps <= a.start || ps >= a.end || cs >= a.end {
					first.set(k, -1)
					out = append(out, k)
					continue
				}
				j := b.phrase.from - 1
				for j > 0 && sc.toks[j-1].e > a.start && clauseJoint(lower(sc.toks[j-1].text)) {
					j--
				}
				a.start, a.end = trimContent(sc.text, a.start, sc.toks[j].s)
			}
			for _, k := range out {
				first.set(k, opens[k].i)
			}
			out = out[:0]
		}
		if a.direct || hasSpaces(strings.TrimSpace(sc.text[a.start:a.end]), 2) {
			keep = append(keep, a)
		}
	}
	sc.stmts = keep
}

// minTree holds a value at each of n places, -1 for none, and returns the
// place of the least value in a range.
type minTree struct {
	n   int
	val []int // the leaves from n on; each node holds a place or -1
	at  []int // the value at each place
}

func newMinTree(n int) *minTree {
	t := &minTree{n: n, val: make([]int, 2*n), at: make([]int, n)}
	for i := range t.val {
		t.val[i] = -1
	}
	return t
}

func (t *minTree) better(p, q int) int {
	switch {
	case p < 0:
		return q
	case q < 0:
		return p
	case t.at[q] < t.at[p] || t.at[q] == t.at[p] && q < p:
		return q
	}
	return p
}

// set gives place k the value v, or none when v is -1.
func (t *minTree) set(k, v int) {
	t.at[k] = v
	x := k + t.n
	t.val[x] = -1
	if v >= 0 {
		t.val[x] = k
	}
	for x /= 2; x >= 1; x /= 2 {
		t.val[x] = t.better(t.val[2*x], t.val[2*x+1])
	}
}

// min returns the place in [lo, hi) with the least value, or -1.
func (t *minTree) min(lo, hi int) int {
	best := -1
	for lo, hi = lo+t.n, hi+t.n; lo < hi; lo, hi = lo/2, hi/2 {
		if lo&1 == 1 {
			best = t.better(best, t.val[lo])
			lo++
		}
		if hi&1 == 1 {
			hi--
			best = t.better(best, t.val[hi])
		}
	}
	return best
}

// hasSpaces reports whether s holds at least n spaces, reading no further
// than the nth.
func hasSpaces(s string, n int) bool {
	for ; n > 0; n-- {
		k := strings.IndexByte(s, ' ')
		if k < 0 {
			return false
		}
		s = s[k+1:]
	}
	return true
}

func clauseJoint(w string) bool { return w == "and" || w == "but" || w == "," || w == ";" }

// findAt looks for a statement cued by token i.
func (sc *paraScan) findAt(i int) {
	t := sc.toks[i]
	if t.kind != tkWord || t.quote >= 0 {
		return
	}
	lw := lower(t.text)
	switch {
	case lw == "according" && i+1 < len(sc.toks) && lower(sc.toks[i+1].text) == "to":
		sc.according(i)
		return
	case nounCues[lw] && i+1 < len(sc.toks) && lower(sc.toks[i+1].text) == "that":
		if sc.nounCue(i) {
			return
		}
	}
	if !startsLower(t.text) && !t.sentStart {
		// "the United States", "The Washington Post": names, not cues.
		return
	}
	kind := cueWords[lw]
	if lw == "went" && i+1 < len(sc.toks) && lower(sc.toks[i+1].text) == "on" {
		kind = cueVerb
	}
	if kind == cueNone {
		return
	}
	sc.verbCue(i, kind)
}

// verbCue handles "X said …", "“…,” X said", "“…,” said X" and participles.
func (sc *paraScan) verbCue(i int, kind cueKind) {
	toks := sc.toks
	from, to := sc.sentenceBounds(i)
	sc.tagSentence(i)
	lw := lower(toks[i].text)
	cueEnd := i + 1
	if lw == "went" {
		cueEnd = i + 2
	}
	rs := &rawStatement{cueTok: i}

	// The subject, read leftwards past helpers: "has also said".
	k := i - 1
	for k >= from && toks[k].kind == tkWord && toks[k].quote < 0 && isHelper(toks[k].text) {
		k--
		// "Sanders on Tuesday said"
		if k >= from && k+1 < i && weekdays[lower(toks[k+1].text)] && (lower(toks[k].text) == "on" || lower(toks[k].text) == "late" || lower(toks[k].text) == "early") {
			k--
		}
	}
	left := false
	if k >= from {
		switch {
		case lower(toks[k].text) == "and" || lower(toks[k].text) == "but":
			// "Cruz exhorted Republicans … and said he was …"
			kind = cuePart
		case toks[k].text == "," && kind == cueVerb:
			// "Rendell, a Clinton surrogate, said"
			if ph, ok := sc.appositiveSubject(k, from); ok {
				rs.phrase, left = ph, true
			}
		case isDash(toks[k].text) && kind == cueVerb:
			// "Kall -- co-editor of a book, which …, -- said": commas
			// may stand inside a dashed apposition; the other dash opens it.
			if ph, ok := sc.dashedSubject(k, from); ok {
				rs.phrase, left = ph, true
			}
		case lower(toks[k].text) == "who" && k-1 >= from && toks[k-1].text == ",":
			if c, ok := appositionBack(toks, k-1, from); ok {
				if ph, ok := phraseBack(toks, c-1, from); ok {
					rs.phrase, left = ph, true
				}
			} else if ph, ok := phraseBack(toks, k-2, from); ok {
				rs.phrase, left = ph, true
			}
		case k == i-1 && determiners[lower(toks[k].text)]:
			// "The said company": an adjective, not a cue.
			return
		default:
			if ph, ok := phraseBack(toks, k, from); ok {
				rs.phrase, left = ph, true
			} else if ph, ok := sc.groupSubject(from, k); ok {
				rs.phrase, left = ph, true
			}
		}
	}
	if left && isPossessive(toks[rs.phrase.to-1].text) {
		// "Trump’s tweet to …": a noun, not a verb.
		return
	}
	if !left && nounOnly[lw] {
		return
	}
	if nounOnly[lw] && i+1 < len(toks) && (cueWords[lower(toks[i+1].text)] == cueVerb || helperWords[lower(toks[i+1].text)]) {
		// "the IMF report stated": the noun of a longer subject.
		return
	}

	if left && kind == cuePart && toks[rs.phrase.to-1].kind == tkWord && k == i-1 && !rs.phrase.pronoun {
		// "…, Trump telling reporters" is rare; a participle right after a
		// noun usually modifies it ("people saying"), so keep it only for names.
		if !isCapWord(toks[rs.phrase.to-1]) {
			return
		}
	}

	contentFrom := cueEnd
	inverted := false
	if !left {
		prev := i - 1
		switch {
		case kind == cuePart:
			// The participle's subject is the clause's speaker.
			if !sc.participleSubject(rs, i, from) {
				return
			}
		case prev >= from-1 && (prev < 0 || toks[prev].kind == tkCloseQ || toks[prev].kind == tkStraight || toks[prev].text == "," || prev < from):
			ph, ok := phraseForward(toks, cueEnd, to)
			if !ok {
				return
			}
			rs.phrase, inverted = ph, true
			contentFrom = ph.to
			if c, ok := apposition(toks, ph.to, to); ok {
				rs.phrase.appos = strings.TrimSpace(sc.text[toks[ph.to].e:toks[c].s])
				contentFrom = c
			}
		default:
			return
		}
	}
	rs.cue = sc.text[toks[i].s:toks[cueEnd-1].e]

	// Direct quotation just before the speaker or the cue.
	before := rs.phrase.from - 1
	if inverted || kind == cuePart {
		before = i - 1
	}
	for before >= 0 && toks[before].text == "," && toks[before].quote < 0 {
		before--
	}
	if before >= 0 && (toks[before].kind == tkCloseQ || (toks[before].kind == tkStraight && toks[before].quote < 0 && before > 0 && toks[before-1].quote >= 0)) && sc.quoteOpensSentence(before) {
		// “…,” X said — but not “… .” X said, where the quotation ended
		// its own sentence.
		if q := sc.quoteEndingAt(before); q >= 0 && !(toks[before-1].text == "." && (rs.phrase.from == before+1 && toks[before+1].sentStart)) {
			sc.addDirect(rs, q)
			return
		}
	}

	// Content after the cue.
	j := contentFrom
	if objectCues[lw] {
		j = sc.skipObject(j, to)
	}
	// A quotation that follows within a few words is the content:
	// "said: “…”", "wrote on Twitter: “…”".
	for k := j; k < to && k-j < 10; k++ {
		tk := toks[k]
		if tk.kind == tkOpenQ || (tk.kind == tkStraight && k+1 < len(toks) && toks[k+1].quote >= 0) {
			if k == j || toks[k-1].text == ":" || toks[k-1].text == "," || lower(toks[k-1].text) == "that" {
				if q := toks[k+1].quote; k+1 < len(toks) && q >= 0 && !framingCues[lw] && sc.endsClause(q, to) {
					sc.addDirect(rs, q)
					return
				}
			}
			break
		}
		if tk.kind == tkEnd || tk.quote >= 0 || (tk.kind == tkWord && cueWords[lower(tk.text)] != cueNone) {
			break
		}
	}
	// Skip "that" and short time phrases: "said Monday that …".
	for k := j; k < to && k-j < 8; k++ {
		if toks[k].quote < 0 && lower(toks[k].text) == "that" && toks[k].kind == tkWord {
			if noClauseBetween(toks, j, k) {
				j = k + 1
			}
			break
		}
	}
	end := sc.clauseEnd(j, to)
	if left && rs.phrase.from > from && subordinators[lower(toks[from].text)] && rs.phrase.from-from <= 2 {
		// "Although Trump has said he pays taxes, he does not …": the
		// subordinate clause, and so the content, ends at its comma.
		for c := j; c < end; c++ {
			if toks[c].text == "," && toks[c].quote < 0 {
				end = c
				break
			}
		}
	}
	// "…, Sen. Ana Ruiz told The Daily Ledger on Thursday." The
	// attribution trails its content; what follows the cue is circumstance.
	trailing := left && rs.phrase.from > from && (toks[rs.phrase.from-1].text == "," || toks[rs.phrase.from-1].text == "—" ||
		toks[rs.phrase.from-1].kind == tkCloseQ || toks[rs.phrase.from-1].kind == tkStraight)
	if inverted && i > from && toks[i-1].text == "," {
		trailing = true
	}
	if trailing && j < end && circumstance[lower(toks[j].text)] && !(j > 0 && lower(toks[j-1].text) == "that") {
		j = end
	}
	// "Over the past decade, Ms. Reyes said, the harbour has …": an
	// attribution set off by commas after a lead-in phrase.
	if j < end && toks[j].text == "," && j == cueEnd && !leadIn[lower(toks[from].text)] && trailing {
		j = end
	}
	if j < end && hasWord(toks[j:end]) && !(end-j <= 1 && toks[j].kind != tkWord) {
		if j < len(toks) && (toks[j].text == "," || toks[j].text == ":") {
			j++
		}
		if j < end && hasWord(toks[j:end]) {
			rs.start, rs.end = trimContent(sc.text, toks[j].s, toks[end-1].e)
			if rs.end > rs.start {
				sc.stmts = append(sc.stmts, rs)
				return
			}
		}
	}
	// Nothing after the cue: the content is the clause before the speaker,
	// "The new pier can hold 40 boats, Mr. De Wit said."
	stop := rs.phrase.from
	if inverted || kind == cuePart {
		stop = i
	}
	if stop > from && (toks[stop-1].kind == tkCloseQ || toks[stop-1].kind == tkStraight) && toks[stop-1].quote < 0 {
		// Raising the fee “keeps the lights on,” Ruiz said.
		s, e := trimContent(sc.text, toks[from].s, toks[stop-1].e)
		if e > s && hasSpaces(sc.text[s:e], 2) {
			rs.start, rs.end = s, e
			sc.stmts = append(sc.stmts, rs)
		}
		return
	}
	if stop > from && (toks[stop-1].text == "," || toks[stop-1].text == "—") {
		s, e := trimContent(sc.text, toks[from].s, toks[stop-1].s)
		if e > s && hasSpaces(sc.text[s:e], 2) {
			rs.start, rs.end = s, e
			sc.stmts = append(sc.stmts, rs)
		}
	}
}

// participleSubject finds who an "-ing" cue belongs to: the speaker of an
// earlier statement in the sentence, or else the sentence's subject.
func (sc *paraScan) participleSubject(rs *rawStatement, i, from int) bool {
	// Both runs of statements are in cue order, one statement a cue, so
	// the one wanted is the last of each run before the cue that speaks
	// for itself, if it is in the sentence. It is kept, or searched for,
	// rather than read back to: "…, adding …, adding …" would read every
	// participle of a long sentence back for each.
	for x := max(sc.ownRead, sc.transcripts); x < len(sc.stmts); x++ {
		if sc.stmts[x].inherit == nil {
			sc.own = sc.stmts[x]
		}
	}
	sc.ownRead = len(sc.stmts)
	if sc.own != nil && sc.own.cueTok >= from {
		rs.inherit = sc.own
		return true
	}
	tr := sc.stmts[:sc.transcripts]
	if n, _ := slices.BinarySearchFunc(tr, i, func(st *rawStatement, i int) int { return st.cueTok - i }); n > 0 && tr[n-1].cueTok >= from {
		rs.inherit = tr[n-1]
		return true
	}
	j := from
	for j < i && sc.toks[j].quote >= 0 || j < i && (sc.toks[j].kind == tkOpenQ || sc.toks[j].kind == tkCloseQ) {
		j++
	}
	if j < i && leadIn[lower(sc.toks[j].text)] {
		for j < i && sc.toks[j].text != "," {
			j++
		}
		j++
	}
	if j >= i {
		return false
	}
	ph, ok := phraseForward(sc.toks, j, i)
	if !ok || ph.from != j {
		return false
	}
	// The subject must be followed by a verb, not be part of a longer phrase.
	if ph.to < i && sc.toks[ph.to].kind != tkWord && sc.toks[ph.to].text != "," {
		return false
	}
	rs.phrase = ph
	return true
}

// according handles "according to X, …" and "…, according to X."
func (sc *paraScan) according(i int) {
	toks := sc.toks
	from, to := sc.sentenceBounds(i)
	ph, ok := phraseForward(toks, i+2, to)
	if !ok {
		return
	}
	rs := &rawStatement{phrase: ph, cue: sc.text[toks[i].s:toks[i+1].e], cueTok: i}
	after := ph.to
	if c, ok := apposition(toks, ph.to, to); ok {
		rs.phrase.appos = strings.TrimSpace(sc.text[toks[ph.to].e:toks[c].s])
		after = c
	}
	var s, e int
	if i == from || (i > from && toks[i-1].kind == tkOpenQ) || (i-from <= 2 && !hasWord(toks[from:i])) {
		if after < to && (toks[after].text == "," || toks[after].text == "—") {
			after++
		}
		if after >= to {
			return
		}
		s, e = trimContent(sc.text, toks[after].s, toks[to-1].e)
	} else {
		s, e = trimContent(sc.text, toks[from].s, toks[i-1].e)
	}
	if e <= s {
		return
	}
	rs.start, rs.end = s, e
	if q := sc.quoteCovering(s, e); q >= 0 {
		rs.direct = true
		rs.start, rs.end = trimContent(sc.text, sc.quotes[q].s, sc.quotes[q].e)
	}
	sc.stmts = append(sc.stmts, rs)
}

// nounCue handles "Trump’s claim that …".
func (sc *paraScan) nounCue(i int) bool {
	toks := sc.toks
	from, to := sc.sentenceBounds(i)
	sc.tagSentence(i)
	k := i - 1
	for k >= from && toks[k].kind == tkWord && (lower(toks[k].text) == "earlier" || lower(toks[k].text) == "repeated" || lower(toks[k].text) == "latest") {
		k--
	}
	if k < from || !isPossessive(toks[k].text) {
		return false
	}
	ph, ok := phraseBack(toks, k, from)
	if !ok {
		return false
	}
	rs := &rawStatement{phrase: ph, cue: toks[i].text, cueTok: i}
	end := sc.clauseEnd(i+2, to)
	if end <= i+2 {
		return false
	}
	rs.start, rs.end = trimContent(sc.text, toks[i+2].s, toks[end-1].e)
	sc.stmts = append(sc.stmts, rs)
	return true
}

// subordinators open a clause that ends at a comma before the main one.
var subordinators = text.WordSet("although though while whereas because since if unless even")

// editorLabels head a note of the newsroom's, not a speaker's line.
var editorLabels = map[string]bool{"clarification": true, "correction": true, "corrections": true, "update": true,
	"updated": true, "editor's note": true, "editor’s note": true, "note": true, "related": true, "watch": true,
	"read more": true, "see also": true, "photos": true, "video": true, "advertisement": true, "disclosure": true}

// findTranscript reads interview transcripts: "WALLACE: …".
func (sc *paraScan) findTranscript() {
	toks := sc.toks
	for i := 0; i < len(toks); i++ {
		if !toks[i].sentStart && i != 0 && toks[i-1].kind != tkNL {
			continue
		}
		j := i
		if j < len(toks) && (toks[j].kind == tkOpenQ || toks[j].kind == tkStraight) {
			j++
		}
		k := j
		for k < len(toks) && toks[k].kind == tkWord && isAllCaps(toks[k].text) && k-j < 4 {
			k++
		}
		if k == j || k >= len(toks) || toks[k].text != ":" || len(sc.text[toks[j].s:toks[k-1].e]) < 3 || editorLabels[lower(sc.text[toks[j].s:toks[k-1].e])] {
			continue
		}
		end := len(toks)
		for e := k + 1; e < len(toks); e++ {
			if toks[e].kind == tkNL {
				end = e
				break
			}
		}
		if end <= k+1 {
			continue
		}
		rs := &rawStatement{phrase: speakerPhrase{from: j, to: k}, cue: ":", direct: true, cueTok: k}
		s, e := trimContent(sc.text, toks[k+1].s, toks[end-1].e)
		rs.start, rs.end = s, e
		sc.stmts = append(sc.stmts, rs)
		// The transcript line is one statement: keep the cue scan out of it.
		for x := k + 1; x < end; x++ {
			if toks[x].quote < 0 {
				toks[x].quote = len(sc.quotes) // sentinel: treated as quoted text
			}
		}
		i = end
	}
}

// findDashCredits reads reader-comment style credits: “…” ― Name.
func (sc *paraScan) findDashCredits() {
	toks := sc.toks
	x := sc.indexStatements()
	for qi, q := range sc.quotes {
		if q.close < 0 {
			continue
		}
		d := q.close + 1
		if d+1 >= len(toks) || (toks[d].text != "―" && toks[d].text != "—" && toks[d].text != "–") {
			continue
		}
		ph, ok := phraseForward(toks, d+1, len(toks))
		if !ok || !isCapWord(toks[d+1]) {
			continue
		}
		if x.covered(q.s, q.e) {
			continue
		}
		rs := &rawStatement{phrase: ph, cue: toks[d].text, cueTok: d}
		sc.addDirect(rs, qi)
	}
}

// attachOrphans gives quotations with no cue of their own to the nearest
// statement of the paragraph, as in “…,” the ministry said. “…”
func (sc *paraScan) attachOrphans() {
	x := sc.indexStatements()
	for qi, q := range sc.quotes {
		if qi >= len(sc.quotes) || x.covered(q.s, q.e) || !sc.standalone(qi) {
			continue
		}
		near := x.lastBefore(q.s)
		if near == nil {
			near = x.firstDirect()
		}
		rs := &rawStatement{inherit: near, cue: "", cueTok: sc.quotes[qi].open, direct: true}
		rs.start, rs.end = trimContent(sc.text, q.s, q.e)
		if rs.end <= rs.start {
			continue
		}
		if near == nil {
			if q.open != 0 {
				continue
			}
			rs.prevPara = true
		}
		sc.stmts = append(sc.stmts, rs)
	}
	sortStatements(sc.stmts)
}

// standalone reports whether quotation qi is a sentence of its own rather
// than a scare quote or a title inside a sentence.
func (sc *paraScan) standalone(qi int) bool {
	q := sc.quotes[qi]
	o := q.open
	if !(o == 0 || sc.toks[o].sentStart || sc.toks[o-1].kind == tkNL || sc.toks[o-1].text == ":") {
		return false
	}
	words := 0
	for k := o + 1; k < len(sc.toks) && sc.toks[k].quote == qi; k++ {
		if sc.toks[k].kind == tkWord {
			words++
		}
	}
	return words >= 3
}

// stmtIndex answers covered and lastBefore for the quotations of a
// paragraph taken in order, while statements are added for them, without
// reading all statements for each quotation.
type stmtIndex struct {
	sc *paraScan
	n  int // statements indexed, sc.stmts[:n]
	// starts are theirs, ascending; maxEnd[k] and last[k] are the largest
	// end and the largest index in sc.stmts among the first k+1 of them.
	starts, maxEnd, last []int
	first                int // index of the first direct one, or -1
	// Of the statements added since: how many have been read, and their
	// largest start and end.
	added, addedStart, addedEnd int
}

func (sc *paraScan) indexStatements() *stmtIndex {
	n := len(sc.stmts)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return sc.stmts[a].start - sc.stmts[b].start })
	x := &stmtIndex{sc: sc, n: n, starts: make([]int, n), maxEnd: make([]int, n), last: make([]int, n), first: -1}
	for k, i := range order {
		st := sc.stmts[i]
		x.starts[k], x.maxEnd[k], x.last[k] = st.start, st.end, i
		if k > 0 {
			x.maxEnd[k], x.last[k] = max(x.maxEnd[k], x.maxEnd[k-1]), max(x.last[k], x.last[k-1])
		}
	}
	for i, st := range sc.stmts {
		if st.direct {
			x.first = i
			break
		}
	}
	return x
}

// upTo is how many indexed statements start at or before p.
func (x *stmtIndex) upTo(p int) int {
	k, _ := slices.BinarySearch(x.starts, p+1)
	return k
}

// addedBy reads the statements added since the index was built and
// reports whether all of them start at or before p. They are added for
// quotations in order, so they do; if not, the caller reads them all.
func (x *stmtIndex) addedBy(p int) bool {
	for _, st := range x.sc.stmts[x.n+x.added:] {
		x.addedStart, x.addedEnd = max(x.addedStart, st.start), max(x.addedEnd, st.end)
		x.added++
	}
	return x.added == 0 || x.addedStart <= p
}

// covered is sc.covered(s, e).
func (x *stmtIndex) covered(s, e int) bool {
	if !x.addedBy(s) {
		return x.sc.covered(s, e)
	}
	if k := x.upTo(s + 1); k > 0 && x.maxEnd[k-1] >= e-1 {
		return true
	}
	if k := x.upTo(s); k > 0 && x.maxEnd[k-1] > s {
		return true
	}
	return x.added > 0 && (x.addedEnd >= e-1 || x.addedEnd > s)
}

// lastBefore returns the statement latest in sc.stmts that starts before
// p, or nil.
func (x *stmtIndex) lastBefore(p int) *rawStatement {
	if !x.addedBy(p - 1) {
		var near *rawStatement
		for _, st := range x.sc.stmts {
			if st.start < p {
				near = st
			}
		}
		return near
	}
	if x.added > 0 {
		return x.sc.stmts[x.n+x.added-1]
	}
	if k := x.upTo(p - 1); k > 0 {
		return x.sc.stmts[x.last[k-1]]
	}
	return nil
}

// firstDirect returns the first direct statement in sc.stmts, or nil.
func (x *stmtIndex) firstDirect() *rawStatement {
	if x.first >= 0 {
		return x.sc.stmts[x.first]
	}
	for _, st := range x.sc.stmts[x.n:] {
		if st.direct {
			return st
		}
	}
	return nil
}

func (sc *paraScan) covered(s, e int) bool {
	for _, st := range sc.stmts {
		if st.start <= s+1 && st.end >= e-1 || (s >= st.start && s < st.end) {
			return true
		}
	}
	return false
}

func (sc *paraScan) addDirect(rs *rawStatement, q int) {
	if q < 0 || q >= len(sc.quotes) {
		return
	}
	rs.direct = true
	rs.start, rs.end = trimContent(sc.text, sc.quotes[q].s, sc.quotes[q].e)
	if rs.end > rs.start {
		sc.stmts = append(sc.stmts, rs)
	}
}

// quoteEndingAt returns the quotation closed by token i.
func (sc *paraScan) quoteEndingAt(i int) int {
	if i < 0 || i >= len(sc.closing) {
		return -1
	}
	return sc.closing[i]
}

// quoteCovering returns a quotation that spans nearly all of [s, e).
func (sc *paraScan) quoteCovering(s, e int) int {
	// Quotations do not overlap, so their ends ascend with their starts:
	// the first that ends late enough is the only one to try.
	qi, _ := slices.BinarySearchFunc(sc.quotes, e-3, func(q quoteSpan, e int) int { return q.e - e })
	if qi < len(sc.quotes) && sc.quotes[qi].s <= s+3 {
		return qi
	}
	return -1
}

// skipObject skips the addressee of "told", "urged" and the like:
// "told reporters", "told Morning Wire host Dana Cole".
func (sc *paraScan) skipObject(j, to int) int {
	toks := sc.toks
	if j >= to || toks[j].kind != tkWord {
		return j
	}
	switch toks[j].text {
	case "that", "the", "a", "an", "this", "these", "those":
		// Content, not an addressee: "warned that the vote …".
		return j
	}
	switch lower(toks[j].text) {
	case "him", "her", "them", "us", "me", "reporters", "journalists", "supporters", "voters", "viewers", "listeners", "lawmakers", "congress":
		return j + 1
	}
	if ph, ok := phraseForward(toks, j, to); ok && !ph.pronoun {
		// Keep the object only when what follows reads as content.
		return ph.to
	}
	return j
}

// clauseEnd is where content starting at j stops: the sentence end, or the
// start of another attributed clause in the same sentence.
func (sc *paraScan) clauseEnd(j, to int) int {
	end := to
	for end > j && (sc.toks[end-1].kind == tkEnd && sc.toks[end-1].quote < 0 || sc.toks[end-1].kind == tkNL) {
		end--
	}
	return end
}

// noClauseBetween reports whether tokens [a, b) are a short phrase that can
// sit between a cue and "that", like "Monday" or "in an interview".
func noClauseBetween(toks []token, a, b int) bool {
	for k := a; k < b; k++ {
		if toks[k].quote >= 0 || toks[k].kind == tkEnd || toks[k].kind == tkOpenQ {
			return false
		}
		if toks[k].kind == tkWord && cueWords[lower(toks[k].text)] != cueNone {
			return false
		}
		// "said the test could change that": a verb makes it a clause,
		// and "that" its object.
		if p := toks[k].pos; p == "MD" || strings.HasPrefix(p, "VB") {
			return false
		}
	}
	return true
}

func hasWord(ts []token) bool {
	for _, t := range ts {
		if t.kind == tkWord {
			return true
		}
	}
	return false
}

// trimContent trims spaces, a trailing comma and a leading "that" from a
// content span.
func trimContent(p string, s, e int) (int, int) {
	for {
		os, oe := s, e
		for s < e && (p[s] == ' ' || p[s] == '\n' || p[s] == ',' || p[s] == ':') {
			s++
		}
		for e > s && (p[e-1] == ' ' || p[e-1] == '\n' || p[e-1] == ',' || p[e-1] == ';') {
			e--
		}
		if strings.HasPrefix(p[s:e], "—") {
			s += len("—")
		}
		if strings.HasSuffix(p[s:e], "—") && e-s > 6 {
			e -= len("—")
		}
		if s == os && e == oe {
			return s, e
		}
	}
}

func isAdverb(w string) bool {
	return len(w) > 4 && strings.HasSuffix(w, "ly") && startsLower(w) && w != "family" && w != "rally" && w != "ally"
}

func isAllCaps(w string) bool {
	letters := 0
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters > 0
}

// appositionBack finds the comma that opens an apposition ending at the
// comma at token k: "Rendell, a Clinton surrogate, said".
func appositionBack(toks []token, k, from int) (int, bool) {
	for c := k - 1; c >= from && k-c < 30; c-- {
		t := toks[c]
		if t.quote >= 0 || t.kind == tkEnd || t.kind == tkOpenQ || t.kind == tkCloseQ || t.kind == tkStraight || t.kind == tkNL {
			return 0, false
		}
		if t.text == "," || t.text == "—" || t.text == "--" {
			if c == k-1 {
				return 0, false
			}
			return c, true
		}
	}
	return 0, false
}

func sortStatements(st []*rawStatement) {
	slices.SortStableFunc(st, func(a, b *rawStatement) int { return a.start - b.start })
}

// linkContinuations lets a paragraph that continues an open quotation, or
// is nothing but a quotation, keep the previous paragraph's speaker.
func linkContinuations(scans []*paraScan) {
	for i := 1; i < len(scans); i++ {
		prev := scans[i-1]
		var last *rawStatement
		for _, st := range prev.stmts {
			last = st
		}
		for _, st := range scans[i].stmts {
			if !st.prevPara {
				continue
			}
			st.prevPara = false
			if last != nil && (prev.openEnd || len(scans[i].stmts) == 1) {
				st.inherit = last
			}
		}
	}
}

// endsClause reports whether quotation q ends the clause it is in, which
// tells a quoted statement from a quoted title such as MSNBC’s “Morning Joe”.
func (sc *paraScan) endsClause(q, to int) bool {
	c := sc.quotes[q].close
	if c < 0 || c+1 >= to {
		return true
	}
	n := sc.toks[c+1]
	return n.kind == tkEnd || n.kind == tkNL || n.text == "," || n.text == ";" || n.text == "—" || n.text == "―" || n.text == ")"
}

// appositiveSubject reads the subject of "X, a description, said" given
// the comma at k, and the reverse "A lawyer for them, David Schulz, said".
func (sc *paraScan) appositiveSubject(k, from int) (speakerPhrase, bool) {
	toks := sc.toks
	c, ok := appositionBack(toks, k, from)
	if !ok {
		return speakerPhrase{}, false
	}
	// "Ana Ruiz, 59, of Tolva, Ore., said": a state after a town, an age
	// and an "of" place are one apposition in several commas, and so is a
	// relative clause after them: "…, Md., who watched the ceremony, said".
	for steps, bound := 0, k; steps < 4 && (placeOrAge(toks[c+1:bound]) || relativeClause(toks[c+1:bound])); steps++ {
		c2, ok := appositionBack(toks, c, from)
		if !ok {
			break
		}
		c, bound = c2, c
	}
	appos := strings.TrimSpace(sc.text[toks[c].e:toks[k].s])
	// The apposition is itself a name: "A lawyer for the outlets, David Schulz,".
	// A name before the apposition wins: "Senator Ana Ruiz, Democrat of Oregon,".
	outerName := false
	if ph, ok := phraseBack(toks, c-1, from); ok && !ph.pronoun && isCapWord(toks[ph.to-1]) {
		outerName = true
	}
	if inner, ok := phraseBack(toks, k-1, c+1); !outerName && ok && inner.from == c+1 && isCapWord(toks[c+1]) && !determiners[lower(toks[c+1].text)] && !isAffiliation(toks[c+1].text) {
		if _, desc, person := nameParts(toks, inner, sc.text); person && desc == "" {
			inner.appos = strings.TrimSpace(sc.text[toks[from].s:toks[c].s])
			if ph, ok := phraseBack(toks, c-1, from); ok {
				inner.appos = strings.TrimSpace(sc.text[toks[ph.from].s:toks[c].s])
			}
			return inner, true
		}
	}
	ph, ok := phraseBack(toks, c-1, from)
	if !ok || ph.pronoun {
		return speakerPhrase{}, false
	}
	ph.appos = appos
	// Two appositions: "Ana Ruiz, the mayor of Tolva, one of the towns
	// that sued, said". Prefer the name to the description.
	if ph.from-1 > from && toks[ph.from-1].text == "," && !isCapWord(toks[ph.from]) || determiners[lower(toks[ph.from].text)] {
		if ph.from-2 >= from {
			if outer, ok := phraseBack(toks, ph.from-2, from); ok && !outer.pronoun && isCapWord(toks[outer.to-1]) && toks[ph.from-1].text == "," {
				outer.appos = strings.TrimSpace(sc.text[toks[ph.from].s:toks[k].s])
				return outer, true
			}
		}
	}
	return ph, true
}

// groupSubject reads a subject that is a plural noun with the phrases
// that place it, from the start of the sentence to the cue: "Experts on
// North Korea and nuclear nonproliferation said", "Political observers in
// Virginia and around the country say". No verb and no comma may stand in
// it, and it is short, so that a clause is never taken for a speaker.
func (sc *paraScan) groupSubject(from, k int) (speakerPhrase, bool) {
	toks := sc.toks
	if k < from+2 || k-from > 10 {
		return speakerPhrase{}, false
	}
	head := -1
	for x := from; x <= k; x++ {
		t := toks[x]
		if t.kind != tkWord || t.quote >= 0 || strings.HasPrefix(t.pos, "VB") || t.pos == "MD" || t.pos == "WDT" || t.pos == "WP" {
			return speakerPhrase{}, false
		}
		if head < 0 && (t.pos == "NNS" || t.pos == "NNPS" && x == from) && x < k && toks[x+1].pos == "IN" {
			head = x
		}
	}
	if head < 0 || head-from > 3 || leadIn[lower(toks[from].text)] {
		return speakerPhrase{}, false
	}
	return speakerPhrase{from: from, to: k + 1}, true
}

// dashedSubject reads the speaker before an apposition set off by dashes
// that ends at token k: "Kall -- co-editor of Debating The Donald, a book
// on the debates -- said".
func (sc *paraScan) dashedSubject(k, from int) (speakerPhrase, bool) {
	toks := sc.toks
	for c := k - 2; c > from && k-c < 40; c-- {
		t := toks[c]
		if t.quote >= 0 || t.kind == tkEnd || t.kind == tkOpenQ || t.kind == tkCloseQ || t.kind == tkStraight || t.kind == tkNL {
			return speakerPhrase{}, false
		}
		if !isDash(t.text) {
			continue
		}
		ph, ok := phraseBack(toks, c-1, from)
		if !ok || ph.pronoun {
			return speakerPhrase{}, false
		}
		ph.appos = strings.TrimSpace(sc.text[toks[c].e:toks[k].s])
		// "Ana Ruiz, the head of Ora Media -- … -- said": the name, not
		// the description, is the speaker.
		if ph.from-2 >= from && toks[ph.from-1].text == "," && (!isCapWord(toks[ph.from]) || determiners[lower(toks[ph.from].text)]) {
			if outer, ok := phraseBack(toks, ph.from-2, from); ok && !outer.pronoun && isCapWord(toks[outer.to-1]) {
				outer.appos = strings.TrimSpace(sc.text[toks[ph.from].s:toks[k].s])
				return outer, true
			}
		}
		return ph, true
	}
	return speakerPhrase{}, false
}

func isDash(w string) bool { return w == "--" || w == "—" || w == "–" }

// circumstance words open a phrase of time, place or manner, which after a
// cue is not the content: "said at a Washington event", "told CNN on Friday".
var circumstance = text.WordSet("at on in during after before while as when from via through to in, this last next monday tuesday wednesday " +
	"thursday friday saturday sunday today yesterday tonight earlier later recently shortly")

// isHelper reports whether w may stand between a subject and its cue.
func isHelper(w string) bool {
	lw := lower(w)
	if startsUpper(w) {
		return weekdays[lw]
	}
	return helperWords[lw] || isAdverb(w)
}

var weekdays = text.WordSet("monday tuesday wednesday thursday friday saturday sunday")

// quoteOpensSentence reports whether the quotation closed at token c
// begins its sentence or clause, as in “…,” she said, rather than being a
// title inside a phrase, as in on “Fox News Sunday,” Pence said.
func (sc *paraScan) quoteOpensSentence(c int) bool {
	q := sc.quoteEndingAt(c)
	if q < 0 {
		return false
	}
	o := sc.quotes[q].open
	if o == 0 || sc.toks[o].sentStart {
		return true
	}
	prev := sc.toks[o-1]
	if prev.kind == tkEnd || prev.kind == tkNL || prev.text == ":" || prev.kind == tkCloseQ {
		return true
	}
	words := 0
	for k := o + 1; k < c; k++ {
		if sc.toks[k].kind == tkWord {
			words++
		}
	}
	return (prev.text == "," || prev.text == "—") && words >= 5
}

// placeOrAge reports whether an apposition is only a place or an age:
// "Md.", "59", "of Ashton".
func relativeClause(seg []token) bool {
	return len(seg) > 1 && (lower(seg[0].text) == "who" || lower(seg[0].text) == "whose")
}

func placeOrAge(seg []token) bool {
	if len(seg) == 1 {
		return isCapWord(seg[0]) || startsDigit(seg[0].text)
	}
	if len(seg) >= 2 && (lower(seg[0].text) == "of" || lower(seg[0].text) == "from") {
		for _, t := range seg[1:] {
			if !isCapWord(t) {
				return false
			}
		}
		return true
	}
	return false
}

// lowered returns the paragraph's text in lower case, computed once.
func (sc *paraScan) lowered() string {
	if sc.lowerText == "" {
		sc.lowerText = lower(sc.text)
	}
	return sc.lowerText
}
