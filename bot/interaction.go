package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Responder sends an interaction's responses. Gateway mode sends both over
// REST; HTTP mode writes the first into the HTTP reply and edits over REST.
type Responder interface {
	// Respond sends the one initial response.
	Respond(ctx context.Context, r *discordgo.InteractionResponse) error
	// Edit replaces the original response, after a deferral.
	Edit(ctx context.Context, e *discordgo.WebhookEdit) error
}

// Interact answers one interaction. A handler that has not finished after
// DeferAfter, or that shows progress, is deferred ("StoryBot is
// thinking…") and its progress and answer edited in, so nothing misses
// Discord's three-second deadline.
func (b *Bot) Interact(ctx context.Context, i *discordgo.Interaction, rs Responder) error {
	if i.Type == discordgo.InteractionPing {
		return rs.Respond(ctx, &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
	}
	req, ok := FromInteraction(i, b.now())
	if !ok {
		return fmt.Errorf("unsupported interaction type %s", i.Type)
	}
	if req.Type == Autocomplete {
		// Autocomplete cannot be deferred; the handler is a list filter.
		return rs.Respond(ctx, AutocompleteResponse(b.Handle(ctx, req)))
	}
	done := make(chan Response, 1)
	prog := newProgress()
	go func() { done <- b.Handle(withProgress(ctx, prog), req) }()
	t := time.NewTimer(b.deferAfter)
	defer t.Stop()
	deferred, progressBroken := false, false
	deferOnce := func() error {
		if deferred {
			return nil
		}
		deferred = true
		return rs.Respond(ctx, DeferredResponse(req.Private()))
	}
	for {
		select {
		case resp := <-done:
			if !deferred {
				return rs.Respond(ctx, MessageResponse(resp))
			}
			return rs.Edit(ctx, WebhookEdit(resp))
		case <-t.C:
			if err := deferOnce(); err != nil {
				return err
			}
		case <-prog.ready:
			if err := deferOnce(); err != nil {
				return err
			}
			if progressBroken {
				continue
			}
			// A lost progress note is no reason to give up on the answer,
			// but once edits fail (Discord lets an interaction be edited
			// for 15 minutes) the rest would fail too; the answer still
			// tries.
			if err := rs.Edit(ctx, WebhookEdit(prog.latest())); err != nil {
				progressBroken = true
				b.log.Warn("showing progress; no more progress for this interaction", "command", req.Command, "err", err)
			}
		}
	}
}

// FromInteraction turns a Discord interaction into a Request.
func FromInteraction(i *discordgo.Interaction, now time.Time) (Request, bool) {
	r := Request{Channel: i.ChannelID, Guild: i.GuildID, Now: now, Options: map[string]string{}}
	u := i.User
	if i.Member != nil {
		r.Member = &Member{Roles: i.Member.Roles, Permissions: i.Member.Permissions}
		if i.Member.User != nil {
			u = i.Member.User
		}
	}
	if u != nil {
		r.User, r.UserName = u.ID, u.Username
	}
	switch i.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		d := i.ApplicationCommandData()
		r.Command = d.Name
		r.Type = Command
		if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
			r.Type = Autocomplete
		}
		if d.CommandType == discordgo.MessageApplicationCommand {
			// Interactions carry the target message's content even without
			// the Message Content intent.
			if d.Resolved != nil && d.Resolved.Messages[d.TargetID] != nil {
				r.Options["question"] = d.Resolved.Messages[d.TargetID].Content
			}
			return r, true
		}
		for _, o := range d.Options {
			if o.Value != nil {
				r.Options[o.Name] = fmt.Sprint(o.Value)
			}
			if o.Focused {
				r.Focused = o.Name
			}
		}
		if d.Resolved != nil && len(d.Resolved.Attachments) > 0 {
			r.Attachments = map[string]Attachment{}
			for id, a := range d.Resolved.Attachments {
				if a != nil {
					r.Attachments[id] = Attachment{Filename: a.Filename, ContentType: a.ContentType, Size: int64(a.Size), URL: a.URL}
				}
			}
		}
	case discordgo.InteractionMessageComponent:
		r.Type = Component
		r.CustomID = i.MessageComponentData().CustomID
	default:
		return r, false
	}
	return r, true
}

// noMentions is sent with every message: an empty list, which Discord
// reads as "ping nobody". (A nil slice would marshal as null.)
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

func flags(ephemeral bool) discordgo.MessageFlags {
	if ephemeral {
		return discordgo.MessageFlagsEphemeral
	}
	return 0
}

// content is markdown, escaped where it quotes anyone, so a cut must not
// split an escape.
func content(r Response) string { return clipMarkdown(r.Content, MaxContent) }

func embeds(r Response) []*discordgo.MessageEmbed {
	if r.Embeds == nil {
		return []*discordgo.MessageEmbed{}
	}
	return r.Embeds
}

func components(r Response) []discordgo.MessageComponent {
	if r.Components == nil {
		return []discordgo.MessageComponent{}
	}
	return r.Components
}

// MessageResponse is the initial reply to a command or button.
func MessageResponse(r Response) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{
			Content: content(r), Embeds: embeds(r), Components: components(r),
			AllowedMentions: noMentions(), Flags: flags(r.Ephemeral),
		},
	}
}

// AutocompleteResponse offers the choices.
func AutocompleteResponse(r Response) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: r.Choices, AllowedMentions: noMentions()},
	}
}

// DeferredResponse acknowledges an interaction that will be edited later.
// Whether the answer is ephemeral has to be decided now.
func DeferredResponse(ephemeral bool) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{AllowedMentions: noMentions(), Flags: flags(ephemeral)},
	}
}

// WebhookEdit replaces a deferred response with the answer. Every part is
// set, so nothing of the "thinking" placeholder remains.
func WebhookEdit(r Response) *discordgo.WebhookEdit {
	c, e, comp := content(r), embeds(r), components(r)
	return &discordgo.WebhookEdit{Content: &c, Embeds: &e, Components: &comp, AllowedMentions: noMentions()}
}

// MessageSend is a reply in a channel to the message with ID replyTo.
func MessageSend(r Response, channel, replyTo string) *discordgo.MessageSend {
	no := false
	return &discordgo.MessageSend{
		Content: content(r), Embeds: r.Embeds, Components: r.Components,
		AllowedMentions: noMentions(),
		Reference:       &discordgo.MessageReference{MessageID: replyTo, ChannelID: channel, FailIfNotExists: &no},
	}
}
