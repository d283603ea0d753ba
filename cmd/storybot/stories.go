package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/storybot/storybot/index"
)

func storiesCommand(ctx context.Context, env *cliEnv, args []string) error {
	var c common
	fs := newFlags("stories", env)
	c.corpusFlags(fs)
	fs.BoolVar(&c.json, "json", false, "print the list as JSON")
	pos, err := parseArgs(env, fs, args)
	if err != nil {
		return err
	}
	if err := noArgs("stories", pos, ""); err != nil {
		return err
	}
	s, err := c.session(ctx, env)
	if err != nil {
		return err
	}
	defer s.Close()
	list := s.Stories()
	if c.json {
		return writeJSON(env.stdout, list)
	}
	return writeStories(newDisplay(env.stdout), list)
}

// writeStories lists the stories: a table for files and scripts, and on a
// terminal, where a table of long names and headlines would not fit, each
// story's name with its details wrapped below.
func writeStories(d display, list []index.StoryInfo) error {
	if d.width > 0 {
		for _, s := range list {
			date := s.Published
			if date == "" {
				date = "date unknown"
			}
			details := []string{s.Headline}
			if s.Source != "" {
				details = append(details, s.Source)
			}
			details = append(details, date, plural(s.Paragraphs, "paragraph", "paragraphs"))
			d.block(s.ID, []span{{0, len(s.ID)}}, "", "  ")
			d.block(strings.Join(details, " · "), nil, "    ", "    ")
		}
		return nil
	}
	tw := tabwriter.NewWriter(d.w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STORY\tPARAGRAPHS\tDATE\tHEADLINE")
	for _, s := range list {
		date := s.Published
		if date == "" {
			date = "unknown"
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", s.ID, s.Paragraphs, date, s.Headline)
	}
	return tw.Flush()
}
