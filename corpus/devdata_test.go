package corpus

import (
	"path/filepath"
	"testing"

	"github.com/storybot/storybot/corpus/devset"
)

// devStories parses evaluation articles once per test.
type devStories struct {
	dir     string
	stories map[string]*Story
}

func newDevStories(t *testing.T) *devStories {
	return &devStories{dir: devset.Articles(t), stories: map[string]*Story{}}
}

func (d *devStories) get(t *testing.T, name string) *Story {
	t.Helper()
	if st, ok := d.stories[name]; ok {
		return st
	}
	st, err := ReadFile(filepath.Join(d.dir, name))
	if err != nil {
		t.Fatal(err)
	}
	d.stories[name] = st
	return st
}
