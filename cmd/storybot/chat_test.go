package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/storybot/storybot/bot"
)

func TestChatAnswersAsTheBotDoes(t *testing.T) {
	in := strings.Join([]string{
		"/more",
		"/who-said dialogue and peaceful means",
		"/more",
		"/WHEN When did Putin authorize the special military operation?",
		"/stories",
		"what did the ministry urge citizens to make?",
		"/frobnicate",
		"/quotes story:nope.txt",
		"/Quotes STORY:taliban",
		"/quit",
		"/stories", // after /quit: never read
	}, "\n")
	code, out, errs := runCLI(t, in, "chat")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"Nothing to show more of yet",               // /more before any question says so
		"Said by: Abdul Qahar Balkhi",               // who-said names the speaker
		"More passages for",                         // /more pages on
		"[4] “",                                     // numbered after the first page
		"When: 2022-02-23",                          // when gives the calendar date, whatever the command's case
		"1 indexed story:",                          // one story, in the singular
		"taliban-call-for-russia-ukraine-peace.txt", // stories lists the story
		"Molotov cocktails",                         // a plain question is answered as a mention
		"Unknown command /frobnicate",               // a typo is explained
		`There is no story "nope.txt". The closest: taliban-call`, // an unknown story, with the names there are
		"Who said what:", // part of a headline picks the story
	} {
		if !strings.Contains(out, want) {
			t.Errorf("console output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "1 indexed story:"); n != 1 {
		t.Errorf("/stories ran %d times; lines after /quit must not be read", n)
	}
	if errs != "" {
		t.Errorf("stderr: %s", errs)
	}
}

// Off a terminal the console writes plain text: none of the markup that a
// Discord message is made of, and no terminal styles.
func TestChatWritesNoMarkupOffATerminal(t *testing.T) {
	in := "/who-said dialogue and peaceful means\n/when When did Putin authorize the special military operation? private:true\n/more\n/quotes\n/help\n"
	code, out, errs := runCLI(t, in, "chat")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "Abdul Qahar Balkhi") || !strings.Contains(out, "2022-02-23") {
		t.Fatalf("no answers:\n%s", out)
	}
	markup := regexp.MustCompile("(?m)\\*\\*|__|~~|`|^> |^#|<https?://|\\\\[*_>~]|\x1b\\[|only you would see this")
	if m := markup.FindAllString(out, 5); m != nil {
		t.Errorf("markup %q in the console's output:\n%s", m, out)
	}
}

func TestConsoleLineKeepsTheWordPrivate(t *testing.T) {
	for line, want := range map[string]consoleLine{
		"/ask is the private sector affected?":      {command: "ask", text: "is the private sector affected?"},
		"/ASK private:TRUE who pays?":               {command: "ask", text: "who pays?", private: true},
		"/Who dialogue story:taliban":               {command: "who-said", text: "dialogue", story: "taliban"},
		`/quotes story:"two words.txt" private:no`:  {command: "quotes", story: "two words.txt"},
		"when did the private talks start?":         {text: "when did the private talks start?"},
		"  /more  ":                                 {command: "more"},
		"/ask what is story:telling? story:x.txt":   {command: "ask", text: "what is", story: "x.txt"}, // the last story: wins
		"/when note: the time in story:Taliban now": {command: "when", text: "note: the time in now", story: "Taliban"},
	} {
		if got := parseConsoleLine(line); got != want {
			t.Errorf("%q: got %+v, want %+v", line, got, want)
		}
	}
}

// A question typed with the mention a Discord user would type is the
// question without it, as on Discord.
func TestConsoleLineDropsTheMention(t *testing.T) {
	for line, want := range map[string]string{
		"@StoryBot who is the Taliban spokesman?": "who is the Taliban spokesman?",
		"@storybot, when did Putin act?":          "when did Putin act?",
		"@StoryBot":                               "",
		"@StoryBotFan said what?":                 "@StoryBotFan said what?",
		"what did @StoryBot say?":                 "what did @StoryBot say?",
	} {
		if got := parseConsoleLine(line); got.text != want || got.command != "" {
			t.Errorf("%q: got %+v, want text %q", line, got, want)
		}
	}
}

// The console's /help says what each command does in the bot's own words,
// with the bot's examples, which run there too.
func TestChatHelpIsTheBotsHelp(t *testing.T) {
	code, out, errs := runCLI(t, "/help\n", "chat")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, topic := range bot.HelpTopics() {
		if topic.Moderator || lookupCommand(topic.Command) == nil || topic.Command == "help" {
			continue
		}
		if !strings.Contains(out, topic.What) {
			t.Errorf("/help lacks %q:\n%s", topic.What, out)
		}
		ex := consoleExample(topic)
		if ex == "" {
			continue
		}
		if !strings.Contains(out, ex) {
			t.Errorf("/help lacks the example %q", ex)
		}
		code, answer, _ := runCLI(t, ex+"\n", "chat")
		if code != 0 || strings.Contains(answer, "There is no story") || strings.Contains(answer, "Nothing") {
			t.Errorf("the example %q does not answer in the console:\n%s", ex, answer)
		}
	}
}
