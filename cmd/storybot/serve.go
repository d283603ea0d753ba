package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/config"
	"github.com/storybot/storybot/index/answer"
	"github.com/storybot/storybot/index/library"
	"github.com/storybot/storybot/index/metrics"
)

func serveCommand(ctx context.Context, env *cliEnv, args []string) error {
	var c common
	fs := newFlags("serve", env)
	c.corpusFlags(fs)
	addr := fs.String("http", "", "serve HTTP interactions at `ADDR` (e.g. :8080) instead of connecting to the gateway")
	pos, err := parseArgs(env, fs, args)
	if err != nil {
		return err
	}
	if err := noArgs("serve", pos, "; to serve HTTP interactions, use --http ADDR"); err != nil {
		return err
	}
	cfg, err := c.settings(env)
	if err != nil {
		return err
	}
	if cfg.DiscordToken == "" {
		return usageError{"set DISCORD_TOKEN (in .env or the environment); to try the bot without Discord, run 'storybot chat'"}
	}
	if *addr != "" && len(cfg.DiscordPublicKey) == 0 {
		return usageError{"--http needs DISCORD_PUBLIC_KEY, the application's public key from the Developer Portal"}
	}
	if *addr != "" && cfg.DiscordAppID == "" {
		return usageError{"--http needs DISCORD_APP_ID to register the commands"}
	}
	log := newLogger(cfg, env)
	for _, n := range cfg.Notes {
		log.Warn(n)
	}
	store, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	// Every collection is brought up to date with the store before the
	// bot answers: what a crash interrupted is finished or undone here.
	lib, err := library.Open(ctx, libraryConfig(cfg, store, log))
	if err != nil {
		store.Close()
		return err
	}
	defer lib.Close()
	ix := lib.Index()
	if n, _ := ix.Size(); n == 0 {
		// A new deployment may start empty; moderators fill their servers'
		// collections with /add-story, which needs the bot running.
		log.Warn("there are no stories yet; starting with an empty index", "corpus", cfg.CorpusDir)
	}
	// Other processes (and the CLI) change the store too; follow them.
	followCtx, stopFollowing := context.WithCancel(ctx)
	defer stopFollowing()
	go func() {
		if err := lib.Follow(followCtx); err != nil {
			log.Error("stopped following changes to the stories", "err", err)
		}
	}()
	var writable *library.Library
	if cfg.CorpusDir != "" || cfg.DatabaseURL != "" {
		writable = lib
	}
	eng := answer.New(ix)
	m := metrics.New(ix)
	stopMetrics, err := serveMetrics(cfg.MetricsAddr, m.Handler(ix), log)
	if err != nil {
		return err
	}
	// Deferred after the index's Close, so it runs first: the health
	// check never reports on a closed index while the bot still runs.
	defer stopMetrics()
	poller, err := newPoller(cfg, writable, log)
	if err != nil {
		return err
	}
	b := bot.New(eng, bot.Options{
		RatePerUser: cfg.RateLimitPerUser, RatePerChannel: cfg.RateLimitPerChan, QueryTimeout: cfg.QueryTimeout,
		Log: log, Metrics: m,
		Moderation: bot.Moderation{Library: writable, Roles: cfg.ModeratorRoles, AllowPrivateURLs: cfg.AllowPrivateURLs},
		Feeds:      bot.Feeds{Poller: poller},
	})
	conn := bot.Connection{
		Token: cfg.DiscordToken, AppID: cfg.DiscordAppID, GuildID: cfg.DiscordGuildID, APIBase: cfg.DiscordAPIBase,
		ShardID: cfg.ShardID, ShardCount: cfg.ShardCount, MessageContent: cfg.MessageContent,
	}
	stopPolling, err := runPoller(followCtx, poller, b, conn, log)
	if err != nil {
		return err
	}
	defer stopPolling()
	if *addr == "" {
		return b.RunGateway(ctx, conn)
	}
	return serveHTTP(ctx, b, conn, cfg.DiscordPublicKey, *addr, log)
}

func serveHTTP(ctx context.Context, b *bot.Bot, conn bot.Connection, key []byte, addr string, log *slog.Logger) error {
	if err := bot.RegisterOverREST(conn); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	is, err := b.NewInteractionServer(ed25519.PublicKey(key), conn)
	if err != nil {
		ln.Close()
		return err
	}
	return runInteractions(ctx, is, ln, log)
}

// runInteractions serves is on ln until ctx is done or serving fails, and
// then closes both, whichever way it ends: deferred answers get their
// grace period, and nothing is left waiting on a dead server.
func runInteractions(ctx context.Context, is *bot.InteractionServer, ln net.Listener, log *slog.Logger) error {
	defer is.Close(10 * time.Second)
	srv := interactionsServer(is)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("serving HTTP interactions", "addr", ln.Addr().String(), "path", "/interactions")
	select {
	case err := <-errc:
		// Serve closes ln when it fails; srv may still hold connections.
		srv.Close()
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shut)
}

// interactionsServer bounds every phase of a request. Discord sends small
// bodies and reads a small reply within its 3-second deadline, so anything
// slower is a client holding a connection open, not Discord. The write
// timeout leaves room for DeferAfter before the first response.
func interactionsServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       60 * time.Second,
	}
}

func newLogger(cfg config.Config, env *cliEnv) *slog.Logger { return cfg.Logger(env.stderr) }

// serveMetrics serves /metrics and /healthz on addr until the returned
// function is called; an empty addr serves nothing. It listens before
// returning, so a bad or taken address stops the bot at start.
func serveMetrics(addr string, h http.Handler, log *slog.Logger) (stop func(), err error) {
	if addr == "" {
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("STORYBOT_METRICS_ADDR: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server stopped", "err", err)
		}
	}()
	log.Info("serving metrics", "addr", ln.Addr().String(), "paths", "/metrics /healthz")
	return func() {
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}, nil
}
