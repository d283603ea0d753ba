package bot

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storybot/storybot/bot/discordtest"
	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/answer"
	"github.com/storybot/storybot/index/library"
)

// Members as the interaction describes them: permissions in the channel
// (a decimal string, as Discord sends it) and role IDs.
type member struct {
	id, name, perms string
	roles           []string
}

const modRole = "700000000000000007"

var (
	reader    = member{"800000000000000001", "reader", "3072", []string{"700000000000000001"}} // view + send messages
	roleMod   = member{"800000000000000002", "rolemod", "3072", []string{modRole}}
	permMod   = member{"800000000000000003", "permmod", "32", nil} // Manage Server
	adminUser = member{"800000000000000004", "admin", "8", nil}    // Administrator
)

// modCommand builds a slash command from m; attachments are given as
// option name → resolved attachment JSON.
func modCommand(m member, name string, opts map[string]string, files map[string]map[string]any) (string, map[string]any) {
	var options []map[string]any
	for k, v := range opts {
		options = append(options, map[string]any{"name": k, "type": 3, "value": v})
	}
	resolved := map[string]any{}
	for k, a := range files {
		id := "att-" + k
		a["id"] = id
		resolved[id] = a
		options = append(options, map[string]any{"name": k, "type": 11, "value": id})
	}
	data := map[string]any{"id": "9", "name": name, "type": 1, "options": options}
	if len(resolved) > 0 {
		data["resolved"] = map[string]any{"attachments": resolved}
	}
	id, p := interaction(2, m.id, data)
	p["member"] = map[string]any{
		"user":        map[string]any{"id": m.id, "username": m.name},
		"roles":       m.roles,
		"permissions": m.perms,
	}
	return id, p
}

// attachment is the resolved data of a file served by the fake; size is
// what Discord claims, -1 for the body's real size.
func attachment(fake *discordtest.Server, name, contentType string, body []byte, size int64) map[string]any {
	if size < 0 {
		size = int64(len(body))
	}
	return map[string]any{"filename": name, "content_type": contentType, "size": size,
		"url": fake.ServeFile(name, contentType, body)}
}

// waitReply waits for the reply to interaction id that contains want,
// whether it was the first response or an edit after a deferral, and
// checks that it pings nobody.
func waitReply(t testing.TB, fake *discordtest.Server, id, want string) string {
	t.Helper()
	edit := discordtest.Route("PATCH", "/webhooks/"+discordtest.AppID+"/tok"+id+"/messages/@original")
	req := fake.WaitFor(func(r discordtest.Request) bool {
		return (callback(id)(r) && r.Status == 204 || edit(r)) && strings.Contains(string(r.Body), want)
	})
	assertNoPings(t, req.Body)
	return string(req.Body)
}

// modEnv is a bot with a corpus directory and a persistent index built
// from it, and its audit log.
type modEnv struct {
	fake *discordtest.Server
	cdn  *discordtest.Server // serves the attachments
	root string              // the corpus directory
	// corpus is the test guild's folder in it, which its moderators change.
	corpus string
	lib    *library.Library
	ix     *index.Index
	audit  *syncBuffer
}

// guildScope is what the test guild reads.
var guildScope = library.Scope(testGuild)

func writeStories(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// openLibrary opens a library over a corpus directory with a persistent
// index in a temporary directory.
func openLibrary(t testing.TB, root string) *library.Library {
	t.Helper()
	fs, err := library.NewFiles(root)
	if err != nil {
		t.Fatal(err)
	}
	lib, err := library.Open(context.Background(), library.Config{Store: fs, IndexDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lib.Close() })
	return lib
}

// startModeration runs a bot whose test guild's collection holds files.
func startModeration(t testing.TB, files map[string]string, mo Moderation, o Options) modEnv {
	t.Helper()
	env := modEnv{root: filepath.Join(t.TempDir(), "corpus"), audit: &syncBuffer{}}
	env.corpus = filepath.Join(env.root, "_servers", testGuild)
	writeStories(t, env.corpus, files)
	env.lib = openLibrary(t, env.root)
	env.ix = env.lib.Index()
	mo.Library = env.lib
	mo.Roles = []string{modRole}
	mo.Audit = slog.New(slog.NewJSONHandler(env.audit, nil))
	// A fake of its own plays the CDN, so that its address is known
	// before the bot starts.
	env.cdn = discordtest.New(t)
	u, _ := url.Parse(env.cdn.URL)
	mo.AttachmentHosts = []string{u.Host}
	o.Moderation = mo
	env.fake = startGateway(t, answer.New(env.ix), o)
	return env
}

// listing is the corpus directory's files and their contents.
func listing(t testing.TB, dir string) string {
	t.Helper()
	var lines []string
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			lines = append(lines, p+"\n"+string(b))
		}
		return nil
	})
	sort.Strings(lines)
	return strings.Join(lines, "\n----\n")
}

// auditLines are the audit log's JSON lines.
func auditLines(t testing.TB, buf *syncBuffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("audit line %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

// findAudit returns the audit line for an action by a user with a result.
func findAudit(t testing.TB, buf *syncBuffer, user, action, result string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		for _, l := range auditLines(t, buf) {
			if l["user_id"] == user && l["action"] == action && l["result"] == result {
				return l
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no audit line for %s %s %s in:\n%s", user, action, result, buf.String())
	return nil
}

// countingRecorder counts what Measure and the reindex record.
type countingRecorder struct {
	mu        sync.Mutex
	answered  map[string]int
	notFound  int
	reindexes int
	failures  int
}

func (c *countingRecorder) Answered(cmd string, found bool, took time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.answered == nil {
		c.answered = map[string]int{}
	}
	c.answered[cmd]++
	if !found {
		c.notFound++
	}
}

func (c *countingRecorder) Reindexed(took time.Duration, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		c.failures++
	} else {
		c.reindexes++
	}
}

func modRequest(m member, name string, opts ...string) Request {
	r := cmd(name, opts...)
	r.User, r.UserName, r.Guild = m.id, m.name, testGuild
	perms, _ := strconv.ParseInt(m.perms, 10, 64)
	r.Member = &Member{Roles: m.roles, Permissions: perms}
	return r
}

// waitQuietly waits, up to a bound, for the fake to have seen a request
// that match accepts. It is for goroutines other than the test's, which
// may not call t.Fatal; a request that never comes fails a later check.
func waitQuietly(fake *discordtest.Server, match func(discordtest.Request) bool) bool {
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		for _, r := range fake.Requests() {
			if match(r) {
				return true
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	return false
}

// newPageServer serves a story as a plain-text web page on 127.0.0.1.
func newPageServer(t testing.TB, text string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte(text))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// openIndexEngine is an engine over a memory index of its own, for tests
// that change the stories (the built-in engine is shared).
func openIndexEngine(t testing.TB) *answer.Engine {
	return storyEngine(t, "harbour.txt", harbourStory)
}
