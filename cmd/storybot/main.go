// Command storybot answers questions about news stories, from the command
// line or as a Discord bot. With no configuration it answers from the story
// built into it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"

	"github.com/storybot/storybot/config"
)

// command is one subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, env *cliEnv, args []string) error
}

// cliEnv is what a subcommand may touch, so tests can run the CLI in-process.
type cliEnv struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	envFile        string
}

var commands = map[string]command{}

func register(name, summary string, run func(context.Context, *cliEnv, []string) error) {
	commands[name] = command{summary, run}
}

// usageError is a mistake in how storybot was called; it exits with 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func main() {
	config.TuneRuntime()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, &cliEnv{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, envFile: ".env"}, os.Args[1:])
	stop()
	os.Exit(code)
}

// run executes one invocation and returns the exit code.
func run(ctx context.Context, env *cliEnv, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(env.stdout)
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(env.stderr, "storybot: unknown command %q (run 'storybot help')\n", args[0])
		return 2
	}
	err := cmd.run(ctx, env, args[1:])
	var ue usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(env.stderr, "storybot %s: %v\n", args[0], err)
		return 2
	default:
		fmt.Fprintf(env.stderr, "storybot %s: %v\n", args[0], err)
		return 1
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "storybot answers questions about news stories, quoting them word for word.")
	fmt.Fprintln(w, "\nUsage: storybot COMMAND [flags] [text]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'storybot COMMAND -h' for a command's flags.")
}
