package bot

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/bot/discordtest"
	"github.com/storybot/storybot/index/answer"
)

// failCounter is a Recorder that keeps every failure by "command/reason".
type failCounter struct {
	mu       sync.Mutex
	failures map[string]int
	answers  int
}

func newFailCounter() *failCounter { return &failCounter{failures: map[string]int{}} }

func (c *failCounter) Answered(string, bool, time.Duration) {
	c.mu.Lock()
	c.answers++
	c.mu.Unlock()
}
func (c *failCounter) Reindexed(time.Duration, error) {}
func (c *failCounter) Failed(cmd, reason string) {
	c.mu.Lock()
	c.failures[cmd+"/"+reason]++
	c.mu.Unlock()
}

func (c *failCounter) get(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.failures[key]
}

func (c *failCounter) total(reason string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for k, v := range c.failures {
		if strings.HasSuffix(k, "/"+reason) {
			n += v
		}
	}
	return n
}

// logRig is the HTTP interactions endpoint before a fake Discord, with
// every log line kept as JSON and every failure counted.
type logRig struct {
	*httpRig
	bot  *Bot
	logs *syncBuffer
	rec  *failCounter
}

func newLogRig(t *testing.T, eng *answer.Engine, o Options, tweak func(*Bot)) *logRig {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	o.Log = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	rec := newFailCounter()
	o.Metrics = rec
	if o.RatePerUser == 0 {
		o.RatePerUser, o.RatePerChannel = 1000, 1000
	}
	fake := discordtest.New(t)
	b := New(eng, o)
	if tweak != nil {
		tweak(b)
	}
	is, err := b.NewInteractionServer(pub, Connection{Token: testToken, APIBase: fake.URL})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(fake.Endpoint(is))
	t.Cleanup(func() { srv.Close(); is.Close(5 * time.Second) })
	return &logRig{httpRig: &httpRig{srv: srv, fake: fake, priv: priv, calls: &atomic.Int64{}}, bot: b, logs: logs, rec: rec}
}

func (r *logRig) send(t *testing.T, payload map[string]any) (int, []byte) {
	t.Helper()
	body, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	return r.post(t, body, time.Now(), r.priv)
}

// lines decodes the log, one map per line.
func (r *logRig) lines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(r.logs.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", l)
		}
		out = append(out, m)
	}
	return out
}

// waitLog waits for a log line that match accepts.
func (r *logRig) waitLog(t *testing.T, match func(map[string]any) bool) map[string]any {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		for _, l := range r.lines(t) {
			if match(l) {
				return l
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("no such log line in:\n%s", r.logs.String())
	return nil
}

func noAnswerLine(reason string) func(map[string]any) bool {
	return func(l map[string]any) bool { return l["msg"] == "no answer" && l["reason"] == reason }
}

// slowly holds every handler for d, so that answers are deferred.
func slowly(d time.Duration) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, r Request) (Response, error) {
			time.Sleep(d)
			return next(ctx, r)
		}
	}
}

func TestFailedFinalEditIsRetriedUntilItSucceeds(t *testing.T) {
	t.Parallel()
	r := newLogRig(t, builtinEngine(t), Options{DeferAfter: 1, EditRetry: 5 * time.Millisecond, Middleware: []Middleware{slowly(20 * time.Millisecond)}}, nil)
	r.fake.Fail("PATCH /webhooks/", 500, 2)
	id, p := slash("u1", "ask", "question", "Molotov cocktails")
	if code, body := r.send(t, p); code != 200 || !strings.HasPrefix(string(body), `{"type":5,`) {
		t.Fatalf("%d %s", code, body)
	}
	edit := discordtest.Route("PATCH", "/tok"+id+"/messages/@original")
	final := r.fake.WaitFor(func(q discordtest.Request) bool { return edit(q) && q.Status == 200 })
	if !strings.Contains(string(final.Body), "Molotov") {
		t.Fatalf("%s", final.Body)
	}
	var tries int
	for _, q := range r.fake.Requests() {
		if edit(q) {
			tries++
		}
	}
	if tries != 3 {
		t.Errorf("%d edits, want two failures and the retry that worked", tries)
	}
	retries := 0
	for _, l := range r.lines(t) {
		if strings.Contains(l["msg"].(string), "trying again") {
			retries++
			if l["level"] != "WARN" {
				t.Errorf("retry logged at %v", l["level"])
			}
		}
	}
	if retries != 2 || r.rec.total(ReasonDelivery) != 0 {
		t.Errorf("%d retries logged, %d delivery failures counted; want 2 and 0", retries, r.rec.total(ReasonDelivery))
	}
}

func TestUndeliverableAnswerIsLoggedAndCounted(t *testing.T) {
	t.Parallel()
	for name, status := range map[string]int{"network": 0, "server error": 502, "unknown webhook": 404} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := newLogRig(t, builtinEngine(t), Options{DeferAfter: 1, EditRetry: 5 * time.Millisecond, Middleware: []Middleware{slowly(20 * time.Millisecond)}},
				func(b *Bot) { b.tokenLifetime = 300 * time.Millisecond })
			r.fake.Fail("PATCH /webhooks/", status, 1000)
			id, p := slash("u1", "ask", "question", "Molotov cocktails")
			if code, body := r.send(t, p); code != 200 {
				t.Fatalf("%d %s", code, body)
			}
			line := r.waitLog(t, noAnswerLine(ReasonDelivery))
			if line["level"] != "ERROR" || line["command"] != "ask" || line["err"] == nil {
				t.Errorf("lost answer logged as %v", line)
			}
			if n := r.rec.get("ask/" + ReasonDelivery); n != 1 {
				t.Errorf("%d delivery failures counted, want 1", n)
			}
			var tries int
			for _, q := range r.fake.Requests() {
				if discordtest.Route("PATCH", "/tok"+id+"/messages/@original")(q) {
					tries++
				}
			}
			// discordgo itself retries a 502 three times.
			if status == 404 && tries != 1 {
				t.Errorf("an edit Discord refuses for good was tried %d times", tries)
			}
			if status != 404 && tries < 2 {
				t.Errorf("the edit was tried %d times before giving up", tries)
			}
		})
	}
}

func TestEveryKindOfFailureIsLoggedAndCounted(t *testing.T) {
	t.Parallel()
	stuck := func(next Handler) Handler {
		return func(ctx context.Context, r Request) (Response, error) {
			if r.Option("question") == "wait forever" {
				<-ctx.Done()
				return Response{}, ctx.Err()
			}
			if r.Option("question") == "crash" {
				panic("boom")
			}
			return next(ctx, r)
		}
	}
	r := newLogRig(t, builtinEngine(t), Options{RatePerUser: 0.001, RatePerChannel: 1000, QueryTimeout: 50 * time.Millisecond,
		Middleware: []Middleware{stuck}}, nil)
	send := func(user string, p map[string]any) string {
		code, body := r.send(t, p)
		if code >= 500 {
			t.Fatalf("%d %s", code, body)
		}
		return string(body)
	}
	_, p := slash("u-timeout", "ask", "question", "wait forever")
	if body := send("", p); !strings.Contains(body, "too long") {
		t.Errorf("timeout: %s", body)
	}
	_, p = slash("u-panic", "ask", "question", "crash")
	send("", p)
	_, p = slash("u-empty", "ask", "question", "?!")
	send("", p)
	for range 4 { // a burst of 3, then throttled
		_, p = slash("u-fast", "stories")
		send("", p)
	}
	_, p = slash("u-unknown", "no-such-command")
	if body := send("", p); !strings.Contains(body, "don't know that command") {
		t.Errorf("unknown command: %s", body)
	}
	for key, want := range map[string]int{
		"ask/" + ReasonTimeout: 1, "ask/" + ReasonPanic: 1, "ask/" + ReasonInvalid: 1,
		"stories/" + ReasonThrottled: 1, "unknown/" + ReasonUnknown: 1,
	} {
		if got := r.rec.get(key); got != want {
			t.Errorf("%s counted %d times, want %d", key, got, want)
		}
	}
	levels := map[string]string{ReasonTimeout: "WARN", ReasonPanic: "ERROR", ReasonInvalid: "INFO", ReasonThrottled: "INFO", ReasonUnknown: "WARN"}
	for reason, level := range levels {
		if l := r.waitLog(t, noAnswerLine(reason)); l["level"] != level {
			t.Errorf("%s logged at %v, want %s", reason, l["level"], level)
		}
	}
}

func TestUnknownInteractionTypesGetNo5xx(t *testing.T) {
	t.Parallel()
	r := newLogRig(t, builtinEngine(t), Options{}, nil)
	cases := []struct {
		name string
		typ  int
		data map[string]any
		want int
	}{
		{"type 0", 0, map[string]any{}, 400},
		{"modal submit", 5, map[string]any{"custom_id": "m1", "components": []any{}}, 200},
		{"type 99", 99, map[string]any{"x": 1}, 400},
		{"unknown command", 2, map[string]any{"id": "1", "name": "no-such-command", "type": 1}, 200},
		{"unknown button", 3, map[string]any{"custom_id": "zzz:1", "component_type": 2}, 200},
		{"forged button", 3, map[string]any{"custom_id": "more:a:99999999999999999999:1:0:x", "component_type": 2}, 200},
	}
	for _, c := range cases {
		_, p := interaction(c.typ, "u1", c.data)
		code, body := r.send(t, p)
		if code != c.want {
			t.Errorf("%s: %d %s, want %d", c.name, code, body, c.want)
		}
		if code == 200 {
			rp := decodeReply(t, discordtest.Request{Body: body})
			if rp.Type != 4 || rp.Data.Flags != 64 || rp.Data.Content == "" {
				t.Errorf("%s: not a polite private note: %s", c.name, body)
			}
		}
	}
	if n := r.rec.total(ReasonUnknown) + r.rec.total(ReasonInvalid); n != len(cases) {
		t.Errorf("%d of %d counted", n, len(cases))
	}
	for _, l := range r.lines(t) {
		if l["level"] == "ERROR" {
			t.Errorf("logged as an error: %v", l)
		}
	}
	r.waitLog(t, func(l map[string]any) bool {
		return l["level"] == "WARN" && l["reason"] == ReasonUnknown && strings.Contains(l["err"].(string), "99")
	})
}

func TestHTTPReplyThatNeverArrivesIsCounted(t *testing.T) {
	t.Parallel()
	r := newLogRig(t, builtinEngine(t), Options{DeferAfter: 10 * time.Second, Middleware: []Middleware{slowly(300 * time.Millisecond)}}, nil)
	_, p := slash("u1", "ask", "question", "Molotov cocktails")
	body, _ := json.Marshal(p)
	stamp := fmt.Sprint(time.Now().Unix())
	req, _ := http.NewRequest("POST", r.srv.URL+"/interactions", bytes.NewReader(body))
	req.Header.Set("X-Signature-Timestamp", stamp)
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(r.priv, append([]byte(stamp), body...))))
	client := &http.Client{Timeout: 50 * time.Millisecond}
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("the client got a reply before its timeout")
	}
	line := r.waitLog(t, noAnswerLine(ReasonDelivery))
	if line["level"] != "ERROR" || r.rec.get("ask/"+ReasonDelivery) != 1 {
		t.Errorf("a reply that never arrived: %v, counted %d", line, r.rec.get("ask/"+ReasonDelivery))
	}
}

func TestTokenLifetimeCountsFromTheInteractionsCreation(t *testing.T) {
	now := time.Now()
	born := now.Add(-10 * time.Minute).Truncate(time.Millisecond)
	id := fmt.Sprint((born.UnixMilli() - 1420070400000) << 22)
	if got := created(&discordgo.Interaction{ID: id}, now); !got.Equal(born) {
		t.Errorf("created %v, want %v", got, born)
	}
	for _, id := range []string{"x", "1", fmt.Sprint((now.Add(time.Hour).UnixMilli() - 1420070400000) << 22)} {
		if got := created(&discordgo.Interaction{ID: id}, now); !got.Equal(now) {
			t.Errorf("ID %s: created %v, want the time received", id, got)
		}
	}
}
