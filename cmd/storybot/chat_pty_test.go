package main

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/rivo/uniseg"
)

// ptySession is storybot running on a pseudo-terminal, as a person runs it.
type ptySession struct {
	t    *testing.T
	cmd  *exec.Cmd
	tty  *os.File
	mu   sync.Mutex
	out  strings.Builder
	read int // how much of out expect has consumed
}

// collect keeps what r gives, for expect.
func (s *ptySession) collect(r io.Reader) {
	buf := make([]byte, 4096)
	for {
		n, err := r.Read(buf)
		s.mu.Lock()
		s.out.Write(buf[:n])
		s.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// startPTY runs storybot with args in a child process whose stdin, stdout
// and stderr are a terminal of cols columns.
func startPTY(t *testing.T, cols uint16, env []string, args ...string) *ptySession {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperStorybotMain$")
	cmd.Env = append(os.Environ(), append(env, "STORYBOT_MAIN_ARGS="+strings.Join(args, "\x1f"),
		"STORYBOT_CORPUS=", "STORYBOT_INDEX=", "TERM=xterm")...)
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: cols, Rows: 50})
	if err != nil {
		t.Fatal(err)
	}
	s := &ptySession{t: t, cmd: cmd, tty: tty}
	go s.collect(tty)
	t.Cleanup(func() {
		cmd.Process.Kill()
		tty.Close()
	})
	return s
}

// expect waits until the output since the last expect holds want, and
// returns that stretch of output.
func (s *ptySession) expect(want string) string {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		s.mu.Lock()
		all := s.out.String()
		s.mu.Unlock()
		if i := strings.Index(all[s.read:], want); i >= 0 {
			got := all[s.read : s.read+i+len(want)]
			s.read += i + len(want)
			return got
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.t.Fatalf("no %q in the terminal; it shows:\n%s", want, s.out.String()[s.read:])
	return ""
}

func (s *ptySession) send(keys string) {
	s.t.Helper()
	if _, err := io.WriteString(s.tty, keys); err != nil {
		s.t.Fatal(err)
	}
}

// exitCode waits for the process to end.
func (s *ptySession) exitCode() int {
	s.t.Helper()
	errc := make(chan error, 1)
	go func() { errc <- s.cmd.Wait() }()
	select {
	case err := <-errc:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		if err != nil {
			s.t.Fatal(err)
		}
		return 0
	case <-time.After(20 * time.Second):
		s.t.Fatal("storybot did not exit")
		return -1
	}
}

var sgr = regexp.MustCompile("\x1b\\[[0-9;]*m")

// visible is terminal output as a person reads it: no styles, no carriage returns.
func visible(s string) string { return strings.ReplaceAll(sgr.ReplaceAllString(s, ""), "\r", "") }

func TestChatOnATerminal(t *testing.T) {
	s := startPTY(t, 60, nil, "chat")
	s.expect("Type /help")
	s.expect("> ")

	s.send("/HELP\r")
	help := s.expect("> ")
	for _, want := range []string{"/who-said TEXT", "/more", "story:NAME", "private:true"} {
		if !strings.Contains(help, want) {
			t.Errorf("/help lacks %q:\n%s", want, help)
		}
	}

	s.send("/who-said dialogue and peaceful means\r")
	answer := s.expect("(/more for more passages)")
	if !strings.Contains(visible(answer), "Said by: Abdul Qahar Balkhi") {
		t.Errorf("no speaker in:\n%s", answer)
	}
	if !strings.Contains(answer, styleBold+"Abdul Qahar Balkhi"+styleReset) || !strings.Contains(answer, styleBold+"peaceful") {
		t.Errorf("the answer and the matched words are not bold on a terminal:\n%q", answer)
	}
	for _, line := range strings.Split(visible(answer), "\n") {
		if w := uniseg.StringWidth(line); w > 60 {
			t.Errorf("a line of %d columns on a 60-column terminal: %q", w, line)
		}
	}
	if strings.Contains(answer, "**") || strings.Contains(answer, "\n> ") {
		t.Errorf("Discord markup on the terminal:\n%s", answer)
	}
	s.expect("> ")

	s.send("/more\r")
	if more := visible(s.expect("> ")); !strings.Contains(more, "[4] “") {
		t.Errorf("/more did not show passage 4:\n%s", more)
	}

	// Up twice recalls the question, not "^[[A" as a question.
	s.send("\x1b[A\x1b[A\r")
	if again := visible(s.expect("> ")); !strings.Contains(again, "Said by: Abdul Qahar Balkhi") {
		t.Errorf("history did not bring the question back:\n%s", again)
	}

	s.send("\x03")
	if code := s.exitCode(); code != exitInterrupted {
		t.Errorf("Ctrl-C: exit %d, want %d", code, exitInterrupted)
	}
}

func TestChatOnATerminalHonoursNoColorAndCtrlD(t *testing.T) {
	s := startPTY(t, 80, []string{"NO_COLOR=1"}, "chat")
	s.expect("> ")
	s.send("/who-said dialogue and peaceful means\r")
	answer := s.expect("> ")
	if !strings.Contains(answer, "Abdul Qahar Balkhi") {
		t.Errorf("no answer:\n%s", answer)
	}
	if m := sgr.FindString(answer); m != "" {
		t.Errorf("style %q despite NO_COLOR:\n%q", m, answer)
	}
	s.send("\x04")
	if code := s.exitCode(); code != 0 {
		t.Errorf("Ctrl-D: exit %d, want 0", code)
	}
}

// TestHelperStorybotMain is storybot's main in a child process, for the
// terminal tests: signals and exit codes as in the real program.
func TestHelperStorybotMain(t *testing.T) {
	args := os.Getenv("STORYBOT_MAIN_ARGS")
	if args == "" {
		t.Skip("helper process for the terminal tests")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, &cliEnv{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}, strings.Split(args, "\x1f"))
	stop()
	os.Exit(code)
}

// Off a terminal, Ctrl-C is a SIGINT, and it ends the console at once,
// without waiting for another line of input.
func TestChatInterruptedOffATerminal(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperStorybotMain$")
	cmd.Env = append(os.Environ(), "STORYBOT_MAIN_ARGS=chat", "STORYBOT_CORPUS=", "STORYBOT_INDEX=")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close() // open until the end: the console must not wait for it
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	io.WriteString(stdin, "/who-said dialogue and peaceful means\n")
	s := &ptySession{t: t, cmd: cmd}
	go s.collect(stdout)
	s.expect("Abdul Qahar Balkhi")
	cmd.Process.Signal(os.Interrupt)
	if code := s.exitCode(); code != exitInterrupted {
		t.Errorf("SIGINT: exit %d, want %d", code, exitInterrupted)
	}
}
