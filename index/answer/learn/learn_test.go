package learn

import (
	"math"
	"testing"
)

// lcg is a tiny deterministic generator, so the tests need no seed.
type lcg uint64

func (r *lcg) float() float64 {
	*r = *r*6364136223846793005 + 1442695040888963407
	return float64(*r>>11) / (1 << 53)
}

func TestLogisticRecoversWeights(t *testing.T) {
	rng := lcg(1)
	want := []float64{2, -1, 0}
	var rows [][]float64
	var y []float64
	for i := 0; i < 4000; i++ {
		x := []float64{rng.float()*4 - 2, rng.float()*4 - 2, rng.float()*4 - 2}
		p := Sigmoid(0.5 + want[0]*x[0] + want[1]*x[1] + want[2]*x[2])
		v := 0.0
		if rng.float() < p {
			v = 1
		}
		rows, y = append(rows, x), append(y, v)
	}
	m := Logistic(rows, y, nil, Options{L2: 0.01})
	for i, w := range want {
		if math.Abs(m.W[i]-w) > 0.25 {
			t.Errorf("w[%d] = %.2f, want about %v", i, m.W[i], w)
		}
	}
	if math.Abs(m.Bias-0.5) > 0.25 {
		t.Errorf("bias %.2f, want about 0.5", m.Bias)
	}
	again := Logistic(rows, y, nil, Options{L2: 0.01})
	for i := range m.W {
		if m.W[i] != again.W[i] {
			t.Fatal("two fits of the same data differ")
		}
	}
}

func TestLogisticSeparableStaysFinite(t *testing.T) {
	rows := [][]float64{{0}, {1}, {2}, {3}}
	y := []float64{0, 0, 1, 1}
	m := Logistic(rows, y, nil, Options{L2: 0.1})
	if math.IsNaN(m.W[0]) || math.IsInf(m.W[0], 0) || m.W[0] <= 0 {
		t.Fatalf("weight %v", m.W[0])
	}
	if m.Prob([]float64{3}) < 0.8 || m.Prob([]float64{0}) > 0.2 {
		t.Errorf("probabilities %.2f and %.2f", m.Prob([]float64{3}), m.Prob([]float64{0}))
	}
}

func TestSoftmaxRanksTheTarget(t *testing.T) {
	rng := lcg(7)
	var lists []List
	for k := 0; k < 300; k++ {
		var l List
		best, bestScore := 0, math.Inf(-1)
		for r := 0; r < 8; r++ {
			x := []float64{rng.float(), rng.float(), rng.float()}
			if s := 3*x[0] - 2*x[1]; s > bestScore {
				best, bestScore = r, s
			}
			l.Rows = append(l.Rows, x)
		}
		l.Target = make([]float64, 8)
		l.Target[best] = 1
		lists = append(lists, l)
	}
	m := Softmax(lists, Options{L2: 0.1})
	if m.W[0] <= 0 || m.W[1] >= 0 || math.Abs(m.W[2]) > math.Abs(m.W[1])/3 {
		t.Errorf("weights %v: want positive, negative, about zero", m.W)
	}
	right := 0
	for _, l := range lists {
		p := SoftmaxProbs(m, l.Rows)
		arg := 0
		for i := range p {
			if p[i] > p[arg] {
				arg = i
			}
		}
		if l.Target[arg] == 1 {
			right++
		}
	}
	if right < 270 {
		t.Errorf("top-ranked is the target in %d of 300 lists", right)
	}
}
