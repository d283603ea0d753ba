package answer

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/storybot/storybot/corpus"
)

const seedID = "taliban-call-for-russia-ukraine-peace.txt"

func seedEngine(t *testing.T, extra ...string) *Engine {
	t.Helper()
	stories := corpus.Builtin()
	for i := 0; i+1 < len(extra); i += 2 {
		st, err := corpus.Parse(extra[i], []byte(extra[i+1]))
		if err != nil {
			t.Fatal(err)
		}
		stories = append(stories, st)
	}
	return engineFor(t, stories)
}

func TestAnswerQuotesWithAttribution(t *testing.T) {
	a, err := seedEngine(t).Answer(context.Background(), Request{Kind: Ask, Question: "What did Ukraine's defense ministry urge citizens to make?", N: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Found || len(a.Passages) != 2 {
		t.Fatalf("answer %+v", a)
	}
	p := a.Passages[0]
	if p.Story != seedID || p.Paragraph != 9 || p.Published != "2022-02-25" || !strings.HasPrefix(p.Headline, "Taliban Call") {
		t.Errorf("passage %+v", p)
	}
	// A short answer, when confident enough to give, is a phrase of the
	// passage, and which phrases are likeliest is TestBestSpan's business.
	if a.Answer != "" && (a.Span == nil || p.Text[a.Span.Start:a.Span.End] != a.Answer) {
		t.Errorf("short answer %q span %v", a.Answer, a.Span)
	}
	if (a.Answer != "") != (a.Status == Answered) || a.Status == NotFound {
		t.Errorf("status %q with answer %q", a.Status, a.Answer)
	}
	if len(p.Matches) == 0 {
		t.Fatal("no matched words marked")
	}
	for _, m := range p.Matches {
		w := strings.ToLower(p.Text[m.Start:m.End])
		if !strings.Contains("urge citizens make ministry defense", w) {
			t.Errorf("marked %q, which the question does not have", w)
		}
	}
}

func TestWhoSaidResolvesTheSpeaker(t *testing.T) {
	eng := seedEngine(t)
	for q, want := range map[string]string{
		"Who said “dialogue and peaceful means”?":                                   "Abdul Qahar Balkhi",
		"neutralize the occupier":                                                   "Ministry of Defense",
		"Who described it as a special military operation?":                         "Vladimir Putin",
		"Who said it had received credible allegations that officials were killed?": "United Nations",
	} {
		a, err := eng.Answer(context.Background(), Request{Kind: Who, Question: q})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(a.Answer, want) {
			t.Errorf("%q: speaker %q, want %q", q, a.Answer, want)
		}
		// Named in one style, whether the story's sentence began with
		// the name ("The Ukrainian Ministry …") or did not ("the United
		// Nations said").
		if strings.HasPrefix(a.Answer, "the ") {
			t.Errorf("%q: speaker %q starts with a small article", q, a.Answer)
		}
	}
}

// An answer to /ask that is a weekday carries its calendar date too; one
// that is a date already carries none.
func TestAskGivesTheCalendarDateOfAWeekday(t *testing.T) {
	eng := seedEngine(t)
	for q, want := range map[string]string{
		"When did Putin authorize the operation?":              "2022-02-23",
		"When did the Taliban return to power in Afghanistan?": "",
	} {
		a, err := eng.Answer(context.Background(), Request{Kind: Ask, Question: q})
		if err != nil {
			t.Fatal(err)
		}
		if a.Answer == "" || a.Date != want {
			t.Errorf("%q: answer %q, date %q, want date %q", q, a.Answer, a.Date, want)
		}
	}
}

func TestWhenGivesTheCalendarDate(t *testing.T) {
	eng := seedEngine(t)
	for q, want := range map[string]string{
		"When did Putin authorize the special military operation?": "2022-02-23",
		"When did Russian forces enter Kyiv?":                      "2022-02-25",
		"When did the Taliban return to power?":                    "2021-08",
	} {
		a, err := eng.Answer(context.Background(), Request{Kind: When, Question: q})
		if err != nil {
			t.Fatal(err)
		}
		if a.Date != want {
			t.Errorf("%q: date %q (%q), want %s", q, a.Date, a.Answer, want)
		}
	}
}

func TestNothingGoodEnough(t *testing.T) {
	eng := seedEngine(t)
	for _, q := range []string{
		"What is the capital of Mongolia?",
		"quantum chromodynamics on a lattice",
		"Who won the 1994 World Cup?",
	} {
		a, err := eng.Answer(context.Background(), Request{Kind: Ask, Question: q})
		if err != nil {
			t.Fatal(err)
		}
		if a.Found || len(a.Passages) != 0 || a.Note == "" {
			t.Errorf("%q: quoted %d passages (%q) instead of saying nothing matched", q, len(a.Passages), a.Answer)
		}
	}
}

func TestMissingSpeakerOrDateIsSaid(t *testing.T) {
	eng := seedEngine(t,
		"undated.txt", "Harbour works\n\nThe harbour pier collapsed on Tuesday after weeks of rain.\n\nRepairs to the harbour pier will cost millions.\n")
	a, err := eng.Answer(context.Background(), Request{Kind: When, Question: "When did the harbour pier collapse?", Story: "undated.txt"})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Found || a.Date != "" || a.Answer != "Tuesday" || !strings.Contains(a.Note, "unknown") {
		t.Errorf("undated story: %+v", a)
	}
	a, err = eng.Answer(context.Background(), Request{Kind: Who, Question: "Repairs to the harbour pier will cost millions", Story: "undated.txt"})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Found || a.Answer != "" || a.Note == "" || len(a.Passages) == 0 {
		t.Errorf("no speaker: %+v", a)
	}
}

func TestRequestErrors(t *testing.T) {
	eng := seedEngine(t)
	if _, err := eng.Answer(context.Background(), Request{Kind: Ask, Question: "  ?!  "}); !errors.Is(err, ErrNoQuestion) {
		t.Errorf("empty question: %v", err)
	}
	if _, err := eng.Answer(context.Background(), Request{Kind: Ask, Question: "peace", Story: "nope.txt"}); !errors.Is(err, ErrUnknownStory) {
		t.Errorf("unknown story: %v", err)
	}
	if _, err := ParseKind("why"); err == nil {
		t.Error("ParseKind accepted an unknown kind")
	}
}

func TestListings(t *testing.T) {
	eng := seedEngine(t)
	quotes, err := eng.Quotes(context.Background(), nil, seedID)
	if err != nil {
		t.Fatal(err)
	}
	speakers := map[string]bool{}
	for _, q := range quotes {
		speakers[q.Speaker] = true
	}
	if !speakers["Abdul Qahar Balkhi"] || !speakers["Vladimir Putin"] {
		t.Errorf("speakers %v", speakers)
	}
	events, err := eng.Timeline(context.Background(), nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(events) < 5 || events[0].Date != "2001" {
		t.Fatalf("timeline %+v", events)
	}
	for i := 1; i < len(events); i++ {
		if events[i].Date != "" && events[i].Date < events[i-1].Date {
			t.Errorf("out of order: %s after %s", events[i].Date, events[i-1].Date)
		}
	}
	if _, err := eng.Quotes(context.Background(), nil, "nope.txt"); !errors.Is(err, ErrUnknownStory) {
		t.Errorf("unknown story: %v", err)
	}
}

func TestUnresolvedPronounIsNotAName(t *testing.T) {
	eng := seedEngine(t, "pronoun.txt", "Notice\n\n\"The bridge will stay closed all winter,\" it said.\n")
	a, err := eng.Answer(context.Background(), Request{Kind: Who, Question: "bridge will stay closed all winter", Story: "pronoun.txt"})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Found || a.Answer != "" || !strings.Contains(a.Note, "without a name") {
		t.Errorf("answer %q, note %q", a.Answer, a.Note)
	}
}

// TestNameWithRole checks that a role written before a speaker's name
// stays in front of the full name, and nothing else moves there.
func TestNameWithRole(t *testing.T) {
	cases := []struct {
		st         corpus.Statement
		name, desc string
	}{
		{corpus.Statement{Speaker: "Vladimir Putin", Mention: "Russian President Putin", Description: "Russian President"}, "Russian President Vladimir Putin", ""},
		{corpus.Statement{Speaker: "Ana Ruiz", Mention: "Harbour Trust director Ana Ruiz", Description: "Harbour Trust director, 59"}, "Harbour Trust director Ana Ruiz", "59"},
		{corpus.Statement{Speaker: "Kevin Marsh", Mention: "Mr. Marsh", Description: "Mr."}, "Kevin Marsh", "Mr."},
		{corpus.Statement{Speaker: "Ana Ruiz", Mention: "Ruiz", Description: "the mayor of Tolva"}, "Ana Ruiz", "the mayor of Tolva"},
		{corpus.Statement{Speaker: "Ukraine's Ministry of Defense", Mention: "the ministry"}, "Ukraine's Ministry of Defense", ""},
	}
	for _, c := range cases {
		name, desc := nameWithRole(&c.st)
		if name != c.name || desc != c.desc {
			t.Errorf("%+v: got %q, %q; want %q, %q", c.st, name, desc, c.name, c.desc)
		}
	}
}

// TestWordsTheIndexLeavesOut checks that, in a story the reader named, a
// fragment of nothing but everyday words still finds its paragraph.
func TestWordsTheIndexLeavesOut(t *testing.T) {
	eng := seedEngine(t, "harbour.txt", "Headline: Harbour Dredging to Begin\nSource: Test Wire\nDate: 2025-02-03\n---\n\n"+
		"The port authority said dredging would begin in April.\n\n"+
		"Observers said the mayor deserves the post, and not only because his appointment would make history.\n")
	for _, kind := range []Kind{Who, Ask} {
		a, err := eng.Answer(context.Background(), Request{Kind: kind, Question: "and not only because his", Story: "harbour.txt"})
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Passages) == 0 || a.Passages[0].Paragraph != 1 {
			t.Errorf("%s: passages %+v, want paragraph 1 first", kind, a.Passages)
		}
	}
	// Across all stories the gate still decides: no story was named.
	a, err := eng.Answer(context.Background(), Request{Kind: Who, Question: "and not only because his"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Status == Answered {
		t.Errorf("unscoped: answered %q from words alone", a.Answer)
	}
}

// A paragraph is read under its headline: in a story headlined "Taliban
// Call for ...", the paragraph that names the foreign ministry's spokesman
// answers "Who is the Taliban spokesman?" without repeating "Taliban".
// Counting only the paragraph's own words, a paragraph that merely says
// "the Taliban said" ranked above it, and the gate then refused the
// question as one the stories do not answer.
func TestAParagraphIsReadUnderItsHeadline(t *testing.T) {
	eng := seedEngine(t)
	for q, want := range map[string]string{
		"Who is the Taliban spokesman?":         "spokesman Abdul Qahar Balkhi",
		"What is the Taliban's foreign policy?": "foreign policy of neutrality",
	} {
		a, err := eng.Answer(context.Background(), Request{Kind: Ask, Question: q})
		if err != nil {
			t.Fatal(err)
		}
		if !a.Found || len(a.Passages) == 0 {
			t.Errorf("%q: refused: %s", q, a.Note)
			continue
		}
		if p := a.Passages[0]; !strings.Contains(p.Text, want) {
			t.Errorf("%q: first passage is paragraph %d, not the one with %q: %.80s", q, p.Paragraph, want, p.Text)
		}
	}
}

// A link pasted beside a question does not change what it finds.
func TestALinkBesideTheQuestionIsNotPartOfIt(t *testing.T) {
	eng := seedEngine(t)
	const q = "what does it say about Molotov cocktails"
	plain, err := eng.Answer(context.Background(), Request{Kind: Ask, Question: q})
	if err != nil || !plain.Found {
		t.Fatalf("%q: %+v %v", q, plain, err)
	}
	for _, withLink := range []string{"check this out https://example.com/news?id=123 " + q, q + " <https://www.example.org/a/b>"} {
		a, err := eng.Answer(context.Background(), Request{Kind: Ask, Question: withLink})
		if err != nil || !a.Found || len(a.Passages) == 0 || a.Passages[0].Paragraph != plain.Passages[0].Paragraph {
			t.Errorf("%q: %+v %v, want paragraph %d first as without the link", withLink, a.Passages, err, plain.Passages[0].Paragraph)
		}
	}
}
