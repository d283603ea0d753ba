package bot

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/storybot/storybot/index/library"
)

// threadCache finds the story of a thread the bot opened. Every message
// the bot can see is looked up, so answers are remembered: a thread's
// story for good (up to a bound), a channel that is no story's thread for
// a short while, since another process may just have opened it.
type threadCache struct {
	store library.FeedStore
	log   *slog.Logger

	mu   sync.Mutex
	hit  map[string]library.Thread
	miss map[string]time.Time // until when a miss holds
}

const (
	threadMissFor   = 10 * time.Second
	threadCacheSize = 20000
)

func newThreadCache(store library.FeedStore, log *slog.Logger) *threadCache {
	if store == nil {
		return nil
	}
	return &threadCache{store: store, log: log, hit: map[string]library.Thread{}, miss: map[string]time.Time{}}
}

func (c *threadCache) lookup(ctx context.Context, channel string) (library.Thread, bool) {
	if c == nil || channel == "" {
		return library.Thread{}, false
	}
	now := time.Now()
	c.mu.Lock()
	t, ok := c.hit[channel]
	until, missed := c.miss[channel]
	c.mu.Unlock()
	if ok {
		return t, true
	}
	if missed && now.Before(until) {
		return library.Thread{}, false
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	t, ok, err := c.store.Thread(ctx, channel)
	if err != nil {
		c.log.Warn("looking up a story thread", "channel", channel, "err", err)
		return library.Thread{}, false
	}
	if ok {
		c.put(t)
		return t, true
	}
	c.mu.Lock()
	if len(c.miss) >= threadCacheSize {
		clear(c.miss)
	}
	c.miss[channel] = now.Add(threadMissFor)
	c.mu.Unlock()
	return library.Thread{}, false
}

// put remembers a thread, as the announcer does for those it opens.
func (c *threadCache) put(t library.Thread) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.hit) >= threadCacheSize {
		clear(c.hit)
	}
	c.hit[t.ID] = t
	delete(c.miss, t.ID)
}
