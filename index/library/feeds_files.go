package library

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

// The file store keeps feeds below _feeds in the corpus directory: the
// follows in one file, each feed's poll state (with the keys of the items
// it brought) in a file of its own, the items delivered to each follower
// by a poll not yet saved in a file per feed and collection, and one small
// file per story thread.
// A flock on _feeds/LOCK orders the changes, so 'storybot follow' beside
// the running bot loses nothing. An empty file _feeds/stories/COL/NAME
// marks story NAME of COL as one a feed brought, the only kind the quota
// retires; it is written and removed under the stories' lock, and the
// listing of the shared library skips _feeds, so a marker is never taken
// for a story.
const feedsDir = "_feeds"

// feedMarker is the file that marks story rel of col as a feed's.
func (f *Files) feedMarker(col, rel string) string {
	return f.feedsPath("stories", col, filepath.FromSlash(rel))
}

func (f *Files) markFeed(col, rel string) error {
	return writeFileIn(f.feedMarker(col, rel), nil)
}

func (f *Files) unmarkFeed(col, rel string) error { return removeFile(f.feedMarker(col, rel)) }

// removeFile removes path; one that is not there is no error.
func removeFile(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func (f *Files) isFeedStory(col, rel string) bool {
	info, err := os.Lstat(f.feedMarker(col, rel))
	return err == nil && info.Mode().IsRegular()
}

func writeFileIn(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return corpus.WriteFileAtomic(path, data, 0o644)
}

// PutFeedStory is Put, marking the story as the feed's.
func (f *Files) PutFeedStory(ctx context.Context, col, name string, data []byte, by Actor, q Quota) (PutResult, error) {
	if _, err := f.dir(col); err != nil {
		return PutResult{}, err
	}
	return f.put(col, name, data, by, q, true)
}

type feedFile struct {
	State FeedState `json:"state"`
	// Seen maps each item key to when the feed last carried it.
	Seen map[string]time.Time `json:"seen,omitempty"`
}

func (f *Files) feedsPath(parts ...string) string {
	return filepath.Join(append([]string{f.root, feedsDir}, parts...)...)
}

func feedKey(url string) string {
	h := sha256.Sum256([]byte(url))
	return hex.EncodeToString(h[:12])
}

// lockFeeds takes the feed files' lock.
func (f *Files) lockFeeds() (func(), error) {
	if err := os.MkdirAll(f.feedsPath(), 0o755); err != nil {
		return nil, err
	}
	return lockFile(f.feedsPath("LOCK"))
}

func readJSON(path string, v any) (bool, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("%s: %w", path, err)
	}
	return true, nil
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return writeFileIn(path, append(b, '\n'))
}

func (f *Files) follows() ([]Follow, error) {
	var list []Follow
	_, err := readJSON(f.feedsPath("follows.json"), &list)
	return list, err
}

func (f *Files) feedFile(url string) (feedFile, bool, error) {
	var ff feedFile
	ok, err := readJSON(f.feedsPath("state", feedKey(url)+".json"), &ff)
	return ff, ok, err
}

func (f *Files) Follow(ctx context.Context, fl Follow, limit int) (bool, error) {
	if !index.ValidCollection(fl.Collection) {
		return false, fmt.Errorf("%q is not a collection name", fl.Collection)
	}
	unlock, err := f.lockFeeds()
	if err != nil {
		return false, err
	}
	defer unlock()
	list, err := f.follows()
	if err != nil {
		return false, err
	}
	n := 0
	for i, old := range list {
		if old.Collection != fl.Collection {
			continue
		}
		if old.URL == fl.URL {
			list[i].Channel = fl.Channel
			return false, writeJSON(f.feedsPath("follows.json"), list)
		}
		n++
	}
	if limit > 0 && n >= limit {
		return false, fmt.Errorf("%w (%d)", ErrFeedLimit, limit)
	}
	fl.Primed = false
	ff, ok, err := f.feedFile(fl.URL)
	if err != nil {
		return false, err
	}
	if !ok {
		ff.State = FeedState{URL: fl.URL, NextPoll: fl.At}
	} else if ff.State.NextPoll.After(fl.At) && ff.State.Holder == "" {
		// The new follower's first poll should not wait for the others'.
		ff.State.NextPoll = fl.At
	}
	if err := writeJSON(f.feedsPath("state", feedKey(fl.URL)+".json"), ff); err != nil {
		return false, err
	}
	return true, writeJSON(f.feedsPath("follows.json"), append(list, fl))
}

func (f *Files) Unfollow(ctx context.Context, col, url string) error {
	unlock, err := f.lockFeeds()
	if err != nil {
		return err
	}
	defer unlock()
	list, err := f.follows()
	if err != nil {
		return err
	}
	var keep []Follow
	found, others := false, false
	for _, fl := range list {
		switch {
		case fl.Collection == col && fl.URL == url:
			found = true
		case fl.URL == url:
			others = true
			keep = append(keep, fl)
		default:
			keep = append(keep, fl)
		}
	}
	if !found {
		return ErrNotFollowed
	}
	if err := writeJSON(f.feedsPath("follows.json"), keep); err != nil {
		return err
	}
	if err := removeFile(f.deliveredPath(url, col)); err != nil {
		return err
	}
	if !others {
		if err := os.RemoveAll(f.feedsPath("delivered", feedKey(url))); err != nil {
			return err
		}
		return removeFile(f.feedsPath("state", feedKey(url)+".json"))
	}
	return nil
}

func (f *Files) Follows(ctx context.Context, col string) ([]Follow, error) {
	list, err := f.follows()
	if err != nil || col == "" {
		return list, err
	}
	var out []Follow
	for _, fl := range list {
		if fl.Collection == col {
			out = append(out, fl)
		}
	}
	return out, nil
}

func (f *Files) FeedStates(ctx context.Context) ([]FeedState, error) {
	list, err := f.follows()
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []FeedState
	for _, fl := range list {
		if seen[fl.URL] {
			continue
		}
		seen[fl.URL] = true
		ff, ok, err := f.feedFile(fl.URL)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, ff.State)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].URL < out[j].URL })
	return out, nil
}

func (f *Files) ClaimFeed(ctx context.Context, url, holder string, now time.Time, lease time.Duration) (FeedState, bool, error) {
	unlock, err := f.lockFeeds()
	if err != nil {
		return FeedState{}, false, err
	}
	defer unlock()
	ff, ok, err := f.feedFile(url)
	if err != nil || !ok || ff.State.NextPoll.After(now) {
		return ff.State, false, err
	}
	ff.State.NextPoll = now.Add(lease)
	ff.State.Holder = holder
	if err := writeJSON(f.feedsPath("state", feedKey(url)+".json"), ff); err != nil {
		return FeedState{}, false, err
	}
	return ff.State, true, nil
}

func (f *Files) HoldFeed(ctx context.Context, url, holder string, now time.Time, lease time.Duration) (bool, error) {
	unlock, err := f.lockFeeds()
	if err != nil {
		return false, err
	}
	defer unlock()
	ff, ok, err := f.feedFile(url)
	if err != nil || !ok || ff.State.Holder != holder || !ff.State.NextPoll.After(now) {
		return false, err
	}
	if until := now.Add(lease); until.After(ff.State.NextPoll) {
		ff.State.NextPoll = until
		if err := writeJSON(f.feedsPath("state", feedKey(url)+".json"), ff); err != nil {
			return false, err
		}
	}
	return true, nil
}

func (f *Files) SeenItems(ctx context.Context, url string) (map[string]bool, error) {
	ff, _, err := f.feedFile(url)
	return keySet(ff.Seen), err
}

func (f *Files) FinishPoll(ctx context.Context, st FeedState, seen []string, now, forget time.Time, primed []string) error {
	unlock, err := f.lockFeeds()
	if err != nil {
		return err
	}
	defer unlock()
	list, err := f.follows()
	if err != nil {
		return err
	}
	followed := false
	changed := false
	for i := range list {
		if list[i].URL != st.URL {
			continue
		}
		followed = true
		for _, col := range primed {
			if list[i].Collection == col && !list[i].Primed {
				list[i].Primed, changed = true, true
			}
		}
	}
	if !followed {
		return nil // unfollowed while it was polled
	}
	ff, _, err := f.feedFile(st.URL)
	if err != nil {
		return err
	}
	if ff.State.Holder != st.Holder {
		return ErrClaimLost
	}
	if ff.Seen == nil {
		ff.Seen = map[string]time.Time{}
	}
	for _, k := range seen {
		ff.Seen[k] = now
	}
	for k, at := range ff.Seen {
		if at.Before(forget) {
			delete(ff.Seen, k)
		}
	}
	st.Holder = ""
	ff.State = st
	if err := writeJSON(f.feedsPath("state", feedKey(st.URL)+".json"), ff); err != nil {
		return err
	}
	if changed {
		if err := writeJSON(f.feedsPath("follows.json"), list); err != nil {
			return err
		}
	}
	return f.dropDelivered(st.URL, seen, forget)
}

// Each follow's delivery records are a file of their own,
// _feeds/delivered/<feed hash>/<collection>.json, mapping item keys to
// when they were marked.
func (f *Files) deliveredPath(url, col string) string {
	return f.feedsPath("delivered", feedKey(url), col+".json")
}

// readDelivered reads one follow's delivery records: item keys and when
// they were marked, none for a file that is not there.
func readDelivered(path string) (map[string]time.Time, error) {
	var marked map[string]time.Time
	_, err := readJSON(path, &marked)
	if marked == nil {
		marked = map[string]time.Time{}
	}
	return marked, err
}

// dropDelivered forgets url's delivery records of the keys in seen (the
// feed's seen keys cover them now) and those marked before forget, under
// the feeds' lock.
func (f *Files) dropDelivered(url string, seen []string, forget time.Time) error {
	dir := f.feedsPath("delivered", feedKey(url))
	names, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	covered := make(map[string]bool, len(seen))
	for _, k := range seen {
		covered[k] = true
	}
	for _, de := range names {
		if !strings.HasSuffix(de.Name(), ".json") {
			continue
		}
		path := filepath.Join(dir, de.Name())
		keys, err := readDelivered(path)
		if err != nil {
			return err
		}
		n := len(keys)
		for k, at := range keys {
			if covered[k] || at.Before(forget) {
				delete(keys, k)
			}
		}
		switch {
		case len(keys) == 0:
			if err := removeFile(path); err != nil {
				return err
			}
		case len(keys) < n:
			if err := writeJSON(path, keys); err != nil {
				return err
			}
		}
	}
	return nil
}

func (f *Files) MarkDelivered(ctx context.Context, url, col string, keys []string, at time.Time) error {
	if !index.ValidCollection(col) {
		return fmt.Errorf("%q is not a collection name", col)
	}
	if len(keys) == 0 {
		return nil
	}
	unlock, err := f.lockFeeds()
	if err != nil {
		return err
	}
	defer unlock()
	list, err := f.follows()
	if err != nil {
		return err
	}
	followed := false
	for _, fl := range list {
		followed = followed || (fl.URL == url && fl.Collection == col)
	}
	if !followed {
		return nil // unfollowed meanwhile: nothing to remember
	}
	path := f.deliveredPath(url, col)
	marked, err := readDelivered(path)
	if err != nil {
		return err
	}
	n := len(marked)
	for _, k := range keys {
		if _, ok := marked[k]; !ok {
			marked[k] = at
		}
	}
	if len(marked) == n {
		return nil
	}
	return writeJSON(path, marked)
}

func (f *Files) Delivered(ctx context.Context, url, col string) (map[string]bool, error) {
	if !index.ValidCollection(col) {
		return nil, fmt.Errorf("%q is not a collection name", col)
	}
	marked, err := readDelivered(f.deliveredPath(url, col))
	if err != nil {
		return nil, err
	}
	return keySet(marked), nil
}

// keySet is the set of m's item keys, whatever it records of each.
func keySet[V any](m map[string]V) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

// threadName keeps a thread ID usable as a file name.
func threadName(id string) (string, error) {
	if id == "" || strings.ContainsAny(id, `/\.`) || len(id) > 40 {
		return "", fmt.Errorf("%q is not a thread ID", id)
	}
	return id + ".json", nil
}

func (f *Files) PutThread(ctx context.Context, t Thread) error {
	name, err := threadName(t.ID)
	if err != nil {
		return err
	}
	return writeJSON(f.feedsPath("threads", name), t)
}

func (f *Files) Thread(ctx context.Context, id string) (Thread, bool, error) {
	name, err := threadName(id)
	if err != nil {
		return Thread{}, false, nil
	}
	var t Thread
	ok, err := readJSON(f.feedsPath("threads", name), &t)
	return t, ok, err
}

// RetireOldest removes the feed's story whose file is oldest, and marks
// the removal as a retirement.
func (f *Files) RetireOldest(ctx context.Context, col string, by Actor) (Removed, error) {
	// Chosen and removed under one lock: a moderator's Put of the name in
	// between (another process) makes the story theirs, not retirable.
	unlock, err := f.lock()
	if err != nil {
		return Removed{}, err
	}
	defer unlock()
	list, err := f.list(col)
	if err != nil {
		return Removed{}, err
	}
	dir, _ := f.dir(col)
	var oldest string
	var oldestAt time.Time
	for _, s := range list {
		if !f.isFeedStory(col, s.rel) {
			continue // a moderator's
		}
		info, err := os.Stat(filepath.Join(dir, filepath.FromSlash(s.rel)))
		if err != nil {
			continue
		}
		if oldest == "" || info.ModTime().Before(oldestAt) {
			oldest, oldestAt = s.meta.ID, info.ModTime()
		}
	}
	if oldest == "" {
		return Removed{}, ErrNoFeedStory
	}
	r, err := f.removeLocked(col, oldest, by)
	if err != nil {
		return Removed{}, err
	}
	r.Retired = true
	meta := filepath.Join(f.trashDir(col), r.Key, removalMeta)
	var rec Removed
	if _, err := readJSON(meta, &rec); err == nil {
		rec.Retired = true
		err = writeJSON(meta, rec)
	}
	return r, err
}

func (f *Files) FeedUsage(ctx context.Context, col string) (Usage, error) {
	list, err := f.list(col)
	if err != nil {
		return Usage{}, err
	}
	var u Usage
	for _, s := range list {
		if f.isFeedStory(col, s.rel) {
			u.Stories++
			u.Bytes += s.meta.Bytes
		}
	}
	return u, nil
}

func (f *Files) Retired(ctx context.Context, col string) ([]Removed, error) {
	rs, err := f.removals(col)
	if err != nil {
		return nil, err
	}
	var out []Removed
	for _, r := range rs {
		if r.path != "" && r.Retired {
			out = append(out, r.Removed)
		}
	}
	return out, nil
}
