package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// Answers in a thread of their own: /ask … thread:true, or every answer
// in a channel whose moderators chose so. The answer starts the thread,
// so the follow-ups (replies to it, mentions) gather under it.

// threadArchive is how long a quiet thread stays open, in minutes.
const threadArchive = 24 * 60

// threadFor is the name of the thread an answer to r opens, or "" for
// none: where the asker or the channel wants one, in a server the bot is
// installed in.
func threadFor(r Request, question string) string {
	want := r.Settings.Thread
	switch r.Options["thread"] {
	case "true", "True", "1":
		want = true
	case "false", "False", "0":
		want = false
	}
	if !want || r.Guild == "" || r.UserInstallOnly {
		return ""
	}
	name := strings.Join(strings.Fields(question), " ")
	if name == "" {
		name = "Question"
	}
	return clip(name, 100) // Discord's limit for a channel name
}

// threadOnOriginal opens a thread on an interaction's answer.
func threadOnOriginal(ctx context.Context, s *discordgo.Session, i *discordgo.Interaction, name string) error {
	m, err := s.InteractionResponse(i, discordgo.WithContext(ctx))
	if err != nil {
		return err
	}
	ch := m.ChannelID
	if ch == "" {
		ch = i.ChannelID
	}
	_, err = s.MessageThreadStartComplex(ch, m.ID, &discordgo.ThreadStart{Name: name, AutoArchiveDuration: threadArchive}, discordgo.WithContext(ctx))
	return err
}

// afterAnswer opens the thread an answer asked for, once it is sent. If
// Discord refuses (a thread in a thread, no permission), the asker is told
// privately; the answer stays in the channel.
func (b *Bot) afterAnswer(ctx context.Context, rs Responder, req Request, resp Response) {
	if resp.Thread == "" || resp.Ephemeral {
		return
	}
	err := rs.Thread(ctx, resp.Thread)
	if err == nil {
		return
	}
	b.log.Warn("opening a thread on an answer", "guild", req.Guild, "channel", req.Channel, "err", err)
	if ferr := rs.Followup(ctx, privateNote(Response{Content: threadRefused(err)})); ferr != nil {
		b.failures.record(ctx, req, ReasonDelivery, ferr, "step", "thread note")
	}
}

// threadRefused explains, in the asker's terms, why no thread was opened.
func threadRefused(err error) string {
	why := "Discord refused it"
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		switch {
		case re.Message != nil && re.Message.Code == discordgo.ErrCodeCannotExecuteActionOnThisChannelType:
			why = "threads can't be opened here (inside a thread, or in this kind of channel)"
		case re.Response.StatusCode == http.StatusForbidden:
			why = "I lack the Create Public Threads permission here"
		}
	}
	return fmt.Sprintf("I couldn't open a thread for this answer: %s. The answer is in the channel.", why)
}

// replyToMention answers a message in its channel, or in a new thread on
// it when the answer asks for one; if the thread cannot be opened or the
// answer cannot be sent in it, the reply goes to the channel after all.
func (b *Bot) replyToMention(ctx context.Context, s *discordgo.Session, m *discordgo.Message, req Request, resp Response) {
	if resp.Thread != "" {
		th, err := s.MessageThreadStartComplex(m.ChannelID, m.ID, &discordgo.ThreadStart{Name: resp.Thread, AutoArchiveDuration: threadArchive}, discordgo.WithContext(ctx))
		if err == nil {
			send := MessageSend(resp, th.ID, "")
			send.Reference = nil // the question is the thread's first message
			if _, err = s.ChannelMessageSendComplex(th.ID, send, discordgo.WithContext(ctx)); err == nil {
				return
			}
			// Creating threads and sending in them are separate
			// permissions, and a post can fail on its own: the asker
			// would be left with an empty thread.
			b.log.Warn("replying in the thread opened on a question; replying in the channel", "guild", req.Guild, "channel", req.Channel, "err", err)
		} else {
			b.log.Warn("opening a thread on a question; replying in the channel", "guild", req.Guild, "channel", req.Channel, "err", err)
		}
	}
	if _, err := s.ChannelMessageSendComplex(m.ChannelID, MessageSend(resp, m.ChannelID, m.ID), discordgo.WithContext(ctx)); err != nil {
		b.failures.record(ctx, req, ReasonDelivery, err, "step", "mention reply")
	}
}
