package answer

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	"github.com/storybot/storybot/index/answer/learn"
)

// Model holds every learned weight of the answer code, and the confidence
// thresholds picked with them. It is fitted by `go run ./cmd/train-answer`
// (see Train) and embedded as model.json, so answers need no files at run
// time and anyone can rebuild the same weights from the same data.
type Model struct {
	// Rank scores a passage for a question (features: rankFeatures).
	Rank learn.Linear `json:"rank"`
	// Gate is the probability that the best passage is about what the
	// question asks (features: gateFeatures).
	Gate learn.Linear `json:"gate"`
	// Choose scores the options for a short answer within the best
	// passage, per kind: phrases for ask, statements for who, time
	// expressions for when (features: choiceFeatures[kind]).
	Choose map[Kind]learn.Linear `json:"choose"`
	// Confidence is the probability that the short answer is right, per
	// kind (features: confidenceFeatures); for ask, its expected F1.
	Confidence map[Kind]learn.Linear `json:"confidence"`
	// Thresholds decide what is shown; see Thresholds.
	Thresholds Thresholds `json:"thresholds"`
	// Features names each model's inputs, in order. A model whose names
	// differ from the code's was fitted to other features and is refused.
	Features map[string][]string `json:"features"`
	// Report holds the cross-validated figures of the fit that made it.
	Report map[string]float64 `json:"report,omitempty"`
}

// Thresholds decide what an answer shows. With Confidence at or above
// Answer[kind], the short answer is given; below it, only the passages, as
// the closest ones. When the best passage's Gate probability is below
// Passage, the stories are said not to answer the question at all.
type Thresholds struct {
	Answer  map[Kind]float64 `json:"answer"`
	Passage float64          `json:"passage"`
}

//go:embed model.json
var modelJSON []byte

// defaultModel is the embedded model, read once.
var defaultModel = sync.OnceValues(func() (*Model, error) { return ParseModel(modelJSON) })

// ParseModel reads a model and checks that it fits the code's features.
func ParseModel(data []byte) (*Model, error) {
	var m Model
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("answer model: %w", err)
	}
	for name, want := range featureNames() {
		if !slices.Equal(m.Features[name], want) {
			return nil, fmt.Errorf("answer model: %s was fitted to features %v, the code has %v; run go run ./cmd/train-answer",
				name, m.Features[name], want)
		}
	}
	return &m, nil
}

// featureNames are the inputs of each part of the model, as the code
// computes them.
func featureNames() map[string][]string {
	out := map[string][]string{"rank": rankFeatures, "gate": gateFeatures}
	for _, k := range []Kind{Ask, Who, When} {
		out["choose."+string(k)] = choiceFeatures[k]
		out["confidence."+string(k)] = confidenceFeatures[k]
	}
	return out
}
