package bot

import (
	"context"
	"time"
)

// Measure records every answer with rec: by command, how long it took and
// whether anything matched. Moderator commands and autocomplete are not
// answers; failures are logged by Errors instead.
func Measure(rec Recorder) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, r Request) (Response, error) {
			start := time.Now()
			resp, err := next(ctx, r)
			// Votes are not answers either.
			if err != nil || r.Type == Autocomplete || r.Type == Modal || moderatorCommand[r.Command] ||
				r.Type == Component && buttonPrefix(r.CustomID) != morePrefix {
				return resp, err
			}
			cmd := r.Command
			if r.Type == Component {
				cmd = morePrefix
			}
			rec.Answered(cmd, !resp.NoAnswer, time.Since(start))
			return resp, nil
		}
	}
}
