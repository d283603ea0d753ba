package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/storybot/storybot/index/answer"
)

func init() {
	register("ask", "answer a question, quoting the best passages", questionCommand(answer.Ask))
	register("who-said", "name who said something, and quote it", questionCommand(answer.Who))
	register("when", "give the date of an event, and quote it", questionCommand(answer.When))
}

func questionCommand(kind answer.Kind) func(context.Context, *cliEnv, []string) error {
	return func(ctx context.Context, env *cliEnv, args []string) error {
		var c common
		fs := newFlags(string(kind), env)
		c.answerFlags(fs)
		pos, err := parseArgs(env, fs, args)
		if err != nil {
			return err
		}
		q := joinArgs(pos)
		if q == "" {
			return usageError{"give the question as an argument, e.g. storybot ask \"What did the ministry urge citizens to make?\""}
		}
		if c.n < 1 || c.n > 20 {
			return usageError{"-n must be between 1 and 20"}
		}
		eng, cfg, err := c.engine(env)
		if err != nil {
			return err
		}
		defer eng.Index().Close()
		ctx, cancel := context.WithTimeout(ctx, cfg.QueryTimeout)
		defer cancel()
		a, err := eng.Answer(ctx, answer.Request{Kind: kind, Question: q, Story: c.story, N: c.n})
		if err != nil {
			return err
		}
		if c.json {
			return writeJSON(env.stdout, a)
		}
		printAnswer(env.stdout, a)
		return nil
	}
}

// printAnswer writes an answer for people: the short answer with its
// confidence, or that there is none and the passages are only the closest,
// then each passage quoted with its source.
func printAnswer(w io.Writer, a answer.Answer) {
	if !a.Found {
		fmt.Fprintln(w, a.Note)
		return
	}
	conf := fmt.Sprintf("   [confidence %.0f%%]", 100*a.Confidence)
	switch {
	case a.Answer != "" && a.Kind == answer.Who:
		fmt.Fprintf(w, "Said by: %s", a.Answer)
		if a.Description != "" {
			fmt.Fprintf(w, " (%s)", a.Description)
		}
		fmt.Fprintln(w, conf)
	case a.Answer != "" && a.Kind == answer.When:
		if a.Date != "" {
			fmt.Fprintf(w, "When: %s (%q)%s\n", a.Date, a.Answer, conf)
		} else {
			fmt.Fprintf(w, "When: %q%s\n", a.Answer, conf)
		}
	case a.Answer != "":
		fmt.Fprintf(w, "Answer: %s%s\n", a.Answer, conf)
	default:
		fmt.Fprintln(w, "Closest passages (no short answer):")
	}
	if a.Note != "" {
		fmt.Fprintln(w, a.Note)
	}
	for i, p := range a.Passages {
		fmt.Fprintln(w)
		fmt.Fprintf(w, "[%d] %s\n", i+1, quoteBlock(p.Text))
		fmt.Fprintf(w, "    — %s\n", attribution(p))
		if p.URL != "" {
			fmt.Fprintf(w, "    %s\n", p.URL)
		}
	}
}

func quoteBlock(text string) string {
	return "“" + strings.ReplaceAll(text, "\n", "\n    ") + "”"
}

func attribution(p answer.Passage) string {
	parts := []string{p.Headline}
	if p.Source != "" {
		parts = append(parts, p.Source)
	}
	date := p.Published
	if date == "" {
		date = "date unknown"
	}
	parts = append(parts, date, fmt.Sprintf("paragraph %d", p.Paragraph))
	return strings.Join(parts, " · ")
}
