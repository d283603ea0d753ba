package bot

import (
	"strings"

	"github.com/bwmarrin/discordgo"
)

// RenderText shows a response as plain text, for the terminal console:
// the same answer a Discord user sees, without the markdown escapes.
func RenderText(r Response) string {
	var b strings.Builder
	if r.Content != "" {
		b.WriteString(r.Content + "\n")
	}
	for _, e := range r.Embeds {
		if e.Author != nil && e.Author.Name != "" {
			b.WriteString(Unescape(e.Author.Name) + "\n")
		}
		if e.Title != "" {
			b.WriteString("\n" + Unescape(e.Title) + "\n")
		}
		if e.Description != "" {
			b.WriteString("\n" + Unescape(e.Description) + "\n")
		}
		for _, f := range e.Fields {
			b.WriteString("\n" + Unescape(f.Name) + "\n" + Unescape(f.Value) + "\n")
		}
		if e.Footer != nil && e.Footer.Text != "" {
			b.WriteString("\n(" + e.Footer.Text + ")\n")
		}
	}
	for _, c := range r.Components {
		if row, ok := c.(discordgo.ActionsRow); ok {
			for _, x := range row.Components {
				if btn, ok := x.(discordgo.Button); ok {
					b.WriteString("[" + btn.Label + ": type /more]\n")
				}
			}
		}
	}
	for _, c := range r.Choices {
		b.WriteString(c.Name + " (" + c.Value.(string) + ")\n")
	}
	if r.Ephemeral {
		b.WriteString("(only you would see this)\n")
	}
	return b.String()
}

// ButtonID returns the custom ID of the response's first button, or "".
func ButtonID(r Response) string {
	for _, c := range r.Components {
		if row, ok := c.(discordgo.ActionsRow); ok {
			for _, x := range row.Components {
				if btn, ok := x.(discordgo.Button); ok {
					return btn.CustomID
				}
			}
		}
	}
	return ""
}

// RegisterOverREST registers the commands without a gateway connection,
// for HTTP interactions mode.
func RegisterOverREST(c Connection) error {
	s, err := c.session()
	if err != nil {
		return err
	}
	sec := &secrets{}
	sec.connect(c)
	return sec.redactErr(RegisterCommands(s, c.AppID, c.GuildID))
}
