package answer

import (
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storybot/storybot/corpus/text"
)

// Limits of the phrases considered, in words.
const (
	maxSpan   = 10
	maxReason = 14 // why-questions are answered with clauses
)

// spanFeatures are what the span scorer knows about a phrase. Their
// weights are learned (see Train); the comments say what each one tells.
var spanFeatures = []string{
	"sentence",        // weighted share of the question's words in the phrase's sentence
	"best.sentence",   // the sentence holds more of them than any other in the passage
	"proximity",       // the question's words near the phrase, decaying with distance
	"adjacent.before", // a question word right before: "was founded in [1817]"
	"adjacent.after",  // ... or right after
	"focus.next",      // the focus word of "What museum ..." right next to the phrase
	"focus.in",        // the phrase is headed by that focus word
	"focus.name",      // ... and is a name: "[Halden University]" for "Which university"
	"slot.before",     // the phrase follows the question's last word, where the wh-word stands
	"slot.after",      // ... or precedes its first word after the wh-word
	"edge.start",      // the phrase starts where phrases start (punctuation, a stop word)
	"edge.end",        // ... and ends where they end
	"cut",             // the phrase cuts a name or a number in two, at either end
	"verb.like",       // it looks like the start of a verb phrase: "to [terminate]"
	"adverbs",         // it is nothing but adverbs
	"naming",          // it follows "called", "known as", ... in a question that asks for a name
	"naming.cue",      // it follows such a cue, whatever the question
	"brackets",        // it stands in brackets
	"length",          // its length in words
	"length.log",
	"one.word",
	"caps",   // share of its words that are capitalised
	"number", // it has a number
	"stops",  // share of stop words
	// The same facts, for the kind of answer the question asks for.
	"number.has", "number.other", "number.date", "percent.sign", "money.sign",
	"date.has", "date.number", "date.other", "year.length",
	"person.caps", "person.none", "place.caps", "place.none", "place.prep",
	"name.caps", "reason.cue", "any.caps",
	// What the text layer says about the phrase.
	"chunk",      // it is a noun phrase
	"entity",     // it is a named entity
	"joined",     // noun phrases joined by "of" or "and"
	"tail",       // a noun phrase without its first words
	"number.mod", // a number with its modifier: "more than 100"
	"other",      // words outside any noun phrase
	"clause",     // the clause after "because", "to", ... (why-questions)
	"head.proper", "head.number", "head.adjective", "head.verb",
	"entity.match", // its entity type is the one the question asks for
	"entity.near",  // ... or one that sometimes answers it
	"entity.clash", // ... or another
	// Which side of the phrase the question's words stand on, against the
	// side the question's form puts them.
	"left",          // share of the question's weight in the words before the phrase
	"right",         // ... after it
	"left.object",   // left, in an object question
	"right.subject", // right, in a subject question
	"left.late",     // left, when the wh-word comes last
	"right.copula",  // right, in "what is ..."
	"left.copula",   // left, in "what is ..."
	"in.question",   // share of its words that are the question's
	"sentence.idf",  // share of the question's words in its sentence, weighed by how few sentences have them
	"best.idf",      // no sentence of the passage has a larger share so weighed
	"idf.gap",       // how far its sentence's share so weighed is behind the best one's
	"head.question", // its last word is one of the question's (but not the focus)
	"subject.in",    // it holds a word of an object question's subject: "What did [the ministry] urge ..."
	"verb.left",     // a verb of the question stands just before it: "urged [citizens]"
	"verb.right",    // ... or just after it
	"verb.object",   // verb.left, in an object question
	"verb.subject",  // verb.right, in a subject question
	"proximity.idf", // proximity, with the question's words weighed as in sentence.idf
	"proximity.gap", // how far its proximity.idf is behind the passage's highest
	"match.nearest", // no phrase of the entity type asked for is nearer the question's words
	"clause.share",  // share of the question's weight in the words between the punctuation around it
	"bigrams",       // share of the question's pairs of words that its sentence has in the same order
	// The part of speech of the words on either side, to the text layer.
	"prev.prep", "prev.verb", "prev.noun", "next.verb", "next.prep", "next.noun",
	"name.adjective", // it ends in an adjective, and a person, place or name is asked for: "[Ukrainian]"
	"apposition",     // it stands between commas right after a question word: "the capital, [Warsaw], ..."
	"after.be",       // it follows "is", "was", ... right after a question word: "the capital is [Warsaw]"
	"before.be",      // ... or precedes them, right before one: "[Warsaw] is the capital"
}

const (
	sfSentence = iota
	sfBestSentence
	sfProximity
	sfAdjBefore
	sfAdjAfter
	sfFocusNext
	sfFocusIn
	sfFocusName
	sfSlotBefore
	sfSlotAfter
	sfEdgeStart
	sfEdgeEnd
	sfCut
	sfVerbLike
	sfAdverbs
	sfNaming
	sfNamingCue
	sfBrackets
	sfLength
	sfLengthLog
	sfOneWord
	sfCaps
	sfNumber
	sfStops
	sfNumberHas
	sfNumberOther
	sfNumberDate
	sfPercentSign
	sfMoneySign
	sfDateHas
	sfDateNumber
	sfDateOther
	sfYearLength
	sfPersonCaps
	sfPersonNone
	sfPlaceCaps
	sfPlaceNone
	sfPlacePrep
	sfNameCaps
	sfReasonCue
	sfAnyCaps
	sfChunk
	sfEntity
	sfJoined
	sfTail
	sfNumberMod
	sfOther
	sfClause
	sfHeadProper
	sfHeadNumber
	sfHeadAdjective
	sfHeadVerb
	sfEntityMatch
	sfEntityNear
	sfEntityClash
	sfLeft
	sfRight
	sfLeftObject
	sfRightSubject
	sfLeftLate
	sfRightCopula
	sfLeftCopula
	sfInQuestion
	sfSentenceIDF
	sfBestIDF
	sfIDFGap
	sfHeadQuestion
	sfSubjectIn
	sfVerbLeft
	sfVerbRight
	sfVerbObject
	sfVerbSubject
	sfProximityIDF
	sfProximityGap
	sfMatchNearest
	sfClauseCov
	sfBigrams
	sfPrevPrep
	sfPrevVerb
	sfPrevNoun
	sfNextVerb
	sfNextPrep
	sfNextNoun
	sfNameAdjective
	sfApposition
	sfAfterBe
	sfBeforeBe
	sfCount
)

// sentence holds one sentence of a passage, with per-word facts used to
// score the phrases in it.
type sentence struct {
	text string
	toks []token
	sq   *spanQuestion
	low  []string
	isQ  []bool // the word is one of the question's (content) words
	foc  []bool // the word is the question's focus word
	stop []bool
	// qverb[i] is set when word i is a verb, to the text layer, of the
	// question's verbs; tag fills it in.
	qverb []bool
	pos   []string
	subj  map[string]bool
	caps  []bool
	num   []bool
	date  []bool
	ord   []bool
	// brk[i] is set when a phrase boundary (punctuation) lies between word
	// i-1 and word i.
	brk []bool
	qw  map[string]float64
	// qPos are the indexes of the question's words; qID numbers their
	// distinct stems, and scratch has room for one value per stem.
	qPos    []int
	qID     []int
	scratch []float64
	// qTotal is the weight of the question's words; cov the share of it the
	// sentence holds.
	qTotal, cov float64
	// bigrams is the share of the question's bigrams the sentence holds.
	bigrams float64
	// iw weighs the question's words by how few of the passage's
	// sentences hold them (see sentenceIDF); iwTotal is their sum.
	iw      map[string]float64
	iwTotal float64
}

func newSentence(text string, toks []token, qw map[string]float64, sq spanQuestion) *sentence {
	n := len(toks)
	st := &sentence{text: text, toks: toks, sq: &sq, qw: qw,
		low: make([]string, n), isQ: make([]bool, n), foc: make([]bool, n), stop: make([]bool, n),
		caps: make([]bool, n), num: make([]bool, n), date: make([]bool, n), ord: make([]bool, n), brk: make([]bool, n)}
	for _, v := range qw {
		st.qTotal += v
	}
	st.cov, _ = coverage(qw, toks)
	for i, t := range toks {
		l := strings.ToLower(t.Word)
		st.low[i] = l
		_, inQ := qw[t.Stem]
		st.isQ[i] = inQ && t.Stem != ""
		st.foc[i] = st.isQ[i] && sq.focus[t.Stem]
		st.stop[i] = t.Stem == ""
		r, _ := utf8.DecodeRuneInString(t.Word)
		// A capital at the start of a sentence says nothing, unless the
		// word is not an everyday one.
		st.caps[i] = unicode.IsUpper(r) && (i > 0 || !st.stop[i])
		st.num[i] = isNumberWord(l) || hasDigit(t.Word)
		st.ord[i] = isOrdinal(l)
		// "may" is a month only when written "May".
		st.date[i] = (st.num[i] && yearLike.MatchString(t.Word)) || (monthWords[l] && (l != "may" || t.Word == "May")) ||
			dateWords[l]
		if i > 0 {
			between := text[toks[i-1].End:t.Start]
			// A dash between two numbers makes a range ("100–150"), not a break.
			st.brk[i] = breaks(between) && !(isDash(between) && hasDigit(toks[i-1].Word) && hasDigit(t.Word))
		}
	}
	// "October 6, 1973" is one date despite its comma.
	for i := 2; i < n; i++ {
		if st.brk[i] && strings.TrimSpace(text[toks[i-1].End:toks[i].Start]) == "," && st.date[i] &&
			st.num[i-1] && st.date[i-2] && !st.brk[i-1] {
			st.brk[i] = false
		}
	}
	ids := map[string]int{}
	st.qID = make([]int, n)
	for i, t := range toks {
		if !st.isQ[i] {
			continue
		}
		id, ok := ids[t.Stem]
		if !ok {
			id = len(ids)
			ids[t.Stem] = id
		}
		st.qPos = append(st.qPos, i)
		st.qID[i] = id
	}
	st.scratch = make([]float64, len(ids))
	if len(sq.bigrams) > 0 {
		found := map[[2]string]bool{}
		prev := ""
		for _, t := range toks {
			if t.Stem == "" {
				continue
			}
			if b := [2]string{prev, t.Stem}; sq.bigrams[b] {
				found[b] = true
			}
			prev = t.Stem
		}
		st.bigrams = float64(len(found)) / float64(len(sq.bigrams))
	}
	// In a title-cased line, such as a headline or a photo title, a capital
	// marks no name.
	var content, capped int
	for i := range toks {
		if !st.stop[i] {
			content++
			if st.caps[i] {
				capped++
			}
		}
	}
	if content >= 3 && capped*10 >= content*8 {
		st.caps = make([]bool, n)
	}
	return st
}

func isDash(s string) bool { return s == "–" || s == "-" || s == "—" }

func hasDigit(s string) bool { return strings.IndexAny(s, "0123456789") >= 0 }

// candidates lists the phrases of the sentence that could be an answer,
// with their features. A phrase loses the stop words at its edges (but
// not "more than" before a number), may hold no word of the question but
// the focus word, and must be of a kind that can answer the question (see
// fits).
func (st *sentence) candidates(phrases []phrase, best bool) []option {
	var out []option
	limit := maxSpan
	if st.sq.typ == typeReason {
		limit = maxReason
	}
	seen := map[[2]int]int{}
	for _, ph := range phrases {
		i, j := st.tokenRange(ph.start, ph.end)
		for i < j && !st.canStart(i) && st.stop[i] {
			i++
		}
		for j > i && !st.canEnd(j-1) {
			j--
		}
		if i >= j || j-i > limit || !st.canStart(i) {
			continue
		}
		if k, ok := seen[[2]int{i, j}]; ok {
			out[k].feat = st.phraseFeatures(out[k].feat, ph)
			continue
		}
		// The focus word may head the answer ("the fundamental theorem of
		// arithmetic" for "What theorem ..."), and other question words
		// may stand in it ("[Van Nuys Airport]" for "Which airport ..."),
		// but not all of it may be the question's.
		hasFocus, ok, inQ, content := false, true, 0, 0
		for k := i; k < j && ok; k++ {
			if k > i && st.brk[k] {
				ok = false
			}
			if st.foc[k] {
				hasFocus = true
			}
			if !st.stop[k] {
				content++
				if st.isQ[k] {
					inQ++
				}
			}
		}
		if !ok || inQ == content || !st.fits(i, j, ph.entity) {
			continue
		}
		seen[[2]int{i, j}] = len(out)
		f := st.features(i, j, hasFocus, best)
		f[sfInQuestion] = float64(inQ) / float64(content)
		st.roleFeatures(f, i, j)
		out = append(out, option{span: st.extend(i, j), feat: st.phraseFeatures(f, ph)})
	}
	return out
}

// tag marks the words of the question that the text layer's parse d, of
// the sentence's text from byte off, tags as verbs; and, in an object
// question, the subject's words: those before the first such verb.
func (st *sentence) tag(d *text.Doc, off int) {
	st.qverb = make([]bool, len(st.toks))
	st.pos = make([]string, len(st.toks))
	verbs := map[string]bool{}
	k := 0
	for i, t := range st.toks {
		for k < len(d.Tokens) && d.Tokens[k].End+off <= t.Start {
			k++
		}
		if k < len(d.Tokens) && d.Tokens[k].Start+off <= t.Start {
			st.pos[i] = d.Tokens[k].POS
		}
		if k < len(d.Tokens) && d.Tokens[k].Start+off <= t.Start && strings.HasPrefix(d.Tokens[k].POS, "VB") &&
			st.isQ[i] && !st.foc[i] {
			st.qverb[i] = st.sq.verbs[t.Stem]
			verbs[t.Stem] = true
		}
	}
	st.subj = map[string]bool{}
	for _, s := range st.sq.afterAux {
		if verbs[s] {
			break
		}
		st.subj[s] = true
	}
}

// roleFeatures say where [i, j) stands against the question's verb and
// subject. "What did the ministry urge citizens to make?" shares
// "ministry" with "the Ukrainian Ministry of Defense", but that phrase is
// the one doing the urging; the answer stands on the verb's other side.
func (st *sentence) roleFeatures(f []float64, i, j int) {
	for k := i; k < j; k++ {
		if !st.stop[k] && !st.foc[k] && st.subj[st.toks[k].Stem] {
			f[sfSubjectIn] = 1
		}
	}
	if k := j - 1; st.isQ[k] && !st.foc[k] {
		f[sfHeadQuestion] = 1
	}
	if st.qverb == nil {
		return
	}
	class := func(k int, verb, prep, noun int) {
		switch p := st.pos[k]; {
		case strings.HasPrefix(p, "VB"), p == "MD":
			f[verb] = 1
		case p == "IN" || p == "TO":
			f[prep] = 1
		case strings.HasPrefix(p, "NN"):
			f[noun] = 1
		}
	}
	if i > 0 && !st.brk[i] {
		class(i-1, sfPrevVerb, sfPrevPrep, sfPrevNoun)
	}
	if j < len(st.toks) && !st.brk[j] {
		class(j, sfNextVerb, sfNextPrep, sfNextNoun)
	}
	for k := i - 1; k >= 0 && k >= i-verbWindow && !st.brk[k+1]; k-- {
		if st.qverb[k] {
			f[sfVerbLeft] = 1
			break
		}
	}
	for k := j; k < len(st.toks) && k < j+verbWindow && !st.brk[k]; k++ {
		if st.qverb[k] {
			f[sfVerbRight] = 1
			break
		}
	}
	switch st.sq.form {
	case formObject:
		f[sfVerbObject] = f[sfVerbLeft]
	case formSubject:
		f[sfVerbSubject] = f[sfVerbRight]
	}
}

// verbWindow is how many words away a verb governs a phrase.
const verbWindow = 4

// tokenRange is the range [i, j) of the sentence's words within the bytes
// [start, end).
func (st *sentence) tokenRange(start, end int) (int, int) {
	i := 0
	for i < len(st.toks) && st.toks[i].Start < start {
		i++
	}
	j := i
	for j < len(st.toks) && st.toks[j].End <= end {
		j++
	}
	return i, j
}

// phraseFeatures adds what the text layer says about a phrase.
func (st *sentence) phraseFeatures(f []float64, ph phrase) []float64 {
	set := func(k phraseKind, i int) {
		if ph.kind&k != 0 {
			f[i] = 1
		}
	}
	set(pkChunk, sfChunk)
	set(pkEntity, sfEntity)
	set(pkJoined, sfJoined)
	set(pkTail, sfTail)
	set(pkNumber, sfNumberMod)
	set(pkOther, sfOther)
	set(pkClause, sfClause)
	switch {
	case strings.HasPrefix(ph.headPOS, "NNP"):
		f[sfHeadProper] = 1
	case ph.headPOS == "CD":
		f[sfHeadNumber] = 1
	case strings.HasPrefix(ph.headPOS, "JJ"):
		f[sfHeadAdjective] = 1
		switch st.sq.typ {
		case typePerson, typePlace, typeName:
			f[sfNameAdjective] = 1
		}
	case strings.HasPrefix(ph.headPOS, "VB"):
		f[sfHeadVerb] = 1
	}
	if ph.entity == "" {
		return f
	}
	exp, typed := expectedEntities[st.sq.typ]
	switch {
	case exp[0][ph.entity]:
		f[sfEntityMatch] = 1
	case exp[1][ph.entity]:
		f[sfEntityNear] = max(f[sfEntityNear], 1)
	case typed:
		f[sfEntityClash] = 1
	}
	return f
}

// numberModifiers may open a number phrase: "more than 100", "over half".
var numberModifiers = map[string]bool{"more": true, "less": true, "fewer": true, "over": true, "under": true,
	"about": true, "around": true, "nearly": true, "almost": true, "approximately": true, "roughly": true,
	"some": true, "up": true, "least": true, "most": true, "at": true, "than": true, "to": true, "only": true,
	"just": true, "approximate": true, "estimated": true}

// midModifiers stand inside a number phrase, never at its start.
var midModifiers = map[string]bool{"than": true, "to": true, "least": true, "most": true}

// discourse words link a sentence to the one before; they are never the
// answer, nor its first word.
var discourse = map[string]bool{"also": true, "although": true, "however": true, "though": true,
	"thus": true, "therefore": true, "moreover": true, "furthermore": true, "meanwhile": true,
	"instead": true, "still": true, "yet": true, "even": true, "much": true, "many": true, "often": true,
	"usually": true, "generally": true, "typically": true, "later": true, "eventually": true, "finally": true,
	"hence": true, "indeed": true, "already": true, "since": true, "whereas": true, "unlike": true,
	"like": true, "including": true, "include": true, "includes": true, "included": true, "especially": true,
	"particularly": true, "mainly": true, "mostly": true, "largely": true, "primarily": true, "well": true}

// verbCues come before a verb, not a noun phrase: "to [terminate]", "can [use]".
var verbCues = map[string]bool{"to": true, "can": true, "could": true, "will": true, "would": true,
	"should": true, "may": true, "might": true, "must": true, "did": true, "does": true, "do": true}

// beCues come before a participle when the next word ends in -ed: "was [devised]".
var beCues = map[string]bool{"is": true, "was": true, "are": true, "were": true, "be": true, "been": true,
	"being": true, "has": true, "have": true, "had": true}

func (st *sentence) canStart(i int) bool {
	if st.isQ[i] || discourse[st.low[i]] {
		return false
	}
	if !st.stop[i] || st.num[i] {
		return true
	}
	if st.numeric() && numberModifiers[st.low[i]] && !midModifiers[st.low[i]] {
		// "at 2,000" is not a number phrase, "at least 2,000" is.
		if (st.low[i] == "at" || st.low[i] == "up") && (i+1 >= len(st.toks) || !midModifiers[st.low[i+1]]) {
			return false
		}
		// Only when a number follows within two words.
		for k := i + 1; k < len(st.toks) && k <= i+2; k++ {
			if st.num[k] {
				return true
			}
		}
	}
	return false
}

func (st *sentence) canEnd(k int) bool { return !st.stop[k] || st.num[k] }

// fits reports whether the words [i, j) can answer the question at all:
// "how many" wants a number, and a weekday is not one; "when" wants a date
// or a number; "who" and "where" never want a weekday, "yesterday" or
// anything else the text layer takes for a time (entity), and "who" not a
// lone nationality or language. A phrase that
// cannot answer must not be printed as the answer only because the
// passage has nothing better: no short answer beats a wrong one.
func (st *sentence) fits(i, j int, entity string) bool {
	switch {
	case st.numeric():
		return slices.Contains(st.num[i:j], true)
	case st.sq.typ == typeDate:
		return slices.Contains(st.num[i:j], true) || slices.Contains(st.date[i:j], true)
	case st.sq.typ == typePerson, st.sq.typ == typePlace:
		if timeEntities[entity] {
			return false
		}
		// A lone nationality or language ("English", "Russian") names
		// no one: "Who is Abdul Qahar Balkhi?" was answered "English".
		if st.sq.typ == typePerson && entity == "MISC" && j-i == 1 {
			return false
		}
		for k := i; k < j; k++ {
			if dateWords[st.low[k]] {
				return false
			}
		}
	}
	return true
}

// timeEntities are the text layer's entity types for times.
var timeEntities = map[string]bool{"DATE": true, "TIME": true, "DURATION": true, "SET": true}

func (st *sentence) numeric() bool {
	switch st.sq.typ {
	case typeNumber, typePercent, typeMoney:
		return true
	}
	return false
}

// extend widens the span [i, j) to take in a currency sign before it and
// a percent sign after it.
func (st *sentence) extend(i, j int) Span {
	s, e := st.toks[i].Start, st.toks[j-1].End
	for _, sign := range []string{"$", "£", "€", "US$"} {
		if strings.HasSuffix(st.text[:s], sign) {
			s -= len(sign)
			break
		}
	}
	if strings.HasPrefix(st.text[e:], "%") {
		e++
	}
	return Span{s, e}
}

var dateWords = map[string]bool{"century": true, "centuries": true, "decade": true, "bc": true, "bce": true,
	"ad": true, "ce": true, "bp": true, "yesterday": true, "tomorrow": true,
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true,
	"sunday": true}

// numberParts may stand in a number phrase besides the digits: scales,
// units and the words of a range.
var numberParts = map[string]bool{"hundred": true, "thousand": true, "million": true, "billion": true,
	"trillion": true, "percent": true, "per": true, "cent": true, "and": true, "to": true, "half": true,
	"dozen": true, "bn": true, "m": true, "km": true, "kilometres": true, "kilometers": true, "miles": true,
	"metres": true, "meters": true, "feet": true, "ft": true, "kg": true, "tons": true, "tonnes": true,
	"dollars": true, "pounds": true, "euros": true, "years": true, "months": true, "weeks": true, "days": true,
	"hours": true, "minutes": true, "seconds": true, "decades": true, "centuries": true, "year": true,
	"old": true, "square": true, "times": true, "acres": true, "hectares": true}

var placePreps = map[string]bool{"in": true, "at": true, "from": true, "near": true, "to": true, "on": true,
	"into": true, "across": true, "throughout": true, "outside": true, "inside": true, "within": true}

var namingCues = [][]string{{"called"}, {"named"}, {"known", "as"}, {"referred", "to", "as"}, {"termed"},
	{"dubbed"}, {"nicknamed"}, {"as"}, {"or"}}

var reasonCues = map[string]bool{"because": true, "due": true, "since": true, "so": true, "to": true,
	"for": true, "as": true, "by": true}

func (st *sentence) features(i, j int, hasFocus, best bool) []float64 {
	f := make([]float64, sfCount)
	n := j - i
	f[sfSentence] = st.cov
	f[sfBigrams] = st.bigrams
	if best {
		f[sfBestSentence] = 1
	}
	f[sfProximity] = st.proximity(i, j)
	f[sfProximityIDF] = st.proximityBy(st.iw, st.iwTotal, i, j)
	if k := st.prevContent(i); k >= 0 && st.isQ[k] {
		f[sfAdjBefore] = 1
	}
	if k := st.nextContent(j); k >= 0 && st.isQ[k] {
		f[sfAdjAfter] = 1
	}
	if len(st.sq.focus) > 0 && !hasFocus {
		if k := st.prevContent(i); k >= 0 && st.foc[k] {
			f[sfFocusNext] = 1
		} else if k := st.nextContent(j); k >= 0 && st.foc[k] {
			f[sfFocusNext] = 1
		}
	}
	if hasFocus {
		f[sfFocusIn] = 1
	}
	f[sfEdgeStart], f[sfEdgeEnd], f[sfCut] = st.edges(i, j)
	if st.afterNamingCue(i) {
		f[sfNamingCue] = 1
		if st.sq.naming {
			f[sfNaming] = 1
		}
	}
	f[sfVerbLike], f[sfAdverbs] = st.shape(i, j)
	f[sfSlotBefore], f[sfSlotAfter] = st.slot(i, j)
	if st.inBrackets(i, j) {
		f[sfBrackets] = 1
	}
	f[sfLength] = float64(n)
	f[sfLengthLog] = math.Log(float64(n))
	if n == 1 {
		f[sfOneWord] = 1
	}
	st.typeFeatures(f, i, j, hasFocus)
	l, r := st.sides(i, j)
	from, to := i, j
	for from > 0 && !st.brk[from] {
		from--
	}
	for to < len(st.toks) && !st.brk[to] {
		to++
	}
	f[sfClauseCov] = st.share(from, to, i, j)
	if i > 0 && st.brk[i] && st.isQ[i-1] && (j == len(st.toks) || st.brk[j]) &&
		strings.TrimSpace(st.text[st.toks[i-1].End:st.toks[i].Start]) == "," {
		f[sfApposition] = 1
	}
	if i > 1 && beWords[st.low[i-1]] && st.isQ[i-2] && !st.brk[i] && !st.brk[i-1] {
		f[sfAfterBe] = 1
	}
	if j+1 < len(st.toks) && beWords[st.low[j]] && !st.brk[j] && !st.brk[j+1] {
		if k := st.nextContent(j + 1); k >= 0 && st.isQ[k] {
			f[sfBeforeBe] = 1
		}
	}
	f[sfLeft], f[sfRight] = l, r
	switch st.sq.form {
	case formObject:
		f[sfLeftObject] = l
	case formSubject:
		f[sfRightSubject] = r
	case formLate:
		f[sfLeftLate] = l
	case formCopula:
		f[sfLeftCopula], f[sfRightCopula] = l, r
	}
	return f
}

// sideWindow is how many words on each side of a phrase count as its
// context.
const sideWindow = 8

// sides is the share of the question's weight in the words just before
// [i, j), and just after it.
func (st *sentence) sides(i, j int) (left, right float64) {
	if st.qTotal == 0 {
		return 0, 0
	}
	share := func(from, to int) float64 {
		seen := st.scratch
		clear(seen)
		var got float64
		for _, k := range st.qPos {
			if k >= from && k < to && seen[st.qID[k]] == 0 {
				seen[st.qID[k]] = 1
				got += st.qw[st.toks[k].Stem]
			}
		}
		return got / st.qTotal
	}
	return share(max(0, i-sideWindow), i), share(j, min(len(st.toks), j+sideWindow))
}

// share is the share of the question's weight in the words [from, to)
// outside [i, j).
func (st *sentence) share(from, to, i, j int) float64 {
	if st.qTotal == 0 {
		return 0
	}
	seen := st.scratch
	clear(seen)
	var got float64
	for _, k := range st.qPos {
		if k >= from && k < to && (k < i || k >= j) && seen[st.qID[k]] == 0 {
			seen[st.qID[k]] = 1
			got += st.qw[st.toks[k].Stem]
		}
	}
	return got / st.qTotal
}

// inBrackets reports whether [i, j) is all that stands in a pair of brackets.
func (st *sentence) inBrackets(i, j int) bool {
	s, e := st.toks[i].Start, st.toks[j-1].End
	return strings.HasSuffix(strings.TrimRight(st.text[:s], " "), "(") && strings.HasPrefix(strings.TrimLeft(st.text[e:], " "), ")")
}

// shape punishes phrases that look like the start of a verb phrase or are
// nothing but adverbs: neither answers a what- or who-question.
func (st *sentence) shape(i, j int) (verbLike, adverbs float64) {
	if st.num[i] {
		return 0, 0
	}
	if i > 0 && !st.brk[i] && !st.caps[i] {
		p := st.low[i-1]
		if verbCues[p] || (beCues[p] && strings.HasSuffix(st.low[i], "ed")) {
			verbLike = 1
		}
	}
	adverbs = 1
	for k := i; k < j; k++ {
		if !strings.HasSuffix(st.low[k], "ly") || st.caps[k] {
			adverbs = 0
			break
		}
	}
	return verbLike, adverbs
}

// slot rewards a phrase that fills the place of the wh-word: "What did
// the ministry urge citizens to make?" is answered by the phrase right
// after "make", and "What band is considered ..." by the one right before
// "considered".
func (st *sentence) slot(i, j int) (before, after float64) {
	// Numbers and dates are found by their type; word order only adds noise.
	if st.numeric() || st.sq.typ == typeDate {
		return 0, 0
	}
	if k := st.prevContent(i); k >= 0 && st.sq.last != "" && st.toks[k].Stem == st.sq.last {
		before = 1
	}
	if k := st.nextContent(j); k >= 0 && st.sq.first != "" && st.toks[k].Stem == st.sq.first {
		after = 1
	}
	return before, after
}

// proximity is the share of the question's weight found near [i, j), each
// word counting less the farther it is.
func (st *sentence) proximity(i, j int) float64 {
	return st.proximityBy(st.qw, st.qTotal, i, j)
}

// proximityBy is proximity with the question's words weighed by w, whose
// sum is total.
func (st *sentence) proximityBy(w map[string]float64, total float64, i, j int) float64 {
	if total == 0 {
		return 0
	}
	best := st.scratch
	clear(best)
	for _, k := range st.qPos {
		if k >= i && k < j {
			continue
		}
		d := i - k
		if k >= j {
			d = k - j + 1
		}
		if v := w[st.toks[k].Stem] * math.Exp(-float64(d-1)/4); v > best[st.qID[k]] {
			best[st.qID[k]] = v
		}
	}
	var sum float64
	for _, v := range best {
		sum += v
	}
	return sum / total
}

// prevContent is the index of the nearest word before i, skipping one stop
// word; -1 when there is none or a phrase boundary comes first.
func (st *sentence) prevContent(i int) int {
	for k, skipped := i-1, 0; k >= 0 && !st.brk[k+1]; k-- {
		if !st.stop[k] {
			return k
		}
		if skipped++; skipped > 1 {
			break
		}
	}
	return -1
}

func (st *sentence) nextContent(j int) int {
	for k, skipped := j, 0; k < len(st.toks) && !st.brk[k]; k++ {
		if !st.stop[k] {
			return k
		}
		if skipped++; skipped > 1 {
			break
		}
	}
	return -1
}

// edges tells whether a phrase starts and ends where phrases do: at
// punctuation, at a stop word or at a question word; and how many times it
// cuts a name or a number in two.
func (st *sentence) edges(i, j int) (start, end, cut float64) {
	n := len(st.toks)
	if i == 0 || st.brk[i] || st.stop[i-1] || st.isQ[i-1] {
		start = 1
	}
	if i > 0 && !st.brk[i] && ((st.caps[i-1] && st.caps[i]) || (st.num[i-1] && st.num[i])) {
		cut++
	}
	// "the Islamic Emirate of [Afghanistan]" is a piece of a name too,
	// unless a place is asked for: "Ratzel of [Germany]".
	if i > 1 && st.caps[i] && st.low[i-1] == "of" && st.caps[i-2] && !st.brk[i] && !st.brk[i-1] &&
		st.sq.typ != typePlace {
		cut++
	}
	if j+1 < n && st.caps[j-1] && st.low[j] == "of" && st.caps[j+1] && !st.brk[j] && !st.brk[j+1] {
		cut++
	}
	if j == n || st.brk[j] || st.stop[j] || st.isQ[j] {
		end = 1
	}
	if j < n && !st.brk[j] && ((st.caps[j-1] && st.caps[j]) || (st.num[j-1] && st.num[j])) {
		cut++
	}
	return start, end, cut
}

func (st *sentence) afterNamingCue(i int) bool {
	for _, cue := range namingCues {
		k := i - len(cue)
		if k < 0 {
			continue
		}
		ok := true
		for m, w := range cue {
			if st.low[k+m] != w {
				ok = false
				break
			}
		}
		// "as" and "or" alone name things only after a comma or
		// parenthesis: "..., or ctenes," / "(also known as ...)".
		if ok && len(cue) == 1 && (cue[0] == "as" || cue[0] == "or") {
			ok = st.brk[k]
		}
		if ok {
			return true
		}
	}
	return false
}

// typeFeatures fills in the facts that tell whether the phrase is of the
// type the question asks for.
func (st *sentence) typeFeatures(f []float64, i, j int, hasFocus bool) {
	n := j - i
	var nums, dates, caps, others, stops int
	for k := i; k < j; k++ {
		if st.num[k] {
			nums++
		}
		if st.date[k] {
			dates++
		}
		if st.caps[k] {
			caps++
		}
		if st.stop[k] {
			stops++
		}
		if !st.num[k] && !st.date[k] && !numberParts[st.low[k]] && !numberModifiers[st.low[k]] &&
			!st.ord[k] && st.low[k] != "the" {
			others++
		}
	}
	capFrac := float64(caps) / float64(n)
	f[sfCaps] = capFrac
	f[sfStops] = float64(stops) / float64(n)
	if nums > 0 {
		f[sfNumber] = 1
	}
	if hasFocus && caps == n {
		f[sfFocusName] = 1
	}
	switch st.sq.typ {
	case typeNumber, typePercent, typeMoney:
		if nums > 0 {
			f[sfNumberHas] = 1
		}
		f[sfNumberOther] = float64(others)
		if dates > 0 || (nums == n && st.date[i] && st.sq.typ != typeNumber) {
			f[sfNumberDate] = 1
		}
		if st.sq.typ == typePercent && st.percentAfter(j) {
			f[sfPercentSign] = 1
		}
		if st.sq.typ == typeMoney {
			if e := st.extend(i, j); e.Start < st.toks[i].Start || st.hasMoneyWord(i, j) {
				f[sfMoneySign] = 1
			}
		}
	case typeDate:
		if dates > 0 {
			f[sfDateHas] = 1
		} else if nums > 0 {
			f[sfDateNumber] = 1
		}
		f[sfDateOther] = float64(others)
		if st.sq.yearOnly {
			f[sfYearLength] = float64(n - 1)
		}
	case typePerson:
		f[sfPersonCaps] = capFrac
		if caps == 0 {
			f[sfPersonNone] = 1
		}
	case typePlace:
		f[sfPlaceCaps] = capFrac
		if caps == 0 {
			f[sfPlaceNone] = 1
		}
		if i > 0 && placePreps[st.low[i-1]] {
			f[sfPlacePrep] = 1
		}
	case typeName:
		f[sfNameCaps] = capFrac
	case typeReason:
		if i > 0 && reasonCues[st.low[i-1]] {
			f[sfReasonCue] = 1
		}
	default:
		f[sfAnyCaps] = capFrac
	}
}

func (st *sentence) percentAfter(j int) bool {
	if j > len(st.toks) || j == 0 {
		return false
	}
	e := st.toks[j-1].End
	if strings.HasPrefix(st.text[e:], "%") || st.low[j-1] == "percent" || st.low[j-1] == "cent" {
		return true
	}
	return false
}

func (st *sentence) hasMoneyWord(i, j int) bool {
	for k := i; k < j; k++ {
		switch st.low[k] {
		case "dollars", "pounds", "euros", "bn", "usd":
			return true
		}
	}
	return false
}

// numberWords are numbers spelled out.
var numberWords = wordSet(`one two three four five six seven eight nine ten eleven twelve twenty thirty
	forty fifty sixty seventy eighty ninety hundred thousand million billion dozen half`)

var monthWords = wordSet(`january february march april may june july august september october november
	december spring summer autumn fall winter`)

var ordinalWords = wordSet(`first second third fourth fifth sixth seventh eighth ninth tenth eleventh
	twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth`)

func wordSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// isNumberWord takes a lower-cased word.
func isNumberWord(w string) bool {
	return numberWords[w] || (w != "" && w[0] >= '0' && w[0] <= '9' && strings.Trim(w, "0123456789,.") == "")
}

func isOrdinal(w string) bool {
	if ordinalWords[w] {
		return true
	}
	n := strings.TrimLeft(w, "0123456789")
	return len(n) < len(w) && (n == "st" || n == "nd" || n == "rd" || n == "th")
}

// yearLike matches years ("1817", "2014") and decades ("1990s").
var yearLike = regexp.MustCompile(`^(1[0-9]|20)\d\d$|^\d{3,4}s$`)

// breaks reports whether the text between two words ends a phrase.
func breaks(between string) bool {
	return strings.ContainsAny(between, ",;:()—–\"“”?!") || strings.Contains(between, ". ")
}
