package synth

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/storybot/storybot/corpus"
)

func TestGenerateIsExactAndDeterministic(t *testing.T) {
	a, err := Generate(500, 7)
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Paragraphs(); got != 500 {
		t.Fatalf("got %d paragraphs, want 500", got)
	}
	b, err := Generate(500, 7)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Files, b.Files) || !reflect.DeepEqual(a.Questions, b.Questions) {
		t.Fatal("the same seed gave different archives")
	}
	c, err := Generate(500, 8)
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(a.Files, c.Files) {
		t.Fatal("different seeds gave the same archive")
	}
}

// The archive is only a fair load if the annotator finds in it what it
// finds in news: statements with speakers and resolved dates.
func TestGeneratedStoriesAreAnnotated(t *testing.T) {
	c, err := Generate(1000, 1)
	if err != nil {
		t.Fatal(err)
	}
	var stmts, times, paras int
	seen := map[string]bool{}
	for _, st := range c.Stories {
		if seen[st.ID] {
			t.Fatalf("duplicate story ID %s", st.ID)
		}
		seen[st.ID] = true
		if !st.DateKnown() || st.Headline == "" {
			t.Fatalf("%s: headline %q, date known %v", st.ID, st.Headline, st.DateKnown())
		}
		for _, p := range st.Paragraphs {
			paras++
			if len(p.Statements) > 0 {
				stmts++
			}
			if len(p.Times) > 0 {
				times++
			}
		}
	}
	if stmts < paras/3 || times < paras/3 {
		t.Fatalf("of %d paragraphs, %d hold statements and %d time expressions; want a third at least", paras, stmts, times)
	}
}

func TestQuestionsPointAtTheirAnswers(t *testing.T) {
	c, err := Generate(800, 3)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*corpus.Story{}
	for _, st := range c.Stories {
		byID[st.ID] = st
	}
	kinds := map[string]int{}
	for _, q := range c.Questions {
		kinds[q.Kind]++
		st := byID[q.Story]
		if st == nil || q.Paragraph >= len(st.Paragraphs) {
			t.Fatalf("%+v: no such paragraph", q)
		}
		want := q.Answer
		if q.Kind == "who" {
			// Later mentions of a speaker give the surname only.
			want = want[strings.LastIndexByte(want, ' ')+1:]
		}
		if text := st.Paragraphs[q.Paragraph].Text; !strings.Contains(text, want) {
			t.Fatalf("%+v: paragraph does not hold the answer: %q", q, text)
		}
	}
	for _, k := range []string{"ask", "who", "when"} {
		if kinds[k] < 50 {
			t.Errorf("only %d %s questions", kinds[k], k)
		}
		if s := c.Sample(k, 10, 1); len(s) != 10 || s[0].Kind != k {
			t.Errorf("Sample(%s) = %v", k, s)
		}
	}
}

func TestVocabularyHasALongTail(t *testing.T) {
	c, err := Generate(3000, 1)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, f := range c.Files {
		for _, w := range strings.FieldsFunc(f.Text, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
		}) {
			counts[strings.ToLower(w)]++
		}
	}
	once := 0
	for _, n := range counts {
		if n == 1 {
			once++
		}
	}
	if len(counts) < 2000 || once < len(counts)/10 {
		t.Fatalf("%d distinct words, %d seen once: want thousands with a long tail", len(counts), once)
	}
}

func TestWriteDirLoadsBack(t *testing.T) {
	c, err := Generate(120, 2)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := c.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	stories, skipped, err := corpus.LoadDir(dir)
	if err != nil || len(skipped) > 0 {
		t.Fatalf("loading back: %v %v", err, skipped)
	}
	if len(stories) != len(c.Stories) {
		t.Fatalf("loaded %d stories, wrote %d", len(stories), len(c.Stories))
	}
	if _, err := os.Stat(filepath.Join(dir, "questions.jsonl")); err != nil {
		t.Fatal(err)
	}
}
