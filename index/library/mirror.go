package library

import (
	"context"
	"errors"
	"fmt"

	"github.com/storybot/storybot/corpus"
)

// MirrorResult says what a Mirror changed.
type MirrorResult struct {
	Added, Replaced, Removed int
	Skipped                  []corpus.Skipped
}

// Mirror makes col hold what src holds in its collection of that name: a
// story that is new or whose text changed is put, one that src lacks is
// removed (and stays restorable). It is how an operator's directory of
// stories fills the shared library kept in PostgreSQL. Files src cannot
// read as stories are skipped and reported, and never remove anything.
func (l *Library) Mirror(ctx context.Context, col string, src Store, by Actor) (MirrorResult, error) {
	_, end, err := l.begin(col, "mirror", by)
	if err != nil {
		return MirrorResult{}, err
	}
	defer end()
	var res MirrorResult
	_, have, err := l.store.Snapshot(ctx, col)
	if err != nil {
		return res, err
	}
	_, want, err := src.Snapshot(ctx, col)
	if err != nil {
		return res, err
	}
	current := map[string]string{}
	for _, m := range have {
		current[m.ID] = m.Fingerprint
	}
	keep := map[string]bool{}
	for _, m := range want {
		keep[m.ID] = true
		data, _, err := src.Read(ctx, col, m.ID)
		if err == nil {
			_, err = corpus.Parse(m.ID, data)
		}
		if err != nil {
			res.Skipped = append(res.Skipped, corpus.Skipped{Path: m.ID, Reason: err.Error()})
			continue
		}
		fp, ok := current[m.ID]
		if ok && fp == contentFingerprint(data) {
			continue
		}
		if _, err := l.store.Put(ctx, col, m.ID, data, by, l.Quota(col)); err != nil {
			return res, fmt.Errorf("%s: %w", m.ID, err)
		}
		if ok {
			res.Replaced++
		} else {
			res.Added++
		}
	}
	for _, m := range have {
		if keep[m.ID] {
			continue
		}
		if _, err := l.store.Remove(ctx, col, m.ID, by); err != nil && !errors.Is(err, ErrNotFound) {
			return res, fmt.Errorf("%s: %w", m.ID, err)
		}
		res.Removed++
	}
	_, err = l.Sync(ctx, col, false, nil)
	return res, err
}
