package bot

import (
	"io"
	"strings"

	"log/slog"
	"sync"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/answer"
)

var (
	builtinOnce sync.Once
	builtinEng  *answer.Engine
	builtinErr  error
)

// builtinEngine is shared: building an index is the slow part of a test.
func builtinEngine(t testing.TB) *answer.Engine {
	t.Helper()
	builtinOnce.Do(func() {
		ix, err := index.NewMemory(corpus.Builtin())
		builtinEng, builtinErr = answer.New(ix), err
	})
	if builtinErr != nil {
		t.Fatal(builtinErr)
	}
	return builtinEng
}

// hostileStory is a story written to format, mention and ping.
const hostileStory = `Headline: Hello @everyone and <@&123>
Source: The **Daily** _Test_
URL: https://example.com/hostile
Date: 2024-03-01
---

The mayor said "@everyone should come to the **parade** on Monday" and pinged <@&123> and <@456> in a ` + "`code`" + ` block.

# Not a heading
- not a list
> not a quote, said the ~~clerk~~ [link](https://evil.example) @here.
`

func hostileEngine(t testing.TB) *answer.Engine {
	return storyEngine(t, "hostile.txt", hostileStory)
}

// storyEngine is an engine over a memory index of one story of its own.
func storyEngine(t testing.TB, name, text string) *answer.Engine {
	t.Helper()
	st, err := corpus.Parse(name, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.NewMemory([]*corpus.Story{st})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return answer.New(ix)
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// buttonLabels are the labels (or emoji) of a response's buttons, in order.
func buttonLabels(r Response) string {
	var out []string
	for _, c := range r.Components {
		if row, ok := c.(discordgo.ActionsRow); ok {
			for _, b := range row.Components {
				if btn, ok := b.(discordgo.Button); ok {
					l := btn.Label
					if btn.Emoji != nil {
						l = btn.Emoji.Name
					}
					out = append(out, l)
				}
			}
		}
	}
	return strings.Join(out, " ")
}

func buttonID(t testing.TB, r Response) string {
	t.Helper()
	for _, c := range r.Components {
		if row, ok := c.(discordgo.ActionsRow); ok {
			for _, b := range row.Components {
				if btn, ok := b.(discordgo.Button); ok {
					return btn.CustomID
				}
			}
		}
	}
	t.Fatal("no button")
	return ""
}
