package text

import (
	"embed"
	"fmt"
	"sync"

	"github.com/storybot/storybot/corpus/perceptron"
)

// The weights, written by `go run ./cmd/train` (see cmd/train).
//
//go:embed models/*.bin.gz
var modelFiles embed.FS

// Analyzer tags text with one set of models. Package-level Analyze uses
// the embedded ones; cmd/train builds others to measure them.
type Analyzer struct {
	pos *perceptron.Model
	// The entity and chunk models are read on first use when load is
	// set: loading a story needs only parts of speech.
	once       sync.Once
	load       func() (ner, chunk *perceptron.Model, err error)
	ner, chunk *perceptron.Model
}

// NewAnalyzer reads the three model files that cmd/train writes.
func NewAnalyzer(pos, ner, chunk []byte) (*Analyzer, error) {
	a := &Analyzer{}
	var err error
	if a.pos, err = readModelNamed("pos", pos); err != nil {
		return nil, err
	}
	if a.ner, err = readModelNamed("ner", ner); err != nil {
		return nil, err
	}
	if a.chunk, err = readModelNamed("chunk", chunk); err != nil {
		return nil, err
	}
	return a, nil
}

func readModelNamed(name string, data []byte) (*perceptron.Model, error) {
	m, err := perceptron.ReadBytes(name, data)
	if err != nil {
		return nil, fmt.Errorf("text: %w", err)
	}
	return m, nil
}

// entityModels makes sure the entity and chunk models are loaded.
func (a *Analyzer) entityModels() {
	a.once.Do(func() {
		if a.load == nil {
			return
		}
		var err error
		if a.ner, a.chunk, err = a.load(); err != nil {
			// The models are compiled in; a broken one is a build error.
			panic(err)
		}
	})
}

var (
	embedded     *Analyzer
	embeddedOnce sync.Once
)

func embeddedModel(name string) (*perceptron.Model, error) {
	b, err := modelFiles.ReadFile("models/" + name + ".bin.gz")
	if err != nil {
		return nil, err
	}
	return readModelNamed(name, b)
}

func defaultAnalyzer() *Analyzer {
	embeddedOnce.Do(func() {
		pos, err := embeddedModel("pos")
		if err != nil {
			// The models are compiled in; a broken one is a build error.
			panic(err)
		}
		embedded = &Analyzer{pos: pos, load: func() (ner, chunk *perceptron.Model, err error) {
			if ner, err = embeddedModel("ner"); err != nil {
				return nil, nil, err
			}
			chunk, err = embeddedModel("chunk")
			return ner, chunk, err
		}}
	})
	return embedded
}

// tag labels every word of the sentence in ctx with m, left to right.
func tag(m *perceptron.Model, ctx *tagContext, fx featureFunc) {
	var scores perceptron.Scores
	nc := len(m.Classes)
	for i := 0; i < ctx.n; i++ {
		if m.Dict != nil {
			if c, ok := m.Dict[ctx.toks[i].Text]; ok {
				ctx.labels[i] = c
				continue
			}
		}
		ctx.feats = ctx.feats[:0]
		fx(ctx, i)
		clear(scores[:nc])
		for _, f := range ctx.feats {
			m.Add(f, &scores)
		}
		best := 0
		for c := 1; c < nc; c++ {
			if scores[c] > scores[best] {
				best = c
			}
		}
		ctx.labels[i] = uint8(best)
	}
}
