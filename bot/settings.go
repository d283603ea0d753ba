package bot

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/storybot/storybot/index/library"
)

// CmdSettings is the moderators' command for a channel's settings.
const CmdSettings = "settings"

// The options of /settings, each a yes or no.
const (
	settingMentions = "mentions"
	settingThread   = "thread"
	settingPrivate  = "private"
)

// settingsTTL is how long a process trusts what it read of a channel's
// settings. Another process's change is seen within it; this process's own
// changes at once.
const settingsTTL = 10 * time.Second

// settingsLookup bounds the wait for the store before an answer: a slow
// store leaves the defaults in force rather than missing Discord's deadline.
const settingsLookup = 500 * time.Millisecond

// maxCachedChannels bounds the cache; past it, expired entries are dropped.
const maxCachedChannels = 10000

// channelSettings reads channels' settings from the library's store, which
// every process shares, through a short-lived cache.
type channelSettings struct {
	lib *library.Library // nil: everything has the defaults
	log *slog.Logger
	now func() time.Time

	mu    sync.Mutex
	cache map[string]cachedSettings
}

type cachedSettings struct {
	s  library.ChannelSettings
	at time.Time
}

func newChannelSettings(lib *library.Library, log *slog.Logger) *channelSettings {
	return &channelSettings{lib: lib, log: log, now: time.Now, cache: map[string]cachedSettings{}}
}

// get returns the settings of a channel of a server; the defaults outside
// a server, where the bot is not installed, or when the store fails.
func (c *channelSettings) get(ctx context.Context, guild, channel string) library.ChannelSettings {
	if c.lib == nil || guild == "" || channel == "" {
		return library.ChannelSettings{}
	}
	key := guild + "/" + channel
	now := c.now()
	c.mu.Lock()
	e, ok := c.cache[key]
	c.mu.Unlock()
	if ok && now.Sub(e.at) < settingsTTL {
		return e.s
	}
	ctx, cancel := context.WithTimeout(ctx, settingsLookup)
	defer cancel()
	s, err := c.lib.ChannelSettings(ctx, guild, channel)
	if err != nil {
		c.log.Warn("reading a channel's settings; using the defaults", "guild", guild, "channel", channel, "err", err)
		return e.s // what was known, or the defaults
	}
	c.put(key, s, now)
	return s
}

func (c *channelSettings) put(key string, s library.ChannelSettings, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.cache) >= maxCachedChannels {
		for k, e := range c.cache {
			if now.Sub(e.at) >= settingsTTL {
				delete(c.cache, k)
			}
		}
		if len(c.cache) >= maxCachedChannels {
			c.cache = map[string]cachedSettings{}
		}
	}
	c.cache[key] = cachedSettings{s: s, at: now}
}

// command serves /settings: with no options it shows the channel's
// settings; with some, it changes those. It runs behind the moderator
// check and the audit log, like the commands that change the stories.
func (c *channelSettings) command(ctx context.Context, r Request) (Response, error) {
	if c.lib == nil {
		return Response{}, outcome{"refused", "No store is configured (STORYBOT_CORPUS or STORYBOT_DATABASE_URL), so channel settings can't be kept.", nil}
	}
	if _, err := library.GuildCollection(r.Guild); err != nil || r.Channel == "" {
		return Response{}, outcome{"refused", "Settings are for a channel of a server: run /settings there.", nil}
	}
	cur, err := c.lib.ChannelSettings(ctx, r.Guild, r.Channel)
	if err != nil {
		return Response{}, err
	}
	changed := false
	for _, o := range []struct {
		name string
		set  func(bool)
	}{
		{settingMentions, func(v bool) { cur.NoMentions = !v }},
		{settingThread, func(v bool) { cur.Thread = v }},
		{settingPrivate, func(v bool) { cur.Private = v }},
	} {
		v, ok := r.Options[o.name]
		if !ok {
			continue
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			return Response{}, outcome{"rejected", fmt.Sprintf("%s takes true or false.", o.name), nil}
		}
		o.set(b)
		changed = true
	}
	if changed {
		cur.By, cur.At = actor(r).String(), r.Now
		if err := c.lib.SetChannelSettings(ctx, r.Guild, r.Channel, cur); err != nil {
			return Response{}, err
		}
		c.put(r.Guild+"/"+r.Channel, cur, c.now())
	}
	noteAudit(ctx, "mentions", !cur.NoMentions, "thread", cur.Thread, "private", cur.Private)
	return note(describeSettings(cur, changed)), nil
}

func describeSettings(s library.ChannelSettings, changed bool) string {
	var b strings.Builder
	if changed {
		b.WriteString("Saved. ")
	}
	b.WriteString("In this channel:\n")
	yes := map[bool]string{true: "yes", false: "no"}
	fmt.Fprintf(&b, "• Answer mentions of me (and replies to my answers): **%s**\n", yes[!s.NoMentions])
	fmt.Fprintf(&b, "• Answer in a new thread, so that follow-ups stay together: **%s**\n", yes[s.Thread])
	fmt.Fprintf(&b, "• Answer privately unless the asker says `private: false`: **%s**\n", yes[s.Private])
	if !changed && s.By != "" {
		fmt.Fprintf(&b, "Last changed by %s on %s.\n", Escape(clip(s.By, 100)), s.At.UTC().Format("2006-01-02 15:04 UTC"))
	}
	b.WriteString("Change them with /settings mentions: … thread: … private: …; slash commands are always answered.")
	return b.String()
}
