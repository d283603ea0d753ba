package bot

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/index"
)

// TestForgedButtonsAreRefused presses "More passages" buttons the bot
// never made: offsets that would overflow or page past any answer, a
// negative one, and one issued in the future to page forever. Each gets a
// private note, and none reaches the engine.
func TestForgedButtonsAreRefused(t *testing.T) {
	rec := newFailCounter()
	b := New(builtinEngine(t), Options{RatePerUser: 1000, RatePerChannel: 1000, Log: quietLog(), Metrics: rec})
	work := &index.Work{}
	ctx := index.CountWork(context.Background(), work)
	now := t0.Add(time.Minute)
	// Signed as the bot signs, so that the checks of the values are what
	// refuses them; and one whose state was changed after signing.
	signed := func(state string) string { return "more:" + sign("more", state) + ":" + state }
	tampered := signed(fmt.Sprintf("w:3:%d:0:dialogue", t0.Unix()))
	tampered = strings.Replace(tampered, ":w:3:", ":w:6:", 1)
	for _, id := range []string{
		signed(fmt.Sprintf("w:%d:%d:0:dialogue", math.MaxInt, t0.Unix())),
		signed(fmt.Sprintf("w:%d:%d:0:dialogue", math.MaxInt-PageSize, t0.Unix())),
		signed(fmt.Sprintf("w:99999999999999999999:%d:0:dialogue", t0.Unix())),
		signed(fmt.Sprintf("w:%d:%d:0:dialogue", maxOffset+1, t0.Unix())),
		signed(fmt.Sprintf("w:-3:%d:0:dialogue", t0.Unix())),
		signed(fmt.Sprintf("w:3:%d:0:dialogue", t0.Add(time.Hour).Unix())),
		signed(fmt.Sprintf("w:3:%d:0:dialogue", int64(math.MaxInt64))),
		tampered,
		fmt.Sprintf("more:w:3:%d:0:dialogue", t0.Unix()), // no signature
	} {
		resp := b.Handle(ctx, Request{Type: Component, CustomID: id, User: "u1", Channel: "c1", Now: now})
		if !resp.Ephemeral || !strings.Contains(resp.Content, "doesn't work any more") || resp.Failure != ReasonInvalid {
			t.Errorf("%s: %+v", id, resp)
		}
	}
	if n, _, _ := work.Totals(); n != 0 {
		t.Errorf("forged buttons ran %d searches", n)
	}
	if n := rec.get("more/" + ReasonInvalid); n != 9 {
		t.Errorf("%d counted as invalid, want 9", n)
	}
	// The last page the bot itself makes still works.
	good := signed(fmt.Sprintf("w:%d:%d:0:dialogue and peaceful means", maxOffset-PageSize, t0.Unix()))
	if resp := b.Handle(context.Background(), Request{Type: Component, CustomID: good, User: "u1", Channel: "c1", Now: now}); resp.Failure != "" || len(resp.Embeds) != 1 {
		t.Errorf("a real button was refused: %+v", resp)
	}
}
