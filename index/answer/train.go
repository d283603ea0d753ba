package answer

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/answer/learn"
)

// TrainItem is one question with a way to grade answers to it.
type TrainItem struct {
	ID       string
	Kind     Kind
	Question string
	// Story is the story the question is asked of.
	Story string
	// Article groups the questions of one source article (and of its
	// copies with the answer taken out): the unit of cross-validation.
	Article string
	// Paragraph is the paragraph that answers it, or -1 when the story
	// does not (an unanswerable question).
	Paragraph int
	// Grade scores a short answer from 0 (wrong) to 1 (right): for ask
	// the token F1 of the phrase against the gold answers.
	Grade func(Answer) float64
	// Group names the item's question set in the report; "" is its kind.
	Group string
}

// TrainOptions controls Train.
type TrainOptions struct {
	// Folds is the number of cross-validation folds; articles are dealt
	// to them in name order, per kind.
	Folds int
	// Log receives progress lines, when set.
	Log func(format string, args ...any)
	// Dump receives one JSON line per question asked, with its held-out
	// probabilities, when set: to study the thresholds.
	Dump io.Writer
}

// TrainSet is what a model is fitted to.
type TrainSet struct {
	// Stories are the stories the answerable items are asked of.
	Stories []*corpus.Story
	// Withheld are copies of stories with an answer taken out, which the
	// unanswerable items (Paragraph -1) are asked of. They are indexed
	// apart, so that a question asked of all stories does not find the
	// same paragraph in every copy.
	Withheld []*corpus.Story
	Items    []TrainItem
}

// Train fits a Model to questions about stories. Every part is fitted and
// measured by cross-validation over articles: the figures in the model's
// Report, and the thresholds, come from questions whose article was left
// out of the fit; the weights that are kept are then fitted to all of it.
//
// Besides the items' own questions it asks each answerable question of
// all stories, and of all stories but its own article's, so that the gate
// learns what "nothing matches" looks like.
func Train(ctx context.Context, set TrainSet, o TrainOptions) (*Model, error) {
	if o.Folds < 2 {
		o.Folds = 10
	}
	logf := o.Log
	if logf == nil {
		logf = func(string, ...any) {}
	}
	ix, err := index.NewMemory(set.Stories)
	if err != nil {
		return nil, err
	}
	defer ix.Close()
	wix, err := index.NewMemory(set.Withheld)
	if err != nil {
		return nil, err
	}
	defer wix.Close()
	t := &trainer{eng: newEngine(ix, nil), withheld: newEngine(wix, nil), items: set.Items, folds: o.Folds, logf: logf}
	t.eng.tieMargin, t.withheld.tieMargin = trainingTieMargin, trainingTieMargin
	if err := t.prepare(ctx); err != nil {
		return nil, err
	}
	m := t.fit(o.Dump)
	return m, nil
}

// trainer holds what one Train works out.
type trainer struct {
	eng, withheld *Engine
	items         []TrainItem
	folds         int
	logf          func(string, ...any)
	// cases are the questions asked, with what the model will learn from.
	cases []*trainCase
}

// caseRole says what a question asked during training is for.
type caseRole int

const (
	roleAnswerable caseRole = iota // an item's question, asked of its story
	roleUnanswerable
	roleOpen      // an answerable question asked of all stories
	roleElsewhere // ... of all but its own article's
)

type trainCase struct {
	item *TrainItem
	role caseRole
	fold int
	an   *analysis
	// gold is the index in an.cands of the paragraph that answers, or -1.
	gold int
	// goldOpts are the options of that paragraph, with their grades.
	goldOpts   []option
	goldGrades []float64
	// Filled in by the cross-validated first level.
	dec   decision
	grade float64 // of the short answer the held-out model gives
	said  bool    // it gives a short answer, before any threshold
	top   bool    // the best passage is the gold one
	right bool    // the best passage is from the item's article
}

func (t *trainer) prepare(ctx context.Context) error {
	fold := foldsOf(t.items, t.folds)
	for i := range t.items {
		it := &t.items[i]
		f := fold[it.Article]
		eng := t.eng
		if it.Paragraph < 0 {
			eng = t.withheld
		}
		an, err := eng.analyse(ctx, Request{Kind: it.Kind, Question: it.Question, Story: it.Story, N: candidates})
		if err != nil {
			return fmt.Errorf("%s: %w", it.ID, err)
		}
		if it.Paragraph < 0 {
			t.cases = append(t.cases, &trainCase{item: it, role: roleUnanswerable, fold: f, an: an, gold: -1})
			continue
		}
		c := &trainCase{item: it, role: roleAnswerable, fold: f, an: an, gold: goldIndex(an, it)}
		if c.gold >= 0 {
			c.goldOpts = options(an, an.cands[c.gold])
			for _, op := range c.goldOpts {
				c.goldGrades = append(c.goldGrades, t.gradeOption(it, an.cands[c.gold], op))
			}
		}
		t.cases = append(t.cases, c)
		open, err := t.eng.analyse(ctx, Request{Kind: it.Kind, Question: it.Question, N: candidates})
		if err != nil {
			return fmt.Errorf("%s: %w", it.ID, err)
		}
		t.cases = append(t.cases, &trainCase{item: it, role: roleOpen, fold: f, an: open, gold: goldIndex(open, it)})
		away, err := t.elsewhere(ctx, it)
		if err != nil {
			return err
		}
		t.cases = append(t.cases, &trainCase{item: it, role: roleElsewhere, fold: f, an: away, gold: -1})
	}
	t.logf("%d items, %d questions asked", len(t.items), len(t.cases))
	return nil
}

// gradeOption grades the answer one option of a passage would give.
func (t *trainer) gradeOption(it *TrainItem, c *candidate, op option) float64 {
	a := Answer{Kind: it.Kind}
	shortAnswer(&a, choice{opt: &op}, c)
	if a.Answer == "" {
		return 0
	}
	return it.Grade(a)
}

// elsewhere asks an item's question of every story but its own article's.
func (t *trainer) elsewhere(ctx context.Context, it *TrainItem) (*analysis, error) {
	q := parseQuestion(it.Kind, it.Question)
	hits, err := t.eng.ix.Search(ctx, index.Query{Text: q.Search, Phrases: q.Phrases, Size: index.MaxHits})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", it.ID, err)
	}
	hits = steady(hits)
	own := map[string]bool{}
	for i := range t.items {
		if t.items[i].Article == it.Article {
			own[t.items[i].Story] = true
		}
	}
	var kept []index.Hit
	for _, h := range hits {
		if !own[h.Story] && len(kept) < candidates {
			kept = append(kept, h)
		}
	}
	an := &analysis{kind: it.Kind, q: q, qw: weights(q.Search)}
	if it.Kind == Ask {
		an.sq = analyseQuestion(q.Raw, an.qw)
	}
	an.cands = newCandidates(it.Kind, q, an.qw, an.sq, kept)
	return an, nil
}

func goldIndex(an *analysis, it *TrainItem) int {
	for i, c := range an.cands {
		if c.hit.Story == it.Story && c.hit.Paragraph == it.Paragraph {
			return i
		}
	}
	return -1
}

// foldsOf deals each kind's articles to the folds in name order.
func foldsOf(items []TrainItem, k int) map[string]int {
	byKind := map[Kind]map[string]bool{}
	for _, it := range items {
		if byKind[it.Kind] == nil {
			byKind[it.Kind] = map[string]bool{}
		}
		byKind[it.Kind][it.Article] = true
	}
	out := map[string]int{}
	for _, kind := range []Kind{Ask, Who, When} {
		var names []string
		for a := range byKind[kind] {
			names = append(names, a)
		}
		sort.Strings(names)
		for i, a := range names {
			if _, ok := out[a]; !ok {
				out[a] = i % k
			}
		}
	}
	return out
}

// fitOptions are the penalties of the fits. The ranking and choice models
// have many rows per weight; the confidence and gate models fewer.
var (
	rankFit   = learn.Options{L2: 1}
	chooseFit = learn.Options{L2: 1}
	probFit   = learn.Options{L2: 1}
)

// fitLevel1 fits the ranker and the choosers to the cases outside fold
// skip (-1: all of them).
func (t *trainer) fitLevel1(skip int) *Model {
	m := &Model{Choose: map[Kind]learn.Linear{}, Confidence: map[Kind]learn.Linear{}}
	var rankLists []learn.List
	chooseLists := map[Kind][]learn.List{}
	for _, c := range t.cases {
		if c.fold == skip || c.gold < 0 || (c.role != roleAnswerable && c.role != roleOpen) {
			continue
		}
		l := learn.List{Target: make([]float64, len(c.an.cands))}
		for _, cd := range c.an.cands {
			l.Rows = append(l.Rows, cd.feat)
		}
		l.Target[c.gold] = 1
		rankLists = append(rankLists, l)
		if c.role == roleAnswerable {
			if l, ok := optionList(c.goldOpts, c.goldGrades); ok {
				chooseLists[c.item.Kind] = append(chooseLists[c.item.Kind], l)
			}
		}
	}
	m.Rank = learn.Softmax(rankLists, rankFit)
	for _, k := range []Kind{Ask, Who, When} {
		m.Choose[k] = learn.Softmax(chooseLists[k], chooseFit)
	}
	return m
}

// optionList makes a choice list whose target shares the credit among the
// options graded right (0.5 or more), in proportion to the creditPower of
// their grades: for ask, a phrase that overlaps the gold answer more
// deserves more. A list with no right option teaches nothing.
// creditPower sharpens the credit towards the best phrases. Shared in
// proportion to the grades, a phrase half the gold answer (F1 0.67) gets
// two thirds of the credit the whole answer gets, and the choice learns
// to like pieces of phrases; cubed, it gets less than a third. (Held out,
// ask.f1 always answering: 43.2 with the grades as they are, 44.5 cubed,
// 44.8 to the sixth.)
const creditPower = 3

func optionList(opts []option, grades []float64) (learn.List, bool) {
	best := 0.0
	for _, g := range grades {
		best = max(best, g)
	}
	if best < 0.5 || len(opts) < 2 {
		return learn.List{}, false
	}
	l := learn.List{Target: make([]float64, len(opts))}
	var n float64
	for i, op := range opts {
		l.Rows = append(l.Rows, op.feat)
		if grades[i] >= 0.5 {
			g := math.Pow(grades[i], creditPower)
			l.Target[i] = g
			n += g
		}
	}
	for i := range l.Target {
		l.Target[i] /= n
	}
	return l, true
}

// judgeHeldOut gives every case the decision of the first-level model
// fitted without its fold, and grades the short answer it leads to.
func (t *trainer) judgeHeldOut() {
	for f := 0; f < t.folds; f++ {
		m := t.fitLevel1(f)
		for _, c := range t.cases {
			if c.fold != f {
				continue
			}
			t.judgeCase(m, c)
		}
		t.logf("fold %d: first level done", f)
	}
}

func (t *trainer) judgeCase(m *Model, c *trainCase) {
	c.dec = m.judge(c.an)
	c.grade, c.said, c.top, c.right = 0, false, false, false
	if len(c.dec.ranked) == 0 {
		return
	}
	best := c.dec.ranked[0]
	c.top = c.gold >= 0 && best == c.an.cands[c.gold]
	for i := range t.items {
		if t.items[i].Story == best.hit.Story && t.items[i].Article == c.item.Article {
			c.right = true
			break
		}
	}
	if c.dec.choice.opt != nil {
		a := Answer{Kind: c.item.Kind}
		shortAnswer(&a, c.dec.choice, best)
		c.said = a.Answer != ""
		if c.role == roleAnswerable && c.said {
			c.grade = c.item.Grade(a)
		}
	}
}

// gateRow is the gate's training row for a case, and whether it is one.
func gateRow(c *trainCase) (x []float64, y float64, ok bool) {
	if len(c.dec.ranked) == 0 {
		return nil, 0, false
	}
	x = gateInput(c.an.q, c.an.qw, c.dec.ranked)
	// The gate decides only for questions asked of all stories.
	switch c.role {
	case roleOpen:
		if c.right {
			return x, 1, true
		}
		return nil, 0, false // about the right topic, but which story it is in is for ranking to say
	case roleElsewhere:
		return x, 0, true
	}
	return nil, 0, false
}

// confidenceRow is a confidence model's training row for a case: right
// answers to answerable questions against wrong ones, and against any
// answer to a question the story cannot answer.
func confidenceRow(c *trainCase) (x []float64, y float64, ok bool) {
	if c.dec.choice.opt == nil || c.dec.conf == nil {
		return nil, 0, false
	}
	switch c.role {
	case roleAnswerable:
		return c.dec.conf, c.grade, true
	case roleUnanswerable:
		return c.dec.conf, 0, true
	}
	return nil, 0, false
}

// fitLevel2 fits the gate and the confidence models to the held-out
// decisions outside fold skip.
func (t *trainer) fitLevel2(m *Model, skip int) {
	var gx [][]float64
	var gy []float64
	cx := map[Kind][][]float64{}
	cy := map[Kind][]float64{}
	for _, c := range t.cases {
		if c.fold == skip {
			continue
		}
		if x, y, ok := gateRow(c); ok {
			gx, gy = append(gx, x), append(gy, y)
		}
		if x, y, ok := confidenceRow(c); ok {
			cx[c.item.Kind] = append(cx[c.item.Kind], x)
			cy[c.item.Kind] = append(cy[c.item.Kind], y)
		}
	}
	m.Gate = learn.Logistic(gx, gy, nil, probFit)
	for _, k := range []Kind{Ask, Who, When} {
		m.Confidence[k] = learn.Logistic(cx[k], cy[k], nil, probFit)
	}
}

// heldOut holds the cross-validated probabilities of each case.
type heldOut struct {
	gate, conf map[*trainCase]float64
}

func (t *trainer) fit(dump io.Writer) *Model {
	t.judgeHeldOut()
	h := heldOut{gate: map[*trainCase]float64{}, conf: map[*trainCase]float64{}}
	for f := 0; f < t.folds; f++ {
		m := &Model{Confidence: map[Kind]learn.Linear{}}
		t.fitLevel2(m, f)
		for _, c := range t.cases {
			if c.fold != f {
				continue
			}
			if x, _, ok := gateRow(c); ok || c.role == roleUnanswerable {
				if x == nil && len(c.dec.ranked) > 0 {
					x = gateInput(c.an.q, c.an.qw, c.dec.ranked)
				}
				if x != nil {
					h.gate[c] = m.Gate.Prob(x)
				}
			}
			if x, _, ok := confidenceRow(c); ok {
				h.conf[c] = m.Confidence[c.item.Kind].Prob(x)
			}
		}
	}
	if dump != nil {
		t.dump(dump, h)
	}
	final := t.fitLevel1(-1)
	t.fitLevel2(final, -1)
	final.Thresholds = t.thresholds(h)
	final.Features = featureNames()
	final.Report = t.report(h, final.Thresholds)
	return final
}

// thresholds picks the confidence thresholds from the held-out
// probabilities. The answer threshold of a kind is the lowest that still
// leaves minAbstain[kind] of its unanswerable copies (a story with the answer
// taken out) without a short answer: below it the bot would print made-up
// answers more often than we accept; above it, it withholds right ones
// for no gain we need. Refusing
// to quote costs more than quoting the closest passage, so the passage
// threshold is the highest that still quotes all but one in
// maxRefusedRight of the answerable questions, asked of all stories, whose
// best passage is the right one. (Within a named story the gate does not
// refuse; see Model.decide.)
func (t *trainer) thresholds(h heldOut) Thresholds {
	th := Thresholds{Answer: map[Kind]float64{}}
	for _, k := range []Kind{Ask, Who, When} {
		var neg []scored
		for _, c := range t.cases {
			if c.item.Kind != k || c.role != roleUnanswerable {
				continue
			}
			// No confidence: it offers no short answer at any threshold.
			p := h.conf[c]
			neg = append(neg, scored{p, 1})
		}
		th.Answer[k] = abstainingThreshold(neg, minAbstain[k])
	}
	var right []float64
	for c, p := range h.gate {
		if c.role == roleOpen && c.top {
			right = append(right, p)
		}
	}
	sort.Float64s(right)
	if k := len(right) / maxRefusedRight; k < len(right) {
		// Halfway between the k-th and the next, so that exactly k are below.
		th.Passage = right[k] / 2
		if k > 0 {
			th.Passage = (right[k-1] + right[k]) / 2
		}
	}
	return th
}

// maxRefusedRight: the passage threshold may refuse one in this many
// questions that the best passage answers.
const maxRefusedRight = 400

type scored struct{ p, value float64 }

// minAbstain is the share of unanswerable questions of each kind that must
// get no short answer on held-out articles. The bar is 85% a kind and 90%
// in all; 92% leaves room for articles unlike the dev set's. A short
// answer to an open question is a phrase the model cut from a passage,
// wrong far more often than a speaker or a date the story states with its
// quote or event, and printed in bold just the same: it must hold back more.
var minAbstain = map[Kind]float64{Who: 0.92, When: 0.92, Ask: 0.95}

// abstainingThreshold is the lowest threshold at which at least share of
// neg fall below it, halfway between the probabilities either side.
func abstainingThreshold(neg []scored, share float64) float64 {
	if len(neg) == 0 {
		return 0.5
	}
	ps := make([]float64, len(neg))
	for i, s := range neg {
		ps[i] = s.p
	}
	sort.Float64s(ps)
	m := int(math.Ceil(share * float64(len(ps)))) // how many must fall below
	if m <= 0 {
		return ps[0] / 2
	}
	for m < len(ps) && ps[m] == ps[m-1] {
		m++ // a tie cannot be split
	}
	if m >= len(ps) {
		return (ps[len(ps)-1] + 1) / 2
	}
	return (ps[m-1] + ps[m]) / 2
}

var roleNames = []string{"answerable", "unanswerable", "open", "elsewhere"}

func (t *trainer) dump(w io.Writer, h heldOut) {
	enc := json.NewEncoder(w)
	for _, c := range t.cases {
		row := map[string]any{"id": c.item.ID, "kind": c.item.Kind, "role": roleNames[c.role], "fold": c.fold,
			"grade": c.grade, "said": c.said, "top": c.top, "right": c.right, "gold": c.gold >= 0}
		if p, ok := h.gate[c]; ok {
			row["gate"] = p
		}
		if p, ok := h.conf[c]; ok {
			row["conf"] = p
		}
		if len(c.dec.ranked) > 0 {
			row["gatex"] = gateInput(c.an.q, c.an.qw, c.dec.ranked)
		}
		row["confx"] = c.dec.conf
		if c.dec.choice.opt != nil {
			a := Answer{Kind: c.item.Kind}
			shortAnswer(&a, c.dec.choice, c.dec.ranked[0])
			row["answer"], row["date"] = a.Answer, a.Date
			row["span"] = c.dec.choice.opt.span
			row["choicex"] = c.dec.choice.opt.feat
			if c.item.Kind == Ask {
				row["sents"] = sentences(c.dec.ranked[0].hit.Text)
			}
			row["question"] = c.item.Question
		}
		if c.gold >= 0 && len(c.goldOpts) > 0 {
			b := 0
			for i := range c.goldGrades {
				if c.goldGrades[i] > c.goldGrades[b] {
					b = i
				}
			}
			row["oracle"] = c.an.cands[c.gold].hit.Text[c.goldOpts[b].span.Start:c.goldOpts[b].span.End]
			row["oracle_span"] = c.goldOpts[b].span
			row["oracle_grade"] = c.goldGrades[b]
			row["oraclex"] = c.goldOpts[b].feat
		}
		enc.Encode(row)
	}
}

// report measures the cross-validated model the way the evaluation does:
// with its thresholds applied, on the held-out probabilities.
func (t *trainer) report(h heldOut, th Thresholds) map[string]float64 {
	sum, n := map[string]float64{}, map[string]float64{}
	add := func(key string, v float64) { sum[key] += v; n[key]++ }
	b := func(ok bool) float64 {
		if ok {
			return 1
		}
		return 0
	}
	for _, c := range t.cases {
		k := string(c.item.Kind)
		if c.item.Group != "" {
			k = c.item.Group
		}
		quoted := len(c.dec.ranked) > 0 && (c.an.scoped || h.gate[c] >= th.Passage)
		conf, hasConf := h.conf[c]
		said := quoted && c.said && hasConf && conf >= th.Answer[c.item.Kind]
		switch c.role {
		case roleAnswerable:
			add(k+".hit@1", b(quoted && c.top))
			grade := 0.0
			if said {
				grade = c.grade
			}
			if c.item.Kind == Ask {
				add("ask.f1", grade)
				add("ask.f1.always", c.grade)
				best := 0.0
				for _, g := range c.goldGrades {
					best = max(best, g)
				}
				add("ask.f1.oracle", best)
			} else {
				add(k+".correct", b(grade >= 0.5))
				add(k+".correct.always", b(c.grade >= 0.5))
			}
			add(k+".answered", b(said))
		case roleUnanswerable:
			add(k+".abstain", b(!said))
			if c.item.Group == "" {
				add("all.abstain", b(!said))
			}
		case roleElsewhere:
			add("gate.refused", b(!quoted))
		case roleOpen:
			add(k+".open.hit@1", b(quoted && c.top))
		}
	}
	out := map[string]float64{}
	for key, s := range sum {
		out[key] = math.Round(1000*s/n[key]) / 10
	}
	return out
}
