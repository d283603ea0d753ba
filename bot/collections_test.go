package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storybot/storybot/bot/discordtest"
	"github.com/storybot/storybot/index/answer"
	"github.com/storybot/storybot/index/library"
)

// Two servers and the shared library, each with a story of its own.
const (
	guildA = "300000000000000003" // testGuild, where commands are registered
	guildB = "300000000000000099"
)

const wireStory = `Headline: Central Bank Holds Rates
Source: Test Wire
Date: 2025-01-10
---

"Inflation is easing but not yet beaten," said governor Lena Okafor on Friday.
`

type guildsEnv struct {
	fake  *discordtest.Server
	cdn   *discordtest.Server
	root  string
	lib   *library.Library
	audit *syncBuffer
}

func startGuilds(t *testing.T, q library.Quota) guildsEnv {
	t.Helper()
	env := guildsEnv{root: filepath.Join(t.TempDir(), "corpus"), audit: &syncBuffer{}}
	writeStories(t, env.root, map[string]string{"wire.txt": wireStory})
	writeStories(t, filepath.Join(env.root, "_servers", guildA), map[string]string{"a-harbour.txt": harbourStory})
	writeStories(t, filepath.Join(env.root, "_servers", guildB), map[string]string{"b-lighthouse.txt": lighthouseStory})
	fs, err := library.NewFiles(env.root)
	if err != nil {
		t.Fatal(err)
	}
	env.lib, err = library.Open(context.Background(), library.Config{Store: fs, IndexDir: t.TempDir(), Quota: q})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { env.lib.Close() })
	env.cdn = discordtest.New(t)
	u, _ := url.Parse(env.cdn.URL)
	env.fake = startGateway(t, answer.New(env.lib.Index()), Options{Moderation: Moderation{
		Library: env.lib, Roles: []string{modRole}, AttachmentHosts: []string{u.Host},
		Audit: slog.New(slog.NewJSONHandler(env.audit, nil)),
	}})
	return env
}

// in moves an interaction to a guild, or with guild "" to a DM, where
// Discord sends a user and no member.
func in(guild string) func(id string, p map[string]any) (string, map[string]any) {
	return func(id string, p map[string]any) (string, map[string]any) { return moveTo(guild, id, p) }
}

func moveTo(guild, id string, p map[string]any) (string, map[string]any) {
	if guild == "" {
		delete(p, "guild_id")
		if m, ok := p["member"].(map[string]any); ok {
			p["user"] = m["user"]
		}
		delete(p, "member")
		return id, p
	}
	p["guild_id"] = guild
	return id, p
}

// sender dispatches interactions and returns the JSON of their answers.
func (env guildsEnv) sender(t *testing.T) func(id string, p map[string]any) string {
	return func(id string, p map[string]any) string {
		t.Helper()
		env.fake.Dispatch("INTERACTION_CREATE", p)
		req, _ := answerOf(t, env.fake, id)
		return string(req.Body)
	}
}

func (env guildsEnv) choices(t *testing.T, guild, command, typed string) []string {
	t.Helper()
	id, p := in(guild)(interactionAs(4, adminUser, map[string]any{"id": "9", "name": command, "type": 1, "options": []any{
		map[string]any{"name": "story", "type": 3, "value": typed, "focused": true}}}))
	env.fake.Dispatch("INTERACTION_CREATE", p)
	rp := decodeReply(t, env.fake.WaitFor(callback(id)))
	var out []string
	for _, c := range rp.Data.Choices {
		out = append(out, c["value"].(string))
	}
	return out
}

// interactionAs is an interaction from a member with m's permissions.
func interactionAs(typ int, m member, data map[string]any) (string, map[string]any) {
	id, p := interaction(typ, m.id, data)
	p["member"] = map[string]any{"user": map[string]any{"id": m.id, "username": m.name}, "roles": m.roles, "permissions": m.perms}
	return id, p
}

func TestServersSeeOnlyTheirOwnStoriesAndTheSharedLibrary(t *testing.T) {
	t.Parallel()
	env := startGuilds(t, library.Quota{})
	send := env.sender(t)
	for _, c := range []struct {
		guild    string
		sees     []string
		notSeen  []string
		question map[string]bool // who-said text → answered
	}{
		{guildA, []string{"a-harbour.txt", "wire.txt"}, []string{"b-lighthouse.txt"},
			map[string]bool{"The channel has silted up": true, "The sea was my only clock": false, "Inflation is easing": true}},
		{guildB, []string{"b-lighthouse.txt", "wire.txt"}, []string{"a-harbour.txt"},
			map[string]bool{"The channel has silted up": false, "The sea was my only clock": true, "Inflation is easing": true}},
		{"", []string{"wire.txt"}, []string{"a-harbour.txt", "b-lighthouse.txt"},
			map[string]bool{"The channel has silted up": false, "The sea was my only clock": false, "Inflation is easing": true}},
	} {
		where := c.guild
		if where == "" {
			where = "DM"
		}
		list := send(in(c.guild)(slash("u1", CmdStories)))
		for _, s := range c.sees {
			if !strings.Contains(list, s) {
				t.Errorf("%s: /stories lacks %s: %s", where, s, list)
			}
		}
		got := env.choices(t, c.guild, CmdAsk, "")
		for _, s := range c.notSeen {
			if strings.Contains(list, s) {
				t.Errorf("%s: /stories shows %s", where, s)
			}
			for _, v := range got {
				if v == s {
					t.Errorf("%s: autocomplete offers %s", where, s)
				}
			}
			// Naming another server's story is "unknown", as for a story
			// that does not exist: not even its name is confirmed.
			for _, cmdName := range []string{CmdAsk, CmdQuotes, CmdTimeline, CmdStories} {
				body := send(in(c.guild)(slash("u1", cmdName, "question", "harbour", "story", s)))
				if !strings.Contains(body, "know that story") {
					t.Errorf("%s: /%s story:%s answered %s", where, cmdName, s, body)
				}
			}
		}
		for q, want := range c.question {
			body := send(in(c.guild)(slash("u1", CmdWhoSaid, "quote", q)))
			if got := !strings.Contains(body, "Nothing in the stories matches"); got != want {
				t.Errorf("%s: who said %q answered=%v: %s", where, q, got, body)
			}
		}
		listing := send(in(c.guild)(slash("u1", CmdQuotes)))
		if (strings.Contains(listing, "Pryce")) != (c.guild == guildA) || (strings.Contains(listing, "Morrow")) != (c.guild == guildB) {
			t.Errorf("%s: /quotes shows another server's quotes: %s", where, listing)
		}
	}

	// A button carries a story name, but the scope is always the
	// presser's: pressing A's button in B finds nothing of A's.
	id, p := in(guildA)(slash("u1", CmdAsk, "question", "harbour dredging", "story", "a-harbour.txt"))
	env.fake.Dispatch("INTERACTION_CREATE", p)
	page, ok := (page{Kind: answer.Ask, Offset: 1, Issued: t0, Story: "a-harbour.txt", Question: "harbour dredging"}).encode()
	if !ok {
		t.Fatal("page does not encode")
	}
	answerOf(t, env.fake, id)
	id, p = in(guildB)(interaction(3, "u2", map[string]any{"custom_id": page, "component_type": 2}))
	if body := send(id, p); strings.Contains(body, "Pryce") || strings.Contains(body, "dredging") {
		t.Errorf("a button pressed in B showed A's story: %s", body)
	}

	// A mention in B, and a follow-up that names A's story, see nothing of A's.
	env.fake.Dispatch("MESSAGE_CREATE", map[string]any{
		"id": "610", "channel_id": testChan, "guild_id": guildB,
		"content":  "<@" + discordtest.BotUserID + "> who said the channel has silted up faster than anyone predicted?",
		"author":   map[string]any{"id": "7", "username": "reader"},
		"mentions": []any{map[string]any{"id": discordtest.BotUserID, "username": "StoryBot", "bot": true}},
	})
	req := env.fake.WaitFor(func(r discordtest.Request) bool {
		return r.Method == "POST" && strings.Contains(string(r.Body), `"message_id":"610"`)
	})
	if strings.Contains(string(req.Body), "Pryce") {
		t.Errorf("a mention in B was answered from A: %s", req.Body)
	}
	embeds := []any{map[string]any{"title": "x", "footer": map[string]any{"text": footerStory + "a-harbour.txt"}}}
	env.fake.Dispatch("MESSAGE_CREATE", map[string]any{
		"id": "611", "channel_id": testChan, "guild_id": guildB, "content": "and who said the channel silted up?",
		"author":             map[string]any{"id": "7", "username": "reader"},
		"message_reference":  map[string]any{"message_id": "599", "channel_id": testChan},
		"referenced_message": map[string]any{"id": "599", "channel_id": testChan, "author": map[string]any{"id": discordtest.BotUserID, "bot": true}, "embeds": embeds},
	})
	req = env.fake.WaitFor(func(r discordtest.Request) bool {
		return r.Method == "POST" && strings.Contains(string(r.Body), `"message_id":"611"`)
	})
	if strings.Contains(string(req.Body), "Pryce") {
		t.Errorf("a follow-up in B was answered from A's story: %s", req.Body)
	}
	// The context menu in B checks against B's stories and the shared library only.
	id, p = in(guildB)(interaction(2, "u1", map[string]any{"id": "2", "name": CheckCommand, "type": 3, "target_id": "778",
		"resolved": map[string]any{"messages": map[string]any{"778": map[string]any{
			"id": "778", "channel_id": testChan, "content": "The harbour channel has silted up faster than predicted", "author": map[string]any{"id": "5"},
		}}}}))
	if body := send(id, p); strings.Contains(body, "Pryce") {
		t.Errorf("the context menu in B quoted A: %s", body)
	}
}

func TestAServersModeratorsChangeOnlyTheirServer(t *testing.T) {
	t.Parallel()
	env := startGuilds(t, library.Quota{})
	send := env.sender(t)
	before := listing(t, env.root)
	bIndex := env.lib.Index().Stories(library.Scope(guildB))

	// An Administrator of A can neither remove nor replace B's story or
	// the shared library's; removing by their names finds nothing in A.
	for _, s := range []string{"b-lighthouse.txt", "wire.txt"} {
		body := send(in(guildA)(modCommand(adminUser, CmdRemoveStory, map[string]string{"story": s}, nil)))
		if !strings.Contains(body, "no story") || !strings.Contains(body, "this server") {
			t.Errorf("A removing %s: %s", s, body)
		}
	}
	if got := env.choices(t, guildA, CmdRemoveStory, ""); len(got) != 1 || got[0] != "a-harbour.txt" {
		t.Errorf("/remove-story in A offers %v, want A's own story only", got)
	}
	// A story of the same name added in A is A's own: B still answers
	// from its own text, word for word.
	fake := strings.Replace(lighthouseStory, "The sea was my only clock", "The sea owes me nothing", 1)
	body := send(in(guildA)(modCommand(adminUser, CmdAddStory, nil, map[string]map[string]any{
		"file": attachment(env.cdn, "b-lighthouse.txt", "text/plain", []byte(fake), -1)})))
	if !strings.Contains(body, "Added") {
		t.Fatalf("A's add: %s", body)
	}
	if body := send(in(guildB)(slash("u1", CmdWhoSaid, "quote", "The sea was my only clock"))); !strings.Contains(body, "Morrow") {
		t.Errorf("B lost its story: %s", body)
	}
	// (B's own, true passage may be quoted as the closest: the made-up
	// words never are.)
	var rp reply
	_ = json.Unmarshal([]byte(send(in(guildB)(slash("u1", CmdWhoSaid, "quote", "The sea owes me nothing")))), &rp)
	if len(rp.Data.Embeds) == 0 || strings.Contains(fmt.Sprint(rp.Data.Embeds[0]["description"], rp.Data.Embeds[0]["fields"]), "owes me nothing") {
		t.Errorf("B answers from A's made-up copy: %+v", rp.Data.Embeds)
	}
	// A reindex in A rebuilds A alone.
	id, p := in(guildA)(modCommand(adminUser, CmdReindex, nil, nil))
	env.fake.Dispatch("INTERACTION_CREATE", p)
	waitReply(t, env.fake, id, "Reindexed 2 stories")
	if got := env.lib.Index().Stories(library.Scope(guildB)); len(got) != len(bIndex) || got[0] != bIndex[0] {
		t.Errorf("B's index changed: %+v", got)
	}
	// B's moderator cannot restore what A removed.
	send(in(guildA)(modCommand(adminUser, CmdRemoveStory, map[string]string{"story": "a-harbour.txt"}, nil)))
	if got := env.choices(t, guildB, CmdRestoreStory, ""); len(got) != 0 {
		t.Errorf("B is offered A's removed stories: %v", got)
	}
	if body := send(in(guildB)(modCommand(adminUser, CmdRestoreStory, map[string]string{"story": "a-harbour.txt"}, nil))); !strings.Contains(body, "No removed story") {
		t.Errorf("B restoring A's story: %s", body)
	}
	// Nobody moderates from a DM.
	if body := send(in("")(modCommand(adminUser, CmdReindex, nil, nil))); !strings.Contains(body, "Only moderators") {
		t.Errorf("reindex from a DM: %s", body)
	}
	// Of B's and the shared library's files, nothing changed.
	after := listing(t, env.root)
	for _, part := range strings.Split(before, "\n----\n") {
		if !strings.Contains(part, "_servers/"+guildA) && !strings.Contains(after, part) {
			t.Errorf("a file outside A's folder changed: %s", strings.SplitN(part, "\n", 2)[0])
		}
	}
	var recorded []string
	for _, l := range auditLines(t, env.audit) {
		recorded = append(recorded, l["guild"].(string)+" "+l["action"].(string)+" "+l["result"].(string))
	}
	if !strings.Contains(strings.Join(recorded, "\n"), guildA+" remove-story rejected") {
		t.Errorf("audit %v", recorded)
	}
}

func TestQuotaAndRestoreThroughDiscord(t *testing.T) {
	t.Parallel()
	env := startGuilds(t, library.Quota{Stories: 2, Bytes: 1 << 20})
	send := env.sender(t)
	add := func(name, text string) string {
		return send(in(guildB)(modCommand(permMod, CmdAddStory, nil, map[string]map[string]any{
			"file": attachment(env.cdn, name, "text/plain", []byte(text), -1)})))
	}
	if body := add("second.txt", harbourStory); !strings.Contains(body, "Added") || !strings.Contains(body, "2 of 2 stories") {
		t.Fatalf("second story: %s", body)
	}
	body := add("third.txt", wireStory)
	if !strings.Contains(body, "limit of 2 stories") || !strings.Contains(body, "holds 2") || !strings.Contains(body, `"flags":64`) {
		t.Errorf("over quota: %s", body)
	}
	// A removed story is offered for restoring, and comes back.
	send(in(guildB)(modCommand(permMod, CmdRemoveStory, map[string]string{"story": "b-lighthouse.txt"}, nil)))
	if body := send(in(guildB)(slash("u1", CmdWhoSaid, "quote", "The sea was my only clock"))); strings.Contains(body, "Morrow") {
		t.Fatalf("removed story still answers: %s", body)
	}
	keys := env.choices(t, guildB, CmdRestoreStory, "b-light")
	if len(keys) != 1 {
		t.Fatalf("restore choices %v", keys)
	}
	if body := send(in(guildB)(modCommand(permMod, CmdRestoreStory, map[string]string{"story": keys[0]}, nil))); !strings.Contains(body, "Restored `b-lighthouse.txt`") {
		t.Fatalf("restore: %s", body)
	}
	if body := send(in(guildB)(slash("u1", CmdWhoSaid, "quote", "The sea was my only clock"))); !strings.Contains(body, "Morrow") {
		t.Errorf("restored story does not answer: %s", body)
	}
	// /stories tells the server how full it is.
	var rp reply
	_ = json.Unmarshal([]byte(send(in(guildB)(slash("u1", CmdStories)))), &rp)
	if len(rp.Data.Embeds) == 0 || !strings.Contains(rp.Data.Embeds[0]["footer"].(map[string]any)["text"].(string), "2 of 2") {
		t.Errorf("/stories footer %+v", rp.Data.Embeds)
	}
}

// The autocomplete of a moderator command lists what only moderators may
// see (removed stories, followed feeds): a member who is not one gets
// nothing, even where a server shows the command to everyone.
func TestModeratorAutocompleteIsForModerators(t *testing.T) {
	t.Parallel()
	env := startGuilds(t, library.Quota{})
	send := env.sender(t)
	send(in(guildA)(modCommand(adminUser, CmdRemoveStory, map[string]string{"story": "a-harbour.txt"}, nil)))
	choices := func(m member, command string) int {
		id, p := in(guildA)(interactionAs(4, m, map[string]any{"id": "9", "name": command, "type": 1, "options": []any{
			map[string]any{"name": "story", "type": 3, "value": "", "focused": true}}}))
		env.fake.Dispatch("INTERACTION_CREATE", p)
		return len(decodeReply(t, env.fake.WaitFor(callback(id))).Data.Choices)
	}
	if n := choices(adminUser, CmdRestoreStory); n != 1 {
		t.Fatalf("a moderator is offered %d removed stories", n)
	}
	for _, command := range []string{CmdRestoreStory, CmdRemoveStory} {
		if n := choices(reader, command); n != 0 {
			t.Errorf("a member who is not a moderator is offered %d choices for /%s", n, command)
		}
	}
	if n := choices(reader, CmdAsk); n == 0 {
		t.Error("the questions' autocomplete stopped working for members")
	}
}
