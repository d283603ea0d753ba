package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/index/answer"
)

// listingCommand runs a listing over one story or all of them.
func listingCommand(name string, print func(ctx context.Context, s *session, story string, asJSON bool, w io.Writer) error) func(context.Context, *cliEnv, []string) error {
	return func(ctx context.Context, env *cliEnv, args []string) error {
		var c common
		fs := newFlags(name, env)
		c.corpusFlags(fs)
		fs.StringVar(&c.story, "story", "", "list only the story `NAME` (its file name)")
		fs.BoolVar(&c.json, "json", false, "print the list as JSON")
		pos, err := parseArgs(env, fs, args)
		if err != nil {
			return err
		}
		if len(pos) > 0 {
			return usageError{"takes no arguments; name a story with --story"}
		}
		s, err := c.session(ctx, env)
		if err != nil {
			return err
		}
		defer s.Close()
		ctx, cancel := context.WithTimeout(ctx, s.cfg.QueryTimeout*10)
		defer cancel()
		return withClosestStories(print(ctx, s, c.story, c.json, env.stdout), s, c.story)
	}
}

func printQuotes(ctx context.Context, s *session, story string, asJSON bool, w io.Writer) error {
	items, err := s.eng.Quotes(ctx, s.scope, story)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(w, items)
	}
	writeQuotes(newDisplay(w), items)
	return nil
}

// writeQuotes lists who said what, one statement a line; on a terminal,
// the quote is wrapped under the speaker.
func writeQuotes(d display, items []answer.QuoteItem) {
	story := ""
	for _, q := range items {
		who := q.Speaker
		if q.Description != "" {
			who += " (" + q.Description + ")"
		}
		if d.width == 0 {
			fmt.Fprintf(d.w, "%s ¶%d  %s: “%s”\n", q.Story, bot.ParagraphNumber(q.Paragraph), who, oneLine(q.Quote))
			continue
		}
		if q.Story != story {
			story = q.Story
			d.block(story, []span{{0, len(story)}}, "", "")
		}
		place := fmt.Sprintf("¶%d ", bot.ParagraphNumber(q.Paragraph))
		d.block(place+who+":", []span{{len(place), len(place) + len(who)}}, "  ", "    ")
		d.block("“"+q.Quote+"”", nil, "    ", "    ")
	}
}

func printTimeline(ctx context.Context, s *session, story string, asJSON bool, w io.Writer) error {
	events, err := s.eng.Timeline(ctx, s.scope, story)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(w, events)
	}
	writeTimeline(newDisplay(w), events)
	return nil
}

// writeTimeline lists dated events, one a line; on a terminal, the
// sentence is wrapped under the date.
func writeTimeline(d display, events []answer.Event) {
	for _, e := range events {
		date := e.Date
		if date == "" {
			date = "(undated)"
		}
		if d.width == 0 {
			fmt.Fprintf(d.w, "%-16s %q  %s ¶%d  %s\n", date, e.Text, e.Story, bot.ParagraphNumber(e.Paragraph), oneLine(e.Sentence))
			continue
		}
		d.block(fmt.Sprintf("%s %q  %s ¶%d", date, e.Text, e.Story, bot.ParagraphNumber(e.Paragraph)), []span{{0, len(date)}}, "", "  ")
		d.block(e.Sentence, nil, "    ", "    ")
	}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
