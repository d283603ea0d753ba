package bot

import (
	"context"
	"log/slog"
	"runtime"
	"time"

	"github.com/storybot/storybot/index/answer"
)

// Options tune a Bot. The zero value of each field means its default.
type Options struct {
	// RatePerUser and RatePerChannel are requests per second (default 0.5 and 2).
	RatePerUser, RatePerChannel float64
	// QueryTimeout bounds one handler (default 10s; deferral covers Discord's 3s).
	QueryTimeout time.Duration
	// DeferAfter is how long an interaction may run before it is deferred
	// (default 1.5s, leaving room for the network inside Discord's 3s).
	DeferAfter time.Duration
	// Now is the clock (default time.Now); tests move it to expire buttons.
	Now func() time.Time
	Log *slog.Logger
	// Moderation configures the moderator commands.
	Moderation Moderation
	// Metrics, when set, records answers and reindexes, and failures
	// too when it is a FailureRecorder.
	Metrics Recorder
	// AnswerSlots is how many answers run at once (default: one per
	// processor, as the engine runs them); see fairGate for who gets them.
	AnswerSlots int
	// EditRetry is the first wait before a failed final edit is tried
	// again (default 1s); the wait doubles up to a minute, while the
	// interaction's token lasts.
	EditRetry time.Duration
	// Extra middleware, innermost, for tests.
	Middleware []Middleware
	// Feeds configures /follow, /unfollow, /feeds and the story threads.
	Feeds Feeds
}

// Bot is the transport-independent bot: a router with its middleware.
type Bot struct {
	handle     Handler
	engine     *answer.Engine
	now        func() time.Time
	deferAfter time.Duration
	log        *slog.Logger
	secrets    *secrets
	failures   failures
	editRetry  time.Duration
	settings   *channelSettings
	roles      *botRoles
	// tokenLifetime is how long Discord accepts edits of an interaction.
	tokenLifetime time.Duration
	// threads finds the story of a thread the bot opened on it.
	threads *threadCache
}

// New builds the bot over an engine.
func New(eng *answer.Engine, o Options) *Bot {
	if o.RatePerUser <= 0 {
		o.RatePerUser = 0.5
	}
	if o.RatePerChannel <= 0 {
		o.RatePerChannel = 2
	}
	if o.QueryTimeout <= 0 {
		o.QueryTimeout = 10 * time.Second
	}
	if o.DeferAfter <= 0 {
		o.DeferAfter = 1500 * time.Millisecond
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	if o.AnswerSlots <= 0 {
		o.AnswerSlots = runtime.GOMAXPROCS(0)
	}
	if o.EditRetry <= 0 {
		o.EditRetry = time.Second
	}
	// Every line the bot logs goes through the redactor; RunGateway and
	// NewInteractionServer tell it the token and the API base.
	sec := &secrets{}
	o.Log = slog.New(redactingHandler{next: o.Log.Handler(), s: sec})
	rec, _ := o.Metrics.(FailureRecorder)
	h := handlers{eng: eng, lib: o.Moderation.Library}
	rt := NewRouter()
	for _, c := range []string{CmdAsk, CmdWhoSaid, CmdWhen} {
		rt.Command(c, h.question)
	}
	rt.Command(CmdQuotes, h.quotes)
	rt.Command(CmdTimeline, h.timeline)
	rt.Command(CmdStories, h.stories)
	rt.Command(CheckCommand, h.check)
	rt.Command(cmdHelp, help)
	rt.Component(morePrefix, checkedButton(h.more))
	v := votes{eng: eng, lib: o.Moderation.Library}
	rt.Component(upPrefix, checkedButton(v.up))
	rt.Component(downPrefix, checkedButton(v.down))
	rt.Form(whyPrefix, checkedButton(v.why))
	settings := newChannelSettings(o.Moderation.Library, o.Log)
	// One autocomplete serves /remove-story's story option too.
	rt.Autocomplete(h.autocomplete)
	mod := newModeration(o.Moderation, o.Metrics, o.Log)
	modOnly := []Middleware{Audit(mod.audit, mod.lib), Moderators(o.Moderation.Roles)}
	rt.Command(CmdReindex, mod.reindex, modOnly...)
	rt.Command(CmdAddStory, mod.addStory, modOnly...)
	rt.Command(CmdRemoveStory, mod.removeStory, modOnly...)
	rt.Command(CmdRestoreStory, mod.restoreStory, modOnly...)
	rt.Command(CmdSettings, settings.command, modOnly...)
	threads := routeFeeds(rt, o, modOnly)
	rt.autocomplete = moderatorsOnly(o.Moderation.Roles, rt.autocomplete)
	rt.Use(Account(o.Log, rec), Errors(o.Log), RateLimit(o.RatePerUser, o.RatePerChannel), Timeout(o.QueryTimeout))
	if o.Metrics != nil {
		// Outside the slots, so the latency includes the wait for one.
		rt.Use(Measure(o.Metrics))
	}
	rt.Use(fairShare(newFairGate(o.AnswerSlots)), storyThreads(threads, eng.Index(), o.Moderation.Library),
		replyStories(eng.Index(), o.Moderation.Library))
	rt.Use(o.Middleware...)
	return &Bot{handle: rt.Handler(), engine: eng, now: o.Now, deferAfter: o.DeferAfter, log: o.Log,
		secrets: sec, failures: failures{log: o.Log, rec: rec}, editRetry: o.EditRetry, tokenLifetime: TokenLifetime,
		settings: settings, roles: newBotRoles(), threads: threads}
}

// Handle answers one request through the middleware. It never returns an
// error: failures are already turned into a message for the user.
func (b *Bot) Handle(ctx context.Context, r Request) Response {
	if r.Now.IsZero() {
		r.Now = b.now()
	}
	resp, _ := b.handle(ctx, r)
	return resp
}

// Engine is the engine the bot answers from.
func (b *Bot) Engine() *answer.Engine { return b.engine }
