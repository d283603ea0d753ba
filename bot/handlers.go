package bot

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/answer"
	"github.com/storybot/storybot/index/library"
)

// handlers answer from one engine. Each is a pure function of the request
// and the index. Every read is scoped to what the request's server may
// see: its own collection and the shared library, or in a direct message
// the shared library alone.
type handlers struct {
	eng *answer.Engine
	lib *library.Library // nil without a store: then no removed stories to list
}

func scope(r Request) index.Scope { return library.Scope(r.Guild) }

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
	story, err := h.story(r, r.Option("story"))
	if err != nil {
		return Response{}, err
	}
	p := page{Kind: kind, Issued: r.Now, Story: story, Question: q}
	resp, err := h.answerPage(ctx, scope(r), p, r.Private())
	if err == nil && !resp.Ephemeral {
		resp.Thread = threadFor(r, q)
	}
	return resp, err
}

// answerPage shows PageSize passages from p.Offset on, with a button for
// more when there are more. It asks for one passage beyond the page to know.
func (h handlers) answerPage(ctx context.Context, sc index.Scope, p page, private bool) (Response, error) {
	a, err := h.eng.Answer(ctx, answer.Request{Kind: p.Kind, Question: p.Question, Scope: sc, Story: p.Story,
		ImpliedStory: impliedStory(ctx), N: p.Offset + PageSize + 1})
	if err != nil {
		return Response{}, err
	}
	more := len(a.Passages) > p.Offset+PageSize
	if p.Offset > 0 {
		a.Passages = a.Passages[min(p.Offset, len(a.Passages)):]
	}
	a.Passages = a.Passages[:min(PageSize, len(a.Passages))]
	resp := Response{Embeds: []*discordgo.MessageEmbed{RenderAnswer(a, p.Offset+1)}, Ephemeral: private, NoAnswer: !a.Found}
	resp.Components = answerButtons(p, more, h.keepsVotes())
	return resp, nil
}

// keepsVotes says whether answers get 👍 and 👎: only where the votes can
// be kept.
func (h handlers) keepsVotes() bool { return h.lib != nil && h.lib.KeepsFeedback() }

// more serves Previous and Next: the page the button names, in place of
// the one shown, so paging adds nothing to the channel.
func (h handlers) more(ctx context.Context, r Request) (Response, error) {
	p, err := decodePage(r.CustomID)
	if err != nil {
		return Response{}, err
	}
	if r.Now.Sub(p.Issued) > ButtonLifetime {
		return Response{Ephemeral: true, Content: "This button has expired (buttons work for 15 minutes). Please ask again to see more passages."}, nil
	}
	p.Issued = r.Now
	// The scope is the presser's server, never the button's: a custom ID
	// can be forged, the interaction's guild cannot.
	resp, err := h.answerPage(ctx, scope(r), p, false)
	resp.Update = err == nil
	return resp, err
}

func (h handlers) quotes(ctx context.Context, r Request) (Response, error) {
	story, err := h.story(r, r.Option("story"))
	if err != nil {
		return Response{}, err
	}
	items, err := h.eng.Quotes(ctx, scope(r), story)
	if err != nil {
		return Response{}, err
	}
	return Response{Embeds: []*discordgo.MessageEmbed{RenderQuotes(items)}, Ephemeral: r.Private()}, nil
}

// timelineShown is more events than one embed's description holds.
const timelineShown = 60

func (h handlers) timeline(ctx context.Context, r Request) (Response, error) {
	story, err := h.story(r, r.Option("story"))
	if err != nil {
		return Response{}, err
	}
	// An embed shows a few dozen events; only those have their sentences read.
	events, total, err := h.eng.TimelinePage(ctx, scope(r), story, timelineShown)
	if err != nil {
		return Response{}, err
	}
	return Response{Embeds: []*discordgo.MessageEmbed{RenderTimeline(events, total)}, Ephemeral: r.Private()}, nil
}

func (h handlers) stories(ctx context.Context, r Request) (Response, error) {
	sc := scope(r)
	list := h.eng.Stories(sc)
	if v := r.Option("story"); v != "" {
		id, err := h.story(r, v)
		if err != nil {
			return Response{}, err
		}
		info, _ := h.eng.Index().Story(sc, id)
		list = list[:0:0]
		list = append(list, info)
	}
	e := RenderStories(list)
	if col, err := library.GuildCollection(r.Guild); err == nil && h.lib != nil {
		u, q := h.lib.Usage(col), h.lib.Quota(col)
		e.Footer = &discordgo.MessageEmbedFooter{Text: fmt.Sprintf("This server's own stories: %d of %d (%s of %s). The rest are the shared library.",
			u.Stories, q.Stories, library.FormatBytes(u.Bytes), library.FormatBytes(q.Bytes))}
		if retired, err := h.lib.Retired(ctx, col); err == nil {
			addRetired(e, retired, h.lib.Keep())
		}
	}
	return Response{Embeds: []*discordgo.MessageEmbed{e}, Ephemeral: r.Private()}, nil
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
	a, err := h.eng.Answer(ctx, answer.Request{Kind: answer.Ask, Question: claim, Scope: scope(r), N: PageSize})
	if err != nil {
		return Response{}, err
	}
	if a.Found {
		// A claim asks for passages, not a short answer; the note that
		// there is none would only confuse.
		a.Note = ""
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

// autocomplete offers stories whose ID or headline contains what was
// typed: for /remove-story the server's own stories, for /restore-story
// its removed ones, and otherwise every story the server may read.
func (h handlers) autocomplete(ctx context.Context, r Request) (Response, error) {
	typed := strings.ToLower(strings.TrimSpace(r.Option(r.Focused)))
	var opts []choice
	switch r.Command {
	case CmdRemoveStory:
		if col, err := library.GuildCollection(r.Guild); err == nil {
			opts = storyChoices(h.eng.Stories(index.Scope{col}))
		}
	case CmdRestoreStory:
		if col, err := library.GuildCollection(r.Guild); err == nil && h.lib != nil {
			removed, err := h.lib.Removed(ctx, col)
			if err != nil {
				return Response{}, err
			}
			for _, rm := range removed {
				verb := "removed"
				if rm.Replace {
					verb = "replaced"
				}
				opts = append(opts, choice{name: fmt.Sprintf("%s (%s %s)", rm.ID, verb, rm.At.UTC().Format("Jan 2 15:04")), value: rm.Key, id: rm.ID})
			}
		}
	default:
		opts = storyChoices(h.eng.Stories(scope(r)))
	}
	type scored struct {
		rank int
		c    *discordgo.ApplicationCommandOptionChoice
	}
	var all []scored
	for _, o := range opts {
		id, head := strings.ToLower(o.id), strings.ToLower(o.name)
		rank := 0
		switch {
		case typed == "":
		case strings.HasPrefix(id, typed) || strings.HasPrefix(head, typed):
		case strings.Contains(id, typed) || strings.Contains(head, typed):
			rank = 1
		default:
			continue
		}
		if dlen(o.value) > MaxChoiceLen {
			continue // a value Discord would reject
		}
		all = append(all, scored{rank, &discordgo.ApplicationCommandOptionChoice{Name: clip(o.name, MaxChoiceLen), Value: o.value}})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].rank < all[j].rank })
	var choices []*discordgo.ApplicationCommandOptionChoice
	for _, s := range all[:min(MaxChoices, len(all))] {
		choices = append(choices, s.c)
	}
	return Response{Choices: choices}, nil
}

// choice is one autocomplete offer before it is ranked.
type choice struct{ name, value, id string }

func storyChoices(list []index.StoryInfo) []choice {
	out := make([]choice, 0, len(list))
	for _, s := range list {
		name := s.Headline
		if name == "" {
			name = s.ID
		}
		out = append(out, choice{name: name, value: s.ID, id: s.ID})
	}
	return out
}

// story resolves the story option: an exact ID, as autocomplete fills it
// in, or else a unique part of an ID or headline, as people type it.
func (h handlers) story(r Request, v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	sc := scope(r)
	if _, ok := h.eng.Index().Story(sc, v); ok {
		return v, nil
	}
	l := strings.ToLower(v)
	var found []string
	for _, s := range h.eng.Stories(sc) {
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
