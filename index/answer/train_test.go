package answer

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/corpus/devset"
	"github.com/storybot/storybot/index/answer/unanswerable"
)

func TestEmbeddedModelFits(t *testing.T) {
	m, err := defaultModel()
	if err != nil {
		t.Fatal(err)
	}
	th := m.Thresholds
	if th.Passage <= 0 || th.Passage >= 1 {
		t.Errorf("passage threshold %v", th.Passage)
	}
	for _, k := range []Kind{Ask, Who, When} {
		if a := th.Answer[k]; a <= 0 || a >= 1 {
			t.Errorf("%s answer threshold %v", k, a)
		}
		if len(m.Choose[k].W) != len(choiceFeatures[k]) || len(m.Confidence[k].W) != len(confidenceFeatures[k]) {
			t.Errorf("%s: weights do not match the features", k)
		}
	}
	if _, err := ParseModel([]byte(`{"features":{"rank":["bm25"]}}`)); err == nil {
		t.Error("a model fitted to other features was accepted")
	}
}

func TestTrainIsDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("fits a model twice")
	}
	set := smallTrainSet(t)
	var out [2][]byte
	for i := range out {
		m, err := Train(context.Background(), set, TrainOptions{Folds: 2})
		if err != nil {
			t.Fatal(err)
		}
		if out[i], err = json.Marshal(m); err != nil {
			t.Fatal(err)
		}
		if m.Report["who.hit@1"] < 90 || m.Report["when.hit@1"] < 90 {
			t.Errorf("held-out hit@1: who %v, when %v", m.Report["who.hit@1"], m.Report["when.hit@1"])
		}
	}
	if !bytes.Equal(out[0], out[1]) {
		t.Error("two fits of the same data differ")
	}
}

// smallTrainSet is the dev questions of three articles of each kind, and
// their copies without the answer.
func smallTrainSet(t *testing.T) TrainSet {
	dir := devset.Articles(t)
	items := devset.Load(t, "dev-questions.jsonl", "")
	byKind := map[string][]string{}
	seen := map[string]bool{}
	for _, it := range items {
		if !seen[it.Story] {
			seen[it.Story] = true
			byKind[it.Kind] = append(byKind[it.Kind], it.Story)
		}
	}
	keep := map[string]bool{}
	for _, names := range byKind {
		sort.Strings(names)
		for _, n := range names[:min(3, len(names))] {
			keep[n] = true
		}
	}
	var set TrainSet
	for n := range keep {
		st, err := corpus.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		st.ID = n
		set.Stories = append(set.Stories, st)
	}
	sort.Slice(set.Stories, func(i, j int) bool { return set.Stories[i].ID < set.Stories[j].ID })
	for _, it := range items {
		if !keep[it.Story] {
			continue
		}
		kind, _ := ParseKind(it.Kind)
		grade := func(a Answer) float64 {
			switch kind {
			case When:
				return b2f(devset.DateCorrect(it, a.Date))
			case Who:
				return b2f(devset.BestF1(a.Answer, it.Answers) >= 0.5)
			}
			return devset.BestF1(a.Answer, it.Answers)
		}
		set.Items = append(set.Items, TrainItem{ID: it.ID, Kind: kind, Question: it.Question, Story: it.Story,
			Article: it.Story, Paragraph: it.Paragraph, Grade: grade})
		raw, err := os.ReadFile(filepath.Join(dir, it.Story))
		if err != nil {
			t.Fatal(err)
		}
		if name, text, ok := unanswerable.Story(it, string(raw)); ok {
			st, err := corpus.Parse(name, []byte(text))
			if err != nil {
				t.Fatal(err)
			}
			set.Withheld = append(set.Withheld, st)
			set.Items = append(set.Items, TrainItem{ID: it.ID + "-ua", Kind: kind, Question: it.Question, Story: name,
				Article: it.Story, Paragraph: -1, Grade: func(Answer) float64 { return 0 }})
		}
	}
	return set
}
