package bot

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// HelpTopic is one command as /help, a bare mention and the console's
// /help describe it: one text for all of them.
type HelpTopic struct {
	Command string
	// Args is what the command takes, as the options Discord shows.
	Args string
	What string
	// Example runs the command on the built-in story (a test checks that it
	// answers); nil for commands that change something.
	Example map[string]string
	// Moderator marks the commands for moderators.
	Moderator bool
}

// HelpTopics are the commands, in the order /help lists them.
func HelpTopics() []HelpTopic {
	return []HelpTopic{
		{Command: CmdAsk, Args: "question", What: "the short answer and the best passages, quoted word for word with their source",
			Example: map[string]string{"question": "What did the ministry urge citizens to make?"}},
		{Command: CmdWhoSaid, Args: "quote", What: "who said something, by the fullest name the story gives",
			Example: map[string]string{"quote": "dialogue and peaceful means"}},
		{Command: CmdWhen, Args: "event", What: "the calendar date of an event, worked out from the story's date",
			Example: map[string]string{"event": "Putin authorized a special military operation"}},
		{Command: CmdQuotes, What: "every statement with its speaker", Example: map[string]string{"story": "taliban"}},
		{Command: CmdTimeline, What: "the dated events in date order", Example: map[string]string{"story": "taliban"}},
		{Command: CmdStories, What: "the stories I answer from", Example: map[string]string{}},
		{Command: CheckCommand, What: "on a message (Apps in its menu): the passages that support or contradict it",
			Example: map[string]string{"question": "The Taliban called for a peaceful resolution"}},
		{Command: cmdHelp, What: "this help", Example: map[string]string{}},
		{Command: CmdAddStory, Args: "file or url", What: "add a story to this server's stories", Moderator: true},
		{Command: CmdRemoveStory, Args: "story", What: "take one of this server's stories out", Moderator: true},
		{Command: CmdRestoreStory, Args: "story", What: "bring back a story removed or replaced lately", Moderator: true},
		{Command: CmdReindex, What: "rebuild this server's index from its stories", Moderator: true},
		{Command: CmdSettings, Args: "mentions, thread, private", What: "this channel's settings: whether I answer mentions here, answer in threads, answer privately by default", Moderator: true},
		{Command: CmdFollow, Args: "url, channel", What: "follow a news feed into this server's stories, posting each new story with a thread in the channel", Moderator: true},
		{Command: CmdUnfollow, Args: "feed", What: "stop following a feed", Moderator: true},
		{Command: CmdFeeds, What: "the feeds this server follows, and how their polls went", Moderator: true},
	}
}

// Usage is the topic as typed on Discord, with its example's options.
func (t HelpTopic) Usage() string {
	if t.Command == CheckCommand {
		return "“" + CheckCommand + "”"
	}
	s := "/" + t.Command
	keys := make([]string, 0, len(t.Example))
	for k := range t.Example {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		s += " " + k + ": " + t.Example[k]
	}
	return s
}

// help answers /help and a mention with no question in it.
func help(ctx context.Context, r Request) (Response, error) {
	if r.Option("unread") != "" {
		return Response{Content: "I couldn't read your message: Discord shows a bot the text of a message only when the bot itself is @mentioned, " +
			"unless its operator turned on the Message Content intent. Mention me by name, or use /ask."}, nil
	}
	e := &discordgo.MessageEmbed{Title: "What I can do", Color: colourFound, Description: "I answer questions about the news stories " +
		"I have, quoting them word for word with headline, outlet, date and paragraph. Every command takes `story` (one story) and " +
		"`private` (only you see the answer); /ask, /who-said and /when also take `thread` (answer in a thread of its own)."}
	var mod []string
	for _, t := range HelpTopics() {
		if t.Moderator {
			mod = append(mod, fmt.Sprintf("`/%s`: %s", t.Command, t.What))
			continue
		}
		name := "/" + t.Command
		if t.Command == CheckCommand {
			name = CheckCommand
		}
		if t.Args != "" {
			name += " " + t.Args
		}
		value := t.What
		if t.Example != nil && t.Command != cmdHelp {
			value += "\nFor example: `" + codeSafe(t.Usage()) + "`"
		}
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: name, Value: value})
	}
	e.Fields = append(e.Fields,
		&discordgo.MessageEmbedField{Name: "In a conversation", Value: "Mention me with a question (“@StoryBot who said …?”), or write to me " +
			"directly; reply to one of my answers to follow up on the same story. Under an answer, Previous and Next page through the " +
			"passages, and 👍 or 👎 says how it did."},
		&discordgo.MessageEmbedField{Name: "For moderators", Value: strings.Join(mod, "\n")})
	return Response{Embeds: []*discordgo.MessageEmbed{fitEmbed(e)}, Ephemeral: r.Private()}, nil
}
