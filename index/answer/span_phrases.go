package answer

import (
	"strings"
	"unicode"

	"github.com/storybot/storybot/corpus/text"
)

// A short answer is a phrase of the passage, as the text layer (package
// corpus/text) parses it: a noun phrase, a named entity, a noun phrase
// with the "of …" or "and …" phrase that completes it, or a run of
// adjectives or verbs where no noun phrase stands.

// phraseKind says how a candidate phrase was found; one phrase may be
// found in several ways.
type phraseKind uint8

const (
	pkChunk  phraseKind = 1 << iota // a noun phrase chunk
	pkEntity                        // a named-entity mention
	pkJoined                        // chunks joined by "of", "and" or nothing ("ten times their weight")
	pkTail                          // a chunk without its first words ("[Japanese compacts]" of "the first Japanese compacts")
	pkNumber                        // a number chunk with the modifier before it ("[more than 100]")
	pkOther                         // a run of words outside any chunk: adjectives, verbs
	pkClause                        // the clause after a reason cue, for why-questions
)

// phrase is a candidate's byte range in the passage and what the text
// layer says about it.
type phrase struct {
	start, end int
	kind       phraseKind
	entity     string // the entity type of its head or mention, if any
	headPOS    string
}

// maxJoined is the most chunks one joined phrase holds.
const maxJoined = 3

// phrasesOf lists the candidate phrases of an analysed passage.
func phrasesOf(d *text.Doc) []phrase {
	var out []phrase
	toks := d.Tokens
	add := func(from, to int, kind phraseKind, entity, pos string) {
		for from < to && isPunct(toks[from]) {
			from++
		}
		for to > from && isPunct(toks[to-1]) {
			to--
		}
		if from >= to {
			return
		}
		// A phrase that is all of one entity type is of that type, wherever it was found.
		if entity == "" {
			entity = toks[from].Entity
			for k := from + 1; k < to && entity != ""; k++ {
				if toks[k].Entity != entity {
					entity = ""
				}
			}
		}
		out = append(out, phrase{start: toks[from].Start, end: toks[to-1].End, kind: kind, entity: entity, headPOS: pos})
	}
	for ci, c := range d.Chunks {
		head := toks[c.Head]
		add(c.From, c.To, pkChunk, c.Entity, head.POS)
		for k := c.From + 1; k <= c.Head; k++ {
			add(k, c.To, pkTail, c.Entity, head.POS)
		}
		// The number in a chunk, with the modifiers before it ("[more
		// than 100] former officials"), with and without what it counts.
		for k := c.From; k < c.To; k++ {
			if toks[k].POS != "CD" || (k > c.From && toks[k-1].POS == "CD") {
				continue
			}
			end := k + 1
			for end < c.To && toks[end].POS == "CD" {
				end++
			}
			from := k
			for from > 0 && from > k-2 && numberModifiers[strings.ToLower(toks[from-1].Text)] {
				from--
			}
			add(from, end, pkNumber, toks[k].Entity, "CD")
			if end < c.To {
				add(from, min(end+1, c.To), pkNumber, c.Entity, toks[end].POS)
			}
		}
		// Chunks joined by "of", "and" or nothing at all, in one sentence.
		end, s := c.To, d.Sentence(c.From)
		for n, cj := 1, ci+1; cj < len(d.Chunks) && n < maxJoined; n, cj = n+1, cj+1 {
			next := d.Chunks[cj]
			if d.Sentence(next.From) != s {
				break
			}
			gap := next.From - end
			if gap > 1 || (gap == 1 && !joiners[strings.ToLower(toks[end].Text)]) {
				break
			}
			add(c.From, next.To, pkJoined, next.Entity, toks[next.Head].POS)
			end = next.To
		}
	}
	for _, e := range d.Entities {
		add(e.From, e.To, pkEntity, e.Type, toks[e.To-1].POS)
	}
	// Runs of words outside the chunks, cut at punctuation and sentence
	// ends, and each content word of them.
	inChunk := make([]bool, len(toks))
	for _, c := range d.Chunks {
		for k := c.From; k < c.To; k++ {
			inChunk[k] = true
		}
	}
	for _, s := range d.Sentences {
		for i := s.From; i < s.To; {
			if inChunk[i] || !openWord(toks[i]) {
				i++
				continue
			}
			j := i
			for j < s.To && !inChunk[j] && openWord(toks[j]) {
				j++
			}
			add(i, j, pkOther, "", toks[j-1].POS)
			if j-i > 1 {
				for k := i; k < j; k++ {
					add(k, k+1, pkOther, "", toks[k].POS)
				}
			}
			i = j
		}
	}
	return out
}

// clausesOf lists, for why-questions, the clauses that follow a reason
// cue ("because …", "to …"), up to the next punctuation.
func clausesOf(d *text.Doc) []phrase {
	var out []phrase
	toks := d.Tokens
	for _, s := range d.Sentences {
		for i := s.From; i+1 < s.To; i++ {
			if !reasonCues[strings.ToLower(toks[i].Text)] {
				continue
			}
			j := i + 1
			for j < s.To && !isPunct(toks[j]) && j-i <= maxReason {
				j++
			}
			if j > i+1 {
				out = append(out, phrase{start: toks[i+1].Start, end: toks[j-1].End, kind: pkClause, headPOS: toks[j-1].POS})
			}
		}
	}
	return out
}

// joiners may stand between two chunks of one phrase.
var joiners = map[string]bool{"of": true, "and": true, "&": true}

// openWord is an adjective, verb, adverb or number: a word that can answer
// a question outside a noun phrase ("monophyletic", "folk-rock").
func openWord(t text.Token) bool {
	switch {
	case strings.HasPrefix(t.POS, "JJ"), strings.HasPrefix(t.POS, "VB"), strings.HasPrefix(t.POS, "RB"),
		t.POS == "CD", strings.HasPrefix(t.POS, "NN"), t.POS == "FW":
		return true
	}
	return false
}

// isPunct reports whether a token has no letter or digit.
func isPunct(t text.Token) bool {
	return strings.IndexFunc(t.Text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0
}

// expectedEntities are the entity types that answer each type of
// question, first the usual ones and then those that sometimes do.
var expectedEntities = map[answerType][2]map[string]bool{
	typePerson:  {{"PERSON": true}, {"ORGANIZATION": true}},
	typePlace:   {{"LOCATION": true}, {"ORGANIZATION": true}},
	typeDate:    {{"DATE": true, "TIME": true}, {"NUMBER": true}},
	typeNumber:  {{"NUMBER": true, "MONEY": true, "PERCENT": true, "DURATION": true}, {"ORDINAL": true, "SET": true}},
	typePercent: {{"PERCENT": true}, {"NUMBER": true}},
	typeMoney:   {{"MONEY": true}, {"NUMBER": true}},
	typeName:    {{"ORGANIZATION": true, "MISC": true, "PERSON": true, "LOCATION": true}, {}},
}
