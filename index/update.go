package index

import (
	"context"
	"fmt"
	"slices"
)

// Change is a set of stories to put into or take out of one collection,
// applied at once.
type Change struct {
	Put    []Entry
	Remove []string
	// Meta is the store version the collection is at after the change.
	Meta Meta
}

// Apply makes one change to a collection's live index in a single bleve
// batch, together with the manifest that describes the result: a search,
// and a restart after a crash, sees the change whole or not at all. A
// collection that has no index yet gets an empty one first. Apply waits
// for a rebuild of the same collection to finish, so that the change is
// made to the index the rebuild swapped in.
func (ix *Index) Apply(ctx context.Context, col string, ch Change) error {
	c, err := ix.collection(col, true)
	if err != nil {
		return err
	}
	if c.readOnly {
		return ErrReadOnly
	}
	c.building.Lock()
	defer c.building.Unlock()
	g, err := c.generation()
	if err != nil {
		return err
	}
	if g == nil {
		if _, err := c.rebuild(ctx, nil, ch.Meta, nil); err != nil {
			return err
		}
		if g = c.live.Load(); g == nil {
			return ErrClosed
		}
	}
	old := g.manifest()
	list := slices.Clone(old.Stories)
	gone := map[string]bool{}
	var added []Listing
	b := g.idx.NewBatch()
	for _, id := range ch.Remove {
		i, ok := findStory(list, id)
		if !ok {
			continue
		}
		for p := 0; p < list[i].Paragraphs; p++ {
			b.Delete(docID(id, p))
		}
		list = slices.Delete(list, i, i+1)
		gone[id] = true
	}
	for _, e := range ch.Put {
		st := e.Story
		if i, ok := findStory(list, st.ID); ok {
			for p := len(st.Paragraphs); p < list[i].Paragraphs; p++ {
				b.Delete(docID(st.ID, p))
			}
			list = slices.Delete(list, i, i+1)
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
		info := e.info(col)
		i, _ := findStory(list, st.ID)
		list = slices.Insert(list, i, info)
		gone[st.ID] = true
		added = append(added, listingOf(st))
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	man := Manifest{Meta: ch.Meta, Stories: list}
	listing := g.listing().with(gone, added...)
	if err := setManifest(b, man, listing); err != nil {
		return err
	}
	if err := g.idx.Batch(b); err != nil {
		return fmt.Errorf("changing collection %s: %w", col, err)
	}
	g.setManifest(man)
	g.setListing(listing)
	return nil
}
