package bot

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/index/answer"
)

// handlers answer from one engine. Each is a pure function of the request
// and the index.
type handlers struct {
	eng *answer.Engine
}

var commandKinds = map[string]answer.Kind{CmdAsk: answer.Ask, CmdWhoSaid: answer.Who, CmdWhen: answer.When}

// question answers /ask, /who-said and /when, and mentions routed to them.
func (h handlers) question(ctx context.Context, r Request) (Response, error) {
	kind := commandKinds[r.Command]
	q := strings.TrimSpace(r.Option(questionOption[r.Command]))
	if q == "" {
		q = strings.TrimSpace(r.Option("question"))
	}
	if prev := r.Option("context"); prev != "" {
		// A follow-up such as "and when was that?" has few words of its
		// own; the question it follows up supplies the rest.
		q += " " + prev
	}
	story, err := h.story(r.Option("story"))
	if err != nil {
		return Response{}, err
	}
	p := page{Kind: kind, Issued: r.Now, Story: story, Question: q}
	return h.answerPage(ctx, p, r.Private())
}

// answerPage shows PageSize passages from p.Offset on, with a button for
// more when there are more. It asks for one passage beyond the page to know.
func (h handlers) answerPage(ctx context.Context, p page, private bool) (Response, error) {
	a, err := h.eng.Answer(ctx, answer.Request{Kind: p.Kind, Question: p.Question, Story: p.Story, N: p.Offset + PageSize + 1})
	if err != nil {
		return Response{}, err
	}
	more := len(a.Passages) > p.Offset+PageSize
	if p.Offset > 0 {
		a.Passages = a.Passages[min(p.Offset, len(a.Passages)):]
	}
	a.Passages = a.Passages[:min(PageSize, len(a.Passages))]
	resp := Response{Embeds: []*discordgo.MessageEmbed{RenderAnswer(a, p.Offset+1)}, Ephemeral: private, NoAnswer: !a.Found}
	if more {
		next := p
		next.Offset += PageSize
		resp.Components = moreButton(next)
	}
	return resp, nil
}

// more serves the "More passages" button: the next page, privately to
// whoever pressed it, so paging never clutters the channel.
func (h handlers) more(ctx context.Context, r Request) (Response, error) {
	p, err := decodePage(r.CustomID)
	if err != nil {
		return Response{}, err
	}
	if r.Now.Sub(p.Issued) > ButtonLifetime {
		return Response{Ephemeral: true, Content: "This button has expired (buttons work for 15 minutes). Please ask again to see more passages."}, nil
	}
	p.Issued = r.Now
	return h.answerPage(ctx, p, r.Private())
}

func (h handlers) quotes(ctx context.Context, r Request) (Response, error) {
	story, err := h.story(r.Option("story"))
	if err != nil {
		return Response{}, err
	}
	items, err := h.eng.Quotes(ctx, story)
	if err != nil {
		return Response{}, err
	}
	return Response{Embeds: []*discordgo.MessageEmbed{RenderQuotes(items)}, Ephemeral: r.Private()}, nil
}

func (h handlers) timeline(ctx context.Context, r Request) (Response, error) {
	story, err := h.story(r.Option("story"))
	if err != nil {
		return Response{}, err
	}
	events, err := h.eng.Timeline(ctx, story)
	if err != nil {
		return Response{}, err
	}
	return Response{Embeds: []*discordgo.MessageEmbed{RenderTimeline(events)}, Ephemeral: r.Private()}, nil
}

func (h handlers) stories(ctx context.Context, r Request) (Response, error) {
	list := h.eng.Stories()
	if v := r.Option("story"); v != "" {
		id, err := h.story(v)
		if err != nil {
			return Response{}, err
		}
		info, _ := h.eng.Index().Story(id)
		list = list[:0:0]
		list = append(list, info)
	}
	return Response{Embeds: []*discordgo.MessageEmbed{RenderStories(list)}, Ephemeral: r.Private()}, nil
}

// check serves "Check against the story": the passages closest to the
// claim in a message, each labelled by whether its wording agrees. It says
// plainly that the reader judges; the labels only flag negation, which is
// where a close passage most often says the opposite.
func (h handlers) check(ctx context.Context, r Request) (Response, error) {
	claim := strings.TrimSpace(r.Option("question"))
	if claim == "" {
		return Response{}, UserError{"That message has no text I can check. (Attachments and embeds are not read.)"}
	}
	a, err := h.eng.Answer(ctx, answer.Request{Kind: answer.Ask, Question: claim, N: PageSize})
	if err != nil {
		return Response{}, err
	}
	e := RenderAnswer(a, 1)
	if a.Found {
		e.Title = "Passages that bear on this claim"
		e.Author.Name = clipEscaped(claimLabel+claim, MaxAuthor, Defang)
		labels := make([]string, len(a.Passages))
		for i, p := range a.Passages {
			labels[i] = stance(claim, p.Text)
		}
		e.Description = "*" + labels[0] + "*\n" + e.Description
		for i, f := range e.Fields {
			f.Name += " — " + labels[i+1]
		}
		e.Description += "\n\n*Matching words are in bold; read the passages to judge the claim.*"
		fitEmbed(e)
	}
	return Response{Embeds: []*discordgo.MessageEmbed{e}, Ephemeral: r.Private(), NoAnswer: !a.Found}, nil
}

var negations = []string{"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "denied", "denies", "deny", "false", "didn't", "don't", "doesn't", "isn't", "wasn't", "weren't", "aren't", "won't", "cannot", "can't"}

func stance(claim, passage string) string {
	if hasNegation(claim) != hasNegation(passage) {
		return "may contradict it"
	}
	return "may support it"
}

func hasNegation(s string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r == '\'' || r == '’')
	}) {
		w = strings.ReplaceAll(w, "’", "'")
		for _, n := range negations {
			if w == n {
				return true
			}
		}
	}
	return false
}

// autocomplete offers stories whose ID or headline contains what was typed.
func (h handlers) autocomplete(ctx context.Context, r Request) (Response, error) {
	typed := strings.ToLower(strings.TrimSpace(r.Option(r.Focused)))
	var choices []*discordgo.ApplicationCommandOptionChoice
	type scored struct {
		rank int
		c    *discordgo.ApplicationCommandOptionChoice
	}
	var all []scored
	for _, s := range h.eng.Stories() {
		id, head := strings.ToLower(s.ID), strings.ToLower(s.Headline)
		rank := 0
		switch {
		case typed == "":
		case strings.HasPrefix(id, typed) || strings.HasPrefix(head, typed):
		case strings.Contains(id, typed) || strings.Contains(head, typed):
			rank = 1
		default:
			continue
		}
		if dlen(s.ID) > MaxChoiceLen {
			continue // a value Discord would reject
		}
		name := s.Headline
		if name == "" {
			name = s.ID
		}
		all = append(all, scored{rank, &discordgo.ApplicationCommandOptionChoice{Name: clip(name, MaxChoiceLen), Value: s.ID}})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].rank < all[j].rank })
	for _, s := range all[:min(MaxChoices, len(all))] {
		choices = append(choices, s.c)
	}
	return Response{Choices: choices}, nil
}

// story resolves the story option: an exact ID, as autocomplete fills it
// in, or else a unique part of an ID or headline, as people type it.
func (h handlers) story(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	if _, ok := h.eng.Index().Story(v); ok {
		return v, nil
	}
	l := strings.ToLower(v)
	var found []string
	for _, s := range h.eng.Stories() {
		if strings.Contains(strings.ToLower(s.ID), l) || strings.Contains(strings.ToLower(s.Headline), l) {
			found = append(found, s.ID)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return "", fmt.Errorf("%w: %q", answer.ErrUnknownStory, v)
	}
	// What was typed is shown back, so it is escaped like story text: it
	// must not format, mention or ping.
	return "", UserError{fmt.Sprintf("%d stories match “%s”; pick one from the list that appears as you type.", len(found), Escape(clip(v, 80)))}
}
