// Package devset reads the evaluation data that sits beside the repository
// in ../shared/data, and scores answers the way ../shared/eval/score.py
// does. Only tests use it; they skip when the data is not there, since the
// articles belong to their publishers and are never part of the repository.
package devset

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// Item is one evaluation question, with the extras the tests read.
type Item struct {
	ID          string   `json:"id"`
	Kind        string   `json:"kind"`
	Question    string   `json:"question"`
	Story       string   `json:"story"`
	Answers     []string `json:"answers"`
	Paragraph   int      `json:"paragraph"`
	Quote       string   `json:"quote"`
	TimexText   string   `json:"timex_text"`
	Granularity string   `json:"granularity"`
	Evidence    string   `json:"evidence"`
	Relative    bool     `json:"relative_to_dct"`
}

// Dir finds shared/data by walking up from the working directory, so a
// test in any package finds it.
func Dir() (string, bool) {
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		p := filepath.Join(dir, "..", "shared", "data")
		if st, err := os.Stat(filepath.Join(p, "articles")); err == nil && st.IsDir() {
			return p, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// Articles is the directory of evaluation articles, or skips the test.
func Articles(t testing.TB) string {
	t.Helper()
	dir, ok := Dir()
	if !ok {
		t.Skip("../shared/data is not here")
	}
	return filepath.Join(dir, "articles")
}

// Load reads a question file of shared/data (such as "dev-questions.jsonl"),
// keeping the items of the given kind ("" for all), or skips the test when
// the data is not there.
func Load(t testing.TB, name, kind string) []Item {
	t.Helper()
	dir, ok := Dir()
	if !ok {
		t.Skip("../shared/data is not here")
	}
	items, err := read(filepath.Join(dir, name), kind)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s is not here", name)
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(items) == 0 {
		t.Fatalf("%s holds no %q items", name, kind)
	}
	return items
}

func read(path, kind string) ([]Item, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var items []Item
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<24)
	for line := 1; sc.Scan(); line++ {
		var it Item
		if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		if kind == "" || it.Kind == kind {
			items = append(items, it)
		}
	}
	return items, sc.Err()
}

// titles are the words score.py drops before comparing answers.
var titles = map[string]bool{"a": true, "an": true, "the": true, "mr": true, "mrs": true, "ms": true,
	"dr": true, "sen": true, "senator": true, "rep": true, "gov": true, "president": true, "prof": true}

// Tokens ports score.py's normalisation: lower case, ASCII punctuation and
// curly quotes and dashes to spaces, then articles and titles dropped.
func Tokens(s string) []string {
	s = strings.Map(func(r rune) rune {
		if r < 128 && (unicode.IsPunct(r) || unicode.IsSymbol(r)) || strings.ContainsRune("“”‘’—–", r) {
			return ' '
		}
		return unicode.ToLower(r)
	}, s)
	var out []string
	for _, w := range strings.Fields(s) {
		if !titles[w] {
			out = append(out, w)
		}
	}
	return out
}

// F1 is SQuAD's token F1 between a prediction and a gold answer.
func F1(pred, gold string) float64 {
	p, g := Tokens(pred), Tokens(gold)
	if len(p) == 0 || len(g) == 0 {
		if len(p) == len(g) {
			return 1
		}
		return 0
	}
	return TokenF1(p, g)
}

// TokenF1 is the bag-of-tokens F1 of two token lists.
func TokenF1(p, g []string) float64 {
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

// BestF1 is the best F1 of pred against any of the gold answers.
func BestF1(pred string, golds []string) float64 {
	best := 0.0
	for _, g := range golds {
		best = max(best, F1(pred, g))
	}
	return best
}

// granularity is how many characters of an ISO value each level compares.
var granularity = map[string]int{"year": 4, "month": 7, "day": 10}

// Cut truncates an ISO value to a granularity, as the scorer compares it.
func Cut(v, gran string) string {
	n, ok := granularity[gran]
	if !ok || len(v) < n {
		return v
	}
	return v[:n]
}

// DateCorrect reports whether a predicted date matches a when-item's gold
// value at the gold granularity.
func DateCorrect(it Item, pred string) bool {
	gold := it.Answers[0]
	n, ok := granularity[it.Granularity]
	if !ok {
		n = len(gold)
	}
	return len(pred) >= n && len(gold) >= n && pred[:n] == gold[:n]
}
