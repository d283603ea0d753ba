package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Connection says how to reach Discord.
type Connection struct {
	Token   string
	AppID   string // default: the bot's user ID from READY
	GuildID string // register commands here instead of globally
	// APIBase replaces https://discord.com for every REST request.
	APIBase             string
	ShardID, ShardCount int
	// MessageContent asks for the privileged Message Content intent.
	// Without it mentions still carry their content.
	MessageContent bool
	// Dialer is the websocket dialer (default: gorilla's default).
	Dialer *websocket.Dialer
}

// session builds a discordgo session whose REST calls go to APIBase.
// The token is only ever handed to discordgo, never formatted or logged.
func (c Connection) session() (*discordgo.Session, error) {
	s, err := discordgo.New("Bot " + strings.TrimPrefix(c.Token, "Bot "))
	if err != nil {
		return nil, err
	}
	base := c.APIBase
	if base == "" {
		base = "https://discord.com"
	}
	if s.Client, err = RESTClient(base); err != nil {
		return nil, fmt.Errorf("DISCORD_API_BASE: %w", err)
	}
	if c.Dialer != nil {
		s.Dialer = c.Dialer
	}
	s.ShardID, s.ShardCount = c.ShardID, max(c.ShardCount, 1)
	s.Identify.Intents = discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages
	if c.MessageContent {
		s.Identify.Intents |= discordgo.IntentMessageContent
	}
	// Gateway frames are read as text in the fake and in proxies; Discord
	// compresses only when asked.
	s.Identify.Compress = false
	return s, nil
}

// RunGateway connects over the gateway, registers the commands and
// answers until ctx is cancelled (SIGINT or SIGTERM in storybot serve),
// then closes the connection and lets answers in flight finish.
func (b *Bot) RunGateway(ctx context.Context, c Connection) (err error) {
	b.connected(c)
	defer func() { err = b.secrets.redactErr(err) }()
	s, err := c.session()
	if err != nil {
		return err
	}
	// /gateway/bot checks the token before the websocket does, and
	// reports the shard count Discord recommends.
	gb, err := s.GatewayBot()
	if err != nil {
		return fmt.Errorf("asking Discord for the gateway: %w", err)
	}
	b.log.Info("gateway", "recommended_shards", gb.Shards, "shard", s.ShardID, "shards", s.ShardCount)

	// Answers in flight outlive ctx, so shutting down does not cut a
	// reply off halfway; they get a bounded grace period instead.
	work, stop := context.WithCancel(context.WithoutCancel(ctx))
	defer stop()
	var inflight tracker
	// The raw event, not *discordgo.InteractionCreate: its JSON holds what
	// discordgo does not decode (see installation).
	s.AddHandler(func(s *discordgo.Session, e *discordgo.Event) {
		ic, ok := e.Struct.(*discordgo.InteractionCreate)
		if !ok || ic.Interaction == nil {
			return
		}
		if !inflight.start() {
			return // shutting down: Discord times the interaction out
		}
		defer inflight.done()
		// Interact logs and counts its own failures.
		_ = b.Interact(work, ic.Interaction, e.RawData, sessionResponder{s, ic.Interaction})
	})
	s.AddHandler(b.roles.track)
	s.AddHandler(func(s *discordgo.Session, mc *discordgo.MessageCreate) {
		id := botUserID(s)
		msg := messageOf(mc.Message, id, b.roles.of(mc.GuildID))
		msg.InStoryThread = !msg.AuthorIsBot && b.inStoryThread(work, msg.Channel)
		req, ok := MentionRequest(msg, id)
		if !ok {
			return
		}
		if !inflight.start() {
			return
		}
		defer inflight.done()
		req.Now = b.now()
		if req.Settings = b.settings.get(work, req.Guild, req.Channel); req.Settings.NoMentions {
			b.log.Debug("mention not answered: this channel's moderators turned mentions off", "guild", req.Guild, "channel", req.Channel, "message", mc.ID)
			return
		}
		resp := b.Handle(work, req)
		if resp.Throttled {
			return
		}
		b.replyToMention(work, s, mc.Message, req, resp)
	})
	if err := s.Open(); err != nil {
		return fmt.Errorf("connecting to the gateway: %w", err)
	}
	defer func() {
		s.Close()
		inflight.close(10 * time.Second)
	}()
	if s.ShardID == 0 {
		app := c.AppID
		if app == "" {
			app = botUserID(s) // a bot's user ID is its application ID
		}
		if err := RegisterCommands(s, app, c.GuildID); err != nil {
			return err
		}
	}
	b.log.Info("connected; answering", "shard", s.ShardID)
	<-ctx.Done()
	b.log.Info("shutting down")
	return nil
}

// botUserID is the bot's own user ID; discordgo's state has it from READY
// before Open returns.
func botUserID(s *discordgo.Session) string {
	s.State.RLock()
	defer s.State.RUnlock()
	if s.State.User == nil {
		return ""
	}
	return s.State.User.ID
}

// RegisterCommands overwrites the application's commands in one request:
// in one guild when guildID is set, which takes effect at once, and
// globally otherwise.
func RegisterCommands(s *discordgo.Session, appID, guildID string) error {
	if appID == "" {
		return errors.New("registering commands: no application ID (set DISCORD_APP_ID)")
	}
	cmds := Commands()
	if guildID != "" {
		cmds = GuildCommands()
	}
	endpoint := discordgo.EndpointApplicationGlobalCommands(appID)
	if guildID != "" {
		endpoint = discordgo.EndpointApplicationGuildCommands(appID, guildID)
	}
	// discordgo's ApplicationCommandBulkOverwrite would drop the fields
	// Command adds; the request is the same.
	if _, err := s.RequestWithBucketID("PUT", endpoint, cmds, endpoint); err != nil {
		return fmt.Errorf("registering commands: %w", err)
	}
	return nil
}

// messageOf extracts what MentionRequest needs from a gateway message;
// botRole is the bot's own role in the message's server, if known.
func messageOf(m *discordgo.Message, botID, botRole string) Message {
	msg := Message{ID: m.ID, Channel: m.ChannelID, Guild: m.GuildID, Content: m.Content, DM: m.GuildID == ""}
	if m.Author != nil {
		msg.Author, msg.AuthorIsBot = m.Author.ID, m.Author.Bot
	}
	for _, u := range m.Mentions {
		if u != nil && u.ID == botID {
			msg.MentionsBot = true
		}
	}
	for _, r := range m.MentionRoles {
		if botRole != "" && r == botRole {
			msg.MentionsBot = true
		}
	}
	if ref := m.ReferencedMessage; ref != nil && ref.Author != nil && ref.Author.ID == botID {
		msg.ReplyToBot = true
		for _, e := range ref.Embeds {
			if e.Footer != nil && msg.ReplyStory == "" {
				msg.ReplyStory = StoryFromFooter(e.Footer.Text)
			}
			if e.Author != nil && msg.ReplyQuestion == "" {
				msg.ReplyQuestion = QuestionFromAuthor(e.Author.Name)
			}
		}
	}
	return msg
}

type sessionResponder struct {
	s *discordgo.Session
	i *discordgo.Interaction
}

func (r sessionResponder) Respond(ctx context.Context, resp *discordgo.InteractionResponse) error {
	return r.s.InteractionRespond(r.i, resp, discordgo.WithContext(ctx))
}

func (r sessionResponder) Edit(ctx context.Context, e *discordgo.WebhookEdit) error {
	_, err := r.s.InteractionResponseEdit(r.i, e, discordgo.WithContext(ctx))
	return err
}

// tracker counts answers in flight so shutdown can wait for them. Events
// keep arriving on discordgo's handler goroutines (and requests on the
// HTTP server's) while shutdown waits, and sync.WaitGroup forbids an Add
// from zero concurrent with Wait; so start and close share a lock, and
// once closing, start refuses.
type tracker struct {
	mu      sync.Mutex
	closing bool
	wg      sync.WaitGroup
}

// start registers an answer; false means shutdown has begun and the
// event is to be dropped. Each true is matched by one done.
func (t *tracker) start() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closing {
		return false
	}
	t.wg.Add(1)
	return true
}

func (t *tracker) done() { t.wg.Done() }

// close refuses new answers and waits up to grace for those in flight.
func (t *tracker) close(grace time.Duration) {
	t.mu.Lock()
	t.closing = true
	t.mu.Unlock()
	done := make(chan struct{})
	go func() { t.wg.Wait(); close(done) }()
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
	}
}
