package bot

import (
	"strings"
	"unicode/utf8"
)

// zwsp breaks "@everyone" and "@here" apart without changing how they read.
// allowed_mentions already stops the ping; this also stops the highlight,
// and protects text that ends up somewhere allowed_mentions does not reach.
const zwsp = "\u200b"

// Escape makes story text inert in Discord markdown: it cannot format, link,
// mention, ping or turn into a heading, list or quote. It works on whole
// strings, so a cut made afterwards could split an escape; callers cut the
// raw text first and escape the pieces (see quoteMarked).
func Escape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	lineStart := true
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\\' || r == '*' || r == '_' || r == '~' || r == '`' || r == '|' ||
			r == '<' || r == '>' || r == '[' || r == ']':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '@':
			b.WriteRune(r)
			// "@everyone", "@here" and the like: break the word from the @.
			if i+1 < len(s) && isLetter(s[i+1]) {
				b.WriteString(zwsp)
			}
		case lineStart && (r == '#' || r == '-' || r == '+'):
			b.WriteByte('\\')
			b.WriteRune(r)
		case lineStart && r >= '0' && r <= '9' && orderedListMarker(s[i:]):
			// "1. " at the start of a line would become a list item.
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			b.WriteString(s[i:j])
			b.WriteString("\\.")
			size = j + 1 - i
		default:
			b.WriteRune(r)
		}
		if r == '\n' {
			lineStart = true
		} else if r != ' ' && r != '\t' {
			lineStart = false
		}
		i += size
	}
	return b.String()
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func orderedListMarker(s string) bool {
	j := 0
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	return j > 0 && j+1 < len(s) && s[j] == '.' && (s[j+1] == ' ' || s[j+1] == '\t')
}

// Unescape undoes Escape, for the terminal console, which shows no markdown.
func Unescape(s string) string {
	s = strings.ReplaceAll(s, zwsp, "")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte(`\*_~`+"`"+`|<>[]#-+.`, s[i+1]) >= 0 {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// Defang breaks mentions in text that Discord shows without markdown
// (embed author and footer lines), where backslash escapes would show.
func Defang(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteByte(s[i])
		if s[i] == '@' && i+1 < len(s) && (isLetter(s[i+1]) || s[i+1] == '&' || s[i+1] == '!') {
			b.WriteString(zwsp)
		}
	}
	return b.String()
}
