package text

import (
	"unicode"
	"unicode/utf8"
)

// The three taggers are greedy left-to-right averaged perceptrons over
// hashed features. The features are the classic ones (Ratnaparkhi's, as
// simplified for part of speech by Honnibal): the word, its affixes and
// shape, its neighbours, and the labels already given to the words before it.

// tagContext holds one sentence's precomputed word forms while it is
// tagged. Each form is hashed once per token; features combine the
// hashes with integer mixing, so no string is hashed twice.
type tagContext struct {
	n                                   int
	toks                                []Token
	norm, shape, suf2, suf3, suf4, pre1 []uint32
	pre3, pos                           []uint32
	labels                              []uint8 // the labels given so far by the running tagger
	feats                               []uint32
	chunks                              []string
	// buf and shapeBuf hold one word's normal form and shape while it is
	// hashed, so that reading a sentence allocates nothing.
	buf      []byte
	shapeBuf [8]byte
}

// Sentinels stand for the words and tags beyond the sentence's ends.
const (
	hStart uint32 = 0x5bd1e995
	hEnd   uint32 = 0x1b873593
)

func hashString(s string) uint32 {
	h := uint32(2166136261)
	for k := 0; k < len(s); k++ {
		h = (h ^ uint32(s[k])) * 16777619
	}
	return h
}

// hashBytes is hashString of string(b), without the string.
func hashBytes(b []byte) uint32 {
	h := uint32(2166136261)
	for _, c := range b {
		h = (h ^ uint32(c)) * 16777619
	}
	return h
}

// reset prepares ctx for a sentence: the word forms every tagger reads.
func (c *tagContext) reset(toks []Token) {
	c.n = len(toks)
	c.toks = toks
	grow := func(a []uint32) []uint32 {
		if cap(a) < c.n {
			return make([]uint32, c.n, c.n+c.n/2)
		}
		return a[:c.n]
	}
	c.norm, c.shape, c.suf2, c.suf3 = grow(c.norm), grow(c.shape), grow(c.suf2), grow(c.suf3)
	c.suf4, c.pre1, c.pre3, c.pos = grow(c.suf4), grow(c.pre1), grow(c.pre3), grow(c.pos)
	for i, t := range toks {
		nw := normWord(c.buf[:0], t.Text)
		c.buf = nw[:0]
		c.norm[i] = hashBytes(nw)
		c.shape[i] = hashBytes(wordShape(c.shapeBuf[:0], t.Text))
		c.suf2[i] = hashBytes(suffix(nw, 2))
		c.suf3[i] = hashBytes(suffix(nw, 3))
		c.suf4[i] = hashBytes(suffix(nw, 4))
		c.pre1[i] = hashBytes(prefix(nw, 1))
		c.pre3[i] = hashBytes(prefix(nw, 3))
		c.pos[i] = hashString(t.POS)
	}
	if cap(c.labels) < c.n {
		c.labels = make([]uint8, c.n, c.n+c.n/2)
	}
	c.labels = c.labels[:c.n]
	clear(c.labels)
}

func (c *tagContext) setPOS(toks []Token) {
	for i, t := range toks {
		c.pos[i] = hashString(t.POS)
	}
}

// at reads a per-token hash, with sentinels outside the sentence.
func (c *tagContext) at(a []uint32, i int) uint32 {
	switch {
	case i < 0:
		return hStart
	case i >= c.n:
		return hEnd
	}
	return a[i]
}

func (c *tagContext) label(i int) uint32 {
	if i < 0 {
		return hStart
	}
	return uint32(c.labels[i]) + 1
}

// featureFunc appends the hashed features of word i to c.feats.
type featureFunc func(c *tagContext, i int)

func mix(h, v uint32) uint32 {
	h ^= v
	h *= 0x85ebca6b
	h ^= h >> 13
	return h
}

// f adds feature template tmpl with the given values.
func (c *tagContext) f(tmpl uint32, vals ...uint32) {
	h := tmpl*0x9e3779b1 + 0x7f4a7c15
	for _, v := range vals {
		h = mix(h, v)
	}
	h = mix(h, uint32(len(vals)))
	c.feats = append(c.feats, h)
}

func posFeatures(c *tagContext, i int) {
	w := c.norm[i]
	c.f(0)
	c.f(1, c.suf3[i])
	c.f(2, c.pre1[i])
	c.f(3, c.label(i-1))
	c.f(4, c.label(i-2))
	c.f(5, c.label(i-1), c.label(i-2))
	c.f(6, w)
	c.f(7, c.label(i-1), w)
	c.f(8, c.at(c.norm, i-1))
	c.f(9, c.at(c.suf3, i-1))
	c.f(10, c.at(c.norm, i-2))
	c.f(11, c.at(c.norm, i+1))
	c.f(12, c.at(c.suf3, i+1))
	c.f(13, c.at(c.norm, i+2))
	c.f(14, c.shape[i])
	c.f(15, c.suf2[i])
	c.f(16, c.suf4[i])
	if i == 0 {
		c.f(17, c.shape[i])
	}
}

func nerFeatures(c *tagContext, i int) {
	w := c.norm[i]
	c.f(0)
	c.f(1, w)
	c.f(2, c.shape[i])
	c.f(3, c.suf3[i])
	c.f(4, c.pre3[i])
	c.f(5, c.pos[i])
	c.f(6, c.at(c.pos, i-1), c.pos[i])
	c.f(7, c.pos[i], c.at(c.pos, i+1))
	c.f(8, c.at(c.norm, i-1))
	c.f(9, c.at(c.norm, i+1))
	c.f(10, c.at(c.norm, i-2))
	c.f(11, c.at(c.norm, i+2))
	c.f(12, c.label(i-1))
	c.f(13, c.label(i-1), w)
	c.f(14, c.label(i-1), c.label(i-2))
	c.f(15, c.label(i-1), c.shape[i])
	c.f(16, c.at(c.shape, i-1), c.shape[i])
	c.f(17, c.shape[i], c.at(c.shape, i+1))
	c.f(18, c.at(c.norm, i-1), w)
	c.f(19, w, c.at(c.norm, i+1))
	if i == 0 {
		c.f(20, w)
	}
	c.f(21, c.suf4[i])
}

func chunkFeatures(c *tagContext, i int) {
	c.f(0)
	c.f(1, c.norm[i])
	c.f(2, c.pos[i])
	c.f(3, c.at(c.pos, i-1))
	c.f(4, c.at(c.pos, i+1))
	c.f(5, c.at(c.pos, i-1), c.pos[i])
	c.f(6, c.pos[i], c.at(c.pos, i+1))
	c.f(7, c.at(c.pos, i-2), c.at(c.pos, i-1))
	c.f(8, c.at(c.pos, i+1), c.at(c.pos, i+2))
	c.f(9, c.label(i-1))
	c.f(10, c.label(i-1), c.pos[i])
	c.f(11, c.label(i-1), c.norm[i])
	c.f(12, c.at(c.norm, i-1))
	c.f(13, c.at(c.norm, i+1))
	c.f(14, c.at(c.pos, i-1), c.pos[i], c.at(c.pos, i+1))
	c.f(15, c.shape[i])
}

// normWord appends to buf the form the taggers see: lower case, every
// number one of a few classes, and quotation marks and dashes in one
// spelling each.
func normWord(buf []byte, w string) []byte {
	switch w {
	case "“", "``", "‘", "«":
		return append(buf, "``"...)
	case "”", "''", "»":
		return append(buf, "''"...)
	case "\"":
		return append(buf, '"')
	case "’", "'":
		return append(buf, '\'')
	case "—", "–", "--", "―":
		return append(buf, "--"...)
	case "…":
		return append(buf, "..."...)
	case "’s", "'s", "’S", "'S":
		return append(buf, "'s"...)
	}
	digits, letters, ascii := 0, 0, true
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case isDigit(c):
			digits++
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			letters++
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	if digits > 0 {
		switch {
		case digits == 4 && len(w) == 4:
			return append(buf, "!YEAR"...)
		case letters == 0:
			return append(buf, "!DIGITS"...)
		}
	}
	if ascii {
		for i := 0; i < len(w); i++ {
			c := w[i]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf = append(buf, c)
		}
		return buf
	}
	// As strings.ToLower would, with the curly apostrophe made straight.
	for _, r := range w {
		if r == '’' {
			r = '\''
		}
		buf = utf8.AppendRune(buf, unicode.ToLower(r))
	}
	return buf
}

// wordShape appends to buf the word's shape: letters become X or x and
// digits d, repeats collapse, and at most eight marks are kept: "Putin" is
// "Xx", "U.S." is "X.X.", "2016" is "d".
func wordShape(buf []byte, w string) []byte {
	var last byte
	for _, r := range w {
		var c byte
		switch {
		case r < utf8.RuneSelf && 'A' <= r && r <= 'Z':
			c = 'X'
		case r < utf8.RuneSelf && 'a' <= r && r <= 'z':
			c = 'x'
		case r < utf8.RuneSelf && '0' <= r && r <= '9':
			c = 'd'
		case r < utf8.RuneSelf:
			c = byte(r)
		case unicode.IsUpper(r):
			c = 'X'
		case unicode.IsLower(r):
			c = 'x'
		case unicode.IsDigit(r):
			c = 'd'
		default:
			c = '*'
		}
		if c == last {
			continue
		}
		last = c
		if len(buf) < 8 {
			buf = append(buf, c)
		}
	}
	return buf
}

func suffix(w []byte, n int) []byte {
	if len(w) <= n {
		return w
	}
	k := len(w) - n
	for k > 0 && !utf8.RuneStart(w[k]) {
		k--
	}
	return w[k:]
}

func prefix(w []byte, n int) []byte {
	if len(w) <= n {
		return w
	}
	k := n
	for k < len(w) && !utf8.RuneStart(w[k]) {
		k++
	}
	return w[:k]
}
