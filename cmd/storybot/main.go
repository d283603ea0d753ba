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
	"syscall"

	"github.com/storybot/storybot/config"
)

// cliEnv is what a subcommand may touch, so tests can run the CLI in-process.
type cliEnv struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	envFile        string
	// describe, when set, asks a command for its flags instead of running
	// it: parseArgs stores the command's flag set there and stops.
	describe **flag.FlagSet
}

// usageError is a mistake in how storybot was called; it exits with 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// errInterrupted ends a command that the user stopped with Ctrl-C.
var errInterrupted = errors.New("interrupted")

// exitInterrupted is the shell's code for a program ended by SIGINT.
const exitInterrupted = 130

func main() {
	config.TuneRuntime()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, &cliEnv{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, envFile: ".env"}, os.Args[1:])
	stop()
	os.Exit(code)
}

// run executes one invocation and returns the exit code.
func run(ctx context.Context, env *cliEnv, args []string) int {
	if len(args) == 0 {
		usage(env.stdout)
		return 0
	}
	switch args[0] {
	case "-h", "-help", "--help":
		usage(env.stdout)
		return 0
	case "-version", "--version":
		args = append([]string{"version"}, args[1:]...)
	}
	cmd := lookupCommand(args[0])
	if cmd == nil {
		fmt.Fprintf(env.stderr, "storybot: unknown command %q%s (run 'storybot help')\n", args[0], didYouMean(args[0], commandNames()))
		return 2
	}
	err := cmd.run(ctx, env, args[1:])
	var ue usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errInterrupted):
		return exitInterrupted
	case errors.As(err, &ue):
		fmt.Fprintf(env.stderr, "storybot %s: %v\n", cmd.name, err)
		return 2
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		fmt.Fprintf(env.stderr, "storybot %s: interrupted\n", cmd.name)
		return exitInterrupted
	default:
		fmt.Fprintf(env.stderr, "storybot %s: %v\n", cmd.name, err)
		return 1
	}
}
