// Package text is StoryBot's one language layer: every extractor of
// package corpus and the answer code read text through it, so that a word,
// a sentence or a name means the same thing everywhere.
//
// The API, which callers may rely on:
//
//	Tokenize(s) []Token        tokens with byte offsets, no tags (cheap)
//	Sentences(s) []Span        sentence spans over Tokenize(s)
//	Analyze(s) *Doc            tokens, sentences, part-of-speech tags,
//	                           noun-phrase chunks and named-entity types
//	Scan(s) *Doc               tokens and sentences; parts of speech on
//	                           demand, a sentence at a time (d.POS(i)), for
//	                           extractors that read only some sentences
//	IsAbbreviation(w) bool     "Sen.", "Calif.", "U.S.": a period that does not end a sentence
//	Lower, WordSet             small helpers the word lists share
//
// Tokens follow the Penn Treebank conventions that Stanford CoreNLP uses,
// which the models were trained on: punctuation and quotation marks are
// tokens of their own, clitics are split ("do" "n't", "Trump" "’s"), and a
// period stays on abbreviations and initials ("Sen.", "U.S.", "J."). Token
// texts are slices of the input, never normalised copies; the tagger
// normalises what it needs internally.
//
// The tags come from averaged-perceptron models trained by `go run
// ./cmd/train` on the CoreNLP annotations of the PolNeAR training articles
// (../shared/train/polnear/conll). Their weights are embedded; docs/LANGUAGE.md
// gives their accuracy on held-back articles.
//
// Part-of-speech tags are the Penn Treebank set (NN, NNP, VBD, MD, ...).
// Entity types are CoreNLP's: PERSON, ORGANIZATION, LOCATION, MISC, DATE,
// TIME, DURATION, SET, NUMBER, ORDINAL, MONEY, PERCENT.
//
// Analyze and Scan are safe for concurrent use. A Doc from Analyze is
// read-only; one from Scan tags itself as it is read, so only one
// goroutine may read it.
package text

import (
	"slices"
	"sync"
)

// Token is one word or punctuation mark.
type Token struct {
	// Text is the token as written: s[Start:End].
	Text string
	// Start and End are byte offsets in the analysed text.
	Start, End int
	// POS is the Penn Treebank part-of-speech tag; "" from Tokenize.
	POS string
	// Entity is the named-entity type of the mention the token belongs
	// to, or "" when it belongs to none (and from Tokenize).
	Entity string
}

// Span is a run of tokens [From, To) covering bytes [Start, End).
type Span struct {
	From, To   int
	Start, End int
}

// Chunk is a base noun phrase: "Russian President Vladimir Putin",
// "the ministry", "Trump’s campaign", "they".
type Chunk struct {
	Span
	// Head is the token index of the phrase's head noun (its last noun).
	Head int
	// Entity is the entity type of the head, or "".
	Entity string
}

// Entity is a named-entity mention: a maximal run of tokens of one type.
type Entity struct {
	Span
	Type string
}

// Doc is an analysed text.
type Doc struct {
	Text      string
	Tokens    []Token
	Sentences []Span
	// Chunks and Entities are filled by Analyze only.
	Chunks   []Chunk
	Entities []Entity

	// an tags the sentences of a scanned Doc on demand; tagged says which
	// sentences have their parts of speech. Both are nil for a Doc from
	// Analyze, which is tagged throughout.
	an     *Analyzer
	tagged []bool
}

// Analyze tokenizes s, splits it into sentences, tags every token with its
// part of speech and entity type, and finds the noun-phrase chunks.
func Analyze(s string) *Doc { return defaultAnalyzer().Analyze(s) }

// Analyze is the package-level Analyze with a's models.
func (a *Analyzer) Analyze(s string) *Doc {
	d := &Doc{Text: s, Tokens: Tokenize(s)}
	d.Sentences = splitTokens(s, d.Tokens)
	ctx := ctxPool.Get().(*tagContext)
	for _, sp := range d.Sentences {
		chunks := a.tagSentence(ctx, d.Tokens[sp.From:sp.To])
		d.addChunks(sp.From, chunks)
	}
	ctx.toks = nil // the pool must not keep the text alive
	ctxPool.Put(ctx)
	d.addEntities()
	return d
}

var ctxPool = sync.Pool{New: func() any { return new(tagContext) }}

// Scan tokenizes s and splits it into sentences. Parts of speech are
// given a sentence at a time, the first time d.POS or d.TagPOS asks for
// them: an extractor that reads a few sentences pays for those alone.
// Chunks and entities are left empty.
func Scan(s string) *Doc { return defaultAnalyzer().Scan(s) }

// Scan is the package-level Scan with a's models.
func (a *Analyzer) Scan(s string) *Doc {
	d := &Doc{Text: s, Tokens: Tokenize(s), an: a}
	d.Sentences = splitTokens(s, d.Tokens)
	d.tagged = make([]bool, len(d.Sentences))
	return d
}

// POS returns the part-of-speech tag of token i, tagging its sentence
// first if need be.
func (d *Doc) POS(i int) string {
	if d.an != nil {
		d.TagPOS(d.Sentence(i))
	}
	return d.Tokens[i].POS
}

// TagPOS gives the tokens of sentence si their parts of speech, unless
// they have them.
func (d *Doc) TagPOS(si int) {
	if d.an == nil || si < 0 || si >= len(d.tagged) || d.tagged[si] {
		return
	}
	d.tagged[si] = true
	sp := d.Sentences[si]
	ctx := ctxPool.Get().(*tagContext)
	d.an.tagPOS(ctx, d.Tokens[sp.From:sp.To])
	ctx.toks = nil // the pool must not keep the text alive
	ctxPool.Put(ctx)
}

// TagSentence sets the POS and Entity of one sentence's tokens, as given
// (cmd/train measures the taggers on CoreNLP's own tokens this way), and
// returns its chunk labels: "B", "I" or "O" for each token.
func (a *Analyzer) TagSentence(toks []Token) []string {
	return slices.Clone(a.tagSentence(new(tagContext), toks))
}

// tagSentence is TagSentence with a reusable context; the labels it
// returns stay valid until ctx is used again.
func (a *Analyzer) tagSentence(ctx *tagContext, toks []Token) []string {
	a.entityModels()
	a.tagPOS(ctx, toks)
	ctx.setPOS(toks)
	tag(a.ner, ctx, nerFeatures)
	for i := range toks {
		toks[i].Entity = ""
		if l := a.ner.Classes[ctx.labels[i]]; l != "O" {
			toks[i].Entity = l
		}
	}
	tag(a.chunk, ctx, chunkFeatures)
	ctx.chunks = ctx.chunks[:0]
	for _, l := range ctx.labels {
		ctx.chunks = append(ctx.chunks, a.chunk.Classes[l])
	}
	return ctx.chunks
}

// tagPOS sets the POS of one sentence's tokens.
func (a *Analyzer) tagPOS(ctx *tagContext, toks []Token) {
	ctx.reset(toks)
	tag(a.pos, ctx, posFeatures)
	for i := range toks {
		toks[i].POS = a.pos.Classes[ctx.labels[i]]
	}
}

// Sentence returns the index of the sentence that holds token i.
func (d *Doc) Sentence(i int) int {
	lo, hi := 0, len(d.Sentences)
	for lo < hi {
		mid := (lo + hi) / 2
		if d.Sentences[mid].To <= i {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// TokenAt returns the index of the token covering byte offset off, or of
// the first token after it; len(Tokens) when there is none.
func (d *Doc) TokenAt(off int) int {
	lo, hi := 0, len(d.Tokens)
	for lo < hi {
		mid := (lo + hi) / 2
		if d.Tokens[mid].End <= off {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

func (d *Doc) addChunks(base int, labels []string) {
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		c := Chunk{Span: d.span(base+start, base+end), Head: base + end - 1}
		// The head is the last noun; a trailing possessive marker or
		// number does not head the phrase.
		for h := base + end - 1; h >= base+start; h-- {
			if p := d.Tokens[h].POS; len(p) >= 2 && p[:2] == "NN" || p == "PRP" {
				c.Head = h
				break
			}
		}
		c.Entity = d.Tokens[c.Head].Entity
		d.Chunks = append(d.Chunks, c)
		start = -1
	}
	for i, l := range labels {
		switch l {
		case "B":
			flush(i)
			start = i
		case "I":
			if start < 0 {
				start = i
			}
		default:
			flush(i)
		}
	}
	flush(len(labels))
}

func (d *Doc) addEntities() {
	for i := 0; i < len(d.Tokens); {
		t := d.Tokens[i].Entity
		if t == "" {
			i++
			continue
		}
		j := i + 1
		s := d.Sentence(i)
		for j < len(d.Tokens) && d.Tokens[j].Entity == t && j < d.Sentences[s].To {
			j++
		}
		d.Entities = append(d.Entities, Entity{Span: d.span(i, j), Type: t})
		i = j
	}
}

func (d *Doc) span(from, to int) Span {
	return Span{From: from, To: to, Start: d.Tokens[from].Start, End: d.Tokens[to-1].End}
}
