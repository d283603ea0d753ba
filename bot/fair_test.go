package bot

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// admit starts acquire for user in guild and returns a channel that
// receives its release once it is admitted (or nil if refused).
func admit(g *fairGate, ctx context.Context, user, guild string) chan func() {
	ch := make(chan func(), 1)
	go func() {
		rel, err := g.acquire(ctx, user, guild)
		if err != nil {
			rel = nil
		}
		ch <- rel
	}()
	return ch
}

// waitQueued waits until n requests wait at g.
func waitQueued(t *testing.T, g *fairGate, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		g.mu.Lock()
		got := len(g.waiting)
		g.mu.Unlock()
		if got == n {
			return
		}
	}
	t.Fatalf("%d never waited", n)
}

func admitted(t *testing.T, ch chan func()) func() {
	t.Helper()
	select {
	case rel := <-ch:
		if rel == nil {
			t.Fatal("refused")
		}
		return rel
	case <-time.After(5 * time.Second):
		t.Fatal("never admitted")
		return nil
	}
}

func notYet(t *testing.T, ch chan func(), who string) {
	t.Helper()
	select {
	case <-ch:
		t.Fatalf("%s was admitted out of turn", who)
	case <-time.After(20 * time.Millisecond):
	}
}

func TestFairGateServesNewcomersBeforeHeavyUsers(t *testing.T) {
	g := newFairGate(1)
	ctx := context.Background()
	g.usage[userKey("heavy")] = &usage{seconds: 5, at: time.Now()}
	first := admitted(t, admit(g, ctx, "heavy", "g1"))
	heavy := admit(g, ctx, "heavy", "g1") // arrives first
	waitQueued(t, g, 1)
	newcomer := admit(g, ctx, "new", "g1")
	waitQueued(t, g, 2)
	first()
	rel := admitted(t, newcomer)
	notYet(t, heavy, "the heavy user")
	rel()
	admitted(t, heavy)()
}

func TestFairGateCapsAServerOnlyWhileOthersWait(t *testing.T) {
	g := newFairGate(2) // a server may hold one slot while others wait
	ctx := context.Background()
	// Nobody else waits: one server may use both slots.
	a1 := admitted(t, admit(g, ctx, "a1", "busy"))
	a2 := admitted(t, admit(g, ctx, "a2", "busy"))
	a3 := admit(g, ctx, "a3", "busy")
	waitQueued(t, g, 1)
	b1 := admit(g, ctx, "b1", "quiet")
	waitQueued(t, g, 2)
	a1()
	// "busy" still holds a slot, so the quiet server's request goes first.
	rb := admitted(t, b1)
	notYet(t, a3, "the busy server's third request")
	a2()
	admitted(t, a3)()
	rb()
}

func TestFairGateOneSlotPerUserWhileOthersWait(t *testing.T) {
	g := newFairGate(2)
	ctx := context.Background()
	u1 := admitted(t, admit(g, ctx, "u", ""))
	u2 := admitted(t, admit(g, ctx, "u", "")) // alone, a user may use both
	u3 := admit(g, ctx, "u", "")
	waitQueued(t, g, 1)
	v := admit(g, ctx, "v", "")
	waitQueued(t, g, 2)
	u1()
	rv := admitted(t, v)
	notYet(t, u3, "the user's third request")
	u2()
	admitted(t, u3)()
	rv()
}

func TestFairGateRefusesAtTheDeadline(t *testing.T) {
	g := newFairGate(1)
	hold := admitted(t, admit(g, context.Background(), "a", "g"))
	defer hold()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := g.acquire(ctx, "b", "g"); !errors.Is(err, errBusy) {
		t.Fatalf("err = %v, want errBusy", err)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.waiting) != 0 {
		t.Fatalf("%d still waiting", len(g.waiting))
	}
}

func TestBusyBotSaysSoPolitely(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	hold := func(next Handler) Handler {
		return func(ctx context.Context, r Request) (Response, error) {
			if r.User == "holder" {
				<-block
			}
			return next(ctx, r)
		}
	}
	rec := newFailCounter()
	b := New(builtinEngine(t), Options{RatePerUser: 1000, RatePerChannel: 1000, AnswerSlots: 1, QueryTimeout: 50 * time.Millisecond,
		Log: quietLog(), Metrics: rec, Middleware: []Middleware{hold}})
	holder := cmd(CmdStories)
	holder.User = "holder"
	go b.Handle(context.Background(), holder)
	waitHeld := time.Now().Add(5 * time.Second)
	for b.Handle(context.Background(), cmd(CmdStories)).Failure != ReasonBusy {
		if time.Now().After(waitHeld) {
			t.Fatal("never busy")
		}
	}
	resp := b.Handle(context.Background(), cmd(CmdStories))
	if !resp.Ephemeral || !strings.Contains(resp.Content, "a lot of questions") || rec.get(CmdStories+"/"+ReasonBusy) < 2 {
		t.Fatalf("%+v, %v", resp, rec.failures)
	}
}
