package corpus

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// A directory that cannot be synced comes after the rename: the error says
// so, and the file holds the new data. An error before the rename does
// not say so.
func TestWriteFileAtomicTellsAnUnsyncedRename(t *testing.T) {
	path := filepath.Join(t.TempDir(), "CURRENT")
	if err := os.WriteFile(path, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sync := syncDir
	syncDir = func(string) error { return syscall.EIO }
	err := WriteFileAtomic(path, []byte("new\n"), 0o644)
	syncDir = sync
	if !errors.Is(err, ErrNotDurable) || !errors.Is(err, syscall.EIO) {
		t.Errorf("an unsynced directory: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new\n" {
		t.Errorf("the file holds %q", b)
	}
	err = WriteFileAtomic(filepath.Join(path+".missing", "x"), []byte("new\n"), 0o644)
	if err == nil || errors.Is(err, ErrNotDurable) {
		t.Errorf("a write that never renamed: %v", err)
	}
}
