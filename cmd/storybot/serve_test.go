package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/bot/discordtest"
	"github.com/storybot/storybot/config"
	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/answer"
	"github.com/storybot/storybot/index/library"
)

// lockedBuffer takes the log from the bot's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// freeAddr is a 127.0.0.1 address nothing listens on at the moment.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestServeWiring runs storybot serve against the fake Discord: it
// reports what an interrupted rebuild left behind, logs JSON, counts an
// answer in /metrics, serves /healthz, and stops cleanly when cancelled.
func TestServeWiring(t *testing.T) {
	dir := t.TempDir()
	corpusDir, indexDir := filepath.Join(dir, "corpus"), filepath.Join(dir, "index")
	if err := os.MkdirAll(corpusDir, 0o755); err != nil {
		t.Fatal(err)
	}
	story := "Headline: Harbour Dredging to Begin\nDate: 2025-02-03\n---\n\n\"The channel has silted up faster than anyone predicted,\" said harbour master Owen Pryce on Monday.\n"
	if err := os.WriteFile(filepath.Join(corpusDir, "harbour.txt"), []byte(story), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runCLI(t, "", "index", "--corpus", corpusDir, "--index", indexDir); code != 0 {
		t.Fatalf("index: %s", errs)
	}
	// A rebuild killed halfway leaves its directory behind.
	leftover := "idx-20000101T000000.000000000"
	if err := os.MkdirAll(filepath.Join(indexDir, leftover), 0o755); err != nil {
		t.Fatal(err)
	}

	fake := discordtest.New(t)
	metricsAddr := freeAddr(t)
	const guild = "300000000000000003"
	for k, v := range map[string]string{
		"STORYBOT_CORPUS": corpusDir, "STORYBOT_INDEX": indexDir, "STORYBOT_QUERY_TIMEOUT": "",
		"STORYBOT_LOG_FORMAT": "json", "STORYBOT_METRICS_ADDR": metricsAddr,
		"DISCORD_TOKEN": "test-token", "DISCORD_API_BASE": fake.URL, "DISCORD_GUILD_ID": guild, "DISCORD_APP_ID": "",
		"STORYBOT_MODERATOR_ROLES": "700000000000000007", "STORYBOT_MESSAGE_CONTENT": "", "STORYBOT_NO_MESSAGE_CONTENT": "",
	} {
		t.Setenv(k, v)
	}
	logs := &lockedBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, &cliEnv{stdin: strings.NewReader(""), stdout: io.Discard, stderr: logs}, []string{"serve"})
	}()
	var ident struct {
		Intents int `json:"intents"`
	}
	if err := json.Unmarshal(fake.WaitReady(), &ident); err != nil || ident.Intents&(1<<15) != 0 {
		t.Errorf("serve asked for the Message Content intent without being told to: %d, %v", ident.Intents, err)
	}
	fake.WaitFor(discordtest.Route("PUT", "/guilds/"+guild+"/commands"))

	fake.Dispatch("INTERACTION_CREATE", map[string]any{
		"id": "500000000000000001", "application_id": discordtest.AppID, "type": 2, "token": "tok1", "version": 1,
		"channel_id": "400000000000000004", "guild_id": guild,
		"member": map[string]any{"user": map[string]any{"id": "800000000000000001", "username": "reader"}, "permissions": "0"},
		"data": map[string]any{"id": "1", "name": "who-said", "type": 1, "options": []any{
			map[string]any{"name": "quote", "type": 3, "value": "silted up faster than anyone predicted"}}},
	})
	fake.WaitFor(func(r discordtest.Request) bool {
		return strings.Contains(r.Path, "/tok1/") && strings.Contains(string(r.Body), "Pryce")
	})

	if code, body := get(t, "http://"+metricsAddr+"/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz: %d %q", code, body)
	}
	_, body := get(t, "http://"+metricsAddr+"/metrics")
	for _, want := range []string{`storybot_answers_total{command="who-said"} 1`, "storybot_answer_seconds_bucket", "storybot_index_stories 1"} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d:\n%s", code, logs.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}

	var cleaned bool
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Errorf("log line is not JSON: %q", line)
			continue
		}
		if strings.Contains(m["msg"].(string), "interrupted rebuild") && strings.Contains(line, leftover) {
			cleaned = true
		}
	}
	if !cleaned {
		t.Errorf("the cleaned-up leftover is not in the log:\n%s", logs.String())
	}
	if _, err := os.Stat(filepath.Join(indexDir, leftover)); !os.IsNotExist(err) {
		t.Errorf("the leftover is still there: %v", err)
	}
	if _, err := net.DialTimeout("tcp", metricsAddr, time.Second); err == nil {
		t.Errorf("the metrics server still listens after shutdown")
	}
}

// TestServeStartsOnAnEmptyCorpus: a new deployment has no stories yet, and
// moderators need the bot running to add the first.
func TestServeStartsOnAnEmptyCorpus(t *testing.T) {
	cfg := config.Defaults()
	cfg.CorpusDir, cfg.IndexDir = t.TempDir(), filepath.Join(t.TempDir(), "index")
	// Answering from it says so; the bot starts regardless.
	if _, err := openSession(context.Background(), cfg, index.Shared, func(corpus.Skipped) {}); !errors.Is(err, errNoStories) {
		t.Fatalf("err = %v, want errNoStories", err)
	}
	store, err := openStore(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	lib, err := library.Open(context.Background(), libraryConfig(cfg, store, slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	if n, _ := lib.Index().Size(); n != 0 {
		t.Errorf("%d stories in an empty corpus", n)
	}
}

func TestInteractionsServerHasEveryTimeout(t *testing.T) {
	srv := interactionsServer(http.NotFoundHandler())
	if srv.ReadHeaderTimeout <= 0 || srv.ReadTimeout <= 0 || srv.WriteTimeout <= 0 || srv.IdleTimeout <= 0 {
		t.Fatalf("a timeout is unset: header %v, read %v, write %v, idle %v", srv.ReadHeaderTimeout, srv.ReadTimeout, srv.WriteTimeout, srv.IdleTimeout)
	}
	// A deferral comes after DeferAfter; the reply must still be writable.
	if srv.WriteTimeout < 5*time.Second {
		t.Errorf("write timeout %v leaves no room for a deferral", srv.WriteTimeout)
	}
}

// When serving fails at once, the interaction server is closed too, so
// nothing goes on answering for a server that is gone.
func TestInteractionsClosedWhenServeFails(t *testing.T) {
	ix, err := index.NewMemory(corpus.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	fake := discordtest.New(t)
	pub, priv, _ := ed25519.GenerateKey(nil)
	is, err := bot.New(answer.New(ix), bot.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}).
		NewInteractionServer(pub, bot.Connection{Token: "test-token", APIBase: fake.URL})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close() // Serve fails on its first Accept
	if err := runInteractions(context.Background(), is, ln, slog.New(slog.NewTextHandler(io.Discard, nil))); err == nil {
		t.Fatal("no error from a closed listener")
	}
	body, stamp := `{"id":"1","application_id":"2","type":1,"token":"t","version":1}`, fmt.Sprint(time.Now().Unix())
	req := httptest.NewRequest("POST", "/interactions", strings.NewReader(body))
	req.Header.Set("X-Signature-Timestamp", stamp)
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(priv, []byte(stamp+body))))
	rec := httptest.NewRecorder()
	is.ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("after serving failed, an interaction got %d, want 503", rec.Code)
	}
}
