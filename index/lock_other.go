//go:build !unix

package index

import (
	"os"
	"path/filepath"
)

// lockDir only creates dir/LOCK where flock is not available; such
// systems must not run two storybot processes on one index.
func lockDir(dir string) (*os.File, error) {
	return os.OpenFile(filepath.Join(dir, lockFile), os.O_CREATE|os.O_RDWR, 0o644)
}
