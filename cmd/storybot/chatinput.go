package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"sync"
	"sync/atomic"

	"golang.org/x/term"
)

// lineInput reads the console's lines. Both kinds give up at once when ctx
// ends (SIGINT or SIGTERM while no line is being edited), so that Ctrl-C
// never waits for the next line to be typed.
type lineInput interface {
	// readLine returns the next line; io.EOF at the end of the input or on
	// Ctrl-D, errInterrupted on Ctrl-C.
	readLine(ctx context.Context) (string, error)
	close()
}

// completer completes the word before pos in line, for the Tab key.
type completer func(line string, pos int) (newLine string, newPos int, ok bool)

// newLineInput edits lines in the terminal, with history, when both ends
// are one; otherwise it reads plain lines, with no prompt.
func newLineInput(in io.Reader, out io.Writer, complete completer) lineInput {
	inFile, inTerm := isTerminal(in)
	outFile, outTerm := isTerminal(out)
	if !inTerm || !outTerm {
		return newPlainInput(in)
	}
	return newEditor(inFile, outFile, complete)
}

type readResult struct {
	line string
	err  error
}

// plainInput reads lines from a pipe or a file. A goroutine does the
// reading, so a blocked read does not hold up a cancelled context.
type plainInput struct {
	lines chan string
	start sync.Once
	in    io.Reader
	// err ends the input once lines is closed: io.EOF, or a read error.
	err error
}

func newPlainInput(in io.Reader) *plainInput {
	return &plainInput{lines: make(chan string), in: in}
}

func (p *plainInput) readLine(ctx context.Context) (string, error) {
	p.start.Do(func() {
		go func() {
			defer close(p.lines)
			sc := bufio.NewScanner(p.in)
			sc.Buffer(make([]byte, 64<<10), 1<<20)
			for sc.Scan() {
				p.lines <- sc.Text()
			}
			p.err = sc.Err()
			if p.err == nil {
				p.err = io.EOF
			}
		}()
	})
	select {
	case line, ok := <-p.lines:
		if !ok {
			return "", p.err
		}
		return line, nil
	case <-ctx.Done():
		return "", errInterrupted
	}
}

func (p *plainInput) close() {}

// editor edits a line in the terminal: golang.org/x/term's line editor
// (arrows, Home and End, Ctrl-A/E/K/U/W, history on Up and Down), in raw
// mode only while a line is typed, so that Ctrl-C during an answer is an
// ordinary SIGINT.
type editor struct {
	in    *os.File
	out   *os.File
	t     *term.Terminal
	keys  *ctrlCWatch
	mu    sync.Mutex
	saved *term.State // the cooked state, while in raw mode
}

func newEditor(in, out *os.File, complete completer) *editor {
	keys := &ctrlCWatch{r: in}
	e := &editor{in: in, out: out, keys: keys}
	e.t = term.NewTerminal(struct {
		io.Reader
		io.Writer
	}{keys, out}, "> ")
	e.t.AutoCompleteCallback = func(line string, pos int, key rune) (string, int, bool) {
		if key != '\t' || complete == nil {
			return "", 0, false
		}
		return complete(line, pos)
	}
	return e
}

func (e *editor) readLine(ctx context.Context) (string, error) {
	if w, h, err := term.GetSize(int(e.out.Fd())); err == nil {
		e.t.SetSize(w, h)
	}
	if err := e.raw(); err != nil {
		return "", err
	}
	e.keys.seen.Store(false)
	done := make(chan readResult, 1)
	go func() {
		line, err := e.t.ReadLine()
		done <- readResult{line, err}
	}()
	select {
	case r := <-done:
		e.close()
		switch {
		case errors.Is(r.err, io.EOF) && e.keys.seen.Load():
			return "", errInterrupted
		case errors.Is(r.err, term.ErrPasteIndicator):
			return r.line, nil
		}
		return r.line, r.err
	case <-ctx.Done():
		e.close()
		return "", errInterrupted
	}
}

func (e *editor) raw() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.saved != nil {
		return nil
	}
	st, err := term.MakeRaw(int(e.in.Fd()))
	if err != nil {
		return err
	}
	e.saved = st
	return nil
}

// close leaves raw mode; it is safe to call at any time, and again.
func (e *editor) close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.saved != nil {
		_ = term.Restore(int(e.in.Fd()), e.saved)
		e.saved = nil
	}
}

// ctrlCWatch notes a Ctrl-C among the keys read. x/term's ReadLine returns
// io.EOF for Ctrl-C as for Ctrl-D, but the two must end the console
// differently: Ctrl-D is the end of the input (exit 0), Ctrl-C an
// interruption (exit 130, as a shell reports SIGINT).
type ctrlCWatch struct {
	r    io.Reader
	seen atomic.Bool
}

const keyCtrlC = 3

func (w *ctrlCWatch) Read(p []byte) (int, error) {
	n, err := w.r.Read(p)
	if bytes.IndexByte(p[:n], keyCtrlC) >= 0 {
		w.seen.Store(true)
	}
	return n, err
}
