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
	// Story limits the search to one story ID, when set.
	Story string
	// Size is the number of hits wanted (1 to MaxHits).
	Size int
}

// Hit is one matching paragraph with its attribution and annotations.
type Hit struct {
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

// Search runs q against the live index, within the budget its Plan sets.
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
	g := ix.live.Load()
	if g == nil {
		return nil, Plan{}, errors.New("search failed: no index is open")
	}
	size := min(max(q.Size, 1), MaxHits)
	var paras int
	if q.Story != "" {
		info, _ := ix.Story(q.Story)
		paras = info.Paragraphs
	}
	bq, p := plan(g.idx, text, q.Phrases, q.Story, paras)
	req := bleve.NewSearchRequestOptions(bq, size, 0, false)
	req.Fields = []string{"*"}
	if p.Unranked {
		// Unscored, bleve stops at the first size matches.
		req.Score = "none"
	}
	hits, err := ix.run(ctx, req, p.Postings)
	if p.Unranked {
		for i := range hits {
			hits[i].Score = 1
		}
	}
	return hits, p, err
}

// Paragraphs returns every paragraph of one story in order.
func (ix *Index) Paragraphs(ctx context.Context, story string) ([]Hit, error) {
	info, ok := ix.Story(story)
	if !ok {
		return nil, fmt.Errorf("no story named %q", story)
	}
	tq := bleve.NewTermQuery(story)
	tq.SetField(fieldStory)
	req := bleve.NewSearchRequestOptions(tq, info.Paragraphs, 0, false)
	req.Fields = []string{"*"}
	hits, err := ix.run(ctx, req, uint64(info.Paragraphs))
	sort.Slice(hits, func(i, j int) bool { return hits[i].Paragraph < hits[j].Paragraph })
	return hits, err
}

// run searches; planned is the postings the search is expected to visit,
// for CountWork.
func (ix *Index) run(ctx context.Context, req *bleve.SearchRequest, planned uint64) ([]Hit, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultTimeout)
		defer cancel()
	}
	ctx = context.WithValue(ctx, search.MaxTermSearchersKey, maxTermSearchers)
	res, err := ix.alias.SearchInContext(ctx, req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("search took too long: %w", ctx.Err())
		}
		// bleve reports the term-searcher limit only as text.
		if strings.Contains(err.Error(), "TooManyTermSearchers") {
			return nil, ErrTooComplex
		}
		return nil, fmt.Errorf("search failed: %w", err)
	}
	addWork(ctx, planned, res.Cost)
	hits := make([]Hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		hits = append(hits, hitFromFields(h.Fields, h.Score))
	}
	return hits, nil
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
