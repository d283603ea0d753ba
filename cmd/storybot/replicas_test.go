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
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/storybot/storybot/bot/discordtest"
	"github.com/storybot/storybot/index/library"
	"github.com/storybot/storybot/index/library/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const replicaGuild = "300000000000000003"

// replica is one `storybot serve --http` process, reached through the
// fake Discord's interactions endpoint, as Discord would reach it.
type replica struct {
	t    *testing.T
	cmd  *exec.Cmd
	url  string // the proxy that posts interactions to it
	priv ed25519.PrivateKey
	logs *lockedBuffer
	// guild is the server the interactions come from (default replicaGuild).
	guild string
}

var replicaSeq atomic.Int64

func startReplica(t *testing.T, fake *discordtest.Server, dbURL string, pub ed25519.PublicKey, priv ed25519.PrivateKey, env ...string) *replica {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperStorybotMain$")
	cmd.Env = append(os.Environ(),
		"STORYBOT_MAIN_ARGS=serve\x1f--http\x1f"+addr,
		"STORYBOT_DATABASE_URL="+dbURL, "STORYBOT_INDEX="+t.TempDir(), "STORYBOT_CORPUS=",
		"DISCORD_TOKEN=replica-token-SECRET", "DISCORD_APP_ID="+discordtest.AppID, "DISCORD_PUBLIC_KEY="+hex.EncodeToString(pub),
		"DISCORD_API_BASE="+fake.URL, "STORYBOT_ALLOW_PRIVATE_URLS=true", "STORYBOT_LOG_FORMAT=json",
		"STORYBOT_RATE_USER=1000", "STORYBOT_RATE_CHANNEL=1000", "STORYBOT_METRICS_ADDR=")
	cmd.Env = append(cmd.Env, env...)
	r := &replica{t: t, cmd: cmd, priv: priv, logs: &lockedBuffer{}}
	cmd.Stdout, cmd.Stderr = io.Discard, r.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
		}
		if t.Failed() {
			t.Logf("replica %d log:\n%s", cmd.Process.Pid, r.logs.String())
		}
	})
	proxy := httptest.NewServer(fake.Endpoint(reverseProxy(addr)))
	t.Cleanup(proxy.Close)
	r.url = proxy.URL + "/interactions"
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(r.logs.String(), "serving HTTP interactions") {
		if time.Now().After(deadline) || cmd.ProcessState != nil {
			t.Fatalf("the replica did not start:\n%s", r.logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return r
}

func reverseProxy(addr string) http.Handler {
	target, _ := url.Parse("http://" + addr)
	p := httputil.NewSingleHostReverseProxy(target)
	p.ErrorLog = log.New(io.Discard, "", 0) // the crash tests kill what it talks to
	return p
}

// interactQuietly is interact for a goroutine, where the test cannot fail:
// any failure gives "".
func (r *replica) interactQuietly(fake *discordtest.Server, member, data map[string]any) string {
	body, err := r.post(fake, 2, member, data)
	if err != nil {
		return ""
	}
	return body
}

// interact posts a signed interaction and returns the text of the answer:
// the HTTP reply, or after a deferral the edit the fake received.
func (r *replica) interact(fake *discordtest.Server, typ int, member map[string]any, data map[string]any) string {
	r.t.Helper()
	body, err := r.post(fake, typ, member, data)
	if err != nil {
		r.t.Fatal(err)
	}
	return body
}

func (r *replica) post(fake *discordtest.Server, typ int, member map[string]any, data map[string]any) (string, error) {
	n := replicaSeq.Add(1)
	id := fmt.Sprint(510000000000000000 + n)
	token := "rtok" + id
	guild := r.guild
	if guild == "" {
		guild = replicaGuild
	}
	body, _ := json.Marshal(map[string]any{
		"id": id, "application_id": discordtest.AppID, "type": typ, "token": token, "version": 1,
		"channel_id": "400000000000000004", "guild_id": guild, "member": member, "data": data,
	})
	stamp := strconv.FormatInt(time.Now().Unix(), 10)
	req, _ := http.NewRequest("POST", r.url, bytes.NewReader(body))
	req.Header.Set("X-Signature-Timestamp", stamp)
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(r.priv, []byte(stamp+string(body)))))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return "", fmt.Errorf("interaction: %d %s", resp.StatusCode, out)
	}
	var rp struct{ Type int }
	_ = json.Unmarshal(out, &rp)
	if rp.Type != 5 {
		return string(out), nil
	}
	// Polled rather than WaitFor, which fails the test from this goroutine.
	edit := discordtest.Route("PATCH", "/webhooks/"+discordtest.AppID+"/"+token+"/messages/@original")
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		for _, q := range fake.Requests() {
			if edit(q) {
				return string(q.Body), nil
			}
		}
	}
	return "", errors.New("no edit of the deferred answer")
}

var (
	replicaAdmin  = map[string]any{"user": map[string]any{"id": "800000000000000004", "username": "admin"}, "permissions": "8"}
	replicaReader = map[string]any{"user": map[string]any{"id": "800000000000000001", "username": "reader"}, "permissions": "3072"}
)

func storyCommand(name string, opts map[string]string) map[string]any {
	var options []map[string]any
	for k, v := range opts {
		options = append(options, map[string]any{"name": k, "type": 3, "value": v})
	}
	return map[string]any{"id": "9", "name": name, "type": 1, "options": options}
}

func (r *replica) whoSaid(fake *discordtest.Server, quote string) string {
	return r.interact(fake, 2, replicaReader, storyCommand("who-said", map[string]string{"quote": quote}))
}

// within polls a replica until its answer contains (or lacks) want.
func (r *replica) within(fake *discordtest.Server, d time.Duration, quote, want string, has bool) {
	r.t.Helper()
	deadline := time.Now().Add(d)
	for {
		got := r.whoSaid(fake, quote)
		if strings.Contains(got, want) == has {
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("within %s, the answer to %q still %s %q: %s", d, quote, map[bool]string{true: "lacks", false: "has"}[has], want, got)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

const lighthouseText = `date: 2025-03-04
source: Coast Gazette
---
Lighthouse Keeper Retires After 40 Years

"The sea was my only clock," said keeper Agnes Morrow on Tuesday, as she handed over the keys of the Gull Point light.
`

const ferryText = `date: 2025-04-01
source: Coast Gazette
---
Night Ferry Returns

"We missed the night boat more than we knew," said harbour councillor Idris Vane on Monday.
`

// Two `storybot serve --http` replicas on one PostgreSQL database: what a
// moderator changes through one, the other answers from within seconds; a
// replica started later, and one whose database connection was cut, catch
// up on their own.
func TestReplicasOnOnePostgresStayConsistent(t *testing.T) {
	if testing.Short() {
		t.Skip("runs storybot processes against PostgreSQL")
	}
	dbURL := pgtest.URL(t)
	fake := discordtest.New(t)
	pub, priv, _ := ed25519.GenerateKey(nil)
	pages := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		switch r.URL.Path {
		case "/lighthouse.txt":
			io.WriteString(w, lighthouseText)
		case "/ferry.txt":
			io.WriteString(w, ferryText)
		default:
			http.NotFound(w, r)
		}
	}))
	defer pages.Close()
	one := startReplica(t, fake, dbURL, pub, priv)
	two := startReplica(t, fake, dbURL, pub, priv)

	add := func(r *replica, page string) {
		t.Helper()
		body := r.interact(fake, 2, replicaAdmin, storyCommand("add-story", map[string]string{"url": pages.URL + page}))
		if !strings.Contains(body, "Added") {
			t.Fatalf("add-story %s: %s", page, body)
		}
	}
	add(one, "/lighthouse.txt")
	start := time.Now()
	two.within(fake, 5*time.Second, "The sea was my only clock", "Morrow", true)
	t.Logf("the second replica answered from the new story after %s", time.Since(start).Round(time.Millisecond))

	if body := two.interact(fake, 2, replicaAdmin, storyCommand("remove-story", map[string]string{"story": "lighthouse.txt"})); !strings.Contains(body, "Removed") {
		t.Fatalf("remove-story: %s", body)
	}
	one.within(fake, 5*time.Second, "The sea was my only clock", "Morrow", false)

	// Cut the second replica's change feed and change the stories meanwhile.
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	tag, err := conn.Exec(context.Background(), `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`,
		"storybot-listen-"+strconv.Itoa(two.cmd.Process.Pid))
	if err != nil || tag.RowsAffected() != 1 {
		t.Fatalf("cutting the second replica's feed: %v, %d connections", err, tag.RowsAffected())
	}
	add(one, "/ferry.txt")
	two.within(fake, 15*time.Second, "We missed the night boat", "Vane", true)
	if !strings.Contains(two.logs.String(), "lost the PostgreSQL change feed") {
		t.Error("the second replica did not log the lost feed")
	}

	// A replica started after all of it answers as the others do.
	three := startReplica(t, fake, dbURL, pub, priv)
	if got := three.whoSaid(fake, "We missed the night boat"); !strings.Contains(got, "Vane") {
		t.Errorf("a late replica lacks the ferry story: %s", got)
	}
	if got := three.whoSaid(fake, "The sea was my only clock"); strings.Contains(got, "Morrow") {
		t.Errorf("a late replica has the removed story: %s", got)
	}
	// Every moderator action is on record in the database.
	st, err := library.OpenPostgres(context.Background(), dbURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	entries, err := st.AuditLog(context.Background(), replicaGuild, 10)
	if err != nil || len(entries) != 3 {
		t.Fatalf("audit log: %+v %v", entries, err)
	}
	for _, e := range entries {
		if e.Actor.ID != "800000000000000004" || e.Result != "ok" {
			t.Errorf("audit entry %+v", e)
		}
	}
}
