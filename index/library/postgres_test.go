package library

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/library/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func openPostgres(t testing.TB, url string, q Quota, onSync ...func(string, SyncResult)) *Library {
	t.Helper()
	ctx := context.Background()
	st, err := OpenPostgres(ctx, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Store: st, Quota: q}
	if len(onSync) > 0 {
		cfg.OnSync = onSync[0]
	}
	l, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// follow runs l's change feed until the test ends.
func follow(t testing.TB, l *Library) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { l.Follow(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

// eventually polls until cond holds, for changes that travel between processes.
func eventually(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %s: %s", within, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestPostgresAddRemoveRestore(t *testing.T) {
	l := openPostgres(t, pgtest.URL(t), Quota{})
	ctx := context.Background()
	if got := l.Index().Stories(nil); len(got) != 1 {
		t.Fatalf("a new database's shared library holds %+v, want the built-in story", got)
	}
	if _, err := l.Add(ctx, guildA, alice, upload(t, "harbour.txt", "Harbour", "The harbour festival drew record crowds.")); err != nil {
		t.Fatal(err)
	}
	if len(found(t, l, Scope(guildA), "record crowds")) != 1 || len(found(t, l, Scope(guildB), "record crowds")) != 0 {
		t.Fatal("the story is not in A's scope alone")
	}
	res, err := l.Add(ctx, guildA, alice, upload(t, "harbour.txt", "Harbour", "The harbour festival was cancelled."))
	if err != nil || !res.Replaced {
		t.Fatalf("replace %+v %v", res, err)
	}
	removed, _ := l.Removed(ctx, guildA)
	if len(removed) != 1 || !removed[0].Replace {
		t.Fatalf("removed %+v", removed)
	}
	if _, err := l.Restore(ctx, guildA, alice, removed[0].Key); err != nil {
		t.Fatal(err)
	}
	if len(found(t, l, Scope(guildA), "record crowds")) != 1 {
		t.Error("restore did not bring the old text back")
	}
	if _, err := l.Remove(ctx, guildA, alice, "harbour.txt"); err != nil {
		t.Fatal(err)
	}
	if len(found(t, l, Scope(guildA), "harbour")) != 0 {
		t.Error("removed story still answers")
	}
	if _, err := l.Restore(ctx, guildA, alice, "harbour.txt"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Remove(ctx, guildB, alice, "harbour.txt"); !errors.Is(err, ErrNotFound) {
		t.Errorf("B removed A's story: %v", err)
	}
	if err := l.Audit(ctx, AuditEntry{Collection: guildA, Actor: alice, Action: "add-story", Options: map[string]string{"url": "x"}, Result: "ok"}); err != nil {
		t.Fatal(err)
	}
	log, err := l.Store().(*Postgres).AuditLog(ctx, guildA, 10)
	if err != nil || len(log) != 1 || log[0].Actor != alice || log[0].Options["url"] != "x" {
		t.Errorf("audit log %+v %v", log, err)
	}
}

// Quotas are int64 and may pass 2 GiB, more than PostgreSQL's int4 holds,
// which it once took the purge's parameters for.
func TestPostgresPurgeWithQuotaOver2GiB(t *testing.T) {
	l := openPostgres(t, pgtest.URL(t), Quota{})
	ctx := context.Background()
	for i := range 4 {
		name := fmt.Sprintf("s%d.txt", i)
		if _, err := l.Add(ctx, guildA, alice, upload(t, name, "S", "Words.")); err != nil {
			t.Fatal(err)
		}
		if _, err := l.Remove(ctx, guildA, alice, name); err != nil {
			t.Fatal(err)
		}
	}
	st := l.Store()
	before := time.Now().Add(-time.Hour)
	if n, err := st.Purge(ctx, before, func(string) Quota { return Quota{Bytes: 4 << 30} }); err != nil || n != 0 {
		t.Errorf("purge within 4 GiB: purged %d, %v", n, err)
	}
	if n, err := st.Purge(ctx, before, func(string) Quota { return Quota{Stories: math.MaxInt} }); err != nil || n != 0 {
		t.Errorf("purge within MaxInt stories: purged %d, %v", n, err)
	}
	if n, err := st.Purge(ctx, before, func(string) Quota { return Quota{Stories: 2, Bytes: 4 << 30} }); err != nil || n != 2 {
		t.Errorf("purge to 2 stories within 4 GiB: purged %d, %v", n, err)
	}
	left, err := st.Removed(ctx, guildA)
	if err != nil || len(left) != 2 || left[0].ID != "s3.txt" || left[1].ID != "s2.txt" {
		t.Fatalf("left %+v %v", left, err)
	}
	if n, err := st.Purge(ctx, before, func(string) Quota { return Quota{Bytes: left[0].Bytes + 1} }); err != nil || n != 1 {
		t.Errorf("purge to one story's bytes: purged %d, %v", n, err)
	}
}

// Two processes adding at the same moment cannot both pass the quota.
func TestPostgresQuotaHoldsUnderRace(t *testing.T) {
	url := pgtest.URL(t)
	a, b := openPostgres(t, url, Quota{Stories: 1}), openPostgres(t, url, Quota{Stories: 1})
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, l := range []*Library{a, b} {
		wg.Go(func() {
			_, errs[i] = l.Add(context.Background(), guildA, alice, upload(t, fmt.Sprintf("s%d.txt", i), "S", "Words."))
		})
	}
	wg.Wait()
	var qe *QuotaError
	if (errs[0] == nil) == (errs[1] == nil) || !(errors.As(errs[0], &qe) || errors.As(errs[1], &qe)) {
		t.Errorf("both or neither passed: %v, %v", errs[0], errs[1])
	}
}

// TestPostgresProcessesFollowEachOther runs libraries as separate processes
// would (each its own connections and its own index): a change through one
// reaches the others by NOTIFY; one started later, and one whose listening
// connection was cut meanwhile, catch up by comparing versions.
func TestPostgresProcessesFollowEachOther(t *testing.T) {
	url := pgtest.URL(t)
	rebuilt := make(chan struct{}, 1)
	one := openPostgres(t, url, Quota{})
	two := openPostgres(t, url, Quota{}, func(col string, r SyncResult) {
		if col == guildA && r.Rebuilt {
			select {
			case rebuilt <- struct{}{}:
			default:
			}
		}
	})
	two.Store().(*Postgres).reconnect = 200 * time.Millisecond
	follow(t, one)
	follow(t, two)
	ctx := context.Background()
	has := func(l *Library, text string) func() bool {
		return func() bool {
			hits, err := l.Index().Search(ctx, index.Query{Text: text, Scope: Scope(guildA)})
			return err == nil && len(hits) > 0
		}
	}
	if _, err := one.Add(ctx, guildA, alice, upload(t, "glacier.txt", "Glacier", "The glacier retreated two kilometres.")); err != nil {
		t.Fatal(err)
	}
	eventually(t, 5*time.Second, "the second process answers from a story added through the first", has(two, "glacier retreated"))
	if _, err := two.Remove(ctx, guildA, alice, "glacier.txt"); err != nil {
		t.Fatal(err)
	}
	eventually(t, 5*time.Second, "the first process forgets a story removed through the second",
		func() bool { return !has(one, "glacier retreated")() })

	// Cut the second one's feed, and change things while it is away.
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var cut int
	eventually(t, 5*time.Second, "the listener is connected", func() bool {
		tag, err := conn.Exec(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`, ListenerName())
		if err == nil && tag.RowsAffected() > 0 {
			cut += int(tag.RowsAffected())
		}
		return cut > 0
	})
	if _, err := one.Add(ctx, guildA, alice, upload(t, "delta.txt", "Delta", "The river delta flooded in spring.")); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "the second process catches up after its connection comes back", has(two, "delta flooded"))

	// A process started after all of it has everything.
	three := openPostgres(t, url, Quota{})
	if !has(three, "delta flooded")() || has(three, "glacier retreated")() {
		t.Error("a process started later does not match the store")
	}
	// A reindex through one rebuilds the collection everywhere.
	select {
	case <-rebuilt: // the first sync of a new collection is a build
	default:
	}
	if _, err := one.Reindex(ctx, guildA, alice, nil); err != nil {
		t.Fatal(err)
	}
	select {
	case <-rebuilt:
	case <-time.After(10 * time.Second):
		t.Fatal("the second process did not rebuild after a reindex through the first")
	}
}

func TestPostgresMigrationsRunOnce(t *testing.T) {
	url := pgtest.URL(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			st, err := OpenPostgres(ctx, url, nil)
			if err != nil {
				t.Error(err)
				return
			}
			st.Close()
		})
	}
	wg.Wait()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var steps, seeded int
	conn.QueryRow(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&steps)
	conn.QueryRow(ctx, `SELECT count(*) FROM stories WHERE collection = 'shared'`).Scan(&seeded)
	if steps != len(migrations) || seeded != 1 {
		t.Errorf("%d migrations recorded, %d built-in stories", steps, seeded)
	}
	if _, err := conn.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES (999)`); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenPostgres(ctx, url, nil); err == nil || !strings.Contains(err.Error(), "newer than this program") {
		t.Errorf("a newer schema: %v", err)
	}
}

// changingStore runs a change right after its first listing of a
// collection, as another process may between a sync's listing and reads.
type changingStore struct {
	*Postgres
	then func()
}

func (s *changingStore) Snapshot(ctx context.Context, col string) (index.Meta, []StoryMeta, error) {
	meta, list, err := s.Postgres.Snapshot(ctx, col)
	if f := s.then; f != nil {
		s.then = nil
		f()
	}
	return meta, list, err
}

// A story changed back and forth while a sync reads it (v2 listed, v1
// read, v2 again) must not stay indexed as v1 under v2's fingerprint: the
// fingerprint kept is that of the text read, so the next sync sees the
// difference.
func TestSyncKeepsTheFingerprintOfWhatItRead(t *testing.T) {
	url := pgtest.URL(t)
	ctx := context.Background()
	pg, err := OpenPostgres(ctx, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	v1 := []byte("V\n\nThe first text, about a lighthouse.\n")
	v2 := []byte("V\n\nThe second text, about a glacier.\n")
	if _, err := pg.Put(ctx, guildA, "v.txt", v2, alice, Quota{}); err != nil {
		t.Fatal(err)
	}
	st := &changingStore{Postgres: pg}
	st.then = func() { pg.Put(ctx, guildA, "v.txt", v1, alice, Quota{}) }
	l, err := Open(ctx, Config{Store: st}, guildA)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := pg.Put(ctx, guildA, "v.txt", v2, alice, Quota{}); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Sync(ctx, guildA, false, nil); err != nil {
		t.Fatal(err)
	}
	if len(found(t, l, Scope(guildA), "glacier")) != 1 || len(found(t, l, Scope(guildA), "lighthouse")) != 0 {
		t.Error("the index kept the text read in between")
	}
}
