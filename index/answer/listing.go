package answer

import (
	"context"
	"fmt"
	"strings"

	"github.com/storybot/storybot/index"
)

// QuoteItem is one statement in a story, for the quotes listing.
type QuoteItem struct {
	Story       string `json:"story"`
	Headline    string `json:"headline"`
	Paragraph   int    `json:"paragraph"`
	Speaker     string `json:"speaker"`
	Description string `json:"description,omitempty"`
	Quote       string `json:"quote"`
	Direct      bool   `json:"direct"`
}

// Event is one dated passage, for the timeline.
type Event struct {
	Story     string `json:"story"`
	Headline  string `json:"headline"`
	Paragraph int    `json:"paragraph"`
	// Text is the expression as written; Date its resolved value.
	Text      string `json:"text"`
	Date      string `json:"date,omitempty"`
	Precision string `json:"precision"`
	// Sentence is the sentence of the passage that holds the expression.
	Sentence string `json:"sentence"`
}

// listing is the scope's prepared listing, or one story's, while holding
// one of the engine's answer slots: a listing of a whole archive is work
// like any answer, and waits its turn like one.
func (e *Engine) listing(ctx context.Context, scope index.Scope, story string) (index.Listing, func(), error) {
	if story != "" {
		if _, ok := e.ix.Story(scope, story); !ok {
			return index.Listing{}, nil, ErrUnknownStory
		}
	}
	select {
	case e.slots <- struct{}{}:
	case <-ctx.Done():
		return index.Listing{}, nil, fmt.Errorf("too busy to answer in time: %w", ctx.Err())
	}
	release := func() { <-e.slots }
	l, err := e.ix.Listing(scope, story)
	if err != nil {
		release()
		return l, nil, err
	}
	return l, release, nil
}

// Quotes lists every statement with its speaker, in story order.
func (e *Engine) Quotes(ctx context.Context, scope index.Scope, story string) ([]QuoteItem, error) {
	l, release, err := e.listing(ctx, scope, story)
	if err != nil {
		return nil, err
	}
	defer release()
	out := make([]QuoteItem, 0, len(l.Quotes))
	for _, q := range l.Quotes {
		out = append(out, QuoteItem{Story: q.Story, Headline: q.Headline, Paragraph: q.Paragraph,
			Speaker: q.Speaker, Description: q.Description, Quote: q.Quote, Direct: q.Direct})
	}
	return out, nil
}

// Timeline lists every dated event in date order. Expressions that could
// not be resolved to a date come last, in story order, so they are still
// shown rather than silently dropped.
func (e *Engine) Timeline(ctx context.Context, scope index.Scope, story string) ([]Event, error) {
	events, _, err := e.TimelinePage(ctx, scope, story, 0)
	return events, err
}

// TimelinePage is the first limit events of Timeline (all of them when
// limit is 0), and how many there are in all. Only the events returned
// have their sentences read from the index.
func (e *Engine) TimelinePage(ctx context.Context, scope index.Scope, story string, limit int) ([]Event, int, error) {
	l, release, err := e.listing(ctx, scope, story)
	if err != nil {
		return nil, 0, err
	}
	defer release()
	times := l.Times
	if limit > 0 && len(times) > limit {
		times = times[:limit]
	}
	var refs []index.ParagraphRef
	seen := map[index.ParagraphRef]bool{}
	for _, t := range times {
		r := index.ParagraphRef{Story: t.Story, Paragraph: t.Paragraph}
		if !seen[r] {
			seen[r] = true
			refs = append(refs, r)
		}
	}
	texts, err := e.ix.Texts(ctx, scope, refs)
	if err != nil {
		return nil, 0, err
	}
	out := make([]Event, 0, len(times))
	for _, t := range times {
		text := texts[index.ParagraphRef{Story: t.Story, Paragraph: t.Paragraph}]
		sentence := ""
		if t.Start >= 0 && t.End <= len(text) && t.Start <= t.End {
			sn := sentenceAt(sentences(text), t.Start)
			sentence = strings.TrimSpace(text[sn.Start:sn.End])
		}
		out = append(out, Event{Story: t.Story, Headline: t.Headline, Paragraph: t.Paragraph,
			Text: t.Text, Date: t.Date, Precision: t.Precision, Sentence: sentence})
	}
	return out, len(l.Times), nil
}
