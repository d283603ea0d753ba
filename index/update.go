package index

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/storybot/storybot/corpus"
)

// AddStory indexes one story into the live index at once, replacing a
// story with the same ID. Each bleve batch is atomic, so a search sees the
// story either whole or not at all.
func (ix *Index) AddStory(ctx context.Context, st *corpus.Story) error {
	if !ix.building.TryLock() {
		return ErrBusy
	}
	defer ix.building.Unlock()
	g := ix.live.Load()
	if g == nil {
		return fmt.Errorf("the index is closed")
	}
	list := g.storyList()
	b := g.idx.NewBatch()
	if i, ok := findStory(list, st.ID); ok {
		for p := len(st.Paragraphs); p < list[i].Paragraphs; p++ {
			b.Delete(docID(st.ID, p))
		}
	}
	for j := range st.Paragraphs {
		doc, err := document(st, &st.Paragraphs[j])
		if err != nil {
			return err
		}
		if err := b.Index(docID(st.ID, st.Paragraphs[j].Index), doc); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// The list is written before the paragraphs, so a crash in between
	// leaves a listed story with missing paragraphs, which adding it again
	// repairs, never paragraphs that no list knows how to remove.
	if err := g.replaceStory(st.ID, func(l []StoryInfo) []StoryInfo {
		if i, ok := findStory(l, st.ID); ok {
			l[i] = infoOf(st)
			return l
		}
		l = append(l, infoOf(st))
		sort.Slice(l, func(i, j int) bool { return l[i].ID < l[j].ID })
		return l
	}); err != nil {
		return err
	}
	if err := g.idx.Batch(b); err != nil {
		return fmt.Errorf("indexing %s: %w", st.ID, err)
	}
	return nil
}

// RemoveStory takes one story out of the live index. It reports false when
// no story has that ID.
func (ix *Index) RemoveStory(ctx context.Context, id string) (bool, error) {
	if !ix.building.TryLock() {
		return false, ErrBusy
	}
	defer ix.building.Unlock()
	g := ix.live.Load()
	if g == nil {
		return false, fmt.Errorf("the index is closed")
	}
	list := g.storyList()
	i, ok := findStory(list, id)
	if !ok {
		return false, nil
	}
	b := g.idx.NewBatch()
	for p := 0; p < list[i].Paragraphs; p++ {
		b.Delete(docID(id, p))
	}
	// The paragraphs go before the list entry, for the same reason as in
	// AddStory: the entry is what lets a second try find them.
	if err := g.idx.Batch(b); err != nil {
		return false, fmt.Errorf("removing %s: %w", id, err)
	}
	return true, g.replaceStory(id, func(l []StoryInfo) []StoryInfo {
		if i, ok := findStory(l, id); ok {
			return slices.Delete(l, i, i+1)
		}
		return l
	})
}

// replaceStory applies change to a copy of the story list, so readers
// holding the old slice are never disturbed, and saves it.
func (g *generation) replaceStory(id string, change func([]StoryInfo) []StoryInfo) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.stories = change(slices.Clone(g.stories))
	if err := g.saveStoryList(); err != nil {
		return fmt.Errorf("saving the story list after changing %s: %w", id, err)
	}
	return nil
}

func findStory(list []StoryInfo, id string) (int, bool) {
	i := sort.Search(len(list), func(i int) bool { return list[i].ID >= id })
	return i, i < len(list) && list[i].ID == id
}
