package answer

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

// These tests measure answers on the evaluation data in ../shared/data,
// the way ../shared/eval/score.py does, and fail when quality drops below
// what the project promises. They skip when that data is not present.

var sharedData = filepath.Join("..", "..", "..", "shared", "data")

type goldItem struct {
	ID          string   `json:"id"`
	Kind        string   `json:"kind"`
	Question    string   `json:"question"`
	Story       string   `json:"story"`
	Answers     []string `json:"answers"`
	Paragraph   int      `json:"paragraph"`
	Granularity string   `json:"granularity"`
}

func readGold(t *testing.T, name string) []goldItem {
	t.Helper()
	f, err := os.Open(filepath.Join(sharedData, name))
	if err != nil {
		t.Skipf("evaluation data not here: %v", err)
	}
	defer f.Close()
	var items []goldItem
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var it goldItem
		if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
			t.Fatal(err)
		}
		items = append(items, it)
	}
	return items
}

// scores accumulates the scorer's metrics, in percent.
type scores struct{ sum, n map[string]float64 }

func (s *scores) add(key string, v float64) {
	if s.sum == nil {
		s.sum, s.n = map[string]float64{}, map[string]float64{}
	}
	s.sum[key] += v
	s.n[key]++
}

func (s *scores) get(key string) float64 { return 100 * s.sum[key] / s.n[key] }

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

var scoreTitles = map[string]bool{"a": true, "an": true, "the": true, "mr": true, "mrs": true, "ms": true,
	"dr": true, "sen": true, "senator": true, "rep": true, "gov": true, "president": true, "prof": true}

func normTokens(s string) []string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsPunct(r) || unicode.IsSymbol(r) {
			return ' '
		}
		return unicode.ToLower(r)
	}, s)
	var out []string
	for _, w := range strings.Fields(s) {
		if !scoreTitles[w] {
			out = append(out, w)
		}
	}
	return out
}

// tokenF1 is SQuAD's token F1, as score.py computes it.
func tokenF1(pred, gold string) float64 {
	p, g := normTokens(pred), normTokens(gold)
	if len(p) == 0 || len(g) == 0 {
		return b2f(len(p) == len(g))
	}
	counts := map[string]int{}
	for _, w := range g {
		counts[w]++
	}
	same := 0
	for _, w := range p {
		if counts[w] > 0 {
			counts[w]--
			same++
		}
	}
	if same == 0 {
		return 0
	}
	prec, rec := float64(same)/float64(len(p)), float64(same)/float64(len(g))
	return 2 * prec * rec / (prec + rec)
}

func bestF1(pred string, golds []string) float64 {
	best := 0.0
	for _, g := range golds {
		best = max(best, tokenF1(pred, g))
	}
	return best
}

var granularityLen = map[string]int{"year": 4, "month": 7, "day": 10}

func evaluate(t *testing.T, eng *Engine, items []goldItem) scores {
	t.Helper()
	var s scores
	for _, it := range items {
		kind, err := ParseKind(it.Kind)
		if err != nil {
			t.Fatal(err)
		}
		a, err := eng.Answer(context.Background(), Request{Kind: kind, Question: it.Question, Story: it.Story, N: 5})
		if err != nil {
			t.Fatalf("%s: %v", it.ID, err)
		}
		rank := 0
		for i, p := range a.Passages {
			if p.Story == it.Story && p.Paragraph == it.Paragraph {
				rank = i + 1
				break
			}
		}
		s.add(it.Kind+".hit@1", b2f(rank == 1))
		switch it.Kind {
		case "who":
			s.add("who.correct", b2f(bestF1(a.Answer, it.Answers) >= 0.5))
		case "when":
			n, ok := granularityLen[it.Granularity]
			if !ok {
				n = len(it.Answers[0])
			}
			s.add("when.correct", b2f(len(a.Date) >= n && a.Date[:n] == it.Answers[0][:n]))
		case "ask":
			mrr := 0.0
			if rank > 0 {
				mrr = 1 / float64(rank)
			}
			s.add("ask.mrr@5", mrr)
			s.add("ask.f1", bestF1(a.Answer, it.Answers))
		}
	}
	return s
}

func engineFor(t *testing.T, stories []*corpus.Story) *Engine {
	t.Helper()
	ix, err := index.NewMemory(stories)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return New(ix)
}

func TestSeedQuestions(t *testing.T) {
	items := readGold(t, "seed-questions.jsonl")
	s := evaluate(t, engineFor(t, corpus.Builtin()), items)
	first := 0.0
	for _, k := range []string{"who.hit@1", "when.hit@1", "ask.hit@1"} {
		first += s.sum[k]
	}
	t.Logf("gold paragraph first for %.0f of %d; who correct %.0f%%, when correct %.0f%%",
		first, len(items), s.get("who.correct"), s.get("when.correct"))
	if first < 22 {
		t.Errorf("gold paragraph first for %.0f of %d seed questions, want at least 22", first, len(items))
	}
}

func TestDevSetQuality(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes 190 articles")
	}
	items := readGold(t, "dev-questions.jsonl")
	stories, _, err := corpus.LoadDir(filepath.Join(sharedData, "articles"))
	if err != nil {
		t.Fatal(err)
	}
	s := evaluate(t, engineFor(t, stories), items)
	floors := map[string]float64{
		"ask.hit@1": 93, "ask.mrr@5": 95, "ask.f1": 30, "who.hit@1": 98, "when.hit@1": 98,
	}
	for k, floor := range floors {
		got := s.get(k)
		t.Logf("%-12s %5.1f (floor %v)", k, got, floor)
		if got < floor {
			t.Errorf("%s = %.1f, below %v", k, got, floor)
		}
	}
	t.Logf("who.correct %.1f, when.correct %.1f", s.get("who.correct"), s.get("when.correct"))
}
