package main

import (
	"context"

	"github.com/storybot/storybot/index/answer"
)

// command is one subcommand: everything its help page, the general usage
// and the completion scripts say about it. Its flags are defined where it
// runs, in one place; describeFlags reads them from there.
type command struct {
	name  string
	group string
	// args is what follows the flags on the usage line, e.g. "QUESTION".
	args     string
	summary  string
	about    string
	examples []string
	run      func(ctx context.Context, env *cliEnv, args []string) error
}

// Groups of the general usage, in order.
const (
	groupAnswer = "Answering"
	groupStore  = "The stories and the index"
	groupBot    = "The bot"
	groupTools  = "Tools"
)

var groups = []string{groupAnswer, groupStore, groupBot, groupTools}

// commands is the command table. It is filled in init, because help and
// completion read it and would otherwise be part of its own initialisation.
var commands []*command

func init() {
	commands = []*command{
		{
			name: "ask", group: groupAnswer, args: "QUESTION",
			summary: "answer a question, quoting the best passages",
			about: "Answers with a short phrase taken from the best passage, then quotes the best passages\n" +
				"word for word, each with its headline, outlet, date, paragraph and link. When nothing\n" +
				"matches well enough, it says so instead of guessing.",
			examples: []string{
				`storybot ask "What did Ukraine's defense ministry urge citizens to make?"`,
				`storybot ask --json -n 5 "How many officials were killed?"`,
				`storybot ask --index ~/.storybot/index --story my-story.txt "Who paid for the bridge?"`,
			},
			run: questionCommand("ask", answer.Ask),
		},
		{
			name: "who-said", group: groupAnswer, args: "TEXT",
			summary: "name who said something, and quote it",
			about: "TEXT is a fragment of the statement, a paraphrase, or a question such as \"Who said …?\".\n" +
				"The speaker is resolved to the fullest name the story gives (\"the ministry\" becomes the\n" +
				"ministry's full name, a surname the person's whole name).",
			examples: []string{
				`storybot who-said "dialogue and peaceful means"`,
				`storybot who-said "Who said they fear for civilians?" --json`,
			},
			run: questionCommand("who-said", answer.Who),
		},
		{
			name: "when", group: groupAnswer, args: "TEXT",
			summary: "give the date of an event, and quote it",
			about: "Gives the calendar date, worked out from the story's publication date (\"late on\n" +
				"Wednesday\" in a story of Friday 2022-02-25 is 2022-02-23), with the words the story uses.",
			examples: []string{
				`storybot when "When did Putin authorize the special military operation?"`,
				`storybot when --json "the U.S. invaded Afghanistan"`,
			},
			run: questionCommand("when", answer.When),
		},
		{
			name: "quotes", group: groupAnswer,
			summary: "list every statement with its speaker",
			about:   "Lists who said what, story by story, in paragraph order.",
			examples: []string{
				`storybot quotes`,
				`storybot quotes --story taliban-call-for-russia-ukraine-peace.txt --json`,
			},
			run: listingCommand("quotes", printQuotes),
		},
		{
			name: "timeline", group: groupAnswer,
			summary: "list every dated event in date order",
			about:   "Lists the time expressions of the stories, resolved to calendar dates, in date order.",
			examples: []string{
				`storybot timeline`,
				`storybot timeline --story taliban-call-for-russia-ukraine-peace.txt`,
			},
			run: listingCommand("timeline", printTimeline),
		},
		{
			name: "stories", group: groupAnswer,
			summary: "list the stories with their paragraph counts and dates",
			examples: []string{
				`storybot stories`,
				`storybot stories --index ~/.storybot/index --json`,
			},
			run: storiesCommand,
		},
		{
			name: "batch", group: groupAnswer,
			summary: "answer JSON-lines questions from stdin (the evaluation format)",
			about: "Reads one question per line on stdin and writes one answer per line on stdout:\n" +
				"  in:  {\"id\": \"q1\", \"kind\": \"who|when|ask\", \"question\": \"…\", \"story\": \"optional file name\"}\n" +
				"  out: {\"id\": \"q1\", \"answer\": \"…\", \"date\": \"…\", \"passages\": [{\"story\": \"…\", \"paragraph\": 0, \"text\": \"…\", \"score\": 1.9}]}\n" +
				"A line that cannot be answered (not JSON, an unknown kind, an unknown story) gets an\n" +
				"answer with an \"error\" field, and the next line is read as usual.",
			examples: []string{
				`storybot batch --corpus ../shared/data/articles < questions.jsonl > answers.jsonl`,
			},
			run: batchCommand,
		},
		{
			name: "chat", group: groupAnswer,
			summary: "try the bot in the terminal: the same commands and answers as on Discord",
			about: "A console that answers the way the Discord bot does: the same commands, the same story\n" +
				"option (story:NAME), and a plain line is taken as a question to the bot. Type /help in it.\n" +
				"Up and Down recall earlier lines, Tab completes commands and story names; Ctrl-D quits,\n" +
				"and so does Ctrl-C (with exit status 130).",
			examples: []string{
				`storybot chat`,
				`storybot chat --corpus ~/stories`,
			},
			run: chatCommand,
		},
		{
			name: "index", group: groupStore,
			summary: "build or rebuild the persistent index of a collection",
			about: "Reads every story of the collection (the shared library unless --collection names a\n" +
				"server) and builds a new index beside the live one, which is swapped in only when it is\n" +
				"complete: a failed or interrupted rebuild leaves the old index answering. --corpus and\n" +
				"--index are needed (or their variables). With STORYBOT_DATABASE_URL, every process that\n" +
				"follows the database rebuilds the collection, and --corpus first makes the database's\n" +
				"collection hold what the directory holds. A progress bar is drawn when stderr is a\n" +
				"terminal; otherwise progress is a line every 10%.",
			examples: []string{
				`storybot index --corpus ~/stories --index ~/.storybot/index`,
				`STORYBOT_CORPUS=~/stories STORYBOT_INDEX=~/.storybot/index storybot index --quiet`,
			},
			run: indexCommand,
		},
		{
			name: "add", group: groupStore, args: "FILE|URL",
			summary: "add a story file or web page to a collection and the index",
			about: "Checks the story first (a .txt, .md or .html file of at most 5 MiB, or a web page), then\n" +
				"saves it into the collection (the shared library unless --collection names a server) and\n" +
				"indexes it. A story of the same name is replaced; the old text stays restorable. When the\n" +
				"running bot holds the index, the bot indexes the story instead.",
			examples: []string{
				`storybot add --corpus ~/stories --index ~/.storybot/index story.txt`,
				`storybot add --corpus ~/stories --index ~/.storybot/index https://example.com/news/story`,
				`storybot add --collection 123456789012345678 story.txt   # one Discord server's collection`,
			},
			run: addCommand,
		},
		{
			name: "remove", group: groupStore, args: "NAME",
			summary: "remove a story from a collection and the index",
			about: "NAME is the story's file name, as 'storybot stories' lists it. The story stays\n" +
				"restorable with 'storybot restore' for STORYBOT_RESTORE_WINDOW (7 days).",
			examples: []string{
				`storybot remove --corpus ~/stories --index ~/.storybot/index story.txt`,
			},
			run: removeCommand,
		},
		{
			name: "restore", group: groupStore, args: "NAME|KEY",
			summary: "bring back a removed or replaced story",
			about: "Restores the latest removal of NAME, or the removal KEY that --list shows. A story of the\n" +
				"same name that is there now is kept among the removed in its place.",
			examples: []string{
				`storybot restore --list --corpus ~/stories`,
				`storybot restore --corpus ~/stories --index ~/.storybot/index story.txt`,
			},
			run: restoreCommand,
		},
		{
			name: "follow", group: groupStore, args: "URL",
			summary: "follow a news feed (RSS, Atom, JSON Feed) into a collection",
			about: "Checks that URL serves a feed, then records the follow in the store (the shared library\n" +
				"unless --collection names a server). The running bot (storybot serve) polls it every\n" +
				"STORYBOT_FEED_INTERVAL; its first poll indexes the current items without posting them,\n" +
				"and each later new item becomes a story, posted with a thread in --channel if given.",
			examples: []string{
				`storybot follow --corpus ~/stories https://example.com/news/rss.xml`,
				`storybot follow --collection 123456789012345678 --channel 234567890123456789 https://example.com/feed.atom`,
			},
			run: followCommand,
		},
		{
			name: "unfollow", group: groupStore, args: "URL",
			summary:  "stop following a feed; the stories it brought stay",
			examples: []string{`storybot unfollow --corpus ~/stories https://example.com/news/rss.xml`},
			run:      unfollowCommand,
		},
		{
			name: "feeds", group: groupStore,
			summary:  "list the feeds a collection follows and how their polls go",
			examples: []string{`storybot feeds --corpus ~/stories`, `storybot feeds --collection 123456789012345678`},
			run:      feedsCommand,
		},
		{
			name: "serve", group: groupBot,
			summary: "run the Discord bot (over the gateway, or --http ADDR for HTTP interactions)",
			about: "Needs DISCORD_TOKEN and DISCORD_APP_ID (in .env or the environment; see .env.example).\n" +
				"Stops cleanly on SIGINT or SIGTERM.",
			examples: []string{
				`storybot serve`,
				`storybot serve --http :8080`,
			},
			run: serveCommand,
		},
		{
			name: "feedback", group: groupBot,
			summary: "count the readers' 👍 and 👎 votes, or export them as JSON lines in the batch format",
			about: "Votes are kept where the stories are (the corpus directory, or PostgreSQL), per server,\n" +
				"with the question, the answer and the passages they judged. --export writes one JSON line\n" +
				"per vote: a batch question (id, kind, question, story), the answer as batch writes it\n" +
				"(answer, date, passages) and the vote (feedback: vote, reason, collection, at), so that\n" +
				"'storybot batch' can answer them again and they can become evaluation data.",
			examples: []string{
				`storybot feedback --corpus ~/stories`,
				`storybot feedback --export --corpus ~/stories > votes.jsonl`,
				`storybot feedback --export --collection 123456789012345678 | storybot batch > again.jsonl`,
			},
			run: feedbackCommand,
		},
		{
			name: "bench", group: groupTools,
			summary: "measure build, open, memory and answer latency on a synthetic archive",
			examples: []string{
				`storybot bench --paragraphs 100000`,
				`storybot bench --json`,
			},
			run: benchCommand,
		},
		{
			name: "version", group: groupTools,
			summary:  "print the version and the source revision it was built from",
			examples: []string{`storybot version`, `storybot --version`},
			run:      versionCommand,
		},
		{
			name: "completion", group: groupTools, args: "bash|zsh|fish",
			summary: "print a shell completion script",
			about:   "Completes commands, their flags, and directories for --corpus and --index.",
			examples: []string{
				`source <(storybot completion bash)          # in ~/.bashrc`,
				`storybot completion zsh > "${fpath[1]}/_storybot"`,
				`storybot completion fish > ~/.config/fish/completions/storybot.fish`,
			},
			run: completionCommand,
		},
		{
			name: "help", group: groupTools, args: "[COMMAND]",
			summary:  "show the commands, or one command's help page",
			examples: []string{`storybot help ask`},
			run:      helpCommand,
		},
	}
}

// lookupCommand returns the command of that name, or nil.
func lookupCommand(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

func commandNames() []string {
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	return names
}
