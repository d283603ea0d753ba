package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/storybot/storybot/config"
	"github.com/storybot/storybot/index"
)

// common are the flags that choose the stories and the index.
type common struct {
	corpus     string
	index      string
	collection string
	story      string
	json       bool
	n          int
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

// corpusFlags are the directories of commands that read the stories: both
// are optional, and without them the built-in story is indexed in memory.
func (c *common) corpusFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.corpus, "corpus", "", "read the stories (.txt, .md) in `DIR` (default: $STORYBOT_CORPUS, else the built-in story)")
	fs.StringVar(&c.index, "index", "", "open the persistent index in `DIR` (default: $STORYBOT_INDEX, else the stories are indexed in memory)")
	c.collectionFlag(fs, "read the collection `NAME`: "+index.Shared+" (the shared library), or a Discord server's ID, whose stories are read together with the shared library")
}

func (c *common) collectionFlag(fs *flag.FlagSet, usage string) {
	fs.StringVar(&c.collection, "collection", index.Shared, usage)
}

// checkCollection refuses a --collection that names no collection.
func (c *common) checkCollection() error {
	if !index.ValidCollection(c.collection) {
		return usageError{fmt.Sprintf("--collection %q: want %s or a Discord server's ID", c.collection, index.Shared)}
	}
	return nil
}

// storeFlags are the directories of commands that change the corpus and
// the index together: index, add and remove need both.
func (c *common) storeFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.corpus, "corpus", "", "the stories are kept in `DIR` (or $STORYBOT_CORPUS; with $STORYBOT_DATABASE_URL, in the database)")
	fs.StringVar(&c.index, "index", "", "the persistent index is kept in `DIR` (or $STORYBOT_INDEX; without one, the running bot indexes the change)")
	c.collectionFlag(fs, "change the collection `NAME`: "+index.Shared+" (the shared library), or a Discord server's ID")
}

// rebuildFlags are index's: like storeFlags, but it needs the index.
func (c *common) rebuildFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.corpus, "corpus", "", "the stories are kept in `DIR` (or $STORYBOT_CORPUS); with $STORYBOT_DATABASE_URL, the flag's DIR is copied into the database first")
	fs.StringVar(&c.index, "index", "", "build the index in `DIR` (required, or $STORYBOT_INDEX; with $STORYBOT_DATABASE_URL, every process rebuilds its own)")
	c.collectionFlag(fs, "rebuild the collection `NAME`: "+index.Shared+" (the shared library), or a Discord server's ID")
}

func (c *common) answerFlags(fs *flag.FlagSet) {
	c.corpusFlags(fs)
	fs.StringVar(&c.story, "story", "", "search only the story `NAME` (its file name, as 'storybot stories' lists it)")
	fs.BoolVar(&c.json, "json", false, "print the answer object as JSON (offsets in it count bytes of the passage text)")
	fs.IntVar(&c.n, "n", 3, "how many passages to return, 1 to 20")
}

// parseArgs parses flags wherever they stand among the positional
// arguments, so that `storybot ask "…" --story x.txt` works as people type it.
func parseArgs(env *cliEnv, fs *flag.FlagSet, args []string) ([]string, error) {
	if env.describe != nil {
		*env.describe = fs
		return nil, errDescribed
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				printHelp(env.stdout, fs)
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

// printHelp prints the help page of the command that fs belongs to.
func printHelp(w io.Writer, fs *flag.FlagSet) {
	name := strings.TrimPrefix(fs.Name(), "storybot ")
	c := lookupCommand(name)
	if c == nil {
		c = &command{name: name} // a command missing from the table still gets its flags shown
	}
	helpPage(w, c, fs)
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
	return seedFirstStart(cfg, newLogger(cfg, env)), nil
}

// noArgs refuses the positional arguments of a command that takes none:
// ignored, "storybot index other/dir" would index what it was not asked to.
func noArgs(command string, pos []string, hint string) error {
	if len(pos) == 0 {
		return nil
	}
	return usageError{fmt.Sprintf("%s takes no arguments, got %q%s", command, pos[0], hint)}
}

func joinArgs(pos []string) string { return strings.TrimSpace(strings.Join(pos, " ")) }
