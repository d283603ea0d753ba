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
		benchParse(b, fmt.Sprintf("sentences=%d", n), "long.txt", data, n, "sentence")
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
		benchParse(b, fmt.Sprintf("paragraphs=%d", n), "many.txt", data, n, "paragraph")
	}
}

// BenchmarkParseLongSentence parses a story that is one paragraph of one
// sentence: clauses of reported speech joined by commas and "and" with no
// full stop anywhere, and text of words and commas alone. A feed item can
// be such a sentence up to 5 MiB long, so the work for each speech cue must
// not read the whole sentence. The cost per clause, and per kilobyte of
// words, should hardly change from size to size.
func BenchmarkParseLongSentence(b *testing.B) {
	clauses := []string{
		"the minister said that talks would resume",
		"officials told reporters the plan was ready",
		"“we will meet again on Monday,” the spokesman said",
		"Ana Ruiz, a senator from Oregon, warned that the vote could fail",
		"the agency said in a statement it had no comment",
		"the new pier can hold 40 boats, Mr. De Wit said",
		"the mayor told the council the budget was short, adding that taxes would rise",
	}
	for _, n := range []int{1000, 4000, 16000} {
		var sb strings.Builder
		sb.WriteString("Headline\n\nAt the meeting in the capital on Tuesday ")
		for i := range n {
			if i > 0 {
				sb.WriteString([]string{", ", " and ", ", and "}[i%3])
			}
			sb.WriteString(clauses[i%len(clauses)])
		}
		data := []byte(sb.String())
		benchParse(b, fmt.Sprintf("clauses=%d", n), "sentence.txt", data, n, "clause")
	}
	words := strings.Fields("the talks in the capital would resume next week after officials from both sides met " +
		"on Monday and the minister who spoke to reporters outside the building said very little about it")
	for _, kb := range []int{50, 200, 800} {
		var sb strings.Builder
		sb.WriteString("Headline\n\n")
		for i := 0; sb.Len() < kb<<10; i++ {
			if i > 0 {
				sb.WriteString([]string{" ", " ", ", "}[i%3])
			}
			sb.WriteString(words[i%len(words)])
		}
		data := []byte(sb.String())
		benchParse(b, fmt.Sprintf("words-kb=%d", kb), "words.txt", data, kb, "KB")
	}
}

// BenchmarkParseManyEvents parses a story of many short paragraphs, each
// with a date and an expression dated by an event the story names ("the
// weeks before Ruiz met Baker"). Comparing each such expression with every
// dated sentence of the story made it cost the square of its length. The
// cost per paragraph should hardly change from size to size.
func BenchmarkParseManyEvents(b *testing.B) {
	for _, n := range []int{1000, 4000, 16000} {
		var sb strings.Builder
		sb.WriteString("Headline\n\n")
		for i := range n {
			fmt.Fprintf(&sb, "On March %d, 2024, Ruiz met Baker in Tolva. In the weeks before Ruiz met Baker, talks ended.\n\n", i%28+1)
		}
		data := []byte(sb.String())
		benchParse(b, fmt.Sprintf("paragraphs=%d", n), "events.txt", data, n, "paragraph")
	}
}

// benchParse times corpus.Parse on data, a story of units of one kind (a
// sentence, a paragraph), and reports the time per unit, by the clock and
// in CPU time, which says more than the clock on a busy machine.
func benchParse(b *testing.B, name, file string, data []byte, units int, unit string) {
	b.Run(name, func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		cpu := devset.CPUTime()
		for b.Loop() {
			if _, err := corpus.Parse(file, data); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*units)/1000, "µs/"+unit)
		if cpu := devset.CPUTime() - cpu; cpu > 0 {
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N*units)/1000, "cpu-µs/"+unit)
		}
	})
}
