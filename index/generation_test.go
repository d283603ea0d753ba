package index

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/storybot/storybot/corpus"
)

// holdAt makes each search call fn once it holds its generations, until
// the test ends.
func holdAt(t *testing.T, fn func()) {
	t.Helper()
	scopeHeld = fn
	t.Cleanup(func() { scopeHeld = func() {} })
}

// A search that holds a generation when a rebuild swaps in the next one
// runs to its end on the one it holds, documents and all; the last
// holder's release closes it and deletes its files.
func TestRebuildKeepsHeldGenerationOpen(t *testing.T) {
	ix, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	put(t, ix, Shared, story(t, "wire.txt", "The central bank held interest rates steady."))
	put(t, ix, serverA, story(t, "a.txt", "The harbour festival drew record crowds."))
	c, _ := ix.collection(serverA, false)
	old := c.live.Load()
	rebuilt := false
	holdAt(t, func() {
		if rebuilt {
			return
		}
		rebuilt = true
		if _, err := ix.Rebuild(ctx, serverA, Entries([]*corpus.Story{story(t, "b.txt", "The mountain railway reopened after the storm.")}), Meta{}, nil); err != nil {
			t.Fatal(err)
		}
		if c.live.Load() == old {
			t.Fatal("the rebuild did not swap in a new generation")
		}
		if _, err := os.Stat(old.dir); err != nil {
			t.Errorf("the held generation's files were deleted under the search: %v", err)
		}
	})
	// Two collections: the hits are ranked first, their documents fetched
	// after, both from the held generations.
	hits, err := ix.Search(ctx, Query{Text: "harbour festival", Scope: Scope{serverA, Shared}})
	if err != nil || len(hits) != 1 || hits[0].Story != "a.txt" || hits[0].Text != "The harbour festival drew record crowds." {
		t.Fatalf("the search that held the old generation: %+v %v", hits, err)
	}
	if !rebuilt {
		t.Fatal("the hook never ran")
	}
	if _, err := old.idx.DocCount(); err == nil {
		t.Error("the old generation is still open after its last search")
	}
	if _, err := os.Stat(old.dir); !os.IsNotExist(err) {
		t.Errorf("the old generation's files are still there: %v", err)
	}
	hits, err = ix.Search(ctx, Query{Text: "mountain railway", Scope: Scope{serverA, Shared}})
	if err != nil || len(hits) != 1 || hits[0].Story != "b.txt" {
		t.Fatalf("a search after the rebuild: %+v %v", hits, err)
	}
}

// Closing the index under a search lets the search finish; the indexes
// are closed once it has.
func TestCloseUnderHeldSearch(t *testing.T) {
	ix, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	put(t, ix, Shared, story(t, "wire.txt", "The central bank held interest rates steady."))
	put(t, ix, serverA, story(t, "a.txt", "The harbour festival drew record crowds."))
	var gens []*generation
	for _, name := range []string{serverA, Shared} {
		c, _ := ix.collection(name, false)
		gens = append(gens, c.live.Load())
	}
	holdAt(t, func() {
		if err := ix.Close(); err != nil {
			t.Error(err)
		}
	})
	hits, err := ix.Search(ctx, Query{Text: "harbour festival", Scope: Scope{serverA, Shared}})
	if err != nil || len(hits) != 1 || hits[0].Text != "The harbour festival drew record crowds." {
		t.Fatalf("the search under Close: %+v %v", hits, err)
	}
	if ix.Live() {
		t.Fatal("the hook never closed the index")
	}
	for i, g := range gens {
		if _, err := g.idx.DocCount(); err == nil {
			t.Errorf("generation %d is still open after Close and the search", i)
		}
	}
	if _, err := ix.Search(ctx, Query{Text: "harbour festival", Scope: Scope{serverA}}); err != ErrClosed {
		t.Errorf("a search after Close: %v", err)
	}
}

// A change that got its collection before Close, and runs after it, must
// not build a generation: on a collection not yet opened (a fresh process)
// it would write CURRENT for an index holding only the change, and leave
// that index open.
func TestChangeAfterCloseBuildsNothing(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	put(t, ix, serverA, story(t, "a.txt", "The harbour festival drew record crowds."),
		story(t, "b.txt", "The mountain railway reopened after the storm."))
	ix.Close()
	ix, err = Open(dir) // serverA is named by CURRENT, not opened
	if err != nil {
		t.Fatal(err)
	}
	c, err := ix.collection(serverA, false)
	if err != nil || c == nil {
		t.Fatalf("collection: %v", err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	c.building.Lock()
	_, err = c.rebuild(context.Background(), nil, Meta{Version: 7}, nil)
	c.building.Unlock()
	if !errors.Is(err, ErrClosed) {
		t.Errorf("a rebuild after Close: %v", err)
	}
	if g := c.live.Load(); g != nil {
		g.idx.Close()
		t.Fatalf("Close returned, yet generation %s is open", g.name)
	}
	if _, _, err := c.acquire(); !errors.Is(err, ErrClosed) {
		t.Errorf("a read after Close: %v", err)
	}
	ix, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if m, _ := ix.Manifest(serverA); len(m.Stories) != 2 {
		t.Errorf("the collection on disk holds %d stories (meta %+v), want 2", len(m.Stories), m.Meta)
	}
}

// A change applied while Paragraphs holds its collection may take the
// story out; Paragraphs then finds no story rather than reading past the
// manifest it read before.
func TestParagraphsOfAStoryRemovedMeanwhile(t *testing.T) {
	ix, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	ctx := context.Background()
	put(t, ix, serverA, story(t, "a.txt", "The harbour festival drew record crowds.", "The mayor opened it."))
	removed := false
	holdAt(t, func() {
		if removed {
			return
		}
		removed = true
		if err := ix.Apply(ctx, serverA, Change{Remove: []string{"a.txt"}}); err != nil {
			t.Error(err)
		}
	})
	if hits, err := ix.Paragraphs(ctx, Scope{serverA}, "a.txt"); err == nil {
		t.Errorf("paragraphs of the removed story: %+v", hits)
	}
	if !removed {
		t.Fatal("the hook never ran")
	}
}
