package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storybot/storybot/config"
	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

func TestSeedOnlyOnFirstStart(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := config.Defaults()
	cfg.SeedBuiltin = true
	cfg.CorpusDir, cfg.IndexDir = filepath.Join(t.TempDir(), "stories"), filepath.Join(t.TempDir(), "index")

	// Not asked to: nothing is written.
	off := cfg
	off.SeedBuiltin = false
	seedFirstStart(off, log)
	if _, err := os.Stat(off.CorpusDir); !os.IsNotExist(err) {
		t.Fatalf("seeded without STORYBOT_SEED_BUILTIN: %v", err)
	}
	// First start: the built-in story is written.
	if got := seedFirstStart(cfg, log); got.CorpusDir != cfg.CorpusDir {
		t.Fatalf("the corpus moved to %q", got.CorpusDir)
	}
	name := corpus.Builtin()[0].ID
	if _, err := os.Stat(filepath.Join(cfg.CorpusDir, name)); err != nil {
		t.Fatal(err)
	}
	// Once an index is built, an emptied corpus stays empty.
	sess, err := openSession(context.Background(), cfg, index.Shared, func(corpus.Skipped) {})
	if err != nil {
		t.Fatal(err)
	}
	sess.Close()
	os.Remove(filepath.Join(cfg.CorpusDir, name))
	seedFirstStart(cfg, log)
	if _, err := os.Stat(filepath.Join(cfg.CorpusDir, name)); !os.IsNotExist(err) {
		t.Errorf("re-seeded a corpus that was emptied after the first start: %v", err)
	}
	// A directory that holds stories is never touched.
	full := t.TempDir()
	os.WriteFile(filepath.Join(full, "mine.txt"), []byte("Mine\n\nA paragraph.\n"), 0o644)
	cfg.CorpusDir, cfg.IndexDir = full, filepath.Join(t.TempDir(), "index2")
	seedFirstStart(cfg, log)
	if _, err := os.Stat(filepath.Join(full, name)); !os.IsNotExist(err) {
		t.Errorf("seeded a corpus that had a story: %v", err)
	}
}

// When the corpus cannot be written, the stories are the built-in one in
// memory, and the log says why.
func TestSeedFallsBackToTheBuiltinStory(t *testing.T) {
	var logs lockedBuffer
	// Tests run as root, whom permissions do not stop; a link to nowhere
	// is a corpus that reads as empty and cannot be created.
	stories := filepath.Join(t.TempDir(), "stories")
	if err := os.Symlink(filepath.Join(t.TempDir(), "gone", "stories"), stories); err != nil {
		t.Fatal(err)
	}
	cfg := config.Defaults()
	cfg.SeedBuiltin = true
	cfg.CorpusDir, cfg.IndexDir = stories, filepath.Join(t.TempDir(), "index")
	got := seedFirstStart(cfg, slog.New(slog.NewTextHandler(&logs, nil)))
	if got.CorpusDir != "" || got.IndexDir != "" {
		t.Fatalf("corpus %q, index %q; want the built-in story in memory", got.CorpusDir, got.IndexDir)
	}
	if !strings.Contains(logs.String(), `level=WARN msg="could not put the built-in story into the empty corpus; answering from it in memory"`) {
		t.Errorf("no warning: %s", logs.String())
	}
	sess, err := openSession(context.Background(), got, index.Shared, func(corpus.Skipped) {})
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if len(sess.Stories()) != 1 {
		t.Errorf("%d stories", len(sess.Stories()))
	}
}
