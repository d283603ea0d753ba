package perceptron

import "io"

// Trainer fits an averaged perceptron, one decision at a time: the caller
// computes a decision's features, asks Learn for the current guess, and
// Learn moves the weights towards the gold class when the guess is wrong.
// Averaging keeps, for each weight, the sum of its updates times the step
// at which they came, so that the average over all steps is computed once
// at the end (Daumé's trick).
type Trainer struct {
	classes []string
	nc      int
	rows    map[uint32]int
	w, u    []float32 // weights, and their updates times the step they came at
	step    float32
	scores  []float32
}

// NewTrainer starts a perceptron over the given classes.
func NewTrainer(classes []string) *Trainer {
	return &Trainer{classes: classes, nc: len(classes), rows: map[uint32]int{}, step: 1, scores: make([]float32, len(classes))}
}

// Predict returns the class the current weights give feats.
func (t *Trainer) Predict(feats []uint32) int {
	clear(t.scores)
	for _, f := range feats {
		if k, ok := t.rows[f]; ok {
			for c, v := range t.w[k : k+t.nc] {
				t.scores[c] += v
			}
		}
	}
	best := 0
	for c := 1; c < t.nc; c++ {
		if t.scores[c] > t.scores[best] {
			best = c
		}
	}
	return best
}

// Learn predicts the class of feats, updates the weights if it is not
// gold, counts the step and returns the prediction.
func (t *Trainer) Learn(feats []uint32, gold int) int {
	best := t.Predict(feats)
	if best != gold {
		for _, f := range feats {
			k := t.row(f)
			t.w[k+gold]++
			t.u[k+gold] += t.step
			t.w[k+best]--
			t.u[k+best] -= t.step
		}
	}
	t.step++
	return best
}

func (t *Trainer) row(f uint32) int {
	k, ok := t.rows[f]
	if !ok {
		k = len(t.w)
		t.rows[f] = k
		t.w = append(t.w, make([]float32, t.nc)...)
		t.u = append(t.u, make([]float32, t.nc)...)
	}
	return k
}

// Write stores the averaged weights as Read reads them, without weights
// smaller than prune times the largest, and with the tag dictionary dict
// (nil for none). It reports the features and weights kept.
func (t *Trainer) Write(out io.Writer, dict map[string]uint8, prune float64) (features, weights int, err error) {
	avg := make(map[uint32][]float32, len(t.rows))
	for f, k := range t.rows {
		a := make([]float32, t.nc)
		for c := range a {
			a[c] = t.w[k+c] - t.u[k+c]/t.step
		}
		avg[f] = a
	}
	return write(out, t.classes, avg, dict, prune)
}
