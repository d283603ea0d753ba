package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/storybot/storybot/index/answer"
)

func init() {
	register("quotes", "list every statement with its speaker", listingCommand(printQuotes))
	register("timeline", "list every dated event in date order", listingCommand(printTimeline))
}

// listingCommand runs a listing over one story or all of them.
func listingCommand(print func(ctx context.Context, eng *answer.Engine, story string, asJSON bool, w io.Writer) error) func(context.Context, *cliEnv, []string) error {
	return func(ctx context.Context, env *cliEnv, args []string) error {
		var c common
		fs := newFlags("listing", env)
		c.corpusFlags(fs)
		fs.StringVar(&c.story, "story", "", "list only this story (its file name)")
		fs.BoolVar(&c.json, "json", false, "print the list as JSON")
		pos, err := parseArgs(env, fs, args)
		if err != nil {
			return err
		}
		if len(pos) > 0 {
			return usageError{"takes no arguments; name a story with --story"}
		}
		eng, cfg, err := c.engine(env)
		if err != nil {
			return err
		}
		defer eng.Index().Close()
		ctx, cancel := context.WithTimeout(ctx, cfg.QueryTimeout*10)
		defer cancel()
		return print(ctx, eng, c.story, c.json, env.stdout)
	}
}

func printQuotes(ctx context.Context, eng *answer.Engine, story string, asJSON bool, w io.Writer) error {
	items, err := eng.Quotes(ctx, story)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(w, items)
	}
	for _, q := range items {
		who := q.Speaker
		if q.Description != "" {
			who += " (" + q.Description + ")"
		}
		fmt.Fprintf(w, "%s ¶%d  %s: “%s”\n", q.Story, q.Paragraph, who, oneLine(q.Quote))
	}
	return nil
}

func printTimeline(ctx context.Context, eng *answer.Engine, story string, asJSON bool, w io.Writer) error {
	events, err := eng.Timeline(ctx, story)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(w, events)
	}
	for _, e := range events {
		date := e.Date
		if date == "" {
			date = "(undated)"
		}
		fmt.Fprintf(w, "%-16s %q  %s ¶%d  %s\n", date, e.Text, e.Story, e.Paragraph, oneLine(e.Sentence))
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
