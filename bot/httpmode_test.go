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
	"sync/atomic"
	"testing"
	"time"

	"github.com/storybot/storybot/bot/discordtest"
)

type httpRig struct {
	srv   *httptest.Server
	fake  *discordtest.Server
	priv  ed25519.PrivateKey
	calls *atomic.Int64
}

func newHTTPRig(t *testing.T, o Options) *httpRig {
	return newHTTPRigWrapped(t, o, nil)
}

// newHTTPRigWrapped puts wrap, if any, between the bot's endpoint and the
// fake Discord's side of the HTTP reply.
func newHTTPRigWrapped(t *testing.T, o Options, wrap func(http.Handler) http.Handler) *httpRig {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	calls := &atomic.Int64{}
	count := func(next Handler) Handler {
		return func(ctx context.Context, r Request) (Response, error) {
			calls.Add(1)
			return next(ctx, r)
		}
	}
	o.Middleware = append([]Middleware{count}, o.Middleware...)
	o.Log, o.RatePerUser, o.RatePerChannel = quietLog(), 1000, 1000
	fake := discordtest.New(t)
	is, err := New(builtinEngine(t), o).NewInteractionServer(pub, Connection{Token: testToken, APIBase: fake.URL})
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = is
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(fake.Endpoint(h))
	t.Cleanup(func() { srv.Close(); is.Close(5 * time.Second) })
	return &httpRig{srv: srv, fake: fake, priv: priv, calls: calls}
}

// post sends body signed at ts with key (nil: no signature headers).
func (h *httpRig) post(t *testing.T, body []byte, ts time.Time, key ed25519.PrivateKey) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("POST", h.srv.URL+"/interactions", bytes.NewReader(body))
	if key != nil {
		stamp := fmt.Sprint(ts.Unix())
		req.Header.Set("X-Signature-Timestamp", stamp)
		req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, append([]byte(stamp), body...))))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	return resp.StatusCode, buf.Bytes()
}

func TestHTTPPing(t *testing.T) {
	t.Parallel()
	h := newHTTPRig(t, Options{})
	code, body := h.post(t, []byte(`{"id":"1","application_id":"2","type":1,"token":"t","version":1}`), time.Now(), h.priv)
	if code != 200 || strings.TrimSpace(string(body)) != `{"type":1}` {
		t.Fatalf("%d %s", code, body)
	}
}

func TestHTTPSignedCommandIsAnswered(t *testing.T) {
	t.Parallel()
	h := newHTTPRig(t, Options{})
	_, p := slash("u1", "who-said", "quote", "dialogue and peaceful means", "private", true)
	body, _ := json.Marshal(p)
	code, resp := h.post(t, body, time.Now(), h.priv)
	if code != 200 {
		t.Fatalf("%d %s", code, resp)
	}
	rp := decodeReply(t, discordtest.Request{Body: resp})
	if rp.Type == 5 { // deferred on a loaded machine: the answer is the edit
		edit := h.fake.WaitFor(discordtest.Route("PATCH", "/messages/@original"))
		resp = edit.Body
	} else if rp.Type != 4 || rp.Data.Flags != 64 {
		t.Fatalf("%s", resp)
	}
	if !strings.Contains(string(resp), "Balkhi") || !strings.Contains(string(resp), `"allowed_mentions":{"parse":[],"replied_user":false}`) {
		t.Fatalf("%s", resp)
	}
}

func TestHTTPRejectsBadSignatures(t *testing.T) {
	t.Parallel()
	h := newHTTPRig(t, Options{})
	_, p := slash("u1", "stories")
	body, _ := json.Marshal(p)
	_, other, _ := ed25519.GenerateKey(nil)
	cases := map[string]func() (int, []byte){
		"missing":   func() (int, []byte) { return h.post(t, body, time.Now(), nil) },
		"wrong key": func() (int, []byte) { return h.post(t, body, time.Now(), other) },
		"stale":     func() (int, []byte) { return h.post(t, body, time.Now().Add(-6*time.Minute), h.priv) },
		"tampered": func() (int, []byte) {
			req, _ := http.NewRequest("POST", h.srv.URL+"/interactions", bytes.NewReader(append(body, ' ')))
			stamp := fmt.Sprint(time.Now().Unix())
			req.Header.Set("X-Signature-Timestamp", stamp)
			req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(h.priv, append([]byte(stamp), body...))))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode, nil
		},
	}
	for name, c := range cases {
		if code, _ := c(); code != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", name, code)
		}
	}
	if n := h.calls.Load(); n != 0 {
		t.Fatalf("%d handlers ran for unsigned requests", n)
	}
	if n := len(h.fake.Requests()); n != 0 {
		t.Fatalf("%d REST calls for unsigned requests", n)
	}
}

func TestHTTPSlowCommandDefersAndFollowsUpThrough429(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	slow := func(next Handler) Handler {
		return func(ctx context.Context, r Request) (Response, error) {
			<-release
			return next(ctx, r)
		}
	}
	h := newHTTPRig(t, Options{Middleware: []Middleware{slow}, DeferAfter: 1})
	h.fake.Fail429Once("PATCH /webhooks/", 0.05)
	id, p := slash("u1", "ask", "question", "Molotov cocktails")
	body, _ := json.Marshal(p)
	code, resp := h.post(t, body, time.Now(), h.priv)
	if code != 200 || !strings.HasPrefix(string(resp), `{"type":5,`) {
		t.Fatalf("%d %s", code, resp)
	}
	close(release)
	edit := h.fake.WaitFor(func(r discordtest.Request) bool {
		return r.Method == "PATCH" && r.Status == 200 && strings.Contains(r.Path, "/tok"+id+"/messages/@original")
	})
	if !strings.Contains(string(edit.Body), "Molotov") {
		t.Fatalf("%s", edit.Body)
	}
	assertNoPings(t, edit.Body)
	if got := len(h.fake.Requests()); got != 2 {
		t.Fatalf("%d REST requests, want the 429 and its retry", got)
	}
}

// slowWriter delays the HTTP reply as a slow network would: until it
// arrives, Discord does not know the interaction was answered.
type slowWriter struct {
	http.ResponseWriter
	d time.Duration
}

func (w slowWriter) Write(p []byte) (int, error) {
	time.Sleep(w.d)
	return w.ResponseWriter.Write(p)
}

func (w slowWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func TestHTTPProgressWaitsForTheDeferral(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	// Like /reindex: progress at once, so the deferral and the first
	// edit follow each other immediately.
	progressive := func(next Handler) Handler {
		return func(ctx context.Context, r Request) (Response, error) {
			ShowProgress(ctx, note("Working on it…"))
			<-release
			return next(ctx, r)
		}
	}
	slow := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(slowWriter{w, 200 * time.Millisecond}, r)
		})
	}
	h := newHTTPRigWrapped(t, Options{Middleware: []Middleware{progressive}}, slow)
	id, p := slash("u1", "ask", "question", "Molotov cocktails")
	body, _ := json.Marshal(p)
	if code, resp := h.post(t, body, time.Now(), h.priv); code != 200 || !strings.HasPrefix(string(resp), `{"type":5,`) {
		t.Fatalf("%d %s", code, resp)
	}
	edit := discordtest.Route("PATCH", "/tok"+id+"/messages/@original")
	progress := h.fake.WaitFor(func(r discordtest.Request) bool { return edit(r) && strings.Contains(string(r.Body), "Working on it") })
	if progress.Status != 200 {
		t.Errorf("the progress edit got %d %s: it was sent before Discord had the deferral", progress.Status, progress.Body)
	}
	close(release)
	final := h.fake.WaitFor(func(r discordtest.Request) bool { return edit(r) && strings.Contains(string(r.Body), "Molotov") })
	if final.Status != 200 {
		t.Errorf("the answer got %d", final.Status)
	}
	var shown int
	for _, r := range h.fake.Requests() {
		if edit(r) && strings.Contains(string(r.Body), "Working on it") {
			shown++
		}
	}
	if shown != 1 {
		t.Errorf("%d progress edits, want 1", shown)
	}
}

func TestHTTPRefusesInteractionsOnceClosed(t *testing.T) {
	t.Parallel()
	pub, priv, _ := ed25519.GenerateKey(nil)
	fake := discordtest.New(t)
	is, err := New(builtinEngine(t), Options{Log: quietLog()}).NewInteractionServer(pub, Connection{Token: testToken, APIBase: fake.URL})
	if err != nil {
		t.Fatal(err)
	}
	is.Close(time.Second)
	srv := httptest.NewServer(is)
	defer srv.Close()
	h := &httpRig{srv: srv, fake: fake, priv: priv}
	if code, body := h.post(t, []byte(`{"id":"1","application_id":"2","type":1,"token":"t","version":1}`), time.Now(), priv); code != http.StatusServiceUnavailable {
		t.Fatalf("%d %s", code, body)
	}
}
