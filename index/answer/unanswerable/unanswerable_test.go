package unanswerable

import (
	"strings"
	"testing"

	"github.com/storybot/storybot/corpus/devset"
)

const story = `date: 2021-03-04
source: Example
---
Harbour works

The pier collapsed on Tuesday after weeks of rain.

The mayor said the pier would be rebuilt by spring.

Repairs will cost 4 million euros.

Rain is expected to continue.
`

func TestStoryTakesTheAnswerOut(t *testing.T) {
	for _, tc := range []struct {
		it   devset.Item
		gone []string
	}{
		{devset.Item{ID: "a1", Kind: "ask", Story: "harbour.txt", Paragraph: 2, Answers: []string{"4 million euros"}},
			[]string{"4 million"}},
		{devset.Item{ID: "w1", Kind: "who", Story: "harbour.txt", Paragraph: 1, Quote: "the pier would be rebuilt by spring"},
			[]string{"rebuilt"}},
		// "Tuesday" is in the gold paragraph only; the rest stays.
		{devset.Item{ID: "t1", Kind: "when", Story: "harbour.txt", Paragraph: 0, TimexText: "Tuesday"},
			[]string{"collapsed"}},
	} {
		name, out, ok := Story(tc.it, story)
		if !ok {
			t.Fatalf("%s: no copy", tc.it.ID)
		}
		if name != "harbour--minus-"+tc.it.ID+".txt" {
			t.Errorf("%s: name %q", tc.it.ID, name)
		}
		if !strings.HasPrefix(out, "date: 2021-03-04\nsource: Example\n---\nHarbour works\n\n") {
			t.Errorf("%s: header and headline not kept:\n%s", tc.it.ID, out)
		}
		for _, g := range tc.gone {
			if strings.Contains(out, g) {
				t.Errorf("%s: %q is still there:\n%s", tc.it.ID, g, out)
			}
		}
		if n := strings.Count(out, "\n\n"); n != 3 {
			t.Errorf("%s: %d blank lines, want 3 (headline and three paragraphs):\n%s", tc.it.ID, n, out)
		}
	}
}

func TestStoryNeedsTwoParagraphsLeft(t *testing.T) {
	it := devset.Item{ID: "a2", Kind: "ask", Story: "harbour.txt", Paragraph: 2, Answers: []string{"pier"}}
	if _, _, ok := Story(it, story); ok {
		t.Error("made a copy with one paragraph left")
	}
}
