package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/storybot/storybot/bot"
)

func init() {
	register("chat", "try the bot in the terminal: /ask …, /who-said …, /when …, /quotes, /timeline, /stories, or a plain question", chatCommand)
}

// chatCommand is a console over the same handlers as the Discord bot, so
// what it prints is what the bot would answer.
func chatCommand(ctx context.Context, env *cliEnv, args []string) error {
	var c common
	fs := newFlags("chat", env)
	c.corpusFlags(fs)
	if _, err := parseArgs(env, fs, args); err != nil {
		return err
	}
	eng, cfg, err := c.engine(env)
	if err != nil {
		return err
	}
	defer eng.Index().Close()
	// No rate limits for the one person at the keyboard.
	b := bot.New(eng, bot.Options{RatePerUser: 1000, RatePerChannel: 1000, Log: newLogger(cfg, env)})
	fmt.Fprintln(env.stdout, "StoryBot console. Type /ask, /who-said, /when, /quotes, /timeline or /stories,")
	fmt.Fprintln(env.stdout, "or just a question. Add story:ID to search one story, /more for more passages. Ctrl-D quits.")
	return chatLoop(ctx, b, env.stdin, env.stdout)
}

func chatLoop(ctx context.Context, b *bot.Bot, in io.Reader, out io.Writer) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var button string
	for {
		fmt.Fprint(out, "> ")
		if !sc.Scan() {
			fmt.Fprintln(out)
			return sc.Err()
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if line == "/quit" || line == "/exit" {
			return nil
		}
		req, ok := chatRequest(line, button)
		if !ok {
			fmt.Fprintln(out, "Unknown command. Try /ask, /who-said, /when, /quotes, /timeline, /stories, /more, or a plain question.")
			continue
		}
		resp := b.Handle(ctx, req)
		if id := bot.ButtonID(resp); id != "" || req.Type != bot.Component {
			button = id
		}
		fmt.Fprintln(out, bot.RenderText(resp))
		if ctx.Err() != nil {
			return nil
		}
	}
}

// chatRequest reads one typed line as the request Discord would send.
func chatRequest(line, button string) (bot.Request, bool) {
	r := bot.Request{Type: bot.Command, User: "console", Channel: "console", Now: time.Now(), Options: map[string]string{}}
	if !strings.HasPrefix(line, "/") {
		req, ok := bot.MentionRequest(bot.Message{Author: "console", Channel: "console", Content: line, MentionsBot: true}, "")
		req.Now = r.Now
		return req, ok
	}
	name, rest, _ := strings.Cut(line[1:], " ")
	var words []string
	for _, w := range strings.Fields(rest) {
		switch {
		case strings.HasPrefix(w, "story:"):
			r.Options["story"] = strings.TrimPrefix(w, "story:")
		case w == "private" || w == "private:true":
			r.Options["private"] = "true"
		default:
			words = append(words, w)
		}
	}
	text := strings.Join(words, " ")
	switch name {
	case "ask":
		r.Options["question"] = text
	case "who-said", "who":
		name = bot.CmdWhoSaid
		r.Options["quote"] = text
	case "when":
		r.Options["event"] = text
	case "check":
		name = bot.CheckCommand
		r.Options["question"] = text
	case "quotes", "timeline", "stories":
	case "more":
		if button == "" {
			r.Command = "help"
			return r, true
		}
		return bot.Request{Type: bot.Component, CustomID: button, User: "console", Channel: "console", Now: r.Now}, true
	default:
		return r, false
	}
	r.Command = name
	return r, true
}
