package bot

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/feeds"
	"github.com/storybot/storybot/index/library"
)

// Announcer posts the stories that followed feeds bring: the headline,
// outlet, date, link and first paragraph, with a thread to discuss it
// (in a forum channel, a forum post per story). It needs no gateway, only
// REST, so HTTP-mode replicas post too.
type Announcer struct {
	s       *discordgo.Session
	b       *Bot
	mu      sync.Mutex
	kinds   map[string]*discordgo.Channel
	archive int
}

// NewAnnouncer makes the bot's announcer over REST with c's token.
func (b *Bot) NewAnnouncer(c Connection) (*Announcer, error) {
	b.connected(c)
	s, err := c.session()
	if err != nil {
		return nil, err
	}
	return &Announcer{s: s, b: b, kinds: map[string]*discordgo.Channel{}, archive: 24 * 60}, nil
}

var _ feeds.Announcer = (*Announcer)(nil)

// Announce posts the story in the channel and opens its thread. A story
// that was posted but got no thread (the bot may not create threads
// there) returns "" and no error: replies to the post still follow it up.
func (a *Announcer) Announce(ctx context.Context, an feeds.Announcement) (string, error) {
	ch, err := a.channel(ctx, an.Channel)
	if err != nil {
		return "", fmt.Errorf("looking up the channel: %w", err)
	}
	// A server's stories are posted in that server only, whatever
	// channel ID its follow names.
	if an.Collection != index.Shared && ch.GuildID != "" && ch.GuildID != an.Collection {
		return "", fmt.Errorf("channel %s is not in server %s", an.Channel, an.Collection)
	}
	kind := ch.Type
	msg := AnnouncementMessage(an.Story, an.FeedTitle)
	start := &discordgo.ThreadStart{Name: threadName(an.Story), AutoArchiveDuration: a.archive}
	var thread *discordgo.Channel
	if kind == discordgo.ChannelTypeGuildForum || kind == discordgo.ChannelTypeGuildMedia {
		thread, err = a.s.ForumThreadStartComplex(an.Channel, start, msg, discordgo.WithContext(ctx))
		if err != nil {
			return "", fmt.Errorf("starting the forum post: %w", err)
		}
	} else {
		m, err := a.s.ChannelMessageSendComplex(an.Channel, msg, discordgo.WithContext(ctx))
		if err != nil {
			return "", fmt.Errorf("posting the story: %w", err)
		}
		thread, err = a.s.MessageThreadStartComplex(an.Channel, m.ID, start, discordgo.WithContext(ctx))
		if err != nil {
			a.b.log.Warn("posted a feed's story but could not open its thread", "channel", an.Channel, "story", an.Story.ID, "err", err)
			return "", nil
		}
	}
	if a.b.threads != nil {
		a.b.threads.put(library.Thread{ID: thread.ID, Collection: an.Collection, Story: an.Story.ID, Feed: an.FeedURL, Channel: an.Channel, At: time.Now()})
	}
	return thread.ID, nil
}

// channel is what Discord says of a channel, asked once per channel.
func (a *Announcer) channel(ctx context.Context, id string) (*discordgo.Channel, error) {
	a.mu.Lock()
	ch, ok := a.kinds[id]
	a.mu.Unlock()
	if ok {
		return ch, nil
	}
	ch, err := a.s.Channel(id, discordgo.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	a.kinds[id] = ch
	a.mu.Unlock()
	return ch, nil
}

// threadName is the headline, within Discord's 100 characters.
func threadName(st *corpus.Story) string {
	name := strings.TrimSpace(st.Headline)
	if name == "" {
		name = st.ID
	}
	return clip(name, 100)
}

// AnnouncementMessage is the post of a new story. Its footer names the
// story, as an answer's does, so a reply to it is a follow-up on it.
func AnnouncementMessage(st *corpus.Story, feedTitle string) *discordgo.MessageSend {
	var meta []string
	if st.Source != "" {
		meta = append(meta, st.Source)
	} else if feedTitle != "" {
		meta = append(meta, feedTitle)
	}
	if st.DateKnown() {
		meta = append(meta, st.PublishedISO())
	}
	var d strings.Builder
	if len(st.Paragraphs) > 0 {
		d.WriteString(Escape(clip(st.Paragraphs[0].Text, 1500)))
		d.WriteString("\n\n")
	}
	d.WriteString("*Questions in the thread are about this story: mention me, e.g. “@StoryBot who said …?”*")
	e := &discordgo.MessageEmbed{
		Title:       clipEscaped(st.Headline, MaxTitle, Escape),
		URL:         safeURL(st.URL),
		Description: d.String(),
		Color:       colourFound,
		Footer:      &discordgo.MessageEmbedFooter{Text: footerStory + st.ID},
	}
	if len(meta) > 0 {
		e.Author = &discordgo.MessageEmbedAuthor{Name: clipEscaped(strings.Join(meta, " · "), MaxAuthor, Defang)}
	}
	content := ""
	if u := safeURL(st.URL); u != "" {
		content = "<" + u + ">"
	}
	return &discordgo.MessageSend{Content: content, Embeds: []*discordgo.MessageEmbed{fitEmbed(e)}, AllowedMentions: noMentions()}
}
