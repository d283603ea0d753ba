package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/storybot/storybot/config"
	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/answer"
	"github.com/storybot/storybot/index/library"
)

// errNoStories means the corpus directory holds no readable story yet.
var errNoStories = errors.New("holds no readable stories")

// skipReport is told of each file that was not a readable story.
type skipReport func(corpus.Skipped)

// printSkipped reports skipped files as lines on w, for the CLI.
func printSkipped(w io.Writer) skipReport {
	return func(s corpus.Skipped) { fmt.Fprintf(w, "skipped %s\n", s) }
}

// session is what a command answers from: the story library (nil when it
// answers from an index alone), the collection it was given, and the
// scope that collection reads.
type session struct {
	eng   *answer.Engine
	lib   *library.Library
	ix    *index.Index
	cfg   config.Config
	col   string
	scope index.Scope
}

// Close closes the index and the store.
func (s *session) Close() error {
	if s.lib != nil {
		return s.lib.Close()
	}
	return s.ix.Close()
}

// Stories are the stories the session's scope reads.
func (s *session) Stories() []index.StoryInfo { return s.ix.Stories(s.scope) }

// scopeOf is what --collection reads: a server's collection and the shared
// library, or the shared library alone.
func scopeOf(col string) index.Scope {
	if col == index.Shared {
		return index.Scope{index.Shared}
	}
	return index.Scope{col, index.Shared}
}

// openStore opens where the stories are kept: PostgreSQL, the corpus
// directory, or (with neither configured) the built-in story.
func openStore(ctx context.Context, cfg config.Config, log *slog.Logger) (library.Store, error) {
	switch {
	case cfg.DatabaseURL != "":
		return library.OpenPostgres(ctx, cfg.DatabaseURL, log)
	case cfg.CorpusDir != "":
		info, err := os.Stat(cfg.CorpusDir)
		if err != nil {
			return nil, fmt.Errorf("corpus directory %s: %w", cfg.CorpusDir, errors.Unwrap(err))
		}
		if !info.IsDir() {
			return nil, fmt.Errorf("corpus %s is not a directory", cfg.CorpusDir)
		}
		return library.NewFiles(cfg.CorpusDir)
	}
	return library.NewBuiltin(), nil
}

// libraryConfig is the library the settings describe.
func libraryConfig(cfg config.Config, store library.Store, log *slog.Logger) library.Config {
	return library.Config{
		Store: store, IndexDir: cfg.IndexDir, Log: log, Keep: cfg.RestoreWindow,
		Quota: library.Quota{Stories: cfg.QuotaStories, Bytes: cfg.QuotaBytes},
	}
}

// openSession opens what a reading command answers from. With an index
// directory and no store configured, it answers from that index as it is;
// otherwise it brings the index of the scope's collections up to date with
// the store first (indexing in memory when there is no index directory).
func openSession(ctx context.Context, cfg config.Config, col string, report skipReport) (*session, error) {
	if err := (&common{collection: col}).checkCollection(); err != nil {
		return nil, err
	}
	s := &session{cfg: cfg, col: col, scope: scopeOf(col)}
	if cfg.IndexDir != "" && cfg.CorpusDir == "" && cfg.DatabaseURL == "" {
		if _, err := os.Stat(cfg.IndexDir); err != nil {
			return nil, fmt.Errorf("index directory %s does not exist: build it with 'storybot index --corpus DIR --index %s'", cfg.IndexDir, cfg.IndexDir)
		}
		ix, err := index.Open(cfg.IndexDir)
		if err != nil {
			return nil, fmt.Errorf("index %s: %w", cfg.IndexDir, err)
		}
		if _, ok := ix.Manifest(index.Shared); !ok {
			ix.Close()
			return nil, fmt.Errorf("index %s: no index has been built there yet: build it with 'storybot index --corpus DIR --index %s'", cfg.IndexDir, cfg.IndexDir)
		}
		s.ix, s.eng = ix, answer.New(ix)
		return s, nil
	}
	quiet := slog.New(slog.DiscardHandler)
	store, err := openStore(ctx, cfg, quiet)
	if err != nil {
		return nil, err
	}
	lc := libraryConfig(cfg, store, quiet)
	lc.OnSync = func(_ string, r library.SyncResult) {
		for _, sk := range r.Skipped {
			report(sk)
		}
	}
	lib, err := library.Open(ctx, lc, s.scope...)
	if err != nil {
		store.Close()
		if cfg.IndexDir != "" {
			return nil, fmt.Errorf("index %s: %w", cfg.IndexDir, err)
		}
		return nil, err
	}
	s.lib, s.ix, s.eng = lib, lib.Index(), answer.New(lib.Index())
	if cfg.CorpusDir != "" && cfg.DatabaseURL == "" && len(s.Stories()) == 0 {
		s.Close()
		return nil, fmt.Errorf("corpus %s %w", cfg.CorpusDir, errNoStories)
	}
	return s, nil
}

// session loads the settings, lets the flags override them, and opens what
// they describe. The caller closes it.
func (c *common) session(ctx context.Context, env *cliEnv) (*session, error) {
	cfg, err := c.settings(env)
	if err != nil {
		return nil, err
	}
	return openSession(ctx, cfg, c.collection, printSkipped(env.stderr))
}
