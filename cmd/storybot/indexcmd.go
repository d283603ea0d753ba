package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/library"
)

// indexCommand rebuilds one collection's index from its stories. With
// PostgreSQL it rebuilds that collection in every process that follows
// the database; given a corpus directory with --corpus too, it first
// makes the database's collection hold what the directory holds.
func indexCommand(ctx context.Context, env *cliEnv, args []string) error {
	var c common
	fs := newFlags("index", env)
	c.rebuildFlags(fs)
	quiet := fs.Bool("quiet", false, "show no progress")
	pos, err := parseArgs(env, fs, args)
	if err != nil {
		return err
	}
	if err := noArgs("index", pos, "; name the stories' directory with --corpus DIR"); err != nil {
		return err
	}
	cfg, err := c.settings(env)
	if err != nil {
		return err
	}
	if cfg.CorpusDir == "" && cfg.DatabaseURL == "" {
		return usageError{"say which stories to index with --corpus DIR (or STORYBOT_CORPUS, or STORYBOT_DATABASE_URL)"}
	}
	if cfg.IndexDir == "" && cfg.DatabaseURL == "" {
		return usageError{"say where the index goes with --index DIR (or STORYBOT_INDEX)"}
	}
	if err := c.checkCollection(); err != nil {
		return err
	}
	start := time.Now()
	quietLog := slog.New(slog.DiscardHandler)
	store, err := openStore(ctx, cfg, quietLog)
	if err != nil {
		return err
	}
	lc := libraryConfig(cfg, store, quietLog)
	lc.NoSync, lc.NoIndex = true, cfg.IndexDir == ""
	lib, err := library.Open(ctx, lc)
	if err != nil {
		store.Close()
		return fmt.Errorf("index %s: %w", cfg.IndexDir, err)
	}
	defer lib.Close()
	if ix := lib.Index(); ix != nil {
		for _, l := range ix.Leftovers() {
			fmt.Fprintf(env.stderr, "removed %s, left by an interrupted rebuild\n", l)
		}
	}
	// Only a directory named on the command line is copied: the Docker
	// image sets STORYBOT_CORPUS always, and copying it over the database
	// would remove every story added with /add-story or storybot add.
	if cfg.DatabaseURL != "" && c.corpus != "" {
		files, err := openStore(ctx, cfg.WithoutDatabase(), quietLog)
		if err != nil {
			return err
		}
		m, err := lib.Mirror(ctx, c.collection, files, operator())
		for _, s := range m.Skipped {
			fmt.Fprintf(env.stderr, "skipped %s\n", s)
		}
		if err != nil {
			return fmt.Errorf("copying %s into the database: %w", cfg.CorpusDir, err)
		}
		fmt.Fprintf(env.stdout, "copied %s into the database: %d added, %d replaced, %d removed\n",
			cfg.CorpusDir, m.Added, m.Replaced, m.Removed)
	}
	_, list, err := store.Snapshot(ctx, c.collection)
	if err != nil {
		return err
	}
	progress, done := indexProgress(env.stderr, len(list), *quiet)
	res, err := lib.Reindex(ctx, c.collection, operator(), progress)
	done()
	for _, s := range res.Skipped {
		fmt.Fprintf(env.stderr, "skipped %s\n", s)
	}
	if err != nil {
		return fmt.Errorf("rebuilding the index (the old one, if any, is still live): %w", err)
	}
	where := cfg.IndexDir
	if where == "" {
		where = "every process that follows the database"
	}
	fmt.Fprintf(env.stdout, "indexed %s, %s of %s into %s in %s\n",
		plural(res.Stories, "story", "stories"), plural(res.Paragraphs, "paragraph", "paragraphs"),
		collectionName(c.collection), where, time.Since(start).Round(time.Millisecond))
	if len(res.Skipped) > 0 {
		fmt.Fprintf(env.stdout, "skipped %s:\n", plural(len(res.Skipped), "file", "files"))
		for _, s := range res.Skipped {
			fmt.Fprintf(env.stdout, "  %s\n", s)
		}
	}
	return nil
}

// collectionName is a collection as the CLI's messages name it.
func collectionName(col string) string {
	if col == index.Shared {
		return "the shared library"
	}
	return "collection " + col
}
