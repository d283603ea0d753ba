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
)

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
	return []*discordgo.ApplicationCommand{
		chat(CmdAsk, "Ask a question; the answer quotes the stories word for word", text("question", "Your question")),
		chat(CmdWhoSaid, "Find who said something", text("quote", "The words, or part of them")),
		chat(CmdWhen, "Find when something happened", text("event", "What happened")),
		chat(CmdQuotes, "List who said what"),
		chat(CmdTimeline, "List the dated events in order"),
		chat(CmdStories, "List the indexed stories"),
		{Type: discordgo.MessageApplicationCommand, Name: CheckCommand},
	}
}
