package library

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/jackc/pgx/v5"

	"github.com/storybot/storybot/corpus"
)

// settingsDir holds one JSON file per server with its channels' settings.
const settingsDir = "_settings"

// guildSettings is a server's settings file.
type guildSettings struct {
	Channels map[string]ChannelSettings `json:"channels"`
}

func (f *Files) settingsPath(guild string) string {
	return filepath.Join(f.root, settingsDir, guild+".json")
}

func (f *Files) readSettings(guild string) (guildSettings, error) {
	gs := guildSettings{Channels: map[string]ChannelSettings{}}
	b, err := os.ReadFile(f.settingsPath(guild))
	if errors.Is(err, fs.ErrNotExist) {
		return gs, nil
	}
	if err != nil {
		return gs, err
	}
	if err := json.Unmarshal(b, &gs); err != nil {
		return gs, err
	}
	if gs.Channels == nil {
		gs.Channels = map[string]ChannelSettings{}
	}
	return gs, nil
}

func (f *Files) ChannelSettings(ctx context.Context, guild, channel string) (ChannelSettings, error) {
	gs, err := f.readSettings(guild)
	return gs.Channels[channel], err
}

// SetChannelSettings rewrites the server's file by write-then-rename, so a
// reader sees the old settings or the new.
func (f *Files) SetChannelSettings(ctx context.Context, guild, channel string, s ChannelSettings) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	gs, err := f.readSettings(guild)
	if err != nil {
		return err
	}
	if s == (ChannelSettings{At: s.At, By: s.By}) {
		delete(gs.Channels, channel) // back to the defaults
	} else {
		gs.Channels[channel] = s
	}
	b, err := json.MarshalIndent(gs, "", "  ")
	if err != nil {
		return err
	}
	path := f.settingsPath(guild)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return corpus.WriteFileAtomic(path, b, 0o644)
}

func (p *Postgres) ChannelSettings(ctx context.Context, guild, channel string) (ChannelSettings, error) {
	var raw []byte
	var s ChannelSettings
	err := p.pool.QueryRow(ctx, `SELECT settings FROM channel_settings WHERE guild = $1 AND channel = $2`, guild, channel).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return s, nil
	}
	if err != nil {
		return s, err
	}
	return s, json.Unmarshal(raw, &s)
}

func (p *Postgres) SetChannelSettings(ctx context.Context, guild, channel string, s ChannelSettings) error {
	raw, err := json.Marshal(s)
	if err != nil {
		return err
	}
	_, err = p.pool.Exec(ctx, `INSERT INTO channel_settings (guild, channel, settings, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (guild, channel) DO UPDATE SET settings = EXCLUDED.settings, updated_at = EXCLUDED.updated_at`, guild, channel, raw, s.At)
	return err
}
