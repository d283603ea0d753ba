package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"

	"github.com/storybot/storybot/corpus"
)

// storiesFile sits in each index directory and lists its stories, so that
// listing them never needs a search.
const storiesFile = "stories.json"

// StoryInfo describes one indexed story.
type StoryInfo struct {
	ID         string `json:"id"`
	Headline   string `json:"headline"`
	Source     string `json:"source,omitempty"`
	URL        string `json:"url,omitempty"`
	Published  string `json:"published,omitempty"`
	Paragraphs int    `json:"paragraphs"`
}

func infoOf(st *corpus.Story) StoryInfo {
	return StoryInfo{ID: st.ID, Headline: st.Headline, Source: st.Source, URL: st.URL,
		Published: st.PublishedISO(), Paragraphs: len(st.Paragraphs)}
}

// Index is the searchable set of paragraphs. Searches go through a bleve
// index alias, so a rebuild swaps in a complete new index while searches
// keep running, and no search ever sees a half-built one.
type Index struct {
	dir       string // "" for an index that lives in memory only
	alias     bleve.IndexAlias
	building  sync.Mutex // one rebuild at a time
	live      atomic.Pointer[generation]
	leftovers []string
	lock      *os.File // holds dir's lock; nil in memory
}

// generation is one built index and what it holds.
type generation struct {
	name string
	idx  bleve.Index
	dir  string

	mu      sync.Mutex // guards the story list, which AddStory and RemoveStory replace
	loaded  bool
	stories []StoryInfo
}

// storyList loads the story list on first use: start-up only opens the
// index, and a bot that is never asked for the list never reads it. The
// returned slice is never modified; changes replace it.
func (g *generation) storyList() []StoryInfo {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.loaded && g.dir != "" {
		if b, err := os.ReadFile(filepath.Join(g.dir, storiesFile)); err == nil {
			_ = json.Unmarshal(b, &g.stories)
		}
	}
	g.loaded = true
	return g.stories
}

// BuildStats summarises a build.
type BuildStats struct {
	Stories    int           `json:"stories"`
	Paragraphs int           `json:"paragraphs"`
	Took       time.Duration `json:"took_ns"`
}

// Progress is told how many stories are indexed out of how many.
type Progress func(done, total int)

// ErrBusy is returned when a rebuild is asked for while one runs.
var ErrBusy = errors.New("a rebuild is already running")

// NewMemory indexes stories in memory; nothing is written to disk.
func NewMemory(stories []*corpus.Story) (*Index, error) {
	ix := &Index{alias: bleve.NewIndexAlias()}
	if _, err := ix.Rebuild(context.Background(), stories, nil); err != nil {
		return nil, err
	}
	return ix, nil
}

// Open opens the persistent index in dir, as named by its CURRENT file,
// and removes what an interrupted rebuild left behind. It holds dir's lock
// until Close, and returns ErrLocked while another process holds it. It
// returns an Index together with ErrNoIndex when nothing was built there
// yet; Rebuild then creates one. Any other error returns no Index.
func Open(dir string) (*Index, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	ix := &Index{dir: dir, alias: bleve.NewIndexAlias(), lock: lock}
	name, err := readCurrent(dir)
	if errors.Is(err, ErrNoIndex) {
		// A crash before the first CURRENT leaves half-built indexes too.
		if ix.leftovers, err = removeLeftovers(dir, ""); err != nil {
			lock.Close()
			return nil, fmt.Errorf("cleaning up %s: %w", dir, err)
		}
		return ix, ErrNoIndex
	}
	if err != nil {
		lock.Close()
		return nil, err
	}
	if ix.leftovers, err = removeLeftovers(dir, name); err != nil {
		lock.Close()
		return nil, fmt.Errorf("cleaning up %s: %w", dir, err)
	}
	g := &generation{name: name, dir: filepath.Join(dir, name)}
	if g.idx, err = bleve.Open(g.dir); err != nil {
		lock.Close()
		return nil, fmt.Errorf("opening index %s: %w", g.dir, err)
	}
	ix.alias.Add(g.idx)
	ix.live.Store(g)
	return ix, nil
}

// OpenOrBuild opens the index in dir, building it from stories when there
// is none yet. An empty dir means a memory index.
func OpenOrBuild(dir string, stories func() ([]*corpus.Story, error)) (*Index, error) {
	if dir == "" {
		st, err := stories()
		if err != nil {
			return nil, err
		}
		return NewMemory(st)
	}
	ix, err := Open(dir)
	if !errors.Is(err, ErrNoIndex) {
		return ix, err
	}
	st, err := stories()
	if err == nil {
		_, err = ix.Rebuild(context.Background(), st, nil)
	}
	if err != nil {
		ix.Close() // and with it the directory's lock
		return nil, err
	}
	return ix, nil
}

// Leftovers lists what Open removed from an interrupted rebuild.
func (ix *Index) Leftovers() []string { return ix.leftovers }

// Dir is where the index lives, or "" in memory.
func (ix *Index) Dir() string { return ix.dir }

// Stories lists the indexed stories, sorted by ID.
func (ix *Index) Stories() []StoryInfo {
	g := ix.live.Load()
	if g == nil {
		return nil
	}
	return g.storyList()
}

// Story returns one story's description.
func (ix *Index) Story(id string) (StoryInfo, bool) {
	list := ix.Stories()
	if i, ok := findStory(list, id); ok {
		return list[i], true
	}
	return StoryInfo{}, false
}

// Rebuild indexes stories into a new index and swaps it in. The old index
// serves every search until the swap and is deleted after it; if the build
// fails, the old index stays live and the partial one is removed.
func (ix *Index) Rebuild(ctx context.Context, stories []*corpus.Story, progress Progress) (BuildStats, error) {
	if !ix.building.TryLock() {
		return BuildStats{}, ErrBusy
	}
	defer ix.building.Unlock()
	start := time.Now()
	g, stats, err := ix.build(ctx, stories, progress)
	if err != nil {
		return stats, err
	}
	if ix.dir != "" {
		if err := writeCurrent(ix.dir, g.name); err != nil {
			g.idx.Close()
			os.RemoveAll(g.dir)
			return stats, fmt.Errorf("switching to the new index: %w", err)
		}
	}
	old := ix.live.Swap(g)
	if old == nil {
		ix.alias.Add(g.idx)
	} else {
		// Swap waits for running searches on the old index to finish.
		ix.alias.Swap([]bleve.Index{g.idx}, []bleve.Index{old.idx})
		old.idx.Close()
		if old.dir != "" {
			os.RemoveAll(old.dir)
		}
	}
	stats.Took = time.Since(start)
	return stats, nil
}

// batchSize trades memory for build speed; scorch builds one segment per batch.
const batchSize = 2000

func (ix *Index) build(ctx context.Context, stories []*corpus.Story, progress Progress) (*generation, BuildStats, error) {
	g := &generation{name: newGenName()}
	var stats BuildStats
	var err error
	if ix.dir != "" {
		g.dir = filepath.Join(ix.dir, g.name)
		// Not scorch's unsafe_batch: Close does not wait for the batches it
		// has yet to persist, and the index would reopen empty.
		g.idx, err = bleve.NewUsing(g.dir, newMapping(), scorch.Name, scorch.Name, nil)
	} else {
		g.idx, err = bleve.NewUsing("", newMapping(), scorch.Name, scorch.Name, nil)
	}
	if err != nil {
		return nil, stats, fmt.Errorf("creating index: %w", err)
	}
	fail := func(err error) (*generation, BuildStats, error) {
		g.idx.Close()
		if g.dir != "" {
			os.RemoveAll(g.dir)
		}
		return nil, stats, err
	}
	b := g.idx.NewBatch()
	for i, st := range stories {
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
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
		g.stories = append(g.stories, infoOf(st))
		stats.Stories++
		if progress != nil {
			progress(i+1, len(stories))
		}
	}
	if err := g.idx.Batch(b); err != nil {
		return fail(err)
	}
	sort.Slice(g.stories, func(i, j int) bool { return g.stories[i].ID < g.stories[j].ID })
	g.loaded = true
	if err := g.saveStoryList(); err != nil {
		return fail(err)
	}
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
	return g, stats, nil
}

// saveStoryList writes the story list beside the index; the caller holds
// g.mu or is the only user of g.
func (g *generation) saveStoryList() error {
	if g.dir == "" {
		return nil
	}
	list, err := json.Marshal(g.stories)
	if err != nil {
		return err
	}
	return corpus.WriteFileAtomic(filepath.Join(g.dir, storiesFile), list, 0o644)
}

// Close closes the live index; searches after it fail.
func (ix *Index) Close() error {
	ix.building.Lock()
	defer ix.building.Unlock()
	err := ix.alias.Close()
	if g := ix.live.Swap(nil); g != nil {
		err = errors.Join(err, g.idx.Close())
	}
	if ix.lock != nil {
		err = errors.Join(err, ix.lock.Close())
		ix.lock = nil
	}
	return err
}

// Live reports whether an index is open and serving.
func (ix *Index) Live() bool { return ix.live.Load() != nil }

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
