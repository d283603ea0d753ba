package bot

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/answer"
)

// Room for each part of an answer embed. They add up to well under 6000,
// so an answer never needs fitEmbed to drop anything.
const (
	firstQuoteRoom = 1800
	fieldQuoteRoom = 700
	// PageSize is how many passages one answer or one "More passages" shows.
	PageSize = answer.DefaultPassages
)

// Colours for the embed's side bar.
const (
	colourFound   = 0x2f80ed
	colourMissing = 0x888888
)

// footerStory prefixes the story ID in an answer's footer. A reply to the
// answer reads it back to follow up on the same story.
const footerStory = "Story: "

// RenderAnswer lays out an answer, in this order: the short answer (the
// speaker or the date) as the title, the best passage quoted with its
// matched words in bold, and its attribution; further passages follow as
// fields. first is the number of the first passage shown, from 1, for pages
// after the first.
func RenderAnswer(a answer.Answer, first int) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{
		Author: &discordgo.MessageEmbedAuthor{Name: clipEscaped(questionLine(a), MaxAuthor, Defang)},
	}
	if !a.Found || len(a.Passages) == 0 {
		e.Color = colourMissing
		note := a.Note
		if note == "" {
			note = "Nothing more in the stories matches that well enough to quote."
		}
		e.Description = Escape(note)
		return fitEmbed(e)
	}
	e.Color = colourFound
	e.Title = clipEscaped(shortAnswer(a, first), MaxTitle, Escape)
	p := a.Passages[0]
	var d strings.Builder
	if first <= 1 && a.Note != "" {
		d.WriteString("*" + Escape(a.Note) + "*\n")
	}
	d.WriteString(quoteMarked(p.Text, p.Matches, firstQuoteRoom))
	d.WriteString("\n")
	d.WriteString(Attribution(p))
	e.Description = d.String()
	for i, q := range a.Passages[1:] {
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{
			Name:  fmt.Sprintf("Passage %d", first+i+1),
			Value: quoteMarked(q.Text, q.Matches, fieldQuoteRoom) + "\n" + Attribution(q),
		})
	}
	e.Footer = &discordgo.MessageEmbedFooter{Text: footerStory + p.Story}
	return fitEmbed(e)
}

// Question labels in the embed's author line; a follow-up reads the
// question back from it.
var questionLabels = map[answer.Kind]string{answer.Ask: "Q: ", answer.Who: "Who said: ", answer.When: "When: "}

const claimLabel = "Claim: "

func questionLine(a answer.Answer) string {
	label, ok := questionLabels[a.Kind]
	if !ok {
		label = questionLabels[answer.Ask]
	}
	return label + a.Question
}

// QuestionFromAuthor reads back the question an answer embed was for.
func QuestionFromAuthor(author string) string {
	author = strings.ReplaceAll(author, zwsp, "")
	for _, l := range append([]string{claimLabel}, questionLabels[answer.Ask], questionLabels[answer.Who], questionLabels[answer.When]) {
		if q, ok := strings.CutPrefix(author, l); ok {
			return strings.TrimSuffix(q, "…")
		}
	}
	return ""
}

// shortAnswer is the title, as plain text: who said it, when it happened,
// or the phrase that answers the question.
func shortAnswer(a answer.Answer, first int) string {
	if first > 1 {
		return fmt.Sprintf("More passages (from %d)", first)
	}
	switch {
	case a.Answer == "":
		return "Closest passages: no short answer"
	case a.Kind == answer.Who && a.Description != "":
		return a.Answer + ", " + a.Description
	case (a.Kind == answer.When || a.Kind == answer.Ask) && a.Date != "" && a.Date != a.Answer:
		return a.Answer + " (" + a.Date + ")"
	}
	return a.Answer
}

// ParagraphNumber is how a reader counts paragraph i (0-based, the
// headline not counted, as the index and the batch format count them):
// the lede is paragraph 1.
func ParagraphNumber(i int) int { return i + 1 }

// Attribution names where a passage comes from: headline, outlet, date,
// paragraph, and the link in angle brackets so Discord shows no preview.
func Attribution(p answer.Passage) string {
	parts := []string{"**" + Escape(clip(p.Headline, 200)) + "**"}
	if p.Source != "" {
		parts = append(parts, Escape(clip(p.Source, 80)))
	}
	if p.Published != "" {
		parts = append(parts, Escape(p.Published))
	} else {
		parts = append(parts, "date unknown")
	}
	parts = append(parts, fmt.Sprintf("paragraph %d", ParagraphNumber(p.Paragraph)))
	s := "— " + strings.Join(parts, " · ")
	if u := safeURL(p.URL); u != "" {
		s += "\n<" + u + ">"
	}
	return s
}

// safeURL returns u when it is a plain http(s) link that cannot break out
// of the angle brackets, and "" otherwise.
func safeURL(u string) string {
	if u == "" || len(u) > 500 || strings.ContainsAny(u, "<> \t\n`|*_~") {
		return ""
	}
	pu, err := url.Parse(u)
	if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
		return ""
	}
	return u
}

// RenderStories lists the indexed stories.
func RenderStories(list []index.StoryInfo) *discordgo.MessageEmbed {
	lines := make([]string, 0, len(list))
	for _, s := range list {
		date := s.Published
		if date == "" {
			date = "date unknown"
		}
		line := fmt.Sprintf("**%s**\n`%s` · %s · %d paragraphs", Escape(clip(s.Headline, 200)), codeSafe(s.ID), Escape(date), s.Paragraphs)
		if s.Source != "" {
			line += " · " + Escape(clip(s.Source, 80))
		}
		if s.Collection != "" && s.Collection != index.Shared {
			line += " · *this server's*"
		}
		lines = append(lines, line)
	}
	return listEmbed(fmt.Sprintf("%d indexed %s", len(list), plural(len(list), "story", "stories")), lines, "No stories are indexed yet.")
}

// RenderQuotes lists who said what.
func RenderQuotes(items []answer.QuoteItem) *discordgo.MessageEmbed {
	lines := make([]string, 0, len(items))
	for _, q := range items {
		quote := clip(q.Quote, 280)
		if q.Direct {
			quote = "“" + quote + "”"
		}
		lines = append(lines, fmt.Sprintf("**%s** (paragraph %d): %s", Escape(clip(q.Speaker, 100)), ParagraphNumber(q.Paragraph), Escape(quote)))
	}
	e := listEmbed("Who said what", lines, "No attributed statements found.")
	if len(items) > 0 && sameStory(len(items), func(i int) string { return items[i].Story }) {
		e.Footer = &discordgo.MessageEmbedFooter{Text: footerStory + items[0].Story}
	}
	return e
}

// RenderTimeline lists dated events in date order; total is how many
// there are, of which events are the first.
func RenderTimeline(events []answer.Event, total int) *discordgo.MessageEmbed {
	lines := make([]string, 0, len(events))
	for _, ev := range events {
		date := ev.Date
		if date == "" {
			date = "undated"
		}
		lines = append(lines, fmt.Sprintf("`%s` **%s** — %s (paragraph %d)", codeSafe(date), Escape(clip(ev.Text, 80)), Escape(clip(ev.Sentence, 240)), ParagraphNumber(ev.Paragraph)))
	}
	e := listEmbedOf("Timeline", lines, max(total, len(lines)), "No dates found.")
	if len(events) > 0 && sameStory(len(events), func(i int) string { return events[i].Story }) {
		e.Footer = &discordgo.MessageEmbedFooter{Text: footerStory + events[0].Story}
	}
	return e
}

// listEmbed puts whole lines into the description until it is full, and
// says how many were left out rather than cutting one in half.
func listEmbed(title string, lines []string, empty string) *discordgo.MessageEmbed {
	return listEmbedOf(title, lines, len(lines), empty)
}

// listEmbedOf is listEmbed for the first lines of total.
func listEmbedOf(title string, lines []string, total int, empty string) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{Title: clip(title, MaxTitle), Color: colourFound}
	if len(lines) == 0 {
		e.Description = empty
		return e
	}
	const room = MaxDescription - 100 // for the "…and N more" line
	var b strings.Builder
	n := 0
	for _, l := range lines {
		if dlen(b.String())+dlen(l)+1 > room {
			break
		}
		b.WriteString(l)
		b.WriteString("\n")
		n++
	}
	if n < total {
		fmt.Fprintf(&b, "*…and %d more. Choose a story with the story option to see fewer.*", total-n)
	}
	e.Description = strings.TrimRight(b.String(), "\n")
	return fitEmbed(e)
}

// codeSafe keeps text inside `code` from closing it.
func codeSafe(s string) string { return strings.ReplaceAll(clip(s, 120), "`", "'") }

func sameStory(n int, story func(int) string) bool {
	for i := 1; i < n; i++ {
		if story(i) != story(0) {
			return false
		}
	}
	return true
}
