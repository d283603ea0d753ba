// Package metrics exposes StoryBot's Prometheus metrics and health check:
// answers by command, their latency, questions with no answer, requests
// that failed and why, reindex durations and the index size.
package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/storybot/storybot/index"
)

// Metrics holds the collectors on a registry of their own, so tests can
// make as many as they like.
type Metrics struct {
	reg        *prometheus.Registry
	answers    *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	noAnswer   *prometheus.CounterVec
	failures   *prometheus.CounterVec
	reindex    prometheus.Histogram
	reindexErr prometheus.Counter
}

// New registers the collectors; ix, when not nil, is measured for its size.
func New(ix *index.Index) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		answers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "storybot_answers_total", Help: "Questions answered, by command.",
		}, []string{"command"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "storybot_answer_seconds", Help: "Time to answer a question, by command.",
			// From well under a millisecond up to Discord's 3-second deadline.
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"command"}),
		noAnswer: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "storybot_no_answer_total", Help: "Questions for which nothing matched well enough, by command.",
		}, []string{"command"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "storybot_answer_failures_total",
			Help: "Requests that got no answer, by command and reason: error, panic, timeout, throttled, busy, invalid, unknown, delivery, progress.",
		}, []string{"command", "reason"}),
		reindex: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "storybot_reindex_seconds", Help: "Duration of successful index rebuilds.",
			Buckets: prometheus.ExponentialBuckets(0.1, 2, 14),
		}),
		reindexErr: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "storybot_reindex_failures_total", Help: "Index rebuilds that failed and left the old index live.",
		}),
	}
	m.reg.MustRegister(m.answers, m.latency, m.noAnswer, m.failures, m.reindex, m.reindexErr,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if ix != nil {
		m.reg.MustRegister(
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "storybot_index_stories", Help: "Stories in the live index, in every collection.",
			}, func() float64 { n, _ := ix.Size(); return float64(n) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "storybot_index_paragraphs", Help: "Paragraphs in the live index, in every collection.",
			}, func() float64 { _, n := ix.Size(); return float64(n) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "storybot_index_collections", Help: "Collections in the live index: the shared library and one per server.",
			}, func() float64 { return float64(len(ix.Collections())) }),
		)
	}
	return m
}

// Answered records one answered question.
func (m *Metrics) Answered(command string, found bool, took time.Duration) {
	m.answers.WithLabelValues(command).Inc()
	m.latency.WithLabelValues(command).Observe(took.Seconds())
	if !found {
		m.noAnswer.WithLabelValues(command).Inc()
	}
}

// Failed records a request that got no answer, or whose answer could not
// be delivered. The caller keeps both labels to a fixed set of values.
func (m *Metrics) Failed(command, reason string) {
	m.failures.WithLabelValues(command, reason).Inc()
}

// Reindexed records one rebuild.
func (m *Metrics) Reindexed(took time.Duration, err error) {
	if err != nil {
		m.reindexErr.Inc()
		return
	}
	m.reindex.Observe(took.Seconds())
}

// Handler serves /metrics and /healthz. The health check fails while the
// index cannot answer, so an orchestrator restarts a bot that lost it.
func (m *Metrics) Handler(ix *index.Index) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if ix == nil || !ix.Live() {
			http.Error(w, "index not open", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ok\n"))
	})
	return mux
}
