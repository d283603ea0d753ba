package bot

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/storybot/storybot/index/answer"
)

// Why a request got no answer: the reason label of
// storybot_answer_failures_total. A fixed set, so that no request can
// grow the metric's label values.
const (
	ReasonError     = "error"     // the handler failed
	ReasonPanic     = "panic"     // the handler panicked
	ReasonTimeout   = "timeout"   // the handler ran out of time
	ReasonThrottled = "throttled" // a rate limit refused it
	ReasonBusy      = "busy"      // no answer slot came free in time
	ReasonInvalid   = "invalid"   // the request cannot be answered as asked
	ReasonUnknown   = "unknown"   // a command, button or interaction type the bot does not know
	ReasonDelivery  = "delivery"  // the answer was made but could not be sent
	ReasonProgress  = "progress"  // a progress note could not be shown
)

// FailureRecorder counts requests that got no answer. *metrics.Metrics is
// one; a Recorder that is one too gets the failures.
type FailureRecorder interface {
	Failed(command, reason string)
}

// errUnknown is a request no handler serves.
var errUnknown = errors.New("no handler for this request")

// errBusy is a request that waited for an answer slot until its time ran out.
var errBusy = errors.New("no answer slot came free in time")

// reasonOf classifies a handler's error.
func reasonOf(err error) string {
	var ue UserError
	switch {
	case errors.Is(err, errUnknown):
		return ReasonUnknown
	case errors.Is(err, errBusy):
		return ReasonBusy
	case errors.As(err, &ue), errors.Is(err, answer.ErrNoQuestion), errors.Is(err, answer.ErrUnknownStory),
		errors.Is(err, answer.ErrTooComplex):
		return ReasonInvalid
	case errors.Is(err, context.DeadlineExceeded):
		return ReasonTimeout
	}
	return ReasonError
}

// commandLabel names r's command for metrics: one of the bot's own
// commands, the prefix of one of its buttons or forms ("more" for any
// other), "autocomplete", or "unknown", so a forged command name never
// becomes a label value.
func commandLabel(r Request) string {
	switch {
	case r.Type == Autocomplete:
		return "autocomplete"
	case r.Type == Component || r.Type == Modal:
		if p := buttonPrefix(r.CustomID); pagePrefixes[p] {
			return p
		}
		return morePrefix
	case knownCommand[r.Command]:
		return r.Command
	}
	return ReasonUnknown
}

var knownCommand = func() map[string]bool {
	m := map[string]bool{cmdHelp: true}
	for _, c := range Commands() {
		m[c.Name] = true
	}
	return m
}()

// failureLevel is how loud each kind of failure is in the log: the bot's
// own faults are errors; what users and Discord cause, warnings; the
// everyday refusals, information.
func failureLevel(reason string) slog.Level {
	switch reason {
	case ReasonError, ReasonPanic, ReasonDelivery:
		return slog.LevelError
	case ReasonInvalid, ReasonThrottled:
		return slog.LevelInfo
	}
	return slog.LevelWarn
}

// failures logs and counts requests that got no answer.
type failures struct {
	log *slog.Logger
	rec FailureRecorder // nil: only logged
}

func (f failures) record(ctx context.Context, r Request, reason string, err error, attrs ...any) {
	cmd := commandLabel(r)
	if f.rec != nil {
		f.rec.Failed(cmd, reason)
	}
	attrs = append(attrs, "command", cmd, "reason", reason, "type", r.Type.String(), "user_id", r.User, "guild", r.Guild, "channel", r.Channel)
	if err != nil {
		attrs = append(attrs, "err", err)
	}
	f.log.Log(ctx, failureLevel(reason), "no answer", attrs...)
}

// Account logs and counts every request that ends without an answer, for
// whatever reason the middleware inside it gave (Response.Failure). It is
// the outermost middleware, so nothing escapes it.
func Account(log *slog.Logger, rec FailureRecorder) Middleware {
	f := failures{log: log, rec: rec}
	return func(next Handler) Handler {
		return func(ctx context.Context, r Request) (Response, error) {
			start := time.Now()
			resp, err := next(ctx, r)
			if resp.Failure != "" {
				f.record(ctx, r, resp.Failure, resp.cause, "took", time.Since(start).Round(time.Millisecond).String())
			}
			return resp, err
		}
	}
}
