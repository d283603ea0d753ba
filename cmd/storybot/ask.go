package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/storybot/storybot/index/answer"
)

func questionCommand(name string, kind answer.Kind) func(context.Context, *cliEnv, []string) error {
	return func(ctx context.Context, env *cliEnv, args []string) error {
		var c common
		fs := newFlags(name, env)
		c.answerFlags(fs)
		pos, err := parseArgs(env, fs, args)
		if err != nil {
			return err
		}
		q := joinArgs(pos)
		if q == "" {
			// The console's examples, without their slash.
			need, example := consoleExamples[name][0], strings.TrimPrefix(consoleExamples[name][1], "/"+name+" ")
			return usageError{fmt.Sprintf("give %s as an argument, e.g. storybot %s %q", need, name, example)}
		}
		if c.n < 1 || c.n > 20 {
			return usageError{"-n must be between 1 and 20"}
		}
		s, err := c.session(ctx, env)
		if err != nil {
			return err
		}
		defer s.Close()
		ctx, cancel := context.WithTimeout(ctx, s.cfg.QueryTimeout)
		defer cancel()
		a, err := s.eng.Answer(ctx, answer.Request{Kind: kind, Question: q, Scope: s.scope, Story: c.story, N: c.n})
		if err != nil {
			return withClosestStories(err, s, c.story)
		}
		if c.json {
			return writeJSON(env.stdout, a)
		}
		printAnswer(newDisplay(env.stdout), a, 1)
		return nil
	}
}

// withClosestStories adds the nearest story names to an unknown story's error.
func withClosestStories(err error, sess *session, story string) error {
	if !errors.Is(err, answer.ErrUnknownStory) {
		return err
	}
	var ids []string
	for _, s := range sess.Stories() {
		ids = append(ids, s.ID)
	}
	if len(ids) == 0 {
		return fmt.Errorf("%w: %q (no stories are indexed)", answer.ErrUnknownStory, story)
	}
	return fmt.Errorf("%w: %q; the closest: %s ('storybot stories' lists them all)",
		answer.ErrUnknownStory, story, listNames(closest(story, ids, 3), 3))
}
