package bot

import (
	"encoding/json"
	"sync"

	"github.com/bwmarrin/discordgo"
)

// botRoles knows, per server, the role Discord made for the bot when it
// was invited (the managed role tagged with the bot's ID), so that a
// mention of that role counts as a mention of the bot. discordgo drops the
// tags, so the raw events are read.
type botRoles struct {
	mu      sync.RWMutex
	byGuild map[string]string
}

func newBotRoles() *botRoles { return &botRoles{byGuild: map[string]string{}} }

// of is the bot's role in guild, or "" when it has none or is not known.
func (br *botRoles) of(guild string) string {
	br.mu.RLock()
	defer br.mu.RUnlock()
	return br.byGuild[guild]
}

type rawRole struct {
	ID   string `json:"id"`
	Tags *struct {
		BotID string `json:"bot_id"`
	} `json:"tags"`
}

func (r rawRole) isBot(botID string) bool {
	return r.Tags != nil && botID != "" && r.Tags.BotID == botID
}

// track follows the servers' roles: all of them when a server becomes
// available, then each one created, changed or deleted.
func (br *botRoles) track(s *discordgo.Session, e *discordgo.Event) {
	botID := botUserID(s)
	switch e.Type {
	case "GUILD_CREATE":
		var g struct {
			ID    string    `json:"id"`
			Roles []rawRole `json:"roles"`
		}
		if json.Unmarshal(e.RawData, &g) != nil || g.ID == "" {
			return
		}
		for _, r := range g.Roles {
			if r.isBot(botID) {
				br.set(g.ID, r.ID)
			}
		}
	case "GUILD_ROLE_CREATE", "GUILD_ROLE_UPDATE":
		var ev struct {
			GuildID string  `json:"guild_id"`
			Role    rawRole `json:"role"`
		}
		if json.Unmarshal(e.RawData, &ev) == nil && ev.Role.isBot(botID) {
			br.set(ev.GuildID, ev.Role.ID)
		}
	case "GUILD_ROLE_DELETE":
		var ev struct {
			GuildID string `json:"guild_id"`
			RoleID  string `json:"role_id"`
		}
		if json.Unmarshal(e.RawData, &ev) == nil && br.of(ev.GuildID) == ev.RoleID {
			br.set(ev.GuildID, "")
		}
	case "GUILD_DELETE":
		var g struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(e.RawData, &g) == nil {
			br.set(g.ID, "")
		}
	}
}

func (br *botRoles) set(guild, role string) {
	br.mu.Lock()
	defer br.mu.Unlock()
	if role == "" {
		delete(br.byGuild, guild)
	} else {
		br.byGuild[guild] = role
	}
}
