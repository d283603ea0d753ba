package answer

// These tests measure answers on the evaluation data in ../shared/data,
// the way ../shared/eval/score.py does, and fail when quality drops below
// what the project promises. They skip when that data is not present.

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/corpus/devset"
	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/answer/unanswerable"
)

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

func evaluate(t *testing.T, eng *Engine, items []devset.Item) scores {
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
			s.add("who.correct", b2f(devset.BestF1(a.Answer, it.Answers) >= 0.5))
		case "when":
			s.add("when.correct", b2f(devset.DateCorrect(it, a.Date)))
		case "ask":
			mrr := 0.0
			if rank > 0 {
				mrr = 1 / float64(rank)
			}
			s.add("ask.mrr@5", mrr)
			s.add("ask.f1", devset.BestF1(a.Answer, it.Answers))
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
	items := devset.Load(t, "seed-questions.jsonl", "")
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
	items := devset.Load(t, "dev-questions.jsonl", "")
	stories, _, err := corpus.LoadDir(devset.Articles(t))
	if err != nil {
		t.Fatal(err)
	}
	s := evaluate(t, engineFor(t, stories), items)
	// The model was fitted to these questions: its cross-validated
	// figures are in model.json's report and docs/ANSWERS.md.
	checkFloors(t, s, map[string]float64{
		"ask.hit@1": 97.5, "ask.mrr@5": 98.5, "ask.f1": 42, "who.hit@1": 99.5, "when.hit@1": 99.5,
		"who.correct": 95.5, "when.correct": 95,
	})
}

// TestUnanswerableAbstention asks every dev question of a copy of its
// story with the answer taken out: the answer must then give no short
// answer, and for when no date.
func TestUnanswerableAbstention(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes a thousand stories")
	}
	dir := devset.Articles(t)
	items := devset.Load(t, "dev-questions.jsonl", "")
	var stories []*corpus.Story
	var asked []devset.Item
	for _, it := range items {
		raw, err := os.ReadFile(filepath.Join(dir, it.Story))
		if err != nil {
			t.Fatal(err)
		}
		name, text, ok := unanswerable.Story(it, string(raw))
		if !ok {
			continue
		}
		st, err := corpus.Parse(name, []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		stories = append(stories, st)
		it.Story = name
		asked = append(asked, it)
	}
	eng := engineFor(t, stories)
	var s scores
	for _, it := range asked {
		kind, _ := ParseKind(it.Kind)
		a, err := eng.Answer(context.Background(), Request{Kind: kind, Question: it.Question, Story: it.Story, N: 5})
		if err != nil {
			t.Fatalf("%s: %v", it.ID, err)
		}
		said := a.Answer != "" || (kind == When && a.Date != "")
		s.add(it.Kind+".abstain", b2f(!said))
		s.add("all.abstain", b2f(!said))
	}
	// The bar is 90 in all and 85 a kind; the thresholds aim at 92 or more
	// a kind on held-out articles (see minAbstain).
	checkFloors(t, s, map[string]float64{"all.abstain": 94, "ask.abstain": 94, "who.abstain": 96, "when.abstain": 92})
}

// TestShortWhoQuestions asks who said a five-word fragment of a quote, as
// people type it when they half remember a line.
func TestShortWhoQuestions(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes 190 articles")
	}
	items := devset.Load(t, "dev-questions-short.jsonl", "who")
	stories, _, err := corpus.LoadDir(devset.Articles(t))
	if err != nil {
		t.Fatal(err)
	}
	s := evaluate(t, engineFor(t, stories), items)
	checkFloors(t, s, map[string]float64{"who.correct": 93.5, "who.hit@1": 99.5})
}

func checkFloors(t *testing.T, s scores, floors map[string]float64) {
	t.Helper()
	for k, floor := range floors {
		got := s.get(k)
		t.Logf("%-12s %5.1f (floor %v)", k, got, floor)
		if got < floor {
			t.Errorf("%s = %.1f, below %v", k, got, floor)
		}
	}
}
