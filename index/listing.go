package index

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"

	"github.com/blevesearch/bleve/v2"

	"github.com/storybot/storybot/corpus"
)

// Listing is every statement and every time expression of a collection,
// prepared when its stories are indexed: listing them for a whole archive
// then reads one list instead of searching story by story, which on a
// large archive took seconds.
type Listing struct {
	// Quotes are in story and paragraph order.
	Quotes []ListedQuote `json:"q,omitempty"`
	// Times are in date order; expressions with no date come last.
	Times []ListedTime `json:"t,omitempty"`
}

// ListedQuote is one statement of a story.
type ListedQuote struct {
	Story       string `json:"s"`
	Headline    string `json:"h"`
	Paragraph   int    `json:"p"`
	Speaker     string `json:"w"`
	Description string `json:"d,omitempty"`
	Quote       string `json:"q"`
	Direct      bool   `json:"x,omitempty"`
}

// ListedTime is one time expression of a story; Start and End are its
// byte offsets in the paragraph's text.
type ListedTime struct {
	Story     string `json:"s"`
	Headline  string `json:"h"`
	Paragraph int    `json:"p"`
	Text      string `json:"x"`
	Date      string `json:"v,omitempty"`
	Precision string `json:"r"`
	Start     int    `json:"a"`
	End       int    `json:"b"`
}

var listingKey = []byte("storybot.listing")

// listingOf is what one story adds to its collection's listing.
func listingOf(st *corpus.Story) Listing {
	var l Listing
	for _, p := range st.Paragraphs {
		for _, s := range p.Statements {
			l.Quotes = append(l.Quotes, ListedQuote{Story: st.ID, Headline: st.Headline, Paragraph: p.Index,
				Speaker: s.Speaker, Description: s.Description, Quote: s.Quote, Direct: s.Direct})
		}
		for _, t := range p.Times {
			l.Times = append(l.Times, ListedTime{Story: st.ID, Headline: st.Headline, Paragraph: p.Index,
				Text: t.Text, Date: t.Value, Precision: string(t.Precision), Start: t.Start, End: t.End})
		}
	}
	return l
}

// without is the listing less the stories in gone, plus add, in order.
func (l Listing) with(gone map[string]bool, add ...Listing) Listing {
	var out Listing
	for _, q := range l.Quotes {
		if !gone[q.Story] {
			out.Quotes = append(out.Quotes, q)
		}
	}
	for _, t := range l.Times {
		if !gone[t.Story] {
			out.Times = append(out.Times, t)
		}
	}
	for _, a := range add {
		out.Quotes = append(out.Quotes, a.Quotes...)
		out.Times = append(out.Times, a.Times...)
	}
	out.sort()
	return out
}

func (l *Listing) sort() {
	slices.SortStableFunc(l.Quotes, func(a, b ListedQuote) int {
		return cmp.Or(cmp.Compare(a.Story, b.Story), cmp.Compare(a.Paragraph, b.Paragraph))
	})
	slices.SortStableFunc(l.Times, compareTimes)
}

// compareTimes orders by date, undated last, then by place in the stories.
func compareTimes(a, b ListedTime) int {
	if (a.Date == "") != (b.Date == "") {
		if a.Date == "" {
			return 1
		}
		return -1
	}
	return cmp.Or(cmp.Compare(a.Date, b.Date), cmp.Compare(a.Story, b.Story),
		cmp.Compare(a.Paragraph, b.Paragraph), cmp.Compare(a.Start, b.Start))
}

func encodeListing(l Listing) ([]byte, error) { return json.Marshal(l) }

// listing is read from the index on first use, like the manifest.
func (g *generation) listing() Listing {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.listed {
		if b, err := g.idx.GetInternal(listingKey); err == nil && len(b) > 0 {
			_ = json.Unmarshal(b, &g.list)
		}
		g.listed = true
	}
	return g.list
}

func (g *generation) setListing(l Listing) {
	g.mu.Lock()
	g.list, g.listed = l, true
	g.mu.Unlock()
}

// Listing merges the listings of a scope's collections, leaving out the
// stories that an earlier collection hides, and keeps only story's items
// when story is set.
func (ix *Index) Listing(scope Scope, story string) (Listing, error) {
	var out Listing
	seen := map[string]bool{}
	contributed := 0
	for _, name := range scope.names() {
		c, err := ix.collection(name, false)
		if err != nil {
			return out, err
		}
		if c == nil {
			continue
		}
		g, release, err := c.acquire()
		if err != nil {
			return out, err
		}
		if g == nil {
			continue
		}
		defer release()
		mine := map[string]bool{}
		for _, s := range g.manifest().Stories {
			if !seen[s.ID] && (story == "" || s.ID == story) {
				mine[s.ID] = true
			}
		}
		if len(mine) == 0 {
			continue
		}
		contributed++
		l := g.listing()
		for _, q := range l.Quotes {
			if mine[q.Story] {
				out.Quotes = append(out.Quotes, q)
			}
		}
		for _, t := range l.Times {
			if mine[t.Story] {
				out.Times = append(out.Times, t)
			}
		}
		for id := range mine {
			seen[id] = true
		}
	}
	if contributed > 1 {
		out.sort() // each collection's own listing is in order already
	}
	return out, nil
}

// ParagraphRef names one paragraph of a story.
type ParagraphRef struct {
	Story     string
	Paragraph int
}

// Texts returns the text of each paragraph named that the scope sees, by
// one search per few hundred paragraphs.
func (ix *Index) Texts(ctx context.Context, scope Scope, refs []ParagraphRef) (map[ParagraphRef]string, error) {
	out := make(map[ParagraphRef]string, len(refs))
	parts, err := ix.scope(scope, "")
	if err != nil || len(parts) == 0 {
		return out, err
	}
	defer done(parts)
	const chunk = 500
	for start := 0; start < len(refs); start += chunk {
		ids := make([]string, 0, chunk)
		for _, r := range refs[start:min(start+chunk, len(refs))] {
			ids = append(ids, docID(r.Story, r.Paragraph))
		}
		req := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery(ids), len(ids)*len(parts), 0, false)
		req.Fields = []string{fieldStory, fieldParagraph, fieldText}
		hits, err := run(ctx, parts, req, uint64(len(ids)))
		if err != nil {
			return out, err
		}
		for _, h := range hits {
			out[ParagraphRef{h.Story, h.Paragraph}] = h.Text
		}
	}
	return out, nil
}
