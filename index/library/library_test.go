package library

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

const guildA, guildB = "111111111111111111", "222222222222222222"

var alice = Actor{ID: "42", Name: "alice"}

func upload(t testing.TB, name, headline string, paras ...string) *corpus.Upload {
	t.Helper()
	up, err := corpus.PrepareUpload(name, []byte("date: 2024-05-03\nsource: Test Wire\n---\n"+headline+"\n\n"+strings.Join(paras, "\n\n")+"\n"), "")
	if err != nil {
		t.Fatal(err)
	}
	return up
}

func openFiles(t testing.TB, root, indexDir string, q Quota) *Library {
	t.Helper()
	fs, err := NewFiles(root)
	if err != nil {
		t.Fatal(err)
	}
	l, err := Open(context.Background(), Config{Store: fs, IndexDir: indexDir, Quota: q})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func found(t testing.TB, l *Library, scope index.Scope, text string) []index.Hit {
	t.Helper()
	hits, err := l.Index().Search(context.Background(), index.Query{Text: text, Scope: scope, Size: 5})
	if err != nil {
		t.Fatal(err)
	}
	return hits
}

func TestAddRemoveRestoreInOneCollection(t *testing.T) {
	root, idx := t.TempDir(), t.TempDir()
	l := openFiles(t, root, idx, Quota{})
	defer l.Close()
	ctx := context.Background()
	res, err := l.Add(ctx, guildA, alice, upload(t, "harbour.txt", "Harbour news", "The harbour festival drew record crowds."))
	if err != nil || !res.Indexed || res.Replaced || res.Usage.Stories != 1 {
		t.Fatalf("add: %+v %v", res, err)
	}
	if _, err := os.Stat(filepath.Join(root, serversDir, guildA, "harbour.txt")); err != nil {
		t.Fatalf("the story was not saved in the server's folder: %v", err)
	}
	if len(found(t, l, Scope(guildA), "harbour festival")) != 1 || len(found(t, l, Scope(guildB), "harbour festival")) != 0 ||
		len(found(t, l, Scope(""), "harbour festival")) != 0 {
		t.Fatal("the story is not in A's scope alone")
	}
	// Replacing keeps the old text restorable.
	if res, err = l.Add(ctx, guildA, alice, upload(t, "harbour.txt", "Harbour news", "The harbour festival was cancelled.")); err != nil || !res.Replaced {
		t.Fatalf("replace: %+v %v", res, err)
	}
	if hits := found(t, l, Scope(guildA), "record crowds"); len(hits) != 0 {
		t.Errorf("old text still answers: %+v", hits)
	}
	removed, err := l.Removed(ctx, guildA)
	if err != nil || len(removed) != 1 || !removed[0].Replace || removed[0].ID != "harbour.txt" || !strings.Contains(removed[0].By, "alice") {
		t.Fatalf("removed list after replace: %+v %v", removed, err)
	}
	// Restoring the replaced text swaps it back, and keeps the newer one.
	if _, err := l.Restore(ctx, guildA, alice, removed[0].Key); err != nil {
		t.Fatal(err)
	}
	if len(found(t, l, Scope(guildA), "record crowds")) != 1 {
		t.Error("restored text not found")
	}
	if removed, _ = l.Removed(ctx, guildA); len(removed) != 1 {
		t.Errorf("the displaced version is not restorable: %+v", removed)
	}
	if _, err := l.Remove(ctx, guildA, alice, "harbour.txt"); err != nil {
		t.Fatal(err)
	}
	if len(found(t, l, Scope(guildA), "harbour")) != 0 || l.Usage(guildA).Stories != 0 {
		t.Error("removed story still answers")
	}
	if _, err := l.Remove(ctx, guildA, alice, "harbour.txt"); !errors.Is(err, ErrNotFound) {
		t.Errorf("second remove: %v", err)
	}
	// Restore by name takes the latest removal.
	if _, err := l.Restore(ctx, guildA, alice, "harbour.txt"); err != nil {
		t.Fatal(err)
	}
	if len(found(t, l, Scope(guildA), "record crowds")) != 1 {
		t.Error("restore by name did not bring back the latest removal")
	}
	// Another server's collection is untouched by all of it, and A's
	// moderators cannot reach B's stories by name.
	if _, err := l.Remove(ctx, guildB, alice, "harbour.txt"); !errors.Is(err, ErrNotFound) {
		t.Errorf("remove in B: %v", err)
	}
}

func TestQuotaRefusesWithLimitAndUse(t *testing.T) {
	l := openFiles(t, t.TempDir(), "", Quota{Stories: 2, Bytes: 400})
	defer l.Close()
	ctx := context.Background()
	for i := range 2 {
		if _, err := l.Add(ctx, guildA, alice, upload(t, fmt.Sprintf("s%d.txt", i), "Short", "A short story.")); err != nil {
			t.Fatal(err)
		}
	}
	_, err := l.Add(ctx, guildA, alice, upload(t, "s9.txt", "Short", "One too many."))
	var qe *QuotaError
	if !errors.As(err, &qe) || qe.Limit != "stories" || !strings.Contains(err.Error(), "limit of 2 stories (it holds 2)") {
		t.Fatalf("third story: %v", err)
	}
	// Replacing does not count as one more story, but bytes still count.
	big := upload(t, "s0.txt", "Long", strings.Repeat("A long paragraph of words. ", 20))
	if _, err := l.Add(ctx, guildA, alice, big); !errors.As(err, &qe) || qe.Limit != "bytes" || !strings.Contains(err.Error(), "400 bytes") {
		t.Fatalf("oversized replace: %v", err)
	}
	// The shared library has no quota, and another server has its own.
	if _, err := l.Add(ctx, guildB, alice, upload(t, "s9.txt", "Short", "B's story.")); err != nil {
		t.Errorf("B refused because of A's use: %v", err)
	}
	if _, err := l.Add(ctx, index.Shared, alice, big); err != nil {
		t.Errorf("the shared library has a quota: %v", err)
	}
}

// A story file saved but never indexed (a crash between the two steps), a
// story indexed whose file is gone, and a file changed behind the bot's
// back are all put right when the library opens.
func TestOpenRepairsIndexAgainstFiles(t *testing.T) {
	root, idx := t.TempDir(), t.TempDir()
	l := openFiles(t, root, idx, Quota{})
	ctx := context.Background()
	for _, n := range []string{"keep.txt", "gone.txt", "edit.txt"} {
		if _, err := l.Add(ctx, guildA, alice, upload(t, n, "Story "+n, "Words of "+strings.TrimSuffix(n, ".txt")+" here.")); err != nil {
			t.Fatal(err)
		}
	}
	l.Close()
	dir := filepath.Join(root, serversDir, guildA)
	os.Remove(filepath.Join(dir, "gone.txt"))
	time.Sleep(10 * time.Millisecond) // a new modification time
	os.WriteFile(filepath.Join(dir, "edit.txt"), []byte("Edited\n\nThe edited lighthouse text.\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "new.txt"), []byte("New\n\nA new glacier story.\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "bad.txt"), []byte{0, 1, 2, 0xff}, 0o644)
	var got SyncResult
	fs, _ := NewFiles(root)
	l, err := Open(ctx, Config{Store: fs, IndexDir: idx, OnSync: func(col string, r SyncResult) {
		if col == guildA {
			got = r
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if got.Rebuilt || got.Added != 2 || got.Removed != 1 || got.Stories != 3 || len(got.Skipped) != 1 {
		t.Errorf("sync %+v", got)
	}
	for q, want := range map[string]int{"gone": 0, "lighthouse": 1, "glacier": 1, "keep": 1} {
		if n := len(found(t, l, Scope(guildA), q)); n != want {
			t.Errorf("%q: %d hits, want %d", q, n, want)
		}
	}
}

// A collection whose index no longer opens (its files damaged) is rebuilt
// from the store when the library opens, and answers again.
func TestOpenRebuildsBrokenIndex(t *testing.T) {
	root, idx := t.TempDir(), t.TempDir()
	l := openFiles(t, root, idx, Quota{})
	ctx := context.Background()
	if _, err := l.Add(ctx, guildA, alice, upload(t, "harbour.txt", "Harbour news", "The harbour festival drew record crowds.")); err != nil {
		t.Fatal(err)
	}
	l.Close()
	cdir := filepath.Join(idx, "collections", guildA)
	current, err := os.ReadFile(filepath.Join(cdir, "CURRENT"))
	if err != nil {
		t.Fatal(err)
	}
	live := filepath.Join(cdir, strings.TrimSpace(string(current)))
	if err := os.RemoveAll(live); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(live, 0o755)
	l = openFiles(t, root, idx, Quota{})
	defer l.Close()
	if len(found(t, l, Scope(guildA), "harbour festival")) != 1 {
		t.Error("the broken index was not rebuilt from the store")
	}
}

func TestSecondChangeToACollectionIsRefusedWhileOneRuns(t *testing.T) {
	l := openFiles(t, t.TempDir(), "", Quota{})
	defer l.Close()
	ctx := context.Background()
	for i := range 30 {
		l.Add(ctx, guildA, alice, upload(t, fmt.Sprintf("s%02d.txt", i), "Story", "Some words."))
	}
	started, release := make(chan struct{}), make(chan struct{})
	done := make(chan error)
	go func() {
		_, err := l.Reindex(ctx, guildA, alice, func(d, n int) {
			if d == 1 {
				close(started)
				<-release
			}
		})
		done <- err
	}()
	<-started
	_, err := l.Add(ctx, guildA, Actor{ID: "7", Name: "bob"}, upload(t, "x.txt", "X", "Words."))
	var be *BusyError
	if !errors.As(err, &be) || be.Job == nil || be.Job.Action != "reindex" || be.Job.Actor != alice || be.Job.Total.Load() != 30 {
		t.Errorf("add during reindex: %v %+v", err, be)
	}
	// Another server is not held up.
	if _, err := l.Add(ctx, guildB, Actor{ID: "7", Name: "bob"}, upload(t, "x.txt", "X", "Words.")); err != nil {
		t.Errorf("B held up by A's reindex: %v", err)
	}
	if l.Running(guildB) != nil {
		t.Error("B shows a running job")
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestPurgeForgetsOldAndExcessRemovals(t *testing.T) {
	root := t.TempDir()
	fs, _ := NewFiles(root)
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	fs.now = func() time.Time { return clock }
	l, err := Open(context.Background(), Config{Store: fs, Quota: Quota{Stories: 2}, Keep: 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx := context.Background()
	for i := range 4 {
		name := fmt.Sprintf("s%d.txt", i)
		l.Add(ctx, guildA, alice, upload(t, name, "S", "Words."))
		l.Remove(ctx, guildA, alice, name)
		clock = clock.Add(time.Hour)
	}
	all, _ := fs.Removed(ctx, guildA)
	if len(all) != 4 {
		t.Fatalf("%d removals", len(all))
	}
	// Two fit the quota; the two oldest go.
	if n, err := fs.Purge(ctx, clock.Add(-48*time.Hour), l.Quota); err != nil || n != 2 {
		t.Errorf("purged %d, %v", n, err)
	}
	left, _ := fs.Removed(ctx, guildA)
	if len(left) != 2 || left[0].ID != "s3.txt" || left[1].ID != "s2.txt" {
		t.Errorf("left %+v", left)
	}
	if n, _ := fs.Purge(ctx, clock.Add(-90*time.Minute), l.Quota); n != 1 {
		t.Errorf("age purge removed %d", n)
	}
}

func TestBuiltinIsReadOnly(t *testing.T) {
	l, err := Open(context.Background(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if got := l.Index().Stories(nil); len(got) != 1 || got[0].Collection != index.Shared {
		t.Fatalf("built-in stories %+v", got)
	}
	if _, err := l.Add(context.Background(), index.Shared, alice, upload(t, "x.txt", "X", "Words.")); !errors.Is(err, ErrReadOnly) {
		t.Errorf("add to the built-in library: %v", err)
	}
}

// Another process (the CLI beside the running bot) changes the files; the
// library that follows them picks the change up.
func TestFilesWatchSeesOtherProcessesChanges(t *testing.T) {
	root := t.TempDir()
	fs, _ := NewFiles(root)
	fs.PollEvery = 20 * time.Millisecond
	l, err := Open(context.Background(), Config{Store: fs})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { l.Follow(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	other, _ := NewFiles(root)
	time.Sleep(50 * time.Millisecond)
	if _, err := other.Put(context.Background(), guildA, "x.txt", []byte("X\n\nThe avalanche closed the pass.\n"), alice, Quota{}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(found(t, l, Scope(guildA), "avalanche")) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the change was not picked up")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A removal killed while its record was being written leaves a folder with
// only the record's temporary file; that is not a story to restore, and
// Purge clears it.
func TestRemovalLeftByACrashIsNotRestorable(t *testing.T) {
	root := t.TempDir()
	fs, _ := NewFiles(root)
	l, err := Open(context.Background(), Config{Store: fs})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx := context.Background()
	if _, err := l.Add(ctx, guildA, alice, upload(t, "kept.txt", "Kept", "The ferry resumed service.")); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Remove(ctx, guildA, alice, "kept.txt"); err != nil {
		t.Fatal(err)
	}
	torn := filepath.Join(fs.trashDir(guildA), "20260101T000000.000000-abcdef")
	if err := os.MkdirAll(torn, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(torn, removalMeta+".tmp-123"), []byte(`{"Key":`), 0o644); err != nil {
		t.Fatal(err)
	}
	removed, _ := l.Removed(ctx, guildA)
	if len(removed) != 1 || removed[0].ID != "kept.txt" {
		t.Fatalf("restorable: %+v", removed)
	}
	if _, err := l.Restore(ctx, guildA, alice, "20260101T000000.000000-abcdef"); !errors.Is(err, ErrNotFound) {
		t.Errorf("restoring the torn removal: %v", err)
	}
	if n, err := fs.Purge(ctx, time.Time{}, l.Quota); err != nil || n != 1 {
		t.Errorf("purged %d, %v", n, err)
	}
	if _, err := os.Stat(torn); !os.IsNotExist(err) {
		t.Errorf("the torn removal is still there: %v", err)
	}
}
