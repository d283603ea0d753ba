package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

// Every command in the table parses its arguments before doing anything
// else, so its flags can be read without running it; and its flag set is
// named after it, so that its help and its errors name it.
func TestEveryCommandDescribesItsFlags(t *testing.T) {
	for _, c := range commands {
		fs := commandFlags(c)
		if fs == nil {
			t.Errorf("%s does something before it parses its arguments", c.name)
			continue
		}
		if fs.Name() != "storybot "+c.name {
			t.Errorf("%s: flags of %q", c.name, fs.Name())
		}
		if c.summary == "" || len(c.examples) == 0 {
			t.Errorf("%s: no summary or no example", c.name)
		}
		for _, e := range c.examples {
			if !strings.Contains(e, "storybot "+c.name) && !strings.Contains(e, "storybot --"+c.name) &&
				!strings.Contains(e, "storybot completion") {
				t.Errorf("%s: example %q does not run it", c.name, e)
			}
		}
	}
}

func TestHelpPages(t *testing.T) {
	for _, args := range [][]string{{"help", "who-said"}, {"who-said", "-h"}, {"who-said", "--help"}} {
		code, out, errs := runCLI(t, "", args...)
		if code != 0 || errs != "" {
			t.Fatalf("%v: exit %d, stderr %q", args, code, errs)
		}
		for _, want := range []string{
			"Usage: storybot who-said [flags] TEXT\n", // the command as typed, not "storybot who"
			"Name who said something",                 // what it does
			"--story NAME", "-n N", "(default 3)",     // its flags, with their values
			"Examples:\n  storybot who-said \"dialogue and peaceful means\"",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("%v: help lacks %q:\n%s", args, want, out)
			}
		}
	}
	code, out, _ := runCLI(t, "", "quotes", "-h")
	if code != 0 || !strings.HasPrefix(out, "Usage: storybot quotes [flags]\n") {
		t.Errorf("quotes -h: exit %d:\n%s", code, out)
	}
	// index needs both directories: its help must not promise a default.
	code, out, _ = runCLI(t, "", "help", "index")
	if code != 0 || strings.Contains(out, "in memory") || strings.Contains(out, "built-in story") || !strings.Contains(out, "required") {
		t.Errorf("help index: exit %d:\n%s", code, out)
	}
	// help on its own, or with a command that does not exist.
	code, out, _ = runCLI(t, "", "help")
	if code != 0 || !strings.Contains(out, "who-said") || !strings.Contains(out, "completion") {
		t.Errorf("help: exit %d:\n%s", code, out)
	}
	code, _, errs := runCLI(t, "", "help", "who-sayd")
	if code != 2 || !strings.Contains(errs, "did you mean who-said?") {
		t.Errorf("help who-sayd: exit %d, stderr %q", code, errs)
	}
	code, _, errs = runCLI(t, "", "whos-aid", "x")
	if code != 2 || !strings.Contains(errs, `unknown command "whos-aid" (did you mean who-said?)`) {
		t.Errorf("unknown command: exit %d, stderr %q", code, errs)
	}
}

func TestVersion(t *testing.T) {
	bi := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/storybot/storybot", Version: "v1.4.0"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef"}, {Key: "vcs.time", Value: "2026-11-30T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	got := versionText(bi)
	for _, want := range []string{"storybot v1.4.0\n", "revision 0123456789abcdef (2026-11-30T10:00:00Z), with uncommitted changes\n", "go1.26.8 "} {
		if !strings.Contains(got, want) {
			t.Errorf("versionText lacks %q:\n%s", want, got)
		}
	}
	bi.Settings = nil
	if got := versionText(bi); !strings.Contains(got, "revision unknown") {
		t.Errorf("without VCS information:\n%s", got)
	}
	// The command prints this binary's own build information.
	own, _ := debug.ReadBuildInfo()
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, _ := runCLI(t, "", args...)
		if code != 0 || out != versionText(own) || !strings.HasPrefix(out, "storybot ") {
			t.Errorf("%v: exit %d, %q, want %q", args, code, out, versionText(own))
		}
	}
}

func TestCompletionScripts(t *testing.T) {
	for _, shell := range completionShells {
		code, out, errs := runCLI(t, "", "completion", shell)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", shell, code, errs)
		}
		for _, c := range commands {
			if !strings.Contains(out, c.name) {
				t.Errorf("%s script lacks the command %s", shell, c.name)
			}
		}
		for _, want := range []string{"story", "corpus", "quiet", "http"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s script lacks the flag --%s", shell, want)
			}
		}
		if strings.Contains(out, "open-only") {
			t.Errorf("%s script offers an internal flag", shell)
		}
		script := filepath.Join(t.TempDir(), "storybot."+shell)
		os.WriteFile(script, []byte(out), 0o644)
		// Where the shell is installed, it must accept the script.
		if path, err := exec.LookPath(shell); err == nil {
			check := map[string][]string{"bash": {"-n", script}, "zsh": {"-n", script}, "fish": {"--no-execute", script}}[shell]
			if b, err := exec.Command(path, check...).CombinedOutput(); err != nil {
				t.Errorf("%s rejects the script: %v\n%s", shell, err, b)
			}
		}
	}
	if code, _, _ := runCLI(t, "", "completion", "tcsh"); code != 2 {
		t.Errorf("completion tcsh: exit %d, want 2", code)
	}
}

// The bash script, run by bash, completes what a person types.
func TestBashCompletionCompletes(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	_, script, _ := runCLI(t, "", "completion", "bash")
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "stories"), 0o755)
	complete := func(words ...string) string {
		t.Helper()
		prog := script + "\nCOMP_WORDS=(" + strings.Join(quoteAll(words), " ") + ")\nCOMP_CWORD=" +
			strconv.Itoa(len(words)-1) + "\n_storybot\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n"
		cmd := exec.Command(bash, "--norc", "-c", prog)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("bash: %v\n%s", err, out)
		}
		return strings.TrimSpace(string(out))
	}
	for _, tt := range []struct {
		words []string
		want  string
	}{
		{[]string{"storybot", "who"}, "who-said"},
		{[]string{"storybot", "ask", "--st"}, "--story"},
		{[]string{"storybot", "index", "--q"}, "--quiet"},
		{[]string{"storybot", "index", "--corpus", "sto"}, "stories"},
		{[]string{"storybot", "help", "tim"}, "timeline"},
		{[]string{"storybot", "completion", "f"}, "fish"},
	} {
		if got := complete(tt.words...); got != tt.want {
			t.Errorf("%v: completed to %q, want %q", tt.words, got, tt.want)
		}
	}
	// A command's flags, and only its own.
	if got := complete("storybot", "ask", "--"); !strings.Contains(got, "--json") || strings.Contains(got, "--quiet") {
		t.Errorf("ask's flags: %q", got)
	}
}

func quoteAll(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = "'" + w + "'"
	}
	return out
}

// Off a terminal there is no progress bar (whose carriage returns make a
// log unreadable), but a plain line at every tenth.
func TestIndexProgressOffATerminal(t *testing.T) {
	corpusDir, indexDir := t.TempDir(), filepath.Join(t.TempDir(), "ix")
	for _, name := range []string{"a.txt", "b.txt", "c.txt"} {
		os.WriteFile(filepath.Join(corpusDir, name), []byte("Headline "+name+"\n\nThe mayor said the bridge would open in May.\n"), 0o644)
	}
	code, _, errs := runCLI(t, "", "index", "--corpus", corpusDir, "--index", indexDir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if strings.Contains(errs, "\r") || strings.Contains(errs, "\x1b[") || strings.Contains(errs, "█") {
		t.Errorf("a progress bar off a terminal: %q", errs)
	}
	if !strings.Contains(errs, "indexing 100% (3/3 stories)\n") {
		t.Errorf("no progress lines: %q", errs)
	}
	if code, _, errs := runCLI(t, "", "index", "--quiet", "--corpus", corpusDir, "--index", indexDir); code != 0 || errs != "" {
		t.Errorf("--quiet: exit %d, stderr %q", code, errs)
	}
}

func TestBatchGoesOnPastABadLine(t *testing.T) {
	in := `{"id":"q1","kind":"who","question":"dialogue and peaceful means"}
{"id":"q2","kind":"who","question": }
this is not JSON
{"id":"q3","kind":"when","question":"When did the U.S. invade Afghanistan?"}
{"id":"q4","kind":"ask","question":"Molotov","story":"nope.txt"}
{"id":"q5","kind":"ask","question":"What did the ministry urge citizens to make?"}`
	code, out, errs := runCLI(t, in, "batch")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 6 {
		t.Fatalf("%d answers for 6 lines:\n%s", len(lines), out)
	}
	for i, want := range []string{
		`"id":"q1","answer":"Abdul Qahar Balkhi"`,
		`"passages":[],"error":"line 2: not a JSON question`,
		`"passages":[],"error":"line 3: not a JSON question`,
		`"id":"q3","answer":"2001"`,
		`"passages":[],"error":"no story by that name`,
		`"id":"q5","answer":"`,
	} {
		if !strings.Contains(lines[i], want) {
			t.Errorf("line %d: %s\nwant it to contain %s", i+1, lines[i], want)
		}
	}
	for i, id := range []string{`"id":"q2"`, `"id":""`, "", `"id":"q4"`} {
		if id != "" && !strings.HasPrefix(lines[i+1], "{"+id) {
			t.Errorf("line %d does not start with %s: %s", i+2, id, lines[i+1])
		}
	}
	if strings.Contains(lines[5], `"error"`) {
		t.Errorf("the line after the bad ones failed: %s", lines[5])
	}
}

func TestUnknownStoryNamesTheClosest(t *testing.T) {
	for _, args := range [][]string{{"ask", "--story", "talibn.txt", "who?"}, {"quotes", "--story", "talibn"}} {
		code, _, errs := runCLI(t, "", args...)
		if code != 1 || !strings.Contains(errs, `no story by that name: "talibn`) ||
			!strings.Contains(errs, "the closest: taliban-call-for-russia-ukraine-peace.txt") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
	}
}

// The fish script, run by fish, completes what a person types.
func TestFishCompletionCompletes(t *testing.T) {
	fish, err := exec.LookPath("fish")
	if err != nil {
		t.Skip("no fish")
	}
	_, script, _ := runCLI(t, "", "completion", "fish")
	path := filepath.Join(t.TempDir(), "storybot.fish")
	os.WriteFile(path, []byte(script), 0o644)
	for typed, want := range map[string]string{
		"storybot who":      "who-said\t",
		"storybot ask --st": "--story\t",
		"storybot help tim": "timeline",
		"storybot index --": "--quiet\t",
	} {
		out, err := exec.Command(fish, "--no-config", "-c", "source "+path+"; complete -C '"+typed+"'").CombinedOutput()
		if err != nil || !strings.Contains(string(out), want) {
			t.Errorf("%q: completions %q (%v), want %q", typed, out, err, want)
		}
	}
}
