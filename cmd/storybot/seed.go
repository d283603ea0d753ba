package main

import (
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/storybot/storybot/config"
	"github.com/storybot/storybot/corpus"
)

// seedFirstStart prepares a fresh deployment (STORYBOT_SEED_BUILTIN, as the
// Docker image sets it): on first start, when the index directory and the
// corpus directory are both missing or empty, it writes the built-in story
// into the corpus, so that the bot answers at once and a later /reindex or
// 'storybot index' keeps the story like any other. If the directory
// cannot be written, the stories are the built-in one in memory, and the
// log says so. Any other case is left as it is: a corpus emptied by
// moderators stays empty.
func seedFirstStart(cfg config.Config, log *slog.Logger) config.Config {
	// An index directory that holds anything at all (a lock, an index) has
	// seen a start before; its layout is the index package's business.
	if !cfg.SeedBuiltin || cfg.CorpusDir == "" || (cfg.IndexDir != "" && !emptyDir(cfg.IndexDir)) || !emptyDir(cfg.CorpusDir) {
		return cfg
	}
	var written []string
	for _, st := range corpus.Builtin() {
		up, err := corpus.PrepareUpload(st.ID, storyText(st), "")
		if err == nil {
			_, err = up.Save(cfg.CorpusDir)
		}
		if err != nil {
			log.Warn("could not put the built-in story into the empty corpus; answering from it in memory",
				"corpus", cfg.CorpusDir, "err", err)
			cfg.CorpusDir, cfg.IndexDir = "", ""
			return cfg
		}
		written = append(written, st.ID)
	}
	log.Info("first start: put the built-in story into the empty corpus", "corpus", cfg.CorpusDir, "stories", written)
	return cfg
}

// emptyDir reports whether dir is missing or holds nothing but dotfiles.
func emptyDir(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return os.IsNotExist(err)
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			return false
		}
	}
	return true
}

// storyText writes a story in the plain story format that the README
// documents (header block, headline, paragraphs), which reads back as the
// same story.
func storyText(st *corpus.Story) []byte {
	var b strings.Builder
	for _, f := range [][2]string{{"date", st.PublishedISO()}, {"source", st.Source}, {"author", st.Author}, {"url", st.URL}, {"license", st.License}} {
		if f[1] != "" {
			fmt.Fprintf(&b, "%s: %s\n", f[0], f[1])
		}
	}
	b.WriteString("---\n\n" + st.Headline)
	for _, p := range st.Paragraphs {
		b.WriteString("\n\n" + p.Text)
	}
	b.WriteString("\n")
	return []byte(b.String())
}
