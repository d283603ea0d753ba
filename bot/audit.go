package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/storybot/storybot/index/library"
)

// Audit writes one line for every moderator action, whatever its result:
// who (user ID and name), when it was asked, what (the command and its
// target), the result, and what the handler noted (counts, the story).
// It is outside the moderator check, so refusals are on record too. With a
// library whose store keeps an audit log (PostgreSQL), the action is also
// recorded there, for every process to see.
func Audit(log *slog.Logger, lib *library.Library) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, r Request) (Response, error) {
			start := time.Now()
			note := &auditNote{}
			resp, err := next(context.WithValue(ctx, auditKey{}, note), r)
			attrs := []any{
				"user_id", r.User, "user", r.UserName, "guild", r.Guild, "channel", r.Channel,
				"asked_at", r.Now.UTC().Format(time.RFC3339Nano), "action", r.Command,
			}
			keys := make([]string, 0, len(r.Options))
			for k := range r.Options {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				v := r.Options[k]
				if a, ok := r.Attachments[v]; ok {
					v = a.Filename
				}
				attrs = append(attrs, "option_"+k, v)
			}
			result, level := "ok", slog.LevelInfo
			var o outcome
			switch {
			case err == nil:
			case errors.As(err, &o):
				result, level = o.result, slog.LevelWarn
				if o.cause != nil {
					attrs = append(attrs, "err", o.cause.Error())
				}
			default:
				result, level = "failed", slog.LevelError
				attrs = append(attrs, "err", err.Error())
			}
			attrs = append(attrs, "result", result, "took", time.Since(start).Round(time.Millisecond).String())
			attrs = append(attrs, note.get()...)
			log.Log(ctx, level, "moderator action", attrs...)
			if lib != nil {
				opts := make(map[string]string, len(r.Options))
				for _, k := range keys {
					v := r.Options[k]
					if a, ok := r.Attachments[v]; ok {
						v = a.Filename
					}
					opts[k] = v
				}
				e := library.AuditEntry{At: r.Now, Collection: r.Guild, Actor: actor(r), Action: r.Command,
					Options: opts, Result: result, Detail: fmt.Sprint(note.get()...)}
				// A record that cannot be written is logged, not shown:
				// the action itself is done or refused already.
				if aerr := lib.Audit(context.WithoutCancel(ctx), e); aerr != nil {
					log.Error("writing the audit record", "action", r.Command, "err", aerr)
				}
			}
			return resp, err
		}
	}
}

type auditKey struct{}

// auditNote collects what a handler wants on its audit line.
type auditNote struct {
	mu    sync.Mutex
	attrs []any
}

func (n *auditNote) get() []any {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.attrs
}

// noteAudit adds key-value pairs to the request's audit line.
func noteAudit(ctx context.Context, kv ...any) {
	if n, ok := ctx.Value(auditKey{}).(*auditNote); ok {
		n.mu.Lock()
		n.attrs = append(n.attrs, kv...)
		n.mu.Unlock()
	}
}
