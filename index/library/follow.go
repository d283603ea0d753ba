package library

import (
	"context"
	"sync"
)

// followWorkers is how many collections are brought up to date at once
// when other processes change them: enough that a rebuild or two (a
// /reindex somewhere) leave others to be followed meanwhile, few enough
// that a reconnect, which checks every collection, does not check a
// thousand at once.
const followWorkers = 4

// syncQueue brings collections up to date as the store announces changes,
// off the goroutine that receives the announcements: a rebuild of one
// collection (a /reindex anywhere) takes minutes, and must not hold up
// another server's removal meanwhile. Announcements of a collection that
// is being synced, or waits to be, collapse into one more sync.
type syncQueue struct {
	ctx  context.Context
	l    *Library
	slot chan struct{} // a token per sync running
	wg   sync.WaitGroup

	mu      sync.Mutex
	running map[string]bool // being synced, or waiting for a slot
	again   map[string]bool // changed again meanwhile
}

func newSyncQueue(ctx context.Context, l *Library, workers int) *syncQueue {
	return &syncQueue{ctx: ctx, l: l, slot: make(chan struct{}, workers),
		running: map[string]bool{}, again: map[string]bool{}}
}

// notify is told a collection changed, or with "" that any may have.
func (q *syncQueue) notify(col string) {
	if col == "" {
		cols, err := q.l.store.Collections(q.ctx)
		if err != nil {
			q.l.log.Error("listing the collections to bring up to date", "err", err)
			return
		}
		for _, c := range cols {
			q.notify(c)
		}
		return
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.running[col] {
		q.again[col] = true
		return
	}
	q.running[col] = true
	q.wg.Add(1)
	go q.run(col)
}

func (q *syncQueue) run(col string) {
	defer q.wg.Done()
	for {
		select {
		case q.slot <- struct{}{}:
		case <-q.ctx.Done():
			q.done(col)
			return
		}
		if _, err := q.l.Sync(q.ctx, col, false, nil); err != nil && q.ctx.Err() == nil {
			q.l.log.Error("following a change to the stories", "collection", col, "err", err)
		}
		<-q.slot
		q.mu.Lock()
		if !q.again[col] || q.ctx.Err() != nil {
			delete(q.running, col)
			delete(q.again, col)
			q.mu.Unlock()
			return
		}
		delete(q.again, col)
		q.mu.Unlock()
	}
}

func (q *syncQueue) done(col string) {
	q.mu.Lock()
	delete(q.running, col)
	delete(q.again, col)
	q.mu.Unlock()
}

// wait returns once every sync started has ended.
func (q *syncQueue) wait() { q.wg.Wait() }
