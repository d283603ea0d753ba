package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxFileSize is the largest story file that is read; anything bigger is
// almost certainly not an article and would only slow indexing down.
const MaxFileSize = 5 << 20

// Errors that explain why a file is not a story. They are wrapped with
// details, so test for them with errors.Is.
var (
	ErrEmpty        = errors.New("file is empty")
	ErrTooLarge     = fmt.Errorf("file is larger than %d MiB", MaxFileSize>>20)
	ErrBinary       = errors.New("file is binary, not text")
	ErrNotUTF8      = errors.New("text is not valid UTF-8")
	ErrNoParagraphs = errors.New("story has no paragraphs")
	ErrFormat       = errors.New("unsupported file type")
)

// Parse reads one story. The name's extension picks the format (.txt or
// .md); its base name becomes the story ID.
func Parse(name string, data []byte) (*Story, error) {
	text, err := cleanText(data)
	if err != nil {
		return nil, err
	}
	var st *Story
	switch strings.ToLower(filepath.Ext(name)) {
	case ".txt", "":
		st = parsePlain(text)
	case ".md", ".markdown":
		st = parseMarkdown(text)
	case ".html", ".htm":
		st = parseHTML(text, "")
	default:
		return nil, fmt.Errorf("%w %q", ErrFormat, filepath.Ext(name))
	}
	return finish(st, name)
}

// finish gives a parsed story its ID, a publication date if the text
// implies one, and its annotations; a story with no paragraphs is an error.
func finish(st *Story, name string) (*Story, error) {
	st.ID = filepath.Base(name)
	if len(st.Paragraphs) == 0 {
		return nil, ErrNoParagraphs
	}
	if st.Published.IsZero() {
		st.Published = inferPublished(st)
	}
	Annotate(st)
	return st, nil
}

// cleanText checks that data is a text file and normalises it to LF line
// endings without a byte-order mark.
func cleanText(data []byte) (string, error) {
	if len(data) > MaxFileSize {
		return "", ErrTooLarge
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return "", ErrEmpty
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return "", ErrBinary
	}
	if !utf8.Valid(data) {
		return "", ErrNotUTF8
	}
	if controlRatio(data) > 0.1 {
		return "", ErrBinary
	}
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n"), nil
}

// controlRatio is the share of bytes that are control characters other than
// white space, which text never has many of.
func controlRatio(data []byte) float64 {
	n := 0
	for _, b := range data {
		if b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' {
			n++
		}
	}
	return float64(n) / float64(len(data))
}

// headerKeys are the keys a header block or front matter may set.
var headerKeys = map[string]bool{
	"date": true, "source": true, "url": true, "author": true, "license": true,
	"title": true, "headline": true, "published": true, "outlet": true, "byline": true,
}

// parseHeader reads "key: value" lines. It reports ok=false when a line is
// not of that form, so that text that merely looks like a header is kept.
func parseHeader(lines []string) (map[string]string, bool) {
	h := map[string]string{}
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		k, v, found := strings.Cut(l, ":")
		k = strings.ToLower(strings.TrimSpace(k))
		if !found || k == "" || strings.ContainsAny(k, " \t") {
			return nil, false
		}
		h[k] = strings.Trim(strings.TrimSpace(v), `"'`)
	}
	return h, true
}

func applyHeader(st *Story, h map[string]string) {
	for k, v := range h {
		switch k {
		case "date", "published":
			if t, ok := parseHeaderDate(v); ok {
				st.Published = t
			}
		case "source", "outlet":
			st.Source = v
		case "url":
			st.URL = v
		case "author", "byline":
			st.Author = v
		case "license":
			st.License = v
		case "title", "headline":
			st.Headline = v
		}
	}
}

var headerDateLayouts = []string{
	time.DateOnly, time.RFC3339, "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04",
	"January 2, 2006", "Jan 2, 2006", "2 January 2006", "01/02/2006",
}

func parseHeaderDate(v string) (time.Time, bool) {
	for _, l := range headerDateLayouts {
		if t, err := time.Parse(l, v); err == nil {
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), true
		}
	}
	return time.Time{}, false
}

// headerBlock splits off a leading block of "key: value" lines closed by
// "---". It returns the header and the rest of the lines.
func headerBlock(lines []string) (map[string]string, []string) {
	for i, l := range lines {
		if strings.TrimSpace(l) != "---" {
			continue
		}
		h, ok := parseHeader(lines[:i])
		if !ok || !knownKey(h) {
			return nil, lines
		}
		return h, lines[i+1:]
	}
	return nil, lines
}

func knownKey(h map[string]string) bool {
	for k := range h {
		if headerKeys[k] {
			return true
		}
	}
	return len(h) == 0
}

func parsePlain(text string) *Story {
	st := &Story{}
	lines := strings.Split(text, "\n")
	h, body := headerBlock(lines)
	applyHeader(st, h)
	blocks := splitBlocks(body)
	if st.Headline == "" && len(blocks) > 0 {
		st.Headline, blocks = joinLines(blocks[0]), blocks[1:]
	}
	st.Paragraphs = paragraphs(blocks)
	return st
}

func parseMarkdown(text string) *Story {
	st := &Story{}
	lines := strings.Split(text, "\n")
	if len(lines) > 0 && strings.TrimSpace(lines[0]) == "---" {
		for i := 1; i < len(lines); i++ {
			if strings.TrimSpace(lines[i]) == "---" {
				if h, ok := parseHeader(lines[1:i]); ok {
					applyHeader(st, h)
					lines = lines[i+1:]
				}
				break
			}
		}
	}
	var blocks [][]string
	for _, b := range splitBlocks(lines) {
		first := strings.TrimSpace(b[0])
		if strings.HasPrefix(first, "# ") && st.Headline == "" && len(blocks) == 0 {
			st.Headline = strings.TrimSpace(strings.TrimPrefix(first, "# "))
			if len(b) > 1 {
				blocks = append(blocks, b[1:])
			}
			continue
		}
		blocks = append(blocks, b)
	}
	for i, b := range blocks {
		blocks[i] = stripMarkdown(b)
	}
	if st.Headline == "" && len(blocks) > 0 {
		st.Headline, blocks = joinLines(blocks[0]), blocks[1:]
	}
	st.Paragraphs = paragraphs(blocks)
	return st
}

// stripMarkdown removes the block markup that would otherwise be quoted
// back to users: heading hashes, list bullets and quote markers.
func stripMarkdown(b []string) []string {
	out := make([]string, 0, len(b))
	for _, l := range b {
		t := strings.TrimSpace(l)
		t = strings.TrimLeft(t, "#>")
		t = strings.TrimSpace(t)
		for _, p := range []string{"- ", "* ", "+ "} {
			t = strings.TrimPrefix(t, p)
		}
		if t != "" {
			out = append(out, t)
		}
	}
	return out
}

// splitBlocks groups lines into blocks separated by blank lines.
func splitBlocks(lines []string) [][]string {
	var blocks [][]string
	var cur []string
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			if len(cur) > 0 {
				blocks = append(blocks, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, l)
	}
	if len(cur) > 0 {
		blocks = append(blocks, cur)
	}
	return blocks
}

// joinLines turns a block's lines into one paragraph. A line break inside a
// paragraph is kept as a newline: the seed's photo title and caption are two
// lines of one paragraph and read badly when run together.
func joinLines(b []string) string {
	parts := make([]string, 0, len(b))
	for _, l := range b {
		if t := strings.Join(strings.Fields(l), " "); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, "\n")
}

func paragraphs(blocks [][]string) []Paragraph {
	ps := make([]Paragraph, 0, len(blocks))
	for _, b := range blocks {
		t := joinLines(b)
		if t == "" {
			continue
		}
		ps = append(ps, Paragraph{Index: len(ps), Text: t})
	}
	return ps
}
