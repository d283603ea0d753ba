package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

func indexCommand(ctx context.Context, env *cliEnv, args []string) error {
	var c common
	fs := newFlags("index", env)
	c.storeFlags(fs)
	quiet := fs.Bool("quiet", false, "show no progress")
	if _, err := parseArgs(env, fs, args); err != nil {
		return err
	}
	cfg, err := c.settings(env)
	if err != nil {
		return err
	}
	if cfg.IndexDir == "" {
		return usageError{"say where the index goes with --index DIR (or STORYBOT_INDEX)"}
	}
	if cfg.CorpusDir == "" {
		return usageError{"say which stories to index with --corpus DIR (or STORYBOT_CORPUS)"}
	}
	start := time.Now()
	var skipped []corpus.Skipped
	stories, err := loadStories(cfg, func(s corpus.Skipped) { skipped = append(skipped, s) })
	if err != nil {
		return err
	}
	ix, err := index.Open(cfg.IndexDir)
	if err != nil && !errors.Is(err, index.ErrNoIndex) {
		return fmt.Errorf("index %s: %w", cfg.IndexDir, err)
	}
	defer ix.Close()
	for _, l := range ix.Leftovers() {
		fmt.Fprintf(env.stderr, "removed %s, left by an interrupted rebuild\n", l)
	}
	progress, done := indexProgress(env.stderr, len(stories), *quiet)
	defer done()
	stats, err := ix.Rebuild(ctx, stories, progress)
	if err != nil {
		return fmt.Errorf("rebuilding the index (the old one, if any, is still live): %w", err)
	}
	fmt.Fprintf(env.stdout, "indexed %d stories, %d paragraphs into %s in %s\n",
		stats.Stories, stats.Paragraphs, cfg.IndexDir, time.Since(start).Round(time.Millisecond))
	if len(skipped) > 0 {
		fmt.Fprintf(env.stdout, "skipped %d files:\n", len(skipped))
		for _, s := range skipped {
			fmt.Fprintf(env.stdout, "  %s\n", s)
		}
	}
	return nil
}
