package bot

import (
	"context"
	"crypto/hmac"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/answer"
)

// ButtonLifetime is how long the Previous and Next buttons keep paging.
const ButtonLifetime = 15 * time.Minute

// The prefixes of the custom IDs the bot makes: Previous and Next (which
// kept the name of the "More passages" button they replace, so that such
// buttons still work), 👍, 👎, and the form a 👎 opens.
const (
	morePrefix = "more"
	upPrefix   = "up"
	downPrefix = "down"
	whyPrefix  = "why"
)

var pagePrefixes = map[string]bool{morePrefix: true, upPrefix: true, downPrefix: true, whyPrefix: true}

// buttonPrefix is the part of a custom ID that routes it.
func buttonPrefix(id string) string {
	prefix, _, _ := strings.Cut(id, ":")
	return prefix
}

// page is everything a button on an answer needs, carried in its custom
// ID so that any replica in HTTP mode can serve the press without shared
// state: Previous and Next carry the page they show, 👍 and 👎 the page
// they judge.
type page struct {
	Kind     answer.Kind
	Offset   int // passages already shown
	Issued   time.Time
	Story    string
	Question string
}

var kindCodes = map[answer.Kind]string{answer.Ask: "a", answer.Who: "w", answer.When: "t"}

// encode packs p into at most 100 characters. The question goes last and
// is shortened at a word boundary when it does not fit; paging by a
// slightly shorter question still finds the same passages in practice.
// It reports false when not even the story ID fits.
func (p page) encode() (string, bool) { return p.encodeAs(morePrefix) }

// encodeAs packs p behind another of the bot's prefixes, signed: a press
// carries its custom ID back, and anyone can send one, so an unsigned
// state would let a member page someone else's public answer to a
// question of their own, or vote on answers never given.
func (p page) encodeAs(prefix string) (string, bool) {
	// The story's length, not a separator, ends it: IDs are file names
	// and may hold any character.
	state := fmt.Sprintf("%s:%d:%d:%d:%s", kindCodes[p.Kind], p.Offset, p.Issued.Unix(), len(p.Story), p.Story)
	room := MaxCustomID - dlen(prefix) - 1 - sigLen - 1 - dlen(state)
	if room < 8 {
		return "", false
	}
	q := p.Question
	if dlen(q) > room {
		// clip counts its "…" in max, and leaves alone a question that
		// fits max, so a question one longer than room would stay whole.
		q = strings.TrimSuffix(clip(q, room), "…")
	}
	state += q
	return prefix + ":" + sign(prefix, state) + ":" + state, true
}

// maxOffset is the furthest a button may page: no answer has more than
// index.MaxHits passages, so a larger offset is forged, and would overflow
// once the page size is added to it.
const maxOffset = index.MaxHits

// maxIssuedAhead tolerates clocks that differ between replicas; a button
// issued further in the future is forged, to page forever.
const maxIssuedAhead = time.Minute

// maxUnix keeps a forged issue time where time arithmetic cannot overflow.
const maxUnix = 1 << 40

// errBadButton is a custom ID the bot did not make. The user is told
// plainly; it is counted as an invalid request, not a fault.
var errBadButton = UserError{"This button doesn't work any more. Please ask the question again."}

// decodePage reads a custom ID that encode made, and refuses anything out
// of the range encode writes.
func decodePage(id string) (page, error) {
	prefix, rest, _ := strings.Cut(id, ":")
	sig, state, _ := strings.Cut(rest, ":")
	if !pagePrefixes[prefix] || !hmac.Equal([]byte(sig), []byte(sign(prefix, state))) {
		return page{}, fmt.Errorf("%w (%.100q)", errBadButton, id)
	}
	f := append([]string{prefix}, strings.SplitN(state, ":", 5)...) // prefix:kind:offset:issued:storylen:story+question
	if len(f) != 6 {
		return page{}, fmt.Errorf("%w (%.100q)", errBadButton, id)
	}
	var p page
	for k, c := range kindCodes {
		if c == f[1] {
			p.Kind = k
		}
	}
	off, err1 := strconv.Atoi(f[2])
	ts, err2 := strconv.ParseInt(f[3], 10, 64)
	n, err3 := strconv.Atoi(f[4])
	tail := f[5]
	if p.Kind == "" || err1 != nil || err2 != nil || err3 != nil || off < 0 || off > maxOffset || n < 0 || n > len(tail) ||
		ts < 0 || ts > maxUnix {
		return page{}, fmt.Errorf("%w (%.100q)", errBadButton, id)
	}
	p.Offset, p.Issued, p.Story, p.Question = off, time.Unix(ts, 0), tail[:n], tail[n:]
	return p, nil
}

// checkedButton refuses a button before h sees it when its custom ID is
// not one the bot made, or says it was issued in the future: a forged
// one, to page forever.
func checkedButton(h Handler) Handler {
	return func(ctx context.Context, r Request) (Response, error) {
		p, err := decodePage(r.CustomID)
		if err != nil {
			return Response{}, err
		}
		if p.Issued.After(r.Now.Add(maxIssuedAhead)) {
			return Response{}, fmt.Errorf("%w (issued %s, now %s)", errBadButton, p.Issued.UTC(), r.Now.UTC())
		}
		return h(ctx, r)
	}
}

// answerButtons is the row under an answer showing page p: Previous when
// there are passages before it, Next when more follow, and 👍 and 👎 when
// votes can be kept. A button whose state does not fit in a custom ID is
// left out.
func answerButtons(p page, more, votes bool) []discordgo.MessageComponent {
	var row []discordgo.MessageComponent
	add := func(q page, prefix string, b discordgo.Button) {
		if id, ok := q.encodeAs(prefix); ok {
			b.CustomID = id
			row = append(row, b)
		}
	}
	if p.Offset > 0 {
		prev := p
		prev.Offset = max(0, p.Offset-PageSize)
		add(prev, morePrefix, discordgo.Button{Label: "Previous", Style: discordgo.SecondaryButton})
	}
	if more {
		next := p
		next.Offset += PageSize
		add(next, morePrefix, discordgo.Button{Label: "Next", Style: discordgo.SecondaryButton})
	}
	if votes {
		add(p, upPrefix, discordgo.Button{Emoji: &discordgo.ComponentEmoji{Name: "👍"}, Style: discordgo.SecondaryButton})
		add(p, downPrefix, discordgo.Button{Emoji: &discordgo.ComponentEmoji{Name: "👎"}, Style: discordgo.SecondaryButton})
	}
	if len(row) == 0 {
		return nil
	}
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: row}}
}
