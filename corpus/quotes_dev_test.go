package corpus

import (
	"testing"

	"github.com/storybot/storybot/corpus/devset"
)

// devWhoFloor is the share of dev "who" questions that must be answered
// right. It sits a little under the measured accuracy so that regressions
// fail while harmless wobble does not.
const devWhoFloor = 0.915

// TestDevWhoAccuracy scores speaker attribution the way the project's
// scorer does: the statement whose quote best overlaps the gold content
// must name a gold speaker with token F1 of at least 0.5.
func TestDevWhoAccuracy(t *testing.T) {
	items := devset.Load(t, "dev-questions.jsonl", "who")
	stories := newDevStories(t)
	correct := 0
	for _, it := range items {
		st := stories.get(t, it.Story)
		got, quote := "", ""
		if it.Paragraph < len(st.Paragraphs) {
			if s, ok := bestStatement(st.Paragraphs[it.Paragraph].Statements, it.Quote); ok {
				got, quote = s.Speaker, s.Quote
			}
		}
		if devset.BestF1(got, it.Answers) >= 0.5 {
			correct++
			continue
		}
		t.Logf("MISS %s gold=%q got=%q\n\tgold quote: %.90s\n\tour quote:  %.90s", it.ID, it.Answers, got, it.Quote, quote)
	}
	acc := float64(correct) / float64(len(items))
	t.Logf("dev who accuracy: %d/%d = %.1f%%", correct, len(items), 100*acc)
	if acc < devWhoFloor {
		t.Errorf("dev who accuracy %.1f%% is under the floor %.1f%%", 100*acc, 100*devWhoFloor)
	}
}

// bestStatement picks the statement whose quote shares the most tokens
// with the gold content (by F1); ok is false when none shares any.
func bestStatement(stmts []Statement, gold string) (Statement, bool) {
	var best Statement
	bestF1 := 0.0
	for _, s := range stmts {
		if f := devset.TokenF1(devset.Tokens(s.Quote), devset.Tokens(gold)); f > bestF1 {
			best, bestF1 = s, f
		}
	}
	return best, bestF1 > 0
}
