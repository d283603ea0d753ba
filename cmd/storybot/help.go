package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// usage is the general help: every command of the table, by group.
func usage(w io.Writer) {
	fmt.Fprintln(w, "storybot answers questions about news stories, quoting them word for word.")
	fmt.Fprintln(w, "\nUsage: storybot COMMAND [flags] [text]")
	for _, g := range groups {
		fmt.Fprintf(w, "\n%s:\n", g)
		for _, c := range commands {
			if c.group == g {
				fmt.Fprintf(w, "  %-11s %s\n", c.name, c.summary)
			}
		}
	}
	fmt.Fprintln(w, "\nRun 'storybot help COMMAND' (or 'storybot COMMAND -h') for its flags and examples.")
	fmt.Fprintln(w, "Settings come from flags, the environment and a .env file; .env.example lists them.")
}

// errDescribed stops a command that was asked for its flags (cliEnv.describe).
var errDescribed = errors.New("described")

// describeFlags returns the flags of c, as c defines them when it runs.
// Every command parses its arguments before it does anything else, and in
// describe mode parseArgs stops it right there (a test checks each one,
// with commandFlags).
func describeFlags(c *command) *flag.FlagSet {
	if fs := commandFlags(c); fs != nil {
		return fs
	}
	return flag.NewFlagSet("storybot "+c.name, flag.ContinueOnError)
}

// commandFlags is c's flag set, or nil if c did not reach parseArgs.
func commandFlags(c *command) *flag.FlagSet {
	var fs *flag.FlagSet
	_ = c.run(context.Background(), &cliEnv{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, describe: &fs}, nil)
	return fs
}

// helpPage is one command's help: usage line, what it does, flags, examples.
func helpPage(w io.Writer, c *command, fs *flag.FlagSet) {
	line := "storybot " + c.name
	flags := visibleFlags(fs)
	if len(flags) > 0 {
		line += " [flags]"
	}
	if c.args != "" {
		line += " " + c.args
	}
	fmt.Fprintf(w, "Usage: %s\n\n%s.\n", line, capitalise(c.summary))
	if c.about != "" {
		fmt.Fprintf(w, "\n%s\n", c.about)
	}
	if len(flags) > 0 {
		fmt.Fprintln(w, "\nFlags:")
		width := 0
		for _, f := range flags {
			width = max(width, len(f.left))
		}
		for _, f := range flags {
			fmt.Fprintf(w, "  %-*s  %s\n", width, f.left, f.usage)
		}
	}
	if len(c.examples) > 0 {
		fmt.Fprintln(w, "\nExamples:")
		for _, e := range c.examples {
			fmt.Fprintf(w, "  %s\n", e)
		}
	}
}

// flagHelp is one flag as a help page shows it.
type flagHelp struct {
	name  string // as typed: "--corpus", "-n"
	value string // the placeholder of its value, "" for a switch
	left  string // name and placeholder
	usage string
}

// visibleFlags lists fs's flags for people, leaving out internal ones.
func visibleFlags(fs *flag.FlagSet) []flagHelp {
	var out []flagHelp
	fs.VisitAll(func(f *flag.Flag) {
		if strings.HasPrefix(f.Usage, "internal:") {
			return
		}
		h := flagHelp{name: "--" + f.Name}
		if len(f.Name) == 1 {
			h.name = "-" + f.Name
		}
		placeholder, text := flag.UnquoteUsage(f)
		if !isSwitch(f) {
			h.value = valueName(f.Name, placeholder)
		}
		h.left = strings.TrimSpace(h.name + " " + h.value)
		h.usage = text
		if d := f.DefValue; d != "" && d != "0" && d != "false" && !strings.Contains(text, "default") {
			h.usage += fmt.Sprintf(" (default %s)", d)
		}
		out = append(out, h)
	})
	return out
}

func isSwitch(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// valueName is the placeholder for a flag's value: the one its usage
// names in backquotes, else one that says what kind of value it is.
func valueName(flagName, placeholder string) string {
	switch placeholder {
	case "string", "value", "":
		return strings.ToUpper(flagName)
	case "int", "uint", "float":
		return "N"
	}
	return placeholder
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func helpCommand(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("help", env)
	pos, err := parseArgs(env, fs, args)
	if err != nil {
		return err
	}
	switch len(pos) {
	case 0:
		usage(env.stdout)
		return nil
	case 1:
	default:
		return usageError{"name one command, e.g. storybot help ask"}
	}
	c := lookupCommand(pos[0])
	if c == nil {
		return usageError{fmt.Sprintf("unknown command %q%s", pos[0], didYouMean(pos[0], commandNames()))}
	}
	helpPage(env.stdout, c, describeFlags(c))
	return nil
}
