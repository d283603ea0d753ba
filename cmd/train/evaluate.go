package main

import (
	"fmt"

	"github.com/storybot/storybot/corpus/text"
)

// evaluatePipeline measures the whole layer as the extractors use it on
// the held-back articles: our tokenizer against CoreNLP's tokens, then
// tags on CoreNLP's tokens with predicted (not gold) parts of speech
// feeding the entity and chunk taggers.
func evaluatePipeline(a *text.Analyzer, held []article) {
	var tokAgree, tokGold, tokOurs int
	var posRight, all int
	var entRight, entGold, entPred int
	var chRight, chGold, chPred int
	for _, art := range held {
		gold := map[[2]int]bool{}
		for _, s := range art.sents {
			for _, t := range s.toks {
				gold[[2]int{t.Start, t.End}] = true
			}
		}
		tokGold += len(gold)
		for _, t := range text.Tokenize(art.text) {
			tokOurs++
			if gold[[2]int{t.Start, t.End}] {
				tokAgree++
			}
		}
		for _, s := range art.sents {
			toks := make([]text.Token, len(s.toks))
			copy(toks, s.toks)
			chunks := a.TagSentence(toks)
			goldCh := s.chunks()
			for i, t := range toks {
				all++
				if t.POS == s.pos[i] {
					posRight++
				}
			}
			g, p, r := spanMatch(s.ner, entityLabels(toks), "O")
			entGold, entPred, entRight = entGold+g, entPred+p, entRight+r
			g, p, r = spanMatch(bioToTyped(goldCh), bioToTyped(chunks), "O")
			chGold, chPred, chRight = chGold+g, chPred+p, chRight+r
		}
	}
	fmt.Printf("tokenizer: %.2f%% of CoreNLP's tokens found exactly (%d of %d; we made %d)\n",
		100*float64(tokAgree)/float64(tokGold), tokAgree, tokGold, tokOurs)
	fmt.Printf("pos:   %.2f%% agreement with CoreNLP on %d held-back tokens\n", 100*float64(posRight)/float64(all), all)
	fmt.Printf("ner:   mention F1 %.2f%% (P %.2f%%, R %.2f%%) with predicted parts of speech\n",
		f1(entRight, entPred, entGold), pct(entRight, entPred), pct(entRight, entGold))
	fmt.Printf("chunk: NP F1 %.2f%% (P %.2f%%, R %.2f%%) with predicted parts of speech\n",
		f1(chRight, chPred, chGold), pct(chRight, chPred), pct(chRight, chGold))
}

func entityLabels(toks []text.Token) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Entity
		if out[i] == "" {
			out[i] = "O"
		}
	}
	return out
}

// bioToTyped turns B/I/O chunk labels into typed runs where a B starts a
// new run: the spans are numbered so adjacent chunks stay apart.
func bioToTyped(l []string) []string {
	out := make([]string, len(l))
	n := 0
	for i, x := range l {
		switch x {
		case "B":
			n++
			out[i] = fmt.Sprint(n)
		case "I":
			if n == 0 || i == 0 || out[i-1] == "O" {
				n++
			}
			out[i] = fmt.Sprint(n)
		default:
			out[i] = "O"
		}
	}
	return out
}

// spanMatch counts maximal runs of equal non-outside labels in gold and
// pred, and how many runs are the same in both (span and label). For
// chunks, run labels are numbers, so only spans are compared.
func spanMatch(gold, pred []string, outside string) (g, p, right int) {
	runs := func(l []string) map[[2]int]string {
		m := map[[2]int]string{}
		for i := 0; i < len(l); {
			if l[i] == outside {
				i++
				continue
			}
			j := i + 1
			for j < len(l) && l[j] == l[i] {
				j++
			}
			m[[2]int{i, j}] = l[i]
			i = j
		}
		return m
	}
	gr, pr := runs(gold), runs(pred)
	numeric := len(gold) > 0 && outside == "O"
	for k, v := range pr {
		if gv, ok := gr[k]; ok && (gv == v || numeric && isNumber(v) && isNumber(gv)) {
			right++
		}
	}
	return len(gr), len(pr), right
}

func isNumber(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

func pct(a, b int) float64 { return 100 * float64(a) / float64(max(b, 1)) }

func f1(right, pred, gold int) float64 {
	p, r := float64(right)/float64(max(pred, 1)), float64(right)/float64(max(gold, 1))
	if p+r == 0 {
		return 0
	}
	return 200 * p * r / (p + r)
}
