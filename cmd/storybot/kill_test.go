package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/storybot/storybot/corpus/synth"
)

// TestKilledReindexKeepsTheOldIndex runs `storybot index` over a large
// corpus in a child process, kills it with SIGKILL at several points of the
// rebuild, and checks each time that the old index still answers after a
// restart and that the corpus is untouched.
func TestKilledReindexKeepsTheOldIndex(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes and indexes 30,000 paragraphs")
	}
	corpusDir, indexDir := moderated(t)
	big, err := synth.Generate(30_000, 7)
	if err != nil {
		t.Fatal(err)
	}
	if err := big.WriteDir(corpusDir); err != nil {
		t.Fatal(err)
	}
	before := corpusFiles(t, corpusDir)
	// The child prints its progress bar on stderr; the kill lands once the
	// bar shows at least the given share of the stories indexed.
	for _, at := range []int{0, 35, 70} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperStorybot$")
		cmd.Env = append(os.Environ(), "STORYBOT_HELPER_ARGS=index\x1f--corpus\x1f"+corpusDir+"\x1f--index\x1f"+indexDir)
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if !waitForProgress(stderr, at) {
			cmd.Wait()
			t.Fatalf("the rebuild ended before it was %d%% done", at)
		}
		cmd.Process.Kill()
		cmd.Wait()

		code, out, errs := runCLI(t, "", "stories", "--index", indexDir)
		if code != 0 || !strings.Contains(out, "taliban-call-for-russia-ukraine-peace.txt") || strings.Count(out, "\n") != 2 {
			t.Fatalf("after a kill at %d%%: the old index does not list its one story: exit %d\n%s%s", at, code, out, errs)
		}
		code, out, _ = runCLI(t, "", "ask", "--index", indexDir, "What did Ukraine's defense ministry urge citizens to make?")
		if code != 0 || !strings.Contains(out, "Molotov cocktails") {
			t.Fatalf("after a kill at %d%%: the old index does not answer: exit %d\n%s", at, code, out)
		}
		if after := corpusFiles(t, corpusDir); after != before {
			t.Fatalf("after a kill at %d%%: the corpus changed", at)
		}
	}
}

var percent = regexp.MustCompile(`indexing\s+(\d+)%`)

// waitForProgress reads the progress bar until it shows at least pct
// percent, and reports false if the output ends first.
func waitForProgress(r io.Reader, pct int) bool {
	br := bufio.NewReader(r)
	var seen []byte
	for {
		b, err := br.ReadByte()
		if err != nil {
			return false
		}
		seen = append(seen, b)
		if b != '%' {
			continue
		}
		if m := percent.FindAllSubmatch(seen, -1); len(m) > 0 {
			if n, _ := strconv.Atoi(string(m[len(m)-1][1])); n >= pct {
				return true
			}
		}
	}
}

// TestHelperStorybot is the storybot process that the kill test kills.
func TestHelperStorybot(t *testing.T) {
	args := os.Getenv("STORYBOT_HELPER_ARGS")
	if args == "" {
		t.Skip("helper process for TestKilledReindexKeepsTheOldIndex")
	}
	os.Exit(run(context.Background(), &cliEnv{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}, strings.Split(args, "\x1f")))
}

// corpusFiles is the corpus directory's file names and sizes.
func corpusFiles(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %d\n", path, info.Size())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
