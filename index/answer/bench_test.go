package answer_test

import (
	"context"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/storybot/storybot/config"
	"github.com/storybot/storybot/corpus/synth"
	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/answer"
)

// The benchmarks time Engine.Answer, search and re-ranking and short answer
// together, per kind of question, on synthetic archives of 10k and 100k
// paragraphs (100k is skipped with -short), from one asker and from 8:
//
//	go test -run '^$' -bench . -benchtime 2s ./index/answer/
//
// Plain `go test` runs none of this, so it stays fast.

var benchSizes = []struct {
	n     int
	label string
}{{10_000, "10k"}, {100_000, "100k"}}

// benchKinds pairs each kind with the synth name of its questions.
var benchKinds = []struct {
	kind  answer.Kind
	synth string
}{{answer.Ask, "ask"}, {answer.Who, "who"}, {answer.When, "when"}}

// concurrentAskers is issue 6's loaded case: 8 questions at once.
const concurrentAskers = 8

type fixture struct {
	eng *answer.Engine
	c   *synth.Corpus
}

// lazyEngine opens an engine over a persistent index of an n-paragraph
// archive, built the first time a sub-benchmark needs it, so that -bench
// filters that skip a size also skip its build. The index belongs to the
// parent benchmark, which closes and removes it at the end.
func lazyEngine(parent *testing.B, n int) func(*testing.B) fixture {
	var once sync.Once
	var fx fixture
	var err error
	return func(b *testing.B) fixture {
		once.Do(func() {
			if fx.c, err = synth.Shared(n); err != nil {
				return
			}
			dir := parent.TempDir()
			ix, oerr := index.Open(dir)
			if oerr != nil {
				err = oerr
				return
			}
			if _, err = ix.Rebuild(context.Background(), index.Shared, index.Entries(fx.c.Stories), index.Meta{}, nil); err != nil {
				return
			}
			if err = ix.Close(); err != nil {
				return
			}
			// Reopen, as the bot does on start-up, rather than answer from
			// the index the build left open.
			if ix, err = index.Open(dir); err != nil {
				return
			}
			parent.Cleanup(func() { ix.Close(); os.RemoveAll(dir) })
			fx.eng = answer.New(ix)
		})
		if err != nil {
			b.Fatal(err)
		}
		return fx
	}
}

func forSizes(b *testing.B, run func(b *testing.B, label string, get func(*testing.B) fixture)) {
	config.TuneRuntime() // as storybot does at start
	for i, size := range benchSizes {
		if testing.Short() && i > 0 {
			break
		}
		run(b, size.label, lazyEngine(b, size.n))
	}
}

// BenchmarkAnswer is one asker's latency, per kind.
func BenchmarkAnswer(b *testing.B) {
	forSizes(b, func(b *testing.B, label string, get func(*testing.B) fixture) {
		for _, k := range benchKinds {
			b.Run(string(k.kind)+"/paragraphs="+label, func(b *testing.B) {
				fx := get(b)
				qs := fx.c.Sample(k.synth, 500, 1)
				ctx := context.Background()
				var took []time.Duration
				i := 0
				for b.Loop() {
					start := time.Now()
					if _, err := fx.eng.Answer(ctx, answer.Request{Kind: k.kind, Question: qs[i%len(qs)].Question}); err != nil {
						b.Fatal(err)
					}
					took = append(took, time.Since(start))
					i++
				}
				synth.ReportLatency(b, took)
			})
		}
	})
}

// BenchmarkAnswerConcurrent is the latency each of 8 concurrent askers sees.
func BenchmarkAnswerConcurrent(b *testing.B) {
	forSizes(b, func(b *testing.B, label string, get func(*testing.B) fixture) {
		for _, k := range benchKinds {
			b.Run(string(k.kind)+"/paragraphs="+label, func(b *testing.B) {
				fx := get(b)
				qs := fx.c.Sample(k.synth, 500, 1)
				var mu sync.Mutex
				var took []time.Duration
				var next atomic.Int64 // askers take turns through the questions
				b.SetParallelism(max(1, concurrentAskers/max(1, runtime.GOMAXPROCS(0))))
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					ctx := context.Background()
					var mine []time.Duration
					for pb.Next() {
						q := qs[int(next.Add(1))%len(qs)]
						start := time.Now()
						if _, err := fx.eng.Answer(ctx, answer.Request{Kind: k.kind, Question: q.Question}); err != nil {
							b.Error(err)
							return
						}
						mine = append(mine, time.Since(start))
					}
					mu.Lock()
					took = append(took, mine...)
					mu.Unlock()
				})
				synth.ReportLatency(b, took)
			})
		}
	})
}
