package feeds

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/feeds/feedtest"
	"github.com/storybot/storybot/index/library"
)

// guild and other are the servers that follow the test feeds.
const guild, other = "300000000000000003", "300000000000000004"

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

// followAndPrime makes each collection follow feedURL and polls it once,
// which indexes its items and posts none.
func followAndPrime(t *testing.T, p *Poller, feedURL string, cols ...string) {
	t.Helper()
	for _, col := range cols {
		if _, err := p.Follow(context.Background(), col, feedURL, "500000000000000005", library.Actor{Name: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	p.PollDue(context.Background())
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
	followAndPrime(t, p, site.URL+"/f.rss", guild, other)
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

// lapser is an announcer whose post number at (from 1) outlasts the
// poll's lease, which then lapses with nobody else taking the feed.
type lapser struct {
	p      *Poller
	c      *clock
	at     int
	posted []Announcement
}

func (a *lapser) Announce(ctx context.Context, an Announcement) (string, error) {
	a.posted = append(a.posted, an)
	if len(a.posted) == a.at {
		a.c.advance(a.p.cfg.Lease + time.Minute)
	}
	return "", nil
}

// slugs are the stories posted to col, by their items' slugs, in order.
func (a *lapser) slugs(col string) []string {
	var out []string
	for _, an := range a.posted {
		if an.Collection == col {
			slug, _, _ := strings.Cut(strings.TrimPrefix(an.Story.ID, "Story-"), "-")
			out = append(out, slug)
		}
	}
	return out
}

// lapsedPoll follows the feed into cols, primes them, publishes stories b
// and c, and polls it until a poll is saved: the first of those polls
// loses its claim during post number at.
func lapsedPoll(t *testing.T, at int, cols ...string) (*lapser, *library.Library, []Report) {
	t.Helper()
	site := feedtest.New(t)
	p, lib, c := newPoller(t, Config{HostGap: -1, Lease: 10 * time.Minute})
	a := &lapser{p: p, c: c, at: at}
	p.SetAnnouncer(a)
	now := time.Date(2025, 3, 12, 0, 0, 0, 0, time.UTC)
	site.Publish("/f.rss", article("a", now.Add(-3*time.Hour)))
	ctx := context.Background()
	followAndPrime(t, p, site.URL+"/f.rss", cols...)
	site.Publish("/f.rss", article("a", now.Add(-3*time.Hour)), article("b", now.Add(-2*time.Hour)), article("c", now.Add(-time.Hour)))
	c.advance(15 * time.Minute)
	var reps []Report
	for range 3 {
		r := p.PollDue(ctx)
		if len(r) != 1 {
			t.Fatalf("%d feeds polled, want 1", len(r))
		}
		reps = append(reps, r[0])
		if !r[0].Lost {
			break
		}
	}
	if len(reps) != 2 || !reps[0].Lost || reps[1].Lost || reps[1].Err != nil {
		t.Fatalf("want a lost poll and then a saved one: %+v", reps)
	}
	return a, lib, reps
}

// A poll that lost its claim after posting story b, and before c, saved
// no seen keys; the next poll posts c, and not b again, and adds neither
// again (the collection holds them word for word: no replaced copies).
func TestFeedPollAfterALostLeasePostsTheRestOnce(t *testing.T) {
	a, lib, reps := lapsedPoll(t, 1, guild)
	if got := a.slugs(guild); !slices.Equal(got, []string{"b", "c"}) {
		t.Errorf("posted %v, want [b c]", got)
	}
	if reps[0].Announced != 1 || reps[1].Announced != 1 || len(reps[1].Added[guild]) != 0 {
		t.Errorf("reports %+v", reps)
	}
	if n := storyCount(lib); n != 3 {
		t.Errorf("%d stories, want a, b and c", n)
	}
	if removed, err := lib.Removed(context.Background(), guild); err != nil || len(removed) != 0 {
		t.Errorf("the next poll replaced stories the lost one added: %+v %v", removed, err)
	}
}

// With two followers, a poll that lost its claim after the first one's
// posts leaves the second to the next poll, which posts every story to
// the second once and none to the first again.
func TestFeedPollAfterALostLeaseServesTheOtherFollowerOnce(t *testing.T) {
	a, lib, _ := lapsedPoll(t, 2, guild, other)
	for _, col := range []string{guild, other} {
		if got := a.slugs(col); !slices.Equal(got, []string{"b", "c"}) {
			t.Errorf("posted to %s: %v, want [b c]", col, got)
		}
		if n := len(lib.Index().Stories(index.Scope{col})); n != 3 {
			t.Errorf("%d stories in %s, want a, b and c", n, col)
		}
		if removed, err := lib.Removed(context.Background(), col); err != nil || len(removed) != 0 {
			t.Errorf("stories replaced in %s: %+v %v", col, removed, err)
		}
	}
}

// A feed's address that answers 200 with a page that is no feed (a parked
// domain's) fails each poll, and waits longer after each, as a feed that
// is down does.
func TestFeedThatServesAPageBacksOff(t *testing.T) {
	var parked atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if parked.Load() {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<!DOCTYPE html><html><body><p>This domain is for sale.</p></body></html>`)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<rss version="2.0"><channel><title>T</title><item><guid>1</guid><title>One</title><description>The first item.</description></item></channel></rss>`)
	}))
	t.Cleanup(srv.Close)
	p, _, c := newPoller(t, Config{HostGap: -1})
	ctx := context.Background()
	if _, err := p.Follow(ctx, guild, srv.URL+"/f.rss", "", library.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	p.PollDue(ctx)
	parked.Store(true)
	for failures := 1; failures <= 3; failures++ {
		c.advance(48 * time.Hour)
		if reps := p.PollDue(ctx); len(reps) != 1 || reps[0].Err == nil {
			t.Fatalf("poll %d: %+v, want a failed poll", failures, reps)
		}
		states, err := p.Store().FeedStates(ctx)
		if err != nil || len(states) != 1 {
			t.Fatalf("%+v %v", states, err)
		}
		want := Backoff(p.Interval(), failures, 0)
		if st := states[0]; st.Failures != failures || st.NextPoll.Sub(c.now()) != want {
			t.Errorf("after %d failed polls: failures %d, next poll in %s, want in %s", failures, st.Failures, st.NextPoll.Sub(c.now()), want)
		}
	}
}

// shutdown is a handler that, when armed with a poll's cancel, cancels the
// poll as it asks (the process shuts down mid-request), and answers once
// the poller has given up; unarmed, it serves h.
type shutdown struct {
	cancel atomic.Pointer[context.CancelFunc]
	h      http.Handler
}

func (s *shutdown) arm(cancel context.CancelFunc) { s.cancel.Store(&cancel) }

func (s *shutdown) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if c := s.cancel.Swap(nil); c != nil {
		(*c)()
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
		return
	}
	s.h.ServeHTTP(w, r)
}

// articlePage serves any path as an article named by it.
var articlePage = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!DOCTYPE html><html><head><title>Story %[1]s</title></head><body><article><h1>Story %[1]s</h1><p>The first paragraph of story %[1]s says what happened.</p><p>A second paragraph adds a detail.</p></article></body></html>`, strings.Trim(r.URL.Path, "/"))
})

// pollState is the one feed's poll state.
func pollState(t *testing.T, p *Poller) library.FeedState {
	t.Helper()
	states, err := p.Store().FeedStates(context.Background())
	if err != nil || len(states) != 1 {
		t.Fatalf("feed states %+v %v", states, err)
	}
	return states[0]
}

// A poll cut short by a shutdown while it fetched a new item's page saves
// that item as seen no more than it added it: the next poll, due at once,
// adds it. The shutdown is no failure of the feed.
func TestFeedPollCancelledWhileFetchingPagesKeepsItsItems(t *testing.T) {
	site := feedtest.New(t)
	pages := &shutdown{h: articlePage}
	other := httptest.NewServer(pages)
	t.Cleanup(other.Close)
	p, lib, c := newPoller(t, Config{HostGap: -1})
	now := time.Date(2025, 3, 12, 0, 0, 0, 0, time.UTC)
	site.Publish("/f.rss", article("a", now.Add(-3*time.Hour)))
	ctx := context.Background()
	if _, err := p.Follow(ctx, guild, site.URL+"/f.rss", "", library.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	p.PollDue(ctx)
	b := article("b", now.Add(-time.Hour))
	b.Link = other.URL + "/b"
	site.Publish("/f.rss", b)
	c.advance(15 * time.Minute)
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pages.arm(cancel)
	if reps := p.PollDue(cctx); len(reps) != 1 || len(reps[0].Added[guild]) != 0 {
		t.Fatalf("the cancelled poll: %+v", reps)
	}
	if st := pollState(t, p); st.Failures != 0 || st.NextPoll.After(c.now()) || st.Holder != "" {
		t.Errorf("after the cancelled poll: failures %d, next poll in %s, holder %q; want no failure, due now, no holder",
			st.Failures, st.NextPoll.Sub(c.now()), st.Holder)
	}
	c.advance(15 * time.Minute)
	reps := p.PollDue(ctx)
	if len(reps) != 1 || len(reps[0].Added[guild]) != 1 || storyCount(lib) != 2 {
		t.Errorf("the poll after the cancelled one: %+v, %d stories; want b added", reps, storyCount(lib))
	}
}

// canceller is an announcer that shuts the poll down as it posts its
// first story, which goes through.
type canceller struct {
	cancel context.CancelFunc
	posted map[string][]string // story IDs by collection
}

func (a *canceller) Announce(ctx context.Context, an Announcement) (string, error) {
	if len(a.posted) == 0 && a.cancel != nil {
		a.cancel()
	}
	if a.posted == nil {
		a.posted = map[string][]string{}
	}
	a.posted[an.Collection] = append(a.posted[an.Collection], an.Story.ID)
	return "", nil
}

// A poll shut down after serving its first follower leaves the new item
// unseen: the next poll adds it for and posts it to the other follower,
// and does not post it to the first again.
func TestFeedPollCancelledAfterTheFirstFollowerServesTheOthersNext(t *testing.T) {
	site := feedtest.New(t)
	p, lib, c := newPoller(t, Config{HostGap: -1})
	a := &canceller{}
	p.SetAnnouncer(a)
	now := time.Date(2025, 3, 12, 0, 0, 0, 0, time.UTC)
	site.Publish("/f.rss", article("a", now.Add(-3*time.Hour)))
	ctx := context.Background()
	followAndPrime(t, p, site.URL+"/f.rss", guild, other)
	site.Publish("/f.rss", article("b", now.Add(-time.Hour)))
	c.advance(15 * time.Minute)
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	a.cancel = cancel
	if reps := p.PollDue(cctx); len(reps) != 1 || reps[0].Announced != 1 || len(reps[0].Added) != 1 {
		t.Fatalf("the cancelled poll: %+v, want one follower served", reps)
	}
	c.advance(15 * time.Minute)
	if reps := p.PollDue(ctx); len(reps) != 1 || reps[0].Announced != 1 {
		t.Errorf("the poll after the cancelled one: %+v, want b posted to the other follower", reps)
	}
	for _, col := range []string{guild, other} {
		if len(a.posted[col]) != 1 {
			t.Errorf("posted to %s: %v, want b once", col, a.posted[col])
		}
		if n := len(lib.Index().Stories(index.Scope{col})); n != 2 {
			t.Errorf("%d stories in %s, want a and b", n, col)
		}
	}
}

// A shutdown while the feed itself is fetched is no failure: the feed
// does not back off, and is due at once.
func TestFeedFetchCancelledIsNoFailure(t *testing.T) {
	feed := &shutdown{h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<rss version="2.0"><channel><title>T</title><item><guid>1</guid><title>One</title><description>The first item.</description></item></channel></rss>`)
	})}
	srv := httptest.NewServer(feed)
	t.Cleanup(srv.Close)
	p, _, c := newPoller(t, Config{HostGap: -1})
	ctx := context.Background()
	if _, err := p.Follow(ctx, guild, srv.URL+"/f.rss", "", library.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	p.PollDue(ctx)
	c.advance(15 * time.Minute)
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	feed.arm(cancel)
	p.PollDue(cctx)
	if st := pollState(t, p); st.Failures != 0 || st.NextPoll.After(c.now()) {
		t.Errorf("after a cancelled fetch: failures %d, next poll in %s; want no failure, due now", st.Failures, st.NextPoll.Sub(c.now()))
	}
}

// An item's relative link is read against the feed's address after its
// redirects, so the item's page is fetched and the story has its URL.
func TestFeedItemWithARelativeLinkIsFetched(t *testing.T) {
	var pageHits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/old.rss":
			http.Redirect(w, r, "/feeds/main.rss", http.StatusMovedPermanently)
		case "/feeds/main.rss":
			w.Header().Set("Content-Type", "application/rss+xml")
			fmt.Fprint(w, `<rss version="2.0"><channel><title>T</title><item><title>Story a</title><link>a.html</link><guid>a</guid><pubDate>Wed, 12 Mar 2025 10:00:00 +0000</pubDate><description>The feed's summary.</description></item></channel></rss>`)
		default:
			pageHits.Add(1)
			articlePage(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	p, lib, _ := newPoller(t, Config{HostGap: -1})
	ctx := context.Background()
	if _, err := p.Follow(ctx, guild, srv.URL+"/old.rss", "", library.Actor{Name: "test"}); err != nil {
		t.Fatal(err)
	}
	p.PollDue(ctx)
	stories := lib.Index().Stories(index.Scope{guild})
	if pageHits.Load() != 1 || len(stories) != 1 || stories[0].URL != srv.URL+"/feeds/a.html" {
		t.Errorf("%d page fetches, stories %+v; want the page %s/feeds/a.html fetched and its URL", pageHits.Load(), stories, srv.URL)
	}
}
