package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/bot/discordtest"
	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/library"
	"github.com/storybot/storybot/index/library/pgtest"
)

// crashGuild is the server whose collection the crash tests change.
const crashGuild = "300000000000000077"

// storeMode is one way of keeping the stories: files or PostgreSQL.
type storeMode struct {
	name string
	// env configures a storybot process; store opens the same store here.
	env   []string
	store func(t *testing.T) library.Store
}

func fileMode(t *testing.T) storeMode {
	corpusDir := t.TempDir()
	return storeMode{
		name: "files",
		env:  []string{"STORYBOT_CORPUS=" + corpusDir, "STORYBOT_DATABASE_URL="},
		store: func(t *testing.T) library.Store {
			st, err := library.NewFiles(corpusDir)
			if err != nil {
				t.Fatal(err)
			}
			return st
		},
	}
}

func postgresMode(t *testing.T) storeMode {
	url := pgtest.URL(t)
	return storeMode{
		name: "postgres",
		env:  []string{"STORYBOT_DATABASE_URL=" + url, "STORYBOT_CORPUS="},
		store: func(t *testing.T) library.Store {
			st, err := library.OpenPostgres(context.Background(), url, nil)
			if err != nil {
				t.Fatal(err)
			}
			return st
		},
	}
}

// crashRig runs storybot processes on one store and one index, kills
// them, and checks what a restart finds.
type crashRig struct {
	t       *testing.T
	mode    storeMode
	index   string
	pages   *httptest.Server
	repairs int
}

func newCrashRig(t *testing.T, mode storeMode) *crashRig {
	r := &crashRig{t: t, mode: mode, index: filepath.Join(t.TempDir(), "index")}
	r.pages = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, crashStory(strings.TrimSuffix(strings.TrimPrefix(req.URL.Path, "/"), ".txt")))
	}))
	t.Cleanup(r.pages.Close)
	return r
}

// crashStory is a story whose words name it, so a search tells which it is.
func crashStory(name string) string {
	return fmt.Sprintf("date: 2025-06-01\nsource: Test Wire\n---\nStory %s\n\n"+
		"\"The %s bridge will reopen in May,\" said engineer Ruth Calder on Monday.\n\n"+
		"The %s repairs cost more than planned.\n", name, name, name)
}

func (r *crashRig) cmd(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperStorybotMain$")
	cmd.Env = append(append(os.Environ(), r.mode.env...),
		"STORYBOT_MAIN_ARGS="+strings.Join(args, "\x1f"), "STORYBOT_INDEX="+r.index, "STORYBOT_CRASH_AT=",
		"STORYBOT_ALLOW_PRIVATE_URLS=true", "STORYBOT_LOG_FORMAT=json", "STORYBOT_RATE_USER=1000", "STORYBOT_METRICS_ADDR=")
	return cmd
}

// consistent restarts on the store and the index, as the next process
// would, and checks that the collection's index holds exactly what the
// store does, each story whole; it reports whether story is there.
func (r *crashRig) consistent(what, story string) bool {
	t := r.t
	t.Helper()
	ctx := context.Background()
	var logs lockedBuffer
	lib, err := library.Open(ctx, library.Config{Store: r.mode.store(t), IndexDir: r.index,
		Log: slog.New(slog.NewJSONHandler(&logs, nil))}, crashGuild)
	if err != nil {
		t.Fatalf("%s: the restart failed: %v", what, err)
	}
	defer lib.Close()
	_, stored, err := lib.Store().Snapshot(ctx, crashGuild)
	if err != nil {
		t.Fatal(err)
	}
	man, _ := lib.Index().Manifest(crashGuild)
	if len(man.Stories) != len(stored) {
		t.Fatalf("%s: the store holds %d stories and the index %d", what, len(stored), len(man.Stories))
	}
	present := false
	for i, m := range stored {
		s := man.Stories[i]
		if s.ID != m.ID || s.Fingerprint != m.Fingerprint {
			t.Fatalf("%s: store has %s (%s), index %s (%s)", what, m.ID, m.Fingerprint, s.ID, s.Fingerprint)
		}
		name := strings.TrimSuffix(m.ID, ".txt")
		hits, err := lib.Index().Search(ctx, index.Query{Text: name + " repairs cost", Scope: index.Scope{crashGuild}, Story: m.ID, Size: 5})
		if err != nil || len(hits) != 2 || s.Paragraphs != 2 {
			t.Fatalf("%s: %s is not whole in the index: %d hits, %d paragraphs, %v", what, m.ID, len(hits), s.Paragraphs, err)
		}
		present = present || m.ID == story
	}
	if strings.Contains(logs.String(), "brought up to date") {
		r.repairs++
	}
	return present
}

// run starts cmd, lets it go until kill (nil: to the end, or 20 seconds),
// and reports whether it was still running when killed.
func run1(t *testing.T, cmd *exec.Cmd, kill <-chan time.Time) (killed bool) {
	t.Helper()
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	defer func() {
		if !killed && stderr.Len() > 0 {
			t.Logf("%s: %s", strings.Join(cmd.Args[1:], " "), stderr.String())
		}
	}()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	if kill == nil {
		kill = time.After(20 * time.Second)
	}
	select {
	case err := <-done:
		return err != nil && strings.Contains(stderr.String(), "crash point")
	case <-kill:
		cmd.Process.Kill()
		<-done
		return true
	}
}

// trials kills a change at every crash point it passes (STORYBOT_CRASH_AT)
// and at evenly spaced moments across a whole run, at least 20 in all.
// start begins the change in a new process and returns it; it is given a
// fresh name for each trial. check says what the trial left.
func (r *crashRig) trials(what string, start func(trial string, crashAt int) (*exec.Cmd, string), wantAfter bool) {
	t := r.t
	t.Helper()
	r.repairs = 0
	n, points := 0, 0
	next := func() string { n++; return fmt.Sprintf("%s%02d", what, n) }
	for at := 1; ; at++ {
		cmd, story := start(next(), at)
		killed := run1(t, cmd, nil)
		r.check(fmt.Sprintf("%s killed at crash point %d", what, at), story, killed, wantAfter)
		if !killed {
			break
		}
		points++
	}
	// How long a whole change takes, to spread the timed kills over it.
	cmd, story := start(next(), 0)
	began := time.Now()
	run1(t, cmd, nil)
	whole := time.Since(began)
	r.check(what+" not killed", story, false, wantAfter)
	for i := 0; points < 20 || i <= 20; i++ {
		cmd, story := start(next(), 0)
		killed := run1(t, cmd, time.After(whole*time.Duration(i)/20))
		r.check(fmt.Sprintf("%s killed after %s", what, whole*time.Duration(i)/20), story, killed, wantAfter)
		points++
	}
	t.Logf("%s (%s): %d kills, a whole change takes %s, %d restarts repaired something", what, r.mode.name, points, whole.Round(time.Millisecond), r.repairs)
}

// check restarts and checks the trial's story: whole or not there at all,
// and certainly there when the process was not killed.
func (r *crashRig) check(what, story string, killed bool, wantAfter bool) {
	r.t.Helper()
	present := r.consistent(what, story)
	if !killed && present != wantAfter {
		r.t.Fatalf("%s: finished, but the story is present=%v", what, present)
	}
}

func TestCrashDuringAddAndRemove(t *testing.T) {
	if testing.Short() {
		t.Skip("kills storybot processes a few hundred times")
	}
	for _, mode := range []func(*testing.T) storeMode{fileMode, postgresMode} {
		m := mode(t)
		t.Run(m.name, func(t *testing.T) {
			r := newCrashRig(t, m)
			r.t = t
			dir := t.TempDir()
			r.trials("add", func(name string, at int) (*exec.Cmd, string) {
				path := filepath.Join(dir, name+".txt")
				os.WriteFile(path, []byte(crashStory(name)), 0o644)
				cmd := r.cmd("add", path, "--collection", crashGuild)
				cmd.Env = append(cmd.Env, crashEnv(at))
				return cmd, name + ".txt"
			}, true)
			// Remove stories one a trial: those the adds left, and more.
			r.fill(70)
			_, stored, _ := r.mode.store(t).Snapshot(context.Background(), crashGuild)
			queue := make([]string, 0, len(stored))
			for _, s := range stored {
				queue = append(queue, s.ID)
			}
			r.trials("remove", func(_ string, at int) (*exec.Cmd, string) {
				id := queue[0]
				queue = queue[1:]
				cmd := r.cmd("remove", id, "--collection", crashGuild)
				cmd.Env = append(cmd.Env, crashEnv(at))
				return cmd, id
			}, false)
			// Restore the removed ones, one a trial.
			lib, err := library.Open(context.Background(), library.Config{Store: r.mode.store(t), IndexDir: r.index}, crashGuild)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range queue[:min(25, len(queue))] {
				if _, err := lib.Remove(context.Background(), crashGuild, library.Actor{Name: "test"}, id); err != nil {
					t.Fatal(err)
				}
			}
			removed, _ := lib.Removed(context.Background(), crashGuild)
			lib.Close()
			r.trials("restore", func(_ string, at int) (*exec.Cmd, string) {
				rm := removed[0]
				removed = removed[1:]
				cmd := r.cmd("restore", rm.Key, "--collection", crashGuild)
				cmd.Env = append(cmd.Env, crashEnv(at))
				return cmd, rm.ID
			}, true)
		})
	}
}

// fill adds n stories to the collection from this process.
func (r *crashRig) fill(n int) {
	r.t.Helper()
	lib, err := library.Open(context.Background(), library.Config{Store: r.mode.store(r.t), IndexDir: r.index}, crashGuild)
	if err != nil {
		r.t.Fatal(err)
	}
	defer lib.Close()
	for i := range n {
		name := fmt.Sprintf("extra%02d", i)
		up, err := corpus.PrepareUpload(name+".txt", []byte(crashStory(name)), "")
		if err == nil {
			_, err = lib.Add(context.Background(), crashGuild, library.Actor{Name: "test"}, up)
		}
		if err != nil {
			r.t.Fatal(err)
		}
	}
}

func crashEnv(at int) string {
	if at == 0 {
		return "STORYBOT_CRASH_AT="
	}
	return "STORYBOT_CRASH_AT=" + strconv.Itoa(at)
}

// botAdd starts `storybot serve --http`, sends it an /add-story for name
// once it serves, and kills it after killAfter (or, with killAfter < 0,
// once the story is added). It reports whether the process was stopped
// before it said the story was added, and how long the add took.
func (r *crashRig) botAdd(fake *discordtest.Server, pub ed25519.PublicKey, priv ed25519.PrivateKey, name string, at int, killAfter time.Duration) (killed bool, took time.Duration) {
	t := r.t
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := r.cmd("serve", "--http", addr)
	cmd.Env = append(cmd.Env, crashEnv(at), "DISCORD_TOKEN=crash-token", "DISCORD_APP_ID="+discordtest.AppID,
		"DISCORD_PUBLIC_KEY="+hex.EncodeToString(pub), "DISCORD_API_BASE="+fake.URL)
	logs := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = io.Discard, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	defer func() {
		cmd.Process.Kill()
		<-exited
	}()
	for !strings.Contains(logs.String(), "serving HTTP interactions") {
		select {
		case <-exited:
			return true, 0 // a crash point on the way up
		case <-time.After(10 * time.Millisecond):
		}
	}
	proxy := httptest.NewServer(fake.Endpoint(reverseProxy(addr)))
	defer proxy.Close()
	rp := &replica{t: t, url: proxy.URL + "/interactions", priv: priv, guild: crashGuild}
	added := make(chan struct{})
	began := time.Now()
	go func() {
		defer func() { recover() }() // a killed process fails the request; that is the point
		body := rp.interactQuietly(fake, replicaAdmin, storyCommand("add-story", map[string]string{"url": r.pages.URL + "/" + name + ".txt"}))
		if strings.Contains(body, "Added") {
			close(added)
		}
	}()
	var kill <-chan time.Time
	if killAfter >= 0 {
		kill = time.After(killAfter)
	}
	select {
	case <-added:
		return false, time.Since(began)
	case <-exited:
		return true, 0
	case <-kill:
		return true, 0
	case <-time.After(30 * time.Second):
		t.Fatalf("/add-story neither finished nor crashed:\n%s", logs.String())
	}
	return true, 0
}

func TestCrashDuringBotAddStory(t *testing.T) {
	if testing.Short() {
		t.Skip("kills storybot processes")
	}
	pub, priv, _ := ed25519.GenerateKey(nil)
	for _, mode := range []func(*testing.T) storeMode{fileMode, postgresMode} {
		m := mode(t)
		t.Run(m.name, func(t *testing.T) {
			r := newCrashRig(t, m)
			r.t = t
			fake := discordtest.New(t)
			n, points := 0, 0
			for at := 1; ; at++ {
				n++
				name := fmt.Sprintf("bot%02d", n)
				killed, _ := r.botAdd(fake, pub, priv, name, at, -1)
				r.check(fmt.Sprintf("/add-story killed at crash point %d", at), name+".txt", killed, true)
				if !killed {
					break
				}
				points++
			}
			n++
			_, whole := r.botAdd(fake, pub, priv, fmt.Sprintf("bot%02d", n), 0, -1)
			for i := 0; points < 20 || i <= 20; i++ {
				n++
				name := fmt.Sprintf("bot%02d", n)
				after := whole * time.Duration(i) / 20
				killed, _ := r.botAdd(fake, pub, priv, name, 0, after)
				r.check(fmt.Sprintf("/add-story killed %s after it was sent", after), name+".txt", killed, true)
				points++
			}
			t.Logf("/add-story (%s): %d kills, an add takes %s once the bot serves, %d restarts repaired something", m.name, points, whole.Round(time.Millisecond), r.repairs)
		})
	}
}
