package library

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/library/pgtest"
)

// feedStores runs a test on the file store and on PostgreSQL: the feeds
// must behave the same in both.
func feedStores(t *testing.T, run func(t *testing.T, open func() FeedStore, lib *Library)) {
	t.Run("files", func(t *testing.T) {
		root := t.TempDir()
		lib := openFiles(t, root, t.TempDir(), Quota{Stories: 2})
		run(t, func() FeedStore {
			f, err := NewFiles(root)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}, lib)
	})
	t.Run("postgres", func(t *testing.T) {
		url := pgtest.URL(t)
		lib := openPostgres(t, url, Quota{Stories: 2})
		run(t, func() FeedStore {
			p, err := OpenPostgres(context.Background(), url, nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { p.Close() })
			return p
		}, lib)
	})
}

var t0 = time.Date(2025, 3, 12, 12, 0, 0, 0, time.UTC)

func TestFeedFollowsAndTheirLimit(t *testing.T) {
	feedStores(t, func(t *testing.T, open func() FeedStore, _ *Library) {
		ctx := context.Background()
		s := open()
		for i := range 2 {
			if added, err := s.Follow(ctx, Follow{Collection: guildA, URL: fmt.Sprintf("https://a.example/%d", i), At: t0}, 2); err != nil || !added {
				t.Fatalf("follow %d: %v %v", i, added, err)
			}
		}
		if _, err := s.Follow(ctx, Follow{Collection: guildA, URL: "https://a.example/3", At: t0}, 2); !errors.Is(err, ErrFeedLimit) {
			t.Errorf("a third follow: %v", err)
		}
		// Following again changes the channel only; the limit is per server.
		if added, err := s.Follow(ctx, Follow{Collection: guildA, URL: "https://a.example/0", Channel: "9", At: t0}, 2); err != nil || added {
			t.Errorf("a repeated follow: %v %v", added, err)
		}
		if _, err := s.Follow(ctx, Follow{Collection: guildB, URL: "https://a.example/0", At: t0}, 2); err != nil {
			t.Fatal(err)
		}
		a, _ := s.Follows(ctx, guildA)
		all, _ := s.Follows(ctx, "")
		states, _ := s.FeedStates(ctx)
		if len(a) != 2 || a[0].Channel != "9" || len(all) != 3 || len(states) != 2 {
			t.Fatalf("follows of A %+v, all %d, feeds %d", a, len(all), len(states))
		}
		if err := s.Unfollow(ctx, guildA, "https://a.example/1"); err != nil {
			t.Fatal(err)
		}
		if err := s.Unfollow(ctx, guildA, "https://a.example/1"); !errors.Is(err, ErrNotFollowed) {
			t.Errorf("unfollowing twice: %v", err)
		}
		if states, _ := s.FeedStates(ctx); len(states) != 1 {
			t.Errorf("a feed nobody follows is still kept: %+v", states)
		}
	})
}

// However many processes look at once, a due feed is claimed by one; the
// claim ends with the poll, or with the lease if the poller dies.
func TestFeedClaimIsExclusiveAndLeased(t *testing.T) {
	feedStores(t, func(t *testing.T, open func() FeedStore, _ *Library) {
		ctx := context.Background()
		const u = "https://a.example/feed"
		if _, err := open().Follow(ctx, Follow{Collection: guildA, URL: u, At: t0}, 0); err != nil {
			t.Fatal(err)
		}
		var wins atomic.Int32
		var wg sync.WaitGroup
		for i := range 6 {
			s := open() // as another process would
			wg.Go(func() {
				if _, ok, err := s.ClaimFeed(ctx, u, fmt.Sprint("p", i), t0, 10*time.Minute); err != nil {
					t.Error(err)
				} else if ok {
					wins.Add(1)
				}
			})
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Fatalf("%d claims won, want 1", wins.Load())
		}
		s := open()
		if _, ok, _ := s.ClaimFeed(ctx, u, "late", t0.Add(9*time.Minute), 10*time.Minute); ok {
			t.Error("claimed during the lease")
		}
		// The lease lapsed: the poller died, and another takes over.
		st, ok, err := s.ClaimFeed(ctx, u, "rescuer", t0.Add(11*time.Minute), 10*time.Minute)
		if err != nil || !ok {
			t.Fatalf("after the lease: %v %v", ok, err)
		}
		st.NextPoll, st.ETag, st.LastPoll, st.LastStatus = t0.Add(30*time.Minute), `"v1"`, t0.Add(11*time.Minute), "2 new items"
		if err := s.FinishPoll(ctx, st, []string{"k1", "k2"}, t0, t0.Add(-time.Hour), []string{guildA}); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := s.ClaimFeed(ctx, u, "early", t0.Add(29*time.Minute), 10*time.Minute); ok {
			t.Error("claimed before it was due")
		}
		states, _ := s.FeedStates(ctx)
		follows, _ := s.Follows(ctx, guildA)
		seen, _ := s.SeenItems(ctx, u)
		if len(states) != 1 || states[0].ETag != `"v1"` || states[0].Holder != "" || states[0].LastStatus != "2 new items" ||
			!follows[0].Primed || len(seen) != 2 {
			t.Errorf("after the poll: %+v %+v %v", states, follows, seen)
		}
		// Keys not seen since forget are dropped (by the next poll: the
		// last one let its claim go).
		if st, ok, err = s.ClaimFeed(ctx, u, "rescuer", t0.Add(time.Hour), 10*time.Minute); err != nil || !ok {
			t.Fatalf("the next claim: %v %v", ok, err)
		}
		st.NextPoll = t0.Add(2 * time.Hour)
		if err := s.FinishPoll(ctx, st, []string{"k2"}, t0.Add(time.Hour), t0.Add(30*time.Minute), nil); err != nil {
			t.Fatal(err)
		}
		if seen, _ := s.SeenItems(ctx, u); len(seen) != 1 || !seen["k2"] {
			t.Errorf("seen after forgetting: %v", seen)
		}
	})
}

func TestFeedThreadsAndRetiredStories(t *testing.T) {
	feedStores(t, func(t *testing.T, open func() FeedStore, lib *Library) {
		ctx := context.Background()
		s := open()
		th := Thread{ID: "123456", Collection: guildA, Story: "s.txt", Feed: "https://a.example/feed", Channel: "77", At: t0}
		if err := s.PutThread(ctx, th); err != nil {
			t.Fatal(err)
		}
		got, ok, err := open().Thread(ctx, "123456")
		if err != nil || !ok || got.Story != "s.txt" || got.Collection != guildA {
			t.Errorf("thread %+v %v %v", got, ok, err)
		}
		if _, ok, _ := s.Thread(ctx, "999"); ok {
			t.Error("an unknown thread was found")
		}
		var ups = []string{"one.txt", "two.txt", "three.txt"}
		for i, name := range ups {
			res, err := lib.AddFeedStories(ctx, guildA, Actor{Name: "feed"}, []*corpus.Upload{upload(t, name, fmt.Sprint("Story ", i), "Words of story number", fmt.Sprint(i))})
			if err != nil || len(res.Added) != 1 {
				t.Fatalf("adding %s: %+v %v", name, res, err)
			}
			time.Sleep(10 * time.Millisecond) // distinct modification times
		}
		retired, err := lib.Retired(ctx, guildA)
		if err != nil || len(retired) != 1 || retired[0].ID != "one.txt" || !retired[0].Retired {
			t.Fatalf("retired %+v %v", retired, err)
		}
		if u := lib.Usage(guildA); u.Stories != 2 {
			t.Errorf("usage %+v", u)
		}
		if hits := found(t, lib, index.Scope{guildA}, "number"); len(hits) != 2 {
			t.Errorf("a retired story is still answered from: %+v", hits)
		}
		// A retired story is a removed one: it can be restored.
		if _, err := lib.Remove(ctx, guildA, alice, "two.txt"); err != nil {
			t.Fatal(err)
		}
		if _, err := lib.Restore(ctx, guildA, alice, retired[0].Key); err != nil {
			t.Fatal(err)
		}
		if retired, _ := lib.Retired(ctx, guildA); len(retired) != 0 {
			t.Errorf("still retired after the restore: %+v", retired)
		}
	})
}

// At the quota, a feed's new story retires the oldest story a feed
// brought, never an older one a moderator added; a story a moderator
// restores is the moderator's from then on. The markers the file store
// keeps are never listed as stories.
func TestFeedRetiresOnlyFeedStories(t *testing.T) {
	feedStores(t, func(t *testing.T, open func() FeedStore, lib *Library) {
		ctx := context.Background()
		shared := len(lib.Index().Stories(index.Scope{index.Shared}))
		if _, err := lib.Add(ctx, guildA, alice, upload(t, "curated.txt", "A moderator's story", "The curated words of the moderator")); err != nil {
			t.Fatal(err)
		}
		feed := func(name string) FeedResult {
			t.Helper()
			res, err := lib.AddFeedStories(ctx, guildA, Actor{Name: "feed https://a.example/feed"}, []*corpus.Upload{upload(t, name, "Feed story "+name, "The words the feed brought in "+name)})
			if err != nil || len(res.Added) != 1 {
				t.Fatalf("adding %s: %+v %v", name, res, err)
			}
			return res
		}
		feed("one.txt")
		if res := feed("two.txt"); len(res.Retired) != 1 || res.Retired[0].ID != "one.txt" {
			t.Fatalf("the full collection retired %+v, want one.txt", res.Retired)
		}
		if hits := found(t, lib, index.Scope{guildA}, "curated moderator"); len(hits) != 1 {
			t.Errorf("the moderator's story is no longer answered from: %+v", hits)
		}
		// A moderator removes two.txt and restores one.txt, which is the
		// moderator's from then on: with no feed's story left to retire,
		// the next one is not added.
		if _, err := lib.Remove(ctx, guildA, alice, "two.txt"); err != nil {
			t.Fatal(err)
		}
		retired, _ := lib.Retired(ctx, guildA)
		if len(retired) != 1 || retired[0].ID != "one.txt" {
			t.Fatalf("retired %+v", retired)
		}
		if _, err := lib.Restore(ctx, guildA, alice, retired[0].Key); err != nil {
			t.Fatal(err)
		}
		res, err := lib.AddFeedStories(ctx, guildA, Actor{Name: "feed https://a.example/feed"}, []*corpus.Upload{upload(t, "three.txt", "Feed story three", "The words the feed brought in three")})
		if err != nil || len(res.Added) != 0 || len(res.Retired) != 0 || len(res.Full) != 1 {
			t.Fatalf("a feed story beside a restored one: %+v %v", res, err)
		}
		if u := lib.Usage(guildA); u.Stories != 2 {
			t.Errorf("usage %+v", u)
		}
		if _, err := lib.AddFeedStories(ctx, index.Shared, Actor{Name: "feed https://a.example/feed"}, []*corpus.Upload{upload(t, "wire.txt", "Shared feed story", "The shared words")}); err != nil {
			t.Fatal(err)
		}
		if got := lib.Index().Stories(index.Scope{index.Shared}); len(got) != shared+1 {
			t.Errorf("the shared library lists %d stories, want %d: %+v", len(got), shared+1, got)
		}
	})
}

// A collection at its quota with only moderators' stories keeps them
// all: the feed's story is not added, and the result says so.
func TestFeedBeyondTheQuotaNeverRetiresCuratedStories(t *testing.T) {
	feedStores(t, func(t *testing.T, open func() FeedStore, lib *Library) {
		ctx := context.Background()
		for _, name := range []string{"first.txt", "second.txt"} {
			if _, err := lib.Add(ctx, guildA, alice, upload(t, name, "A moderator's story "+name, "The curated words of "+name)); err != nil {
				t.Fatal(err)
			}
		}
		res, err := lib.AddFeedStories(ctx, guildA, Actor{Name: "feed https://a.example/feed"}, []*corpus.Upload{upload(t, "news.txt", "Feed story", "The words the feed brought")})
		if err != nil || len(res.Added) != 0 || len(res.Retired) != 0 || len(res.Full) != 1 || res.Full[0] != "news.txt" {
			t.Fatalf("adding beyond the quota: %+v %v", res, err)
		}
		if hits := found(t, lib, index.Scope{guildA}, "curated words"); len(hits) != 2 {
			t.Errorf("the moderators' stories: %+v", hits)
		}
		if hits := found(t, lib, index.Scope{guildA}, "feed brought"); len(hits) != 0 {
			t.Errorf("the feed's story was indexed: %+v", hits)
		}
		if retired, err := lib.Retired(ctx, guildA); err != nil || len(retired) != 0 {
			t.Errorf("retired %+v %v", retired, err)
		}
		// A moderator's story of the same name as a feed's makes it the
		// moderator's, which is never retired either.
		if _, err := lib.Remove(ctx, guildA, alice, "second.txt"); err != nil {
			t.Fatal(err)
		}
		if res, err := lib.AddFeedStories(ctx, guildA, Actor{Name: "feed https://a.example/feed"}, []*corpus.Upload{upload(t, "news.txt", "Feed story", "The words the feed brought")}); err != nil || len(res.Added) != 1 {
			t.Fatalf("adding within the quota: %+v %v", res, err)
		}
		if _, err := lib.Add(ctx, guildA, alice, upload(t, "news.txt", "A moderator's edit", "The moderator rewrote the news")); err != nil {
			t.Fatal(err)
		}
		res, err = lib.AddFeedStories(ctx, guildA, Actor{Name: "feed https://a.example/feed"}, []*corpus.Upload{upload(t, "later.txt", "Later feed story", "Later words")})
		if err != nil || len(res.Added) != 0 || len(res.Retired) != 0 || len(res.Full) != 1 {
			t.Fatalf("after the moderator's edit: %+v %v", res, err)
		}
	})
}

// A claim is held only by its holder and only until its lease lapses;
// holding it extends the lease. A holder that lost it can neither hold it
// again nor save its poll over the new holder's.
func TestFeedHoldIsLostWhenLapsedOrTaken(t *testing.T) {
	feedStores(t, func(t *testing.T, open func() FeedStore, _ *Library) {
		ctx := context.Background()
		const u = "https://a.example/feed"
		const lease = 10 * time.Minute
		s := open()
		if _, err := s.Follow(ctx, Follow{Collection: guildA, URL: u, At: t0}, 0); err != nil {
			t.Fatal(err)
		}
		a, ok, err := s.ClaimFeed(ctx, u, "a", t0, lease)
		if err != nil || !ok || a.Holder != "a" {
			t.Fatalf("claim: %+v %v %v", a, ok, err)
		}
		hold := func(holder string, at time.Duration) bool {
			t.Helper()
			ok, err := open().HoldFeed(ctx, u, holder, t0.Add(at), lease)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !hold("a", 5*time.Minute) {
			t.Fatal("the holder lost its claim within the lease")
		}
		// Extended to 15 minutes: not claimable at 12.
		if _, ok, _ := s.ClaimFeed(ctx, u, "b", t0.Add(12*time.Minute), lease); ok {
			t.Fatal("claimed within the extended lease")
		}
		if hold("b", 12*time.Minute) {
			t.Error("held by one that never claimed it")
		}
		if hold("a", 15*time.Minute) {
			t.Error("held after the lease lapsed")
		}
		b, ok, err := s.ClaimFeed(ctx, u, "b", t0.Add(16*time.Minute), lease)
		if err != nil || !ok {
			t.Fatalf("claim after the lapse: %v %v", ok, err)
		}
		if hold("a", 17*time.Minute) {
			t.Error("held by the old holder after another took it")
		}
		if !hold("b", 17*time.Minute) {
			t.Error("the new holder lost its claim")
		}
		// The old holder's poll is refused and changes nothing.
		a.ETag, a.LastStatus, a.NextPoll = `"old"`, "1 new item", t0.Add(time.Hour)
		if err := s.FinishPoll(ctx, a, []string{"old-key"}, t0.Add(17*time.Minute), t0, []string{guildA}); !errors.Is(err, ErrClaimLost) {
			t.Fatalf("the old holder's FinishPoll: %v", err)
		}
		states, _ := s.FeedStates(ctx)
		seen, _ := s.SeenItems(ctx, u)
		follows, _ := s.Follows(ctx, guildA)
		if len(states) != 1 || states[0].Holder != "b" || states[0].ETag != "" || len(seen) != 0 || follows[0].Primed {
			t.Fatalf("after the refused poll: %+v %v %+v", states, seen, follows)
		}
		b.ETag, b.NextPoll = `"new"`, t0.Add(time.Hour)
		if err := s.FinishPoll(ctx, b, []string{"new-key"}, t0.Add(18*time.Minute), t0, nil); err != nil {
			t.Fatal(err)
		}
		if states, _ := s.FeedStates(ctx); states[0].Holder != "" || states[0].ETag != `"new"` {
			t.Errorf("after the holder's poll: %+v", states)
		}
		if hold("b", 19*time.Minute) {
			t.Error("held after the poll let the claim go")
		}
	})
}

// A feed's story too large to fit beside the moderators' stories, even
// with every feed story retired, retires none of them.
func TestFeedStoryThatCannotFitRetiresNothing(t *testing.T) {
	feedStores(t, func(t *testing.T, open func() FeedStore, lib *Library) {
		ctx := context.Background()
		feed := Actor{Name: "feed https://a.example/feed"}
		curated := upload(t, "curated.txt", "A moderator's story", "The curated words of the moderators.")
		small := []*corpus.Upload{
			upload(t, "one.txt", "First feed story", "The first words the feed brought."),
			upload(t, "two.txt", "Second feed story", "The second words the feed brought."),
		}
		big := upload(t, "big.txt", "A long feed story", strings.Repeat("A long paragraph the feed brought. ", 5))
		quota := int64(len(curated.Data) + len(small[0].Data) + len(small[1].Data))
		if int64(len(curated.Data)+len(big.Data)) <= quota || int64(len(big.Data)) > quota {
			t.Fatalf("the stories' sizes do not make the case: %d %d %d", len(curated.Data), len(big.Data), quota)
		}
		lib.cfg.Quota = Quota{Stories: 10, Bytes: quota}
		if _, err := lib.Add(ctx, guildA, alice, curated); err != nil {
			t.Fatal(err)
		}
		if res, err := lib.AddFeedStories(ctx, guildA, feed, small); err != nil || len(res.Added) != 2 {
			t.Fatalf("the small feed stories: %+v %v", res, err)
		}
		res, err := lib.AddFeedStories(ctx, guildA, feed, []*corpus.Upload{big})
		if err != nil || len(res.Added) != 0 || len(res.Retired) != 0 || len(res.Full) != 1 {
			t.Fatalf("the story that cannot fit: %+v %v", res, err)
		}
		feedHits := 0
		for _, h := range found(t, lib, index.Scope{guildA}, "words the feed brought") {
			if h.Story == "one.txt" || h.Story == "two.txt" {
				feedHits++
			}
		}
		if feedHits != 2 {
			t.Errorf("%d of the feed's two earlier stories are still answered from", feedHits)
		}
		if u, err := open().FeedUsage(ctx, guildA); err != nil || u.Stories != 2 || u.Bytes != int64(len(small[0].Data)+len(small[1].Data)) {
			t.Errorf("feed usage %+v %v", u, err)
		}
	})
}

// A follow's delivery records are kept by any process, whatever the claim,
// until a poll's FinishPoll covers them with the feed's seen keys (or they
// are older than its forget); unfollowing drops them.
func TestFeedDeliveredUntilThePollIsSaved(t *testing.T) {
	feedStores(t, func(t *testing.T, open func() FeedStore, _ *Library) {
		ctx := context.Background()
		const u = "https://a.example/feed"
		s := open()
		for _, col := range []string{guildA, guildB} {
			if _, err := s.Follow(ctx, Follow{Collection: col, URL: u, At: t0}, 0); err != nil {
				t.Fatal(err)
			}
		}
		delivered := func(col string) map[string]bool {
			t.Helper()
			d, err := open().Delivered(ctx, u, col)
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		if d := delivered(guildA); len(d) != 0 {
			t.Fatalf("delivered before anything was: %v", d)
		}
		st, ok, err := s.ClaimFeed(ctx, u, "a", t0, 10*time.Minute)
		if err != nil || !ok {
			t.Fatalf("claim: %v %v", ok, err)
		}
		// The claim lapses and another takes it; what "a" did still counts.
		if _, ok, err := s.ClaimFeed(ctx, u, "b", t0.Add(11*time.Minute), 10*time.Minute); err != nil || !ok {
			t.Fatalf("the second claim: %v %v", ok, err)
		}
		for range 2 { // idempotent
			if err := open().MarkDelivered(ctx, u, guildA, []string{"k1", "k2"}, t0.Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.MarkDelivered(ctx, u, guildB, []string{"k1"}, t0.Add(2*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkDelivered(ctx, u, "333333333333333333", []string{"k1"}, t0); err != nil {
			t.Errorf("marking for a collection that does not follow the feed: %v", err)
		}
		if a, b := delivered(guildA), delivered(guildB); len(a) != 2 || !a["k1"] || !a["k2"] || len(b) != 1 || !b["k1"] {
			t.Fatalf("delivered to A %v, to B %v", a, b)
		}
		if d := delivered("333333333333333333"); len(d) != 0 {
			t.Errorf("delivered to a collection that does not follow the feed: %v", d)
		}
		// The lost poll's FinishPoll is refused and keeps them.
		if err := s.FinishPoll(ctx, st, []string{"k1", "k2"}, t0.Add(12*time.Minute), t0, nil); !errors.Is(err, ErrClaimLost) {
			t.Fatalf("the lost poll's FinishPoll: %v", err)
		}
		if a := delivered(guildA); len(a) != 2 {
			t.Errorf("a refused FinishPoll dropped the delivery records: %v", a)
		}
		// The new holder's poll saves k1 as seen (k2 left the feed): k1's
		// records go, k2's stays until it is older than forget.
		b := st
		b.Holder, b.NextPoll = "b", t0.Add(time.Hour)
		if err := s.FinishPoll(ctx, b, []string{"k1", "k3"}, t0.Add(13*time.Minute), t0, nil); err != nil {
			t.Fatal(err)
		}
		if a, b := delivered(guildA), delivered(guildB); len(a) != 1 || !a["k2"] || len(b) != 0 {
			t.Fatalf("after the poll was saved: delivered to A %v, to B %v", a, b)
		}
		if err := s.MarkDelivered(ctx, u, guildB, []string{"k4"}, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := s.ClaimFeed(ctx, u, "b", t0.Add(time.Hour), 10*time.Minute); err != nil || !ok {
			t.Fatalf("the next claim: %v %v", ok, err)
		}
		b.NextPoll = t0.Add(2 * time.Hour)
		if err := s.FinishPoll(ctx, b, nil, t0.Add(time.Hour), t0.Add(30*time.Minute), nil); err != nil {
			t.Fatal(err)
		}
		if a, b := delivered(guildA), delivered(guildB); len(a) != 0 || len(b) != 1 {
			t.Fatalf("after forgetting: delivered to A %v, to B %v", a, b)
		}
		// Unfollowing drops a follow's records, and a follow again starts
		// with none.
		if err := s.Unfollow(ctx, guildB, u); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Follow(ctx, Follow{Collection: guildB, URL: u, At: t0.Add(2 * time.Hour)}, 0); err != nil {
			t.Fatal(err)
		}
		if d := delivered(guildB); len(d) != 0 {
			t.Errorf("delivered after unfollowing and following again: %v", d)
		}
		if err := s.MarkDelivered(ctx, u, guildA, []string{"k5"}, t0.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		for _, col := range []string{guildA, guildB} {
			if err := s.Unfollow(ctx, col, u); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.Follow(ctx, Follow{Collection: guildA, URL: u, At: t0.Add(3 * time.Hour)}, 0); err != nil {
			t.Fatal(err)
		}
		if d := delivered(guildA); len(d) != 0 {
			t.Errorf("delivered after the feed was forgotten and followed again: %v", d)
		}
	})
}

// A feed's story that the collection already holds word for word, as
// when a poll that lost its claim added it, is not saved again: it is
// listed as held, not added, and no replaced copy is filed as removed.
func TestFeedStoryHeldWordForWordIsNotSavedAgain(t *testing.T) {
	feedStores(t, func(t *testing.T, open func() FeedStore, lib *Library) {
		ctx := context.Background()
		feed := Actor{Name: "feed https://a.example/feed"}
		up := func() *corpus.Upload { return upload(t, "news.txt", "Feed story", "The words the feed brought") }
		res, err := lib.AddFeedStories(ctx, guildA, feed, []*corpus.Upload{up()})
		if err != nil || len(res.Added) != 1 || len(res.Held) != 0 {
			t.Fatalf("the first add: %+v %v", res, err)
		}
		res, err = lib.AddFeedStories(ctx, guildA, feed, []*corpus.Upload{up()})
		if err != nil || len(res.Added) != 0 || len(res.Held) != 1 || res.Held[0].ID != "news.txt" || len(res.Retired) != 0 {
			t.Fatalf("the same story again: %+v %v", res, err)
		}
		if res.Held[0].Headline == "" {
			t.Errorf("the held story has no title: %+v", res.Held[0])
		}
		if removed, err := lib.Removed(ctx, guildA); err != nil || len(removed) != 0 {
			t.Errorf("removals after adding the same story again: %+v %v", removed, err)
		}
		// A changed text is saved, replacing the old one as before.
		res, err = lib.AddFeedStories(ctx, guildA, feed, []*corpus.Upload{upload(t, "news.txt", "Feed story", "The words the feed brought, corrected")})
		if err != nil || len(res.Added) != 1 || len(res.Held) != 0 {
			t.Fatalf("a changed story: %+v %v", res, err)
		}
		if removed, err := lib.Removed(ctx, guildA); err != nil || len(removed) != 1 {
			t.Errorf("removals after a changed story: %+v %v", removed, err)
		}
	})
}
