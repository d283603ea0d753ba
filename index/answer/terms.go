package answer

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	porter "github.com/blevesearch/go-porterstemmer"
)

// token is one word of a text, with its place and its stem.
type token struct {
	Start, End int
	Word       string // as written
	Stem       string // lower-cased, stemmed; "" for a stop word
}

// tokenize splits text into words, keeping byte offsets so that matches can
// be highlighted in the original text. Stems follow the index's English
// analysis closely enough to tell which words of a passage a question shares.
func tokenize(text string) []token {
	var toks []token
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		w := strings.Trim(text[start:end], "'’")
		if w != "" {
			s := start + strings.Index(text[start:end], w)
			toks = append(toks, token{Start: s, End: s + len(w), Word: w, Stem: stem(w)})
		}
		start = -1
	}
	for i, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || ((r == '\'' || r == '’') && start >= 0) ||
			((r == '.' || r == ',') && start >= 0 && nextIsDigit(text, i)) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(text))
	return toks
}

func nextIsDigit(s string, i int) bool {
	if i == 0 || i+1 >= len(s) {
		return false
	}
	prev, _ := utf8.DecodeLastRuneInString(s[:i])
	next, _ := utf8.DecodeRuneInString(s[i+1:])
	return unicode.IsDigit(prev) && unicode.IsDigit(next)
}

// stemCache remembers the stems of words seen before. Re-ranking stems
// every word of twenty passages per question; news vocabulary repeats, so
// nearly every lookup hits, and the stemmer's allocations were most of an
// answer's garbage. It stops growing at maxCachedStems words.
var (
	stemCache      sync.Map
	cachedStems    atomic.Int64
	maxCachedStems = int64(200_000)
)

func stem(w string) string {
	if s, ok := stemCache.Load(w); ok {
		return s.(string)
	}
	s := stemWord(w)
	if cachedStems.Load() < maxCachedStems {
		if _, loaded := stemCache.LoadOrStore(strings.Clone(w), s); !loaded {
			cachedStems.Add(1)
		}
	}
	return s
}

func stemWord(w string) string {
	l := strings.ToLower(w)
	l = strings.TrimSuffix(strings.TrimSuffix(l, "'s"), "’s")
	if stopWords[l] {
		return ""
	}
	return porter.StemString(l)
}

// stopWords are left out of matching: they say nothing about which passage
// answers a question. Question words and "said" are here too, because every
// who- and when-question carries them.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a about above after again against all am an and any are as at be
		because been before being below between both but by can could did do does doing down during each
		few for from further had has have having he her here hers herself him himself his how i if in into
		is it its itself just me more most my myself no nor not now of off on once only or other our ours
		ourselves out over own same she should so some such than that the their theirs them themselves then
		there these they this those through to too under until up very was we were what when where which
		while who whom whose why will with would you your yours yourself yourselves
		said say says tell told it's that's s t`) {
		m[w] = true
	}
	return m
}()
