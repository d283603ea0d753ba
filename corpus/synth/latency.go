package synth

import (
	"slices"
	"time"
)

// Percentile is the nearest-rank percentile p (0 to 100) of d. It sorts a
// copy, so the caller's order is kept.
func Percentile(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	i := (p*len(s)+99)/100 - 1
	return s[min(max(i, 0), len(s)-1)]
}

// MetricReporter is what ReportLatency needs of a *testing.B.
type MetricReporter interface {
	ReportMetric(n float64, unit string)
}

// ReportLatency adds the tail to the mean that ns/op gives, as p50-ms and
// p99-ms: a slow answer in a hundred is what users notice.
func ReportLatency(b MetricReporter, took []time.Duration) {
	if len(took) == 0 {
		return
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(Percentile(took, 50)), "p50-ms")
	b.ReportMetric(ms(Percentile(took, 99)), "p99-ms")
}
