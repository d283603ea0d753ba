package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"

	"github.com/storybot/storybot/corpus"
)

// manifestKey is the bleve internal key under which each index keeps its
// Manifest. It is written in the same batch as the paragraphs it
// describes, so an index and its manifest can never disagree, whatever
// moment a crash comes.
var manifestKey = []byte("storybot.manifest")

// Meta is what a collection's index records of the store it was built from.
type Meta struct {
	// Version is the store's version of the collection the index reflects.
	Version int64 `json:"version"`
	// Epoch changes when the collection is rebuilt everywhere (/reindex).
	Epoch string `json:"epoch,omitempty"`
}

// Manifest is what one collection's index holds.
type Manifest struct {
	Meta
	// Stories are sorted by ID.
	Stories []StoryInfo `json:"stories"`
}

// collection is one collection's chain of generations: the live one, and
// while a rebuild runs, the one being built. A generation a rebuild
// replaced lives on, unlisted, until the last search holding it ends.
type collection struct {
	name     string
	dir      string     // "" in memory
	building sync.Mutex // held by a rebuild or an Apply
	readOnly bool

	openMu  sync.Mutex
	pending string // the generation CURRENT names, until it is opened
	// closed is set by close, under building and openMu: a change or a
	// read that got the collection before Close must neither open nor
	// build a generation after it (a build would replace the collection's
	// index on disk with one that holds only the change).
	closed bool
	live   atomic.Pointer[generation]
	// users counts the reads holding the live generation, and lastUse is
	// when the last one ended; both under openMu (see idle.go).
	users   int
	lastUse time.Time
}

func newCollection(name, dir, current string) *collection {
	return &collection{name: name, dir: dir, pending: current}
}

// generation is one built index and its manifest.
type generation struct {
	name string
	dir  string
	idx  bleve.Index

	// refs counts who holds the generation: its collection while it is
	// live, and each read that acquired it. The last to let go closes the
	// index, and removes its files when a rebuild retired it (retired),
	// so a rebuild or Close never closes an index under a running search,
	// nor waits for one.
	refs    atomic.Int32
	retired atomic.Bool

	mu     sync.Mutex
	loaded bool
	man    Manifest
	listed bool
	list   Listing
}

// generation returns the live generation, opening the one CURRENT names on
// first use: a bot with a thousand servers' collections opens only those
// that are asked about. It is nil for a collection not built yet.
func (c *collection) generation() (*generation, error) {
	if g := c.live.Load(); g != nil {
		return g, nil
	}
	c.openMu.Lock()
	defer c.openMu.Unlock()
	return c.openLocked()
}

// openLocked opens the pending generation; the caller holds c.openMu.
func (c *collection) openLocked() (*generation, error) {
	if c.closed {
		return nil, ErrClosed
	}
	if g := c.live.Load(); g != nil || c.pending == "" {
		return g, nil
	}
	g := &generation{name: c.pending, dir: filepath.Join(c.dir, c.pending)}
	var idx bleve.Index
	var err error
	if c.readOnly {
		// A process writing the same files holds bolt's lock; waiting for
		// it would hang the reader, so give up after a moment.
		idx, err = bleve.OpenUsing(g.dir, map[string]any{"read_only": true, "bolt_timeout": "2s"})
	} else {
		idx, err = bleve.Open(g.dir)
	}
	if err != nil {
		return nil, fmt.Errorf("opening index %s: %w", g.dir, err)
	}
	idx.SetName(c.name)
	g.idx = idx
	g.refs.Store(1) // the collection's
	c.pending = ""
	c.live.Store(g)
	return g, nil
}

// hold takes a reference on a live generation; the caller holds the
// collection's openMu, so the collection's own reference is still there.
func (g *generation) hold() { g.refs.Add(1) }

// drop lets a reference go; the last one closes the index, and deletes
// its files if a rebuild retired it.
func (g *generation) drop() error {
	if g.refs.Add(-1) != 0 {
		return nil
	}
	err := g.idx.Close()
	if g.retired.Load() && g.dir != "" {
		err = errors.Join(err, os.RemoveAll(g.dir))
	}
	return err
}

// manifest is read from the index on first use; the returned value's
// slices are never modified, changes replace them.
func (g *generation) manifest() Manifest {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.loaded {
		if b, err := g.idx.GetInternal(manifestKey); err == nil && len(b) > 0 {
			_ = json.Unmarshal(b, &g.man)
		}
		g.loaded = true
	}
	return g.man
}

func (g *generation) setManifest(m Manifest) {
	g.mu.Lock()
	g.man, g.loaded = m, true
	g.mu.Unlock()
}

// createIndex makes a new scorch index at dir; tests replace it to fail
// half-way, as a full disk would.
var createIndex = func(dir string) (bleve.Index, error) {
	return bleve.NewUsing(dir, newMapping(), scorch.Name, scorch.Name, nil)
}

// batchSize trades memory for build speed; scorch builds one segment per batch.
const batchSize = 2000

// rebuild builds a new generation and swaps it in; the caller holds c.building.
func (c *collection) rebuild(ctx context.Context, entries []Entry, meta Meta, progress Progress) (BuildStats, error) {
	start := time.Now()
	// Open the old generation first, so that the swap below retires it;
	// after close this fails with ErrClosed, and nothing is built. An old
	// generation that will not open (damaged, emptied) is no reason to
	// refuse: a rebuild is the only repair there is, and the broken
	// directory stays named by CURRENT until the new one replaces it.
	if _, err := c.generation(); errors.Is(err, ErrClosed) {
		return BuildStats{}, err
	}
	g, stats, err := c.build(ctx, entries, meta, progress)
	if err != nil {
		return stats, err
	}
	durable := true
	if c.dir != "" {
		err := writeCurrent(c.dir, g.name)
		switch {
		case errors.Is(err, corpus.ErrNotDurable):
			// CURRENT names the new index, but a crash may bring back the
			// old name: serve the new one and keep every directory either
			// name may point at, for Open to keep the one CURRENT names
			// after a restart and remove the other.
			durable = false
		case err != nil:
			g.idx.Close()
			os.RemoveAll(g.dir)
			return stats, fmt.Errorf("switching to the new index: %w", err)
		}
	}
	g.refs.Store(1) // the collection's
	c.openMu.Lock()
	old := c.live.Swap(g)
	// Still pending means the generation CURRENT named never opened: no
	// search can hold it, so nothing waits to delete its files.
	broken := c.pending
	c.pending = ""
	c.openMu.Unlock()
	if old != nil {
		// Searches still holding the old generation finish on it; the
		// last of them closes it, and deletes its files once CURRENT
		// durably names the new one.
		old.retired.Store(durable)
		old.drop()
	}
	if broken != "" && c.dir != "" && durable {
		// Should this fail, the next Open removes it as a leftover.
		os.RemoveAll(filepath.Join(c.dir, broken))
	}
	stats.Took = time.Since(start)
	return stats, nil
}

func (c *collection) build(ctx context.Context, entries []Entry, meta Meta, progress Progress) (*generation, BuildStats, error) {
	g := &generation{name: newGenName()}
	var stats BuildStats
	var err error
	if c.dir != "" {
		if err := os.MkdirAll(c.dir, 0o755); err != nil {
			return nil, stats, err
		}
		g.dir = filepath.Join(c.dir, g.name)
		// Not scorch's unsafe_batch: Close does not wait for the batches it
		// has yet to persist, and the index would reopen empty.
		g.idx, err = createIndex(g.dir)
	} else {
		g.idx, err = bleve.NewUsing("", newMapping(), scorch.Name, scorch.Name, nil)
	}
	if err != nil {
		if g.dir != "" {
			os.RemoveAll(g.dir) // whatever bleve created before it failed
		}
		return nil, stats, fmt.Errorf("creating index: %w", err)
	}
	g.idx.SetName(c.name)
	fail := func(err error) (*generation, BuildStats, error) {
		g.idx.Close()
		if g.dir != "" {
			os.RemoveAll(g.dir)
		}
		return nil, stats, err
	}
	man := Manifest{Meta: meta, Stories: make([]StoryInfo, 0, len(entries))}
	var parts []Listing
	b := g.idx.NewBatch()
	for i, e := range entries {
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		st := e.Story
		for j := range st.Paragraphs {
			doc, err := document(st, &st.Paragraphs[j])
			if err != nil {
				return fail(err)
			}
			if err := b.Index(docID(st.ID, st.Paragraphs[j].Index), doc); err != nil {
				return fail(err)
			}
			stats.Paragraphs++
			if b.Size() >= batchSize {
				if err := g.idx.Batch(b); err != nil {
					return fail(err)
				}
				b.Reset()
			}
		}
		man.Stories = append(man.Stories, e.info(c.name))
		parts = append(parts, listingOf(st))
		stats.Stories++
		if progress != nil {
			progress(i+1, len(entries))
		}
	}
	sortInfos(man.Stories)
	man.Stories = slices.CompactFunc(man.Stories, func(a, b StoryInfo) bool { return a.ID == b.ID })
	list := Listing{}.with(nil, parts...)
	// The manifest and the listing go in the last batch: an index without
	// them was never finished, and is never named by CURRENT.
	if err := setManifest(b, man, list); err != nil {
		return fail(err)
	}
	if err := g.idx.Batch(b); err != nil {
		return fail(err)
	}
	g.setManifest(man)
	g.setListing(list)
	if g.dir == "" {
		return g, stats, nil
	}
	// Every query term is looked up in every segment, and a large build
	// leaves a dozen; one segment cuts search time by about a quarter. (A
	// memory index has no persister to merge with, and would wait forever.)
	if err := forceMerge(ctx, g.idx); err != nil {
		return fail(fmt.Errorf("merging segments: %w", err))
	}
	// Reopening proves the index on disk is whole before CURRENT names it.
	if err := g.idx.Close(); err != nil {
		return fail(err)
	}
	if g.idx, err = bleve.Open(g.dir); err != nil {
		os.RemoveAll(g.dir)
		return nil, stats, fmt.Errorf("reopening the new index: %w", err)
	}
	g.idx.SetName(c.name)
	return g, stats, nil
}

func setManifest(b *bleve.Batch, m Manifest, l Listing) error {
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	list, err := encodeListing(l)
	if err != nil {
		return err
	}
	b.SetInternal(manifestKey, data)
	b.SetInternal(listingKey, list)
	return nil
}

// close drops the collection's reference on its live generation, which
// closes it once no search holds it, and opens nothing after.
func (c *collection) close() error {
	c.building.Lock()
	defer c.building.Unlock()
	c.openMu.Lock()
	g := c.live.Swap(nil)
	c.pending, c.closed = "", true
	c.openMu.Unlock()
	if g == nil {
		return nil
	}
	return g.drop()
}

// forceMerge merges a scorch index into a single segment.
func forceMerge(ctx context.Context, idx bleve.Index) error {
	adv, err := idx.Advanced()
	if err != nil {
		return err
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	return s.ForceMerge(ctx, &mergeplan.SingleSegmentMergePlanOptions)
}
