package bot

import (
	"context"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/answer"
	"github.com/storybot/storybot/index/library"
)

// VoteLifetime is how long 👍 and 👎 take votes. A vote is kept with the
// answer as the engine gives it when the vote arrives; a day later the
// stories may have changed enough that it would judge another answer.
const VoteLifetime = 24 * time.Hour

// reasonField is the form's one text input.
const reasonField = "reason"

// votes serves 👍, 👎 and the form a 👎 opens. Each vote is kept with the
// question, the answer and the passages of the page it judged, per server.
type votes struct {
	eng *answer.Engine
	lib *library.Library
}

// up records a 👍 at once.
func (v votes) up(ctx context.Context, r Request) (Response, error) {
	return v.record(ctx, r, library.VoteUp, "")
}

// down opens the form that asks why. It does no work: a form must be the
// first response, within Discord's three seconds. The vote is recorded
// when the form is sent; closing the form takes the 👎 back.
func (v votes) down(ctx context.Context, r Request) (Response, error) {
	if err := v.kept(); err != nil {
		return Response{}, err
	}
	p, err := decodePage(r.CustomID)
	if err != nil {
		return Response{}, err
	}
	id, ok := p.encodeAs(whyPrefix)
	if !ok {
		return Response{}, errBadButton
	}
	return Response{Form: &discordgo.InteractionResponseData{
		CustomID: id,
		Title:    "What was wrong with this answer?",
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.TextInput{CustomID: reasonField, Label: "Why? (optional)", Style: discordgo.TextInputParagraph,
				Placeholder: "The wrong speaker or date, a passage that does not answer it, …", MaxLength: 500},
		}}},
	}}, nil
}

// why records a 👎 with the reason the form gave, if any.
func (v votes) why(ctx context.Context, r Request) (Response, error) {
	return v.record(ctx, r, library.VoteDown, r.Option(reasonField))
}

// kept refuses a vote where none can be kept (no button offers one then).
func (v votes) kept() error {
	if v.lib == nil || !v.lib.KeepsFeedback() {
		return UserError{"Votes can't be kept here: the bot runs without a story store."}
	}
	return nil
}

func (v votes) record(ctx context.Context, r Request, vote, reason string) (Response, error) {
	if err := v.kept(); err != nil {
		return Response{}, err
	}
	p, err := decodePage(r.CustomID)
	if err != nil {
		return Response{}, err
	}
	if r.Now.Sub(p.Issued) > VoteLifetime {
		return note("This answer is too old to vote on (votes are taken for a day). Ask again, and vote on the new answer."), nil
	}
	if r.Message == nil || r.Message.ID == "" {
		return Response{}, UserError{"I can't tell which answer this vote is for. Please vote on the answer itself."}
	}
	q := p.Question
	// The button holds as much of the question as fits in its ID; the
	// embed shows more of it.
	if full := r.Message.Question; full != "" && strings.HasPrefix(full, q) {
		q = full
	}
	a, err := v.eng.Answer(ctx, answer.Request{Kind: p.Kind, Question: q, Scope: scope(r), Story: p.Story, N: p.Offset + PageSize})
	if err != nil {
		return Response{}, err
	}
	col, err := library.GuildCollection(r.Guild)
	if err != nil {
		col = index.Shared
	}
	fb := library.Feedback{Collection: col, Channel: r.Channel, Message: r.Message.ID, User: r.User, At: r.Now,
		Vote: vote, Reason: reason, Kind: string(p.Kind), Question: q, Story: p.Story, Offset: p.Offset,
		Answer: a.Answer, Date: a.Date, Passages: []library.FeedbackPassage{}}
	for _, ps := range a.Passages[min(p.Offset, len(a.Passages)):] {
		fb.Passages = append(fb.Passages, library.FeedbackPassage{Story: ps.Story, Paragraph: ps.Paragraph, Text: ps.Text, Score: ps.Score})
	}
	if err := v.lib.PutFeedback(ctx, fb); err != nil {
		return Response{}, err
	}
	if vote == library.VoteUp {
		return note("Thanks! Your 👍 is noted. Votes are kept to measure and improve the answers."), nil
	}
	with := ""
	if strings.TrimSpace(reason) != "" {
		with = ", with your reason"
	}
	return note("Thanks! Your 👎 is noted" + with + ". Votes are kept to measure and improve the answers."), nil
}
