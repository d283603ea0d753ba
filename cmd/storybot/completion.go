package main

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// completionShells are the shells a script is written for.
var completionShells = []string{"bash", "zsh", "fish"}

func completionCommand(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags("completion", env)
	pos, err := parseArgs(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError{"name the shell: storybot completion bash|zsh|fish"}
	}
	spec := completionSpec()
	switch pos[0] {
	case "bash":
		writeBash(env.stdout, spec)
	case "zsh":
		writeZsh(env.stdout, spec)
	case "fish":
		writeFish(env.stdout, spec)
	default:
		return usageError{fmt.Sprintf("no completion for %q: the shells are bash, zsh and fish", pos[0])}
	}
	return nil
}

// completed is what the scripts know of one command.
type completed struct {
	*command
	flags []flagHelp
	// words are the fixed choices of its argument (help, completion);
	// files says that its argument is a file (add).
	words []string
	files bool
}

// dirFlags take a directory.
var dirFlags = map[string]bool{"--corpus": true, "--index": true, "--dir": true}

// completionSpec is the command table as the scripts need it, with each
// command's flags as it defines them, so the scripts never fall behind.
func completionSpec() []completed {
	var out []completed
	for _, c := range commands {
		cc := completed{command: c, flags: visibleFlags(describeFlags(c))}
		switch c.name {
		case "help":
			cc.words = commandNames()
		case "completion":
			cc.words = completionShells
		case "add":
			cc.files = true
		}
		out = append(out, cc)
	}
	return out
}

func writeBash(w io.Writer, spec []completed) {
	var names, dirs, values []string
	for _, c := range spec {
		names = append(names, c.name)
		for _, f := range c.flags {
			switch {
			case dirFlags[f.name]:
				dirs = appendNew(dirs, f.name)
			case f.value != "":
				values = appendNew(values, f.name)
			}
		}
	}
	fmt.Fprintf(w, `# bash completion for storybot.
# Load it in this shell, or from ~/.bashrc:  source <(storybot completion bash)
_storybot() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    if [[ $COMP_CWORD -eq 1 ]]; then
        COMPREPLY=($(compgen -W "%s --help --version" -- "$cur"))
        return
    fi
    case $prev in
        %s)
            compopt -o filenames 2>/dev/null
            COMPREPLY=($(compgen -d -- "$cur"))
            return ;;
        %s)
            return ;;
    esac
    local flags="" words="" files=""
    case ${COMP_WORDS[1]} in
`, strings.Join(names, " "), strings.Join(dirs, "|"), strings.Join(values, "|"))
	for _, c := range spec {
		var flags []string
		for _, f := range c.flags {
			flags = append(flags, f.name)
		}
		flags = append(flags, "--help")
		fmt.Fprintf(w, "        %s) flags=%q", c.name, strings.Join(flags, " "))
		if len(c.words) > 0 {
			fmt.Fprintf(w, " words=%q", strings.Join(c.words, " "))
		}
		if c.files {
			fmt.Fprint(w, " files=1")
		}
		fmt.Fprintln(w, " ;;")
	}
	fmt.Fprint(w, `    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$flags" -- "$cur"))
    elif [[ -n $words ]]; then
        COMPREPLY=($(compgen -W "$words" -- "$cur"))
    elif [[ -n $files ]]; then
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}
complete -F _storybot storybot
`)
}

func writeZsh(w io.Writer, spec []completed) {
	fmt.Fprint(w, `#compdef storybot
# zsh completion for storybot.
# Install it:  storybot completion zsh > "${fpath[1]}/_storybot"   (then start a new shell)
# or load it in this shell:  source <(storybot completion zsh)
_storybot() {
    local -a cmds
    cmds=(
`)
	for _, c := range spec {
		fmt.Fprintf(w, "        %s\n", zshQuote(c.name+":"+strings.ReplaceAll(c.summary, ":", `\:`)))
	}
	fmt.Fprint(w, `    )
    if (( CURRENT == 2 )); then
        _describe -t commands 'storybot command' cmds
        return
    fi
    local cmd=$words[2]
    shift words
    (( CURRENT-- ))
    case $cmd in
`)
	for _, c := range spec {
		fmt.Fprintf(w, "        %s)\n            _arguments -s", c.name)
		for _, f := range c.flags {
			desc := zshEscape(f.usage)
			arg := ""
			switch {
			case dirFlags[f.name]:
				arg = "=[" + desc + "]:" + f.value + ":_files -/"
			case f.value != "":
				arg = "=[" + desc + "]:" + f.value + ": "
			default:
				arg = "[" + desc + "]"
			}
			name := f.name
			if strings.HasPrefix(arg, "=") && len(f.name) == 2 {
				arg = arg[1:] // -n takes its value as the next word
			}
			fmt.Fprintf(w, " \\\n                %s", zshQuote(name+arg))
		}
		switch {
		case len(c.words) > 0:
			fmt.Fprintf(w, " \\\n                %s", zshQuote("1:"+c.args+":("+strings.Join(c.words, " ")+")"))
		case c.files:
			fmt.Fprintf(w, " \\\n                %s", zshQuote("1:"+c.args+":_files"))
		case c.args != "":
			fmt.Fprintf(w, " \\\n                %s", zshQuote("*:"+c.args+": "))
		}
		fmt.Fprint(w, " ;;\n")
	}
	fmt.Fprint(w, `    esac
}
if [[ $funcstack[1] == _storybot ]]; then
    _storybot "$@"
else
    compdef _storybot storybot
fi
`)
}

func writeFish(w io.Writer, spec []completed) {
	fmt.Fprint(w, `# fish completion for storybot.
# Install it:  storybot completion fish > ~/.config/fish/completions/storybot.fish
complete -c storybot -f
complete -c storybot -n __fish_use_subcommand -l help -d 'show the commands'
complete -c storybot -n __fish_use_subcommand -l version -d 'print the version'
`)
	for _, c := range spec {
		fmt.Fprintf(w, "complete -c storybot -n __fish_use_subcommand -a %s -d %s\n", c.name, fishQuote(c.summary))
	}
	for _, c := range spec {
		when := fishQuote("__fish_seen_subcommand_from " + c.name)
		for _, f := range c.flags {
			opt := "-l " + strings.TrimPrefix(f.name, "--")
			if len(f.name) == 2 {
				opt = "-s " + f.name[1:]
			}
			switch {
			case dirFlags[f.name]:
				opt += " -x -a '(__fish_complete_directories)'"
			case f.value != "":
				opt += " -x"
			}
			fmt.Fprintf(w, "complete -c storybot -n %s %s -d %s\n", when, opt, fishQuote(f.usage))
		}
		if len(c.words) > 0 {
			fmt.Fprintf(w, "complete -c storybot -n %s -a %s\n", when, fishQuote(strings.Join(c.words, " ")))
		}
		if c.files {
			fmt.Fprintf(w, "complete -c storybot -n %s -F\n", when)
		}
	}
}

// zshQuote single-quotes s for zsh.
func zshQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// zshEscape keeps a description from ending an _arguments spec early.
func zshEscape(s string) string {
	return strings.NewReplacer("[", `\[`, "]", `\]`, ":", `\:`).Replace(s)
}

// fishQuote single-quotes s for fish, where only \ and ' are special.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(s) + "'"
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
