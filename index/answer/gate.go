package answer

import (
	"math"
	"strings"
)

// gateFeatures are what decides whether the best passage is about what the
// question asks at all. A question about a country no story mentions is not
// answered from a paragraph that merely shares "capital" with it; but a
// question that misspells a name, or writes "two" where the story has "2",
// is. Within a story the user named, a confident BM25 match is enough.
var gateFeatures = []string{
	"coverage",   // share of the question's weight in the best passage
	"fuzzy",      // ... in another spelling
	"sentence",   // largest share in one of its sentences
	"keys",       // share of the question's names and numbers found in the passage, in any spelling
	"keys.story", // ... in the passage or its headline
	"nokeys",     // the question has no names or numbers
	"headline",   // share in the story's headline
	"bm25",       // the best passage's search score (log)
	"margin",     // how far the best passage's rank score is ahead of the next
	"words",      // how many content words the question has (log)
}

const (
	gfCoverage = iota
	gfFuzzy
	gfSentence
	gfKeys
	gfKeysStory
	gfNoKeys
	gfHeadline
	gfStory
	gfBM25
	gfMargin
	gfWords
	gfCount
)

// gateInput works out gateFeatures for a ranked list.
func gateInput(q question, qw map[string]float64, ranked []*candidate) []float64 {
	f := make([]float64, gfCount)
	if len(ranked) == 0 {
		return f
	}
	best := ranked[0]
	f[gfCoverage] = best.feat[rfCoverage]
	f[gfFuzzy] = best.feat[rfFuzzy]
	f[gfSentence] = best.feat[rfSentence]
	f[gfHeadline] = best.feat[rfHeadline]
	f[gfStory] = best.feat[rfStory]
	keys := keyTerms(q.Search)
	if len(keys) == 0 {
		f[gfNoKeys], f[gfKeys], f[gfKeysStory] = 1, 1, 1
	} else {
		found, inStory := 0, 0
		for _, k := range keys {
			if termIn(k, best.toks) {
				found++
				inStory++
			} else if termIn(k, best.headline) {
				inStory++
			}
		}
		f[gfKeys] = float64(found) / float64(len(keys))
		f[gfKeysStory] = float64(inStory) / float64(len(keys))
	}
	f[gfBM25] = math.Log1p(best.hit.Score)
	if len(ranked) > 1 {
		f[gfMargin] = math.Tanh(ranked[0].score - ranked[1].score)
	} else {
		f[gfMargin] = 1
	}
	f[gfWords] = math.Log1p(float64(len(qw)))
	return f
}

// sameName matches a name with its derived forms, which stemming leaves
// apart: "Ukraine" and "Ukrainian", "California" and "Californian".
func sameName(a, b string) bool {
	const stemLen = 5
	if len(a) < stemLen || len(b) < stemLen {
		return a == b
	}
	return a[:stemLen] == b[:stemLen]
}

// keyTerms are the names and numbers of a question: words written with a
// capital or a digit anywhere but at the start of a sentence.
func keyTerms(text string) []token {
	var keys []token
	seen := map[string]bool{}
	for _, t := range tokenize(text) {
		if t.Stem == "" || t.Start == 0 || sentenceStart(text, t.Start) || seen[t.Stem] {
			continue
		}
		if r := t.Word[0]; r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			seen[t.Stem] = true
			keys = append(keys, t)
		}
	}
	return keys
}

// sentenceStart reports whether only spaces and quotation marks separate
// offset i from the end of a sentence before it.
func sentenceStart(text string, i int) bool {
	before := strings.TrimRight(text[:i], " \"“‘'(")
	return before == "" || strings.HasSuffix(before, ".") || strings.HasSuffix(before, "?") || strings.HasSuffix(before, "!")
}
