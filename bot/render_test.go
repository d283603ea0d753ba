package bot

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/index/answer"
)

func checkLimits(t *testing.T, e *discordgo.MessageEmbed) {
	t.Helper()
	if dlen(e.Title) > MaxTitle || dlen(e.Description) > MaxDescription || len(e.Fields) > MaxFields || EmbedSize(e) > MaxEmbedTotal {
		t.Fatalf("embed over limits: title %d, description %d, fields %d, total %d", dlen(e.Title), dlen(e.Description), len(e.Fields), EmbedSize(e))
	}
	for _, f := range e.Fields {
		if dlen(f.Name) > MaxFieldName || dlen(f.Value) > MaxFieldValue {
			t.Fatalf("field over limits: %d/%d", dlen(f.Name), dlen(f.Value))
		}
	}
}

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"@everyone and @here":   "@\u200beveryone and @\u200bhere",
		"<@&123> <@456> <#789>": `\<@&123\> \<@456\> \<#789\>`,
		"**bold** _it_ ~~s~~":   `\*\*bold\*\* \_it\_ \~\~s\~\~`,
		"`code` ||spoiler||":    "\\`code\\` \\|\\|spoiler\\|\\|",
		"[link](https://x.y)":   `\[link\](https://x.y)`,
		"# head\n- item\n> q":   "\\# head\n\\- item\n\\> q",
		"1. first":              `1\. first`,
		"a - b # c 2. d":        "a - b # c 2. d",
		`back\slash`:            `back\\slash`,
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
		if got := Unescape(Escape(in)); got != in {
			t.Errorf("Unescape(Escape(%q)) = %q", in, got)
		}
	}
}

func TestQuoteMarkedBoldsMatches(t *testing.T) {
	text := "The ministry urged citizens to make Molotov cocktails."
	i := strings.Index(text, "Molotov")
	got := quoteMarked(text, []answer.Span{{Start: i, End: i + len("Molotov")}}, 1000)
	want := "> The ministry urged citizens to make **Molotov** cocktails."
	if got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestQuoteMarkedTrimsAtSentence(t *testing.T) {
	s1 := "First sentence is here. "
	text := s1 + strings.Repeat("word ", 100) + "end."
	m := []answer.Span{{Start: 0, End: 5}, {Start: len(s1), End: len(s1) + 4}}
	got := quoteMarked(text, m, 60)
	if got != "> **First** sentence is here. …" {
		t.Fatalf("got %q", got)
	}
	// No sentence end fits: cut after a whole word, never inside one or
	// inside the bold markers.
	long := strings.Repeat("abcdefgh ", 50)
	got = quoteMarked(long, []answer.Span{{Start: 0, End: 8}}, 40)
	if dlen(got) > 40 || !strings.HasSuffix(got, "abcdefgh …") || strings.Count(got, "**")%2 != 0 {
		t.Fatalf("word cut: %q", got)
	}
}

func TestQuoteMarkedNeverSplitsEscapes(t *testing.T) {
	text := strings.Repeat("a*b_c <@&1> ", 200) + "."
	for max := 10; max < 300; max += 7 {
		got := quoteMarked(text, nil, max)
		if dlen(got) > max || !utf8.ValidString(got) || !strings.HasSuffix(got, "…") {
			t.Fatalf("max %d: %q", max, got)
		}
		if strings.Contains(strings.ReplaceAll(got, `\<`, ""), "<") {
			t.Fatalf("max %d: unescaped mention in %q", max, got)
		}
	}
}

func TestRenderAnswerLayoutAndLimits(t *testing.T) {
	long := strings.Repeat("A sentence that goes on and on. ", 400)
	p := answer.Passage{Story: "s.txt", Paragraph: 4, Headline: strings.Repeat("H", 400), Source: "Outlet",
		Published: "2022-02-25", URL: "https://example.com/a", Text: long}
	a := answer.Answer{Kind: answer.Who, Question: strings.Repeat("q ", 300), Found: true, Answer: "Abdul Qahar Balkhi",
		Description: "spokesman", Passages: []answer.Passage{p, p, p, p, p, p}}
	e := RenderAnswer(a, 1)
	checkLimits(t, e)
	if e.Title != "Abdul Qahar Balkhi, spokesman" {
		t.Errorf("title %q", e.Title)
	}
	if !strings.HasPrefix(e.Description, "> A sentence") || !strings.Contains(e.Description, " …\n— **") {
		t.Errorf("description does not quote then attribute: %.200q", e.Description)
	}
	// Paragraph 4 of the index is the fifth a reader counts.
	if !strings.Contains(e.Description, "Outlet · 2022-02-25 · paragraph 5\n<https://example.com/a>") {
		t.Errorf("attribution missing: %q", e.Description[len(e.Description)-200:])
	}
	if e.Footer.Text != "Story: s.txt" || StoryFromFooter(e.Footer.Text) != "s.txt" {
		t.Errorf("footer %q", e.Footer.Text)
	}
}

func TestRenderNotFound(t *testing.T) {
	e := RenderAnswer(answer.Answer{Question: "x", Note: "Nothing matches."}, 1)
	if e.Description != "Nothing matches." || e.Title != "" {
		t.Fatalf("%+v", e)
	}
}

func TestSafeURL(t *testing.T) {
	for u, ok := range map[string]bool{"https://a.b/c": true, "javascript:alert(1)": false, "https://a.b/>x": false, "ftp://a": false} {
		if (safeURL(u) != "") != ok {
			t.Errorf("safeURL(%q)", u)
		}
	}
}

func TestListEmbedKeepsWholeLines(t *testing.T) {
	items := make([]answer.QuoteItem, 300)
	for i := range items {
		items[i] = answer.QuoteItem{Story: "s", Speaker: "Someone", Quote: strings.Repeat("x", 200), Direct: true}
	}
	e := RenderQuotes(items)
	checkLimits(t, e)
	if !strings.Contains(e.Description, "more. Choose a story") {
		t.Fatalf("no overflow note")
	}
}

// splitEscape says whether markdown ends in a lone backslash before the
// "…" a clip adds, or leaves a ** pair open: what a cut made after
// escaping does.
func splitEscape(s string) bool {
	body := strings.TrimSuffix(s, "…")
	trailing := len(body) - len(strings.TrimRight(body, `\`))
	return trailing%2 == 1 || strings.Count(strings.ReplaceAll(body, `\*`, ""), "**")%2 == 1
}

func TestTitleIsClippedBeforeEscaping(t *testing.T) {
	// No spaces, and every character escaped: a cut of the escaped text
	// lands inside an escape half the time.
	for _, n := range []int{300, 301} {
		a := answer.Answer{Kind: answer.Who, Question: "q", Found: true, Answer: strings.Repeat("*", n),
			Passages: []answer.Passage{{Story: "s.txt", Paragraph: 1, Headline: "H", Text: "Text."}}}
		e := RenderAnswer(a, 1)
		if dlen(e.Title) > MaxTitle || splitEscape(e.Title) || !strings.HasSuffix(e.Title, "…") {
			t.Errorf("%d stars: title %q", n, e.Title)
		}
	}
}

func TestFitEmbedNeverSplitsEscapesOrBold(t *testing.T) {
	cases := map[string]string{
		"escapes":    strings.Repeat(`\*`, 3000),
		"odd escape": "x" + strings.Repeat(`\_`, 3000),
		"bold":       strings.Repeat("**matched words here** and ", 300),
		"mention":    strings.Repeat(`\<@&123\> `, 700),
	}
	for name, d := range cases {
		e := fitEmbed(&discordgo.MessageEmbed{Title: d, Description: d, Fields: []*discordgo.MessageEmbedField{{Name: "n", Value: d}}})
		for part, s := range map[string]string{"title": e.Title, "description": e.Description, "field": e.Fields[0].Value} {
			if splitEscape(s) || !strings.HasSuffix(s, "…") || dlen(s) < 100 {
				t.Errorf("%s: %s cut badly: …%q", name, part, s[max(0, len(s)-40):])
			}
		}
		checkLimits(t, e)
	}
	if c := content(Response{Content: "y" + strings.Repeat(`\*`, 1500)}); dlen(c) > MaxContent || splitEscape(c) {
		t.Errorf("content cut badly: …%q", c[len(c)-20:])
	}
}
