package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/storybot/storybot/config"
	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/corpus/fetch"
	"github.com/storybot/storybot/index"
)

// addCommand checks the story before touching anything, so a refused one
// leaves corpus and index as they were; then it saves the file (the corpus
// is what a reindex reads) and only then indexes it.
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
	cfg, err := moderationSettings(&c, env)
	if err != nil {
		return err
	}
	src := pos[0]
	up, err := prepare(ctx, cfg, src, *name)
	if err != nil {
		return fmt.Errorf("%s: %w", src, err)
	}
	ix, fresh, err := openIndex(cfg.IndexDir)
	if err != nil {
		return err
	}
	defer ix.Close()
	path, err := up.Save(cfg.CorpusDir)
	if err != nil {
		return err
	}
	st := up.Story
	if fresh {
		stories, err := loadStories(cfg, printSkipped(env.stderr))
		if err != nil {
			return fmt.Errorf("saved %s, but building the index failed: %w", path, err)
		}
		stats, err := ix.Rebuild(ctx, stories, nil)
		if err != nil {
			return fmt.Errorf("saved %s, but building the index failed: %w", path, err)
		}
		fmt.Fprintf(env.stdout, "added %s: %s; built the index with %d stories\n", st.ID, describe(st), stats.Stories)
		return nil
	}
	verb := "added"
	if _, ok := ix.Story(st.ID); ok {
		verb = "replaced"
	}
	if err := ix.AddStory(ctx, st); err != nil {
		return fmt.Errorf("saved %s, but indexing it failed (run 'storybot index' to pick it up): %w", path, err)
	}
	fmt.Fprintf(env.stdout, "%s %s: %s\n", verb, st.ID, describe(st))
	return nil
}

// removeCommand deletes the file first: the corpus is what a reindex
// reads, so a crash between the two steps cannot bring the story back.
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
	cfg, err := moderationSettings(&c, env)
	if err != nil {
		return err
	}
	id := pos[0]
	if err := corpus.CheckID(id); err != nil {
		return err
	}
	ix, fresh, err := openIndex(cfg.IndexDir)
	if err != nil {
		return err
	}
	defer ix.Close()
	fileErr := corpus.Remove(cfg.CorpusDir, id)
	if fileErr != nil && !errors.Is(fileErr, corpus.ErrNoSuchStory) {
		return fmt.Errorf("%s: %w", id, fileErr)
	}
	indexed := false
	if !fresh {
		if indexed, err = ix.RemoveStory(ctx, id); err != nil {
			return fmt.Errorf("removed %s from the corpus, but not from the index: %w", id, err)
		}
	}
	switch {
	case fileErr == nil && indexed:
		fmt.Fprintf(env.stdout, "removed %s from the corpus and the index\n", id)
	case fileErr == nil:
		fmt.Fprintf(env.stdout, "removed %s from the corpus (it was not in the index)\n", id)
	case indexed:
		fmt.Fprintf(env.stdout, "removed %s from the index (its file was already gone)\n", id)
	default:
		return fmt.Errorf("there is no story %q in %s or in the index", id, cfg.CorpusDir)
	}
	return nil
}

// moderationSettings are settings that must name both directories: add and
// remove change the corpus and the index together.
func moderationSettings(c *common, env *cliEnv) (config.Config, error) {
	cfg, err := c.settings(env)
	if err != nil {
		return cfg, err
	}
	if cfg.CorpusDir == "" {
		return cfg, usageError{"say where the stories are kept with --corpus DIR (or STORYBOT_CORPUS)"}
	}
	if cfg.IndexDir == "" {
		return cfg, usageError{"say where the index is with --index DIR (or STORYBOT_INDEX)"}
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

// openIndex opens the persistent index; fresh means none was built there
// yet, and ix is then ready for Rebuild.
func openIndex(dir string) (ix *index.Index, fresh bool, err error) {
	ix, err = index.Open(dir)
	switch {
	case errors.Is(err, index.ErrNoIndex):
		return ix, true, nil
	case errors.Is(err, index.ErrLocked):
		return nil, false, fmt.Errorf("index %s is in use, probably by the running bot: "+
			"use /add-story or /remove-story there, or stop the bot first", dir)
	case err != nil:
		return nil, false, fmt.Errorf("index %s: %w", dir, err)
	}
	return ix, false, nil
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
