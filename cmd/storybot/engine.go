package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/storybot/storybot/config"
	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/answer"
)

// errNoStories means the corpus directory holds no readable story yet.
var errNoStories = errors.New("holds no readable stories")

// skipReport is told of each file that was not a readable story.
type skipReport func(corpus.Skipped)

// printSkipped reports skipped files as lines on w, for the CLI.
func printSkipped(w io.Writer) skipReport {
	return func(s corpus.Skipped) { fmt.Fprintf(w, "skipped %s\n", s) }
}

// openOption changes how openEngine treats a corpus.
type openOption int

// emptyCorpusOK lets an empty corpus give an empty index instead of an error.
const emptyCorpusOK openOption = 1

// loadStories reads the configured corpus, or returns the built-in story
// when none is configured.
func loadStories(cfg config.Config, report skipReport, opts ...openOption) ([]*corpus.Story, error) {
	if cfg.CorpusDir == "" {
		return corpus.Builtin(), nil
	}
	info, err := os.Stat(cfg.CorpusDir)
	if err != nil {
		return nil, fmt.Errorf("corpus directory %s: %w", cfg.CorpusDir, errors.Unwrap(err))
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("corpus %s is not a directory", cfg.CorpusDir)
	}
	stories, skipped, err := corpus.LoadDir(cfg.CorpusDir)
	if err != nil {
		return nil, fmt.Errorf("reading corpus %s: %w", cfg.CorpusDir, err)
	}
	for _, s := range skipped {
		report(s)
	}
	if len(stories) == 0 && !slices.Contains(opts, emptyCorpusOK) {
		return nil, fmt.Errorf("corpus %s %w", cfg.CorpusDir, errNoStories)
	}
	return stories, nil
}

// openEngine opens the persistent index when one is configured (building
// it from the corpus if it does not exist yet) and otherwise indexes the
// corpus, or the built-in story, in memory.
func openEngine(cfg config.Config, report skipReport, opts ...openOption) (*answer.Engine, error) {
	if cfg.IndexDir != "" {
		if _, err := os.Stat(cfg.IndexDir); err == nil || cfg.CorpusDir != "" {
			ix, err := index.OpenOrBuild(cfg.IndexDir, func() ([]*corpus.Story, error) {
				if cfg.CorpusDir == "" {
					return nil, fmt.Errorf("no index in %s: build it with 'storybot index --corpus DIR --index %s'", cfg.IndexDir, cfg.IndexDir)
				}
				return loadStories(cfg, report, opts...)
			})
			if err != nil {
				return nil, fmt.Errorf("index %s: %w", cfg.IndexDir, err)
			}
			return answer.New(ix), nil
		}
		return nil, fmt.Errorf("index directory %s does not exist: build it with 'storybot index --corpus DIR --index %s'", cfg.IndexDir, cfg.IndexDir)
	}
	stories, err := loadStories(cfg, report, opts...)
	if err != nil {
		return nil, err
	}
	ix, err := index.NewMemory(stories)
	if err != nil {
		return nil, err
	}
	return answer.New(ix), nil
}

// engine loads the settings, lets the flags override them, and opens the
// answering engine they describe. The caller closes its index.
func (c *common) engine(env *cliEnv) (*answer.Engine, config.Config, error) {
	cfg, err := c.settings(env)
	if err != nil {
		return nil, cfg, err
	}
	eng, err := openEngine(cfg, printSkipped(env.stderr))
	return eng, cfg, err
}
