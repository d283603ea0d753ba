package bot

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/bot/discordtest"
)

// Run one at a time, e.g.
//
//	go test -run '^$' -fuzz FuzzInteractionBody -fuzztime 60s ./bot/
//
// Without -fuzz, the seeds below run as ordinary tests.

func interactionSeeds() [][]byte {
	var out [][]byte
	add := func(p map[string]any) {
		b, _ := json.Marshal(p)
		out = append(out, b)
	}
	_, p := slash("u1", "who-said", "quote", "dialogue and peaceful means", "private", true)
	add(p)
	_, p = slash("u1", "ask", "question", "What did the ministry urge citizens to make?", "story", "taliban")
	add(p)
	_, p = slash("u1", "stories")
	add(p)
	_, p = interaction(4, "u1", map[string]any{"id": "1", "name": "ask", "type": 1,
		"options": []any{map[string]any{"name": "story", "type": 3, "value": "tal", "focused": true}}})
	add(p)
	_, p = interaction(3, "u1", map[string]any{"custom_id": "more:w:3:1700000000:0:dialogue", "component_type": 2})
	add(p)
	_, p = interaction(2, "u1", map[string]any{"id": "1", "name": CheckCommand, "type": 3, "target_id": "9",
		"resolved": map[string]any{"messages": map[string]any{"9": map[string]any{"id": "9", "content": "Ukraine urged citizens"}}}})
	add(p)
	_, p = interaction(5, "u1", map[string]any{"custom_id": "m", "components": []any{}})
	add(p)
	out = append(out, []byte(`{"type":1,"id":"1","token":"t","version":1}`), []byte(`{"type":2,"data":null}`),
		[]byte(`{"type":3,"data":{}}`), []byte(`{"type":99}`), []byte(`{"type":2,"data":{"options":[{"name":"question","value":[1,{"a":null}]}]}}`),
		[]byte(`[]`), []byte(`{`), []byte(``))
	return out
}

// FuzzInteractionBody signs any body as Discord would and posts it to the
// interactions endpoint: whatever it holds, the answer is never a 5xx, and
// a 200 carries an interaction response of a type Discord accepts.
func FuzzInteractionBody(f *testing.F) {
	for _, s := range interactionSeeds() {
		f.Add(s)
	}
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		f.Fatal(err)
	}
	// Moderator commands would start rebuilds and downloads; their guard
	// has tests of its own.
	noModeration := func(next Handler) Handler {
		return func(ctx context.Context, r Request) (Response, error) {
			if r.Type != Autocomplete && moderatorCommand[r.Command] {
				return Response{Content: "not while fuzzing", Ephemeral: true}, nil
			}
			return next(ctx, r)
		}
	}
	fake := discordtest.New(f)
	is, err := New(builtinEngine(f), Options{Log: quietLog(), RatePerUser: 1e9, RatePerChannel: 1e9, Middleware: []Middleware{noModeration}}).
		NewInteractionServer(pub, Connection{Token: testToken, APIBase: fake.URL})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { is.Close(5 * time.Second) })
	f.Fuzz(func(t *testing.T, body []byte) {
		stamp := fmt.Sprint(time.Now().Unix())
		req := httptest.NewRequest("POST", "/interactions", bytes.NewReader(body))
		req.Header.Set("X-Signature-Timestamp", stamp)
		req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(priv, append([]byte(stamp), body...))))
		w := httptest.NewRecorder()
		is.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%d %s for %q", w.Code, w.Body, body)
		}
		if w.Code != http.StatusOK {
			return
		}
		var resp struct {
			Type int `json:"type"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
			t.Fatalf("200 with %q: %v", w.Body, err)
		}
		switch resp.Type {
		case 1, 4, 5, 6, 7, 8, 9:
		default:
			t.Fatalf("response type %d for %q", resp.Type, body)
		}
	})
}

// FuzzButtonID checks that any custom ID either decodes into a page within
// the bounds encode writes, which encodes back to itself, or is refused;
// and that pressing it gets a private reply, a page in place of the one
// shown (Previous, Next) or a form (👎), never a panic.
func FuzzButtonID(f *testing.F) {
	for _, s := range []string{
		"more:w:3:1700000000:0:dialogue and peaceful means",
		"more:a:0:1700000000:43:taliban-call-for-russia-ukraine-peace.txtWhat did they urge?",
		"more:t:99999999999999999999:1:0:x", "more:a:9223372036854775807:1:0:x", "more:a:-3:1:0:x",
		"more:a:3:-9223372036854775808:0:x", "more:a:3:9223372036854775807:5:abc", "more:a:3:1:-1:x",
		"more:a:3:1:2:é", "more:x:3:1:0:", "more::::::", "zzz:1", "",
		"up:w:0:1700000000:0:dialogue", "down:w:0:1700000000:0:dialogue", "why:w:0:1700000000:0:dialogue",
	} {
		f.Add(s)
	}
	b := New(builtinEngine(f), Options{Log: quietLog(), RatePerUser: 1e9, RatePerChannel: 1e9})
	now := time.Unix(1700000600, 0)
	f.Fuzz(func(t *testing.T, id string) {
		if p, err := decodePage(id); err == nil {
			if p.Offset < 0 || p.Offset > maxOffset || p.Issued.Unix() < 0 || p.Issued.Unix() > maxUnix || !strings.HasSuffix(id, p.Story+p.Question) {
				t.Fatalf("%q decoded out of bounds: %+v", id, p)
			}
			if enc, ok := p.encode(); ok {
				if dlen(enc) > MaxCustomID {
					t.Fatalf("%+v encodes to %d characters: %q", p, dlen(enc), enc)
				}
				q, err := decodePage(enc)
				if err != nil || q.Kind != p.Kind || q.Offset != p.Offset || !q.Issued.Equal(p.Issued) || q.Story != p.Story ||
					!strings.HasPrefix(p.Question, q.Question) {
					t.Fatalf("%q: %+v encodes to %q, which decodes to %+v, %v", id, p, enc, q, err)
				}
			}
		}
		resp := b.Handle(context.Background(), Request{Type: Component, CustomID: id, User: "u1", Channel: "c1", Now: now})
		switch {
		case resp.Update && buttonPrefix(id) == morePrefix:
		case resp.Form != nil && buttonPrefix(id) == downPrefix:
		case resp.Ephemeral && !resp.Update && resp.Form == nil:
		default:
			t.Fatalf("%q: neither a private reply nor a page in place of the last: %+v", id, resp)
		}
		if resp.Failure != "" && resp.Failure != ReasonInvalid && resp.Failure != ReasonUnknown {
			t.Fatalf("%q failed with %s: %v", id, resp.Failure, resp.cause)
		}
	})
}
