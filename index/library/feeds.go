package library

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/storybot/storybot/corpus"
)

// Follow is one collection following one feed: a server's moderators
// follow feeds into their server's collection, the operator into the
// shared library.
type Follow struct {
	Collection string `json:"collection"`
	URL        string `json:"url"`
	// Channel is where new stories are posted, each with a thread; ""
	// indexes them without posting.
	Channel string    `json:"channel,omitempty"`
	By      string    `json:"by,omitempty"`
	At      time.Time `json:"at"`
	// Primed is set once a poll has indexed the feed's items into this
	// collection. Until then nothing from the feed is announced to it, so
	// following a feed never floods a channel with its back catalogue.
	Primed bool `json:"primed,omitempty"`
}

// FeedState is what the poller keeps of one feed URL, however many
// collections follow it: it is fetched once per poll for all of them.
type FeedState struct {
	URL   string `json:"url"`
	Title string `json:"title,omitempty"`
	// ETag and LastModified are the validators of the last response, for
	// a conditional GET.
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	// NextPoll is when the feed is due. A claim moves it forward by the
	// lease, so a process that dies polling frees the feed by itself.
	NextPoll time.Time `json:"next_poll"`
	LastPoll time.Time `json:"last_poll,omitzero"`
	// LastStatus says how the last poll went, for /feeds: "new items",
	// "unchanged", "not modified" or an error.
	LastStatus string `json:"last_status,omitempty"`
	// Failures counts the polls that failed in a row; the wait before the
	// next one doubles with each.
	Failures int `json:"failures,omitempty"`
	// Holder is the process polling the feed now ("" when none).
	Holder string `json:"holder,omitempty"`
}

// Thread is a discussion thread the bot opened on a story it posted:
// questions asked in it are about that story.
type Thread struct {
	ID         string    `json:"id"`
	Collection string    `json:"collection"`
	Story      string    `json:"story"`
	Feed       string    `json:"feed,omitempty"`
	Channel    string    `json:"channel,omitempty"`
	At         time.Time `json:"at"`
}

// FeedStore keeps the feeds, their poll state and the story threads, in
// the same store as the stories (files or PostgreSQL), so that every
// process and every restart agree on them.
type FeedStore interface {
	// Follow adds f, or changes the channel of an existing follow. limit
	// bounds the follows of f.Collection (0: no limit). A new follow is
	// due for polling at f.At.
	Follow(ctx context.Context, f Follow, limit int) (added bool, err error)
	// Unfollow removes a follow; a feed nobody follows any more is
	// forgotten with its state.
	Unfollow(ctx context.Context, col, url string) error
	// Follows lists the follows of col, or of every collection for "".
	Follows(ctx context.Context, col string) ([]Follow, error)
	// FeedStates lists the state of every followed feed.
	FeedStates(ctx context.Context) ([]FeedState, error)
	// ClaimFeed takes the right to poll url when it is due at now and
	// nobody holds it, for lease; across processes exactly one wins.
	ClaimFeed(ctx context.Context, url, holder string, now time.Time, lease time.Duration) (FeedState, bool, error)
	// HoldFeed extends holder's claim on url to now+lease, and reports
	// whether holder still had it: false, changing nothing, when the lease
	// has lapsed or another holds it. A poller calls it before each change
	// it makes, and stops when it is false: another may be polling.
	HoldFeed(ctx context.Context, url, holder string, now time.Time, lease time.Duration) (bool, error)
	// SeenItems are the keys of the items the feed has already brought.
	SeenItems(ctx context.Context, url string) (map[string]bool, error)
	// FinishPoll saves what a poll learnt and lets the claim go: the new
	// state, the keys of the items seen at now (keys last seen before
	// forget are dropped), and the collections now primed. It changes
	// nothing and returns ErrClaimLost when st.Holder no longer holds the
	// claim (another process claimed the feed since).
	//
	// A successful FinishPoll also drops the delivery records (below) of
	// the keys in seen, which the feed's seen keys now cover, and those
	// marked before forget.
	FinishPoll(ctx context.Context, st FeedState, seen []string, now, forget time.Time, primed []string) error
	// MarkDelivered records that the items of keys have been handled for
	// the follow of url by col: added to the collection, and posted where
	// the follow names a channel. It records what already happened, so it
	// is not refused to a poller that lost its claim; marking a key again
	// changes nothing, and marking for a follow that is gone is a no-op.
	// A poll that stops before FinishPoll (its claim lapsed or was taken)
	// leaves its items unseen, and the next poll skips, per follower, the
	// ones delivered to it, so nothing is posted twice.
	MarkDelivered(ctx context.Context, url, col string, keys []string, at time.Time) error
	// Delivered are the keys marked delivered to col from url since the
	// last FinishPoll that covered them. Unfollowing drops them.
	Delivered(ctx context.Context, url, col string) (map[string]bool, error)
	// PutThread records a story's thread.
	PutThread(ctx context.Context, t Thread) error
	// Thread finds a story's thread by its channel ID.
	Thread(ctx context.Context, id string) (Thread, bool, error)
	// PutFeedStory is Store.Put for a story a feed brought, which the
	// store marks as the feed's. A Put of the same name (a moderator's)
	// or a Restore makes it a moderator's story.
	PutFeedStory(ctx context.Context, col, name string, data []byte, by Actor, q Quota) (PutResult, error)
	// RetireOldest takes the oldest story a feed brought into col out of
	// the index to make room within the quota: it stays restorable, and is
	// listed as retired. A story a moderator added is never retired; with
	// no feed's story left, it returns ErrNoFeedStory.
	RetireOldest(ctx context.Context, col string, by Actor) (Removed, error)
	// FeedUsage is what the stories feeds brought into col hold: all that
	// retiring could free.
	FeedUsage(ctx context.Context, col string) (Usage, error)
	// Retired lists col's retired stories that can still be restored,
	// newest first.
	Retired(ctx context.Context, col string) ([]Removed, error)
}

// The stores that keep feeds.
var (
	_ FeedStore = (*Files)(nil)
	_ FeedStore = (*Postgres)(nil)
)

// Errors of the feed store; test with errors.Is.
var (
	ErrNoFeeds = errors.New("feeds need a corpus directory or a database to be kept in")
	// ErrFeedLimit refuses a follow beyond the feeds a server may follow.
	ErrFeedLimit   = errors.New("this server follows as many feeds as it may")
	ErrNotFollowed = errors.New("that feed is not followed here")
	// ErrClaimLost is a poll finished by a holder that lost its claim.
	ErrClaimLost = errors.New("another poller claimed the feed since")
	// ErrNoFeedStory is a collection at its quota that holds no story a
	// feed brought, so nothing may be retired to make room.
	ErrNoFeedStory = errors.New("the collection is at its quota and holds no story a feed brought to retire (a moderator's stories are never retired)")
)

// Feeds is the library's feed store, when its store keeps feeds.
func (l *Library) Feeds() (FeedStore, error) {
	fs, ok := l.store.(FeedStore)
	if !ok {
		return nil, ErrNoFeeds
	}
	return fs, nil
}

// FeedResult is what adding a feed's stories to a collection did.
type FeedResult struct {
	// Added are the stories newly saved.
	Added []*corpus.Story
	// Held are the uploads the collection already held word for word
	// (as when an earlier poll added them and stopped before it was
	// saved): not saved again, so no replacement is filed, but the poller
	// posts them like added ones where they were not yet posted.
	Held []*corpus.Story
	// Retired are the stories taken out to stay within the quota.
	Retired []Removed
	// Failed are the uploads that could not be saved, with the reason.
	Failed []corpus.Skipped
	// Full are the uploads not added because the collection is at its
	// quota with no story a feed brought left to retire (ErrNoFeedStory).
	Full []string
}

// maxRetirePerStory bounds how many old stories one new one may retire,
// so a story that cannot fit (larger than the byte quota) stops early.
const maxRetirePerStory = 50

// roomAfterRetiring reports whether retiring every story feeds brought
// into col would make room for one more of size bytes: when the
// moderators' stories alone leave no room, retiring would empty the feed's
// share of the collection for nothing. If the feeds' share cannot be read,
// it lets the retiring try.
func roomAfterRetiring(ctx context.Context, fs FeedStore, col string, q Quota, used Usage, size int64) bool {
	feeds, err := fs.FeedUsage(ctx, col)
	if err != nil {
		return true
	}
	curated := Usage{Stories: used.Stories - feeds.Stories, Bytes: used.Bytes - feeds.Bytes}
	return (q.Stories <= 0 || curated.Stories+1 <= q.Stories) && (q.Bytes <= 0 || curated.Bytes+size <= q.Bytes)
}

// AddFeedStories saves a feed's new stories into col and indexes them
// together. When the collection is full, the oldest stories feeds brought
// are retired to make room: kept restorable and listed, but no longer
// answered from. A moderator's story is never retired: with none of the
// feeds' left, the new story is not added and is listed in Full. It waits
// for a moderator's change of col rather than failing. An upload that col
// already holds word for word is not saved again, and is listed in Held.
func (l *Library) AddFeedStories(ctx context.Context, col string, by Actor, ups []*corpus.Upload) (FeedResult, error) {
	var res FeedResult
	fs, err := l.Feeds()
	if err != nil {
		return res, err
	}
	s := l.state(col)
	s.change.Lock()
	j := &Job{Action: "feed", Actor: by, Started: time.Now()}
	s.job.Store(j)
	defer func() {
		s.job.Store(nil)
		s.change.Unlock()
	}()
	q := l.Quota(col)
	known := map[string]*corpus.Story{}
	// Oldest first, so that the stories retired later are the oldest.
	ups = slices.Clone(ups)
	sort.SliceStable(ups, func(i, j int) bool {
		a, b := ups[i].Story.Published, ups[j].Story.Published
		return !a.IsZero() && (b.IsZero() || a.Before(b))
	})
	for _, up := range ups {
		if q.Bytes > 0 && int64(len(up.Data)) > q.Bytes {
			res.Failed = append(res.Failed, corpus.Skipped{Path: up.Name, Reason: "larger than the collection's byte quota"})
			continue
		}
		if old, _, err := l.store.Read(ctx, col, up.Name); err == nil && bytes.Equal(old, up.Data) {
			st := *up.Story
			st.ID = up.Name
			res.Held = append(res.Held, &st)
			continue
		}
		var put PutResult
		for tries := 0; ; tries++ {
			put, err = fs.PutFeedStory(ctx, col, up.Name, up.Data, by, q)
			var qe *QuotaError
			if !errors.As(err, &qe) || tries >= maxRetirePerStory {
				break
			}
			if tries == 0 && !roomAfterRetiring(ctx, fs, col, q, qe.Used, int64(len(up.Data))) {
				err = ErrNoFeedStory
				break
			}
			r, rerr := fs.RetireOldest(ctx, col, Actor{Name: "quota"})
			if errors.Is(rerr, ErrNoFeedStory) {
				err = rerr
				break
			}
			if rerr != nil {
				err = errors.Join(err, rerr)
				break
			}
			res.Retired = append(res.Retired, r)
			l.log.Info("retired a story to stay within the quota", "collection", col, "story", r.ID, "for", up.Name)
			_ = l.store.Audit(ctx, AuditEntry{At: time.Now(), Collection: col, Actor: Actor{Name: "quota"}, Action: "retire",
				Options: map[string]string{"story": r.ID, "for": up.Name}, Result: "ok", Detail: "the collection was full"})
		}
		if errors.Is(err, ErrNoFeedStory) {
			res.Full = append(res.Full, up.Name)
			continue
		}
		if err != nil {
			if ctx.Err() != nil {
				return res, ctx.Err()
			}
			res.Failed = append(res.Failed, corpus.Skipped{Path: up.Name, Reason: err.Error()})
			continue
		}
		st := *up.Story
		st.ID = put.Story.ID
		known[put.Story.Fingerprint] = &st
		res.Added = append(res.Added, &st)
	}
	if len(res.Added) == 0 && len(res.Retired) == 0 {
		return res, nil
	}
	if _, err := l.sync(ctx, col, false, nil, known); err != nil {
		return res, fmt.Errorf("indexing the feed's stories: %w", err)
	}
	return res, nil
}

// Retired lists col's retired stories within the restore window.
func (l *Library) Retired(ctx context.Context, col string) ([]Removed, error) {
	fs, err := l.Feeds()
	if err != nil {
		return nil, nil
	}
	all, err := fs.Retired(ctx, col)
	if err != nil {
		return nil, err
	}
	return l.withinKeep(all), nil
}
