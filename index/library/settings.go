package library

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ChannelSettings are what a server's moderators chose for one channel.
// The zero value is the default: mentions answered, answers in the channel,
// public unless asked otherwise.
type ChannelSettings struct {
	// NoMentions: mentions of the bot (and replies to it) in the channel
	// are not answered; the slash commands still are.
	NoMentions bool `json:"no_mentions,omitempty"`
	// Thread: answers open a thread of their own, for the follow-ups.
	Thread bool `json:"thread,omitempty"`
	// Private: answers are ephemeral unless the asker says private:false.
	Private bool `json:"private,omitempty"`
	// By and At say who changed them last, and when.
	By string    `json:"by,omitempty"`
	At time.Time `json:"at,omitempty"`
}

// SettingsStore keeps channel settings where every process sees them.
type SettingsStore interface {
	ChannelSettings(ctx context.Context, guild, channel string) (ChannelSettings, error)
	SetChannelSettings(ctx context.Context, guild, channel string, s ChannelSettings) error
}

// ErrNoSettingsStore means the store keeps no settings.
var ErrNoSettingsStore = errors.New("no store is configured to keep channel settings (STORYBOT_CORPUS or STORYBOT_DATABASE_URL)")

// ChannelSettings returns a channel's settings: the defaults when none
// were set, or when the store keeps none.
func (l *Library) ChannelSettings(ctx context.Context, guild, channel string) (ChannelSettings, error) {
	ss, ok := l.store.(SettingsStore)
	if !ok {
		return ChannelSettings{}, nil
	}
	if err := checkChannel(guild, channel); err != nil {
		return ChannelSettings{}, err
	}
	return ss.ChannelSettings(ctx, guild, channel)
}

// SetChannelSettings replaces a channel's settings.
func (l *Library) SetChannelSettings(ctx context.Context, guild, channel string, s ChannelSettings) error {
	ss, ok := l.store.(SettingsStore)
	if !ok {
		return ErrNoSettingsStore
	}
	if err := checkChannel(guild, channel); err != nil {
		return err
	}
	if s.At.IsZero() {
		s.At = time.Now()
	}
	s.At = s.At.UTC()
	return ss.SetChannelSettings(ctx, guild, channel, s)
}

func checkChannel(guild, channel string) error {
	if _, err := GuildCollection(guild); err != nil {
		return err
	}
	if !validID(channel) {
		return fmt.Errorf("%q is not a channel ID", channel)
	}
	return nil
}
