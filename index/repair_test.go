package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"github.com/storybot/storybot/corpus"
)

// A live index that no longer opens (its files damaged or gone) is
// repaired by a rebuild: the new index replaces it and serves, and the
// broken directory is removed. A rebuild that fails on the way leaves
// things as they were, so a later one can still repair them.
func TestRebuildRepairsBrokenLiveIndex(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func(dir string) error
	}{
		{"emptied", func(dir string) error {
			if err := os.RemoveAll(dir); err != nil {
				return err
			}
			return os.MkdirAll(dir, 0o755)
		}},
		{"gone", os.RemoveAll},
		{"metadata garbled", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "index_meta.json"), []byte("{"), 0o644)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cdir := filepath.Join(dir, collectionsDir, Shared)
			ctx := context.Background()
			ix, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			put(t, ix, Shared, story(t, "a.txt", "The harbour festival drew record crowds."))
			broken, _ := readCurrent(cdir)
			ix.Close()
			if err := tc.damage(filepath.Join(cdir, broken)); err != nil {
				t.Fatal(err)
			}
			ix, err = Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { ix.Close() }()
			if _, err := ix.Search(ctx, Query{Text: "harbour festival"}); err == nil {
				t.Fatal("the damaged index still opens; the test damages nothing")
			}
			stories := Entries([]*corpus.Story{story(t, "b.txt", "The mountain railway reopened after the storm.")})

			create := createIndex
			createIndex = func(d string) (bleve.Index, error) { return nil, errors.New("no space left on device") }
			_, err = ix.Rebuild(ctx, Shared, stories, Meta{}, nil)
			createIndex = create
			if err == nil {
				t.Fatal("the rebuild did not fail")
			}
			if cur, _ := readCurrent(cdir); cur != broken {
				t.Errorf("a failed rebuild moved CURRENT from %s to %s", broken, cur)
			}

			if _, err := ix.Rebuild(ctx, Shared, stories, Meta{Version: 2}, nil); err != nil {
				t.Fatalf("rebuilding over the broken index: %v", err)
			}
			hits, err := ix.Search(ctx, Query{Text: "mountain railway"})
			if err != nil || len(hits) != 1 || hits[0].Story != "b.txt" {
				t.Fatalf("a search after the repair: %+v %v", hits, err)
			}
			cur, _ := readCurrent(cdir)
			if names := dirNames(t, cdir); !slices.Equal(names, []string{currentFile, cur}) || cur == broken {
				t.Errorf("after the repair CURRENT names %s and the collection holds %v", cur, names)
			}
			ix.Close()
			ix, err = Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			if m, _ := ix.Manifest(Shared); m.Version != 2 || len(m.Stories) != 1 {
				t.Errorf("after a restart the collection holds %+v", m)
			}
			if left := ix.Leftovers(); len(left) != 0 {
				t.Errorf("the repair left %v behind", left)
			}
		})
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// When only the directory's fsync after CURRENT's rename fails, CURRENT
// names the new index already, yet a crash may bring back the old name.
// The new index serves, and both directories stay until a restart, which
// keeps the one CURRENT names then: whichever it is, the collection
// opens.
func TestRebuildWithUnsyncedCurrentKeepsBothIndexes(t *testing.T) {
	for _, lost := range []bool{false, true} {
		t.Run(fmt.Sprintf("rename lost %v", lost), func(t *testing.T) {
			dir := t.TempDir()
			cdir := filepath.Join(dir, collectionsDir, Shared)
			ctx := context.Background()
			ix, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { ix.Close() }()
			if _, err := ix.Rebuild(ctx, Shared, Entries([]*corpus.Story{story(t, "a.txt", "The harbour festival drew record crowds.")}), Meta{Version: 1}, nil); err != nil {
				t.Fatal(err)
			}
			old, _ := readCurrent(cdir)

			write := writeCurrent
			writeCurrent = func(dir, name string) error {
				if err := write(dir, name); err != nil {
					return err
				}
				return fmt.Errorf("%w: %w", corpus.ErrNotDurable, syscall.EIO)
			}
			_, err = ix.Rebuild(ctx, Shared, Entries([]*corpus.Story{story(t, "b.txt", "The mountain railway reopened after the storm.")}), Meta{Version: 2}, nil)
			writeCurrent = write
			if err != nil {
				t.Fatalf("the rebuild: %v", err)
			}
			hits, err := ix.Search(ctx, Query{Text: "mountain railway"})
			if err != nil || len(hits) != 1 || hits[0].Story != "b.txt" {
				t.Fatalf("a search after the rebuild: %+v %v", hits, err)
			}
			cur, _ := readCurrent(cdir)
			if names := dirNames(t, cdir); cur == old || !slices.Equal(names, []string{currentFile, old, cur}) {
				t.Fatalf("CURRENT names %s (was %s), and the collection holds %v", cur, old, names)
			}
			ix.Close()

			want, gone, version := cur, old, int64(2)
			if lost {
				if err := os.WriteFile(filepath.Join(cdir, currentFile), []byte(old+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				want, gone, version = old, cur, 1
			}
			ix, err = Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			if m, ok := ix.Manifest(Shared); !ok || m.Version != version {
				t.Errorf("after a restart the collection is at %+v (open %v), want version %d", m.Meta, ok, version)
			}
			if names := dirNames(t, cdir); !slices.Equal(names, []string{currentFile, want}) {
				t.Errorf("after a restart the collection holds %v, want %s alone (%s removed)", names, want, gone)
			}
		})
	}
}
