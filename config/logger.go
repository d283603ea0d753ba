package config

import (
	"io"
	"log/slog"
)

// Logger returns the structured logger the settings ask for: JSON lines
// for log collectors when STORYBOT_LOG_FORMAT=json, readable text otherwise.
func (c Config) Logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
