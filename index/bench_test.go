package index_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/storybot/storybot/corpus/synth"
	"github.com/storybot/storybot/index"
)

// The benchmarks guard the costs issue 6 sets targets for, on synthetic
// archives of 10k and 100k paragraphs (100k is skipped with -short):
//
//	go test -run '^$' -bench . -benchtime 2s ./index/
//
// Plain `go test` runs none of this, so it stays fast.

var benchSizes = []struct {
	n     int
	label string
}{{10_000, "10k"}, {100_000, "100k"}}

func benchSizesFor(b *testing.B) []struct {
	n     int
	label string
} {
	if testing.Short() {
		return benchSizes[:1]
	}
	return benchSizes
}

func archive(b *testing.B, n int) *synth.Corpus {
	b.Helper()
	c, err := synth.Shared(n)
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// build makes a persistent index of c in a new directory under parent.
func build(ctx context.Context, parent string, c *synth.Corpus) (string, index.BuildStats, error) {
	dir, err := os.MkdirTemp(parent, "index-")
	if err != nil {
		return "", index.BuildStats{}, err
	}
	ix, err := index.Open(dir)
	if err != nil {
		return "", index.BuildStats{}, fmt.Errorf("opening an empty directory: %v", err)
	}
	stats, err := ix.Rebuild(ctx, index.Shared, index.Entries(c.Stories), index.Meta{}, nil)
	if err != nil {
		return "", stats, err
	}
	return dir, stats, ix.Close()
}

// lazyIndex builds an index for an archive size the first time a
// sub-benchmark asks for it, so that -bench filters which skip a size also
// skip its build. The directory belongs to the parent benchmark, which
// removes it when all its sub-benchmarks are done.
func lazyIndex(parent *testing.B, n int) func(*testing.B) string {
	var once sync.Once
	var dir string
	var err error
	return func(b *testing.B) string {
		once.Do(func() { dir, _, err = build(context.Background(), parent.TempDir(), archive(b, n)) })
		if err != nil {
			b.Fatal(err)
		}
		return dir
	}
}

// BenchmarkBuild measures indexing, annotation excluded: stories arrive
// parsed, as they do from the corpus loader.
func BenchmarkBuild(b *testing.B) {
	for _, size := range benchSizesFor(b) {
		b.Run("paragraphs="+size.label, func(b *testing.B) {
			c := archive(b, size.n)
			var took time.Duration
			for b.Loop() {
				b.StopTimer()
				parent := b.TempDir()
				b.StartTimer()
				_, stats, err := build(context.Background(), parent, c)
				if err != nil {
					b.Fatal(err)
				}
				took += stats.Took
				b.StopTimer()
				os.RemoveAll(parent)
				b.StartTimer()
			}
			b.ReportMetric(float64(size.n*b.N)/took.Seconds(), "paragraphs/s")
		})
	}
}

// BenchmarkOpen measures start-up on an existing index.
func BenchmarkOpen(b *testing.B) {
	for _, size := range benchSizesFor(b) {
		fixture := lazyIndex(b, size.n)
		b.Run("paragraphs="+size.label, func(b *testing.B) {
			dir := fixture(b)
			for b.Loop() {
				ix, err := index.Open(dir)
				if err != nil {
					b.Fatal(err)
				}
				ix.Close()
			}
		})
	}
}

// BenchmarkSearch measures the search under every answer: the candidates
// for re-ranking, with their stored fields and annotations.
func BenchmarkSearch(b *testing.B) {
	for _, size := range benchSizesFor(b) {
		fixture := lazyIndex(b, size.n)
		b.Run("paragraphs="+size.label, func(b *testing.B) {
			ix, err := index.Open(fixture(b))
			if err != nil {
				b.Fatal(err)
			}
			defer ix.Close()
			qs := archive(b, size.n).Sample("ask", 500, 1)
			ctx := context.Background()
			var took []time.Duration
			i := 0
			for b.Loop() {
				start := time.Now()
				if _, err := ix.Search(ctx, index.Query{Text: qs[i%len(qs)].Question, Size: 20}); err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(start))
				i++
			}
			synth.ReportLatency(b, took)
		})
	}
}

// BenchmarkScopedSearch compares a search of the shared library alone with
// the same search in a server's scope (a small collection beside it).
func BenchmarkScopedSearch(b *testing.B) {
	fixture := lazyIndex(b, 10_000)
	ix, err := index.Open(fixture(b))
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	small, err := synth.Generate(100, 99)
	if err != nil {
		b.Fatal(err)
	}
	const guild = "123456789012345678"
	if err := ix.Apply(context.Background(), guild, index.Change{Put: index.Entries(small.Stories)}); err != nil {
		b.Fatal(err)
	}
	qs := archive(b, 10_000).Sample("ask", 500, 1)
	for _, sc := range []struct {
		name  string
		scope index.Scope
	}{{"shared", nil}, {"server", index.Scope{guild, index.Shared}}, {"small", index.Scope{guild}}} {
		b.Run(sc.name, func(b *testing.B) {
			var took []time.Duration
			i := 0
			for b.Loop() {
				start := time.Now()
				if _, err := ix.Search(context.Background(), index.Query{Text: qs[i%len(qs)].Question, Scope: sc.scope, Size: 20}); err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(start))
				i++
			}
			synth.ReportLatency(b, took)
		})
	}
}
