package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/storybot/storybot/config"
)

// common are the flags that choose the stories and the index.
type common struct {
	corpus string
	index  string
	story  string
	json   bool
	n      int
}

func newFlags(name string, env *cliEnv) *flag.FlagSet {
	fs := flag.NewFlagSet("storybot "+name, flag.ContinueOnError)
	// The flag package prints the whole usage on every mistake, on the
	// same output as -h; a mistake gets one line on stderr instead (see
	// run), and only -h prints the flag list (see parseArgs).
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

func (c *common) corpusFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.corpus, "corpus", "", "directory of stories to read (default: $STORYBOT_CORPUS, else the built-in story)")
	fs.StringVar(&c.index, "index", "", "directory of the persistent index (default: $STORYBOT_INDEX, else in memory)")
}

func (c *common) answerFlags(fs *flag.FlagSet) {
	c.corpusFlags(fs)
	fs.StringVar(&c.story, "story", "", "search only this story (its file name)")
	fs.BoolVar(&c.json, "json", false, "print the answer object as JSON")
	fs.IntVar(&c.n, "n", 3, "how many passages to return")
}

// parseArgs parses flags wherever they stand among the positional
// arguments, so that `storybot ask "…" --story x.txt` works as people type it.
func parseArgs(env *cliEnv, fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprintf(env.stdout, "Usage of %s:\n", fs.Name())
				fs.SetOutput(env.stdout)
				fs.PrintDefaults()
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// settings loads the configuration and lets flags override it.
func (c *common) settings(env *cliEnv) (config.Config, error) {
	cfg, err := config.Load(env.envFile)
	if err != nil {
		return cfg, fmt.Errorf("configuration: %w", err)
	}
	if c.corpus != "" {
		cfg.CorpusDir = c.corpus
	}
	if c.index != "" {
		cfg.IndexDir = c.index
	}
	return cfg, nil
}

func joinArgs(pos []string) string { return strings.TrimSpace(strings.Join(pos, " ")) }
