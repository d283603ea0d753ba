package main

import (
	"context"
	"fmt"
	"text/tabwriter"
)

func init() {
	register("stories", "list the stories with their paragraph counts and dates", storiesCommand)
}

func storiesCommand(ctx context.Context, env *cliEnv, args []string) error {
	var c common
	fs := newFlags("stories", env)
	c.corpusFlags(fs)
	fs.BoolVar(&c.json, "json", false, "print the list as JSON")
	if _, err := parseArgs(env, fs, args); err != nil {
		return err
	}
	eng, _, err := c.engine(env)
	if err != nil {
		return err
	}
	defer eng.Index().Close()
	list := eng.Stories()
	if c.json {
		return writeJSON(env.stdout, list)
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
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
