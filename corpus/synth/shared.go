package synth

import "sync"

// SharedSeed is the seed of the shared archives, and of `storybot bench`.
const SharedSeed = 6

var shared struct {
	sync.Mutex
	byN map[int]*sharedCorpus
}

type sharedCorpus struct {
	once sync.Once
	c    *Corpus
	err  error
}

// Shared returns the archive of n paragraphs with SharedSeed, generating it
// on first use only. Benchmarks in several files need the same archives,
// and a 100k-paragraph one takes a while to write and annotate, so one test
// process generates each size once. Callers must not modify it.
func Shared(n int) (*Corpus, error) {
	shared.Lock()
	if shared.byN == nil {
		shared.byN = map[int]*sharedCorpus{}
	}
	s := shared.byN[n]
	if s == nil {
		s = &sharedCorpus{}
		shared.byN[n] = s
	}
	shared.Unlock()
	s.once.Do(func() { s.c, s.err = Generate(n, SharedSeed) })
	return s.c, s.err
}
