package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/answer"
)

// chatCommand is a console that answers as the Discord bot does: the same
// commands and options, the same choice of command for a plain question,
// the same story matching and the same answering engine. It shows each
// answer for a terminal, from the answer itself rather than from the
// Discord message the bot would send.
func chatCommand(ctx context.Context, env *cliEnv, args []string) error {
	var c common
	fs := newFlags("chat", env)
	c.corpusFlags(fs)
	pos, err := parseArgs(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{"chat takes no arguments: type the questions in it"}
	}
	sess, err := c.session(ctx, env)
	if err != nil {
		return err
	}
	defer sess.Close()
	con := &console{eng: sess.eng, scope: sess.scope, timeout: sess.cfg.QueryTimeout, d: newDisplay(env.stdout)}
	in := newLineInput(env.stdin, env.stdout, con.complete)
	defer in.close()
	fmt.Fprintln(env.stdout, "StoryBot console: ask as you would ask the bot on Discord.")
	fmt.Fprintln(env.stdout, "Type /help for the commands, or a question. Ctrl-D quits.")
	return con.loop(ctx, in)
}

// console is one conversation.
type console struct {
	eng *answer.Engine
	// scope is what the console reads, as --collection says.
	scope   index.Scope
	timeout time.Duration
	d       display
	// next is the page that /more shows, when the last answer had more.
	next *consolePage
	// asked is whether a question was answered yet, for /more's note.
	asked bool
}

// consolePage is a question and how many of its passages were shown.
type consolePage struct {
	kind     answer.Kind
	question string
	story    string
	offset   int
}

func (c *console) loop(ctx context.Context, in lineInput) error {
	for {
		line, err := in.readLine(ctx)
		switch {
		case errors.Is(err, io.EOF):
			fmt.Fprintln(c.d.w)
			return nil
		case errors.Is(err, errInterrupted) || ctx.Err() != nil:
			fmt.Fprintln(c.d.w)
			return errInterrupted
		case err != nil:
			return err
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		if quit := c.do(ctx, parseConsoleLine(line)); quit {
			return nil
		}
		if ctx.Err() != nil {
			return errInterrupted
		}
	}
}

// do runs one line and reports whether it asked to quit.
func (c *console) do(ctx context.Context, l consoleLine) (quit bool) {
	defer fmt.Fprintln(c.d.w)
	switch l.command {
	case "quit":
		return true
	case "help":
		c.help()
		return false
	case "more":
		c.more(ctx)
		return false
	}
	story, ok := c.story(l.story)
	if !ok {
		return false
	}
	switch l.command {
	case "":
		// A plain line is a mention of the bot: its wording picks the command.
		c.ask(ctx, commandKind(bot.ChooseCommand(l.text)), l.text, story)
	case bot.CmdAsk, bot.CmdWhoSaid, bot.CmdWhen:
		if l.text == "" {
			c.note(fmt.Sprintf("/%s needs %s, e.g. %s", l.command, consoleExamples[l.command][0], consoleExamples[l.command][1]))
			return false
		}
		c.ask(ctx, commandKind(l.command), l.text, story)
	case bot.CmdQuotes, bot.CmdTimeline, bot.CmdStories:
		if l.text != "" {
			c.note(fmt.Sprintf("/%s takes no text; name a story with story:NAME.", l.command))
			return false
		}
		c.list(ctx, l.command, story)
	default:
		c.note(fmt.Sprintf("Unknown command /%s%s. Type /help for the commands.", l.command, slashed(didYouMean(l.command, consoleCommands()))))
	}
	return false
}

// consoleExamples say what a question command needs, and show it.
var consoleExamples = map[string][2]string{
	bot.CmdAsk:     {"a question", "/ask What did the ministry urge citizens to make?"},
	bot.CmdWhoSaid: {"the words, or part of them", "/who-said dialogue and peaceful means"},
	bot.CmdWhen:    {"what happened", "/when Putin authorized the special military operation"},
}

func commandKind(cmd string) answer.Kind {
	switch cmd {
	case bot.CmdWhoSaid:
		return answer.Who
	case bot.CmdWhen:
		return answer.When
	}
	return answer.Ask
}

// consoleCommands are the commands the console knows, in /help's order.
func consoleCommands() []string {
	return []string{bot.CmdAsk, bot.CmdWhoSaid, bot.CmdWhen, bot.CmdQuotes, bot.CmdTimeline, bot.CmdStories, "more", "help", "quit"}
}

// slashed turns didYouMean's " (did you mean X?)" into one about /X.
func slashed(s string) string { return strings.Replace(s, "mean ", "mean /", 1) }

func (c *console) note(s string) { fmt.Fprintln(c.d.w, c.d.paint(styleYellow, s)) }

func (c *console) ask(ctx context.Context, kind answer.Kind, question, story string) {
	c.asked = true
	c.next = nil
	c.page(ctx, consolePage{kind: kind, question: question, story: story})
}

// more shows the next passages of the last answer.
func (c *console) more(ctx context.Context) {
	switch {
	case c.next != nil:
		c.page(ctx, *c.next)
	case c.asked:
		c.note("There are no more passages for the last question.")
	default:
		c.note("Nothing to show more of yet: /more shows further passages of the last answer. Ask a question first.")
	}
}

// page shows bot.PageSize passages from p.offset on, as the bot's "More
// passages" button does, asking for one beyond the page to know if there
// are more.
func (c *console) page(ctx context.Context, p consolePage) {
	qctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	a, err := c.eng.Answer(qctx, answer.Request{Kind: p.kind, Question: p.question, Scope: c.scope, Story: p.story, N: p.offset + bot.PageSize + 1})
	if err != nil {
		c.failed(ctx, err)
		return
	}
	more := len(a.Passages) > p.offset+bot.PageSize
	a.Passages = a.Passages[min(p.offset, len(a.Passages)):]
	a.Passages = a.Passages[:min(bot.PageSize, len(a.Passages))]
	if p.offset > 0 {
		fmt.Fprintf(c.d.w, "More passages for %q:\n", p.question)
	}
	printAnswer(c.d, a, p.offset+1)
	c.next = nil
	if more {
		next := p
		next.offset += bot.PageSize
		c.next = &next
		fmt.Fprintln(c.d.w, "\n"+c.d.paint(styleDim, "(/more for more passages)"))
	}
}

// failed explains an error in the words the bot uses for it.
func (c *console) failed(ctx context.Context, err error) {
	switch {
	case ctx.Err() != nil:
		// Ctrl-C while answering: the loop ends the console.
	case errors.Is(err, answer.ErrNoQuestion):
		c.note("Please ask a question with at least one word in it.")
	case errors.Is(err, answer.ErrTooComplex):
		c.note("That question has too many words or quoted parts to look up. Please shorten it.")
	case errors.Is(err, context.DeadlineExceeded):
		c.note("That took too long to look up. Try a more specific question, or choose a story with story:NAME.")
	default:
		c.note("Something went wrong: " + err.Error())
	}
}

// list runs /quotes, /timeline or /stories.
func (c *console) list(ctx context.Context, cmd, story string) {
	qctx, cancel := context.WithTimeout(ctx, c.timeout*10)
	defer cancel()
	switch cmd {
	case bot.CmdQuotes:
		items, err := c.eng.Quotes(qctx, c.scope, story)
		if err != nil {
			c.failed(ctx, err)
			return
		}
		if len(items) == 0 {
			c.note("No attributed statements found.")
			return
		}
		fmt.Fprintf(c.d.w, "%s:\n", c.d.paint(styleBold, "Who said what"))
		writeQuotes(c.d, items)
	case bot.CmdTimeline:
		events, err := c.eng.Timeline(qctx, c.scope, story)
		if err != nil {
			c.failed(ctx, err)
			return
		}
		if len(events) == 0 {
			c.note("No dates found.")
			return
		}
		fmt.Fprintf(c.d.w, "%s:\n", c.d.paint(styleBold, "Timeline"))
		writeTimeline(c.d, events)
	case bot.CmdStories:
		list := c.eng.Stories(c.scope)
		if story != "" {
			info, _ := c.eng.Index().Story(c.scope, story)
			list = []index.StoryInfo{info}
		}
		if len(list) == 0 {
			c.note("No stories are indexed yet.")
			return
		}
		fmt.Fprintf(c.d.w, "%s:\n", c.d.paint(styleBold, plural(len(list), "indexed story", "indexed stories")))
		writeStories(c.d, list)
	}
}

// story resolves the story option as the bot does: an exact story ID, or
// else a part of one story's ID or headline. When that is not one story,
// it says which names there are, and reports false.
func (c *console) story(typed string) (string, bool) {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return "", true
	}
	if _, ok := c.eng.Index().Story(c.scope, typed); ok {
		return typed, true
	}
	l := strings.ToLower(typed)
	var found, all []string
	for _, s := range c.eng.Stories(c.scope) {
		all = append(all, s.ID)
		if strings.Contains(strings.ToLower(s.ID), l) || strings.Contains(strings.ToLower(s.Headline), l) {
			found = append(found, s.ID)
		}
	}
	switch {
	case len(found) == 1:
		return found[0], true
	case len(found) > 1:
		c.note(fmt.Sprintf("%d stories match %q: %s. Give more of the name.", len(found), typed, listNames(found, 5)))
	case len(all) == 0:
		c.note(fmt.Sprintf("There is no story %q: no stories are indexed yet.", typed))
	default:
		c.note(fmt.Sprintf("There is no story %q. The closest: %s. /stories lists them all.", typed, listNames(closest(typed, all, 3), 3)))
	}
	return "", false
}

// listNames joins up to n names, saying how many more there are.
func listNames(names []string, n int) string {
	s := strings.Join(names[:min(n, len(names))], ", ")
	if len(names) > n {
		s += fmt.Sprintf(" and %d more", len(names)-n)
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func (c *console) help() {
	d := c.d
	fmt.Fprintln(d.w, d.paint(styleBold, "Commands")+" (as on Discord; type them in any case):")
	row := func(usage, what string) { fmt.Fprintf(d.w, "  %-22s %s\n", usage, what) }
	// What each command does is the bot's own /help text.
	for _, t := range bot.HelpTopics() {
		cmd := lookupCommand(t.Command)
		if t.Moderator || cmd == nil || t.Command == "help" {
			continue
		}
		usage := "/" + t.Command
		if cmd.args != "" {
			usage += " " + cmd.args
		}
		row(usage, t.What)
		if ex := consoleExample(t); ex != "" {
			row("", d.paint(styleDim, "e.g. "+ex))
		}
	}
	row("/more", "show the next passages of the last answer")
	row("/help", "show this help")
	row("/quit", "leave (Ctrl-D leaves too, and Ctrl-C)")
	fmt.Fprintln(d.w, "\nA line without a command is a question to the bot, as when you mention it on Discord:")
	fmt.Fprintln(d.w, "\"who said …\" goes to /who-said, \"when …\" to /when, anything else to /ask.")
	fmt.Fprintln(d.w, "\n"+d.paint(styleBold, "Options")+", anywhere on the line:")
	row("story:NAME", "only that story: its file name, or a part of its name or headline")
	row(`story:"TWO WORDS"`, "a name with spaces")
	row("private:true", "accepted as on Discord; in the console only you see the answers")
	fmt.Fprintln(d.w, "\nUp and Down recall earlier lines; Tab completes commands and story:NAME.")
}

// complete offers the completion of the word before pos: a command name
// after a slash at the start of the line, or a story ID after story:.
func (c *console) complete(line string, pos int) (string, int, bool) {
	start := strings.LastIndexAny(line[:pos], " \t") + 1
	word := line[start:pos]
	var prefix string
	var choices []string
	switch {
	case start == 0 && strings.HasPrefix(word, "/"):
		prefix = "/"
		choices = consoleCommands()
	case strings.HasPrefix(strings.ToLower(word), "story:"):
		prefix = word[:len("story:")]
		for _, s := range c.eng.Stories(c.scope) {
			if !strings.ContainsAny(s.ID, " \t\"") {
				choices = append(choices, s.ID)
			}
		}
	default:
		return "", 0, false
	}
	typed := strings.ToLower(word[len(prefix):])
	var matches []string
	for _, ch := range choices {
		if strings.HasPrefix(strings.ToLower(ch), typed) {
			matches = append(matches, ch)
		}
	}
	if len(matches) == 0 {
		return "", 0, false
	}
	done := commonPrefix(matches)
	if len(matches) == 1 {
		done += " "
	}
	if len(done) <= len(typed) {
		return "", 0, false
	}
	out := line[:start] + prefix + done + line[pos:]
	return out, start + len(prefix) + len(done), true
}

func commonPrefix(s []string) string {
	p := s[0]
	for _, x := range s[1:] {
		for !strings.HasPrefix(x, p) {
			_, size := utf8.DecodeLastRuneInString(p)
			p = p[:len(p)-size]
		}
	}
	return p
}

// consoleExample is a /help example as typed in the console: the text
// option as the line's text, the others as NAME:VALUE.
func consoleExample(t bot.HelpTopic) string {
	if len(t.Example) == 0 {
		return ""
	}
	ex := "/" + t.Command
	for _, k := range []string{"question", "quote", "event"} {
		if v, ok := t.Example[k]; ok {
			ex += " " + v
		}
	}
	if v, ok := t.Example["story"]; ok {
		ex += " story:" + v
	}
	return ex
}
