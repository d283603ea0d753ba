package library

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

// SyncResult says what bringing a collection up to date did.
type SyncResult struct {
	Rebuilt bool
	Added   int
	Removed int
	// Stories and Paragraphs are what the collection's index holds after.
	Stories    int
	Paragraphs int
	// Skipped are stored stories that could not be read as stories.
	Skipped []corpus.Skipped
	// Changes name the stories put (+ID) and taken out (-ID) by a
	// comparison, for the log line.
	Changes []string
}

// Changed reports whether the index changed.
func (r SyncResult) Changed() bool { return r.Rebuilt || r.Added > 0 || r.Removed > 0 }

// SyncAll brings every collection of the store up to date.
func (l *Library) SyncAll(ctx context.Context) error {
	cols, err := l.store.Collections(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, c := range cols {
		if _, err := l.Sync(ctx, c, false, nil); err != nil {
			errs = append(errs, fmt.Errorf("collection %s: %w", c, err))
		}
	}
	return errors.Join(errs...)
}

// Sync brings one collection's index up to date with the store. It
// compares what the store lists with what the index's manifest says, story
// by story, and applies the difference in one batch; with rebuild set, or
// when the store has started a new epoch (a /reindex anywhere) or the
// index has none of the collection, it rebuilds the collection instead.
// Whatever a crash interrupted, the comparison finds and finishes it.
func (l *Library) Sync(ctx context.Context, col string, rebuild bool, progress index.Progress) (SyncResult, error) {
	return l.sync(ctx, col, rebuild, progress, nil)
}

// known are stories already parsed, by fingerprint, so an Add does not
// read back and parse again what it has just saved.
func (l *Library) sync(ctx context.Context, col string, rebuild bool, progress index.Progress, known map[string]*corpus.Story) (SyncResult, error) {
	if !index.ValidCollection(col) {
		return SyncResult{}, fmt.Errorf("%q is not a collection name", col)
	}
	if l.ix == nil || l.ix.ReadOnly() {
		return SyncResult{}, nil
	}
	s := l.state(col)
	s.sync.Lock()
	defer s.sync.Unlock()
	return l.syncLocked(ctx, col, rebuild, progress, known, nil)
}

// syncLocked is sync with the collection's sync lock held; before, when
// set, runs first under the lock (a reindex starting its new epoch, so that
// the change feed's news of that epoch finds it applied and rebuilds
// nothing a second time).
func (l *Library) syncLocked(ctx context.Context, col string, rebuild bool, progress index.Progress, known map[string]*corpus.Story, before func() error) (SyncResult, error) {
	if before != nil {
		if err := before(); err != nil {
			return SyncResult{}, err
		}
	}
	// The version is read with the listing, so a change announced after
	// it is applied by the next Sync rather than taken as applied.
	meta, list, err := l.store.Snapshot(ctx, col)
	if err != nil {
		return SyncResult{}, err
	}
	man, ok := l.ix.Manifest(col)
	var res SyncResult
	if rebuild || !ok || man.Epoch != meta.Epoch {
		res, err = l.rebuild(ctx, col, meta, list, progress, known)
	} else if meta.Version != 0 && man.Version == meta.Version {
		res = SyncResult{Stories: len(man.Stories), Paragraphs: paragraphs(man)}
	} else {
		res, err = l.apply(ctx, col, meta, list, man, known)
	}
	if err != nil {
		return res, err
	}
	if res.Changed() {
		l.log.Info("collection brought up to date", "collection", col, "rebuilt", res.Rebuilt,
			"added", res.Added, "removed", res.Removed, "stories", res.Stories, "changes", res.Changes[:min(len(res.Changes), 20)])
	}
	for _, sk := range res.Skipped {
		l.log.Warn("skipped a stored file that is not a readable story", "collection", col, "story", sk.Path, "reason", sk.Reason)
	}
	if l.cfg.OnSync != nil {
		l.cfg.OnSync(col, res)
	}
	return res, nil
}

func paragraphs(m index.Manifest) int {
	n := 0
	for _, s := range m.Stories {
		n += s.Paragraphs
	}
	return n
}

// load reads and parses the stored stories, skipping those that are not
// readable stories, with the reason.
func (l *Library) load(ctx context.Context, col string, metas []StoryMeta, known map[string]*corpus.Story) ([]index.Entry, []corpus.Skipped, error) {
	var out []index.Entry
	var skipped []corpus.Skipped
	for _, m := range metas {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		st := known[m.Fingerprint]
		fp, size := m.Fingerprint, m.Bytes
		if st == nil {
			data, readFP, err := l.store.Read(ctx, col, m.ID)
			if errors.Is(err, ErrNotFound) {
				continue // removed since the listing; the next Sync sees it gone
			}
			if err != nil && !errors.Is(err, corpus.ErrTooLarge) {
				return nil, nil, err
			}
			if err == nil {
				fp, size = readFP, int64(len(data))
				st, err = corpus.Parse(filepath.Base(m.ID), data)
			}
			if err != nil {
				skipped = append(skipped, corpus.Skipped{Path: m.ID, Reason: err.Error()})
				continue
			}
		}
		st.ID = m.ID
		out = append(out, index.Entry{Story: st, Fingerprint: fp, Bytes: size})
	}
	return out, skipped, nil
}

func (l *Library) rebuild(ctx context.Context, col string, meta index.Meta, list []StoryMeta, progress index.Progress, known map[string]*corpus.Story) (SyncResult, error) {
	entries, skipped, err := l.load(ctx, col, list, known)
	if err != nil {
		return SyncResult{}, err
	}
	if len(entries) == 0 && len(skipped) > 0 {
		// Stories that all fail to read are a broken store (a volume
		// mounted wrong, a bad copy), not a wish to empty the collection.
		return SyncResult{Skipped: skipped}, fmt.Errorf("%w: none of its %d stories could be read (the first: %s)",
			ErrUnreadable, len(skipped), skipped[0])
	}
	stats, err := l.ix.Rebuild(ctx, col, entries, meta, progress)
	if err != nil {
		return SyncResult{}, err
	}
	return SyncResult{Rebuilt: true, Stories: stats.Stories, Paragraphs: stats.Paragraphs, Skipped: skipped}, nil
}

func (l *Library) apply(ctx context.Context, col string, meta index.Meta, list []StoryMeta, man index.Manifest, known map[string]*corpus.Story) (SyncResult, error) {
	have := make(map[string]string, len(man.Stories))
	for _, s := range man.Stories {
		have[s.ID] = s.Fingerprint
	}
	var changed []StoryMeta
	stored := make(map[string]bool, len(list))
	for _, m := range list {
		stored[m.ID] = true
		if fp, ok := have[m.ID]; !ok || fp != m.Fingerprint {
			changed = append(changed, m)
		}
	}
	var gone []string
	for _, s := range man.Stories {
		if !stored[s.ID] {
			gone = append(gone, s.ID)
		}
	}
	entries, skipped, err := l.load(ctx, col, changed, known)
	if err != nil {
		return SyncResult{}, err
	}
	// A changed story that no longer reads as one leaves the index too,
	// rather than answering from its old text.
	for _, sk := range skipped {
		if _, ok := have[sk.Path]; ok {
			gone = append(gone, sk.Path)
		}
	}
	res := SyncResult{Added: len(entries), Removed: len(gone), Skipped: skipped}
	for _, e := range entries {
		res.Changes = append(res.Changes, "+"+e.Story.ID)
	}
	for _, id := range gone {
		res.Changes = append(res.Changes, "-"+id)
	}
	if len(entries) > 0 || len(gone) > 0 || man.Meta != meta {
		if err := l.ix.Apply(ctx, col, index.Change{Put: entries, Remove: gone, Meta: meta}); err != nil {
			return res, err
		}
		crashPoint("library.sync.applied")
	}
	after, _ := l.ix.Manifest(col)
	res.Stories, res.Paragraphs = len(after.Stories), paragraphs(after)
	return res, nil
}
