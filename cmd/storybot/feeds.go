package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/config"
	"github.com/storybot/storybot/index/feeds"
	"github.com/storybot/storybot/index/library"
)

// feedsConfig is the poller the settings describe.
func feedsConfig(cfg config.Config, lib *library.Library, log *slog.Logger) feeds.Config {
	return feeds.Config{
		Library: lib, Interval: cfg.FeedInterval, MaxItems: cfg.FeedItemsPerPoll, MaxAge: cfg.FeedMaxAge,
		MaxFeeds: cfg.FeedsPerServer, AllowPrivate: cfg.AllowPrivateURLs, Log: log,
	}
}

// newPoller is the serving process's poller, when there is a store to
// keep feeds in (nil otherwise).
func newPoller(cfg config.Config, lib *library.Library, log *slog.Logger) (*feeds.Poller, error) {
	if lib == nil {
		return nil, nil
	}
	p, err := feeds.New(feedsConfig(cfg, lib, log))
	if errors.Is(err, library.ErrNoFeeds) {
		return nil, nil
	}
	return p, err
}

// runPoller polls the feeds until ctx ends or stop is called, posting new
// stories through the bot's announcer. With PostgreSQL every process runs
// one, and each feed is still polled by one process at a time. stop waits
// for a poll in flight, so the library is not closed under it.
func runPoller(ctx context.Context, p *feeds.Poller, b *bot.Bot, conn bot.Connection, log *slog.Logger) (stop func(), err error) {
	if p == nil {
		return func() {}, nil
	}
	a, err := b.NewAnnouncer(conn)
	if err != nil {
		return nil, err
	}
	p.SetAnnouncer(a)
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := p.Run(ctx); err != nil {
			log.Error("stopped polling feeds", "err", err)
		}
	}()
	log.Info("polling followed feeds", "interval", p.Interval().String())
	return func() { cancel(); <-done }, nil
}

// feedCLI is a poller over the store alone: the CLI records follows, and
// the running bot polls them.
func feedCLI(ctx context.Context, c *common, env *cliEnv) (*feeds.Poller, *library.Library, config.Config, error) {
	cfg, err := storeSettings(c, env)
	if err != nil {
		return nil, nil, cfg, err
	}
	if err := c.checkCollection(); err != nil {
		return nil, nil, cfg, err
	}
	quiet := slog.New(slog.DiscardHandler)
	store, err := openStore(ctx, cfg, quiet)
	if err != nil {
		return nil, nil, cfg, err
	}
	lc := libraryConfig(cfg, store, quiet)
	lc.NoIndex = true
	lib, err := library.Open(ctx, lc)
	if err != nil {
		store.Close()
		return nil, nil, cfg, err
	}
	p, err := feeds.New(feedsConfig(cfg, lib, quiet))
	if err != nil {
		lib.Close()
		return nil, nil, cfg, err
	}
	return p, lib, cfg, nil
}

func where(col string) string {
	w := writer{col: col}
	return w.where()
}

func followCommand(ctx context.Context, env *cliEnv, args []string) error {
	var c common
	fs := newFlags("follow", env)
	c.storeFlags(fs)
	channel := fs.String("channel", "", "post each new story in the Discord channel `ID`, with a thread (the running bot posts)")
	pos, err := parseArgs(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"say which feed to follow: storybot follow URL"}
	}
	if _, err := strconv.ParseUint(*channel, 10, 64); *channel != "" && err != nil {
		return usageError{fmt.Sprintf("--channel %q: want a Discord channel's numeric ID", *channel)}
	}
	p, lib, cfg, err := feedCLI(ctx, &c, env)
	if err != nil {
		return err
	}
	defer lib.Close()
	res, err := p.Follow(ctx, c.collection, pos[0], *channel, operator())
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	title := res.URL
	if res.Title != "" {
		title = fmt.Sprintf("%q (%s)", res.Title, res.URL)
	}
	verb := "following"
	if !res.Added {
		verb = "already following"
	}
	fmt.Fprintf(env.stdout, "%s %s into %s; the running bot (storybot serve) polls it every %s, and its first poll indexes the current items without posting them\n",
		verb, title, where(c.collection), cfg.FeedInterval)
	return nil
}

func unfollowCommand(ctx context.Context, env *cliEnv, args []string) error {
	var c common
	fs := newFlags("unfollow", env)
	c.storeFlags(fs)
	pos, err := parseArgs(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"say which feed to stop following: storybot unfollow URL (see 'storybot feeds')"}
	}
	p, lib, _, err := feedCLI(ctx, &c, env)
	if err != nil {
		return err
	}
	defer lib.Close()
	if err := p.Unfollow(ctx, c.collection, pos[0]); err != nil {
		if errors.Is(err, library.ErrNotFollowed) {
			return fmt.Errorf("%s does not follow %s ('storybot feeds' lists what it does)", where(c.collection), pos[0])
		}
		return err
	}
	fmt.Fprintf(env.stdout, "stopped following %s in %s; the stories it brought stay\n", pos[0], where(c.collection))
	return nil
}

func feedsCommand(ctx context.Context, env *cliEnv, args []string) error {
	var c common
	fs := newFlags("feeds", env)
	c.storeFlags(fs)
	pos, err := parseArgs(env, fs, args)
	if err != nil {
		return err
	}
	if err := noArgs("feeds", pos, ""); err != nil {
		return err
	}
	p, lib, _, err := feedCLI(ctx, &c, env)
	if err != nil {
		return err
	}
	defer lib.Close()
	infos, err := p.Feeds(ctx, c.collection)
	if err != nil {
		return err
	}
	if len(infos) == 0 {
		fmt.Fprintf(env.stdout, "%s follows no feeds ('storybot follow URL' adds one)\n", where(c.collection))
		return nil
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FEED\tTITLE\tCHANNEL\tLAST POLL\tSTATUS\tNEXT POLL")
	for _, fi := range infos {
		last, next := "never", "now"
		if !fi.State.LastPoll.IsZero() {
			last = fi.State.LastPoll.Local().Format("2006-01-02 15:04")
		}
		if fi.State.NextPoll.After(time.Now()) {
			next = fi.State.NextPoll.Local().Format("2006-01-02 15:04")
		}
		ch := fi.Channel
		if ch == "" {
			ch = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", fi.URL, fi.State.Title, ch, last, fi.State.LastStatus, next)
	}
	return tw.Flush()
}
