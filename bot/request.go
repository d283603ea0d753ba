// Package bot puts the answering engine on Discord. Handlers are pure
// functions from a Request to a Response; a Router picks the handler, and
// middleware adds rate limits and error handling once for all of them. The
// gateway and HTTP transports only translate Discord's payloads to and
// from these values, so tests call handlers without any network.
package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/index/library"
)

// RequestType says what reached the bot.
type RequestType int

const (
	// Command is a slash command or a message context-menu command.
	Command RequestType = iota
	// Autocomplete asks for choices for the focused option.
	Autocomplete
	// Component is a button press; CustomID says which.
	Component
	// Mention is a message that mentions the bot or replies to it.
	Mention
	// Modal is a form submitted; CustomID says which, and Options hold
	// its fields by their custom IDs.
	Modal
)

func (t RequestType) String() string {
	switch t {
	case Command:
		return "command"
	case Autocomplete:
		return "autocomplete"
	case Component:
		return "button"
	case Mention:
		return "mention"
	case Modal:
		return "form"
	}
	return fmt.Sprintf("RequestType(%d)", int(t))
}

// Request is one thing to answer, whatever transport brought it.
type Request struct {
	Type RequestType
	// Command is the command name ("ask", "who-said", …, CheckCommand);
	// for a Mention it is the command the wording chose.
	Command string
	// Options holds the string form of each option; for the context-menu
	// command and mentions the text is under "question".
	Options map[string]string
	// StoryFromReply says that Options["story"] is the story of the
	// answer a mention replied to, not one the asker named.
	StoryFromReply bool
	// Focused is the option being typed, for Autocomplete.
	Focused  string
	CustomID string
	User     string
	// UserName is the user's name, for the audit log only.
	UserName string
	Channel  string
	Guild    string
	// Member is who asked, as a member of the guild; nil outside a guild.
	Member *Member
	// Attachments are the files sent with the command, by the ID that
	// an attachment option holds.
	Attachments map[string]Attachment
	// Now is when the request arrived; buttons use it to expire.
	Now time.Time
	// Message is the message a button was pressed on (or whose button
	// opened the form), when Discord says.
	Message *PressedMessage
	// UserInstallOnly is a command of the app installed by the user
	// alone, not by the server it is used in: the bot is not there, so it
	// cannot post, open threads or read the channel's settings.
	UserInstallOnly bool
	// Settings are the channel's settings, as its moderators chose them.
	Settings library.ChannelSettings
}

// PressedMessage is what the bot needs of the message a button is on.
type PressedMessage struct {
	ID string
	// Question and Story are what the answer on it was for, read back
	// from its embed.
	Question, Story string
}

// Member is what the interaction says about the user in its guild.
type Member struct {
	Roles []string
	// Permissions are the user's permissions in the channel, overwrites
	// included, as Discord computed them.
	Permissions int64
}

// Attachment is a file sent with a command, stored on Discord's CDN.
type Attachment struct {
	Filename    string
	ContentType string
	// Size is what Discord says the file's size is.
	Size int64
	URL  string
}

// Option returns a named option, or "".
func (r Request) Option(name string) string { return r.Options[name] }

// Private reports whether the reply is ephemeral: because the user asked,
// or because it concerns only them (a page from the button, a claim check,
// moderation, whose record is the audit log rather than the channel).
// Transports need to know before the handler runs, to defer the same way.
//
// Otherwise a channel's moderators may make answers private by default,
// and where the app is only user-installed, Discord lets a member without
// Use External Apps see answers alone.
func (r Request) Private() bool {
	if r.Type == Component || r.Type == Modal || (r.Type == Command && (r.Command == CheckCommand || r.Command == cmdHelp || moderatorCommand[r.Command])) {
		return true
	}
	if r.UserInstallOnly && r.Member != nil && r.Member.Permissions&permissionUseExternalApps == 0 {
		return true
	}
	switch r.Options["private"] {
	case "true", "True", "1":
		return true
	case "false", "False", "0":
		return false
	}
	return r.Settings.Private && r.Type == Command
}

// Updates reports whether a successful answer replaces the message the
// button is on (Previous and Next) rather than sending a new one; a
// deferral must say so before the handler runs.
func (r Request) Updates() bool { return r.Type == Component && buttonPrefix(r.CustomID) == morePrefix }

// opensForm reports whether the answer is a form, which Discord takes
// only as the first response: it is never deferred, so it must be quick.
func (r Request) opensForm() bool {
	return r.Type == Component && buttonPrefix(r.CustomID) == downPrefix
}

// Response is what to send back. Transports turn it into an interaction
// response, a webhook edit or a channel message.
type Response struct {
	Content    string
	Embeds     []*discordgo.MessageEmbed
	Components []discordgo.MessageComponent
	Ephemeral  bool
	// Choices answers an Autocomplete request.
	Choices []*discordgo.ApplicationCommandOptionChoice
	// Throttled marks a rate-limit note; channel replies skip it, so a
	// flood of mentions does not become a flood of notes.
	Throttled bool
	// NoAnswer marks a question nothing matched well enough, for metrics.
	NoAnswer bool
	// Update replaces the message the pressed button is on (type 7).
	Update bool
	// Form, when set, opens a form (type 9): its custom ID, title and
	// text inputs.
	Form *discordgo.InteractionResponseData
	// Thread, when set, opens a thread of that name on the answer, for
	// its follow-ups.
	Thread string
	// Failure says why this is not an answer (a Reason*, such as
	// ReasonThrottled), for the log and the failure counter; cause is
	// the error behind it, for the log only.
	Failure string
	cause   error
}

// Handler answers one request. Errors are turned into a short ephemeral
// message by the Errors middleware, so handlers just return them.
type Handler func(ctx context.Context, r Request) (Response, error)

// Middleware wraps a handler.
type Middleware func(Handler) Handler
