package index_test

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/storybot/storybot/corpus/synth"
	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/answer"
)

// costArchive is big enough for common words to be common (the search
// leaves out words in more than 2% of paragraphs, and no fewer than 200).
const costArchive = 10_000

// hostileQuestions are the questions issue 11 found stalling the bot, and
// their relatives: one common word typed 200 times (bare and quoted), the
// archive's 36 commonest words, and a pile of quotations of common words.
func hostileQuestions(t testing.TB, c *synth.Corpus, ix *index.Index) map[string]string {
	t.Helper()
	common := commonWords(t, c, ix, 36)
	said := strings.TrimSpace(strings.Repeat("said ", 200))
	var quotes []string
	for i := 0; i+3 <= len(common); i += 3 {
		quotes = append(quotes, `"`+strings.Join(common[i:i+3], " ")+`"`)
	}
	return map[string]string{
		"repeated word":   said,
		"repeated quoted": `"` + said + `"`,
		"36 common words": strings.Join(common, " "),
		"common quotes":   strings.Join(quotes, " "),
	}
}

// commonWords are the n words that most paragraphs of c hold, among those
// the index searches at all (not stop words).
func commonWords(t testing.TB, c *synth.Corpus, ix *index.Index, n int) []string {
	t.Helper()
	df := map[string]int{}
	for _, st := range c.Stories {
		for _, p := range st.Paragraphs {
			seen := map[string]bool{}
			for _, w := range strings.FieldsFunc(strings.ToLower(p.Text), func(r rune) bool { return !unicode.IsLetter(r) }) {
				if !seen[w] {
					seen[w] = true
					df[w]++
				}
			}
		}
	}
	words := make([]string, 0, len(df))
	for w := range df {
		words = append(words, w)
	}
	sort.Slice(words, func(i, j int) bool {
		return df[words[i]] > df[words[j]] || df[words[i]] == df[words[j]] && words[i] < words[j]
	})
	var out []string
	for _, w := range words {
		if len(out) == n {
			break
		}
		if _, p, err := ix.SearchPlan(context.Background(), index.Query{Text: w, Size: 1}); err == nil && len(p.Terms) == 1 {
			out = append(out, w)
		}
	}
	if len(out) < n {
		t.Fatalf("only %d common words", len(out))
	}
	return out
}

// answerCost is the work of answering q, in bytes bleve read.
func answerCost(t testing.TB, eng *answer.Engine, kind answer.Kind, q string) uint64 {
	t.Helper()
	w := &index.Work{}
	if _, err := eng.Answer(index.CountWork(context.Background(), w), answer.Request{Kind: kind, Question: q}); err != nil {
		t.Fatalf("%s %.60q: %v", kind, q, err)
	}
	n, _, bytes := w.Totals()
	if n == 0 {
		t.Fatalf("%s %.60q: no search counted", kind, q)
	}
	return bytes
}

func costFixture(t testing.TB) (*synth.Corpus, *index.Index, *answer.Engine) {
	t.Helper()
	c, err := synth.Shared(costArchive)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.NewMemory(c.Stories)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return c, ix, answer.New(ix)
}

// TestHostileQuestionsCostLikeOrdinaryOnes compares questions by the work
// they cause, as bleve counts it (bytes read from the index), not by time:
// each hostile question may cost at most 5× the median ordinary question,
// and still gets an answer from the search.
func TestHostileQuestionsCostLikeOrdinaryOnes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 10k-paragraph archive")
	}
	c, ix, eng := costFixture(t)
	kinds := map[string]answer.Kind{"ask": answer.Ask, "who": answer.Who, "when": answer.When}
	var normal []uint64
	found, asked := 0, 0
	for name, kind := range kinds {
		for _, q := range c.Sample(name, 20, 11) {
			normal = append(normal, answerCost(t, eng, kind, q.Question))
			// The budget must not cost ordinary questions their passage.
			hits, err := ix.Search(context.Background(), index.Query{Text: q.Question, Size: 20})
			if err != nil {
				t.Fatal(err)
			}
			asked++
			if slices.ContainsFunc(hits, func(h index.Hit) bool { return h.Story == q.Story && h.Paragraph == q.Paragraph }) {
				found++
			}
		}
	}
	if found < asked*9/10 {
		t.Errorf("ordinary questions: the right paragraph is among the candidates for only %d of %d", found, asked)
	}
	slices.Sort(normal)
	median := normal[len(normal)/2]
	t.Logf("ordinary question: median %d bytes read (from %d to %d)", median, normal[0], normal[len(normal)-1])

	for name, q := range hostileQuestions(t, c, ix) {
		for kname, kind := range kinds {
			cost := answerCost(t, eng, kind, q)
			t.Logf("%s (%s): %d bytes, %.1f× the median", name, kname, cost, float64(cost)/float64(median))
			if cost > 5*median {
				t.Errorf("%s (%s) cost %d bytes, %.1f× the median ordinary question (at most 5×)", name, kname, cost, float64(cost)/float64(median))
			}
		}
		hits, p, err := ix.SearchPlan(context.Background(), index.Query{Text: q, Size: 20})
		if err != nil || len(hits) == 0 {
			t.Errorf("%s: %d hits, %v; a hostile question is answered, only cheaply", name, len(hits), err)
		}
		if len(p.Terms)+len(p.Phrases) > 1 && p.Postings > p.Budget {
			t.Errorf("%s: plan %+v is over its budget", name, p)
		}
	}
}
