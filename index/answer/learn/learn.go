// Package learn fits the linear models that rank passages, score answer
// phrases and give answers their confidence. It is small and exact on
// purpose: the data sets are a few thousand rows of a few dozen features,
// so Newton's method with a ridge penalty converges in a handful of steps,
// and the same data always gives the same weights.
package learn

import (
	"math"
)

// Linear is a fitted linear model: Score(x) = Bias + Σ W[i]·x[i].
type Linear struct {
	W    []float64 `json:"w"`
	Bias float64   `json:"bias"`
}

// Score is the model's linear score of x.
func (m Linear) Score(x []float64) float64 {
	s := m.Bias
	for i, w := range m.W {
		if i < len(x) {
			s += w * x[i]
		}
	}
	return s
}

// Prob is the logistic of Score, for a binary model.
func (m Linear) Prob(x []float64) float64 { return Sigmoid(m.Score(x)) }

// Sigmoid is the logistic function.
func Sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// Options controls a fit.
type Options struct {
	// L2 is the ridge penalty on the standardised weights (not the bias).
	L2 float64
	// Iterations bounds Newton's method; it stops earlier once the step is tiny.
	Iterations int
}

func (o Options) withDefaults() Options {
	if o.Iterations <= 0 {
		o.Iterations = 30
	}
	return o
}

// scaler standardises features, so that one ridge penalty suits all of
// them and Newton's method is well conditioned.
type scaler struct{ mean, sd []float64 }

func newScaler(rows [][]float64, weights []float64, d int) scaler {
	s := scaler{mean: make([]float64, d), sd: make([]float64, d)}
	var tw float64
	for r, x := range rows {
		w := weightOf(weights, r)
		tw += w
		for i := 0; i < d; i++ {
			s.mean[i] += w * x[i]
		}
	}
	if tw == 0 {
		tw = 1
	}
	for i := range s.mean {
		s.mean[i] /= tw
	}
	for r, x := range rows {
		w := weightOf(weights, r)
		for i := 0; i < d; i++ {
			v := x[i] - s.mean[i]
			s.sd[i] += w * v * v
		}
	}
	for i := range s.sd {
		s.sd[i] = math.Sqrt(s.sd[i] / tw)
		if s.sd[i] < 1e-9 {
			s.sd[i] = 0 // a constant feature: its weight stays 0
		}
	}
	return s
}

func weightOf(w []float64, i int) float64 {
	if w == nil {
		return 1
	}
	return w[i]
}

func (s scaler) apply(x, out []float64) {
	for i := range out {
		if s.sd[i] == 0 {
			out[i] = 0
		} else {
			out[i] = (x[i] - s.mean[i]) / s.sd[i]
		}
	}
}

// unscale turns weights on standardised features back into weights on the
// raw ones.
func (s scaler) unscale(w []float64, bias float64) Linear {
	m := Linear{W: make([]float64, len(w)), Bias: bias}
	for i, v := range w {
		if s.sd[i] == 0 {
			continue
		}
		m.W[i] = v / s.sd[i]
		m.Bias -= v * s.mean[i] / s.sd[i]
	}
	return m
}

// Logistic fits a binary logistic regression of y (0 or 1, or a
// probability) on rows, each row weighted by weights (nil for all 1).
func Logistic(rows [][]float64, y, weights []float64, o Options) Linear {
	o = o.withDefaults()
	if len(rows) == 0 {
		return Linear{}
	}
	d := len(rows[0])
	sc := newScaler(rows, weights, d)
	// Column d is the bias.
	n := d + 1
	z := make([][]float64, len(rows))
	for r, x := range rows {
		z[r] = make([]float64, n)
		sc.apply(x, z[r][:d])
		z[r][d] = 1
	}
	eval := func(w, g []float64, h *matrix) float64 {
		var loss float64
		for r, x := range z {
			s := dot(w, x)
			p := Sigmoid(s)
			c := weightOf(weights, r)
			loss += c * (softplus(s) - y[r]*s)
			if g == nil {
				continue
			}
			e := c * (p - y[r])
			v := c * p * (1 - p)
			for i := 0; i < n; i++ {
				g[i] += e * x[i]
				if x[i] == 0 {
					continue
				}
				vi := v * x[i]
				row := h.a[i]
				for j := 0; j <= i; j++ {
					row[j] += vi * x[j]
				}
			}
		}
		for i := 0; i < d; i++ {
			loss += o.L2 / 2 * w[i] * w[i]
			if g != nil {
				g[i] += o.L2 * w[i]
				h.a[i][i] += o.L2
			}
		}
		if h != nil {
			h.a[d][d] += 1e-9
		}
		return loss
	}
	w := minimize(n, o.Iterations, eval)
	return sc.unscale(w[:d], w[d])
}

// softplus is log(1+e^s), computed without overflow.
func softplus(s float64) float64 {
	if s > 0 {
		return s + math.Log1p(math.Exp(-s))
	}
	return math.Log1p(math.Exp(s))
}

// List is one ranking problem: candidate rows and a target distribution
// over them (the share of credit each candidate deserves; it sums to 1).
type List struct {
	Rows   [][]float64
	Target []float64
	// Weight scales this list's part of the loss; 0 means 1.
	Weight float64
}

// Softmax fits a linear scorer whose softmax over each list matches the
// list's target: the conditional log-likelihood of listwise ranking. The
// bias is meaningless within a list and stays 0.
func Softmax(lists []List, o Options) Linear {
	o = o.withDefaults()
	var all [][]float64
	for _, l := range lists {
		all = append(all, l.Rows...)
	}
	if len(all) == 0 {
		return Linear{}
	}
	d := len(all[0])
	sc := newScaler(all, nil, d)
	zs := make([][][]float64, len(lists))
	for k, l := range lists {
		zs[k] = make([][]float64, len(l.Rows))
		for r, x := range l.Rows {
			zs[k][r] = make([]float64, d)
			sc.apply(x, zs[k][r])
		}
	}
	mean := make([]float64, d)
	var p, s []float64
	eval := func(w, g []float64, h *matrix) float64 {
		var loss float64
		for k, l := range lists {
			z := zs[k]
			if len(z) == 0 {
				continue
			}
			c := l.Weight
			if c == 0 {
				c = 1
			}
			s = s[:0]
			for _, x := range z {
				s = append(s, dot(w, x))
			}
			lse := logSumExp(s)
			p = p[:0]
			for r := range z {
				p = append(p, math.Exp(s[r]-lse))
				if l.Target[r] > 0 {
					loss -= c * l.Target[r] * (s[r] - lse)
				}
			}
			if g == nil {
				continue
			}
			clear(mean)
			for r, x := range z {
				e := c * (p[r] - l.Target[r])
				for i := 0; i < d; i++ {
					g[i] += e * x[i]
					mean[i] += p[r] * x[i]
				}
			}
			for r, x := range z {
				v := c * p[r]
				if v < 1e-12 {
					continue
				}
				for i := 0; i < d; i++ {
					vi := v * x[i]
					if vi == 0 {
						continue
					}
					row := h.a[i]
					for j := 0; j <= i; j++ {
						row[j] += vi * x[j]
					}
				}
			}
			for i := 0; i < d; i++ {
				mi := c * mean[i]
				row := h.a[i]
				for j := 0; j <= i; j++ {
					row[j] -= mi * mean[j]
				}
			}
		}
		for i := 0; i < d; i++ {
			loss += o.L2 / 2 * w[i] * w[i]
			if g != nil {
				g[i] += o.L2 * w[i]
				h.a[i][i] += o.L2 + 1e-9
			}
		}
		return loss
	}
	m := sc.unscale(minimize(d, o.Iterations, eval), 0)
	m.Bias = 0
	return m
}

func logSumExp(s []float64) float64 {
	best := math.Inf(-1)
	for _, v := range s {
		best = max(best, v)
	}
	var sum float64
	for _, v := range s {
		sum += math.Exp(v - best)
	}
	return best + math.Log(sum)
}

// minimize runs damped Newton's method on a convex loss. eval returns the
// loss at w and, when g is not nil, adds its gradient to g and its Hessian
// (lower triangle) to h.
func minimize(n, iterations int, eval func(w, g []float64, h *matrix) float64) []float64 {
	w := make([]float64, n)
	g := make([]float64, n)
	h := newMatrix(n)
	trial := make([]float64, n)
	for it := 0; it < iterations; it++ {
		clear(g)
		h.zero()
		loss := eval(w, g, h)
		step := solve(h, g)
		// Halve the step until the loss goes down: a full Newton step can
		// overshoot far from the optimum.
		improved := false
		for t, k := 1.0, 0; k < 30; t, k = t/2, k+1 {
			for i := range w {
				trial[i] = w[i] - t*step[i]
			}
			if eval(trial, nil, nil) <= loss {
				improved = true
				break
			}
		}
		if !improved {
			break
		}
		var size float64
		for i := range w {
			size = max(size, math.Abs(trial[i]-w[i]))
		}
		copy(w, trial)
		if size < 1e-7 {
			break
		}
	}
	return w
}

// SoftmaxProbs is the model's distribution over one list's rows.
func SoftmaxProbs(m Linear, rows [][]float64) []float64 {
	p := make([]float64, len(rows))
	best := math.Inf(-1)
	for i, x := range rows {
		p[i] = m.Score(x)
		best = max(best, p[i])
	}
	var sum float64
	for i := range p {
		p[i] = math.Exp(p[i] - best)
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
	return p
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// matrix is a symmetric matrix of which only the lower triangle is filled.
type matrix struct{ a [][]float64 }

func newMatrix(n int) *matrix {
	m := &matrix{a: make([][]float64, n)}
	for i := range m.a {
		m.a[i] = make([]float64, n)
	}
	return m
}

func (m *matrix) zero() {
	for _, r := range m.a {
		clear(r)
	}
}

// solve returns s with H·s = g, by Cholesky.
func solve(h *matrix, g []float64) []float64 {
	n := len(g)
	l := newMatrix(n)
	for i := 0; i < n; i++ {
		for j := 0; j <= i; j++ {
			s := h.a[i][j]
			for k := 0; k < j; k++ {
				s -= l.a[i][k] * l.a[j][k]
			}
			if i == j {
				if s <= 0 {
					s = 1e-12
				}
				l.a[i][i] = math.Sqrt(s)
			} else {
				l.a[i][j] = s / l.a[j][j]
			}
		}
	}
	y := make([]float64, n)
	for i := 0; i < n; i++ {
		s := g[i]
		for k := 0; k < i; k++ {
			s -= l.a[i][k] * y[k]
		}
		y[i] = s / l.a[i][i]
	}
	step := make([]float64, n)
	for i := n - 1; i >= 0; i-- {
		s := y[i]
		for k := i + 1; k < n; k++ {
			s -= l.a[k][i] * step[k]
		}
		step[i] = s / l.a[i][i]
	}
	return step
}
