package text

import (
	"bytes"
	"io"
	"math/rand/v2"
	"slices"

	"github.com/storybot/storybot/corpus/perceptron"
)

// Training lives beside the taggers because it must compute exactly the
// features they read. cmd/train drives it; nothing else calls it.

// Labeled is one training sentence: its tokens (with POS set for the
// entity and chunk taggers, which read it) and one gold label per token.
type Labeled struct {
	Tokens []Token
	Labels []string
}

// Task names a tagger: "pos", "ner" or "chunk".
type Task string

func (t Task) features() featureFunc {
	switch t {
	case "pos":
		return posFeatures
	case "ner":
		return nerFeatures
	}
	return chunkFeatures
}

// Trained is a tagger after training.
type Trained struct {
	trainer *perceptron.Trainer
	dict    map[string]uint8
}

// A word seen at least dictMinCount times in training, with one label at
// least dictMinShare[task] of the time, is labelled from the tag
// dictionary rather than scored (Honnibal's tag dictionary): punctuation
// and the closed classes, about half of running text, cost a map look-up
// instead of some twenty feature look-ups. Chunks depend more on context,
// so only words that nearly never vary go in theirs; the entity tagger has
// none, since even a word that is nearly always outside a name ("of") is
// sometimes inside one, and held-back F1 fell with every threshold tried.
const dictMinCount = 20

var dictMinShare = map[Task]float64{"pos": 0.97, "chunk": 0.995}

// tagDictionary finds the words that always take the same label.
func tagDictionary(sents []Labeled, classIdx map[string]uint8, minShare float64) map[string]uint8 {
	counts := map[string]map[string]int{}
	for _, s := range sents {
		for i, t := range s.Tokens {
			m := counts[t.Text]
			if m == nil {
				m = map[string]int{}
				counts[t.Text] = m
			}
			m[s.Labels[i]]++
		}
	}
	dict := map[string]uint8{}
	for w, m := range counts {
		total, best, bestN := 0, "", 0
		for l, n := range m {
			total += n
			if n > bestN || n == bestN && l < best {
				best, bestN = l, n
			}
		}
		if total >= dictMinCount && float64(bestN) >= minShare*float64(total) {
			dict[w] = classIdx[best]
		}
	}
	return dict
}

// Train fits a tagger for task by the averaged perceptron: greedy left to
// right, each word's features including the labels it has just given the
// words before. The sentences are shuffled every epoch by a generator
// seeded with seed, so the same data always gives the same weights.
func Train(task Task, sents []Labeled, epochs int, seed uint64) *Trained {
	classIdx := map[string]uint8{}
	var classes []string
	for _, s := range sents {
		for _, l := range s.Labels {
			if _, ok := classIdx[l]; !ok {
				classIdx[l] = 0
				classes = append(classes, l)
			}
		}
	}
	slices.Sort(classes)
	for i, c := range classes {
		classIdx[c] = uint8(i)
	}
	var dict map[string]uint8
	if share, ok := dictMinShare[task]; ok {
		dict = tagDictionary(sents, classIdx, share)
	}
	tr := perceptron.NewTrainer(classes)
	fx := task.features()
	order := make([]int, len(sents))
	for i := range order {
		order[i] = i
	}
	r := rand.New(rand.NewPCG(seed, 1))
	var ctx tagContext
	for range epochs {
		r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, si := range order {
			s := sents[si]
			ctx.reset(s.Tokens)
			for i := range s.Tokens {
				if c, ok := dict[s.Tokens[i].Text]; ok {
					ctx.labels[i] = c
					continue
				}
				ctx.feats = ctx.feats[:0]
				fx(&ctx, i)
				ctx.labels[i] = uint8(tr.Learn(ctx.feats, int(classIdx[s.Labels[i]])))
			}
		}
	}
	return &Trained{trainer: tr, dict: dict}
}

// Write stores the model as the tagger reads it, without weights smaller
// than prune times the largest. It reports the features and weights kept.
func (t *Trained) Write(out io.Writer, prune float64) (features, weights int, err error) {
	return t.trainer.Write(out, t.dict, prune)
}

// Accuracy tags sents with a model file written by Write and returns the
// share of tokens labelled as gold.
func Accuracy(task Task, modelFile []byte, sents []Labeled) (float64, error) {
	m, err := perceptron.Read(bytes.NewReader(modelFile))
	if err != nil {
		return 0, err
	}
	var ctx tagContext
	right, all := 0, 0
	for _, s := range sents {
		ctx.reset(s.Tokens)
		tag(m, &ctx, task.features())
		for i, l := range ctx.labels {
			if m.Classes[l] == s.Labels[i] {
				right++
			}
			all++
		}
	}
	return float64(right) / float64(max(all, 1)), nil
}
