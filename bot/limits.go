package bot

import (
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
func fitEmbed(e *discordgo.MessageEmbed) *discordgo.MessageEmbed {
	e.Title = clip(e.Title, MaxTitle)
	e.Description = clip(e.Description, MaxDescription)
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
		f.Name = clip(f.Name, MaxFieldName)
		f.Value = clip(f.Value, MaxFieldValue)
	}
	for EmbedSize(e) > MaxEmbedTotal && len(e.Fields) > 0 {
		e.Fields = e.Fields[:len(e.Fields)-1]
	}
	if over := EmbedSize(e) - MaxEmbedTotal; over > 0 {
		e.Description = clip(e.Description, dlen(e.Description)-over)
	}
	return e
}
