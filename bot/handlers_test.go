package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/answer"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func newTestBot(t *testing.T, o Options) *Bot {
	if o.Log == nil {
		o.Log = quietLog()
	}
	if o.RatePerUser == 0 {
		o.RatePerUser = 1000
		o.RatePerChannel = 1000
	}
	return New(builtinEngine(t), o)
}

func cmd(name string, opts ...string) Request {
	r := Request{Type: Command, Command: name, User: "u1", Channel: "c1", Now: t0, Options: map[string]string{}}
	for i := 0; i+1 < len(opts); i += 2 {
		r.Options[opts[i]] = opts[i+1]
	}
	return r
}

func TestWhoSaid(t *testing.T) {
	b := newTestBot(t, Options{})
	resp := b.Handle(context.Background(), cmd(CmdWhoSaid, "quote", "dialogue and peaceful means"))
	if len(resp.Embeds) != 1 {
		t.Fatalf("no embed: %+v", resp)
	}
	e := resp.Embeds[0]
	checkLimits(t, e)
	if !strings.Contains(e.Title, "Balkhi") {
		t.Errorf("title %q does not name the speaker", e.Title)
	}
	if !strings.Contains(e.Description, "**dialogue**") || !strings.Contains(e.Description, "<https://") && !strings.Contains(e.Description, "paragraph") {
		t.Errorf("description %q", e.Description)
	}
	if resp.Ephemeral {
		t.Error("public question answered privately")
	}
}

func TestEveryCommandAnswers(t *testing.T) {
	b := newTestBot(t, Options{})
	story := builtinEngine(t).Stories(nil)[0].ID
	for _, r := range []Request{
		cmd(CmdAsk, "question", "What did the ministry urge citizens to make?"),
		cmd(CmdWhen, "event", "Putin authorized the special military operation", "private", "true"),
		cmd(CmdQuotes), cmd(CmdQuotes, "story", story),
		cmd(CmdTimeline), cmd(CmdStories), cmd(CmdStories, "story", "taliban"),
		cmd(CheckCommand, "question", "The Taliban did not call for peace"),
	} {
		resp := b.Handle(context.Background(), r)
		if len(resp.Embeds) != 1 || resp.Embeds[0].Description == "" {
			t.Errorf("%s %v: %+v", r.Command, r.Options, resp)
			continue
		}
		checkLimits(t, resp.Embeds[0])
		if resp.Ephemeral != r.Private() {
			t.Errorf("%s: ephemeral %v", r.Command, resp.Ephemeral)
		}
	}
}

func TestCheckLabelsNegation(t *testing.T) {
	b := newTestBot(t, Options{})
	resp := b.Handle(context.Background(), cmd(CheckCommand, "question", "The Taliban never called for peace between Russia and Ukraine"))
	if e := resp.Embeds[0]; !strings.Contains(e.Description, "may contradict it") {
		t.Fatalf("%q", e.Description)
	}
}

func TestUnknownStoryIsPoliteAndEphemeral(t *testing.T) {
	b := newTestBot(t, Options{})
	resp := b.Handle(context.Background(), cmd(CmdAsk, "question", "peace", "story", "no-such-story"))
	if !resp.Ephemeral || !strings.Contains(resp.Content, "don't know that story") {
		t.Fatalf("%+v", resp)
	}
}

func TestPanicBecomesShortMessage(t *testing.T) {
	boom := func(Handler) Handler {
		return func(context.Context, Request) (Response, error) { panic("secret internals") }
	}
	b := newTestBot(t, Options{Middleware: []Middleware{boom}})
	resp := b.Handle(context.Background(), cmd(CmdAsk, "question", "x"))
	if !resp.Ephemeral || strings.Contains(resp.Content, "secret") || strings.Contains(resp.Content, "goroutine") {
		t.Fatalf("%+v", resp)
	}
}

func TestAutocomplete(t *testing.T) {
	b := newTestBot(t, Options{})
	r := Request{Type: Autocomplete, Command: CmdAsk, Focused: "story", Options: map[string]string{"story": "russia"}}
	resp := b.Handle(context.Background(), r)
	if len(resp.Choices) != 1 || resp.Choices[0].Value != builtinEngine(t).Stories(nil)[0].ID {
		t.Fatalf("%+v", resp.Choices)
	}
	r.Options["story"] = "zzz-nothing"
	if resp := b.Handle(context.Background(), r); len(resp.Choices) != 0 {
		t.Fatalf("%+v", resp.Choices)
	}
}

// Previous and Next replace the page shown with the one they name, and
// stop after ButtonLifetime with a private note.
func TestPreviousAndNextPageInPlaceAndExpire(t *testing.T) {
	b := newTestBot(t, Options{})
	resp := b.Handle(context.Background(), cmd(CmdAsk, "question", "Ukraine"))
	if labels := buttonLabels(resp); labels != "Next" {
		t.Fatalf("the first page has buttons %q, want Next alone", labels)
	}
	id := buttonID(t, resp)
	if dlen(id) > MaxCustomID {
		t.Fatalf("custom ID too long: %q", id)
	}
	press := Request{Type: Component, CustomID: id, User: "u2", Channel: "c1", Now: t0.Add(time.Minute)}
	if !press.Updates() {
		t.Fatal("Next does not say it updates its message, so a deferral would send a new one")
	}
	page2 := b.Handle(context.Background(), press)
	if !page2.Update || page2.Ephemeral || len(page2.Embeds) != 1 || !strings.HasPrefix(page2.Embeds[0].Title, "More passages (from 4)") {
		t.Fatalf("page 2: %+v %+v", page2, page2.Embeds)
	}
	if page2.Embeds[0].Description == resp.Embeds[0].Description {
		t.Fatal("page 2 repeats page 1")
	}
	if labels := buttonLabels(page2); labels != "Previous Next" {
		t.Fatalf("page 2 has buttons %q", labels)
	}
	press.CustomID = buttonID(t, page2) // Previous
	page1 := b.Handle(context.Background(), press)
	if !page1.Update || page1.Embeds[0].Description != resp.Embeds[0].Description || buttonLabels(page1) != "Next" {
		t.Fatalf("Previous does not bring back page 1: %+v", page1)
	}
	press.Now = t0.Add(ButtonLifetime + 2*time.Minute)
	late := b.Handle(context.Background(), press)
	if late.Update || !late.Ephemeral || !strings.Contains(late.Content, "expired") || len(late.Embeds) != 0 {
		t.Fatalf("expired: %+v", late)
	}
}

func TestPageEncodingRoundTrips(t *testing.T) {
	p := page{Kind: "who", Offset: 3, Issued: t0, Story: "a:b.txt", Question: strings.Repeat("long question: ", 20)}
	id, ok := p.encode()
	if !ok || dlen(id) > MaxCustomID {
		t.Fatalf("%q", id)
	}
	q, err := decodePage(id)
	if err != nil || q.Kind != p.Kind || q.Offset != 3 || !q.Issued.Equal(t0) || q.Story != "a:b.txt" && !strings.HasPrefix(p.Question, q.Question) {
		t.Fatalf("%+v %v", q, err)
	}
	if _, ok := (page{Kind: "ask", Story: strings.Repeat("s", 99)}).encode(); ok {
		t.Fatal("story too long for a custom ID was encoded")
	}
}

func TestRateLimitPerUser(t *testing.T) {
	b := New(builtinEngine(t), Options{RatePerUser: 0.0001, RatePerChannel: 1000, Log: quietLog()})
	var limited int
	for i := 0; i < 5; i++ {
		resp := b.Handle(context.Background(), cmd(CmdStories))
		if resp.Throttled {
			limited++
			if !resp.Ephemeral || !strings.Contains(resp.Content, "wait") {
				t.Fatalf("%+v", resp)
			}
		}
	}
	if limited != 2 { // burst of 3
		t.Fatalf("limited %d of 5", limited)
	}
	other := cmd(CmdStories)
	other.User = "u2"
	if b.Handle(context.Background(), other).Throttled {
		t.Fatal("another user was limited")
	}
}

func TestHostileStoryIsInert(t *testing.T) {
	b := New(hostileEngine(t), Options{Log: quietLog(), RatePerUser: 1000, RatePerChannel: 1000})
	for _, r := range []Request{
		cmd(CmdAsk, "question", "mayor come Monday"), cmd(CmdQuotes), cmd(CmdTimeline), cmd(CmdStories),
	} {
		resp := b.Handle(context.Background(), r)
		if len(resp.Embeds) == 0 {
			t.Fatalf("%s: %+v", r.Command, resp)
		}
		e := resp.Embeds[0]
		all := e.Title + "\n" + e.Description
		for _, f := range e.Fields {
			all += "\n" + f.Value
		}
		assertInert(t, r.Command, all)
	}
}

// assertInert fails when text could mention, ping or format.
func assertInert(t *testing.T, what, s string) {
	t.Helper()
	for _, bad := range []string{"@everyone", "@here", "<@&123>", "<@456>", "**parade**", "_Test_", "~~clerk~~", "[link](", "\n# ", "\n- "} {
		if strings.Contains(s, bad) {
			t.Errorf("%s: %q survives in %q", what, bad, s)
		}
	}
}

func TestTypedStoryIsEscapedWhenEchoed(t *testing.T) {
	var stories []*corpus.Story
	for _, n := range []string{"one", "two"} {
		st, err := corpus.Parse(n+".txt", []byte("Headline: **Chips** <@&123> @everyone "+n+"\n---\n\nA paragraph about chips.\n"))
		if err != nil {
			t.Fatal(err)
		}
		stories = append(stories, st)
	}
	ix, err := index.NewMemory(stories)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	b := New(answer.New(ix), Options{Log: quietLog(), RatePerUser: 1000, RatePerChannel: 1000})
	resp := b.Handle(context.Background(), cmd(CmdAsk, "question", "chips", "story", "**chips** <@&123> @everyone"))
	want := `\*\*chips\*\* \<@&123\> @` + zwsp + `everyone`
	if !strings.Contains(resp.Content, "2 stories match") || !strings.Contains(resp.Content, want) {
		t.Fatalf("%q lacks %q", resp.Content, want)
	}
}
