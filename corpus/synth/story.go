package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// person is someone a story quotes.
type person struct {
	title, first, last, desc string
}

func (p person) full() string { return p.first + " " + p.last }

// titled is the name as a lead paragraph writes it: "Defense Minister Ana Ruiz".
func (p person) titled() string { return p.title + " " + p.full() }

// storyWriter writes one story and the questions it answers.
type storyWriter struct {
	v         *vocab
	r         *rand.Rand
	id        string
	published time.Time
	country   string
	city      string
	org       string // "the Ukrainian Ministry of Defense" style, with "the"
	people    []person
	topic     []string // nouns the story keeps coming back to
	paras     []string
	questions []Question
	said      map[int]bool // people already introduced, who are then named by surname
}

// epoch and span bound publication dates to ten years of archive.
var epoch = time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)

const spanDays = 3650

func newStoryWriter(r *rand.Rand, n int) *storyWriter {
	v := newVocab(r)
	w := &storyWriter{v: v, r: r, published: epoch.AddDate(0, 0, r.IntN(spanDays)),
		country: v.Country(), city: v.City(), said: map[int]bool{}}
	w.topic = []string{v.Noun(), v.Noun(), v.Noun()}
	w.org = w.newOrg()
	for range 2 + r.IntN(3) {
		w.people = append(w.people, w.newPerson())
	}
	w.id = fmt.Sprintf("%s-%s-%s-%06d.txt", w.published.Format("2006-01-02"),
		strings.ToLower(w.country), w.topic[0], n)
	return w
}

func (w *storyWriter) newOrg() string {
	switch w.r.IntN(3) {
	case 0:
		return "the " + w.country + " Ministry of " + pick(w.r, ministries)
	case 1:
		return "the " + pick(w.r, orgAdjectives) + " " + capitalize(w.topic[0]) + " " + pick(w.r, orgKinds)
	default:
		return "the " + w.v.City() + " " + pick(w.r, orgKinds)
	}
}

func (w *storyWriter) newPerson() person {
	p := person{first: zipf(w.v.first, firstNames), last: w.v.Surname()}
	switch w.r.IntN(4) {
	case 0:
		m := pick(w.r, ministries)
		p.title = m + " Minister"
		p.desc = w.country + "'s minister of " + strings.ToLower(m)
	case 1:
		p.title = "Spokesperson"
		p.desc = "a spokesperson for " + w.org
	default:
		p.title = pick(w.r, titles)
		p.desc = "the " + strings.ToLower(p.title) + " of " + w.v.City()
	}
	return p
}

// when is a time expression the annotator can resolve against the
// publication date, in the forms news uses.
func (w *storyWriter) when() string {
	back := w.published.AddDate(0, 0, -1-w.r.IntN(6))
	switch w.r.IntN(9) {
	case 0, 1:
		return "on " + back.Weekday().String()
	case 2:
		return "on " + back.Weekday().String() + " " + pick(w.r, dayParts)
	case 3:
		return "late on " + back.Weekday().String()
	case 4:
		return "on " + back.Format("January 2")
	case 5:
		m := w.published.AddDate(0, -1-w.r.IntN(30), 0)
		return "in " + m.Format("January 2006")
	case 6:
		return fmt.Sprintf("in %d", w.published.Year()-1-w.r.IntN(8))
	case 7:
		return "last week"
	default:
		return "earlier this month"
	}
}

// speaker is a person to quote; the first mention gives the full name and
// title, later ones the surname, as newspapers do.
func (w *storyWriter) speaker() (int, string) {
	i := w.r.IntN(len(w.people))
	p := w.people[i]
	if w.said[i] {
		return i, p.last
	}
	w.said[i] = true
	return i, p.titled()
}

func (w *storyWriter) topicNP() string {
	return "the " + w.v.Adj() + " " + w.topic[w.r.IntN(len(w.topic))]
}

// clause is a reported proposition: "the regional council had delayed the
// pension reform".
func (w *storyWriter) clause() string {
	switch w.r.IntN(4) {
	case 0:
		return w.topicNP() + " would " + w.v.Verb() + " " + w.v.NP()
	case 1:
		return w.v.NP() + " had " + past(w.v.Verb()) + " " + w.topicNP() + " " + w.when()
	case 2:
		return w.v.Quantity() + " were " + past(w.v.Verb()) + " in " + w.v.City()
	default:
		return w.org + " planned to " + w.v.Verb() + " " + w.topicNP() + " before " + w.v.NP()
	}
}

// quote is something a person says in their own words.
func (w *storyWriter) quote() string {
	s := pick(w.r, quoteOpeners) + " " + w.v.Verb() + " " + w.topicNP() + " " +
		pick(w.r, prepositions) + " " + w.v.City()
	if w.r.IntN(2) == 0 {
		s += ". " + fmt.Sprintf(pick(w.r, quoteVerdicts), w.v.Adj(), w.v.NP())
	}
	return s
}

func (w *storyWriter) add(text string) int {
	w.paras = append(w.paras, text)
	return len(w.paras) - 1
}

func (w *storyWriter) ask(kind, q, answer string, para int) {
	w.questions = append(w.questions, Question{Kind: kind, Question: q, Story: w.id, Paragraph: para, Answer: answer})
}

// event writes "Subject did something somewhere at some time", and asks
// what and when about it.
func (w *storyWriter) event(lead bool) {
	subj, short := w.org, w.org
	if w.r.IntN(2) == 0 {
		i, s := w.speaker()
		subj, short = s, w.people[i].titled()
	}
	verb, obj, place, when := w.v.Verb(), w.topicNP(), w.v.City(), w.when()
	text := capitalize(subj) + " " + past(verb) + " " + obj + " in " + place + " " + when + ", " +
		pick(w.r, participles) + " " + w.v.NP() + "."
	if lead && w.r.IntN(10) < 7 {
		text = fmt.Sprintf("%s, %s (%s) — %s", strings.ToUpper(w.city), w.published.Format("January 2"),
			pick(w.r, sources), text)
	}
	if w.r.IntN(2) == 0 {
		text += " " + capitalize(w.v.Quantity()) + " were " + past(w.v.Verb()) + " " + w.when() + "."
	}
	i := w.add(text)
	w.ask("ask", fmt.Sprintf("What did %s %s in %s?", short, verb, place), obj, i)
	w.ask("when", fmt.Sprintf("When did %s %s %s?", short, verb, obj), when, i)
}

// directQuote writes a quotation with its attribution before or after it.
func (w *storyWriter) directQuote() {
	i, name := w.speaker()
	q := w.quote()
	var text string
	switch w.r.IntN(3) {
	case 0:
		text = fmt.Sprintf("%q %s said %s.", q+",", name, w.when())
	case 1:
		text = fmt.Sprintf("%q said %s, %s.", q+",", w.people[i].full(), w.people[i].desc)
	default:
		text = fmt.Sprintf("%s, %s, said: %q", w.people[i].full(), w.people[i].desc, q+".")
	}
	p := w.add(text)
	first := strings.Fields(q)
	w.ask("who", fmt.Sprintf("Who said %q?", strings.Join(first[:min(len(first), 8)], " ")), w.people[i].full(), p)
}

// indirect writes reported speech: "X told reporters that …".
func (w *storyWriter) indirect() {
	i, name := w.speaker()
	c := w.clause()
	var text string
	switch w.r.IntN(3) {
	case 0:
		text = fmt.Sprintf("%s told reporters %s that %s.", name, w.when(), c)
	case 1:
		text = fmt.Sprintf("%s added that %s.", w.people[i].last, c)
		if !w.said[i] {
			text = fmt.Sprintf("%s added that %s.", name, c)
		}
	default:
		text = fmt.Sprintf("According to %s, %s.", w.people[i].full(), c)
	}
	p := w.add(text)
	w.ask("who", "Who said that "+c+"?", w.people[i].full(), p)
}

func (w *storyWriter) background() {
	text := fmt.Sprintf("%s were %s %s, according to %s.", capitalize(w.v.Quantity()),
		past(w.v.Verb()), w.when(), w.org)
	if w.r.IntN(2) == 0 {
		text += fmt.Sprintf(" The %s of %s has %s %s since %s.", w.v.Noun(), w.v.City(),
			past(w.v.Verb()), w.v.NP(), w.published.AddDate(-1-w.r.IntN(5), 0, 0).Format("January 2006"))
	}
	w.add(text)
}

func (w *storyWriter) orgStatement() {
	c := w.clause()
	w.add(fmt.Sprintf("%s said in a statement %s that %s.", capitalize(w.org), w.when(), c))
}

func (w *storyWriter) headline() string {
	subj := w.org[len("the "):]
	if f := strings.Fields(subj); len(f) > 2 {
		subj = strings.Join(f[len(f)-2:], " ")
	}
	h := subj + " " + thirdPerson(w.v.Verb()) + " " + w.v.Adj() + " " + w.topic[0]
	switch w.r.IntN(3) {
	case 0:
		h += " as " + plural(w.v.Noun()) + " " + w.v.Verb() + " " + w.v.Noun()
	case 1:
		h += ", " + w.people[0].last + " says"
	}
	return titleCase(h)
}

// write produces the story file: a header, the headline and n paragraphs.
func (w *storyWriter) write(n int) string {
	w.event(true)
	for len(w.paras) < n {
		switch k := w.r.IntN(20); {
		case k < 5:
			w.event(false)
		case k < 10:
			w.directQuote()
		case k < 14:
			w.indirect()
		case k < 18:
			w.background()
		default:
			w.orgStatement()
		}
	}
	var b strings.Builder
	src := pick(w.r, sources)
	fmt.Fprintf(&b, "date: %s\nsource: %s\nurl: https://%s.example/%s/%s\n---\n\n",
		w.published.Format(time.DateOnly), src, strings.ToLower(src), w.published.Format("2006/01"),
		strings.TrimSuffix(w.id, ".txt"))
	b.WriteString(w.headline())
	for _, p := range w.paras[:n] {
		b.WriteString("\n\n")
		b.WriteString(p)
	}
	b.WriteString("\n")
	// Questions about paragraphs cut off by n would have no answer.
	qs := w.questions[:0]
	for _, q := range w.questions {
		if q.Paragraph < n {
			qs = append(qs, q)
		}
	}
	w.questions = qs
	return b.String()
}
