package bot

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// Discord's message and embed limits, in characters.
const (
	MaxContent     = 2000
	MaxTitle       = 256
	MaxDescription = 4096
	MaxFieldName   = 256
	MaxFieldValue  = 1024
	MaxFields      = 25
	MaxFooter      = 2048
	MaxAuthor      = 256
	MaxEmbedTotal  = 6000
	MaxChoices     = 25
	MaxChoiceLen   = 100
	MaxCustomID    = 100
)

// dlen counts characters the way the limits are enforced. UTF-16 units
// are never fewer than code points, so counting them is the safe side.
func dlen(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// clip shortens plain text (no markdown) to max characters at a word
// boundary, ending with "…".
func clip(s string, max int) string {
	if dlen(s) <= max {
		return s
	}
	cut, n := 0, 0
	lastSpace := -1
	for i, r := range s {
		if n+utf16.RuneLen(r)+1 > max { // room for "…"
			break
		}
		n += utf16.RuneLen(r)
		cut = i + utf8.RuneLen(r)
		if r == ' ' || r == '\n' {
			lastSpace = i
		}
	}
	if lastSpace > 0 {
		cut = lastSpace
	}
	return trimRightSpace(s[:cut]) + "…"
}

// clipEscaped shortens plain text s so that, made safe by esc (Escape or
// Defang, which add characters), it fits in max characters. The cut is
// made in the plain text, before esc, so it can never split an escape.
func clipEscaped(s string, max int, esc func(string) string) string {
	for n := max; ; {
		out := esc(clip(s, n))
		over := dlen(out) - max
		if over <= 0 || n <= 1 {
			return out
		}
		n -= over
	}
}

// clipMarkdown shortens rendered markdown to max characters, ending with
// "…". It is for text already escaped and marked up, whose plain source is
// gone: it cuts only where no escape, bold, italic, code span or <link> is
// open, at a space or line end when one fits and else inside a word, so
// the kept part renders as it would have uncut. Renderers clip
// the plain text first (see clipEscaped and quoteMarked); this is the
// backstop.
func clipMarkdown(s string, max int) string {
	if dlen(s) <= max {
		return s
	}
	lastSpace, lastUnit := -1, -1
	var bold, italic, code, link bool
	n := 0 // characters before s[i]
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !bold && !italic && !code && !link {
			// Cutting here keeps s[:i] and adds "…": n+1 fits, as the
			// loop stops before a character that would not.
			if r == ' ' || r == '\n' {
				lastSpace = i
			} else {
				lastUnit = i
			}
		}
		width := utf16.RuneLen(r)
		switch {
		case code:
			if r == '`' { // inside code a backslash is literal
				code = false
			}
		case r == '\\' && i+size < len(s):
			// An escape and what it escapes are one unit.
			r2, size2 := utf8.DecodeRuneInString(s[i+size:])
			size += size2
			width += utf16.RuneLen(r2)
		case r == '`':
			code = true
		case r == '*' && strings.HasPrefix(s[i:], "**"):
			bold = !bold
			size, width = 2, 2
		case r == '*':
			italic = !italic
		case r == '<':
			link = true
		case r == '>' && link:
			link = false
		}
		if n+width+1 > max {
			break
		}
		n += width
		i += size
	}
	cut := lastSpace
	if cut < 0 {
		cut = lastUnit // one long word: cut inside it, but not in an escape
	}
	if cut < 0 {
		return "…"
	}
	return trimRightSpace(s[:cut]) + "…"
}

func trimRightSpace(s string) string {
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\n' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// EmbedSize is what counts towards the 6000-character total.
func EmbedSize(e *discordgo.MessageEmbed) int {
	n := dlen(e.Title) + dlen(e.Description)
	for _, f := range e.Fields {
		n += dlen(f.Name) + dlen(f.Value)
	}
	if e.Footer != nil {
		n += dlen(e.Footer.Text)
	}
	if e.Author != nil {
		n += dlen(e.Author.Name)
	}
	return n
}

// fitEmbed is the last line of defence: whatever a renderer built, the
// embed that leaves is within every limit. Renderers aim lower, so this
// only drops trailing fields in practice.
//
// Title, description and field values are markdown, already escaped, so
// they are cut with clipMarkdown; footer and author lines are plain text.
func fitEmbed(e *discordgo.MessageEmbed) *discordgo.MessageEmbed {
	e.Title = clipMarkdown(e.Title, MaxTitle)
	e.Description = clipMarkdown(e.Description, MaxDescription)
	if e.Footer != nil {
		e.Footer.Text = clip(e.Footer.Text, MaxFooter)
	}
	if e.Author != nil {
		e.Author.Name = clip(e.Author.Name, MaxAuthor)
	}
	if len(e.Fields) > MaxFields {
		e.Fields = e.Fields[:MaxFields]
	}
	for _, f := range e.Fields {
		f.Name = clipMarkdown(f.Name, MaxFieldName)
		f.Value = clipMarkdown(f.Value, MaxFieldValue)
	}
	for EmbedSize(e) > MaxEmbedTotal && len(e.Fields) > 0 {
		e.Fields = e.Fields[:len(e.Fields)-1]
	}
	if over := EmbedSize(e) - MaxEmbedTotal; over > 0 {
		e.Description = clipMarkdown(e.Description, dlen(e.Description)-over)
	}
	return e
}
