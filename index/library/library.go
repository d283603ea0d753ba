// Package library is the story library: collections of stories (the
// shared library and one per Discord server), the changes moderators make
// to them (add, remove, restore, reindex) within quotas, and the local
// bleve index that follows the store they are kept in. The bot and the
// CLI both call it, so the workflow exists once.
//
// A Store holds the truth: story files under a directory (Files, the
// embedded default), PostgreSQL for many processes (Postgres), or the
// built-in story (Builtin). Every change is made in the store first and
// then applied to the index by comparing the two (Sync), which is also
// how a restart repairs what a crash interrupted and how a process
// catches up with changes other processes made.
package library

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

// Defaults for a server's collection; operators change them with
// STORYBOT_QUOTA_STORIES, STORYBOT_QUOTA_BYTES and STORYBOT_RESTORE_WINDOW.
const (
	DefaultQuotaStories = 500
	DefaultQuotaBytes   = 50 << 20
	DefaultKeep         = 7 * 24 * time.Hour
	// IdleCollection is how long a server's collection goes unread before
	// its index is closed, to be opened again on the next question.
	IdleCollection = 10 * time.Minute
)

// Config sets up a Library.
type Config struct {
	Store Store
	// IndexDir is where the local index lives; "" keeps it in memory.
	IndexDir string
	// NoIndex opens the store alone, for a command that only changes it:
	// the processes that answer bring their indexes up to date.
	NoIndex bool
	// NoSync opens the index as it is, for a command that rebuilds it.
	NoSync bool
	// Quota bounds each server's collection (zero fields: the defaults).
	Quota Quota
	// Keep is how long removed stories can be restored (default 7 days).
	Keep time.Duration
	Log  *slog.Logger
	// OnSync, when set, is told of every collection synced, for tests.
	OnSync func(col string, r SyncResult)
}

// Library is the story library of one process.
type Library struct {
	store Store
	ix    *index.Index
	cfg   Config
	log   *slog.Logger

	mu   sync.Mutex
	cols map[string]*colState
}

// colState serialises what happens to one collection in this process.
type colState struct {
	sync   sync.Mutex // held while the collection's index is brought up to date
	change sync.Mutex // held by the one moderator change allowed at a time
	job    atomic.Pointer[Job]
}

// Job is a change in progress, for the note a second moderator gets.
type Job struct {
	Action  string
	Actor   Actor
	Started time.Time
	Done    atomic.Int64
	Total   atomic.Int64
}

// BusyError refuses a change while another runs on the same collection.
// It only ever describes a job of that collection, so a note built from
// it never names another server's moderator.
type BusyError struct{ Job *Job }

func (e *BusyError) Error() string { return "another change to these stories is running" }

// Open opens the index and brings the named collections (every
// collection of the store when none is named) up to date with the store,
// repairing what an interrupted change left behind.
func Open(ctx context.Context, cfg Config, cols ...string) (*Library, error) {
	if cfg.Store == nil {
		cfg.Store = NewBuiltin()
	}
	if cfg.Quota.Stories == 0 {
		cfg.Quota.Stories = DefaultQuotaStories
	}
	if cfg.Quota.Bytes == 0 {
		cfg.Quota.Bytes = DefaultQuotaBytes
	}
	if cfg.Keep <= 0 {
		cfg.Keep = DefaultKeep
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	l := &Library{store: cfg.Store, cfg: cfg, log: cfg.Log, cols: map[string]*colState{}}
	if cfg.NoIndex {
		return l, nil
	}
	var ix *index.Index
	var err error
	if cfg.IndexDir == "" {
		ix, err = index.NewMemory(nil)
	} else {
		ix, err = index.Open(cfg.IndexDir)
	}
	if err != nil {
		return nil, err
	}
	l.ix = ix
	if left := ix.Leftovers(); len(left) > 0 {
		l.log.Info("removed what interrupted rebuilds left behind", "index", cfg.IndexDir, "removed", left)
	}
	if ix.ReadOnly() {
		// A read-only volume: answer from the index as it was built.
		l.log.Warn("the index is on a read-only volume: answering from it as it is, without following changes", "index", cfg.IndexDir)
		return l, nil
	}
	if cfg.NoSync {
		// Nothing to bring up to date.
	} else if len(cols) == 0 {
		err = l.SyncAll(ctx)
	} else {
		for _, c := range cols {
			if _, e := l.Sync(ctx, c, false, nil); e != nil {
				err = errors.Join(err, e)
			}
		}
	}
	if err != nil {
		ix.Close()
		return nil, err
	}
	if _, err := l.Purge(ctx); err != nil {
		l.log.Warn("purging removed stories", "err", err)
	}
	return l, nil
}

// Index is the local index, for answering; nil with NoIndex.
func (l *Library) Index() *index.Index { return l.ix }

// Store is where the stories are kept.
func (l *Library) Store() Store { return l.store }

// Close closes the index and the store.
func (l *Library) Close() error {
	var err error
	if l.ix != nil {
		err = l.ix.Close()
	}
	return errors.Join(err, l.store.Close())
}

// GuildCollection is the collection of a Discord server.
func GuildCollection(guild string) (string, error) {
	if guild == "" || guild == index.Shared || !index.ValidCollection(guild) {
		return "", fmt.Errorf("%q is not a Discord server ID", guild)
	}
	return guild, nil
}

// Scope is what a question asked in guild may read: that server's
// collection and the shared library; outside a server (guild ""), the
// shared library alone.
func Scope(guild string) index.Scope {
	if col, err := GuildCollection(guild); err == nil {
		return index.Scope{col, index.Shared}
	}
	return index.Scope{index.Shared}
}

// Quota is the limit of a collection: none for the shared library.
func (l *Library) Quota(col string) Quota {
	if col == index.Shared {
		return Quota{}
	}
	return l.cfg.Quota
}

// Keep is how long removed stories can be restored.
func (l *Library) Keep() time.Duration { return l.cfg.Keep }

// Usage is what a collection holds, as its index knows it (or, with no
// index, as the store lists it).
func (l *Library) Usage(col string) Usage {
	var u Usage
	if l.ix == nil {
		_, list, _ := l.store.Snapshot(context.Background(), col)
		for _, s := range list {
			u.Stories++
			u.Bytes += s.Bytes
		}
		return u
	}
	m, _ := l.ix.Manifest(col)
	u.Stories = len(m.Stories)
	for _, s := range m.Stories {
		u.Bytes += s.Bytes
	}
	return u
}

func (l *Library) state(col string) *colState {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.cols[col]
	if s == nil {
		s = &colState{}
		l.cols[col] = s
	}
	return s
}

// Running is the change running on a collection in this process, or nil.
func (l *Library) Running(col string) *Job { return l.state(col).job.Load() }

// begin claims the right to change col, or explains who has it.
func (l *Library) begin(col, action string, by Actor) (*Job, func(), error) {
	if !index.ValidCollection(col) {
		return nil, nil, fmt.Errorf("%q is not a collection name", col)
	}
	s := l.state(col)
	if !s.change.TryLock() {
		return nil, nil, &BusyError{Job: s.job.Load()}
	}
	j := &Job{Action: action, Actor: by, Started: time.Now()}
	s.job.Store(j)
	return j, func() {
		s.job.Store(nil)
		s.change.Unlock()
	}, nil
}

// AddResult is what an Add did.
type AddResult struct {
	Story    *corpus.Story
	Replaced bool
	Usage    Usage
	// Indexed is false when the story was saved but the index could not
	// take it; the next start or reindex does.
	Indexed bool
}

// Add saves a checked upload into col and indexes it.
func (l *Library) Add(ctx context.Context, col string, by Actor, up *corpus.Upload) (AddResult, error) {
	_, end, err := l.begin(col, "add", by)
	if err != nil {
		return AddResult{}, err
	}
	defer end()
	res, err := l.store.Put(ctx, col, up.Name, up.Data, by, l.Quota(col))
	if err != nil {
		return AddResult{}, err
	}
	crashPoint("library.add.stored")
	st := *up.Story
	st.ID = res.Story.ID
	out := AddResult{Story: &st, Replaced: res.Replaced}
	_, err = l.sync(ctx, col, false, nil, map[string]*corpus.Story{res.Story.Fingerprint: &st})
	out.Indexed = err == nil
	out.Usage = l.Usage(col)
	return out, err
}

// Remove takes a story out of col; it stays restorable for Keep.
func (l *Library) Remove(ctx context.Context, col string, by Actor, id string) (Removed, error) {
	_, end, err := l.begin(col, "remove", by)
	if err != nil {
		return Removed{}, err
	}
	defer end()
	r, err := l.store.Remove(ctx, col, id, by)
	if err != nil {
		return Removed{}, err
	}
	crashPoint("library.remove.stored")
	_, err = l.Sync(ctx, col, false, nil)
	return r, err
}

// Restore brings back a removed story by its key or ID.
func (l *Library) Restore(ctx context.Context, col string, by Actor, ref string) (Removed, error) {
	_, end, err := l.begin(col, "restore", by)
	if err != nil {
		return Removed{}, err
	}
	defer end()
	r, err := l.store.Restore(ctx, col, ref, by, l.Quota(col))
	if err != nil {
		return Removed{}, err
	}
	crashPoint("library.restore.stored")
	_, err = l.Sync(ctx, col, false, nil)
	return r, err
}

// Removed lists what can be restored in col, newest first, within Keep.
func (l *Library) Removed(ctx context.Context, col string) ([]Removed, error) {
	all, err := l.store.Removed(ctx, col)
	if err != nil {
		return nil, err
	}
	return l.withinKeep(all), nil
}

// withinKeep keeps what was removed or retired less than Keep ago.
func (l *Library) withinKeep(all []Removed) []Removed {
	cut := time.Now().Add(-l.cfg.Keep)
	var out []Removed
	for _, r := range all {
		if r.At.IsZero() || r.At.After(cut) {
			out = append(out, r)
		}
	}
	return out
}

// ReindexResult is what a Reindex did.
type ReindexResult struct {
	SyncResult
	Took time.Duration
}

// Reindex rebuilds col's index from the store, in every process: the old
// index answers until the new one is complete, and stays if it fails.
func (l *Library) Reindex(ctx context.Context, col string, by Actor, progress index.Progress) (ReindexResult, error) {
	j, end, err := l.begin(col, "reindex", by)
	if err != nil {
		return ReindexResult{}, err
	}
	defer end()
	start := time.Now()
	progressed := func(done, total int) {
		j.Done.Store(int64(done))
		j.Total.Store(int64(total))
		if progress != nil {
			progress(done, total)
		}
	}
	newEpoch := func() error { _, err := l.store.Reindex(ctx, col); return err }
	if l.ix == nil || l.ix.ReadOnly() {
		// No index here: the new epoch alone makes the others rebuild.
		return ReindexResult{Took: time.Since(start)}, newEpoch()
	}
	s := l.state(col)
	s.sync.Lock()
	defer s.sync.Unlock()
	r, err := l.syncLocked(ctx, col, true, progressed, nil, newEpoch)
	return ReindexResult{SyncResult: r, Took: time.Since(start)}, err
}

// Purge forgets removed stories past Keep or beyond a collection's quota.
func (l *Library) Purge(ctx context.Context) (int, error) {
	return l.store.Purge(ctx, time.Now().Add(-l.cfg.Keep), l.Quota)
}

// Audit records a moderator action in the store, when it keeps a log.
func (l *Library) Audit(ctx context.Context, e AuditEntry) error { return l.store.Audit(ctx, e) }

// Follow keeps the index up to date with changes other processes make,
// and purges old removals hourly, until ctx ends.
func (l *Library) Follow(ctx context.Context) error {
	go func() {
		purge := time.NewTicker(time.Hour)
		defer purge.Stop()
		idle := time.NewTicker(time.Minute)
		defer idle.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-purge.C:
				if _, err := l.Purge(ctx); err != nil {
					l.log.Warn("purging removed stories", "err", err)
				}
			case <-idle.C:
				if l.ix != nil {
					if n := l.ix.CloseIdle(IdleCollection); n > 0 {
						l.log.Debug("closed the indexes of idle collections", "closed", n)
					}
				}
			}
		}
	}()
	q := newSyncQueue(ctx, l, followWorkers)
	defer q.wait()
	return l.store.Watch(ctx, q.notify)
}
