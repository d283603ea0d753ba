package main

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/storybot/storybot/index"
)

// indexProgress shows a rebuild's progress on w: a progress bar on a
// terminal, and elsewhere (a log file, docker logs, a pipe) a plain line
// at every tenth of the stories, which a bar's carriage returns would
// turn into one unreadable line. quiet shows nothing. done ends the bar.
func indexProgress(w io.Writer, total int, quiet bool) (progress index.Progress, done func()) {
	if quiet {
		return nil, func() {}
	}
	if _, ok := isTerminal(w); ok {
		bar := progressbar.NewOptions(total,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription("indexing"),
			progressbar.OptionShowCount(),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionThrottle(100*time.Millisecond))
		return func(done, total int) { _ = bar.Set(done) }, func() { _ = bar.Finish() }
	}
	shown := -1
	return func(done, total int) {
		if total <= 0 {
			return
		}
		if tenth := done * 10 / total; tenth > shown {
			shown = tenth
			fmt.Fprintf(w, "indexing %d%% (%d/%d stories)\n", tenth*10, done, total)
		}
	}, func() {}
}
