package corpus

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// devDir holds the shared evaluation data; it is not part of the repository.
const devDir = "../../shared/data"

// devWhoFloor is the share of dev "who" questions that must be answered
// right. It sits a little under the measured accuracy so that regressions
// fail while harmless wobble does not.
const devWhoFloor = 0.90

type devWhoItem struct {
	ID        string   `json:"id"`
	Kind      string   `json:"kind"`
	Story     string   `json:"story"`
	Paragraph int      `json:"paragraph"`
	Quote     string   `json:"quote"`
	Answers   []string `json:"answers"`
}

// TestDevWhoAccuracy scores speaker attribution the way the project's
// scorer does: the statement whose quote best overlaps the gold content
// must name a gold speaker with token F1 of at least 0.5.
func TestDevWhoAccuracy(t *testing.T) {
	items := loadDevWho(t, filepath.Join(devDir, "dev-questions.jsonl"))
	stories := map[string]*Story{}
	correct := 0
	for _, it := range items {
		st, ok := stories[it.Story]
		if !ok {
			data, err := os.ReadFile(filepath.Join(devDir, "articles", it.Story))
			if err != nil {
				t.Fatal(err)
			}
			if st, err = Parse(it.Story, data); err != nil {
				t.Fatalf("%s: %v", it.Story, err)
			}
			stories[it.Story] = st
		}
		got, quote := "", ""
		if it.Paragraph < len(st.Paragraphs) {
			if s, ok := bestStatement(st.Paragraphs[it.Paragraph].Statements, it.Quote); ok {
				got, quote = s.Speaker, s.Quote
			}
		}
		best := 0.0
		for _, g := range it.Answers {
			best = max(best, speakerF1(got, g))
		}
		if best >= 0.5 {
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

func loadDevWho(t *testing.T, path string) []devWhoItem {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		if os.IsNotExist(err) {
			t.Skip("dev data not present:", path)
		}
		t.Fatal(err)
	}
	defer f.Close()
	var items []devWhoItem
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var it devWhoItem
		if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
			t.Fatal(err)
		}
		if it.Kind == "who" {
			items = append(items, it)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(items) == 0 {
		t.Fatal("no who items in", path)
	}
	return items
}

// bestStatement picks the statement whose quote shares the most tokens
// with the gold content (by F1); ok is false when none shares any.
func bestStatement(stmts []Statement, gold string) (Statement, bool) {
	var best Statement
	bestF1 := 0.0
	for _, s := range stmts {
		if f := tokenF1(devTokens(s.Quote), devTokens(gold)); f > bestF1 {
			best, bestF1 = s, f
		}
	}
	return best, bestF1 > 0
}

// scorerTitles are the words score.py drops before comparing speakers.
var scorerTitles = wordSet("a an the mr mrs ms dr sen senator rep gov president prof")

// devTokens ports score.py's normalisation: lowercase, punctuation (and
// curly quotes and dashes) to spaces, then drop articles and titles.
func devTokens(s string) []string {
	s = strings.Map(func(r rune) rune {
		if r < 128 && unicode.IsPunct(r) || r < 128 && unicode.IsSymbol(r) || strings.ContainsRune("“”‘’—–", r) {
			return ' '
		}
		return unicode.ToLower(r)
	}, s)
	var out []string
	for _, w := range strings.Fields(s) {
		if !scorerTitles[w] {
			out = append(out, w)
		}
	}
	return out
}

func speakerF1(pred, gold string) float64 {
	p, g := devTokens(pred), devTokens(gold)
	if len(p) == 0 || len(g) == 0 {
		if len(p) == len(g) {
			return 1
		}
		return 0
	}
	return tokenF1(p, g)
}

// tokenF1 is SQuAD's bag-of-tokens F1.
func tokenF1(p, g []string) float64 {
	if len(p) == 0 || len(g) == 0 {
		return 0
	}
	counts := map[string]int{}
	for _, w := range g {
		counts[w]++
	}
	same := 0
	for _, w := range p {
		if counts[w] > 0 {
			counts[w]--
			same++
		}
	}
	if same == 0 {
		return 0
	}
	prec, rec := float64(same)/float64(len(p)), float64(same)/float64(len(g))
	return 2 * prec * rec / (prec + rec)
}
