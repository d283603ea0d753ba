package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storybot/storybot/corpus/devset"
)

type txScore struct{ total, detected, resolved int }

// txEvaluate scores one item: is there a TimeExpr over the gold expression,
// and does its value match the gold at the gold granularity?
func txEvaluate(t *testing.T, st *Story, it devset.Item, surface string, sc *txScore) {
	t.Helper()
	sc.total++
	if it.Paragraph >= len(st.Paragraphs) {
		t.Errorf("%s: paragraph %d out of range", it.ID, it.Paragraph)
		return
	}
	p := st.Paragraphs[it.Paragraph]
	off := 0
	if it.Evidence != "" {
		if e := strings.Index(p.Text, it.Evidence); e >= 0 {
			off = e
		}
	}
	g := strings.Index(p.Text[off:], surface)
	if g < 0 {
		g = strings.Index(strings.ToLower(p.Text[off:]), strings.ToLower(surface))
	}
	if g < 0 {
		t.Logf("%s: gold %q not found in paragraph", it.ID, surface)
		return
	}
	gs, ge := off+g, off+g+len(surface)
	for _, te := range p.Times {
		if te.Start < ge && gs < te.End {
			sc.detected++
			if got := devset.Cut(te.Value, it.Granularity); got == it.Answers[0] {
				sc.resolved++
			} else {
				t.Logf("%s: WRONG %q -> %q (%s), want %s [dct %s] ev: %.120s", it.ID, te.Text, te.Value, te.Precision,
					it.Answers[0], st.PublishedISO(), it.Evidence)
			}
			return
		}
	}
	t.Logf("%s: MISSED %q want %s [dct %s] ev: %.120s", it.ID, surface, it.Answers[0], st.PublishedISO(), it.Evidence)
}

func TestFindTimesDev(t *testing.T) {
	items := devset.Load(t, "dev-questions.jsonl", "when")
	stories := newDevStories(t)
	var all, rel, abs txScore
	for _, it := range items {
		st := stories.get(t, it.Story)
		sc := &abs
		if it.Relative {
			sc = &rel
		}
		txEvaluate(t, st, it, it.TimexText, sc)
	}
	all = txScore{abs.total + rel.total, abs.detected + rel.detected, abs.resolved + rel.resolved}
	for _, r := range []struct {
		name string
		sc   txScore
	}{{"all", all}, {"relative", rel}, {"absolute", abs}} {
		t.Logf("dev %-8s n=%d detected %.1f%% resolved %.1f%%", r.name, r.sc.total,
			100*float64(r.sc.detected)/float64(r.sc.total), 100*float64(r.sc.resolved)/float64(r.sc.total))
	}
	if all.total < 200 {
		t.Fatalf("only %d when items read", all.total)
	}
	// Floors sit a little under the measured rates so that a regression fails.
	if d := float64(all.detected) / float64(all.total); d < 0.98 {
		t.Errorf("detection %.3f below floor", d)
	}
	if r := float64(all.resolved) / float64(all.total); r < 0.95 {
		t.Errorf("resolution %.3f below floor", r)
	}
}

func TestFindTimesSeedQuestions(t *testing.T) {
	items := devset.Load(t, "seed-questions.jsonl", "when")
	const name = "taliban-call-for-russia-ukraine-peace.txt"
	data, err := os.ReadFile(filepath.Join("seed", name))
	if err != nil {
		t.Skipf("seed story not available: %v", err)
	}
	st, err := Parse(name, data)
	if err != nil {
		t.Fatal(err)
	}
	var sc txScore
	for _, it := range items {
		if it.Story != name || len(it.Answers) < 2 {
			continue
		}
		txEvaluate(t, st, it, it.Answers[1], &sc)
	}
	t.Logf("seed n=%d detected %d resolved %d", sc.total, sc.detected, sc.resolved)
	if sc.total == 0 || sc.resolved != sc.total {
		t.Errorf("seed: resolved %d of %d", sc.resolved, sc.total)
	}
}
