package answer

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

// An archive-wide listing reads the listing prepared at index time: the
// quotes need no search at all, and a page of the timeline one search for
// its sentences, however many stories there are; under load from eight
// askers every listing is answered.
func TestArchiveListingsArePreparedAndAnswerUnderLoad(t *testing.T) {
	const stories = 5000
	list := bridgeStories(t, stories)
	var wantQuotes, wantTimes int
	for _, st := range list {
		for _, p := range st.Paragraphs {
			wantQuotes += len(p.Statements)
			wantTimes += len(p.Times)
		}
	}
	if wantQuotes < stories || wantTimes < stories {
		t.Fatalf("the stories hold %d statements and %d times", wantQuotes, wantTimes)
	}
	ix, err := index.NewMemory(list)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	eng := New(ix)
	var work index.Work
	ctx := index.CountWork(context.Background(), &work)
	quotes, err := eng.Quotes(ctx, nil, "")
	if err != nil || len(quotes) != wantQuotes {
		t.Fatalf("%d quotes, %v", len(quotes), err)
	}
	if n, _, _ := work.Totals(); n != 0 {
		t.Errorf("listing the quotes ran %d searches", n)
	}
	events, total, err := eng.TimelinePage(ctx, nil, "", 60)
	if err != nil || len(events) != 60 || total != wantTimes {
		t.Fatalf("%d events of %d, %v", len(events), total, err)
	}
	if n, _, _ := work.Totals(); n != 1 {
		t.Errorf("a page of the timeline ran %d searches", n)
	}
	for i, e := range events {
		if e.Sentence == "" || (i > 0 && e.Date < events[i-1].Date) {
			t.Fatalf("event %d: %+v", i, e)
		}
	}
	// Eight askers at once, each also listing; every request is answered
	// within its deadline.
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 8 {
		wg.Go(func() {
			for i := range 10 {
				qctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				var err error
				switch i % 3 {
				case 0:
					_, err = eng.Quotes(qctx, nil, "")
				case 1:
					_, _, err = eng.TimelinePage(qctx, nil, "", 60)
				default:
					_, err = eng.Answer(qctx, Request{Kind: Who, Question: fmt.Sprintf("Who said the bridge number %d will reopen?", g*10+i)})
				}
				cancel()
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// bridgeStories are n short stories, each with a statement and a date.
func bridgeStories(t testing.TB, n int) []*corpus.Story {
	var list []*corpus.Story
	for i := range n {
		text := fmt.Sprintf("date: 2024-03-%02d\nsource: Test Wire\n---\nBridge report %d\n\n"+
			"\"The bridge number %d will reopen soon,\" said engineer Ruth Calder on Monday.\n\nThe council met.\n", 1+i%28, i, i)
		st, err := corpus.Parse(fmt.Sprintf("s%04d.txt", i), []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		list = append(list, st)
	}
	return list
}

// BenchmarkArchiveListings times /quotes and a page of /timeline with no
// story on 5,000 stories, from 8 askers at once.
func BenchmarkArchiveListings(b *testing.B) {
	ix, err := index.NewMemory(bridgeStories(b, 5000))
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	eng := New(ix)
	for _, c := range []struct {
		name string
		run  func(context.Context) error
	}{
		{"quotes", func(ctx context.Context) error { _, err := eng.Quotes(ctx, nil, ""); return err }},
		{"timeline", func(ctx context.Context) error { _, _, err := eng.TimelinePage(ctx, nil, "", 60); return err }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetParallelism(4) // 8 goroutines on 2 processors
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := c.run(context.Background()); err != nil {
						b.Error(err)
					}
				}
			})
		})
	}
}
