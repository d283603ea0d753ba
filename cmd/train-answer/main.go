// Command train-answer fits the answer model (index/answer/model.json) to
// the evaluation questions in ../shared/data, by cross-validation over
// articles, and prints the held-out figures:
//
//	go run ./cmd/train-answer            # writes index/answer/model.json
//	go run ./cmd/train-answer -out /tmp/model.json -folds 5
//
// The questions are those of dev-questions.jsonl and
// dev-questions-short.jsonl. Besides each question as given, it asks each one of a copy of its story
// with the answer taken out (the paragraph that holds it, and every other
// paragraph with the answer, the quote or the time expression in it), so
// that the confidence learns what a story that does not say looks like.
// The same data always gives the same model.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/corpus/devset"
	"github.com/storybot/storybot/index/answer"
	"github.com/storybot/storybot/index/answer/unanswerable"
)

func main() {
	data := flag.String("data", "", "the evaluation data directory (default: ../shared/data above the working directory)")
	out := flag.String("out", filepath.Join("index", "answer", "model.json"), "where to write the model")
	folds := flag.Int("folds", 10, "cross-validation folds")
	quiet := flag.Bool("q", false, "print only the report")
	dump := flag.String("dump", "", "write each question's held-out probabilities to this JSON-lines file")
	flag.Parse()
	if err := run(*data, *out, *dump, *folds, *quiet); err != nil {
		fmt.Fprintln(os.Stderr, "train-answer:", err)
		os.Exit(1)
	}
}

func run(data, out, dump string, folds int, quiet bool) error {
	if data == "" {
		d, ok := devset.Dir()
		if !ok {
			return fmt.Errorf("no ../shared/data here; give -data")
		}
		data = d
	}
	set, err := trainingSet(data)
	if err != nil {
		return err
	}
	logf := func(format string, args ...any) {
		if !quiet {
			fmt.Fprintf(os.Stderr, format+"\n", args...)
		}
	}
	o := answer.TrainOptions{Folds: folds, Log: logf}
	if dump != "" {
		f, err := os.Create(dump)
		if err != nil {
			return err
		}
		defer f.Close()
		o.Dump = f
	}
	m, err := answer.Train(context.Background(), set, o)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, append(b, '\n'), 0o644); err != nil {
		return err
	}
	keys := make([]string, 0, len(m.Report))
	for k := range m.Report {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Printf("cross-validated over articles, %d folds:\n", folds)
	for _, k := range keys {
		fmt.Printf("  %-24s %5.1f\n", k, m.Report[k])
	}
	fmt.Printf("thresholds: passage %.3f, answer ask %.3f, who %.3f, when %.3f\n", m.Thresholds.Passage,
		m.Thresholds.Answer[answer.Ask], m.Thresholds.Answer[answer.Who], m.Thresholds.Answer[answer.When])
	fmt.Println("wrote", out)
	return nil
}

// trainingSet reads the evaluation articles and questions, and adds for
// each question a copy of its story without the answer.
func trainingSet(data string) (answer.TrainSet, error) {
	var set answer.TrainSet
	dir := filepath.Join(data, "articles")
	stories, _, err := corpus.LoadDir(dir)
	if err != nil {
		return set, err
	}
	set.Stories = append(stories, corpus.Builtin()...)
	var qs []devset.Item
	// The short who-questions ask for the same quotes by a five-word
	// fragment, as people type them: the confidence must know both.
	for _, name := range []string{"dev-questions.jsonl", "dev-questions-short.jsonl", "seed-questions.jsonl"} {
		more, err := readItems(filepath.Join(data, name))
		if err != nil {
			return set, err
		}
		qs = append(qs, more...)
	}
	for _, it := range qs {
		kind, err := answer.ParseKind(it.Kind)
		if err != nil {
			return set, fmt.Errorf("%s: %w", it.ID, err)
		}
		set.Items = append(set.Items, answer.TrainItem{ID: it.ID, Kind: kind, Question: it.Question, Story: it.Story,
			Article: it.Story, Paragraph: it.Paragraph, Grade: grader(it), Group: group(it)})
	}
	for _, it := range qs {
		raw, err := os.ReadFile(filepath.Join(dir, it.Story))
		if errors.Is(err, fs.ErrNotExist) {
			// The seed questions are about the built-in story, in ../seed.
			raw, err = os.ReadFile(filepath.Join(data, "..", "seed", it.Story))
		}
		if err != nil {
			return set, err
		}
		name, text, ok := unanswerable.Story(it, string(raw))
		if !ok {
			continue
		}
		st, err := corpus.Parse(name, []byte(text))
		if err != nil {
			return set, fmt.Errorf("%s: %w", name, err)
		}
		set.Withheld = append(set.Withheld, st)
		kind, _ := answer.ParseKind(it.Kind)
		set.Items = append(set.Items, answer.TrainItem{ID: it.ID + "-ua", Kind: kind, Question: it.Question, Story: name,
			Article: it.Story, Paragraph: -1, Grade: func(answer.Answer) float64 { return 0 }, Group: group(it)})
	}
	return set, nil
}

// group reports the short who-questions apart from the others.
func group(it devset.Item) string {
	if strings.HasSuffix(it.ID, "-short") {
		return "who-short"
	}
	return ""
}

// grader scores an answer the way ../shared/eval/score.py does.
func grader(it devset.Item) func(answer.Answer) float64 {
	return func(a answer.Answer) float64 {
		switch it.Kind {
		case "who":
			if devset.BestF1(a.Answer, it.Answers) >= 0.5 {
				return 1
			}
			return 0
		case "when":
			if devset.DateCorrect(it, a.Date) {
				return 1
			}
			return 0
		}
		return devset.BestF1(a.Answer, it.Answers)
	}
}

func readItems(path string) ([]devset.Item, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var items []devset.Item
	dec := json.NewDecoder(bytes.NewReader(b))
	for dec.More() {
		var it devset.Item
		if err := dec.Decode(&it); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		items = append(items, it)
	}
	return items, nil
}
