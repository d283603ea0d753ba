package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/corpus/fetch"
	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/feeds"
	"github.com/storybot/storybot/index/library"
)

// Feed commands: moderators follow feeds into their own server's
// collection, like /add-story.
const (
	CmdFollow   = "follow"
	CmdUnfollow = "unfollow"
	CmdFeeds    = "feeds"
)

// Feeds configures /follow, /unfollow, /feeds and the story threads.
type Feeds struct {
	// Poller follows the feeds; without one the commands say feeds are
	// not configured.
	Poller *feeds.Poller
}

// feedCommands are the feed commands, for the bulk overwrite.
func feedCommands() []*AppCommand {
	feedURL := func(desc string, auto bool) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: "url",
			Description: desc, Required: true, MaxLength: 2000, Autocomplete: auto}
	}
	return []*AppCommand{
		moderator(CmdFollow, "Follow a news feed (RSS, Atom or JSON Feed) into this server's stories (moderators)",
			feedURL("The feed's address", false),
			&discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionChannel, Name: "channel",
				Description:  "Post each new story here, with a thread for questions about it",
				ChannelTypes: []discordgo.ChannelType{discordgo.ChannelTypeGuildText, discordgo.ChannelTypeGuildNews, discordgo.ChannelTypeGuildForum}}),
		moderator(CmdUnfollow, "Stop following a feed; the stories it brought stay (moderators)", feedURL("The feed to stop following", true)),
		moderator(CmdFeeds, "List the feeds this server follows and how their polls go (moderators)"),
	}
}

type feedHandlers struct {
	cfg Feeds
	lib *library.Library
}

// collection is the server's own collection, the only one its
// moderators' follows may fill.
func (f feedHandlers) collection(r Request) (string, error) {
	if f.cfg.Poller == nil || f.lib == nil {
		return "", outcome{"refused", "Feeds need a story store (STORYBOT_CORPUS or STORYBOT_DATABASE_URL), and none is configured.", nil}
	}
	col, err := library.GuildCollection(r.Guild)
	if err != nil {
		return "", outcome{"refused", "Feeds can only be followed from inside a server, for that server.", nil}
	}
	return col, nil
}

func (f feedHandlers) follow(ctx context.Context, r Request) (Response, error) {
	col, err := f.collection(r)
	if err != nil {
		return Response{}, err
	}
	channel := strings.TrimSpace(r.Option("channel"))
	res, err := f.cfg.Poller.Follow(ctx, col, r.Option("url"), channel, actor(r))
	switch {
	case errors.Is(err, library.ErrFeedLimit):
		return Response{}, outcome{"rejected", fmt.Sprintf("This server already follows %d feeds, the most it may; /unfollow one first. Nothing was changed.", f.cfg.Poller.Limit()), err}
	case errors.Is(err, feeds.ErrNotAFeed):
		return Response{}, outcome{"rejected", "Not followed: that address does not serve an RSS, Atom or JSON feed (a web page's feed is usually linked as RSS). Nothing was changed.", err}
	case err != nil && isFetchError(err):
		return Response{}, outcome{"rejected", "Not followed: " + Escape(clip(fetchTrouble(err), 300)) + ". Nothing was changed.", err}
	case err != nil:
		return Response{}, outcome{"failed", "The feed could not be followed, so nothing was changed. The bot's log has the details.", err}
	}
	noteAudit(ctx, "feed", res.URL, "added", res.Added)
	name := "the feed"
	if res.Title != "" {
		name = "**" + Escape(clip(res.Title, 100)) + "**"
	}
	msg := fmt.Sprintf("Following %s (%s) into this server's stories.", name, showURL(res.URL))
	if !res.Added {
		msg = fmt.Sprintf("This server already follows %s (%s); its channel is updated.", name, showURL(res.URL))
	} else {
		msg += " Its current items are being indexed now, without being posted."
	}
	if channel != "" {
		msg += fmt.Sprintf(" Each new story will be posted in <#%s> with a thread: questions asked in the thread are about that story.", channel)
	} else {
		msg += " New stories are indexed without being posted (give a channel to have them posted)."
	}
	return note(msg), nil
}

// isFetchError tells the fetcher's refusals, which are written for the
// moderator, from failures of the bot's own.
func isFetchError(err error) bool {
	for _, e := range []error{fetch.ErrScheme, fetch.ErrBadURL, fetch.ErrPrivate, fetch.ErrTooLarge, fetch.ErrTimeout,
		fetch.ErrRedirects, fetch.ErrContentType, fetch.ErrStatus, fetch.ErrUnreachable, fetch.ErrCharset, context.DeadlineExceeded} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

func (f feedHandlers) unfollow(ctx context.Context, r Request) (Response, error) {
	col, err := f.collection(r)
	if err != nil {
		return Response{}, err
	}
	u := strings.TrimSpace(r.Option("url"))
	err = f.cfg.Poller.Unfollow(ctx, col, u)
	switch {
	case errors.Is(err, library.ErrNotFollowed) || errors.Is(err, fetch.ErrBadURL):
		return Response{}, outcome{"rejected", "This server does not follow that feed; /feeds lists the ones it does. Nothing was changed.", nil}
	case err != nil:
		return Response{}, outcome{"failed", "The feed could not be unfollowed. The bot's log has the details.", err}
	}
	noteAudit(ctx, "feed", u)
	return note(fmt.Sprintf("Stopped following %s. The stories it brought stay; /remove-story takes one out.", showURL(u))), nil
}

func (f feedHandlers) list(ctx context.Context, r Request) (Response, error) {
	col, err := f.collection(r)
	if err != nil {
		return Response{}, err
	}
	infos, err := f.cfg.Poller.Feeds(ctx, col)
	if err != nil {
		return Response{}, err
	}
	lines := make([]string, 0, len(infos))
	for _, fi := range infos {
		name := fi.State.Title
		if name == "" {
			name = fi.URL
		}
		line := fmt.Sprintf("**%s**\n%s", Escape(clip(name, 120)), showURL(fi.URL))
		if fi.Channel != "" {
			line += fmt.Sprintf(" → <#%s>", fi.Channel)
		} else {
			line += " (indexed, not posted)"
		}
		switch {
		case !fi.Primed:
			line += "\nIts first poll has not run yet."
		case !fi.State.LastPoll.IsZero():
			line += fmt.Sprintf("\nPolled %s ago: %s.", since(r.Now, fi.State.LastPoll), Escape(clip(fi.State.LastStatus, 200)))
		}
		if fi.State.Failures > 0 {
			line += fmt.Sprintf(" Failed %d %s in a row; next try in %s.", fi.State.Failures, plural(fi.State.Failures, "time", "times"), since(fi.State.NextPoll, r.Now))
		}
		lines = append(lines, line)
	}
	e := listEmbed(fmt.Sprintf("%d of %d feeds followed", len(infos), f.cfg.Poller.Limit()), lines, "This server follows no feeds yet. /follow adds one.")
	return Response{Embeds: []*discordgo.MessageEmbed{e}, Ephemeral: true}, nil
}

// showURL is a feed's address as a link without a preview, or as code
// when it holds characters a link in angle brackets cannot.
func showURL(u string) string {
	if s := safeURL(u); s != "" {
		return "<" + s + ">"
	}
	return "`" + codeSafe(u) + "`"
}

// since is how long from a to b, roughly, for people.
func since(b, a time.Time) string {
	d := b.Sub(a)
	switch {
	case d < time.Minute:
		return "moments"
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int(d.Hours()))
	}
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}

// autocomplete offers the server's feeds to /unfollow and leaves every
// other autocomplete to next.
func (f feedHandlers) autocomplete(next Handler) Handler {
	return func(ctx context.Context, r Request) (Response, error) {
		if r.Command != CmdUnfollow {
			return next(ctx, r)
		}
		col, err := library.GuildCollection(r.Guild)
		if err != nil || f.cfg.Poller == nil {
			return Response{}, nil
		}
		infos, err := f.cfg.Poller.Feeds(ctx, col)
		if err != nil {
			return Response{}, err
		}
		typed := strings.ToLower(strings.TrimSpace(r.Option(r.Focused)))
		var choices []*discordgo.ApplicationCommandOptionChoice
		for _, fi := range infos {
			name := fi.URL
			if fi.State.Title != "" {
				name = fi.State.Title + " — " + fi.URL
			}
			if typed != "" && !strings.Contains(strings.ToLower(name), typed) || dlen(fi.URL) > MaxChoiceLen {
				continue
			}
			if len(choices) < MaxChoices {
				choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: clip(name, MaxChoiceLen), Value: fi.URL})
			}
		}
		return Response{Choices: choices}, nil
	}
}

type impliedStoryKey struct{}

// impliedStory reports whether the request's story was taken from the
// thread it was asked in rather than named by the asker.
func impliedStory(ctx context.Context) bool { v, _ := ctx.Value(impliedStoryKey{}).(bool); return v }

// storyThreads makes a question asked in a story's thread (a mention, a
// plain message where the bot may read them, or a command) about that
// story, unless it names another: the thread's story is the one the
// thread discusses. When that story is no longer indexed (retired to make
// room for a feed's newer ones, or removed), the question is answered from
// everything the server may read, with a note that says why.
func storyThreads(threads *threadCache, ix *index.Index, lib *library.Library) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, r Request) (Response, error) {
			if threads == nil || !(r.Type == Command || r.Type == Mention) || !storyCommands[r.Command] || r.Option("story") != "" || r.Channel == "" {
				return next(ctx, r)
			}
			t, ok := threads.lookup(ctx, r.Channel)
			if !ok || !scopeHas(r, t) {
				return next(ctx, r)
			}
			if _, indexed := ix.Story(index.Scope{t.Collection}, t.Story); !indexed {
				return withoutGoneStory(ctx, next, r, lib, t.Collection, t.Story, "This thread's story")
			}
			opts := make(map[string]string, len(r.Options)+1)
			for k, v := range r.Options {
				opts[k] = v
			}
			opts["story"] = t.Story
			r.Options = opts
			ctx = context.WithValue(ctx, impliedStoryKey{}, true)
			return next(ctx, r)
		}
	}
}

// storyCommands take a story option.
var storyCommands = map[string]bool{CmdAsk: true, CmdWhoSaid: true, CmdWhen: true, CmdQuotes: true, CmdTimeline: true}

// scopeHas says whether the thread's story is one the request may read:
// a thread's record never widens what a server sees.
func scopeHas(r Request, t library.Thread) bool {
	return slices.Contains(scope(r), t.Collection)
}

// routeFeeds routes the feed commands and the autocomplete of /unfollow,
// and returns the thread lookup that story threads use (nil without feeds).
func routeFeeds(rt *Router, o Options, modOnly []Middleware) *threadCache {
	fh := feedHandlers{cfg: o.Feeds, lib: o.Moderation.Library}
	rt.Command(CmdFollow, fh.follow, modOnly...)
	rt.Command(CmdUnfollow, fh.unfollow, modOnly...)
	rt.Command(CmdFeeds, fh.list, modOnly...)
	rt.autocomplete = fh.autocomplete(rt.autocomplete)
	if o.Feeds.Poller == nil {
		return nil
	}
	return newThreadCache(o.Feeds.Poller.Store(), o.Log)
}

// inStoryThread says whether channel is a thread the bot opened on a story.
func (b *Bot) inStoryThread(ctx context.Context, channel string) bool {
	_, ok := b.threads.lookup(ctx, channel)
	return ok
}

// questionStart are the words a question in a story's thread may open
// with when it does not end in a question mark.
var questionStart = map[string]bool{"who": true, "whom": true, "whose": true, "what": true, "when": true, "where": true,
	"why": true, "how": true, "which": true, "did": true, "does": true, "do": true, "is": true, "are": true, "was": true,
	"were": true, "can": true, "could": true, "will": true, "would": true, "should": true, "has": true, "have": true, "had": true}

// isQuestion tells a question from talk: a plain message in a story's
// thread is answered only when it asks something.
func isQuestion(q string) bool {
	if strings.Contains(q, "?") {
		return true
	}
	w, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(q)), " ")
	return questionStart[strings.Trim(w, ",.:;!\"'“”")]
}

// addRetired lists, below /stories, the server's stories that were retired
// to make room for a feed's new ones: they are not answered from, and
// /restore-story brings one back while the restore window lasts.
func addRetired(e *discordgo.MessageEmbed, retired []library.Removed, keep time.Duration) {
	if len(retired) == 0 {
		return
	}
	var b strings.Builder
	n := 0
	for _, r := range retired {
		line := fmt.Sprintf("`%s` · retired %s\n", codeSafe(r.ID), r.At.UTC().Format("2006-01-02"))
		if dlen(b.String())+dlen(line) > MaxFieldValue-60 {
			break
		}
		b.WriteString(line)
		n++
	}
	if n < len(retired) {
		fmt.Fprintf(&b, "*…and %d more.*", len(retired)-n)
	}
	e.Fields = append(e.Fields, &discordgo.MessageEmbedField{
		Name:  clip(fmt.Sprintf("Retired: %d (not answered from; /restore-story brings one back within %s)", len(retired), library.FormatKeep(keep)), MaxFieldName),
		Value: strings.TrimRight(b.String(), "\n"),
	})
	fitEmbed(e)
}
