package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"runtime/debug"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/storybot/storybot/index/answer"
)

// UserError is an error whose message is meant for the person who asked.
type UserError struct{ Msg string }

func (e UserError) Error() string { return e.Msg }

// Errors turns any error or panic into a short ephemeral message, and
// marks the response with the reason (Response.Failure) for Account to
// log and count. The user never sees a stack trace; the log does.
func Errors(log *slog.Logger) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, r Request) (resp Response, err error) {
			defer func() {
				if p := recover(); p != nil {
					log.Error("handler panicked", "command", commandLabel(r), "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
					resp, err = errorResponse(r, errors.New("panic")), nil
					resp.Failure = ReasonPanic
				}
			}()
			resp, err = next(ctx, r)
			if err == nil {
				return resp, nil
			}
			resp = errorResponse(r, err)
			resp.Failure, resp.cause = reasonOf(err), err
			return resp, nil
		}
	}
}

func errorResponse(r Request, err error) Response {
	if r.Type == Autocomplete {
		return Response{Choices: nil}
	}
	var ue UserError
	msg := "Sorry, something went wrong while answering that. Please try again in a moment."
	switch {
	case errors.As(err, &ue):
		msg = ue.Msg
	case errors.Is(err, answer.ErrNoQuestion):
		msg = "Please ask a question with at least one word in it."
	case errors.Is(err, answer.ErrTooComplex):
		msg = "That question has too many words or quoted parts to look up. Please shorten it."
	case errors.Is(err, answer.ErrUnknownStory):
		msg = "I don't know that story. Pick one from the list that appears as you type the story option, or use /stories."
	case errors.Is(err, errUnknown):
		msg = "I don't know that command. Try /ask, /who-said or /when."
	case errors.Is(err, errBusy):
		msg = "I'm answering a lot of questions right now. Please try again in a moment."
	case errors.Is(err, context.DeadlineExceeded):
		msg = "That took too long to look up. Try a more specific question, or choose a story."
	}
	return Response{Content: msg, Ephemeral: true}
}

// Timeout bounds every handler, so a slow search gives a polite error
// instead of a response Discord has stopped waiting for. Moderator commands
// are exempt: a reindex takes minutes, and shows its progress meanwhile.
func Timeout(d time.Duration) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, r Request) (Response, error) {
			if r.Type == Command && moderatorCommand[r.Command] {
				return next(ctx, r)
			}
			ctx, cancel := context.WithTimeout(ctx, d)
			defer cancel()
			return next(ctx, r)
		}
	}
}

// RateLimit allows each user perUser requests a second and each channel
// perChannel, with small bursts. Autocomplete is exempt: it fires on every
// keystroke and cannot show a note anyway.
func RateLimit(perUser, perChannel float64) Middleware {
	users := newLimiters(rate.Limit(perUser), max(3, int(math.Ceil(perUser))))
	channels := newLimiters(rate.Limit(perChannel), max(10, int(math.Ceil(perChannel))))
	return func(next Handler) Handler {
		return func(ctx context.Context, r Request) (Response, error) {
			if r.Type != Autocomplete {
				// Limits are about real time, not the request's clock.
				now := time.Now()
				if !users.allow(r.User, now) || !channels.allow(r.Channel, now) {
					return Response{
						Content:   "You're asking faster than I can look things up. Please wait a few seconds and try again.",
						Ephemeral: true, Throttled: true, Failure: ReasonThrottled,
					}, nil
				}
			}
			return next(ctx, r)
		}
	}
}

// limiters keeps one token bucket per key and forgets idle ones, so a bot
// in many servers does not grow a limiter for everyone who ever spoke.
type limiters struct {
	mu    sync.Mutex
	limit rate.Limit
	burst int
	m     map[string]*limiterEntry
	swept time.Time
}

type limiterEntry struct {
	l    *rate.Limiter
	seen time.Time
}

func newLimiters(l rate.Limit, burst int) *limiters {
	return &limiters{limit: l, burst: burst, m: map[string]*limiterEntry{}}
}

func (ls *limiters) allow(key string, now time.Time) bool {
	if key == "" {
		return true
	}
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if now.Sub(ls.swept) > 10*time.Minute {
		for k, e := range ls.m {
			// An idle bucket has refilled; dropping it changes nothing.
			if now.Sub(e.seen) > 10*time.Minute {
				delete(ls.m, k)
			}
		}
		ls.swept = now
	}
	e := ls.m[key]
	if e == nil {
		e = &limiterEntry{l: rate.NewLimiter(ls.limit, ls.burst)}
		ls.m[key] = e
	}
	e.seen = now
	return e.l.AllowN(now, 1)
}
