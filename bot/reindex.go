package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/library"
)

// maxSkippedShown keeps the summary inside one message however many files
// were skipped; the audit line lists more, and counts them all.
const (
	maxSkippedShown  = 10
	maxSkippedLogged = 200
)

// reindex rebuilds the server's collection from the store, in every
// process. Answers keep coming from the old index until the new one is
// complete and swapped in; a failure leaves the old one serving.
func (m *moderation) reindex(ctx context.Context, r Request) (Response, error) {
	col, err := m.collection(r)
	if err != nil {
		return Response{}, err
	}
	ShowProgress(ctx, note("Reindexing: reading this server's stories…"))
	var last time.Time
	res, err := m.lib.Reindex(ctx, col, actor(r), func(done, total int) {
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
	var be *library.BusyError
	if errors.As(err, &be) {
		return Response{}, busyError(be)
	}
	m.recordReindex(res.Took, err)
	if err != nil {
		return Response{}, outcome{"failed", "The reindex failed: " + Escape(err.Error()) + ". The old index is still answering questions.", err}
	}
	skipped := res.Skipped
	noteAudit(ctx, "stories", res.Stories, "paragraphs", res.Paragraphs, "skipped", len(skipped))
	if len(skipped) > 0 {
		list := make([]string, 0, min(len(skipped), maxSkippedLogged))
		for _, s := range skipped[:min(len(skipped), maxSkippedLogged)] {
			list = append(list, s.String())
		}
		noteAudit(ctx, "skipped_files", list)
	}
	return note(reindexSummary(index.BuildStats{Stories: res.Stories, Paragraphs: res.Paragraphs}, skipped, res.Took)), nil
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
	return outcome{"refused", "No story store is configured (STORYBOT_CORPUS or STORYBOT_DATABASE_URL), so there are no stories to change or reindex.", nil}
}
