package index

import "time"

// A bot in thousands of servers would keep thousands of bleve indexes
// open, about half a megabyte each, though most servers ask nothing for
// hours. Reads therefore hold a collection's generation while they use it,
// and CloseIdle closes those no read has held for a while; the next read
// opens it again from what CURRENT names.

// acquire returns the live generation, opening it if need be, held until
// release is called; g is nil for a collection not built yet.
func (c *collection) acquire() (g *generation, release func(), err error) {
	c.openMu.Lock()
	defer c.openMu.Unlock()
	if g, err = c.openLocked(); err != nil || g == nil {
		return nil, func() {}, err
	}
	c.users++
	g.hold()
	return g, func() {
		c.openMu.Lock()
		c.users--
		c.lastUse = time.Now()
		c.openMu.Unlock()
		g.drop()
	}, nil
}

// CloseIdle closes the index of every server's collection that no read has
// used for idle, and reports how many it closed. The shared library stays
// open, as do collections in memory (they have no files to reopen from)
// and collections a rebuild or change is using.
func (ix *Index) CloseIdle(idle time.Duration) int {
	if ix.dir == "" || ix.closed.Load() {
		return 0
	}
	ix.mu.RLock()
	cols := make([]*collection, 0, len(ix.cols))
	for name, c := range ix.cols {
		if name != Shared {
			cols = append(cols, c)
		}
	}
	ix.mu.RUnlock()
	closed := 0
	for _, c := range cols {
		if c.closeIfIdle(idle) {
			closed++
		}
	}
	return closed
}

func (c *collection) closeIfIdle(idle time.Duration) bool {
	if !c.building.TryLock() {
		return false
	}
	defer c.building.Unlock()
	c.openMu.Lock()
	defer c.openMu.Unlock()
	g := c.live.Load()
	// users counts the reads of every generation of the collection; none
	// may hold this one, which is reopened from the same files.
	if g == nil || g.dir == "" || c.users > 0 || g.refs.Load() != 1 || time.Since(c.lastUse) < idle {
		return false
	}
	c.live.Store(nil)
	c.pending = g.name
	g.drop()
	return true
}
