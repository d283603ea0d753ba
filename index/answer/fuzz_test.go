package answer

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

// Run one at a time, e.g.
//
//	go test -run '^$' -fuzz FuzzParseQuestion -fuzztime 60s ./index/answer/
//
// Without -fuzz, the seeds below run as ordinary tests.

var fuzzSeeds = []string{
	"Who said “dialogue and peaceful means”?",
	`Who said "neutralize the occupier"`,
	"When did Putin authorize the special military operation?",
	"What did Ukraine's defense ministry urge citizens to make?",
	"How many officials were killed?",
	`"" "a" """ “”“ ”“`,
	"who said that: ",
	"When was it that",
	"what date did",
	"said said said said said said said said said said said said",
	"\x00\xff\xfe Molotov\u200b cocktails\u0301 ?!?!",
	strings.Repeat(`"peaceful means" `, 40),
	"?",
	"",
}

// FuzzParseQuestion checks that any text parses, and that what the parser
// keeps is the user's own text: the words searched and every quoted phrase
// are taken from the question, never made up.
func FuzzParseQuestion(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, uint8(0))
	}
	kinds := []Kind{Ask, Who, When}
	whs := map[string]bool{"who": true, "when": true, "where": true, "howmany": true, "howmuch": true, "howlong": true,
		"what": true, "which": true, "why": true, "how": true, "whom": true, "whose": true, "other": true}
	f.Fuzz(func(t *testing.T, text string, k uint8) {
		q := parseQuestion(kinds[int(k)%len(kinds)], text)
		if q.Raw != text {
			t.Fatalf("Raw %q, want the text", q.Raw)
		}
		if !strings.Contains(text, q.Search) {
			t.Fatalf("Search %q is not part of %q", q.Search, text)
		}
		for _, p := range q.Phrases {
			if !strings.Contains(text, p) {
				t.Fatalf("phrase %q is not part of %q", p, text)
			}
		}
		if !whs[q.WH] {
			t.Fatalf("WH %q", q.WH)
		}
	})
}

var fuzzEngine = sync.OnceValues(func() (*Engine, error) {
	ix, err := index.NewMemory(corpus.Builtin())
	if err != nil {
		return nil, err
	}
	return New(ix), nil
})

// FuzzAnswer puts any question to Engine.Answer over the built-in story:
// the span, who and when code all run on what the search returns. It
// checks that no question makes it fail other than as "nothing to search
// for" or "too complex", and that what it returns is quoted, not made up:
// every passage is a paragraph of the story, word for word, and every span
// and match lies inside its passage on character boundaries.
func FuzzAnswer(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, uint8(0), uint8(3))
	}
	f.Add("Who said it?", uint8(1), uint8(1))
	f.Add("late on Wednesday", uint8(2), uint8(9))
	eng, err := fuzzEngine()
	if err != nil {
		f.Fatal(err)
	}
	paragraphs := map[string]bool{}
	for _, st := range corpus.Builtin() {
		for _, p := range st.Paragraphs {
			paragraphs[p.Text] = true
		}
	}
	kinds := []Kind{Ask, Who, When}
	f.Fuzz(func(t *testing.T, question string, k, n uint8) {
		kind := kinds[int(k)%len(kinds)]
		a, err := eng.Answer(context.Background(), Request{Kind: kind, Question: question, N: int(n % 12)})
		if err != nil {
			if errors.Is(err, ErrNoQuestion) || errors.Is(err, ErrTooComplex) {
				return
			}
			t.Fatalf("%s %q: %v", kind, question, err)
		}
		if a.Found != (len(a.Passages) > 0) {
			t.Fatalf("found %v with %d passages", a.Found, len(a.Passages))
		}
		for _, p := range a.Passages {
			if !paragraphs[p.Text] {
				t.Fatalf("passage is not a paragraph of the story: %q", p.Text)
			}
			for _, m := range p.Matches {
				inside(t, p.Text, Span(m))
			}
		}
		if a.Span != nil {
			if len(a.Passages) == 0 {
				t.Fatal("a span without a passage")
			}
			inside(t, a.Passages[0].Text, *a.Span)
		}
		for _, s := range []string{a.Answer, a.Quote, a.Description, a.Note, a.Date} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in the answer: %q", s)
			}
		}
	})
}

func inside(t *testing.T, text string, s Span) {
	t.Helper()
	if s.Start < 0 || s.End > len(text) || s.Start > s.End {
		t.Fatalf("span %v outside a text of %d bytes", s, len(text))
	}
	if (s.Start < len(text) && !utf8.RuneStart(text[s.Start])) || (s.End < len(text) && !utf8.RuneStart(text[s.End])) {
		t.Fatalf("span %v cuts a character of %q", s, text)
	}
}
