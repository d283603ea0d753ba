package index

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// readOnlyCopy bind-mounts dir read-only, as a read-only volume would be,
// or skips the test where this process may not mount.
func readOnlyCopy(t *testing.T, dir string) string {
	t.Helper()
	ro := filepath.Join(t.TempDir(), "ro")
	os.Mkdir(ro, 0o755)
	if out, err := exec.Command("mount", "--bind", dir, ro).CombinedOutput(); err != nil {
		t.Skipf("cannot bind-mount here to make a read-only volume: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", ro).Run() })
	if out, err := exec.Command("mount", "-o", "remount,ro,bind", ro).CombinedOutput(); err != nil {
		t.Skipf("cannot remount read-only here: %v %s", err, out)
	}
	return ro
}

func TestReadOnlyIndexAnswers(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Rebuild(context.Background(), Shared, Entries(testStories(t)), Meta{}, nil); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	ro := readOnlyCopy(t, dir)
	rix, err := Open(ro)
	if err != nil {
		t.Fatalf("opening a read-only index: %v", err)
	}
	defer rix.Close()
	if !rix.ReadOnly() {
		t.Error("not marked read-only")
	}
	hits, err := rix.Search(context.Background(), Query{Text: "molotov cocktails"})
	if err != nil || len(hits) == 0 || hits[0].Story != "beta.txt" {
		t.Fatalf("hits %+v %v", hits, err)
	}
	if len(rix.Stories(nil)) != 2 {
		t.Errorf("stories %+v", rix.Stories(nil))
	}
	if err := rix.Apply(context.Background(), Shared, Change{Remove: []string{"beta.txt"}}); !errors.Is(err, ErrReadOnly) {
		t.Errorf("apply: %v", err)
	}
	if _, err := rix.Rebuild(context.Background(), Shared, nil, Meta{}, nil); !errors.Is(err, ErrReadOnly) {
		t.Errorf("rebuild: %v", err)
	}
}
