package feeds

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/feeds/feedtest"
	"github.com/storybot/storybot/index/library"
)

const guild = "300000000000000003"

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newPoller(t *testing.T, cfg Config) (*Poller, *library.Library, *clock) {
	t.Helper()
	st, err := library.NewFiles(filepath.Join(t.TempDir(), "corpus"))
	if err != nil {
		t.Fatal(err)
	}
	lib, err := library.Open(context.Background(), library.Config{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lib.Close() })
	c := &clock{t: time.Date(2025, 3, 12, 12, 0, 0, 0, time.UTC)}
	cfg.Library, cfg.Now, cfg.AllowPrivate, cfg.Jitter = lib, c.now, true, -1
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p, lib, c
}

func article(slug string, published time.Time) feedtest.Article {
	return feedtest.Article{Slug: slug, Title: "Story " + slug, Published: published,
		Paragraphs: []string{"The first paragraph of story " + slug + " says what happened.", "A second paragraph adds a detail."}}
}

func storyCount(lib *library.Library) int { return len(lib.Index().Stories(index.Scope{guild})) }

// One poll takes at most MaxItems new items, newest first, and the next
// polls take the rest; items older than MaxAge are never indexed.
func TestPollTakesMaxItemsAndSkipsOldOnes(t *testing.T) {
	site := feedtest.New(t)
	p, lib, c := newPoller(t, Config{MaxItems: 2, MaxAge: 5 * 24 * time.Hour, HostGap: -1})
	now := time.Date(2025, 3, 12, 0, 0, 0, 0, time.UTC)
	site.Publish("/f.rss", article("old", now.Add(-10*24*time.Hour)), article("a", now.Add(-2*time.Hour)))
	ctx := context.Background()
	if _, err := p.Follow(ctx, guild, site.URL+"/f.rss", "", library.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	p.PollDue(ctx)
	if n := storyCount(lib); n != 1 {
		t.Fatalf("%d stories after the first poll, want 1 (the old item is skipped)", n)
	}
	site.Publish("/f.rss", article("b", now.Add(-time.Hour)), article("c", now.Add(-30*time.Minute)), article("d", now))
	c.advance(15 * time.Minute)
	reps := p.PollDue(ctx)
	if len(reps) != 1 || len(reps[0].Added[guild]) != 2 || storyCount(lib) != 3 {
		t.Fatalf("second poll %+v, %d stories", reps, storyCount(lib))
	}
	c.advance(15 * time.Minute)
	reps = p.PollDue(ctx)
	if len(reps) != 1 || reps[0].NotModified || len(reps[0].Added[guild]) != 1 || storyCount(lib) != 4 {
		t.Fatalf("the backlog's poll %+v, %d stories", reps, storyCount(lib))
	}
	// The newest went first: the one left for the third poll is the oldest new one.
	if got := reps[0].Added[guild][0]; got[:7] != "Story-b" {
		t.Errorf("the third poll took %s, want story b", got)
	}
}

// Requests to one host, the feed's and its pages', are HostGap apart.
func TestPollIsPolitePerHost(t *testing.T) {
	site := feedtest.New(t)
	const gap = 150 * time.Millisecond
	p, _, _ := newPoller(t, Config{HostGap: gap})
	now := time.Date(2025, 3, 12, 0, 0, 0, 0, time.UTC)
	site.Publish("/f.rss", article("a", now.Add(-2*time.Hour)), article("b", now.Add(-time.Hour)), article("c", now))
	ctx := context.Background()
	if _, err := p.Follow(ctx, guild, site.URL+"/f.rss", "", library.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	p.PollDue(ctx)
	var times []time.Time
	for _, path := range []string{"/f.rss", "/articles/a", "/articles/b", "/articles/c"} {
		for _, f := range site.Fetches(path) {
			times = append(times, f.At)
		}
	}
	if len(times) != 5 {
		t.Fatalf("%d requests, want 5 (the follow's check, the poll, three pages)", len(times))
	}
	for i := range times {
		for j := range times {
			if i < j {
				if d := times[j].Sub(times[i]).Abs(); d < gap*9/10 {
					t.Errorf("two requests to the host %s apart", d)
				}
			}
		}
	}
}

// thief is an announcer during whose first post another process takes
// the feed: the lease lapsed while the post hung.
type thief struct {
	p      *Poller
	c      *clock
	posted []string
}

func (a *thief) Announce(ctx context.Context, an Announcement) (string, error) {
	if len(a.posted) == 0 {
		a.c.advance(a.p.cfg.Lease + time.Minute)
		if _, ok, err := a.p.Store().ClaimFeed(ctx, an.FeedURL, "another process", a.c.now(), a.p.cfg.Lease); err != nil || !ok {
			return "", fmt.Errorf("the other process could not claim the feed: %v %v", ok, err)
		}
	}
	a.posted = append(a.posted, an.Story.ID)
	return "", nil
}

// A poller whose claim lapsed and was taken mid-poll posts and adds no
// more, and leaves the feed's state to the process that took it.
func TestFeedPollerThatLostItsLeasePostsNoMore(t *testing.T) {
	site := feedtest.New(t)
	p, lib, c := newPoller(t, Config{HostGap: -1, Lease: 10 * time.Minute})
	a := &thief{p: p, c: c}
	p.SetAnnouncer(a)
	now := time.Date(2025, 3, 12, 0, 0, 0, 0, time.UTC)
	site.Publish("/f.rss", article("a", now.Add(-3*time.Hour)))
	ctx := context.Background()
	const other = "300000000000000004"
	for _, col := range []string{guild, other} {
		if _, err := p.Follow(ctx, col, site.URL+"/f.rss", "500000000000000005", library.Actor{Name: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	p.PollDue(ctx) // the first poll: indexed, not posted
	site.Publish("/f.rss", article("b", now.Add(-2*time.Hour)), article("c", now.Add(-time.Hour)))
	c.advance(15 * time.Minute)
	reps := p.PollDue(ctx)
	if len(a.posted) != 1 {
		t.Errorf("posted %v, want only the post during which the claim was lost", a.posted)
	}
	if len(reps) != 1 || !reps[0].Lost || reps[0].Announced != 1 {
		t.Errorf("reports %+v", reps)
	}
	// The first follower got the new stories; the other, whose turn came
	// after the claim was lost, did not.
	if n := len(lib.Index().Stories(index.Scope{guild})) + len(lib.Index().Stories(index.Scope{other})); n != 2+2 {
		t.Errorf("%d stories in both collections, want the first poll's two and one follower's two new ones", n)
	}
	states, _ := p.Store().FeedStates(ctx)
	if len(states) != 1 || states[0].Holder != "another process" {
		t.Errorf("the lost poll saved its state over the new holder's: %+v", states)
	}
}
