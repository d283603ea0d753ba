package index_test

import (
	"context"
	"testing"

	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/answer"
)

// BenchmarkQuestionCost answers, from a persistent index, an ordinary question and each hostile one
// through Engine.Answer, reporting time and bytes read per answer; the
// ratio between them is what issue 11 bounds at 5×:
//
//	go test -run '^$' -bench QuestionCost -benchtime 200x ./index/
func BenchmarkQuestionCost(b *testing.B) {
	for _, size := range benchSizesFor(b) {
		fixture := lazyIndex(b, size.n)
		b.Run("paragraphs="+size.label, func(b *testing.B) {
			c := archive(b, size.n)
			ix, err := index.Open(fixture(b))
			if err != nil {
				b.Fatal(err)
			}
			defer ix.Close()
			eng := answer.New(ix)
			var ordinary []string
			for _, q := range c.Sample("ask", 100, 11) {
				ordinary = append(ordinary, q.Question)
			}
			cases := []struct {
				name string
				qs   []string
			}{{"ordinary", ordinary}}
			for name, q := range hostileQuestions(b, c, ix) {
				cases = append(cases, struct {
					name string
					qs   []string
				}{name, []string{q}})
			}
			for _, tc := range cases {
				b.Run(tc.name, func(b *testing.B) {
					w := &index.Work{}
					ctx := index.CountWork(context.Background(), w)
					i := 0
					for b.Loop() {
						if _, err := eng.Answer(ctx, answer.Request{Kind: answer.Ask, Question: tc.qs[i%len(tc.qs)]}); err != nil {
							b.Fatal(err)
						}
						i++
					}
					n, _, bytes := w.Totals()
					b.ReportMetric(float64(bytes)/float64(n), "bytes-read/op")
				})
			}
		})
	}
}
