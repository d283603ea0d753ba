package index

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/storybot/storybot/corpus"
)

// On disk, each collection has a folder dir/collections/NAME, in which
// CURRENT names the live index directory idx-…. A rebuild writes a new
// idx-… beside it and only then points CURRENT at it, by rename, so a
// crash at any moment leaves CURRENT naming a complete index.
const (
	collectionsDir = "collections"
	currentFile    = "CURRENT"
	genPrefix      = "idx-"
	lockFile       = "LOCK"
	// legacyStories sat beside the single index of the layout before
	// collections.
	legacyStories = "stories.json"
)

// ErrNoIndex means the directory holds no built index yet.
var ErrNoIndex = errors.New("no index has been built there yet")

// ErrLocked means another process has the index open.
var ErrLocked = errors.New("the index is in use by another storybot process (the running bot?)")

func readCurrent(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, currentFile))
	if errors.Is(err, fs.ErrNotExist) {
		return "", ErrNoIndex
	}
	if err != nil {
		return "", err
	}
	name := strings.TrimSpace(string(b))
	if !strings.HasPrefix(name, genPrefix) || strings.ContainsAny(name, `/\`) {
		return "", fmt.Errorf("%s: %q is not an index name", currentFile, name)
	}
	return name, nil
}

// writeCurrent points CURRENT at name, atomically and durably; an error
// wrapping corpus.ErrNotDurable means CURRENT names it already. Tests
// replace it to fail as a failing disk would.
var writeCurrent = func(dir, name string) error {
	return corpus.WriteFileAtomic(filepath.Join(dir, currentFile), []byte(name+"\n"), 0o644)
}

// newGenName makes a fresh, sortable index directory name.
func newGenName() string {
	return genPrefix + time.Now().UTC().Format("20060102T150405.000000000")
}

// removeLeftovers deletes index directories and temporary files other than
// keep: what an interrupted rebuild left behind. At the top of the index
// directory (top), it also removes the single index of the layout before
// collections. It returns what it removed.
func removeLeftovers(dir, keep string, top bool) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var removed []string
	var errs []error
	for _, e := range entries {
		n := e.Name()
		stale := (strings.HasPrefix(n, genPrefix) && n != keep) ||
			strings.HasPrefix(n, "."+currentFile+".tmp-") ||
			(top && (n == currentFile || n == legacyStories))
		if !stale {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, n)); err != nil {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, n)
	}
	return removed, errors.Join(errs...)
}
