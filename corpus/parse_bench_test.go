package corpus_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/corpus/devset"
)

// BenchmarkParseLongParagraph parses a story that is one paragraph of
// reported statements at growing lengths. A story may be up to 5 MiB with
// no blank line in it, so parsing must stay near linear in a paragraph's
// length: comparing its statements pairwise once kept Parse busy for
// minutes. The cost per sentence should hardly change from size to size.
func BenchmarkParseLongParagraph(b *testing.B) {
	const sentence = "The minister said on Monday that talks would resume. "
	for _, n := range []int{1000, 4000, 16000} {
		data := []byte("Headline\n\n" + strings.Repeat(sentence, n))
		b.Run(fmt.Sprintf("sentences=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			cpu := devset.CPUTime()
			for b.Loop() {
				if _, err := corpus.Parse("long.txt", data); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n)/1000, "µs/sentence")
			// CPU time too: on a busy machine it says more than the clock.
			if cpu := devset.CPUTime() - cpu; cpu > 0 {
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N*n)/1000, "cpu-µs/sentence")
			}
		})
	}
}

// BenchmarkParseManyParagraphs parses a story of many short paragraphs of
// reported speech that name people, refer to them by surname, role, pronoun
// and document ("the statement said"). Resolving a speaker must not read
// every earlier speaker and name of the story: that kept Parse busy for
// seconds on one long story. The cost per paragraph should hardly change
// from size to size.
func BenchmarkParseManyParagraphs(b *testing.B) {
	const para = "Minister Ana Ruiz said on Monday that talks would resume. Ruiz said the plan was ready. " +
		"The minister said it would work. The statement said the talks were over. She said they would meet. " +
		"It said nothing more. The spokesman said the talks went well.\n\n"
	for _, n := range []int{1000, 4000, 16000} {
		data := []byte("Headline\n\n" + strings.Repeat(para, n))
		b.Run(fmt.Sprintf("paragraphs=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			cpu := devset.CPUTime()
			for b.Loop() {
				if _, err := corpus.Parse("many.txt", data); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n)/1000, "µs/paragraph")
			if cpu := devset.CPUTime() - cpu; cpu > 0 {
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N*n)/1000, "cpu-µs/paragraph")
			}
		})
	}
}
