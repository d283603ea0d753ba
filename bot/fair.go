package bot

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"
)

// Answering is CPU work, so only a few answers run at once (the engine has
// one slot per processor). Rate limits bound how often each user may ask,
// but not who waits for a slot: ten users within their limits, asking
// together, could fill the queue in front of everyone else. fairGate
// hands out the slots instead of a first-come queue:
//
//   - While others wait, a user holds at most userSlots slots and a server
//     at most half of them; with nobody waiting, anyone may use them all.
//   - Among those waiting, the one whose user and server have used the
//     least answer time lately goes first (usage halves every usageHalfLife),
//     so a newcomer is served before someone who has been asking all along.
//   - A request that gets no slot before its deadline is refused as busy,
//     and at most maxWaiting wait at once.
const (
	userSlots     = 1
	usageHalfLife = 10 * time.Second
	maxWaiting    = 512
)

type fairGate struct {
	mu         sync.Mutex
	free       int
	guildSlots int
	waiting    []*waiter
	seq        uint64
	inflight   map[string]int // by fairKey
	usage      map[string]*usage
	swept      time.Time
}

type waiter struct {
	user, guild string
	seq         uint64
	admitted    bool
	ready       chan struct{}
}

// usage is answer time used, decaying with usageHalfLife.
type usage struct {
	seconds float64
	at      time.Time
}

func (u *usage) value(now time.Time) float64 {
	return u.seconds * math.Exp2(-now.Sub(u.at).Seconds()/usageHalfLife.Seconds())
}

func newFairGate(slots int) *fairGate {
	slots = max(slots, 1)
	return &fairGate{free: slots, guildSlots: max(1, slots/2), inflight: map[string]int{}, usage: map[string]*usage{}}
}

// Keys for users and servers share the maps; a direct message has no
// server, and an empty user (tests, the console) shares one key.
func userKey(u string) string  { return "u:" + u }
func guildKey(g string) string { return "g:" + g }

// acquire waits for a slot for a request of user in guild. The returned
// release must be called once the answer is done.
func (g *fairGate) acquire(ctx context.Context, user, guild string) (release func(), err error) {
	g.mu.Lock()
	if len(g.waiting) >= maxWaiting {
		g.mu.Unlock()
		return nil, fmt.Errorf("%w: %d requests are waiting", errBusy, maxWaiting)
	}
	g.seq++
	w := &waiter{user: user, guild: guild, seq: g.seq, ready: make(chan struct{})}
	g.waiting = append(g.waiting, w)
	g.dispatch(time.Now())
	g.mu.Unlock()

	select {
	case <-w.ready:
	case <-ctx.Done():
		g.mu.Lock()
		admitted := w.admitted
		if !admitted {
			g.remove(w)
		}
		g.mu.Unlock()
		if admitted {
			g.release(w, 0)
		}
		return nil, fmt.Errorf("%w: %w", errBusy, ctx.Err())
	}
	start := time.Now()
	var once sync.Once
	return func() { once.Do(func() { g.release(w, time.Since(start)) }) }, nil
}

func (g *fairGate) release(w *waiter, took time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := time.Now()
	g.free++
	for _, k := range g.keys(w) {
		if g.inflight[k]--; g.inflight[k] <= 0 {
			delete(g.inflight, k)
		}
		u := g.usage[k]
		if u == nil {
			u = &usage{}
			g.usage[k] = u
		}
		u.seconds, u.at = u.value(now)+took.Seconds(), now
	}
	if now.Sub(g.swept) > time.Minute {
		for k, u := range g.usage {
			// Forgetting a negligible past changes no one's turn.
			if g.inflight[k] == 0 && u.value(now) < 1e-4 {
				delete(g.usage, k)
			}
		}
		g.swept = now
	}
	g.dispatch(now)
}

func (g *fairGate) keys(w *waiter) []string {
	if w.guild == "" {
		return []string{userKey(w.user)}
	}
	return []string{userKey(w.user), guildKey(w.guild)}
}

// dispatch hands free slots to the waiters that deserve them most; g.mu
// is held.
func (g *fairGate) dispatch(now time.Time) {
	for g.free > 0 && len(g.waiting) > 0 {
		best, bestOver, bestScore := -1, false, 0.0
		for i, w := range g.waiting {
			over := g.inflight[userKey(w.user)] >= userSlots || (w.guild != "" && g.inflight[guildKey(w.guild)] >= g.guildSlots)
			score := 0.0
			for _, k := range g.keys(w) {
				if u := g.usage[k]; u != nil {
					score += u.value(now)
				}
			}
			// Waiters are in arrival order, so ties go to the earliest.
			if best < 0 || (!over && bestOver) || (over == bestOver && score < bestScore) {
				best, bestOver, bestScore = i, over, score
			}
		}
		w := g.waiting[best]
		g.waiting = append(g.waiting[:best], g.waiting[best+1:]...)
		g.free--
		for _, k := range g.keys(w) {
			g.inflight[k]++
		}
		w.admitted = true
		close(w.ready)
	}
}

func (g *fairGate) remove(w *waiter) {
	for i, x := range g.waiting {
		if x == w {
			g.waiting = append(g.waiting[:i], g.waiting[i+1:]...)
			return
		}
	}
}

// fairShare makes every answer take a slot from g. Autocomplete (a list filter
// that cannot wait) and moderator commands (a reindex runs for minutes,
// and only moderators can start one) do not.
func fairShare(g *fairGate) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, r Request) (Response, error) {
			if r.Type == Autocomplete || (r.Type == Command && moderatorCommand[r.Command]) || r.opensForm() {
				return next(ctx, r)
			}
			release, err := g.acquire(ctx, r.User, r.Guild)
			if err != nil {
				return Response{}, err
			}
			defer release()
			return next(ctx, r)
		}
	}
}
