package library

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

// The file store keeps each collection in a folder of the corpus
// directory: the shared library at its top, each server's collection
// below _servers, and removed stories below _removed, one folder per
// removal, until they are purged.
const (
	serversDir = "_servers"
	removedDir = "_removed"
	// removalMeta sits beside a removed story and says who removed it.
	removalMeta = ".removal.json"
)

// Files is the embedded default store: story files in a directory, no
// server to run. Changes take a flock on a file at its top, so a
// 'storybot add' beside the running bot is ordered with the bot's own.
type Files struct {
	// PollEvery is how often Watch looks for changes (default 10s).
	PollEvery time.Duration

	root string
	mu   sync.Mutex // one change at a time
	now  func() time.Time

	// seen maps each collection's IDs to paths as the last listing found
	// them, so reading every story of a listing walks the folder once.
	seenMu sync.Mutex
	seen   map[string]map[string]string
}

// NewFiles opens the file store at root, creating the directory.
func NewFiles(root string) (*Files, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, err
	}
	return &Files{root: root, now: time.Now}, nil
}

// lock orders changes: within this process, and with other processes.
func (f *Files) lock() (func(), error) {
	f.mu.Lock()
	unlock, err := lockDir(f.root)
	if err != nil {
		f.mu.Unlock()
		return nil, fmt.Errorf("locking the stories: %w", err)
	}
	return func() { unlock(); f.mu.Unlock() }, nil
}

// Root is the corpus directory.
func (f *Files) Root() string { return f.root }

func (f *Files) dir(col string) (string, error) {
	if !index.ValidCollection(col) {
		return "", fmt.Errorf("%q is not a collection name", col)
	}
	if col == index.Shared {
		return f.root, nil
	}
	return filepath.Join(f.root, serversDir, col), nil
}

func (f *Files) trashDir(col string) string { return filepath.Join(f.root, removedDir, col) }

// Collections lists the shared library and every server folder.
func (f *Files) Collections(ctx context.Context) ([]string, error) {
	cols := []string{index.Shared}
	entries, err := os.ReadDir(filepath.Join(f.root, serversDir))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for _, e := range entries {
		if e.IsDir() && index.ValidCollection(e.Name()) && e.Name() != index.Shared {
			cols = append(cols, e.Name())
		}
	}
	sort.Strings(cols)
	return cols, nil
}

// fileStory is one story file and the ID LoadDir gives it.
type fileStory struct {
	meta StoryMeta
	rel  string // slash-separated, below the collection's folder
}

// list walks a collection's folder. The fingerprint is the file's size and
// modification time: every save replaces the file, so a change of text is
// a change of fingerprint, and nothing has to be read to tell.
func (f *Files) list(col string) ([]fileStory, error) {
	dir, err := f.dir(col)
	if err != nil {
		return nil, err
	}
	var out []fileStory
	var paths []string
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == dir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return nil // an unreadable entry is reported when read
		}
		rel, _ := filepath.Rel(dir, path)
		if d.IsDir() {
			if path != dir && (strings.HasPrefix(d.Name(), ".") ||
				(col == index.Shared && (rel == serversDir || rel == removedDir || rel == feedbackDir || rel == settingsDir || rel == feedsDir))) {
				return fs.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") || !corpus.IsStoryFile(d.Name()) || !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		rel = filepath.ToSlash(rel)
		paths = append(paths, rel)
		out = append(out, fileStory{rel: rel, meta: StoryMeta{
			Fingerprint: fileFingerprint(info),
			Bytes:       info.Size(),
		}})
		return nil
	})
	if err != nil {
		return nil, err
	}
	seen := make(map[string]string, len(out))
	for i, id := range corpus.StoryIDs(paths) {
		out[i].meta.ID = id
		seen[id] = out[i].rel
	}
	sort.Slice(out, func(i, j int) bool { return out[i].meta.ID < out[j].meta.ID })
	f.seenMu.Lock()
	if f.seen == nil {
		f.seen = map[string]map[string]string{}
	}
	f.seen[col] = seen
	f.seenMu.Unlock()
	return out, nil
}

// Snapshot lists a collection's stories. Files carry no version: only this
// process changes them, and it compares fingerprints instead.
func (f *Files) Snapshot(ctx context.Context, col string) (index.Meta, []StoryMeta, error) {
	list, err := f.list(col)
	if err != nil {
		return index.Meta{}, nil, err
	}
	out := make([]StoryMeta, len(list))
	for i, s := range list {
		out[i] = s.meta
	}
	return index.Meta{}, out, nil
}

func (f *Files) find(col, id string) (fileStory, string, error) {
	list, err := f.list(col)
	if err != nil {
		return fileStory{}, "", err
	}
	dir, _ := f.dir(col)
	for _, s := range list {
		if s.meta.ID == id {
			return s, filepath.Join(dir, filepath.FromSlash(s.rel)), nil
		}
	}
	return fileStory{}, "", fmt.Errorf("%w: %s", ErrNotFound, id)
}

// Read returns a story file's content, within the size limit. An ID is
// the file's path in its folder, except for a file in a subfolder whose
// name no other file has, which is found by a walk.
func (f *Files) Read(ctx context.Context, col, id string) ([]byte, string, error) {
	if err := corpus.CheckID(id); err != nil {
		return nil, "", fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	dir, err := f.dir(col)
	if err != nil {
		return nil, "", err
	}
	f.seenMu.Lock()
	rel, ok := f.seen[col][id]
	f.seenMu.Unlock()
	if !ok {
		rel = id
	}
	path := filepath.Join(dir, filepath.FromSlash(rel))
	if info, err := os.Lstat(path); err != nil || !info.Mode().IsRegular() {
		if _, path, err = f.find(col, id); err != nil {
			return nil, "", err
		}
	}
	return readLimited(path)
}

// readLimited reads a file and fingerprints what it read, from the file
// it opened: a save renames a new file into place, so the opened one is
// the text read, whatever replaces it meanwhile.
func readLimited(path string) ([]byte, string, error) {
	fd, err := os.Open(path)
	if err != nil {
		return nil, "", err
	}
	defer fd.Close()
	info, err := fd.Stat()
	if err != nil {
		return nil, "", err
	}
	if info.Size() > corpus.MaxFileSize {
		return nil, "", corpus.ErrTooLarge
	}
	data, err := io.ReadAll(io.LimitReader(fd, corpus.MaxFileSize+1))
	if err != nil {
		return nil, "", err
	}
	return data, fileFingerprint(info), nil
}

// fileFingerprint is a file's size and modification time.
func fileFingerprint(info fs.FileInfo) string {
	return "f" + strconv.FormatInt(info.Size(), 10) + "-" + strconv.FormatInt(info.ModTime().UnixNano(), 10)
}

func usageOf(list []fileStory) Usage {
	u := Usage{Stories: len(list)}
	for _, s := range list {
		u.Bytes += s.meta.Bytes
	}
	return u
}

// Put writes the story by write-then-rename. A story it replaces is first
// hard-linked among the removed, so that at every moment the old text is
// either live or restorable.
func (f *Files) Put(ctx context.Context, col, name string, data []byte, by Actor, q Quota) (PutResult, error) {
	return f.put(col, name, data, by, q, false)
}

// put is Put, for a feed's story when feed is set (feeds_files.go).
func (f *Files) put(col, name string, data []byte, by Actor, q Quota, feed bool) (PutResult, error) {
	if err := corpus.CheckID(name); err != nil || strings.Contains(name, "/") {
		return PutResult{}, fmt.Errorf("%w: %q", corpus.ErrBadName, name)
	}
	unlock, err := f.lock()
	if err != nil {
		return PutResult{}, err
	}
	defer unlock()
	list, err := f.list(col)
	if err != nil {
		return PutResult{}, err
	}
	dir, _ := f.dir(col)
	var old *fileStory
	for i := range list {
		if list[i].rel == name {
			old = &list[i]
		}
	}
	var oldBytes int64
	if old != nil {
		oldBytes = old.meta.Bytes
	}
	if err := q.admit(usageOf(list), old != nil, oldBytes, int64(len(data))); err != nil {
		return PutResult{}, err
	}
	path := filepath.Join(dir, name)
	if old != nil {
		if _, err := f.keep(col, old.rel, path, by, true, false); err != nil {
			return PutResult{}, fmt.Errorf("keeping the replaced story: %w", err)
		}
	}
	crashPoint("files.put.kept")
	// A moderator's story is unmarked before it is written and a feed's
	// marked after, so a crash between leaves a story that is never
	// retired rather than a moderator's that may be.
	if !feed {
		if err := f.unmarkFeed(col, name); err != nil {
			return PutResult{}, err
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return PutResult{}, err
	}
	if err := corpus.WriteFileAtomic(path, data, 0o644); err != nil {
		return PutResult{}, err
	}
	crashPoint("files.put.written")
	if feed {
		if err := f.markFeed(col, name); err != nil {
			return PutResult{}, fmt.Errorf("marking the story as the feed's: %w", err)
		}
	}
	info, err := os.Stat(path)
	if err != nil {
		return PutResult{}, err
	}
	meta := StoryMeta{ID: name, Bytes: info.Size(), Fingerprint: fileFingerprint(info)}
	return PutResult{Story: meta, Replaced: old != nil}, nil
}

// keep files the story at path (rel below its collection) among the
// removed: by hard link when the story stays live (a replace, or the live
// story a restore displaces), else by rename. The removal's record is
// written first, so a crash leaves at most a record with no story, which
// Purge clears.
func (f *Files) keep(col, rel, path string, by Actor, replaced, move bool) (Removed, error) {
	info, err := os.Stat(path)
	if err != nil {
		return Removed{}, err
	}
	key := f.newKey()
	kdir := filepath.Join(f.trashDir(col), key)
	r := Removed{Key: key, ID: rel, Bytes: info.Size(), At: f.now().UTC(), By: by.String(), Replace: replaced}
	meta, _ := json.Marshal(r)
	if err := os.MkdirAll(filepath.Dir(filepath.Join(kdir, filepath.FromSlash(rel))), 0o755); err != nil {
		return Removed{}, err
	}
	if err := corpus.WriteFileAtomic(filepath.Join(kdir, removalMeta), meta, 0o644); err != nil {
		return Removed{}, err
	}
	dst := filepath.Join(kdir, filepath.FromSlash(rel))
	if move {
		err = os.Rename(path, dst)
	} else if err = os.Link(path, dst); err != nil {
		// A file system without hard links gets a copy.
		var data []byte
		if data, err = os.ReadFile(path); err == nil {
			err = corpus.WriteFileAtomic(dst, data, 0o644)
		}
	}
	if err != nil {
		os.RemoveAll(kdir)
		return Removed{}, err
	}
	if err := syncDirs(filepath.Dir(dst), filepath.Dir(path)); err != nil {
		return Removed{}, err
	}
	return r, nil
}

// newKey names a removal: sortable by time, and short.
func (f *Files) newKey() string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	return f.now().UTC().Format("20060102T150405.000000") + "-" + hex.EncodeToString(b[:])
}

// Remove moves the story among the removed, in one rename.
func (f *Files) Remove(ctx context.Context, col, id string, by Actor) (Removed, error) {
	unlock, err := f.lock()
	if err != nil {
		return Removed{}, err
	}
	defer unlock()
	return f.removeLocked(col, id, by)
}

// removeLocked is Remove for a caller that holds the lock.
func (f *Files) removeLocked(col, id string, by Actor) (Removed, error) {
	s, path, err := f.find(col, id)
	if err != nil {
		return Removed{}, err
	}
	// Unmarked first: a crash between the two leaves a feed's story that
	// is never retired, never a marker that would make whatever is next
	// saved under the name retirable.
	if err := f.unmarkFeed(col, s.rel); err != nil {
		return Removed{}, err
	}
	r, err := f.keep(col, s.rel, path, by, false, true)
	if err != nil {
		return Removed{}, err
	}
	r.ID = s.meta.ID
	return r, nil
}

// removal is one folder below _removed/COL.
type removal struct {
	Removed
	rel  string
	path string // the story file
	kdir string
}

func (f *Files) removals(col string) ([]removal, error) {
	tdir := f.trashDir(col)
	entries, err := os.ReadDir(tdir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []removal
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		kdir := filepath.Join(tdir, e.Name())
		var r removal
		r.kdir = kdir
		if b, err := os.ReadFile(filepath.Join(kdir, removalMeta)); err == nil {
			_ = json.Unmarshal(b, &r.Removed)
		}
		r.Key = e.Name()
		// The story is the folder's one story file: a crash while the
		// record or a copy was being written leaves a hidden temporary
		// file, which is neither the story nor restorable.
		_ = filepath.WalkDir(kdir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() && !strings.HasPrefix(d.Name(), ".") && corpus.IsStoryFile(d.Name()) && r.path == "" {
				r.path = p
				rel, _ := filepath.Rel(kdir, p)
				r.rel = filepath.ToSlash(rel)
			}
			return nil
		})
		if r.ID == "" {
			r.ID = r.rel
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key > out[j].Key })
	return out, nil
}

// Removed lists the restorable stories, newest first.
func (f *Files) Removed(ctx context.Context, col string) ([]Removed, error) {
	rs, err := f.removals(col)
	if err != nil {
		return nil, err
	}
	var out []Removed
	for _, r := range rs {
		if r.path != "" {
			out = append(out, r.Removed)
		}
	}
	return out, nil
}

// Restore renames a removed story back into place. A live story of the
// same ID is linked among the removed first.
func (f *Files) Restore(ctx context.Context, col, ref string, by Actor, q Quota) (Removed, error) {
	unlock, err := f.lock()
	if err != nil {
		return Removed{}, err
	}
	defer unlock()
	rs, err := f.removals(col)
	if err != nil {
		return Removed{}, err
	}
	var r *removal
	for i := range rs {
		if rs[i].path != "" && (rs[i].Key == ref || rs[i].ID == ref || rs[i].rel == ref) {
			r = &rs[i]
			break
		}
	}
	if r == nil {
		return Removed{}, fmt.Errorf("%w among the removed stories: %s", ErrNotFound, ref)
	}
	list, err := f.list(col)
	if err != nil {
		return Removed{}, err
	}
	dir, _ := f.dir(col)
	target := filepath.Join(dir, filepath.FromSlash(r.rel))
	var live *fileStory
	for i := range list {
		if list[i].rel == r.rel {
			live = &list[i]
		}
	}
	var liveBytes int64
	if live != nil {
		liveBytes = live.meta.Bytes
	}
	if err := q.admit(usageOf(list), live != nil, liveBytes, r.Bytes); err != nil {
		return Removed{}, err
	}
	if live != nil {
		if _, err := f.keep(col, live.rel, target, by, true, false); err != nil {
			return Removed{}, fmt.Errorf("keeping the story it replaces: %w", err)
		}
	}
	crashPoint("files.restore.kept")
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return Removed{}, err
	}
	if err := os.Rename(r.path, target); err != nil {
		return Removed{}, err
	}
	if err := syncDirs(filepath.Dir(target), filepath.Dir(r.path)); err != nil {
		return Removed{}, err
	}
	crashPoint("files.restore.renamed")
	// A restored story is the moderator's, even one a feed brought (its
	// removal dropped the marker); this clears one a crash left behind.
	_ = f.unmarkFeed(col, r.rel)
	os.RemoveAll(r.kdir)
	return r.Removed, nil
}

// Purge removes removals older than before, folders a crash left without
// a story, and the oldest removals beyond a collection's quota.
func (f *Files) Purge(ctx context.Context, before time.Time, quota func(string) Quota) (int, error) {
	unlock, err := f.lock()
	if err != nil {
		return 0, err
	}
	defer unlock()
	entries, err := os.ReadDir(filepath.Join(f.root, removedDir))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, e := range entries {
		if !e.IsDir() || !index.ValidCollection(e.Name()) {
			continue
		}
		rs, err := f.removals(e.Name())
		if err != nil {
			errs = append(errs, err)
			continue
		}
		q := quota(e.Name())
		var kept Usage
		for _, r := range rs { // newest first
			stale := r.path == "" || (!r.At.IsZero() && r.At.Before(before))
			if !stale {
				kept.Stories++
				kept.Bytes += r.Bytes
				stale = (q.Stories > 0 && kept.Stories > q.Stories) || (q.Bytes > 0 && kept.Bytes > q.Bytes)
			}
			if stale {
				if err := os.RemoveAll(r.kdir); err != nil {
					errs = append(errs, err)
					continue
				}
				n++
			}
		}
	}
	return n, errors.Join(errs...)
}

// Reindex needs no bookkeeping: one process owns the files.
func (f *Files) Reindex(ctx context.Context, col string) (index.Meta, error) {
	_, err := f.dir(col)
	return index.Meta{}, err
}

// Audit leaves the log line as the record.
func (f *Files) Audit(ctx context.Context, e AuditEntry) error { return nil }

// Watch looks at the files every PollEvery for changes made by another
// process, such as 'storybot add' beside the running bot, which cannot
// take the index the bot holds. It compares the names and fingerprints
// of each collection's files, reading nothing.
func (f *Files) Watch(ctx context.Context, notify func(string)) error {
	every := f.PollEvery
	if every <= 0 {
		every = 10 * time.Second
	}
	last := map[string]string{}
	look := func() map[string]string {
		now := map[string]string{}
		cols, err := f.Collections(ctx)
		if err != nil {
			return last
		}
		for _, col := range cols {
			list, err := f.list(col)
			if err != nil {
				now[col] = last[col]
				continue
			}
			h := sha256.New()
			for _, s := range list {
				fmt.Fprintf(h, "%s\x00%s\x00", s.meta.ID, s.meta.Fingerprint)
			}
			now[col] = hex.EncodeToString(h.Sum(nil))
		}
		return now
	}
	last = look()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		now := look()
		for col, sum := range now {
			if last[col] != sum {
				notify(col)
			}
		}
		last = now
	}
}

// Close does nothing; the files need no closing.
func (f *Files) Close() error { return nil }

func syncDirs(dirs ...string) error {
	for _, d := range dirs {
		fd, err := os.Open(d)
		if err != nil {
			return err
		}
		err = fd.Sync()
		fd.Close()
		if err != nil {
			return err
		}
	}
	return nil
}
