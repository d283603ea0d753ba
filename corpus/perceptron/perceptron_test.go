package perceptron

import (
	"bytes"
	"testing"
)

// TestTrainWriteRead learns a toy rule (feature f votes for class f%12),
// writes the model and reads it back: the read model must decide as the
// averaged weights do, through inline, overflow and dense slots alike.
func TestTrainWriteRead(t *testing.T) {
	classes := make([]string, 12)
	for i := range classes {
		classes[i] = string(rune('a' + i))
	}
	tr := NewTrainer(classes)
	// Feature f votes for class f%12; feature 1000 is a bias every
	// example has, so it gathers weights for every class (a dense row).
	gold := func(f uint32) int { return int(f % 12) }
	for range 20 {
		for f := uint32(1); f < 200; f++ {
			tr.Learn([]uint32{f, 1000}, gold(f))
		}
	}
	var buf bytes.Buffer
	if _, _, err := tr.Write(&buf, map[string]uint8{"the": 3}, 0); err != nil {
		t.Fatal(err)
	}
	m, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if m.Dict["the"] != 3 || len(m.Classes) != 12 {
		t.Fatalf("dict %v classes %v", m.Dict, m.Classes)
	}
	right := 0
	for f := uint32(1); f < 200; f++ {
		feats := []uint32{f, 1000}
		if c, _ := m.Best(feats); c != tr.averagedBest(feats) {
			t.Errorf("feature %d: model says %d, averaged weights %d", f, c, tr.averagedBest(feats))
		} else if c == gold(f) {
			right++
		}
	}
	if right < 150 {
		t.Errorf("only %d of 199 right", right)
	}
}

// averagedBest is the class the averaged weights give feats, unquantised.
func (t *Trainer) averagedBest(feats []uint32) int {
	s := make([]float32, t.nc)
	for _, f := range feats {
		if k, ok := t.rows[f]; ok {
			for c := range s {
				s[c] += t.w[k+c] - t.u[k+c]/t.step
			}
		}
	}
	best := 0
	for c := range s {
		if s[c] > s[best] {
			best = c
		}
	}
	return best
}

func TestReadRejectsGarbage(t *testing.T) {
	if _, err := Read(bytes.NewReader([]byte("not a model"))); err == nil {
		t.Error("garbage read as a model")
	}
}

func TestArgmax(t *testing.T) {
	if b, m := Argmax([]int32{3, 7, 5}); b != 1 || m != 2 {
		t.Errorf("Argmax = %d, %d; want 1, 2", b, m)
	}
	if b, m := Argmax([]int32{4, 4}); b != 0 || m != 0 {
		t.Errorf("tie: Argmax = %d, %d; want 0, 0", b, m)
	}
}
