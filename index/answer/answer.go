// Package answer turns a question into an Answer: ranked, attributed
// passages quoted word for word, and a short answer taken from them (a
// span, a speaker or a date). Every front end, the CLI and the Discord bot
// alike, calls Engine.Answer, so an answer never depends on who asked.
package answer

import (
	"context"
	"errors"
	"fmt"
	"runtime"

	"github.com/storybot/storybot/index"
)

// Kind is the kind of question.
type Kind string

const (
	Ask  Kind = "ask"
	Who  Kind = "who"
	When Kind = "when"
)

// ParseKind accepts the kinds as the CLI, batch files and slash commands
// name them.
func ParseKind(s string) (Kind, error) {
	switch s {
	case "ask":
		return Ask, nil
	case "who", "who-said":
		return Who, nil
	case "when":
		return When, nil
	}
	return "", fmt.Errorf("unknown kind %q (want ask, who or when)", s)
}

// Request is one question.
type Request struct {
	Kind     Kind
	Question string
	// Scope is the collections the asker may read; empty means the shared
	// library alone.
	Scope index.Scope
	// Story limits the answer to one story ID of the scope, when set.
	Story string
	// N is how many passages to return; 0 means DefaultPassages.
	N int
}

// DefaultPassages is how many passages an answer quotes unless asked otherwise.
const DefaultPassages = 3

// Span is a byte range in a passage's text.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Passage is one quoted paragraph with its source.
type Passage struct {
	// Collection is where the story is kept: the shared library or a server's.
	Collection string  `json:"collection,omitempty"`
	Story      string  `json:"story"`
	Paragraph  int     `json:"paragraph"`
	Headline   string  `json:"headline"`
	Source     string  `json:"source,omitempty"`
	Published  string  `json:"published,omitempty"`
	URL        string  `json:"url,omitempty"`
	Text       string  `json:"text"`
	Score      float64 `json:"score"`
	// Matches are the words the passage shares with the question.
	Matches []Span `json:"matches,omitempty"`
}

// Answer is what every front end shows.
type Answer struct {
	Kind     Kind   `json:"kind"`
	Question string `json:"question"`
	// Found is false when nothing matched well enough to quote.
	Found bool `json:"found"`
	// Answer is the short answer: a phrase of the best passage for ask,
	// the speaker for who, the time expression as written for when.
	Answer string `json:"answer"`
	// Span is where Answer stands in the first passage, when it is there.
	Span *Span `json:"span,omitempty"`
	// Speaker details, for who-questions.
	Description string `json:"description,omitempty"`
	Quote       string `json:"quote,omitempty"`
	// Date is the resolved ISO 8601 value, for when-questions.
	Date      string `json:"date,omitempty"`
	Precision string `json:"precision,omitempty"`
	// Note explains a missing short answer, e.g. that the passage names no speaker.
	Note     string    `json:"note,omitempty"`
	Passages []Passage `json:"passages"`
}

// Engine answers questions from an index.
type Engine struct {
	ix *index.Index
	// slots admits as many answers at once as there are processors. An
	// answer is pure CPU work: running more at once only makes every one
	// of them wait on the scheduler, while a queue in front keeps the
	// early ones fast and serves the rest in arrival order.
	slots chan struct{}
}

// New returns an engine over ix.
func New(ix *index.Index) *Engine {
	return &Engine{ix: ix, slots: make(chan struct{}, runtime.GOMAXPROCS(0))}
}

// Index is the index the engine answers from.
func (e *Engine) Index() *index.Index { return e.ix }

// ErrNoQuestion is returned for a question with nothing to search for.
var ErrNoQuestion = errors.New("ask a question with at least one word in it")

// ErrUnknownStory is returned when the request names a story that is not indexed.
var ErrUnknownStory = errors.New("no story by that name")

// ErrTooComplex is returned for a question too long or with too many quoted
// parts to search for within one question's budget.
var ErrTooComplex = index.ErrTooComplex

// candidates is how many hits are re-ranked; the right paragraph is
// nearly always among the first few, and re-ranking is cheap.
const candidates = 20

// Answer answers one question.
func (e *Engine) Answer(ctx context.Context, r Request) (Answer, error) {
	a := Answer{Kind: r.Kind, Question: r.Question, Passages: []Passage{}}
	if r.Kind == "" {
		a.Kind, r.Kind = Ask, Ask
	}
	if r.Story != "" {
		if _, ok := e.ix.Story(r.Scope, r.Story); !ok {
			return a, fmt.Errorf("%w: %q", ErrUnknownStory, r.Story)
		}
	}
	n := r.N
	if n <= 0 {
		n = DefaultPassages
	}
	select {
	case e.slots <- struct{}{}:
		defer func() { <-e.slots }()
	case <-ctx.Done():
		return a, fmt.Errorf("too busy to answer in time: %w", ctx.Err())
	}
	q := parseQuestion(r.Kind, r.Question)
	hits, err := e.ix.Search(ctx, index.Query{Text: q.Search, Phrases: q.Phrases, Scope: r.Scope, Story: r.Story, Size: max(candidates, n)})
	if errors.Is(err, index.ErrEmptyQuery) {
		return a, ErrNoQuestion
	}
	if err != nil {
		return a, err
	}
	qw := weights(q.Search)
	ranked := rerank(r.Kind, qw, hits)
	if !goodEnough(q, ranked) {
		a.Note = "Nothing in the stories matches that well enough to quote."
		return a, nil
	}
	a.Found = true
	for _, c := range ranked[:min(n, len(ranked))] {
		a.Passages = append(a.Passages, c.passage(qw))
	}
	switch r.Kind {
	case Who:
		whoAnswer(&a, ranked[0])
	case When:
		whenAnswer(&a, qw, ranked[0])
	default:
		askAnswer(&a, q, qw, ranked[0])
	}
	return a, nil
}

// Stories lists the stories a scope sees.
func (e *Engine) Stories(scope index.Scope) []index.StoryInfo { return e.ix.Stories(scope) }
