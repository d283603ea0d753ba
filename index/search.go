package index

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/storybot/storybot/corpus"
)

// Limits that keep one question from slowing the bot down for everyone.
const (
	// MaxQueryBytes caps the text searched for; the rest of a pasted
	// essay adds nothing to ranking but costs a term searcher per word.
	MaxQueryBytes = 1000
	// maxTermSearchers bounds the work of one search (bleve counts one per
	// term, per field).
	maxTermSearchers = 512
	// DefaultTimeout applies when the caller's context has no deadline.
	DefaultTimeout = 2 * time.Second
	// MaxHits is the most passages one search returns.
	MaxHits = 50
	// MaxPhrases is the most quoted phrases one search looks for; each
	// costs a term searcher per word.
	MaxPhrases = 4
)

// ErrEmptyQuery means the text had no words to search for.
var ErrEmptyQuery = errors.New("there are no words to search for")

// ErrTooComplex means a search would need more work than one question may
// take, such as a pasted text with hundreds of quoted parts.
var ErrTooComplex = errors.New("the question has too many words or quoted parts to search for")

// Query is a search for paragraphs. Text is user text: it is analysed as
// plain words, never parsed as query syntax.
type Query struct {
	Text string
	// Phrases are exact word sequences that score higher when present,
	// such as the parts of Text the user put in quotation marks. Only the
	// first MaxPhrases distinct ones count, within MaxQueryBytes in all.
	Phrases []string
	// Scope is the collections searched; empty means the shared library.
	Scope Scope
	// Story limits the search to one story ID of the scope, when set.
	Story string
	// Size is the number of hits wanted (1 to MaxHits).
	Size int
}

// Hit is one matching paragraph with its attribution and annotations.
type Hit struct {
	Collection string             `json:"collection,omitempty"`
	Story      string             `json:"story"`
	Paragraph  int                `json:"paragraph"`
	Headline   string             `json:"headline"`
	Text       string             `json:"text"`
	Published  string             `json:"published,omitempty"`
	Source     string             `json:"source,omitempty"`
	URL        string             `json:"url,omitempty"`
	Score      float64            `json:"score"`
	Statements []corpus.Statement `json:"statements,omitempty"`
	Times      []corpus.TimeExpr  `json:"times,omitempty"`
}

// searchable is one collection's part of a search: the generation it
// holds, searched and read directly, so that a rebuild or Close meanwhile
// leaves it open until release.
type searchable struct {
	name    string
	gen     *generation
	release func()
}

// done releases the collections a search held.
func done(parts []searchable) {
	for _, p := range parts {
		p.release()
	}
}

// scope opens the live collections of a scope, in its order; with story
// set, only the one collection that holds the story.
//
// The collections are held until the caller passes them to done.
func (ix *Index) scope(s Scope, story string) ([]searchable, error) {
	var out []searchable
	for _, name := range s.names() {
		c, err := ix.collection(name, false)
		if err != nil {
			done(out)
			return nil, err
		}
		if c == nil {
			continue
		}
		g, release, err := c.acquire()
		if err != nil {
			done(out)
			return nil, err
		}
		if g == nil {
			continue
		}
		if story != "" {
			if _, ok := g.manifest().story(story); !ok {
				release()
				continue
			}
			return []searchable{{name, g, release}}, nil
		}
		out = append(out, searchable{name, g, release})
	}
	if story != "" {
		done(out)
		return nil, fmt.Errorf("no story named %q", story)
	}
	return out, nil
}

// scopeHeld is called once a search holds its generations; tests set it
// to rebuild or close the index at that moment.
var scopeHeld = func() {}

// Search runs q against the live indexes of its scope, within the budget
// its Plan sets.
func (ix *Index) Search(ctx context.Context, q Query) ([]Hit, error) {
	hits, _, err := ix.SearchPlan(ctx, q)
	return hits, err
}

// SearchPlan is Search, and says what was searched for.
func (ix *Index) SearchPlan(ctx context.Context, q Query) ([]Hit, Plan, error) {
	text := CleanQuery(q.Text)
	if !hasWord(text) {
		return nil, Plan{}, ErrEmptyQuery
	}
	parts, err := ix.scope(q.Scope, q.Story)
	if err != nil {
		return nil, Plan{}, err
	}
	defer done(parts)
	scopeHeld()
	if len(parts) == 0 {
		return nil, Plan{}, nil
	}
	size := min(max(q.Size, 1), MaxHits)
	var paras int
	if q.Story != "" {
		// From the generation this search holds, which a rebuild since
		// may no longer be.
		info, _ := parts[0].gen.manifest().story(q.Story)
		paras = info.Paragraphs
	}
	idxs := make([]bleve.Index, len(parts))
	for i, p := range parts {
		idxs[i] = p.gen.idx
	}
	bq, p := plan(idxs, text, q.Phrases, q.Story, paras)
	req := bleve.NewSearchRequestOptions(bq, size, 0, false)
	req.Fields = []string{"*"}
	if p.Unranked {
		// Unscored, bleve stops at the first size matches.
		req.Score = "none"
	}
	hits, err := run(ctx, parts, req, p.Postings)
	if p.Unranked {
		for i := range hits {
			hits[i].Score = 1
		}
	}
	return hits, p, err
}

// Paragraphs returns every paragraph of one story of a scope in order.
func (ix *Index) Paragraphs(ctx context.Context, scope Scope, story string) ([]Hit, error) {
	parts, err := ix.scope(scope, story)
	if err != nil {
		return nil, err
	}
	defer done(parts)
	scopeHeld()
	// A change applied meanwhile may have taken the story out.
	info, ok := parts[0].gen.manifest().story(story)
	if !ok {
		return nil, fmt.Errorf("no story named %q", story)
	}
	n := info.Paragraphs
	tq := bleve.NewTermQuery(story)
	tq.SetField(fieldStory)
	req := bleve.NewSearchRequestOptions(tq, n, 0, false)
	req.Fields = []string{"*"}
	hits, err := run(ctx, parts, req, uint64(n))
	sort.Slice(hits, func(i, j int) bool { return hits[i].Paragraph < hits[j].Paragraph })
	return hits, err
}

// run searches the scope's collections; planned is the postings the
// search is expected to visit, for CountWork.
func run(ctx context.Context, parts []searchable, req *bleve.SearchRequest, planned uint64) ([]Hit, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultTimeout)
		defer cancel()
	}
	ctx = context.WithValue(ctx, search.MaxTermSearchersKey, maxTermSearchers)
	if len(parts) == 1 {
		res, err := searchIn(ctx, parts[0].gen.idx, req)
		if err != nil {
			return nil, err
		}
		addWork(ctx, planned, res.Cost)
		hits := make([]Hit, 0, len(res.Hits))
		for _, h := range res.Hits {
			hit := hitFromFields(h.Fields, h.Score)
			hit.Collection = parts[0].name
			hits = append(hits, hit)
		}
		return hits, nil
	}
	// An alias over the held generations searches them together, each
	// scored with its own statistics (bleve's default), so one server's
	// stories never shift another's ranking. Each would load the stored
	// fields of its own best hits before the best of all are chosen, so
	// the fields are loaded afterwards, for those alone, from the same
	// generations.
	idxs := make([]bleve.Index, len(parts))
	for i, p := range parts {
		idxs[i] = p.gen.idx
	}
	ranked := *req
	ranked.Fields = nil
	res, err := searchIn(ctx, bleve.NewIndexAlias(idxs...), &ranked)
	if err != nil {
		return nil, err
	}
	addWork(ctx, planned, res.Cost)
	type match struct {
		col, id string
		score   float64
	}
	var matches []match
	byCol := map[string][]string{}
	for _, h := range res.Hits {
		col := collectionOf(parts, h.Index, storyOfDocID(h.ID))
		if col == "" {
			continue // hidden by a story of the same ID earlier in the scope
		}
		matches = append(matches, match{col, h.ID, h.Score})
		byCol[col] = append(byCol[col], h.ID)
	}
	stored := map[[2]string]map[string]any{}
	for _, p := range parts {
		for _, id := range byCol[p.name] {
			doc, err := p.gen.idx.Document(id)
			if err != nil {
				return nil, fmt.Errorf("search failed: %w", err)
			}
			if doc != nil {
				stored[[2]string{p.name, id}] = storedFields(doc)
			}
		}
	}
	hits := make([]Hit, 0, len(matches))
	for _, m := range matches {
		f, ok := stored[[2]string{m.col, m.id}]
		if !ok {
			continue // removed between the two searches
		}
		hit := hitFromFields(f, m.score)
		hit.Collection = m.col
		hits = append(hits, hit)
	}
	return hits, nil
}

// storedFields are a document's stored text and numbers, as a search
// returns them for Fields "*".
func storedFields(doc bleveindex.Document) map[string]any {
	out := map[string]any{}
	doc.VisitFields(func(f bleveindex.Field) {
		switch v := f.(type) {
		case bleveindex.TextField:
			out[f.Name()] = v.Text()
		case bleveindex.NumericField:
			if n, err := v.Number(); err == nil {
				out[f.Name()] = n
			}
		}
	})
	return out
}

// searchIn runs one bleve search, turning its failures into ours.
func searchIn(ctx context.Context, idx bleve.Index, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	res, err := idx.SearchInContext(ctx, req)
	if err == nil {
		return res, nil
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("search took too long: %w", ctx.Err())
	}
	// bleve reports the term-searcher limit only as text.
	if strings.Contains(err.Error(), "TooManyTermSearchers") {
		return nil, ErrTooComplex
	}
	return nil, fmt.Errorf("search failed: %w", err)
}

// storyOfDocID is the story of a paragraph's document ID (story#paragraph).
func storyOfDocID(id string) string {
	if i := strings.LastIndexByte(id, '#'); i >= 0 {
		return id[:i]
	}
	return id
}

// collectionOf names the collection a hit came from (each index is named
// after its collection), or "" when an earlier collection of the scope has
// a story of the same ID, which hides it.
func collectionOf(parts []searchable, index, story string) string {
	if len(parts) == 1 {
		return parts[0].name
	}
	for _, p := range parts {
		if p.name == index {
			return p.name
		}
		if _, ok := p.gen.manifest().story(story); ok {
			return ""
		}
	}
	return ""
}

// Boosts: a paragraph that holds the user's exact words beats one that only
// shares them. The headline is not searched here: every paragraph carries
// its story's headline, so matching it would score whole stories' worth of
// paragraphs per word; the answer layer weighs the headline of the
// candidates instead.
const (
	boostPhrase   = 4.0
	boostFullText = 2.0
)

// boundedPhrases cleans the phrases and keeps the first MaxPhrases distinct
// ones of at least two words, within MaxQueryBytes in all.
func boundedPhrases(text string, phrases []string) []string {
	var out []string
	budget := MaxQueryBytes
	for _, p := range phrases {
		p = CleanQuery(p)
		if len(strings.Fields(p)) < 2 || p == text || slices.Contains(out, p) {
			continue
		}
		if len(out) == MaxPhrases || len(p) > budget {
			break
		}
		budget -= len(p)
		out = append(out, p)
	}
	return out
}

// CleanQuery makes user text safe and bounded to search for: control
// characters become spaces, white space is folded, and it is cut to
// MaxQueryBytes at a word boundary.
func CleanQuery(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > MaxQueryBytes {
		cut := strings.LastIndexByte(s[:MaxQueryBytes], ' ')
		if cut <= 0 {
			cut = MaxQueryBytes
			for cut > 0 && !utf8.RuneStart(s[cut]) {
				cut--
			}
		}
		s = s[:cut]
	}
	return s
}

func hasWord(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}
