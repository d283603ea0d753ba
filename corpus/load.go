package corpus

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Skipped is a file that was not loaded, with the reason.
type Skipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

func (s Skipped) String() string { return s.Path + ": " + s.Reason }

// storyExts are the file types read as stories; others are ignored, not
// reported, so that a README or a .DS_Store beside the stories is no error.
var storyExts = map[string]bool{".txt": true, ".md": true, ".markdown": true, ".html": true, ".htm": true}

// IsStoryFile reports whether a file name has a story extension.
func IsStoryFile(name string) bool {
	return storyExts[strings.ToLower(filepath.Ext(name))]
}

// LoadDir reads every story below dir. Files that are not stories are
// reported in skipped, and every good file is still loaded. Stories come
// back sorted by ID; IDs are made unique by their path below dir when two
// files share a name.
func LoadDir(dir string) (stories []*Story, skipped []Skipped, err error) {
	return LoadFS(os.DirFS(dir), ".")
}

// LoadFS is LoadDir over a file system, so embedded stories load the same way.
func LoadFS(fsys fs.FS, root string) (stories []*Story, skipped []Skipped, err error) {
	info, err := fs.Stat(fsys, root)
	if err != nil {
		return nil, nil, err
	}
	if !info.IsDir() {
		return nil, nil, fmt.Errorf("%s is not a directory", root)
	}
	var paths []string
	err = fs.WalkDir(fsys, root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			skipped = append(skipped, Skipped{Path: path, Reason: err.Error()})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if path != root && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") || !IsStoryFile(d.Name()) {
			return nil
		}
		st, err := readStory(fsys, path)
		if err != nil {
			skipped = append(skipped, Skipped{Path: path, Reason: err.Error()})
			return nil
		}
		stories = append(stories, st)
		paths = append(paths, path)
		return nil
	})
	uniqueIDs(stories, paths, root)
	sort.Slice(stories, func(i, j int) bool { return stories[i].ID < stories[j].ID })
	return stories, skipped, err
}

// StoryIDs gives the stories at paths (below one root, slash-separated)
// the IDs LoadFS gives them: the file name, or the path when two files
// share a name.
func StoryIDs(paths []string) []string {
	ids := make([]string, len(paths))
	count := map[string]int{}
	for i, p := range paths {
		ids[i] = filepath.Base(p)
		count[ids[i]]++
	}
	for i, p := range paths {
		if count[ids[i]] > 1 {
			ids[i] = filepath.ToSlash(p)
		}
	}
	return ids
}

// uniqueIDs gives every story whose file name is shared by another its
// path below root as ID, so that neither hides the other in the index.
// Names that are unique stay plain file names, as people refer to them.
func uniqueIDs(stories []*Story, paths []string, root string) {
	count := map[string]int{}
	for _, st := range stories {
		count[st.ID]++
	}
	for i, st := range stories {
		if count[st.ID] > 1 {
			rel, err := filepath.Rel(root, paths[i])
			if err != nil {
				rel = paths[i]
			}
			st.ID = filepath.ToSlash(rel)
		}
	}
}

func readStory(fsys fs.FS, path string) (*Story, error) {
	f, err := fsys.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Read one byte past the limit so an oversized file is caught without
	// reading all of it.
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, ErrTooLarge
	}
	return Parse(filepath.Base(path), data)
}

// ReadFile reads one story file from disk.
func ReadFile(path string) (*Story, error) {
	st, err := readStory(os.DirFS(filepath.Dir(path)), filepath.Base(path))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return st, err
}
