package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/storybot/storybot/config"
	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/corpus/fetch"
	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/library"
)

// addCommand checks the story before touching anything, so a refused one
// leaves the stories as they were; then the library saves it and indexes it.
func addCommand(ctx context.Context, env *cliEnv, args []string) error {
	var c common
	fs := newFlags("add", env)
	c.storeFlags(fs)
	name := fs.String("name", "", "file name to save the story under (default: the file's or the page's)")
	pos, err := parseArgs(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"say which story to add: storybot add FILE|URL"}
	}
	cfg, err := storeSettings(&c, env)
	if err != nil {
		return err
	}
	if err := c.checkCollection(); err != nil {
		return err
	}
	src := pos[0]
	up, err := prepare(ctx, cfg, src, *name)
	if err != nil {
		return fmt.Errorf("%s: %w", src, err)
	}
	w, err := openWriter(ctx, cfg, c.collection)
	if err != nil {
		return err
	}
	defer w.lib.Close()
	res, err := w.lib.Add(ctx, c.collection, operator(), up)
	if err != nil && res.Story == nil {
		return storeError(err)
	}
	verb := "added"
	if res.Replaced {
		verb = "replaced"
	}
	fmt.Fprintf(env.stdout, "%s %s%s: %s%s\n", verb, res.Story.ID, w.in(), describe(res.Story), w.note())
	if err != nil {
		return fmt.Errorf("saved %s, but indexing it failed (the next 'storybot index' or start picks it up): %w", res.Story.ID, err)
	}
	return nil
}

// removeCommand takes a story out; it stays restorable for a while.
func removeCommand(ctx context.Context, env *cliEnv, args []string) error {
	var c common
	fs := newFlags("remove", env)
	c.storeFlags(fs)
	pos, err := parseArgs(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"say which story to remove: storybot remove NAME (see 'storybot stories')"}
	}
	cfg, err := storeSettings(&c, env)
	if err != nil {
		return err
	}
	if err := c.checkCollection(); err != nil {
		return err
	}
	id := pos[0]
	if err := corpus.CheckID(id); err != nil {
		return err
	}
	w, err := openWriter(ctx, cfg, c.collection)
	if err != nil {
		return err
	}
	defer w.lib.Close()
	if _, err := w.lib.Remove(ctx, c.collection, operator(), id); err != nil {
		if errors.Is(err, library.ErrNotFound) {
			return fmt.Errorf("there is no story %q in %s", id, w.where())
		}
		return storeError(err)
	}
	fmt.Fprintf(env.stdout, "removed %s%s; 'storybot restore %s' brings it back within %s%s\n",
		id, w.in(), id, library.FormatKeep(cfg.RestoreWindow), w.note())
	return nil
}

// restoreCommand brings back a removed or replaced story.
func restoreCommand(ctx context.Context, env *cliEnv, args []string) error {
	var c common
	fs := newFlags("restore", env)
	c.storeFlags(fs)
	list := fs.Bool("list", false, "list the stories that can be restored, newest first")
	pos, err := parseArgs(env, fs, args)
	if err != nil {
		return err
	}
	if (len(pos) == 1) == *list || len(pos) > 1 {
		return usageError{"say which story to restore: storybot restore NAME|KEY, or list them with storybot restore --list"}
	}
	cfg, err := storeSettings(&c, env)
	if err != nil {
		return err
	}
	if err := c.checkCollection(); err != nil {
		return err
	}
	w, err := openWriter(ctx, cfg, c.collection)
	if err != nil {
		return err
	}
	defer w.lib.Close()
	if *list {
		removed, err := w.lib.Removed(ctx, c.collection)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "KEY\tSTORY\tWHEN\tWHAT\tBY")
		for _, r := range removed {
			what := "removed"
			if r.Replace {
				what = "replaced"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Key, r.ID, r.At.Local().Format("2006-01-02 15:04"), what, r.By)
		}
		return tw.Flush()
	}
	r, err := w.lib.Restore(ctx, c.collection, operator(), pos[0])
	if err != nil {
		if errors.Is(err, library.ErrNotFound) {
			return fmt.Errorf("no removed story %q can be restored in %s ('storybot restore --list' lists them)", pos[0], w.where())
		}
		return storeError(err)
	}
	fmt.Fprintf(env.stdout, "restored %s%s as it was on %s%s\n", r.ID, w.in(), r.At.Local().Format("2006-01-02 15:04"), w.note())
	return nil
}

// operator is who the CLI's changes are recorded as.
func operator() library.Actor {
	name := "storybot CLI"
	if u, err := user.Current(); err == nil {
		name += " (" + u.Username + ")"
	}
	return library.Actor{Name: name}
}

func storeError(err error) error {
	var qe *library.QuotaError
	var be *library.BusyError
	switch {
	case errors.As(err, &qe):
		return qe
	case errors.As(err, &be):
		return errors.New("another change to these stories is running; try again when it is done")
	case errors.Is(err, library.ErrReadOnly):
		return fmt.Errorf("%w: say where the stories are kept with --corpus DIR or STORYBOT_DATABASE_URL", err)
	}
	return err
}

// writer is a library opened to change one collection.
type writer struct {
	lib *library.Library
	cfg config.Config
	col string
	// busy is set when the index is held by another process (the running
	// bot), which follows the store and makes the change in its index.
	busy bool
}

// openWriter opens the library to change col: with the configured index
// when there is one, so that the change is indexed at once, or without,
// when another process (the running bot) holds it and follows the store.
func openWriter(ctx context.Context, cfg config.Config, col string) (*writer, error) {
	quiet := slog.New(slog.DiscardHandler)
	store, err := openStore(ctx, cfg, quiet)
	if err != nil {
		return nil, err
	}
	lc := libraryConfig(cfg, store, quiet)
	lc.NoIndex = cfg.IndexDir == ""
	lib, err := library.Open(ctx, lc, col)
	w := &writer{lib: lib, cfg: cfg, col: col}
	if errors.Is(err, index.ErrLocked) {
		lc.NoIndex, w.busy = true, true
		lib, err = library.Open(ctx, lc)
		w.lib = lib
	}
	if err != nil {
		store.Close()
		return nil, fmt.Errorf("index %s: %w", cfg.IndexDir, err)
	}
	return w, nil
}

func (w *writer) where() string {
	if w.col == index.Shared {
		return "the shared library"
	}
	return "collection " + w.col
}

func (w *writer) in() string {
	if w.col == index.Shared {
		return ""
	}
	return " in collection " + w.col
}

// note says where the change will be indexed when it was not indexed here.
func (w *writer) note() string {
	switch {
	case w.busy:
		return fmt.Sprintf(" (the index %s is in use by another process, probably the running bot, which picks the change up)", w.cfg.IndexDir)
	case w.cfg.IndexDir == "":
		return " (no index given: the bot and the next command with --index pick it up)"
	}
	return ""
}

// storeSettings are settings that say where the stories are kept: add,
// remove and restore change them.
func storeSettings(c *common, env *cliEnv) (config.Config, error) {
	cfg, err := c.settings(env)
	if err != nil {
		return cfg, err
	}
	if cfg.CorpusDir == "" && cfg.DatabaseURL == "" {
		return cfg, usageError{"say where the stories are kept with --corpus DIR (or STORYBOT_CORPUS, or STORYBOT_DATABASE_URL)"}
	}
	return cfg, nil
}

// prepare reads and checks the story from a file or a web page.
func prepare(ctx context.Context, cfg config.Config, src, name string) (*corpus.Upload, error) {
	var data []byte
	var fileName, pageURL string
	if isURL(src) {
		page, err := fetch.Fetch(ctx, src, fetch.Options{AllowPrivate: cfg.AllowPrivateURLs})
		if err != nil {
			return nil, err
		}
		data, fileName, pageURL = page.Body, page.FileName(), page.URL
	} else {
		var err error
		if data, err = readUpload(src); err != nil {
			return nil, err
		}
		fileName = filepath.Base(src)
	}
	if name != "" {
		// The source decides the format, so --name sets the name only.
		fileName = strings.TrimSuffix(name, filepath.Ext(name)) + filepath.Ext(fileName)
	}
	return corpus.PrepareUpload(fileName, data, pageURL)
}

// isURL tells a web address from a file path; any scheme counts, so that
// "file://…" or "ftp://…" is refused by fetch with a clear message rather
// than looked for on disk.
func isURL(s string) bool {
	scheme, _, ok := strings.Cut(s, "://")
	return ok && scheme != "" && !strings.ContainsAny(scheme, `/\.`)
}

// readUpload reads a story file, checking its size before reading it: a
// 1 GB file is refused from its size alone, and a file that grows or a
// device that never ends is cut one byte past the limit.
func readUpload(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, errors.Unwrap(err) // the path is already in the message
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return nil, errors.New("is a directory, not a story file")
	}
	if info.Size() > corpus.MaxFileSize {
		return nil, corpus.ErrTooLarge
	}
	data, err := io.ReadAll(io.LimitReader(f, corpus.MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > corpus.MaxFileSize {
		return nil, corpus.ErrTooLarge
	}
	return data, nil
}

// describe is a story in a few words for the one-line result.
func describe(st *corpus.Story) string {
	var parts []string
	parts = append(parts, fmt.Sprintf("%d paragraphs", len(st.Paragraphs)))
	if st.DateKnown() {
		parts = append(parts, st.PublishedISO())
	}
	if st.Source != "" {
		parts = append(parts, st.Source)
	}
	return fmt.Sprintf("%q (%s)", st.Headline, strings.Join(parts, ", "))
}
