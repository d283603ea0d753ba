package main

import (
	"io"
	"os"
	"strings"

	"github.com/rivo/uniseg"
	"golang.org/x/term"
)

// display is where text for people goes, and what it may look like there:
// on a terminal, bold and colour (unless NO_COLOR or TERM=dumb says
// otherwise) and lines wrapped to its width; anywhere else, plain text as
// it is, for files, pipes and scripts.
type display struct {
	w     io.Writer
	style bool
	// width is the column to wrap at; 0 leaves lines as they are.
	width int
}

// maxWidth keeps quotes readable on a wide terminal.
const maxWidth = 100

func newDisplay(w io.Writer) display {
	d := display{w: w}
	f, ok := isTerminal(w)
	if !ok {
		return d
	}
	d.style = os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
	d.width = 80
	if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 20 {
		d.width = min(cols-1, maxWidth)
	}
	return d
}

// isTerminal reports whether w is a terminal, and returns its file.
func isTerminal(w any) (*os.File, bool) {
	f, ok := w.(*os.File)
	if !ok || f == nil || !term.IsTerminal(int(f.Fd())) {
		return nil, false
	}
	return f, true
}

// ANSI styles. Each is applied to one run of text and reset after it.
const (
	styleBold   = "\x1b[1m"
	styleDim    = "\x1b[2m"
	styleCyan   = "\x1b[36m"
	styleYellow = "\x1b[33m"
	styleReset  = "\x1b[0m"
)

// paint wraps s in a style when the display has styles.
func (d display) paint(style, s string) string {
	if !d.style || s == "" {
		return s
	}
	return style + s + styleReset
}

// span is a byte range of a text, to be shown in a style.
type span struct{ start, end int }

// wrapped breaks text into lines of at most width columns after indent,
// at spaces, and returns each line's byte range in text. Runs of space and
// newlines become one break or one space. width 0 gives one line.
func wrapped(text string, width, indent int) []span {
	var lines []span
	room := width - indent
	start, lineEnd, col := -1, 0, 0
	for _, w := range words(text) {
		ww := uniseg.StringWidth(text[w.start:w.end])
		switch {
		case start < 0:
			start, col = w.start, ww
		case width > 0 && col+1+ww > room:
			lines = append(lines, span{start, lineEnd})
			start, col = w.start, ww
		default:
			col += 1 + ww
		}
		lineEnd = w.end
	}
	if start >= 0 {
		lines = append(lines, span{start, lineEnd})
	}
	return lines
}

// words are the runs of text between white space.
func words(text string) []span {
	var out []span
	start := -1
	for i, r := range text {
		if r == ' ' || r == '\n' || r == '\t' || r == '\r' {
			if start >= 0 {
				out = append(out, span{start, i})
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, span{start, len(text)})
	}
	return out
}

// block writes text wrapped, the first line after first and the others
// after indent, with the marked byte ranges in bold. Runs of white space
// become one space. first may be styled, but should take as many columns
// as indent.
func (d display) block(text string, marks []span, first, indent string) {
	var b strings.Builder
	lines := wrapped(text, d.width, uniseg.StringWidth(indent))
	for i, l := range lines {
		if i == 0 {
			b.WriteString(first)
		} else {
			b.WriteString(indent)
		}
		b.WriteString(d.marked(text, l, marks))
		b.WriteString("\n")
	}
	io.WriteString(d.w, b.String())
}

// marked is text[l] with white space runs made single spaces and, when
// the display has styles, the marks in bold.
func (d display) marked(text string, l span, marks []span) string {
	var b strings.Builder
	pos := l.start
	emit := func(end int, bold bool) {
		if end <= pos {
			return
		}
		s := strings.Join(strings.Fields(text[pos:end]), " ")
		if strings.TrimSpace(text[pos:end]) != "" {
			// Keep a space that stood at either edge of the piece.
			if isSpace(text[pos]) {
				s = " " + s
			}
			if isSpace(text[end-1]) {
				s += " "
			}
		} else {
			s = " "
		}
		if bold {
			s = d.paint(styleBold, s)
		}
		b.WriteString(s)
		pos = end
	}
	for _, m := range marks {
		if m.end <= l.start || m.start >= l.end {
			continue
		}
		emit(max(m.start, l.start), false)
		emit(min(m.end, l.end), true)
	}
	emit(l.end, false)
	return b.String()
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }
