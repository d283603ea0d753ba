package bot

import (
	"encoding/json"

	"github.com/bwmarrin/discordgo"
)

// AppCommand is an application command as the bot registers it: discordgo's,
// with the two fields that say where it may be installed and used, which
// discordgo v0.28.1 (the release this module is allowed) does not have.
type AppCommand struct {
	discordgo.ApplicationCommand
	IntegrationTypes *[]IntegrationType `json:"integration_types,omitempty"`
	Contexts         *[]Context         `json:"contexts,omitempty"`
}

// IntegrationType is where an app is installed: in a server, or by a user.
type IntegrationType int

// The installation kinds, as Discord numbers them.
const (
	GuildInstall IntegrationType = 0
	UserInstall  IntegrationType = 1
)

// Context is where a command can be used.
type Context int

// The interaction contexts, as Discord numbers them.
const (
	InGuild          Context = 0
	InBotDM          Context = 1
	InPrivateChannel Context = 2
)

// Permission bits discordgo v0.28.1 does not name.
const (
	// permissionUseExternalApps lets a member's user-installed apps answer
	// in public in a server that did not install them.
	permissionUseExternalApps int64 = 1 << 50
)

// installation is the part of an interaction's JSON that says who
// installed the app it reached: discordgo v0.28.1 does not decode it.
type installation struct {
	// Owners maps an IntegrationType ("0", "1") to the server or user
	// that installed the app that way.
	Owners map[string]string `json:"authorizing_integration_owners"`
}

// installedByUserOnly reports whether an interaction reached the app only
// through a user's installation, in a place whose server did not install
// the bot: answers there must be private unless Discord lets them out.
func installedByUserOnly(raw []byte) bool {
	var in installation
	if len(raw) == 0 || json.Unmarshal(raw, &in) != nil || len(in.Owners) == 0 {
		return false
	}
	_, guild := in.Owners["0"]
	return !guild
}
