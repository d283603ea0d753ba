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

// moderatorCommand marks the commands that change the stories.
var moderatorCommand = map[string]bool{CmdReindex: true, CmdAddStory: true, CmdRemoveStory: true, CmdRestoreStory: true,
	CmdFollow: true, CmdUnfollow: true, CmdFeeds: true}

// questionOption names the text option of each question command.
var questionOption = map[string]string{CmdAsk: "question", CmdWhoSaid: "quote", CmdWhen: "event"}

// Commands are the application commands, for the bulk overwrite.
func Commands() []*discordgo.ApplicationCommand {
	common := func() []*discordgo.ApplicationCommandOption {
		return []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: "story", Description: "Only this story", Autocomplete: true},
			{Type: discordgo.ApplicationCommandOptionBoolean, Name: "private", Description: "Only you see the answer"},
		}
	}
	text := func(name, desc string) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name, Description: desc, Required: true, MaxLength: 500}
	}
	chat := func(name, desc string, opts ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommand {
		return &discordgo.ApplicationCommand{Type: discordgo.ChatApplicationCommand, Name: name, Description: desc, Options: append(opts, common()...)}
	}
	return append([]*discordgo.ApplicationCommand{
		chat(CmdAsk, "Ask a question; the answer quotes the stories word for word", text("question", "Your question")),
		chat(CmdWhoSaid, "Find who said something", text("quote", "The words, or part of them")),
		chat(CmdWhen, "Find when something happened", text("event", "What happened")),
		chat(CmdQuotes, "List who said what"),
		chat(CmdTimeline, "List the dated events in order"),
		chat(CmdStories, "List the indexed stories"),
		{Type: discordgo.MessageApplicationCommand, Name: CheckCommand},
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
const manageServer int64 = discordgo.PermissionManageGuild

// moderator is a guild-only command that Discord shows to members with
// Manage Server until a guild's admins choose otherwise; the bot checks
// again on its own side (see Moderators), since that choice is theirs.
func moderator(name, desc string, opts ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommand {
	perm := manageServer
	return &discordgo.ApplicationCommand{
		Type: discordgo.ChatApplicationCommand, Name: name, Description: desc, Options: opts,
		DefaultMemberPermissions: &perm,
		Contexts:                 &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild},
	}
}
