package corpus

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFileAtomic replaces path with data so that a reader, or a restart
// after a crash, sees the old content or the new, never a mix: write a
// temporary file, fsync it, rename it over path, and fsync the directory so
// the rename is durable.
//
// An error that wraps ErrNotDurable comes after the rename: path holds the
// new data, but a crash may still bring back the old.
func WriteFileAtomic(path string, data []byte, perm fs.FileMode) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // a no-op once renamed
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("%w: %w", ErrNotDurable, err)
	}
	return nil
}

// ErrNotDurable means a file was replaced, but its directory could not be
// synced. A caller that undid the replacement on any error would undo one
// that a reader, or the next start, may already see.
var ErrNotDurable = errors.New("replaced, but the rename may not survive a crash")

// syncDir is a variable so that tests can fail it, as a failing disk would.
var syncDir = func(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
