package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

// maxSkippedShown keeps the summary inside one message however many files
// were skipped; the audit line lists more, and counts them all.
const (
	maxSkippedShown  = 10
	maxSkippedLogged = 200
)

// reindex rebuilds the index from the corpus directory. Answers keep
// coming from the old index until the new one is complete and swapped in;
// a failure leaves the old one serving.
func (m *moderation) reindex(ctx context.Context, r Request) (Response, error) {
	if m.cfg.CorpusDir == "" {
		return Response{}, notConfigured()
	}
	j, err := m.begin(r)
	if err != nil {
		return Response{}, err
	}
	defer m.end()
	start := time.Now()
	ShowProgress(ctx, note("Reindexing: reading the stories in the corpus…"))
	stories, skipped, err := corpus.LoadDir(m.cfg.CorpusDir)
	if err == nil && len(stories) == 0 {
		err = errors.New("the corpus directory holds no readable stories")
	}
	if err != nil {
		m.recordReindex(time.Since(start), err)
		return Response{}, outcome{"failed", "The reindex failed: " + Escape(err.Error()) + ". The old index is still answering questions.", err}
	}
	j.total.Store(int64(len(stories)))
	var last time.Time
	stats, err := m.ix.Rebuild(ctx, stories, func(done, total int) {
		j.done.Store(int64(done))
		// Discord allows a few edits a second per message; one every
		// ProgressEvery is plenty to see it move.
		if now := time.Now(); now.Sub(last) >= m.cfg.ProgressEvery {
			last = now
			ShowProgress(ctx, note(fmt.Sprintf("Reindexing: %d/%d stories…", done, total)))
		}
		if m.cfg.progressHook != nil {
			m.cfg.progressHook(done, total)
		}
	})
	took := time.Since(start)
	if errors.Is(err, index.ErrBusy) {
		return Response{}, m.busyError()
	}
	m.recordReindex(took, err)
	if err != nil {
		return Response{}, outcome{"failed", "The reindex failed: " + Escape(err.Error()) + ". The old index is still answering questions.", err}
	}
	noteAudit(ctx, "stories", stats.Stories, "paragraphs", stats.Paragraphs, "skipped", len(skipped))
	if len(skipped) > 0 {
		list := make([]string, 0, min(len(skipped), maxSkippedLogged))
		for _, s := range skipped[:min(len(skipped), maxSkippedLogged)] {
			list = append(list, s.String())
		}
		noteAudit(ctx, "skipped_files", list)
	}
	return note(reindexSummary(stats, skipped, took)), nil
}

func reindexSummary(stats index.BuildStats, skipped []corpus.Skipped, took time.Duration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Reindexed %d stories (%d paragraphs) in %s.", stats.Stories, stats.Paragraphs, took.Round(100*time.Millisecond))
	if len(skipped) == 0 {
		b.WriteString(" No files were skipped.")
		return b.String()
	}
	fmt.Fprintf(&b, "\nSkipped %d %s:", len(skipped), plural(len(skipped), "file", "files"))
	for _, s := range skipped[:min(len(skipped), maxSkippedShown)] {
		fmt.Fprintf(&b, "\n• %s: %s", Escape(clip(s.Path, 120)), Escape(clip(s.Reason, 160)))
	}
	if n := len(skipped) - maxSkippedShown; n > 0 {
		fmt.Fprintf(&b, "\n…and %d more (the audit log lists them).", n)
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// note is a moderator's private reply.
func note(s string) Response { return Response{Content: s, Ephemeral: true} }

func notConfigured() error {
	return outcome{"refused", "No corpus directory is configured (STORYBOT_CORPUS), so there are no story files to change or reindex.", nil}
}
