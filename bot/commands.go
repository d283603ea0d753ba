package bot

import "github.com/bwmarrin/discordgo"

// Command names.
const (
	CmdAsk      = "ask"
	CmdWhoSaid  = "who-said"
	CmdWhen     = "when"
	CmdQuotes   = "quotes"
	CmdTimeline = "timeline"
	CmdStories  = "stories"
	// CheckCommand is the message context-menu command.
	CheckCommand = "Check against the story"

	// Moderator commands.
	CmdReindex      = "reindex"
	CmdAddStory     = "add-story"
	CmdRemoveStory  = "remove-story"
	CmdRestoreStory = "restore-story"
)

// moderatorCommand marks the commands that change the stories, the feeds
// and /settings: moderators' commands, for the server they are run in.
var moderatorCommand = map[string]bool{CmdReindex: true, CmdAddStory: true, CmdRemoveStory: true, CmdRestoreStory: true,
	CmdSettings: true, CmdFollow: true, CmdUnfollow: true, CmdFeeds: true}

// questionOption names the text option of each question command.
var questionOption = map[string]string{CmdAsk: "question", CmdWhoSaid: "quote", CmdWhen: "event"}

// Commands are the application commands, for a global bulk overwrite.
func Commands() []*AppCommand {
	common := func() []*discordgo.ApplicationCommandOption {
		return []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: "story", Description: "Only this story", Autocomplete: true},
			{Type: discordgo.ApplicationCommandOptionBoolean, Name: "private", Description: "Only you see the answer"},
		}
	}
	text := func(name, desc string) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name, Description: desc, Required: true, MaxLength: 500}
	}
	chat := func(name, desc string, opts ...*discordgo.ApplicationCommandOption) *AppCommand {
		return everywhere(discordgo.ApplicationCommand{Type: discordgo.ChatApplicationCommand, Name: name, Description: desc, Options: append(opts, common()...)})
	}
	thread := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionBoolean, Name: "thread", Description: "Answer in a new thread, for the follow-ups"}
	yesNo := func(name, desc string) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionBoolean, Name: name, Description: desc}
	}
	return append([]*AppCommand{
		chat(CmdAsk, "Ask a question; the answer quotes the stories word for word", text("question", "Your question"), thread),
		chat(CmdWhoSaid, "Find who said something", text("quote", "The words, or part of them"), thread),
		chat(CmdWhen, "Find when something happened", text("event", "What happened"), thread),
		chat(CmdQuotes, "List who said what"),
		chat(CmdTimeline, "List the dated events in order"),
		chat(CmdStories, "List the indexed stories"),
		everywhere(discordgo.ApplicationCommand{Type: discordgo.MessageApplicationCommand, Name: CheckCommand}),
		everywhere(discordgo.ApplicationCommand{Type: discordgo.ChatApplicationCommand, Name: cmdHelp, Description: "What each command does, with examples"}),
		moderator(CmdSettings, "This channel's settings: mentions, threads, private answers (moderators)",
			yesNo(settingMentions, "Answer mentions of the bot in this channel"),
			yesNo(settingThread, "Answer in a new thread, so that follow-ups stay together"),
			yesNo(settingPrivate, "Answer privately unless the asker says private: false")),
		moderator(CmdReindex, "Rebuild this server's index from its stories (moderators)"),
		moderator(CmdAddStory, "Add a story to this server's stories, from a .txt, .md or .html file or a web page (moderators)",
			&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionAttachment, Name: "file", Description: "A .txt, .md or .html story"},
			&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: "url", Description: "The web page of a news story", MaxLength: 2000}),
		moderator(CmdRemoveStory, "Remove one of this server's stories; /restore-story brings it back (moderators)",
			&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: "story", Description: "The story to remove", Required: true, Autocomplete: true}),
		moderator(CmdRestoreStory, "Bring back a story this server removed or replaced recently (moderators)",
			&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: "story", Description: "The removed story", Required: true, Autocomplete: true}),
	}, feedCommands()...)
}

// manageServer is Discord's Manage Server permission.
const manageServer int64 = discordgo.PermissionManageServer

// moderator is a command for servers that installed the bot, which
// Discord shows to members with Manage Server until a guild's admins
// choose otherwise; the bot checks again on its own side (see
// Moderators), since that choice is theirs.
func moderator(name, desc string, opts ...*discordgo.ApplicationCommandOption) *AppCommand {
	perm := manageServer
	return &AppCommand{
		ApplicationCommand: discordgo.ApplicationCommand{Type: discordgo.ChatApplicationCommand, Name: name, Description: desc,
			Options: opts, DefaultMemberPermissions: &perm},
		IntegrationTypes: &[]IntegrationType{GuildInstall},
		Contexts:         &[]Context{InGuild},
	}
}

// everywhere makes a question command work wherever Discord allows: in
// servers that installed the bot, and, for a user who installed the app,
// in any server, in direct messages with the bot and in other private
// channels (answers are private there where Discord requires).
func everywhere(c discordgo.ApplicationCommand) *AppCommand {
	return &AppCommand{ApplicationCommand: c,
		IntegrationTypes: &[]IntegrationType{GuildInstall, UserInstall},
		Contexts:         &[]Context{InGuild, InBotDM, InPrivateChannel},
	}
}

// GuildCommands are the commands for one server's bulk overwrite, as used
// for testing: a guild's commands exist in that guild alone, so each says
// so (installed there, used there) rather than offering what only a global
// command can have.
func GuildCommands() []*AppCommand {
	cmds := Commands()
	for _, c := range cmds {
		c.IntegrationTypes = &[]IntegrationType{GuildInstall}
		c.Contexts = &[]Context{InGuild}
	}
	return cmds
}
