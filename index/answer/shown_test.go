package answer

import (
	"context"
	"testing"

	"github.com/storybot/storybot/corpus"
)

// In a story whose subject every paragraph names, the paragraph with the
// question's one rare word, which the search puts first, is quoted even
// when the ranker prefers paragraphs that hold more of the question's
// words.
func TestTheSearchesBestPassageIsAlwaysQuoted(t *testing.T) {
	const story = `Headline: Harbour Board Approves Dredging Plan
Source: Test Wire
Date: 2025-02-03
---

The Harbour Board approved a plan on Monday to dredge the old channel.

The Harbour Board said the work would begin in April and last two years.

Members of the Harbour Board argued for hours about the cost of the plan.

A spokeswoman, Ines Varga, said the dredging would be paid for by port fees.

The Harbour Board last dredged the channel in 1998, when the Harbour Board had fewer members.
`
	st, err := corpus.Parse("harbour.txt", []byte(story))
	if err != nil {
		t.Fatal(err)
	}
	e := engineFor(t, []*corpus.Story{st}) // alone, so the subject is common and the search prefers the rare word
	for _, q := range []string{"Who is the Harbour Board spokeswoman?", "Harbour Board spokeswoman"} {
		a, err := e.Answer(context.Background(), Request{Kind: Ask, Question: q, Story: "harbour.txt", N: 3})
		if err != nil {
			t.Fatal(err)
		}
		quoted := false
		for _, p := range a.Passages {
			quoted = quoted || p.Paragraph == 3
		}
		if len(a.Passages) != 3 || !quoted {
			t.Errorf("%q: passages %+v", q, a.Passages)
		}
	}
}
