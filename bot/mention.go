package bot

import (
	"regexp"
	"strings"
)

// cmdHelp is /help, which also answers a mention with no question in it.
const cmdHelp = "help"

// Message is what the bot needs to know about a channel message.
type Message struct {
	ID, Channel, Guild, Author string
	AuthorIsBot                bool
	Content                    string
	// MentionsBot is true when the bot's user or its role is mentioned;
	// the @everyone and @here pings never set it.
	MentionsBot bool
	// DM is a direct message to the bot, which needs no mention.
	DM bool
	// ReplyToBot is true when the message replies to one of the bot's
	// messages; ReplyStory is the story that answer quoted, if any.
	ReplyToBot bool
	ReplyStory string
	// ReplyQuestion is the question that answer was for.
	ReplyQuestion string
	// InStoryThread is true in a thread the bot opened on a story, where
	// a plain question needs no mention.
	InStoryThread bool
}

// mentionTag is a mention of a user or a role; none is part of a question.
var mentionTag = regexp.MustCompile(`<@[!&]?\d+>`)

// MentionRequest decides whether a message is for the bot and, if so,
// turns it into a request: a mention of the bot or of its role, a reply to
// it, or any direct message. It ignores other bots (including itself), and
// @everyone or @here on their own. A reply to one of the bot's answers is a
// follow-up: it is scoped to the story that answer quoted.
func MentionRequest(m Message, botID string) (Request, bool) {
	if m.AuthorIsBot || m.Author == botID || m.Author == "" {
		return Request{}, false
	}
	if !m.MentionsBot && !m.ReplyToBot && !m.DM && !m.InStoryThread {
		return Request{}, false
	}
	q := strings.TrimSpace(mentionTag.ReplaceAllString(m.Content, " "))
	q = strings.TrimLeft(q, ",:; ")
	if !m.MentionsBot && !m.ReplyToBot && !m.DM && !isQuestion(q) {
		return Request{}, false // people talking in a story's thread
	}
	if !m.MentionsBot && q == "" {
		// A reply without a ping carries no content without the Message
		// Content intent, and a direct message may hold only a file;
		// there is nothing to answer.
		return Request{}, false
	}
	r := Request{Type: Mention, Command: ChooseCommand(q), User: m.Author, Channel: m.Channel, Guild: m.Guild,
		Options: map[string]string{"question": q}}
	if m.ReplyToBot && m.ReplyStory != "" {
		r.Options["story"] = m.ReplyStory
		r.StoryFromReply = true
	}
	if m.ReplyToBot && m.ReplyQuestion != "" {
		r.Options["context"] = m.ReplyQuestion
	}
	if q == "" {
		r.Command = cmdHelp
		if strings.TrimSpace(m.Content) == "" {
			// Not even the mention's own tag: Discord withheld the text,
			// as it does without the Message Content intent when only the
			// bot's role was mentioned.
			r.Options["unread"] = "true"
		}
	}
	return r, true
}

var (
	// Only a "who" that asks for the speaker of words goes to who-said:
	// "Who is the Taliban spokesman?" and "Who took the photo?" are
	// questions about the story, which who-said, looking for a statement
	// that matches them, cannot answer.
	whoWords = regexp.MustCompile(`(?i)\bwho\s+(?:(?:first|also|publicly|later|then|has|had|have)\s+)?(?:` +
		strings.Join(speechVerbs, "|") + `)\b|\bwho\s+(?:is|was)\s+quoted\b|\bwhose\s+(?:words|statement|remarks|comments|quote)\b|\baccording\s+to\s+whom\b`)
	whenWords = regexp.MustCompile(`(?i)\bwhen\b|\b(what|which)\s+(day|date|time|year|month)\b|\bon\s+what\s+date\b|\bhow\s+long\s+ago\b`)
)

// speechVerbs are the verbs of saying after "who" that make a question
// one for who-said.
var speechVerbs = strings.Fields(`said says say told tells stated states wrote writes tweeted posted claimed
	claims called warned warns urged urges announced added asked argued insisted declared described denied
	accused suggested noted commented quipped promised vowed threatened predicted blamed praised criticized
	criticised questioned explained admitted acknowledged confirmed stressed emphasized emphasised dismissed
	responded replied demanded condemned expressed`)

// ChooseCommand picks who-said, when or ask from a question's wording.
func ChooseCommand(q string) string {
	switch {
	case whoWords.MatchString(q):
		return CmdWhoSaid
	case whenWords.MatchString(q):
		return CmdWhen
	}
	return CmdAsk
}

// StoryFromFooter reads the story ID an answer embed carries in its footer.
func StoryFromFooter(footer string) string {
	if s, ok := strings.CutPrefix(footer, footerStory); ok {
		return strings.TrimSpace(s)
	}
	return ""
}
