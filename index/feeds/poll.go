// Package feeds follows news feeds (RSS, Atom, JSON Feed) into the story
// library. A Poller fetches each followed feed once per interval, however
// many collections follow it, with a conditional GET, politely per host
// and backing off when it fails; it turns each new item into a story (the
// item's page, or else the feed's own content), adds it to every
// collection that follows the feed, and hands it to an Announcer, which
// posts it with a thread where the follow names a channel.
//
// The feeds and their state live in the library's store, so with
// PostgreSQL every process runs a Poller and each feed is still polled by
// exactly one of them at a time: a claim moves the feed's next poll
// forward in one statement, and only one process can win it. The poll
// renews the claim (HoldFeed) before each story it adds or posts, and
// stops if the lease lapsed or another process took it. What it handled
// for each follower before that is marked delivered (MarkDelivered) as it
// goes, so the poll that takes over neither adds it again nor posts it
// twice: the feed's seen keys are saved only at the end, and never by a
// poll that a shutdown cut short, which leaves the feed as it found it,
// due again at once, without counting a failure. The others
// learn of the new stories as of any change, through the library's Follow.
package feeds

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"net/url"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/corpus/fetch"
	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/library"
)

// Defaults for the zero Config.
const (
	DefaultInterval = 15 * time.Minute
	DefaultMaxItems = 20
	DefaultMaxAge   = 7 * 24 * time.Hour
	DefaultMaxFeeds = 10
	DefaultHostGap  = time.Second
	DefaultJitter   = 0.1
	// maxBackoff caps the wait after failures: a feed that is down for
	// days is still tried daily.
	maxBackoff = 24 * time.Hour
	// maxFeedBytes bounds a feed document.
	maxFeedBytes = 5 << 20
	// parallel is how many feeds one process polls at once.
	parallel = 4
)

// Announcer posts a new story where a follow asked for it.
type Announcer interface {
	// Announce posts the story in the channel and opens a thread on it,
	// returning the thread's channel ID ("" when no thread could be made).
	Announce(ctx context.Context, a Announcement) (thread string, err error)
}

// Announcement is one new story for one channel.
type Announcement struct {
	Collection string
	Channel    string
	FeedTitle  string
	FeedURL    string
	Story      *corpus.Story
}

// Config sets up a Poller. Zero fields take the defaults.
type Config struct {
	Library *library.Library
	// Announce posts new stories; nil indexes them without posting.
	Announce Announcer
	// Interval is the time between two polls of a feed (default 15m),
	// jittered by Jitter of itself either way (default 0.1; negative: none).
	Interval time.Duration
	Jitter   float64
	// MaxItems is how many items one poll turns into stories (default 20);
	// more new ones wait for the next poll.
	MaxItems int
	// MaxAge skips items older than this (default 7 days).
	MaxAge time.Duration
	// MaxFeeds is how many feeds a server may follow (default 10); the
	// shared library has no limit.
	MaxFeeds int
	// HostGap is the least time between two requests to one host
	// (default 1s).
	HostGap time.Duration
	// Lease is how long a claim on a feed lasts if its poller dies
	// (default 15m); it must outlast a poll.
	Lease time.Duration
	// Tick is how often due feeds are looked for (default a quarter of
	// the interval, at most 30s).
	Tick time.Duration
	// AllowPrivate lets feeds and pages be fetched from private addresses.
	AllowPrivate bool
	// Timeout bounds each fetch (default fetch's 20s).
	Timeout time.Duration
	// Now is the clock (default time.Now); tests move it.
	Now func() time.Time
	Log *slog.Logger
}

// Poller polls the followed feeds.
type Poller struct {
	cfg    Config
	lib    *library.Library
	store  library.FeedStore
	log    *slog.Logger
	holder string
	kick   chan struct{}

	mu    sync.Mutex
	hosts map[string]time.Time // when each host may be asked again
}

// New makes a Poller over the library's feed store.
func New(cfg Config) (*Poller, error) {
	store, err := cfg.Library.Feeds()
	if err != nil {
		return nil, err
	}
	if cfg.Interval <= 0 {
		cfg.Interval = DefaultInterval
	}
	if cfg.Jitter == 0 {
		cfg.Jitter = DefaultJitter
	}
	if cfg.MaxItems <= 0 {
		cfg.MaxItems = DefaultMaxItems
	}
	if cfg.MaxAge <= 0 {
		cfg.MaxAge = DefaultMaxAge
	}
	if cfg.MaxFeeds <= 0 {
		cfg.MaxFeeds = DefaultMaxFeeds
	}
	if cfg.HostGap == 0 {
		cfg.HostGap = DefaultHostGap
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 15 * time.Minute
	}
	if cfg.Tick <= 0 {
		cfg.Tick = min(cfg.Interval/4, 30*time.Second)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	host, _ := os.Hostname()
	var b [4]byte
	_, _ = rand.Read(b[:])
	return &Poller{cfg: cfg, lib: cfg.Library, store: store, log: cfg.Log, kick: make(chan struct{}, 1),
		hosts: map[string]time.Time{}, holder: fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))}, nil
}

// SetAnnouncer sets who posts new stories; call it before Run.
func (p *Poller) SetAnnouncer(a Announcer) { p.cfg.Announce = a }

// Interval is the time between two polls of a feed.
func (p *Poller) Interval() time.Duration { return p.cfg.Interval }

// Store is the feed store the poller keeps its state in.
func (p *Poller) Store() library.FeedStore { return p.store }

// Run polls the feeds that are due every Tick, and when kicked, until ctx
// ends.
func (p *Poller) Run(ctx context.Context) error {
	t := time.NewTicker(p.cfg.Tick)
	defer t.Stop()
	for {
		p.PollDue(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-p.kick:
		}
	}
}

// Kick makes Run look for due feeds now, as after a new follow.
func (p *Poller) Kick() {
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

// Report is what one poll of a feed did.
type Report struct {
	URL string
	// Fetched is false when the feed was due but another process held it.
	Fetched     bool
	NotModified bool
	Err         error
	// Added are the stories added, by collection.
	Added map[string][]string
	// Announced counts the stories posted.
	Announced int
	// Retired counts the stories retired to make room.
	Retired int
	// Full counts the stories not added because a collection was at its
	// quota with only moderators' stories, which are never retired.
	Full int
	// Lost is set when the poll stopped because its claim lapsed or was
	// taken by another process, which then polls the feed.
	Lost bool
}

// PollDue polls every feed that is due now, a few at a time, and says
// what each poll did.
func (p *Poller) PollDue(ctx context.Context) []Report {
	states, err := p.store.FeedStates(ctx)
	if err != nil {
		if ctx.Err() == nil {
			p.log.Error("listing the followed feeds", "err", err)
		}
		return nil
	}
	now := p.cfg.Now()
	var due []library.FeedState
	for _, s := range states {
		if !s.NextPoll.After(now) {
			due = append(due, s)
		}
	}
	reports := make([]Report, len(due))
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for i, s := range due {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			reports[i] = p.pollFeed(ctx, s.URL)
		})
	}
	wg.Wait()
	return reports
}

// pollFeed claims one feed and, if it got it, polls it.
func (p *Poller) pollFeed(ctx context.Context, feedURL string) Report {
	rep := Report{URL: feedURL}
	st, ok, err := p.store.ClaimFeed(ctx, feedURL, p.holder, p.cfg.Now(), p.cfg.Lease)
	if err != nil || !ok {
		rep.Err = err
		return rep
	}
	rep.Fetched = true
	follows, err := p.store.Follows(ctx, "")
	if err != nil {
		rep.Err = err
		st.NextPoll = p.cfg.Now().Add(p.cfg.Interval)
		p.finish(ctx, st, nil, time.Time{}, nil)
		return rep
	}
	var followers []library.Follow
	for _, f := range follows {
		if f.URL == feedURL {
			followers = append(followers, f)
		}
	}
	p.poll(ctx, st, followers, &rep)
	if rep.Err != nil && ctx.Err() == nil {
		p.log.Warn("polling a feed failed", "feed", feedURL, "failures", st.Failures+1, "err", rep.Err)
	}
	return rep
}

func (p *Poller) finish(ctx context.Context, st library.FeedState, seen []string, forget time.Time, primed []string) {
	// Saved even when the poll was cancelled, so the claim is let go.
	ctx = context.WithoutCancel(ctx)
	err := p.store.FinishPoll(ctx, st, seen, p.cfg.Now(), forget, primed)
	switch {
	case errors.Is(err, library.ErrClaimLost):
		p.log.Warn("lost the claim on a feed before saving its poll; the poller that took it saves its own", "feed", st.URL)
	case err != nil:
		p.log.Error("saving a feed's poll state", "feed", st.URL, "err", err)
	}
}

// hold renews the poll's claim on a feed before a change, and says
// whether the poll may go on: false when the lease lapsed or another
// process took the feed, which then polls it, so that two pollers never
// both post its stories.
func (p *Poller) hold(ctx context.Context, feedURL string, rep *Report) bool {
	if rep.Lost {
		return false
	}
	ok, err := p.store.HoldFeed(ctx, feedURL, p.holder, p.cfg.Now(), p.cfg.Lease)
	if !ok && ctx.Err() != nil {
		return false // shut down, not taken: the poll lets the claim go itself
	}
	if err != nil {
		rep.Err = errors.Join(rep.Err, fmt.Errorf("renewing the claim: %w", err))
	}
	if !ok {
		rep.Lost = true
		p.log.Warn("lost the claim on a feed; its poll stops here", "feed", feedURL, "err", err)
	}
	return ok
}

// feedOptions are the fetch limits of a feed document. Pages served as
// HTML are fetched too, so that a web page given instead of its feed is
// refused as not a feed rather than as the wrong type.
func (p *Poller) feedOptions() fetch.Options {
	return fetch.Options{
		AllowPrivate: p.cfg.AllowPrivate, Timeout: p.cfg.Timeout, MaxBytes: maxFeedBytes,
		Types: []string{"application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml",
			"application/xml", "text/xml", "application/json", "text/plain", "text/html"},
	}
}

// next is when a feed that was polled at now is due again: one interval
// on, jittered so that feeds followed together drift apart.
func (p *Poller) next(now time.Time) time.Time {
	d := p.cfg.Interval
	if p.cfg.Jitter > 0 {
		d += time.Duration((mrand.Float64()*2 - 1) * p.cfg.Jitter * float64(d))
	}
	return now.Add(d)
}

// Backoff is the wait after a feed failed failures times in a row: the
// interval doubled for each, at most a day, and at least what the site
// asked for with Retry-After.
func Backoff(interval time.Duration, failures int, retryAfter time.Duration) time.Duration {
	d := interval
	for i := 0; i < failures && d < maxBackoff; i++ {
		d *= 2
	}
	d = min(d, maxBackoff)
	return max(d, min(retryAfter, maxBackoff))
}

func (p *Poller) poll(ctx context.Context, st library.FeedState, followers []library.Follow, rep *Report) {
	if len(followers) == 0 {
		p.finish(ctx, st, nil, time.Time{}, nil)
		return
	}
	priming := false
	for _, f := range followers {
		priming = priming || !f.Primed
	}
	v := fetch.Validators{ETag: st.ETag, LastModified: st.LastModified}
	if priming {
		// A new follower needs the items themselves, not "not modified".
		v = fetch.Validators{}
	}
	// A poll cut short by a shutdown saves nothing it learnt: the feed's
	// validators and seen keys stay as they were, so the next poll, due at
	// once, fetches the feed in full and brings every item this one did not
	// add (what it did add is marked delivered, and skipped then), and a
	// shutdown does not count as a failure.
	claimed := st
	abandon := func() {
		s := claimed
		s.NextPoll = p.cfg.Now()
		p.finish(ctx, s, nil, time.Time{}, nil)
	}
	fail := func(err error) {
		rep.Err = err
		if ctx.Err() != nil {
			abandon()
			return
		}
		st.Failures++
		var se *fetch.StatusError
		var after time.Duration
		if errors.As(err, &se) {
			after = se.RetryAfter
		}
		st.LastStatus = clip(err.Error(), 300)
		st.NextPoll = p.cfg.Now().Add(Backoff(p.cfg.Interval, st.Failures, after))
		p.finish(ctx, st, nil, time.Time{}, nil)
	}
	if err := p.polite(ctx, st.URL); err != nil {
		fail(err)
		return
	}
	resp, err := fetch.Get(ctx, st.URL, p.feedOptions(), v)
	st.LastPoll = p.cfg.Now()
	if err != nil {
		fail(err)
		return
	}
	if resp.NotModified {
		rep.NotModified = true
		st.Failures = 0
		st.LastStatus = "not modified"
		st.NextPoll = p.next(st.LastPoll)
		p.finish(ctx, st, nil, time.Time{}, nil)
		return
	}
	feed, err := Parse(resp.Page.Body, resp.Page.URL)
	if err != nil {
		fail(err) // a 200 that is no feed (a parked domain's page) is a failure too, and backs off
		return
	}
	st.Failures = 0
	st.Title = feed.Title
	st.ETag, st.LastModified = resp.Validators.ETag, resp.Validators.LastModified
	seen, err := p.store.SeenItems(ctx, st.URL)
	if err != nil {
		fail(err)
		return
	}
	now := st.LastPoll
	cutoff := now.Add(-p.cfg.MaxAge)
	var current, fresh []entry
	seenNow := []string{}
	for _, e := range entries(feed) {
		if !e.Published.IsZero() && e.Published.Before(cutoff) {
			seenNow = append(seenNow, e.key) // too old to index, ever
			continue
		}
		current = append(current, e)
		if !seen[e.key] {
			fresh = append(fresh, e)
		}
	}
	// The newest MaxItems new items are taken now. On a feed's first poll
	// the rest are its back catalogue and count as seen; later, they stay
	// unseen for the next poll, which must then fetch the feed in full.
	backlog := map[string]bool{}
	if len(fresh) > p.cfg.MaxItems {
		if len(seen) > 0 {
			for _, e := range fresh[p.cfg.MaxItems:] {
				backlog[e.key] = true
			}
			st.ETag, st.LastModified = "", ""
		}
		fresh = fresh[:p.cfg.MaxItems]
	}
	prime := current[:min(len(current), p.cfg.MaxItems)]
	for _, e := range current {
		if !backlog[e.key] {
			seenNow = append(seenNow, e.key)
		}
	}
	// What an earlier poll that lost its claim already handled for each
	// follower: its items are unseen still, but not new to that follower.
	// Looked up only for the followers this poll brings items to.
	delivered := make([]map[string]bool, len(followers))
	for i, f := range followers {
		if items := followerItems(f, fresh, prime); len(items) == 0 {
			continue
		}
		if delivered[i], err = p.store.Delivered(ctx, st.URL, f.Collection); err != nil {
			fail(fmt.Errorf("reading what was delivered to %s: %w", f.Collection, err))
			return
		}
	}
	// Each item's story is made once, whoever follows the feed.
	ups := map[string]*corpus.Upload{}
	make1 := func(e entry) {
		if _, ok := ups[e.key]; ok || ctx.Err() != nil {
			return
		}
		up, source, err := p.upload(ctx, feed.Title, st.URL, e)
		if err != nil {
			p.log.Warn("skipped a feed item", "feed", st.URL, "item", clip(e.Title, 100), "err", err)
		} else {
			p.log.Debug("made a story from a feed item", "feed", st.URL, "story", up.Name, "from", source)
		}
		ups[e.key] = up
	}
	var primed []string
	for i, f := range followers {
		items := followerItems(f, fresh, prime)
		var batch []*corpus.Upload
		keys := map[string][]string{} // the item keys of each story name
		for _, e := range items {
			if delivered[i][e.key] {
				continue // added, and posted if it was to be, by a poll that lost its claim
			}
			make1(e)
			if up := ups[e.key]; up != nil {
				batch = append(batch, up)
				keys[up.Name] = append(keys[up.Name], e.key)
			}
		}
		mark := func(names ...string) {
			var ks []string
			for _, n := range names {
				ks = append(ks, keys[n]...)
			}
			p.markDelivered(ctx, st.URL, f.Collection, ks)
		}
		// Oldest first, as the feed published them: stories of one day
		// keep that order, and the oldest is retired first.
		slices.Reverse(batch)
		if ctx.Err() != nil || !p.hold(ctx, st.URL, rep) {
			break
		}
		res, err := p.lib.AddFeedStories(ctx, f.Collection, library.Actor{Name: "feed " + clip(st.URL, 200)}, batch)
		if err != nil {
			rep.Err = errors.Join(rep.Err, fmt.Errorf("collection %s: %w", f.Collection, err))
		}
		for _, fl := range res.Failed {
			p.log.Warn("a feed item's story could not be saved", "feed", st.URL, "collection", f.Collection, "story", fl.Path, "reason", fl.Reason)
		}
		for _, name := range res.Full {
			p.log.Warn("skipped a feed item: the collection is at its quota and only its moderators' stories are left, which are never retired",
				"feed", st.URL, "collection", f.Collection, "story", name)
		}
		rep.Full += len(res.Full)
		rep.Retired += len(res.Retired)
		if rep.Added == nil {
			rep.Added = map[string][]string{}
		}
		for _, s := range res.Added {
			rep.Added[f.Collection] = append(rep.Added[f.Collection], s.ID)
		}
		// Stories it already held word for word were added by a poll that
		// lost its claim before posting them: they are posted now.
		stories := append(slices.Clone(res.Added), res.Held...)
		mark(res.Full...) // never to be added by this poll either
		if !f.Primed || f.Channel == "" || p.cfg.Announce == nil {
			for _, s := range stories {
				mark(s.ID)
			}
		}
		if !f.Primed {
			if err == nil {
				primed = append(primed, f.Collection)
			}
			continue // its first poll: indexed, never announced
		}
		if f.Channel != "" && p.cfg.Announce != nil {
			rep.Announced += p.announce(ctx, f, feed.Title, st.URL, stories, rep, func(s *corpus.Story) { mark(s.ID) })
		}
	}
	if rep.Lost {
		return // the state is the new holder's to save
	}
	if ctx.Err() != nil {
		abandon()
		return
	}
	n := len(fresh)
	st.LastStatus = "unchanged"
	if n > 0 {
		st.LastStatus = fmt.Sprintf("%d new %s", n, plural(n, "item", "items"))
	}
	st.NextPoll = p.next(now)
	// Keys are kept for a while after their item leaves the feed, so an
	// item that comes back is not taken for new.
	forget := now.Add(-max(4*p.cfg.MaxAge, 30*24*time.Hour))
	p.finish(ctx, st, seenNow, forget, primed)
}

// followerItems are the items a poll brings f: the new ones, or on its
// first poll the feed's latest, which prime it.
func followerItems(f library.Follow, fresh, prime []entry) []entry {
	if !f.Primed {
		return prime
	}
	return fresh
}

// markDelivered records that the items of keys were handled for col; it
// is saved even when the poll was cancelled, as it records what happened.
func (p *Poller) markDelivered(ctx context.Context, feedURL, col string, keys []string) {
	if len(keys) == 0 {
		return
	}
	if err := p.store.MarkDelivered(context.WithoutCancel(ctx), feedURL, col, keys, p.cfg.Now()); err != nil {
		p.log.Error("recording a feed's items as delivered; a later poll may post them again", "feed", feedURL, "collection", col, "err", err)
	}
}

// announce posts the stories, oldest first, and records their threads,
// while the poll holds the feed. It calls attempted after each post,
// whether or not the post went through, so that no later poll posts the
// story there again.
func (p *Poller) announce(ctx context.Context, f library.Follow, title, feedURL string, stories []*corpus.Story, rep *Report, attempted func(*corpus.Story)) int {
	sort.SliceStable(stories, func(i, j int) bool { return stories[i].Published.Before(stories[j].Published) })
	n := 0
	for _, s := range stories {
		// Once shut down, a post would fail and yet count as attempted.
		if ctx.Err() != nil || !p.hold(ctx, feedURL, rep) {
			break
		}
		thread, err := p.cfg.Announce.Announce(ctx, Announcement{Collection: f.Collection, Channel: f.Channel, FeedTitle: title, FeedURL: feedURL, Story: s})
		attempted(s)
		if err != nil {
			p.log.Warn("posting a feed's new story failed", "feed", feedURL, "channel", f.Channel, "story", s.ID, "err", err)
			continue
		}
		n++
		if thread == "" {
			continue
		}
		t := library.Thread{ID: thread, Collection: f.Collection, Story: s.ID, Feed: feedURL, Channel: f.Channel, At: p.cfg.Now()}
		if err := p.store.PutThread(ctx, t); err != nil {
			p.log.Error("recording a story's thread", "thread", thread, "story", s.ID, "err", err)
		}
	}
	return n
}

// polite waits until rawURL's host may be asked again, and books the
// next turn: requests to one host are HostGap apart, whichever feed or
// page they are for.
func (p *Poller) polite(ctx context.Context, rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil || p.cfg.HostGap < 0 {
		return nil
	}
	host := strings.ToLower(u.Hostname())
	p.mu.Lock()
	now := time.Now()
	at := now
	if next := p.hosts[host]; next.After(now) {
		at = next
	}
	p.hosts[host] = at.Add(p.cfg.HostGap)
	for h, t := range p.hosts {
		if t.Before(now) {
			delete(p.hosts, h)
		}
	}
	p.mu.Unlock()
	if wait := at.Sub(now); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return nil
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// limit is how many feeds col may follow.
func (p *Poller) limit(col string) int {
	if col == index.Shared {
		return 0
	}
	return p.cfg.MaxFeeds
}
