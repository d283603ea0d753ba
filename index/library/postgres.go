package library

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"sort"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

// changesChannel is the NOTIFY channel on which every committed change is
// announced: a collection and its new version, never a story's text (a
// payload is capped at 8000 bytes, and every listener would receive it).
const changesChannel = "storybot_changes"

// Postgres keeps every collection in PostgreSQL, so that many processes
// (gateway shards, HTTP replicas) share them. Each change is one
// transaction that bumps its collection's version and announces it with
// NOTIFY; each process LISTENs and brings its own index up to date.
type Postgres struct {
	pool *pgxpool.Pool
	log  *slog.Logger
	// reconnect bounds the wait between attempts to listen again.
	reconnect time.Duration
}

// notice is a NOTIFY payload.
type notice struct {
	Collection string `json:"c"`
	Version    int64  `json:"v"`
	Story      string `json:"s,omitempty"`
}

// OpenPostgres connects to url and brings the schema up to date.
func OpenPostgres(ctx context.Context, url string, log *slog.Logger) (*Postgres, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, errors.New("STORYBOT_DATABASE_URL is not a valid PostgreSQL URL") // it may hold a password
	}
	cfg.ConnConfig.RuntimeParams["application_name"] = "storybot"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connecting to PostgreSQL: %w", err)
	}
	p := &Postgres{pool: pool, log: log, reconnect: 30 * time.Second}
	if err := p.migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("bringing the PostgreSQL schema up to date: %w", err)
	}
	return p, nil
}

// Close closes the connections.
func (p *Postgres) Close() error {
	p.pool.Close()
	return nil
}

func (p *Postgres) Collections(ctx context.Context) ([]string, error) {
	rows, err := p.pool.Query(ctx, `SELECT name FROM collections ORDER BY name`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// Snapshot reads the version and the story list in one repeatable-read
// transaction, so that the version describes exactly that list.
func (p *Postgres) Snapshot(ctx context.Context, col string) (index.Meta, []StoryMeta, error) {
	var meta index.Meta
	var list []StoryMeta
	err := pgx.BeginTxFunc(ctx, p.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT version, epoch FROM collections WHERE name = $1`, col).Scan(&meta.Version, &meta.Epoch)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT id, fingerprint, bytes FROM stories WHERE collection = $1 ORDER BY id`, col)
		if err != nil {
			return err
		}
		list, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (StoryMeta, error) {
			var m StoryMeta
			return m, r.Scan(&m.ID, &m.Fingerprint, &m.Bytes)
		})
		return err
	})
	return meta, list, err
}

func (p *Postgres) Read(ctx context.Context, col, id string) ([]byte, string, error) {
	var data []byte
	var fp string
	err := p.pool.QueryRow(ctx, `SELECT data, fingerprint FROM stories WHERE collection = $1 AND id = $2`, col, id).Scan(&data, &fp)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, "", fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	return data, fp, err
}

// change runs fn in a transaction that holds col's row, so changes to one
// collection happen one at a time across every process, and then bumps the
// version and announces it. Nothing is announced unless it committed.
func (p *Postgres) change(ctx context.Context, col, story string, fn func(tx pgx.Tx) error) (int64, error) {
	if !index.ValidCollection(col) {
		return 0, fmt.Errorf("%q is not a collection name", col)
	}
	var version int64
	err := pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO collections (name) VALUES ($1) ON CONFLICT DO NOTHING`, col); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT 1 FROM collections WHERE name = $1 FOR UPDATE`, col); err != nil {
			return err
		}
		if err := fn(tx); err != nil {
			return err
		}
		crashPoint("postgres.change.done")
		if err := tx.QueryRow(ctx, `UPDATE collections SET version = version + 1 WHERE name = $1 RETURNING version`, col).Scan(&version); err != nil {
			return err
		}
		payload, _ := json.Marshal(notice{Collection: col, Version: version, Story: story})
		if len(payload) > 7000 {
			payload, _ = json.Marshal(notice{Collection: col, Version: version})
		}
		_, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, changesChannel, string(payload))
		return err
	})
	if err == nil {
		crashPoint("postgres.change.committed")
	}
	return version, err
}

func usage(ctx context.Context, tx pgx.Tx, col string) (Usage, error) {
	var u Usage
	err := tx.QueryRow(ctx, `SELECT count(*), coalesce(sum(bytes), 0) FROM stories WHERE collection = $1`, col).Scan(&u.Stories, &u.Bytes)
	return u, err
}

// keep copies a live story among the removed.
func keep(ctx context.Context, tx pgx.Tx, col, id string, by Actor, replaced bool) error {
	_, err := tx.Exec(ctx, `INSERT INTO removed_stories (collection, id, data, bytes, removed_by, replaced)
		SELECT collection, id, data, bytes, $3, $4 FROM stories WHERE collection = $1 AND id = $2`, col, id, by.String(), replaced)
	return err
}

func (p *Postgres) Put(ctx context.Context, col, name string, data []byte, by Actor, q Quota) (PutResult, error) {
	return p.put(ctx, col, name, data, by, q, false)
}

// put is Put, for a feed's story when feed is set (feeds_postgres.go).
func (p *Postgres) put(ctx context.Context, col, name string, data []byte, by Actor, q Quota, feed bool) (PutResult, error) {
	if err := corpus.CheckID(name); err != nil {
		return PutResult{}, err
	}
	fp := contentFingerprint(data)
	res := PutResult{Story: StoryMeta{ID: name, Fingerprint: fp, Bytes: int64(len(data))}}
	_, err := p.change(ctx, col, name, func(tx pgx.Tx) error {
		u, err := usage(ctx, tx, col)
		if err != nil {
			return err
		}
		var oldBytes int64
		var oldFP string
		err = tx.QueryRow(ctx, `SELECT bytes, fingerprint FROM stories WHERE collection = $1 AND id = $2`, col, name).Scan(&oldBytes, &oldFP)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		res.Replaced = err == nil
		if err := q.admit(u, res.Replaced, oldBytes, int64(len(data))); err != nil {
			return err
		}
		if res.Replaced && oldFP != fp {
			if err := keep(ctx, tx, col, name, by, true); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `INSERT INTO stories (collection, id, data, bytes, fingerprint, added_by, feed) VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (collection, id) DO UPDATE SET data = EXCLUDED.data, bytes = EXCLUDED.bytes,
			fingerprint = EXCLUDED.fingerprint, added_by = EXCLUDED.added_by, added_at = now(), feed = EXCLUDED.feed`,
			col, name, data, len(data), fp, by.String(), feed)
		return err
	})
	return res, err
}

func (p *Postgres) Remove(ctx context.Context, col, id string, by Actor) (Removed, error) {
	var r Removed
	_, err := p.change(ctx, col, id, func(tx pgx.Tx) error {
		var key int64
		err := tx.QueryRow(ctx, `INSERT INTO removed_stories (collection, id, data, bytes, removed_by)
			SELECT collection, id, data, bytes, $3 FROM stories WHERE collection = $1 AND id = $2
			RETURNING key, bytes, removed_at`, col, id, by.String()).Scan(&key, &r.Bytes, &r.At)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("%w: %s", ErrNotFound, id)
		}
		if err != nil {
			return err
		}
		r.Key, r.ID, r.By = strconv.FormatInt(key, 10), id, by.String()
		_, err = tx.Exec(ctx, `DELETE FROM stories WHERE collection = $1 AND id = $2`, col, id)
		return err
	})
	return r, err
}

func (p *Postgres) Restore(ctx context.Context, col, ref string, by Actor, q Quota) (Removed, error) {
	var r Removed
	_, err := p.change(ctx, col, "", func(tx pgx.Tx) error {
		var key int64
		var data []byte
		// A ref is a removal's key, or else a story ID (its latest removal).
		err := tx.QueryRow(ctx, `SELECT key, id, data, bytes, removed_at, removed_by, replaced FROM removed_stories
			WHERE collection = $1 AND (key::text = $2 OR id = $2) ORDER BY (key::text = $2) DESC, removed_at DESC, key DESC LIMIT 1`,
			col, ref).Scan(&key, &r.ID, &data, &r.Bytes, &r.At, &r.By, &r.Replace)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("%w among the removed stories: %s", ErrNotFound, ref)
		}
		if err != nil {
			return err
		}
		r.Key = strconv.FormatInt(key, 10)
		u, err := usage(ctx, tx, col)
		if err != nil {
			return err
		}
		var liveBytes int64
		err = tx.QueryRow(ctx, `SELECT bytes FROM stories WHERE collection = $1 AND id = $2`, col, r.ID).Scan(&liveBytes)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		live := err == nil
		if err := q.admit(u, live, liveBytes, r.Bytes); err != nil {
			return err
		}
		if live {
			if err := keep(ctx, tx, col, r.ID, by, true); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO stories (collection, id, data, bytes, fingerprint, added_by) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (collection, id) DO UPDATE SET data = EXCLUDED.data, bytes = EXCLUDED.bytes,
			fingerprint = EXCLUDED.fingerprint, added_by = EXCLUDED.added_by, added_at = now(), feed = false`,
			col, r.ID, data, len(data), contentFingerprint(data), by.String()); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM removed_stories WHERE key = $1`, key)
		return err
	})
	return r, err
}

func (p *Postgres) Removed(ctx context.Context, col string) ([]Removed, error) {
	rows, err := p.pool.Query(ctx, `SELECT key, id, bytes, removed_at, removed_by, replaced FROM removed_stories
		WHERE collection = $1 ORDER BY removed_at DESC, key DESC`, col)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Removed, error) {
		var r Removed
		var key int64
		err := row.Scan(&key, &r.ID, &r.Bytes, &r.At, &r.By, &r.Replace)
		r.Key = strconv.FormatInt(key, 10)
		return r, err
	})
}

func (p *Postgres) Purge(ctx context.Context, before time.Time, quota func(string) Quota) (int, error) {
	tag, err := p.pool.Exec(ctx, `DELETE FROM removed_stories WHERE removed_at < $1`, before)
	if err != nil {
		return 0, err
	}
	n := int(tag.RowsAffected())
	cols, err := p.Collections(ctx)
	if err != nil {
		return n, err
	}
	for _, col := range cols {
		q := quota(col)
		if q.Stories == 0 && q.Bytes == 0 {
			continue
		}
		// The newest removals within the quota stay; the rest go. Uncast,
		// "$3 > 0" makes the parameters int4, and a quota of 2 GiB or more
		// could not be sent.
		tag, err := p.pool.Exec(ctx, `DELETE FROM removed_stories WHERE key IN (
			SELECT key FROM (
				SELECT key, row_number() OVER w AS n, sum(bytes) OVER w AS total FROM removed_stories
				WHERE collection = $1 WINDOW w AS (ORDER BY removed_at DESC, key DESC)
			) ranked WHERE ($2::bigint > 0 AND n > $2::bigint) OR ($3::bigint > 0 AND total > $3::bigint))`, col, q.Stories, q.Bytes)
		if err != nil {
			return n, err
		}
		n += int(tag.RowsAffected())
	}
	return n, nil
}

func (p *Postgres) Reindex(ctx context.Context, col string) (index.Meta, error) {
	var b [8]byte
	_, _ = rand.Read(b[:])
	epoch := hex.EncodeToString(b[:])
	v, err := p.change(ctx, col, "", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE collections SET epoch = $2 WHERE name = $1`, col, epoch)
		return err
	})
	return index.Meta{Version: v, Epoch: epoch}, err
}

func (p *Postgres) Audit(ctx context.Context, e AuditEntry) error {
	opts, _ := json.Marshal(e.Options)
	if e.At.IsZero() {
		e.At = time.Now()
	}
	_, err := p.pool.Exec(ctx, `INSERT INTO audit_log (at, collection, user_id, user_name, action, options, result, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, e.At, e.Collection, e.Actor.ID, e.Actor.Name, e.Action, opts, e.Result, e.Detail)
	return err
}

// AuditLog returns the newest audit records of a collection, newest first.
func (p *Postgres) AuditLog(ctx context.Context, col string, limit int) ([]AuditEntry, error) {
	rows, err := p.pool.Query(ctx, `SELECT at, collection, user_id, user_name, action, options, result, detail FROM audit_log
		WHERE collection = $1 ORDER BY id DESC LIMIT $2`, col, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (AuditEntry, error) {
		var e AuditEntry
		var opts []byte
		err := row.Scan(&e.At, &e.Collection, &e.Actor.ID, &e.Actor.Name, &e.Action, &opts, &e.Result, &e.Detail)
		_ = json.Unmarshal(opts, &e.Options)
		return e, err
	})
}

// Watch LISTENs on a connection of its own. NOTIFY is not replayed, so
// after connecting, and after every reconnect, it asks for every
// collection to be checked against its version: changes made while no
// one listened are found that way.
func (p *Postgres) Watch(ctx context.Context, notify func(col string)) error {
	wait := time.Second
	for ctx.Err() == nil {
		err := p.listen(ctx, notify, func() { wait = time.Second })
		if ctx.Err() != nil {
			break
		}
		p.log.Warn("lost the PostgreSQL change feed; reconnecting", "err", err, "retry_in", wait.String())
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
		wait = min(2*wait, p.reconnect)
	}
	return nil
}

// ListenerName is the application_name of the listening connection, so an
// operator (or a test) can tell it apart in pg_stat_activity.
func ListenerName() string { return "storybot-listen-" + strconv.Itoa(os.Getpid()) }

func (p *Postgres) listen(ctx context.Context, notify func(string), connected func()) error {
	cfg := p.pool.Config().ConnConfig.Copy()
	cfg.RuntimeParams["application_name"] = ListenerName()
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+changesChannel); err != nil {
		return err
	}
	connected()
	notify("")
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		var msg notice
		if err := json.Unmarshal([]byte(n.Payload), &msg); err != nil || !index.ValidCollection(msg.Collection) {
			notify("")
			continue
		}
		notify(msg.Collection)
	}
}

// migrations bring the schema up step by step; each runs once, in order,
// in the transaction that records it. The list only ever grows.
var migrations = []func(ctx context.Context, tx pgx.Tx) error{
	sqlStep(`
		CREATE TABLE collections (
			name text PRIMARY KEY,
			version bigint NOT NULL DEFAULT 0,
			epoch text NOT NULL DEFAULT '',
			created_at timestamptz NOT NULL DEFAULT now()
		);
		CREATE TABLE stories (
			collection text NOT NULL REFERENCES collections (name),
			id text NOT NULL,
			data bytea NOT NULL,
			bytes bigint NOT NULL,
			fingerprint text NOT NULL,
			added_at timestamptz NOT NULL DEFAULT now(),
			added_by text NOT NULL DEFAULT '',
			PRIMARY KEY (collection, id)
		);
		CREATE TABLE removed_stories (
			key bigserial PRIMARY KEY,
			collection text NOT NULL REFERENCES collections (name),
			id text NOT NULL,
			data bytea NOT NULL,
			bytes bigint NOT NULL,
			removed_at timestamptz NOT NULL DEFAULT now(),
			removed_by text NOT NULL DEFAULT '',
			replaced boolean NOT NULL DEFAULT false
		);
		CREATE INDEX removed_stories_by_collection ON removed_stories (collection, removed_at DESC);
		CREATE TABLE audit_log (
			id bigserial PRIMARY KEY,
			at timestamptz NOT NULL,
			collection text NOT NULL,
			user_id text NOT NULL,
			user_name text NOT NULL,
			action text NOT NULL,
			options jsonb NOT NULL,
			result text NOT NULL,
			detail text NOT NULL
		);
		CREATE INDEX audit_log_by_collection ON audit_log (collection, id DESC);`),
	seedBuiltin,
	conversationSchema,
	feedsSchema,
	feedStoriesSchema,
	feedDeliveredSchema,
}

func sqlStep(sql string) func(context.Context, pgx.Tx) error {
	return func(ctx context.Context, tx pgx.Tx) error {
		_, err := tx.Exec(ctx, sql)
		return err
	}
}

// seedBuiltin puts the built-in story into a new database's shared
// library, so a fresh deployment answers at once, as the files do.
func seedBuiltin(ctx context.Context, tx pgx.Tx) error {
	fsys := corpus.BuiltinFS()
	names, err := fs.Glob(fsys, "*")
	if err != nil {
		return err
	}
	sort.Strings(names)
	if _, err := tx.Exec(ctx, `INSERT INTO collections (name, version) VALUES ($1, 1)`, index.Shared); err != nil {
		return err
	}
	for _, n := range names {
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO stories (collection, id, data, bytes, fingerprint, added_by) VALUES ($1, $2, $3, $4, $5, 'built in')`,
			index.Shared, n, data, len(data), contentFingerprint(data)); err != nil {
			return err
		}
	}
	return nil
}

// migrationLock is the advisory lock every process takes to migrate, so
// that replicas starting together run each step once.
const migrationLock = 0x73746f7279626f74 // "storybot"

func (p *Postgres) migrate(ctx context.Context) error {
	return pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrationLock)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return err
		}
		var done int
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&done); err != nil {
			return err
		}
		if done > len(migrations) {
			return fmt.Errorf("the database's schema is at version %d, newer than this program's %d: run a newer storybot", done, len(migrations))
		}
		for v := done + 1; v <= len(migrations); v++ {
			if err := migrations[v-1](ctx, tx); err != nil {
				return fmt.Errorf("migration %d: %w", v, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, v); err != nil {
				return err
			}
			p.log.Info("applied a schema migration", "version", v)
		}
		return nil
	})
}
