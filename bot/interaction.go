package bot

import (
	"context"
	"errors"
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
	// Followup sends a further message (followup.go); DeleteOriginal
	// removes the first; Thread opens a thread on it (thread.go).
	Followup(ctx context.Context, p *discordgo.WebhookParams) error
	DeleteOriginal(ctx context.Context) error
	Thread(ctx context.Context, name string) error
}

// TokenLifetime is how long Discord accepts edits of an interaction's
// response, counted from when the interaction was created.
const TokenLifetime = 15 * time.Minute

// ErrUnsupportedInteraction is an interaction of a type the bot does not
// handle; HTTP mode answers it with 400.
var ErrUnsupportedInteraction = errors.New("unsupported interaction type")

// errNotAcknowledged is an edit of an interaction whose initial response
// never reached Discord; no retry can help it.
var errNotAcknowledged = errors.New("the interaction was not answered in the HTTP reply")

// Interact answers one interaction. A handler that has not finished after
// DeferAfter, or that shows progress, is deferred ("StoryBot is
// thinking…") and its progress and answer edited in, so nothing misses
// Discord's three-second deadline. Every response that cannot be sent is
// logged and counted here, once, whatever the transport.
func (b *Bot) Interact(ctx context.Context, i *discordgo.Interaction, raw []byte, rs Responder) error {
	received := time.Now()
	if i.Type == discordgo.InteractionPing {
		return rs.Respond(ctx, &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
	}
	req, ok := FromInteraction(i, raw, b.now())
	if !ok {
		return b.unsupported(ctx, i, req)
	}
	if req.Type == Command && !req.UserInstallOnly {
		// Whether the answer is private may depend on them, and that must
		// be known before a deferral.
		req.Settings = b.settings.get(ctx, req.Guild, req.Channel)
	}
	respond := func(r *discordgo.InteractionResponse) error {
		err := rs.Respond(ctx, r)
		if err != nil {
			b.failures.record(ctx, req, ReasonDelivery, err, "step", "initial response")
		}
		return err
	}
	if req.Type == Autocomplete {
		// Autocomplete cannot be deferred; the handler is a list filter.
		return respond(AutocompleteResponse(b.Handle(ctx, req)))
	}
	done := make(chan Response, 1)
	prog := newProgress()
	go func() { done <- b.Handle(withProgress(ctx, prog), req) }()
	deferAfter := b.deferAfter
	if req.opensForm() {
		// A form cannot follow a deferral; its handler does no work.
		deferAfter = TokenLifetime
	}
	t := time.NewTimer(deferAfter)
	defer t.Stop()
	deferred, progressBroken := false, false
	deferOnce := func() error {
		if deferred {
			return nil
		}
		deferred = true
		return respond(deferral(req))
	}
	for {
		select {
		case resp := <-done:
			if !deferred {
				err := respond(MessageResponse(resp))
				if err == nil {
					b.afterAnswer(ctx, rs, req, resp)
				}
				return err
			}
			expires := created(i, received).Add(b.tokenLifetime)
			if req.Updates() && !resp.Update || resp.Ephemeral && !req.Private() {
				// A note for the asker alone (an error, an expired button)
				// after a deferral that promised the channel an answer.
				return b.deliverPrivately(ctx, rs, req, resp, expires)
			}
			if err := b.finalEdit(ctx, rs, WebhookEdit(resp), expires); err != nil {
				b.failures.record(ctx, req, ReasonDelivery, err, "step", "answer edit")
				return err
			}
			b.afterAnswer(ctx, rs, req, resp)
			return nil
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
			// but once edits fail the next notes would fail too; the answer
			// still tries, and again until the token expires.
			if err := rs.Edit(ctx, WebhookEdit(prog.latest())); err != nil {
				progressBroken = true
				b.failures.record(ctx, req, ReasonProgress, err, "step", "progress edit")
			}
		}
	}
}

// unsupported answers an interaction of a type Discord does not define
// (or whose data cannot be read) with ErrUnsupportedInteraction, which
// HTTP mode answers with 400.
func (b *Bot) unsupported(ctx context.Context, i *discordgo.Interaction, req Request) error {
	err := fmt.Errorf("%w %d", ErrUnsupportedInteraction, i.Type)
	b.failures.record(ctx, req, ReasonUnknown, err)
	return err
}

// finalEdit edits the answer in, and tries again with a doubling wait
// while the interaction's token lasts (until expires): a deferred answer
// is the only copy, and Discord or the network failing once should not
// lose it. An edit Discord refuses for good (the token is unknown or the
// body invalid) is not tried again.
func (b *Bot) finalEdit(ctx context.Context, rs Responder, e *discordgo.WebhookEdit, expires time.Time) error {
	wait := b.editRetry
	for attempt := 1; ; attempt++ {
		err := rs.Edit(ctx, e)
		if err == nil || !retryable(err) || ctx.Err() != nil {
			return err
		}
		if !time.Now().Add(wait).Before(expires) {
			return fmt.Errorf("gave up after %d tries, as the interaction token expires: %w", attempt, err)
		}
		b.log.Warn("editing the answer in failed; trying again", "attempt", attempt, "in", wait.String(), "err", err)
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("shutting down after %d tries: %w", attempt, err)
		}
		wait = min(2*wait, time.Minute)
	}
}

// created is when Discord created i, from its snowflake ID; received, when
// the ID says something impossible (a clock far off, a made-up ID).
func created(i *discordgo.Interaction, received time.Time) time.Time {
	t, err := discordgo.SnowflakeTimestamp(i.ID)
	if err != nil || t.After(received.Add(time.Minute)) || t.Before(received.Add(-TokenLifetime)) {
		return received
	}
	return t
}

// retryable says whether an edit that failed with err may succeed later:
// not when Discord answered with a client error (other than a timeout or
// a rate limit, which discordgo already waited out), and not when the
// interaction was never acknowledged.
func retryable(err error) bool {
	if errors.Is(err, errNotAcknowledged) || errors.Is(err, context.Canceled) {
		return false
	}
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		c := re.Response.StatusCode
		return c >= 500 || c == 408 || c == 429
	}
	return true
}

// FromInteraction turns a Discord interaction into a Request.
func FromInteraction(i *discordgo.Interaction, raw []byte, now time.Time) (Request, bool) {
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
	r.UserInstallOnly = installedByUserOnly(raw)
	if m := i.Message; m != nil {
		r.Message = &PressedMessage{ID: m.ID}
		for _, e := range m.Embeds {
			if e.Author != nil && r.Message.Question == "" {
				r.Message.Question = QuestionFromAuthor(e.Author.Name)
			}
			if e.Footer != nil && r.Message.Story == "" {
				r.Message.Story = StoryFromFooter(e.Footer.Text)
			}
		}
	}
	switch i.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		d, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
		if !ok {
			return r, false
		}
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
		d, ok := i.Data.(discordgo.MessageComponentInteractionData)
		if !ok {
			return r, false
		}
		r.Type = Component
		r.CustomID = d.CustomID
	case discordgo.InteractionModalSubmit:
		d, ok := i.Data.(discordgo.ModalSubmitInteractionData)
		if !ok {
			return r, false
		}
		r.Type = Modal
		r.CustomID = d.CustomID
		for _, c := range d.Components {
			if row, ok := c.(*discordgo.ActionsRow); ok {
				for _, f := range row.Components {
					if in, ok := f.(*discordgo.TextInput); ok {
						r.Options[in.CustomID] = in.Value
					}
				}
			}
		}
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

// MessageResponse is the initial reply to a command or button: a message,
// the message a button is on replaced (Response.Update), or a form.
func MessageResponse(r Response) *discordgo.InteractionResponse {
	if r.Form != nil {
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: r.Form}
	}
	typ, fl := discordgo.InteractionResponseChannelMessageWithSource, flags(r.Ephemeral)
	if r.Update {
		// An update keeps the message's own visibility.
		typ, fl = discordgo.InteractionResponseUpdateMessage, 0
	}
	return &discordgo.InteractionResponse{
		Type: typ,
		Data: &discordgo.InteractionResponseData{
			Content: content(r), Embeds: embeds(r), Components: components(r),
			AllowedMentions: noMentions(), Flags: fl,
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

// deferral acknowledges an interaction whose answer comes later: a
// button that pages defers the update of its message (type 6), anything
// else a new message, public or private as the answer will be.
func deferral(r Request) *discordgo.InteractionResponse {
	if r.Updates() {
		return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}
	}
	return DeferredResponse(r.Private())
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
