package index

import (
	"context"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/storybot/storybot/corpus"
)

// The analyzer counts a question's words in its text with accents folded,
// and folding changes byte lengths ("⑽" becomes "(10)", "é" becomes "e"),
// so a long question's phrase is cut on the question's own text: a prefix
// of it, whole runes, holding exactly its first maxPhraseWords words. A cut
// at the folded offsets once ran past the end of the question (a panic)
// or stopped short of the last word, in the middle of a rune.
func TestLongPhraseIsCutAfterItsLastWord(t *testing.T) {
	cases := []struct{ name, text string }{
		{"folding lengthens", "What did the Taliban say about " + strings.Repeat("⑽", 33) + "?"},
		{"folding lengthens, no spaces", "peace " + strings.Repeat("⒇", 40)},
		{"folding shortens", strings.Repeat("café ", 40)},
		{"folding shortens, cut within a rune", strings.Repeat("résumé ", 40)},
		{"plain ASCII", strings.Repeat("peace talks ", 20)},
	}
	var paras []string
	for _, c := range cases {
		paras = append(paras, c.text)
	}
	full, err := NewMemory([]*corpus.Story{story(t, "long.txt", paras...)})
	if err != nil {
		t.Fatal(err)
	}
	defer full.Close()
	empty, err := NewMemory(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer empty.Close()

	terms := func(s string) []string {
		var out []string
		for _, tok := range analyzer.Analyze([]byte(s)) {
			out = append(out, string(tok.Term))
		}
		return out
	}
	search := func(ix *Index, text string) (p Plan, err error) {
		defer func() {
			if r := recover(); r != nil {
				t.Errorf("%q: panic: %v", text, r)
			}
		}()
		_, p, err = ix.SearchPlan(context.Background(), Query{Text: text})
		return p, err
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if n := len(terms(c.text)); n <= maxPhraseWords {
				t.Fatalf("the question has %d words, not more than %d", n, maxPhraseWords)
			}
			if _, err := search(empty, c.text); err != nil {
				t.Errorf("on an empty index: %v", err)
			}
			p, err := search(full, c.text)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Phrases) != 1 {
				t.Fatalf("searched phrases %q, want the question's", p.Phrases)
			}
			got := p.Phrases[0]
			if !utf8.ValidString(got) || !strings.HasPrefix(c.text, got) {
				t.Errorf("phrase %q is not a prefix of the question in whole runes", got)
			}
			if want := terms(c.text)[:maxPhraseWords]; !slices.Equal(terms(got), want) {
				t.Errorf("phrase %q holds words %q, want %q", got, terms(got), want)
			}
		})
	}
}
