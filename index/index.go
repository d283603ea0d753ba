package index

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/storybot/storybot/corpus"
)

// Shared is the shared library's collection: the operator's stories, which
// every server and every direct message may read.
const Shared = "shared"

// Scope is the collections one read may see, in order of precedence: a
// story in an earlier collection hides a story of the same ID in a later
// one. An empty Scope is the shared library alone, so a read that forgets
// its scope can only ever show what everybody may see.
type Scope []string

func (s Scope) names() []string {
	if len(s) == 0 {
		return []string{Shared}
	}
	return s
}

// ValidCollection reports whether name can name a collection: the shared
// library, or a Discord server's ID. Collection names become directory
// names, so nothing else is let through.
func ValidCollection(name string) bool {
	if name == Shared {
		return true
	}
	if len(name) == 0 || len(name) > 20 {
		return false
	}
	_, err := strconv.ParseUint(name, 10, 64)
	return err == nil
}

// StoryInfo describes one indexed story.
type StoryInfo struct {
	Collection string `json:"collection,omitempty"`
	ID         string `json:"id"`
	Headline   string `json:"headline"`
	Source     string `json:"source,omitempty"`
	URL        string `json:"url,omitempty"`
	Published  string `json:"published,omitempty"`
	Paragraphs int    `json:"paragraphs"`
	// Fingerprint and Bytes are the store's, for telling a changed story
	// from an unchanged one without reading it again.
	Fingerprint string `json:"fingerprint,omitempty"`
	Bytes       int64  `json:"bytes,omitempty"`
}

// Entry is one story to index, with the store's fingerprint of its text.
type Entry struct {
	Story       *corpus.Story
	Fingerprint string
	Bytes       int64
}

func (e Entry) info(col string) StoryInfo {
	st := e.Story
	return StoryInfo{Collection: col, ID: st.ID, Headline: st.Headline, Source: st.Source, URL: st.URL,
		Published: st.PublishedISO(), Paragraphs: len(st.Paragraphs), Fingerprint: e.Fingerprint, Bytes: e.Bytes}
}

// Entries wraps stories that have no store behind them (the built-in story,
// tests) as entries.
func Entries(stories []*corpus.Story) []Entry {
	out := make([]Entry, len(stories))
	for i, st := range stories {
		out[i] = Entry{Story: st}
	}
	return out
}

// Index is the searchable set of paragraphs, one bleve index per
// collection. bleve's term statistics are per index, so a server's answers
// depend on its own stories and the shared library's, never on another
// server's. A rebuild swaps in a complete new index while searches keep
// running: each search holds the generation it started on until it ends.
type Index struct {
	dir       string // "" for an index that lives in memory only
	lock      *os.File
	leftovers []string

	mu     sync.RWMutex
	cols   map[string]*collection
	closed atomic.Bool
	// readOnly is an index on a volume this process cannot write: it
	// answers, and every change fails with ErrReadOnly.
	readOnly bool
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

// ErrClosed is returned by every use of a closed index.
var ErrClosed = errors.New("the index is closed")

// ErrReadOnly is returned by changes to an index opened read-only.
var ErrReadOnly = errors.New("the index is read-only here")

// NewMemory indexes stories into the shared library in memory; nothing is
// written to disk. More collections can be added with Rebuild and Apply.
func NewMemory(stories []*corpus.Story) (*Index, error) {
	ix := &Index{cols: map[string]*collection{}}
	if _, err := ix.Rebuild(context.Background(), Shared, Entries(stories), Meta{}, nil); err != nil {
		return nil, err
	}
	return ix, nil
}

// Open opens the persistent index in dir: one folder per collection below
// dir/collections, each opened on first use. It removes what an
// interrupted rebuild left behind, and holds dir's lock until Close;
// another process holding it gets ErrLocked.
//
// A directory this process cannot write (a read-only volume) is opened
// read-only: without the lock, which cannot be taken there, and without
// removing anything; it answers, and changes fail with ErrReadOnly.
func Open(dir string) (*Index, error) {
	if err := os.MkdirAll(filepath.Join(dir, collectionsDir), 0o755); err != nil {
		if !unwritable(err) {
			return nil, err
		}
		return openReadOnly(dir)
	}
	lock, err := lockDir(dir)
	if unwritable(err) {
		return openReadOnly(dir)
	}
	if err != nil {
		return nil, err
	}
	ix := &Index{dir: dir, lock: lock, cols: map[string]*collection{}}
	fail := func(err error) (*Index, error) {
		lock.Close()
		return nil, err
	}
	// The layout before collections kept one index at the top; the stores
	// rebuild it per collection.
	if ix.leftovers, err = removeLeftovers(dir, "", true); err != nil {
		return fail(fmt.Errorf("cleaning up %s: %w", dir, err))
	}
	entries, err := os.ReadDir(filepath.Join(dir, collectionsDir))
	if err != nil {
		return fail(err)
	}
	for _, e := range entries {
		name := e.Name()
		cdir := filepath.Join(dir, collectionsDir, name)
		if !e.IsDir() || !ValidCollection(name) {
			continue
		}
		current, err := readCurrent(cdir)
		if errors.Is(err, ErrNoIndex) {
			// A crash before the collection's first CURRENT.
			if err := os.RemoveAll(cdir); err != nil {
				return fail(err)
			}
			ix.leftovers = append(ix.leftovers, filepath.Join(collectionsDir, name))
			continue
		}
		if err != nil {
			return fail(err)
		}
		removed, err := removeLeftovers(cdir, current, false)
		if err != nil {
			return fail(fmt.Errorf("cleaning up %s: %w", cdir, err))
		}
		for _, r := range removed {
			ix.leftovers = append(ix.leftovers, filepath.Join(collectionsDir, name, r))
		}
		ix.cols[name] = newCollection(name, cdir, current)
	}
	return ix, nil
}

// openReadOnly opens every collection CURRENT names, changing nothing.
func openReadOnly(dir string) (*Index, error) {
	ix := &Index{dir: dir, cols: map[string]*collection{}, readOnly: true}
	entries, err := os.ReadDir(filepath.Join(dir, collectionsDir))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for _, e := range entries {
		if !e.IsDir() || !ValidCollection(e.Name()) {
			continue
		}
		cdir := filepath.Join(dir, collectionsDir, e.Name())
		current, err := readCurrent(cdir)
		if errors.Is(err, ErrNoIndex) {
			continue
		}
		if err != nil {
			return nil, err
		}
		c := newCollection(e.Name(), cdir, current)
		c.readOnly = true
		ix.cols[e.Name()] = c
	}
	return ix, nil
}

// unwritable reports whether err says the directory cannot be written.
func unwritable(err error) bool {
	return errors.Is(err, syscall.EROFS) || errors.Is(err, fs.ErrPermission)
}

// ReadOnly reports whether the index was opened read-only.
func (ix *Index) ReadOnly() bool { return ix.readOnly }

// Leftovers lists what Open removed from interrupted rebuilds.
func (ix *Index) Leftovers() []string { return ix.leftovers }

// Dir is where the index lives, or "" in memory.
func (ix *Index) Dir() string { return ix.dir }

// Collections lists the collections this index holds, sorted.
func (ix *Index) Collections() []string {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	names := make([]string, 0, len(ix.cols))
	for n := range ix.cols {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// collection returns the named collection, creating an empty one (not yet
// built) when create is set.
func (ix *Index) collection(name string, create bool) (*collection, error) {
	if ix.closed.Load() {
		return nil, ErrClosed
	}
	ix.mu.RLock()
	c := ix.cols[name]
	ix.mu.RUnlock()
	if c != nil || !create {
		return c, nil
	}
	if !ValidCollection(name) {
		return nil, fmt.Errorf("%q is not a collection name", name)
	}
	if ix.readOnly {
		return nil, ErrReadOnly
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if c = ix.cols[name]; c == nil {
		dir := ""
		if ix.dir != "" {
			dir = filepath.Join(ix.dir, collectionsDir, name)
		}
		c = newCollection(name, dir, "")
		ix.cols[name] = c
	}
	return c, nil
}

// Manifest is what one collection's index holds and which store version
// it reflects.
func (ix *Index) Manifest(col string) (Manifest, bool) {
	c, err := ix.collection(col, false)
	if err != nil || c == nil {
		return Manifest{}, false
	}
	g, release, err := c.acquire()
	defer release()
	if err != nil || g == nil {
		return Manifest{}, false
	}
	return g.manifest(), true
}

// Stories lists the stories a scope sees, sorted by ID. A story hidden by
// one of the same ID earlier in the scope is left out.
func (ix *Index) Stories(scope Scope) []StoryInfo {
	var out []StoryInfo
	seen := map[string]bool{}
	for _, name := range scope.names() {
		m, ok := ix.Manifest(name)
		if !ok {
			continue
		}
		for _, s := range m.Stories {
			if !seen[s.ID] {
				seen[s.ID] = true
				out = append(out, s)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Story finds one story in a scope.
func (ix *Index) Story(scope Scope, id string) (StoryInfo, bool) {
	for _, name := range scope.names() {
		m, ok := ix.Manifest(name)
		if !ok {
			continue
		}
		if info, ok := m.story(id); ok {
			return info, true
		}
	}
	return StoryInfo{}, false
}

// Rebuild indexes entries into a new index for the collection and swaps it
// in. The old index serves every search that started before the swap, and
// is closed and deleted when the last of them ends; if the build fails, the old index stays live and the partial
// one is removed at once. An old index that will not open is replaced
// all the same, since rebuilding is how a damaged one is repaired.
func (ix *Index) Rebuild(ctx context.Context, col string, entries []Entry, meta Meta, progress Progress) (BuildStats, error) {
	c, err := ix.collection(col, true)
	if err != nil {
		return BuildStats{}, err
	}
	if c.readOnly {
		return BuildStats{}, ErrReadOnly
	}
	if !c.building.TryLock() {
		return BuildStats{}, ErrBusy
	}
	defer c.building.Unlock()
	return c.rebuild(ctx, entries, meta, progress)
}

// Close closes every collection; searches after it fail.
func (ix *Index) Close() error {
	if ix.closed.Swap(true) {
		return nil
	}
	ix.mu.Lock()
	cols := ix.cols
	ix.cols = map[string]*collection{}
	ix.mu.Unlock()
	var errs []error
	for _, c := range cols {
		errs = append(errs, c.close())
	}
	if ix.lock != nil {
		errs = append(errs, ix.lock.Close())
		ix.lock = nil
	}
	return errors.Join(errs...)
}

// Live reports whether the index is open and serving.
func (ix *Index) Live() bool { return !ix.closed.Load() }

// Size is the number of stories and paragraphs in every collection.
func (ix *Index) Size() (stories, paragraphs int) {
	for _, name := range ix.Collections() {
		m, _ := ix.Manifest(name)
		stories += len(m.Stories)
		for _, s := range m.Stories {
			paragraphs += s.Paragraphs
		}
	}
	return stories, paragraphs
}

// story finds one story of the manifest. A generation's manifest is
// replaced, never changed, by an update, so looking up in the one value
// read is safe while a change is applied.
func (m Manifest) story(id string) (StoryInfo, bool) {
	if i, ok := findStory(m.Stories, id); ok {
		return m.Stories[i], true
	}
	return StoryInfo{}, false
}

func findStory(list []StoryInfo, id string) (int, bool) {
	i := sort.Search(len(list), func(i int) bool { return list[i].ID >= id })
	return i, i < len(list) && list[i].ID == id
}

func sortInfos(l []StoryInfo) {
	slices.SortFunc(l, func(a, b StoryInfo) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
}
