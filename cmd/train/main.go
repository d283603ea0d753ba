// Command train rebuilds the language layer's model weights from the
// training data beside the repository:
//
//	go run ./cmd/train                  # ../shared/train -> corpus/text/models
//	go run ./cmd/train -data DIR -out DIR
//
// It reads the CoreNLP annotations of the PolNeAR training articles, holds
// back every tenth article (by sorted name) for measurement, trains the
// part-of-speech, entity and chunk taggers on the rest, writes their
// weights and prints their accuracy on the held-back articles. The same
// data always gives the same weights.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/storybot/storybot/corpus/text"
)

func main() {
	data := flag.String("data", filepath.Join("..", "shared", "train"), "the training data directory")
	out := flag.String("out", filepath.Join("corpus", "text", "models"), "where the tagger weights go")
	epochs := flag.Int("epochs", 6, "training passes over the data")
	flag.Parse()
	if err := run(*data, *out, *epochs); err != nil {
		fmt.Fprintln(os.Stderr, "train:", err)
		os.Exit(1)
	}
}

// prune drops weights under this share of a model's largest weight; it
// keeps the embedded models to a few MB at no measurable cost in accuracy.
var prune = map[text.Task]float64{"pos": 0.002, "ner": 0.002, "chunk": 0.002}

func run(data, out string, epochs int) error {
	arts, err := readPolNeAR(filepath.Join(data, "polnear"))
	if err != nil {
		return err
	}
	var train, held []article
	for i, a := range arts {
		if i%10 == 0 {
			held = append(held, a)
		} else {
			train = append(train, a)
		}
	}
	fmt.Printf("PolNeAR CoreNLP: %d articles for training, %d held back\n", len(train), len(held))
	files := map[text.Task][]byte{}
	for _, task := range []text.Task{"pos", "ner", "chunk"} {
		start := time.Now()
		tr := labeled(train, task)
		m := text.Train(task, tr, epochs, 1)
		var buf bytes.Buffer
		nf, nw, err := m.Write(&buf, prune[task])
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, string(task)+".bin.gz"), buf.Bytes(), 0o644); err != nil {
			return err
		}
		files[task] = buf.Bytes()
		acc, err := text.Accuracy(task, buf.Bytes(), labeled(held, task))
		if err != nil {
			return err
		}
		fmt.Printf("%-5s %6d sentences, %d features, %d weights, %.1f KB; held-back accuracy (gold inputs) %.2f%% [%s]\n",
			task, len(tr), nf, nw, float64(buf.Len())/1024, 100*acc, time.Since(start).Round(time.Second))
	}
	a, err := text.NewAnalyzer(files["pos"], files["ner"], files["chunk"])
	if err != nil {
		return err
	}
	evaluatePipeline(a, held)
	return nil
}
