package index

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/storybot/storybot/corpus"
)

const serverA, serverB = "111111111111111111", "222222222222222222"

func put(t testing.TB, ix *Index, col string, stories ...*corpus.Story) {
	t.Helper()
	if err := ix.Apply(context.Background(), col, Change{Put: Entries(stories)}); err != nil {
		t.Fatal(err)
	}
}

func TestScopesSeeOnlyTheirCollections(t *testing.T) {
	ix, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	put(t, ix, Shared, story(t, "wire.txt", "The central bank held interest rates steady."))
	put(t, ix, serverA, story(t, "a-only.txt", "The harbour festival drew record crowds."))
	put(t, ix, serverB, story(t, "b-only.txt", "The mountain railway reopened after the storm."))
	ctx := context.Background()
	for _, tt := range []struct {
		scope     Scope
		query     string
		wantFound bool
	}{
		{Scope{serverA, Shared}, "harbour festival", true},
		{Scope{serverA, Shared}, "interest rates", true},
		{Scope{serverA, Shared}, "mountain railway", false},
		{Scope{serverB, Shared}, "harbour festival", false},
		{nil, "harbour festival", false},
		{nil, "interest rates", true},
	} {
		hits, err := ix.Search(ctx, Query{Text: tt.query, Scope: tt.scope, Size: 5})
		if err != nil {
			t.Fatal(err)
		}
		if (len(hits) > 0) != tt.wantFound {
			t.Errorf("scope %v, %q: hits %+v", tt.scope, tt.query, hits)
		}
		for _, h := range hits {
			if h.Collection == "" || (tt.scope == nil && h.Collection != Shared) {
				t.Errorf("scope %v: hit from collection %q", tt.scope, h.Collection)
			}
		}
	}
	if got := ids(ix.Stories(Scope{serverB, Shared})); !reflect.DeepEqual(got, []string{"b-only.txt", "wire.txt"}) {
		t.Errorf("B lists %v", got)
	}
	if _, ok := ix.Story(Scope{serverB, Shared}, "a-only.txt"); ok {
		t.Error("B can look up A's story")
	}
	if _, err := ix.Search(ctx, Query{Text: "harbour", Scope: Scope{serverB, Shared}, Story: "a-only.txt"}); err == nil {
		t.Error("B can search A's story by name")
	}
	if _, err := ix.Paragraphs(ctx, Scope{serverB, Shared}, "a-only.txt"); err == nil {
		t.Error("B can read A's paragraphs")
	}
}

// A server's answers must not move when another server's collection
// grows: each collection is its own index with its own term statistics.
func TestAnotherServersStoriesDoNotChangeRanking(t *testing.T) {
	ix, err := NewMemory([]*corpus.Story{story(t, "wire.txt", "Ministers met to discuss the harbour budget.", "The budget vote was delayed.")})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	put(t, ix, serverB, story(t, "b1.txt", "The harbour budget passed after a long debate.", "Fishermen said the harbour needs dredging."),
		story(t, "b2.txt", "A new budget for schools was announced."))
	ctx := context.Background()
	q := Query{Text: "harbour budget debate", Scope: Scope{serverB, Shared}, Size: 10}
	before, err := ix.Search(ctx, q)
	if err != nil || len(before) == 0 {
		t.Fatal(before, err)
	}
	var flood []*corpus.Story
	for i := range 1000 {
		flood = append(flood, story(t, fmt.Sprintf("a%04d.txt", i), "The harbour budget debate went on and on.", fmt.Sprintf("Budget item %d.", i)))
	}
	put(t, ix, serverA, flood...)
	after, err := ix.Search(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Errorf("B's hits changed when A gained 1000 stories:\nbefore %+v\nafter  %+v", before, after)
	}
}

func TestEarlierCollectionHidesSameID(t *testing.T) {
	ix, err := NewMemory([]*corpus.Story{story(t, "same.txt", "The shared library's version of the harbour story.")})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	put(t, ix, serverA, story(t, "same.txt", "The server's own version of the harbour story."))
	scope := Scope{serverA, Shared}
	hits, err := ix.Search(context.Background(), Query{Text: "harbour story version", Scope: scope, Size: 5})
	if err != nil || len(hits) != 1 || hits[0].Collection != serverA {
		t.Fatalf("hits %+v, %v", hits, err)
	}
	list := ix.Stories(scope)
	if len(list) != 1 || list[0].Collection != serverA {
		t.Errorf("stories %+v", list)
	}
	if info, _ := ix.Story(nil, "same.txt"); info.Collection != Shared {
		t.Errorf("the shared library sees %+v", info)
	}
}

func TestCollectionsSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	put(t, ix, serverA, story(t, "a.txt", "The harbour festival drew record crowds."))
	if err := ix.Apply(context.Background(), serverB, Change{Put: Entries([]*corpus.Story{story(t, "b.txt", "Snow closed the pass.")}), Meta: Meta{Version: 3, Epoch: "e1"}}); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	ix, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if got := ix.Collections(); !reflect.DeepEqual(got, []string{serverA, serverB}) {
		t.Errorf("collections %v", got)
	}
	m, ok := ix.Manifest(serverB)
	if !ok || m.Version != 3 || m.Epoch != "e1" || len(m.Stories) != 1 || m.Stories[0].Collection != serverB {
		t.Errorf("manifest %+v", m)
	}
	hits, err := ix.Search(context.Background(), Query{Text: "festival", Scope: Scope{serverA}})
	if err != nil || len(hits) != 1 {
		t.Errorf("hits %+v %v", hits, err)
	}
}

func TestCollectionNames(t *testing.T) {
	for name, want := range map[string]bool{
		Shared: true, "123456789012345678": true, "": false, "../x": false, "abc": false,
		"123456789012345678901": false, "-1": false, "shared/..": false,
	} {
		if ValidCollection(name) != want {
			t.Errorf("ValidCollection(%q) = %v", name, !want)
		}
	}
	ix, _ := NewMemory(nil)
	defer ix.Close()
	if err := ix.Apply(context.Background(), "../evil", Change{}); err == nil {
		t.Error("a collection named ../evil was made")
	}
}

func ids(list []StoryInfo) []string {
	var out []string
	for _, s := range list {
		out = append(out, s.ID)
	}
	return out
}

// A server's collection that nobody reads is closed, and opened again on
// the next read; one being read, and the shared library, stay open.
func TestIdleCollectionsCloseAndReopen(t *testing.T) {
	ix, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	put(t, ix, Shared, story(t, "wire.txt", "The central bank held interest rates steady."))
	put(t, ix, serverA, story(t, "a.txt", "The harbour festival drew record crowds."))
	c, _ := ix.collection(serverA, false)
	_, release, _ := c.acquire()
	if n := ix.CloseIdle(0); n != 0 {
		t.Fatalf("closed %d collections while one was being read", n)
	}
	release()
	if n := ix.CloseIdle(time.Hour); n != 0 {
		t.Fatalf("closed %d collections used a moment ago", n)
	}
	if n := ix.CloseIdle(0); n != 1 || c.live.Load() != nil {
		t.Fatalf("closed %d, live %v", n, c.live.Load())
	}
	hits, err := ix.Search(context.Background(), Query{Text: "harbour festival", Scope: Scope{serverA, Shared}})
	if err != nil || len(hits) != 1 || hits[0].Collection != serverA {
		t.Fatalf("after reopening: %+v %v", hits, err)
	}
	if err := ix.Apply(context.Background(), serverA, Change{Remove: []string{"a.txt"}}); err != nil {
		t.Fatal(err)
	}
	ix.CloseIdle(0)
	if got := ix.Stories(Scope{serverA}); len(got) != 0 {
		t.Errorf("a change before closing was lost: %+v", got)
	}
}

// Closing idle collections while others read them never fails a read.
func TestClosingIdleCollectionsUnderReads(t *testing.T) {
	ix, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	put(t, ix, serverA, story(t, "a.txt", "The harbour festival drew record crowds."))
	stop := make(chan struct{})
	errs := make(chan error, 8)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				hits, err := ix.Search(context.Background(), Query{Text: "harbour festival", Scope: Scope{serverA}})
				if err == nil && len(hits) != 1 {
					err = fmt.Errorf("%d hits", len(hits))
				}
				if err == nil && len(ix.Stories(Scope{serverA})) != 1 {
					err = fmt.Errorf("the story list went missing")
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	deadline := time.Now().Add(300 * time.Millisecond)
	closed := 0
	for time.Now().Before(deadline) {
		closed += ix.CloseIdle(0)
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if closed == 0 {
		t.Log("the readers never let the collection go idle")
	}
}
