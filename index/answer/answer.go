// Package answer turns a question into an Answer: ranked, attributed
// passages quoted word for word, and a short answer taken from them (a
// span, a speaker or a date). Every front end, the CLI and the Discord bot
// alike, calls Engine.Answer, so an answer never depends on who asked.
package answer

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"

	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/answer/learn"
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
	// ImpliedStory says the asker did not name Story: it was taken from
	// where they asked (the thread of a story). Within a story they named,
	// what the search finds is always quoted; within an implied one, the
	// answer still says when the stories do not say.
	ImpliedStory bool
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

// Status says what an answer gives.
type Status string

const (
	// Answered: a short answer confident enough to show, and the passages.
	Answered Status = "answered"
	// Closest: the passages that come closest, but no short answer, since
	// none was likely enough to be right.
	Closest Status = "closest"
	// NotFound: the stories do not say; nothing is quoted.
	NotFound Status = "none"
)

// Answer is what every front end shows.
type Answer struct {
	Kind     Kind   `json:"kind"`
	Question string `json:"question"`
	// Found is false when nothing matched well enough to quote.
	Found  bool   `json:"found"`
	Status Status `json:"status"`
	// Confidence is the probability that the short answer is right (for
	// ask, its expected token F1), worked out even when it was too low to
	// show the answer; 0 when there was no answer to weigh.
	Confidence float64 `json:"confidence"`
	// Answer is the short answer: a phrase of the best passage for ask,
	// the speaker for who, the time expression as written for when.
	Answer string `json:"answer"`
	// Span is where Answer stands in the first passage, when it is there.
	Span *Span `json:"span,omitempty"`
	// Speaker details, for who-questions.
	Description string `json:"description,omitempty"`
	Quote       string `json:"quote,omitempty"`
	// Date is the resolved ISO 8601 value, for when-questions, and for an
	// ask answer that is a time worked out from the publication date.
	Date      string `json:"date,omitempty"`
	Precision string `json:"precision,omitempty"`
	// Note explains a missing short answer, e.g. that the passage names no speaker.
	Note     string    `json:"note,omitempty"`
	Passages []Passage `json:"passages"`
}

// Engine answers questions from an index.
type Engine struct {
	ix    *index.Index
	model *Model
	// tieMargin is how many more hits than it keeps a search fetches.
	tieMargin int
	// slots admits as many answers at once as there are processors. An
	// answer is pure CPU work: running more at once only makes every one
	// of them wait on the scheduler, while a queue in front keeps the
	// early ones fast and serves the rest in arrival order.
	slots chan struct{}
}

// New returns an engine over ix, answering with the embedded model.
func New(ix *index.Index) *Engine {
	m, err := defaultModel()
	if err != nil {
		panic(err) // model.json is built into the binary: a mismatch is a build error
	}
	return newEngine(ix, m)
}

func newEngine(ix *index.Index, m *Model) *Engine {
	return &Engine{ix: ix, model: m, slots: make(chan struct{}, runtime.GOMAXPROCS(0))}
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

// trainingTieMargin is how many hits more than it keeps a search fetches
// when fitting the model, so that which of the hits tied at the cut are
// kept does not depend on the index's order (see steady), and the same
// data always gives the same model. Serving saves the work.
const trainingTieMargin = 5

// candidates is how many hits are re-ranked; the right paragraph is
// nearly always among the first few, and re-ranking is cheap.
const candidates = 20

// Answer answers one question.
func (e *Engine) Answer(ctx context.Context, r Request) (Answer, error) {
	a := Answer{Kind: r.Kind, Question: r.Question, Passages: []Passage{}, Status: NotFound}
	if r.Kind == "" {
		a.Kind, r.Kind = Ask, Ask
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
	an, err := e.analyse(ctx, r)
	if err != nil {
		return a, err
	}
	e.model.decide(&a, an, n)
	return a, nil
}

// analysis is what is worked out about a question and its candidate
// passages before any learned weight is applied.
type analysis struct {
	kind   Kind
	q      question
	qw     map[string]float64
	sq     spanQuestion
	scoped bool
	cands  []*candidate
}

func (e *Engine) analyse(ctx context.Context, r Request) (*analysis, error) {
	if r.Story != "" {
		if _, ok := e.ix.Story(r.Scope, r.Story); !ok {
			return nil, fmt.Errorf("%w: %q", ErrUnknownStory, r.Story)
		}
	}
	q := parseQuestion(r.Kind, r.Question)
	size := max(candidates, r.N)
	hits, err := e.ix.Search(ctx, index.Query{Text: q.Search, Phrases: q.Phrases, Scope: r.Scope, Story: r.Story, Size: size + e.tieMargin})
	if errors.Is(err, index.ErrEmptyQuery) {
		return nil, ErrNoQuestion
	}
	if err == nil && len(hits) == 0 && r.Story != "" {
		hits, err = e.literalHits(ctx, r.Scope, r.Story, q.Search)
	}
	if err != nil {
		return nil, err
	}
	hits = steady(hits)
	hits = hits[:min(len(hits), size)]
	an := &analysis{kind: r.Kind, q: q, qw: weights(q.Search), scoped: r.Story != "" && !r.ImpliedStory}
	if r.Kind == Ask {
		an.sq = analyseQuestion(q.Raw, an.qw)
	}
	an.cands = newCandidates(r.Kind, q, an.qw, an.sq, hits)
	return an, nil
}

// steady rounds the hits' scores and puts them in one fixed order. The
// index's scores may differ in their last bits from one build of the same
// stories to the next, and hits that score the same come in whatever order
// it found them; this way the same question gets the same answer, and the
// same data the same fitted model, every time.
func steady(hits []index.Hit) []index.Hit {
	for i := range hits {
		hits[i].Score = math.Round(hits[i].Score*1e6) / 1e6
	}
	sort.SliceStable(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if a.Story != b.Story {
			return a.Story < b.Story
		}
		return a.Paragraph < b.Paragraph
	})
	return hits
}

// decision is what a model made of an analysis.
type decision struct {
	ranked []*candidate
	gate   float64 // the gate's linear score; its probability is learn.Sigmoid(gate)
	choice choice
	conf   []float64 // confidenceFeatures
}

// judge ranks the passages, picks the short answer and works out what its
// confidence depends on.
func (m *Model) judge(an *analysis) decision {
	d := decision{ranked: rank(m.Rank, slices.Clone(an.cands))}
	if len(d.ranked) == 0 {
		return d
	}
	gx := gateInput(an.q, an.qw, d.ranked)
	d.gate = m.Gate.Score(gx)
	if an.kind == Ask {
		d.choice = chooseSpan(m.Choose[an.kind], options(an, d.ranked[0]))
	} else {
		d.choice = choose(m.Choose[an.kind], options(an, d.ranked[0]))
	}
	d.conf = confidenceInput(an.kind, an.sq, gx, d.ranked, d.choice)
	return d
}

// options lists the possible short answers in a passage.
func options(an *analysis, c *candidate) []option {
	switch an.kind {
	case Who:
		return whoOptions(an.q, an.qw, c)
	case When:
		return whenOptions(an.qw, c)
	}
	return askOptions(an.sq, an.qw, c)
}

// decide fills in an answer: nothing when the best passage is not about
// the question, the closest passages when the short answer is too
// uncertain, and otherwise the short answer with its passages.
func (m *Model) decide(a *Answer, an *analysis, n int) {
	d := m.judge(an)
	a.Status = NotFound
	// Within a story the user named, a paragraph that BM25 found is
	// always worth showing as the closest one: the gate only decides
	// across all stories.
	if len(d.ranked) == 0 || !an.scoped && learn.Sigmoid(d.gate) < m.Thresholds.Passage {
		a.Note = "The stories do not say. Nothing in the stories matches that well enough to quote."
		return
	}
	a.Found = true
	for _, c := range shown(d.ranked, an.cands, n) {
		a.Passages = append(a.Passages, c.passage(an.qw))
	}
	shortAnswer(a, d.choice, d.ranked[0])
	a.Status = Closest
	if a.Answer == "" {
		return
	}
	a.Confidence = round3(m.Confidence[an.kind].Prob(d.conf))
	if a.Confidence < m.Thresholds.Answer[an.kind] {
		withhold(a)
		return
	}
	a.Status = Answered
}

// shown are the n passages an answer quotes: the ranker's, with the
// search's own best hit no lower than second. The ranker prefers passages
// that hold more of the question's words, so in a story whose every
// paragraph names its subject it can pass over the one paragraph with the
// question's rare word, which plain BM25 puts first. The rule does not
// depend on n, so that the pages of one answer never repeat or skip a
// passage. cands are in the search's order, best first.
func shown(ranked, cands []*candidate, n int) []*candidate {
	out := slices.Clone(ranked)
	if len(cands) >= 2 && cands[0].hit.Score > cands[1].hit.Score {
		if i := slices.Index(out, cands[0]); i > 1 {
			out = slices.Insert(slices.Delete(out, i, i+1), 1, cands[0])
		}
	}
	return out[:min(n, len(out))]
}

// withhold takes the short answer out of an answer that is too uncertain
// to give it, leaving the passages as the closest the stories come.
func withhold(a *Answer) {
	a.Answer, a.Span, a.Description, a.Quote, a.Date, a.Precision = "", nil, "", "", "", ""
	// Every front end heads such an answer "closest passages, no short
	// answer"; the note says why, without saying that again.
	a.Note = "None of them answers the question clearly enough."
}

// shortAnswer fills in the short answer the chosen option of passage c gives.
func shortAnswer(a *Answer, ch choice, c *candidate) {
	switch a.Kind {
	case Who:
		whoAnswer(a, ch)
	case When:
		whenAnswer(a, ch)
	default:
		askAnswer(a, ch, c)
	}
}

// askAnswer gives the chosen phrase of the best passage.
func askAnswer(a *Answer, ch choice, c *candidate) {
	if ch.opt == nil {
		return
	}
	a.Answer = c.hit.Text[ch.opt.span.Start:ch.opt.span.End]
	sp := ch.opt.span
	a.Span = &sp
	// "Wednesday" answers "When did Putin act?" only for a reader who
	// knows the story's date: a phrase that holds, or is held by, a time
	// expression worked out from it carries the calendar date, as /when's
	// answer does.
	for _, t := range c.hit.Times {
		if t.Relative && t.Resolved() && t.Start < sp.End && sp.Start < t.End {
			a.Date, a.Precision = t.Value, string(t.Precision)
			break
		}
	}
}

// Stories lists the stories a scope sees.
func (e *Engine) Stories(scope index.Scope) []index.StoryInfo { return e.ix.Stories(scope) }
