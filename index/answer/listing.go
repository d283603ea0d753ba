package answer

import (
	"context"
	"sort"
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

// storyIDs is the one story asked for, or all of those the scope sees.
func (e *Engine) storyIDs(scope index.Scope, story string) ([]string, error) {
	if story != "" {
		if _, ok := e.ix.Story(scope, story); !ok {
			return nil, ErrUnknownStory
		}
		return []string{story}, nil
	}
	var ids []string
	for _, s := range e.ix.Stories(scope) {
		ids = append(ids, s.ID)
	}
	return ids, nil
}

// Quotes lists every statement with its speaker, in story order.
func (e *Engine) Quotes(ctx context.Context, scope index.Scope, story string) ([]QuoteItem, error) {
	ids, err := e.storyIDs(scope, story)
	if err != nil {
		return nil, err
	}
	var out []QuoteItem
	for _, id := range ids {
		paras, err := e.ix.Paragraphs(ctx, scope, id)
		if err != nil {
			return out, err
		}
		for _, p := range paras {
			for _, s := range p.Statements {
				out = append(out, QuoteItem{Story: p.Story, Headline: p.Headline, Paragraph: p.Paragraph,
					Speaker: s.Speaker, Description: s.Description, Quote: s.Quote, Direct: s.Direct})
			}
		}
	}
	return out, nil
}

// Timeline lists every dated event in date order. Expressions that could
// not be resolved to a date come last, in story order, so they are still
// shown rather than silently dropped.
func (e *Engine) Timeline(ctx context.Context, scope index.Scope, story string) ([]Event, error) {
	ids, err := e.storyIDs(scope, story)
	if err != nil {
		return nil, err
	}
	var out []Event
	for _, id := range ids {
		paras, err := e.ix.Paragraphs(ctx, scope, id)
		if err != nil {
			return out, err
		}
		for _, p := range paras {
			sents := sentences(p.Text)
			for _, t := range p.Times {
				s := sentenceAt(sents, t.Start)
				out = append(out, Event{Story: p.Story, Headline: p.Headline, Paragraph: p.Paragraph,
					Text: t.Text, Date: t.Value, Precision: string(t.Precision),
					Sentence: strings.TrimSpace(p.Text[s.Start:s.End])})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if (a.Date == "") != (b.Date == "") {
			return b.Date == ""
		}
		return a.Date < b.Date
	})
	return out, nil
}
