package bot

import (
	"context"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Follow-ups are what an interaction sends after its first response, over
// its webhook: a private note after a public deferral, the removal of a
// placeholder, a thread on the answer. Both transports send them the same
// way, over REST; HTTP mode once its reply has reached Discord.

// Followup sends a further message; flags 64 makes it private.
func (r sessionResponder) Followup(ctx context.Context, p *discordgo.WebhookParams) error {
	_, err := r.s.FollowupMessageCreate(r.i, true, p, discordgo.WithContext(ctx))
	return err
}

// DeleteOriginal removes the first response's message.
func (r sessionResponder) DeleteOriginal(ctx context.Context) error {
	return r.s.InteractionResponseDelete(r.i, discordgo.WithContext(ctx))
}

// Thread opens a thread named name on the first response's message.
func (r sessionResponder) Thread(ctx context.Context, name string) error {
	return threadOnOriginal(ctx, r.s, r.i, name)
}

func (h *httpResponder) Followup(ctx context.Context, p *discordgo.WebhookParams) error {
	if err := h.sent(ctx); err != nil {
		return err
	}
	_, err := h.rest.FollowupMessageCreate(h.i, true, p, discordgo.WithContext(ctx))
	return err
}

func (h *httpResponder) DeleteOriginal(ctx context.Context) error {
	if err := h.sent(ctx); err != nil {
		return err
	}
	return h.rest.InteractionResponseDelete(h.i, discordgo.WithContext(ctx))
}

func (h *httpResponder) Thread(ctx context.Context, name string) error {
	if err := h.sent(ctx); err != nil {
		return err
	}
	return threadOnOriginal(ctx, h.rest, h.i, name)
}

// sent waits until the HTTP reply has reached Discord: before, Discord
// refuses anything sent to the interaction's webhook.
func (h *httpResponder) sent(ctx context.Context) error {
	select {
	case <-h.acked:
		return h.ackErr
	case <-ctx.Done():
		return ctx.Err()
	}
}

// privateNote is a follow-up only the asker sees.
func privateNote(r Response) *discordgo.WebhookParams {
	return &discordgo.WebhookParams{Content: content(r), Embeds: r.Embeds, Components: components(r),
		AllowedMentions: noMentions(), Flags: discordgo.MessageFlagsEphemeral}
}

// placeholderGone is what a public "thinking…" placeholder says for the
// moment between the deferral's end and its removal, or for good if it
// cannot be removed.
const placeholderGone = "I couldn't answer this one."

// deliverPrivately sends a response that only the asker may see after a
// deferral that promised something else. After a public "thinking…"
// placeholder, Discord gives the first follow-up the placeholder's
// visibility, so the placeholder is first resolved with a neutral line,
// then the note follows privately, then the placeholder goes. After a
// deferred update (Previous, Next), the message keeps its answer and the
// note follows privately.
func (b *Bot) deliverPrivately(ctx context.Context, rs Responder, req Request, resp Response, expires time.Time) error {
	resp.Ephemeral = true
	if !req.Updates() {
		gone := placeholderGone
		none := []*discordgo.MessageEmbed{}
		comps := []discordgo.MessageComponent{}
		if err := b.finalEdit(ctx, rs, &discordgo.WebhookEdit{Content: &gone, Embeds: &none, Components: &comps, AllowedMentions: noMentions()}, expires); err != nil {
			b.failures.record(ctx, req, ReasonDelivery, err, "step", "placeholder edit")
			return err
		}
	}
	if err := rs.Followup(ctx, privateNote(resp)); err != nil {
		b.failures.record(ctx, req, ReasonDelivery, err, "step", "private follow-up")
		return err
	}
	if !req.Updates() {
		if err := rs.DeleteOriginal(ctx); err != nil {
			// The neutral line stays; the asker has the note.
			b.log.Warn("removing the placeholder of an unanswered question", "err", err)
		}
	}
	return nil
}
