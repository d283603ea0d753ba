package library

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/storybot/storybot/index"
)

// feedsSchema is the migration that adds feeds: one row per feed URL with
// its poll state (whose next_poll doubles as the lease: a claim moves it
// forward in one UPDATE, so exactly one process wins it), the follows, the
// keys of the items each feed brought, the story threads, and the retired
// mark on removed stories.
var feedsSchema = sqlStep(`
	CREATE TABLE feeds (
		url text PRIMARY KEY,
		title text NOT NULL DEFAULT '',
		etag text NOT NULL DEFAULT '',
		last_modified text NOT NULL DEFAULT '',
		next_poll timestamptz NOT NULL,
		last_poll timestamptz,
		last_status text NOT NULL DEFAULT '',
		failures int NOT NULL DEFAULT 0,
		holder text NOT NULL DEFAULT ''
	);
	CREATE TABLE feed_follows (
		collection text NOT NULL,
		url text NOT NULL REFERENCES feeds (url) ON DELETE CASCADE,
		channel text NOT NULL DEFAULT '',
		added_by text NOT NULL DEFAULT '',
		added_at timestamptz NOT NULL,
		primed boolean NOT NULL DEFAULT false,
		PRIMARY KEY (collection, url)
	);
	CREATE INDEX feed_follows_by_url ON feed_follows (url);
	CREATE TABLE feed_items (
		url text NOT NULL REFERENCES feeds (url) ON DELETE CASCADE,
		key text NOT NULL,
		seen_at timestamptz NOT NULL,
		PRIMARY KEY (url, key)
	);
	CREATE TABLE feed_threads (
		thread text PRIMARY KEY,
		collection text NOT NULL,
		story text NOT NULL,
		url text NOT NULL DEFAULT '',
		channel text NOT NULL DEFAULT '',
		created_at timestamptz NOT NULL
	);
	ALTER TABLE removed_stories ADD COLUMN retired boolean NOT NULL DEFAULT false;`)

// feedStoriesSchema marks the stories a feed brought, the only ones the
// quota retires. Those already there were saved by the feed's actor
// ("feed <url>", which has no user ID, unlike a moderator's "name (id)").
var feedStoriesSchema = sqlStep(`
	ALTER TABLE stories ADD COLUMN feed boolean NOT NULL DEFAULT false;
	UPDATE stories SET feed = true WHERE added_by LIKE 'feed %' AND added_by !~ ' \([0-9]+\)$';`)

// feedDeliveredSchema records, per follow, the items a poll has handled
// for it (added, and posted where the follow names a channel) before the
// poll is saved: a poll that loses its claim midway saves no seen keys,
// and the next one must not post those items to that follower again. The
// rows go with the follow, and with the feed.
var feedDeliveredSchema = sqlStep(`
	CREATE TABLE feed_delivered (
		url text NOT NULL,
		collection text NOT NULL,
		key text NOT NULL,
		at timestamptz NOT NULL,
		PRIMARY KEY (url, collection, key),
		FOREIGN KEY (collection, url) REFERENCES feed_follows (collection, url) ON DELETE CASCADE
	);`)

// PutFeedStory is Put, marking the story as the feed's.
func (p *Postgres) PutFeedStory(ctx context.Context, col, name string, data []byte, by Actor, q Quota) (PutResult, error) {
	return p.put(ctx, col, name, data, by, q, true)
}

func (p *Postgres) Follow(ctx context.Context, f Follow, limit int) (bool, error) {
	if !index.ValidCollection(f.Collection) {
		return false, fmt.Errorf("%q is not a collection name", f.Collection)
	}
	added := false
	err := pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		// One follow of a collection at a time, so two cannot both pass
		// the limit.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('storybot-feeds:' || $1))`, f.Collection); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE feed_follows SET channel = $3 WHERE collection = $1 AND url = $2`, f.Collection, f.URL, f.Channel)
		if err != nil || tag.RowsAffected() > 0 {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM feed_follows WHERE collection = $1`, f.Collection).Scan(&n); err != nil {
			return err
		}
		if limit > 0 && n >= limit {
			return fmt.Errorf("%w (%d)", ErrFeedLimit, limit)
		}
		// A new follower's first poll should not wait for the others'.
		if _, err := tx.Exec(ctx, `INSERT INTO feeds (url, next_poll) VALUES ($1, $2)
			ON CONFLICT (url) DO UPDATE SET next_poll = least(feeds.next_poll, EXCLUDED.next_poll) WHERE feeds.holder = ''`,
			f.URL, f.At); err != nil {
			return err
		}
		added = true
		_, err = tx.Exec(ctx, `INSERT INTO feed_follows (collection, url, channel, added_by, added_at) VALUES ($1, $2, $3, $4, $5)`,
			f.Collection, f.URL, f.Channel, f.By, f.At)
		return err
	})
	return added, err
}

func (p *Postgres) Unfollow(ctx context.Context, col, url string) error {
	return pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM feed_follows WHERE collection = $1 AND url = $2`, col, url)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFollowed
		}
		_, err = tx.Exec(ctx, `DELETE FROM feeds WHERE url = $1 AND NOT EXISTS (SELECT 1 FROM feed_follows WHERE url = $1)`, url)
		return err
	})
}

func (p *Postgres) Follows(ctx context.Context, col string) ([]Follow, error) {
	rows, err := p.pool.Query(ctx, `SELECT collection, url, channel, added_by, added_at, primed FROM feed_follows
		WHERE $1 = '' OR collection = $1 ORDER BY collection, added_at, url`, col)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Follow, error) {
		var f Follow
		return f, r.Scan(&f.Collection, &f.URL, &f.Channel, &f.By, &f.At, &f.Primed)
	})
}

const feedColumns = `url, title, etag, last_modified, next_poll, last_poll, last_status, failures, holder`

func scanFeed(r pgx.Row) (FeedState, error) {
	var s FeedState
	var last *time.Time
	err := r.Scan(&s.URL, &s.Title, &s.ETag, &s.LastModified, &s.NextPoll, &last, &s.LastStatus, &s.Failures, &s.Holder)
	if last != nil {
		s.LastPoll = *last
	}
	return s, err
}

func (p *Postgres) FeedStates(ctx context.Context) ([]FeedState, error) {
	rows, err := p.pool.Query(ctx, `SELECT `+feedColumns+` FROM feeds ORDER BY url`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (FeedState, error) { return scanFeed(r) })
}

func (p *Postgres) ClaimFeed(ctx context.Context, url, holder string, now time.Time, lease time.Duration) (FeedState, bool, error) {
	s, err := scanFeed(p.pool.QueryRow(ctx, `UPDATE feeds SET next_poll = $3, holder = $2 WHERE url = $1 AND next_poll <= $4
		RETURNING `+feedColumns, url, holder, now.Add(lease), now))
	if errors.Is(err, pgx.ErrNoRows) {
		return FeedState{}, false, nil
	}
	return s, err == nil, err
}

func (p *Postgres) HoldFeed(ctx context.Context, url, holder string, now time.Time, lease time.Duration) (bool, error) {
	tag, err := p.pool.Exec(ctx, `UPDATE feeds SET next_poll = greatest(next_poll, $4) WHERE url = $1 AND holder = $2 AND next_poll > $3`,
		url, holder, now, now.Add(lease))
	return err == nil && tag.RowsAffected() == 1, err
}

func (p *Postgres) SeenItems(ctx context.Context, url string) (map[string]bool, error) {
	return p.keys(ctx, `SELECT key FROM feed_items WHERE url = $1`, url)
}

// keys runs a query of item keys and gives them as a set.
func (p *Postgres) keys(ctx context.Context, sql string, args ...any) (map[string]bool, error) {
	rows, err := p.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	keys, err := pgx.CollectRows(rows, pgx.RowTo[string])
	out := make(map[string]bool, len(keys))
	for _, k := range keys {
		out[k] = true
	}
	return out, err
}

func (p *Postgres) FinishPoll(ctx context.Context, st FeedState, seen []string, now, forget time.Time, primed []string) error {
	return pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		var last *time.Time
		if !st.LastPoll.IsZero() {
			last = &st.LastPoll
		}
		tag, err := tx.Exec(ctx, `UPDATE feeds SET title = $2, etag = $3, last_modified = $4, next_poll = $5, last_poll = $6,
			last_status = $7, failures = $8, holder = '' WHERE url = $1 AND holder = $9`,
			st.URL, st.Title, st.ETag, st.LastModified, st.NextPoll, last, st.LastStatus, st.Failures, st.Holder)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			var followed bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM feeds WHERE url = $1)`, st.URL).Scan(&followed); err != nil {
				return err
			}
			if followed {
				return ErrClaimLost
			}
			return nil // unfollowed while it was polled
		}
		if len(seen) > 0 {
			if _, err := tx.Exec(ctx, `INSERT INTO feed_items (url, key, seen_at) SELECT $1, k, $3 FROM unnest($2::text[]) AS k
				ON CONFLICT (url, key) DO UPDATE SET seen_at = EXCLUDED.seen_at`, st.URL, seen, now); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM feed_items WHERE url = $1 AND seen_at < $2`, st.URL, forget); err != nil {
			return err
		}
		if len(primed) > 0 {
			if _, err := tx.Exec(ctx, `UPDATE feed_follows SET primed = true WHERE url = $1 AND collection = ANY($2)`, st.URL, primed); err != nil {
				return err
			}
		}
		// The seen keys cover these deliveries now.
		_, err = tx.Exec(ctx, `DELETE FROM feed_delivered WHERE url = $1 AND (key = ANY($2::text[]) OR at < $3)`, st.URL, seen, forget)
		return err
	})
}

func (p *Postgres) MarkDelivered(ctx context.Context, url, col string, keys []string, at time.Time) error {
	if len(keys) == 0 {
		return nil
	}
	// Only for a follow that still exists: one unfollowed meanwhile has
	// nothing to remember.
	_, err := p.pool.Exec(ctx, `INSERT INTO feed_delivered (url, collection, key, at)
		SELECT $1, $2, k, $4 FROM unnest($3::text[]) AS k
		WHERE EXISTS (SELECT 1 FROM feed_follows WHERE url = $1 AND collection = $2)
		ON CONFLICT (url, collection, key) DO NOTHING`, url, col, keys, at)
	return err
}

func (p *Postgres) Delivered(ctx context.Context, url, col string) (map[string]bool, error) {
	return p.keys(ctx, `SELECT key FROM feed_delivered WHERE url = $1 AND collection = $2`, url, col)
}

func (p *Postgres) PutThread(ctx context.Context, t Thread) error {
	_, err := p.pool.Exec(ctx, `INSERT INTO feed_threads (thread, collection, story, url, channel, created_at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (thread) DO UPDATE SET collection = EXCLUDED.collection, story = EXCLUDED.story`,
		t.ID, t.Collection, t.Story, t.Feed, t.Channel, t.At)
	return err
}

func (p *Postgres) Thread(ctx context.Context, id string) (Thread, bool, error) {
	var t Thread
	err := p.pool.QueryRow(ctx, `SELECT thread, collection, story, url, channel, created_at FROM feed_threads WHERE thread = $1`, id).
		Scan(&t.ID, &t.Collection, &t.Story, &t.Feed, &t.Channel, &t.At)
	if errors.Is(err, pgx.ErrNoRows) {
		return Thread{}, false, nil
	}
	return t, err == nil, err
}

func (p *Postgres) RetireOldest(ctx context.Context, col string, by Actor) (Removed, error) {
	var r Removed
	_, err := p.change(ctx, col, "", func(tx pgx.Tx) error {
		var key int64
		err := tx.QueryRow(ctx, `INSERT INTO removed_stories (collection, id, data, bytes, removed_by, retired)
			SELECT collection, id, data, bytes, $2, true FROM stories WHERE collection = $1 AND feed
			ORDER BY added_at, id LIMIT 1
			RETURNING key, id, bytes, removed_at`, col, by.String()).Scan(&key, &r.ID, &r.Bytes, &r.At)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNoFeedStory
		}
		if err != nil {
			return err
		}
		r.Key, r.By, r.Retired = strconv.FormatInt(key, 10), by.String(), true
		_, err = tx.Exec(ctx, `DELETE FROM stories WHERE collection = $1 AND id = $2`, col, r.ID)
		return err
	})
	return r, err
}

func (p *Postgres) FeedUsage(ctx context.Context, col string) (Usage, error) {
	var u Usage
	err := p.pool.QueryRow(ctx, `SELECT count(*), coalesce(sum(bytes), 0) FROM stories WHERE collection = $1 AND feed`, col).Scan(&u.Stories, &u.Bytes)
	return u, err
}

func (p *Postgres) Retired(ctx context.Context, col string) ([]Removed, error) {
	rows, err := p.pool.Query(ctx, `SELECT key, id, bytes, removed_at, removed_by FROM removed_stories
		WHERE collection = $1 AND retired ORDER BY removed_at DESC, key DESC`, col)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Removed, error) {
		var r Removed
		var key int64
		err := row.Scan(&key, &r.ID, &r.Bytes, &r.At, &r.By)
		r.Key, r.Retired = strconv.FormatInt(key, 10), true
		return r, err
	})
}
