package corpus_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/corpus/devset"
	"github.com/storybot/storybot/corpus/synth"
)

// BenchmarkAnnotate measures what loading a story costs beyond reading it:
// the text layer and both extractors, on the synthetic archive that
// `storybot bench` indexes (its "generate" phase is mostly this).
func BenchmarkAnnotate(b *testing.B) {
	c, err := synth.Generate(2000, synth.SharedSeed)
	if err != nil {
		b.Fatal(err)
	}
	benchAnnotate(b, c.Stories)
}

// BenchmarkAnnotateSeed is BenchmarkAnnotate on the built-in story, whose
// paragraphs are real news text.
func BenchmarkAnnotateSeed(b *testing.B) {
	data, err := os.ReadFile("seed/taliban-call-for-russia-ukraine-peace.txt")
	if err != nil {
		b.Skip(err)
	}
	st, err := corpus.Parse("seed.txt", data)
	if err != nil {
		b.Fatal(err)
	}
	benchAnnotate(b, []*corpus.Story{st})
}

// BenchmarkAnnotateDev is BenchmarkAnnotate on the evaluation articles
// (news and Wikipedia); it skips without ../shared.
func BenchmarkAnnotateDev(b *testing.B) {
	dir := devset.Articles(b)
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		b.Skip("no articles")
	}
	var stories []*corpus.Story
	for _, f := range files {
		st, err := corpus.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		stories = append(stories, st)
	}
	benchAnnotate(b, stories)
}

func benchAnnotate(b *testing.B, stories []*corpus.Story) {
	n := 0
	for _, st := range stories {
		n += len(st.Paragraphs)
	}
	b.ReportAllocs()
	cpu := devset.CPUTime()
	for b.Loop() {
		for _, st := range stories {
			corpus.Annotate(st)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n)/1000, "µs/para")
	if cpu := devset.CPUTime() - cpu; cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N*n)/1000, "cpu-µs/para")
	}
}
