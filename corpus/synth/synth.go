// Package synth generates a synthetic news archive of any size, for
// measuring how StoryBot scales. The stories read like news — headlines,
// datelines, quotations with named speakers, reported speech, dates and
// numbers — and go through corpus.Parse like any story file, so their
// statements and time expressions are the annotator's own.
//
// The same size and seed always give the same archive, so measurements
// taken on different days or machines compare like with like.
package synth

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"

	"github.com/storybot/storybot/corpus"
)

// Question is a question the archive answers, drawn from what a story says.
type Question struct {
	// Kind is "ask", "who" or "when", as batch files name them.
	Kind     string `json:"kind"`
	Question string `json:"question"`
	// Story and Paragraph locate the passage that answers it.
	Story     string `json:"story"`
	Paragraph int    `json:"paragraph"`
	// Answer is what the passage says: the object, the speaker or the time.
	Answer string `json:"answer"`
}

// File is one generated story file.
type File struct {
	Name string
	Text string
}

// Corpus is a generated archive.
type Corpus struct {
	Stories   []*corpus.Story
	Files     []File
	Questions []Question
}

// Paragraphs counts the body paragraphs of the archive.
func (c *Corpus) Paragraphs() int {
	n := 0
	for _, st := range c.Stories {
		n += len(st.Paragraphs)
	}
	return n
}

// Story lengths, in paragraphs; news stories run from a brief to a feature.
const (
	minParas = 6
	maxParas = 18
)

// Generate writes an archive of exactly the given number of paragraphs.
// Stories are written and parsed on every CPU; each draws from its own
// random stream, so the result does not depend on scheduling.
func Generate(paragraphs int, seed int64) (*Corpus, error) {
	if paragraphs < 1 {
		return nil, fmt.Errorf("synth: %d paragraphs: want at least 1", paragraphs)
	}
	sizes := storySizes(paragraphs, seed)
	type result struct {
		file  File
		story *corpus.Story
		qs    []Question
		err   error
	}
	results := make([]result, len(sizes))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				r := rand.New(rand.NewPCG(uint64(seed), uint64(i)+1))
				w := newStoryWriter(r, i)
				text := w.write(sizes[i])
				st, err := corpus.Parse(w.id, []byte(text))
				if err == nil && len(st.Paragraphs) != sizes[i] {
					err = fmt.Errorf("parsed %d paragraphs, wrote %d", len(st.Paragraphs), sizes[i])
				}
				if err != nil {
					err = fmt.Errorf("synth: story %s: %w", w.id, err)
				}
				results[i] = result{File{w.id, text}, st, w.questions, err}
			}
		})
	}
	for i := range sizes {
		next <- i
	}
	close(next)
	wg.Wait()
	c := &Corpus{}
	for _, res := range results {
		if res.err != nil {
			return nil, res.err
		}
		c.Files = append(c.Files, res.file)
		c.Stories = append(c.Stories, res.story)
		c.Questions = append(c.Questions, res.qs...)
	}
	return c, nil
}

// storySizes splits the paragraphs into stories of realistic lengths.
func storySizes(paragraphs int, seed int64) []int {
	r := rand.New(rand.NewPCG(uint64(seed), 0))
	var sizes []int
	for left := paragraphs; left > 0; {
		n := min(minParas+r.IntN(maxParas-minParas+1), left)
		sizes = append(sizes, n)
		left -= n
	}
	return sizes
}

// Sample picks n questions of one kind ("ask", "who" or "when"), spread
// over the archive and always the same for the same seed.
func (c *Corpus) Sample(kind string, n int, seed int64) []Question {
	var pool []Question
	for _, q := range c.Questions {
		if q.Kind == kind {
			pool = append(pool, q)
		}
	}
	if len(pool) == 0 {
		return nil
	}
	r := rand.New(rand.NewPCG(uint64(seed), uint64(len(pool))))
	out := make([]Question, n)
	for i := range out {
		out[i] = pool[r.IntN(len(pool))]
	}
	return out
}
