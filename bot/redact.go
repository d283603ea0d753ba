package bot

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/bwmarrin/discordgo"
)

// An interaction's token is in the URL of every webhook and callback
// request, and it lets whoever holds it edit the bot's message for 15
// minutes; the bot token lets them be the bot. Errors from net/http quote
// the URL, and discordgo builds every URL on https://discord.com even when
// the transport sends it to DISCORD_API_BASE. So every line the bot logs
// passes through redactingHandler, which removes both kinds of token and
// shows the base the request really went to.

const redacted = "[redacted]"

var (
	// /webhooks/{application}/{token}… and /interactions/{id}/{token}/callback.
	tokenInURL = regexp.MustCompile(`(/(?:webhooks|interactions)/[^/\s"']+/)[^/\s"'?#]+`)
	// A payload quoted whole, or the Authorization header.
	tokenField = regexp.MustCompile(`("token"\s*:\s*")[^"]*`)
	botAuth    = regexp.MustCompile(`\bBot [A-Za-z0-9._\-]{20,}`)
)

// secrets are what the redactor knows beyond the patterns: the bot token
// and the API base, learnt when the bot connects.
type secrets struct {
	mu     sync.RWMutex
	tokens []string
	base   string // "" while requests go to discord.com itself
}

func (s *secrets) connect(c Connection) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := strings.TrimPrefix(c.Token, "Bot "); t != "" && len(t) >= 8 {
		s.tokens = append(s.tokens, t)
	}
	if b := strings.TrimRight(c.APIBase, "/"); b != "" && b != "https://"+discordHost {
		s.base = b
	}
}

// redact removes tokens from s and names the real API base.
func (s *secrets) redact(v string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, t := range s.tokens {
		v = strings.ReplaceAll(v, t, redacted)
	}
	v = tokenInURL.ReplaceAllString(v, "${1}"+redacted)
	v = tokenField.ReplaceAllString(v, "${1}"+redacted)
	v = botAuth.ReplaceAllString(v, "Bot "+redacted)
	if s.base != "" {
		v = strings.ReplaceAll(v, "https://"+discordHost+"/", s.base+"/")
	}
	return v
}

// redactErr gives err the message redact makes of it, for the errors that
// leave the bot for its caller to print, which no log handler sees: they
// must not show the token, and must name the API base requests went to,
// not discord.com, which discordgo writes in every URL.
func (s *secrets) redactErr(err error) error {
	if err == nil {
		return nil
	}
	if msg := s.redact(err.Error()); msg != err.Error() {
		return redactedError{msg, err}
	}
	return err
}

// redactedError reads as its redacted message and unwraps to the error.
type redactedError struct {
	msg string
	err error
}

func (e redactedError) Error() string { return e.msg }
func (e redactedError) Unwrap() error { return e.err }

// redactingHandler redacts the message and every attribute of each record
// before next sees it.
type redactingHandler struct {
	next slog.Handler
	s    *secrets
}

func (h redactingHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h redactingHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, h.s.redact(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h redactingHandler) WithAttrs(as []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(as))
	for i, a := range as {
		clean[i] = h.attr(a)
	}
	return redactingHandler{next: h.next.WithAttrs(clean), s: h.s}
}

func (h redactingHandler) WithGroup(name string) slog.Handler {
	return redactingHandler{next: h.next.WithGroup(name), s: h.s}
}

func (h redactingHandler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, h.s.redact(v.String()))
	case slog.KindGroup:
		g := v.Group()
		clean := make([]any, len(g))
		for i, x := range g {
			clean[i] = h.attr(x)
		}
		return slog.Group(a.Key, clean...)
	case slog.KindAny:
		// Errors and other values are shown as text anyway; a value
		// whose text needs nothing removed keeps its own form.
		x := v.Any()
		err, isErr := x.(error)
		text := fmt.Sprint(x)
		if isErr {
			text = err.Error()
		}
		if clean := h.s.redact(text); clean != text || isErr {
			return slog.String(a.Key, clean)
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}

// discordgo logs some gateway trouble itself, through one package-wide
// hook; it goes to the redacting log of the bot that connected last.
var (
	discordgoLog  atomic.Pointer[slog.Logger]
	discordgoOnce sync.Once
)

func routeDiscordgoLog(l *slog.Logger) {
	discordgoLog.Store(l)
	discordgoOnce.Do(func() {
		discordgo.Logger = func(level, _ int, format string, a ...any) {
			if l := discordgoLog.Load(); l != nil {
				lv := slog.LevelError
				switch level {
				case discordgo.LogWarning:
					lv = slog.LevelWarn
				case discordgo.LogInformational:
					lv = slog.LevelInfo
				case discordgo.LogDebug:
					lv = slog.LevelDebug
				}
				l.Log(context.Background(), lv, "discordgo: "+fmt.Sprintf(format, a...))
			}
		}
	})
}

// connected tells the bot's log what to redact for c, and takes
// discordgo's own log lines.
func (b *Bot) connected(c Connection) {
	b.secrets.connect(c)
	routeDiscordgoLog(b.log)
	if c.Token != "" {
		// Every replica has the token, so each checks the others' buttons.
		SetButtonKey(c.Token)
	}
}
