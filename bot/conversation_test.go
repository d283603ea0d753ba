package bot

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/storybot/storybot/bot/discordtest"
	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index/answer"
	"github.com/storybot/storybot/index/library"
)

// convEnv is a bot over the built-in story kept in a corpus directory, so
// that votes and channel settings are kept (in its files).
type convEnv struct {
	fake *discordtest.Server
	lib  *library.Library
}

func startConversation(t *testing.T, o Options) convEnv {
	t.Helper()
	root := filepath.Join(t.TempDir(), "corpus")
	files := map[string]string{}
	for _, st := range corpus.Builtin() {
		files[st.ID] = builtinText(t, st.ID)
	}
	writeStories(t, root, files)
	lib := openLibrary(t, root)
	o.Moderation.Library, o.Moderation.Roles = lib, []string{modRole}
	return convEnv{fake: startGateway(t, answer.New(lib.Index()), o), lib: lib}
}

func builtinText(t *testing.T, id string) string {
	t.Helper()
	st, _, err := library.NewBuiltin().Read(context.Background(), "shared", id)
	if err != nil {
		t.Fatal(err)
	}
	return string(st)
}

// logsOf is the log of the bot that startGateway runs against fake.
func logsOf(fake *discordtest.Server) *syncBuffer {
	l, _ := gatewayLogs.Load(fake)
	return l.(*syncBuffer)
}

func waitLogLine(t *testing.T, fake *discordtest.Server, want string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(logsOf(fake).String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("the log never said %q:\n%s", want, logsOf(fake).String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// buttons are the buttons of a sent message, by label or emoji.
func buttons(t *testing.T, rp reply) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, row := range rp.Data.Components {
		for _, c := range row["components"].([]any) {
			b := c.(map[string]any)
			label, _ := b["label"].(string)
			if e, ok := b["emoji"].(map[string]any); ok {
				label, _ = e["name"].(string)
			}
			out[label], _ = b["custom_id"].(string)
		}
	}
	return out
}

// pressOn builds the press of a button on a message the bot sent, with
// the message as Discord includes it.
func pressOn(user, customID, messageID string, embeds []map[string]any) (string, map[string]any) {
	return interaction(3, user, map[string]any{"custom_id": customID, "component_type": 2}, withMessage(messageID, embeds))
}

func withMessage(id string, embeds []map[string]any) func(map[string]any) {
	return func(p map[string]any) {
		p["message"] = map[string]any{"id": id, "channel_id": testChan, "embeds": embeds,
			"author": map[string]any{"id": discordtest.BotUserID, "bot": true}}
	}
}

func exchangeOf(fake *discordtest.Server, id string) discordtest.Exchange {
	return fake.Exchange("tok" + id)
}

// TestRegistrationPayload checks every command in the bulk overwrite says
// where it may be installed and used: the question commands for servers
// and users, in servers, DMs and private channels; the moderators' only in
// servers that installed the bot. A guild's overwrite, for testing, says
// what a guild command is: installed and used there.
func TestRegistrationPayload(t *testing.T) {
	t.Parallel()
	type cmd struct {
		Name             string `json:"name"`
		Type             int    `json:"type"`
		IntegrationTypes *[]int `json:"integration_types"`
		Contexts         *[]int `json:"contexts"`
	}
	decode := func(body []byte) []cmd {
		var cmds []cmd
		if err := json.Unmarshal(body, &cmds); err != nil {
			t.Fatal(err)
		}
		return cmds
	}
	// Global: no DISCORD_GUILD_ID.
	fake := discordtest.New(t)
	b := New(builtinEngine(t), Options{Log: quietLog()})
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- b.RunGateway(ctx, Connection{Token: testToken, APIBase: fake.URL}) }()
	t.Cleanup(func() { cancel(); <-errc })
	global := fake.WaitFor(discordtest.Route("PUT", "/applications/"+discordtest.BotUserID+"/commands"))
	names := map[string]bool{}
	for _, c := range decode(global.Body) {
		names[c.Name] = true
		if c.IntegrationTypes == nil || c.Contexts == nil {
			t.Errorf("/%s does not set integration_types and contexts", c.Name)
			continue
		}
		it, ctxs := fmt.Sprint(*c.IntegrationTypes), fmt.Sprint(*c.Contexts)
		if moderatorCommand[c.Name] {
			if it != "[0]" || ctxs != "[0]" {
				t.Errorf("moderator command /%s: integration_types %s, contexts %s; want [0] and [0]", c.Name, it, ctxs)
			}
		} else if it != "[0 1]" || ctxs != "[0 1 2]" {
			t.Errorf("question command %s: integration_types %s, contexts %s; want [0 1] and [0 1 2]", c.Name, it, ctxs)
		}
	}
	for _, want := range []string{CmdAsk, CmdWhoSaid, CmdWhen, CmdQuotes, CmdTimeline, CmdStories, CheckCommand, cmdHelp, CmdSettings, CmdAddStory} {
		if !names[want] {
			t.Errorf("%s is not registered", want)
		}
	}
	var ident struct {
		Intents int `json:"intents"`
	}
	_ = json.Unmarshal(fake.WaitReady(), &ident)
	if ident.Intents&int(discordgo.IntentMessageContent) != 0 {
		t.Errorf("asked for Message Content without being told to: intents %d", ident.Intents)
	}
	if want := discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages; ident.Intents&int(want) != int(want) {
		t.Errorf("intents %d lack guilds, guild messages or direct messages", ident.Intents)
	}

	// A guild's overwrite, with the Message Content intent turned on.
	fake2 := discordtest.New(t)
	ctx2, cancel2 := context.WithCancel(context.Background())
	errc2 := make(chan error, 1)
	go func() {
		errc2 <- New(builtinEngine(t), Options{Log: quietLog()}).RunGateway(ctx2,
			Connection{Token: testToken, APIBase: fake2.URL, GuildID: testGuild, MessageContent: true})
	}()
	t.Cleanup(func() { cancel2(); <-errc2 })
	guild := fake2.WaitFor(discordtest.Route("PUT", "/guilds/"+testGuild+"/commands"))
	for _, c := range decode(guild.Body) {
		if c.IntegrationTypes == nil || c.Contexts == nil || fmt.Sprint(*c.IntegrationTypes) != "[0]" || fmt.Sprint(*c.Contexts) != "[0]" {
			t.Errorf("guild command /%s: integration_types %v, contexts %v; want [0] and [0]", c.Name, c.IntegrationTypes, c.Contexts)
		}
	}
	_ = json.Unmarshal(fake2.WaitReady(), &ident)
	if ident.Intents&int(discordgo.IntentMessageContent) == 0 {
		t.Errorf("Message Content turned on but not asked for: intents %d", ident.Intents)
	}
}

// TestHelpEveryCommandWithAWorkingExample: /help names every command the
// bot registers, privately, and every example it shows answers on the
// built-in story; a bare mention gets the same help in the channel.
func TestHelpEveryCommandWithAWorkingExample(t *testing.T) {
	t.Parallel()
	fake := startGateway(t, builtinEngine(t), Options{})
	id, p := slash("u1", cmdHelp)
	fake.Dispatch("INTERACTION_CREATE", p)
	req, rp := answerOf(t, fake, id)
	assertNoPings(t, req.Body)
	assertEmbedLimits(t, rp.Data.Embeds)
	if rp.Data.Flags != 64 || len(rp.Data.Embeds) != 1 {
		t.Fatalf("/help: %s", req.Body)
	}
	text := string(req.Body)
	for _, c := range Commands() {
		if !strings.Contains(text, c.Name) {
			t.Errorf("/help does not mention %s", c.Name)
		}
	}
	b := newTestBot(t, Options{})
	for _, topic := range HelpTopics() {
		if topic.Example == nil || topic.Command == cmdHelp {
			continue
		}
		if !strings.Contains(text, codeSafe(topic.Usage())) {
			t.Errorf("/help lacks the example %q", topic.Usage())
		}
		r := cmd(topic.Command)
		for k, v := range topic.Example {
			r.Options[k] = v
		}
		resp := b.Handle(context.Background(), r)
		if resp.Failure != "" || resp.NoAnswer || len(resp.Embeds) != 1 || strings.Contains(resp.Embeds[0].Description, "No ") {
			t.Errorf("the example %q does not answer on the built-in story: %+v", topic.Usage(), resp)
		}
	}
	fake.Dispatch("MESSAGE_CREATE", map[string]any{
		"id": "640", "channel_id": testChan, "guild_id": testGuild, "content": "<@" + discordtest.BotUserID + ">",
		"author": map[string]any{"id": "7"}, "mentions": []any{map[string]any{"id": discordtest.BotUserID}},
	})
	m := fake.WaitFor(func(r discordtest.Request) bool {
		return r.Method == "POST" && strings.Contains(string(r.Body), `"message_id":"640"`)
	})
	if !strings.Contains(string(m.Body), "What I can do") || !strings.Contains(string(m.Body), "/who-said") {
		t.Errorf("a bare mention: %s", m.Body)
	}
}

// TestPagingUpdatesTheMessageInPlace presses Next and Previous on an
// answer: Discord gets an update of that message (type 7), or, when the
// page is slow, a deferred update (type 6) and an edit of the message;
// an expired button gets a private note and leaves the message alone.
func TestPagingUpdatesTheMessageInPlace(t *testing.T) {
	t.Parallel()
	release, releaseLate := make(chan struct{}), make(chan struct{})
	slowPages := func(next Handler) Handler {
		return func(ctx context.Context, r Request) (Response, error) {
			switch {
			case r.Type == Component && r.User == "slow":
				<-release
			case r.Type == Component && r.User == "slow-late":
				<-releaseLate
			}
			return next(ctx, r)
		}
	}
	fake := startGateway(t, builtinEngine(t), Options{Middleware: []Middleware{slowPages}, DeferAfter: 3 * time.Second})
	id, p := slash("u1", "ask", "question", "Ukraine")
	fake.Dispatch("INTERACTION_CREATE", p)
	_, first := answerOf(t, fake, id)
	next := buttons(t, first)["Next"]
	if next == "" || buttons(t, first)["Previous"] != "" {
		t.Fatalf("the first page's buttons: %v", buttons(t, first))
	}
	id2, p2 := pressOn("u2", next, "900", first.Data.Embeds)
	fake.Dispatch("INTERACTION_CREATE", p2)
	rp := decodeReply(t, fake.WaitFor(callback(id2)))
	if rp.Type != 7 || rp.Data.Flags != 0 || len(rp.Data.Embeds) != 1 || !strings.HasPrefix(rp.Data.Embeds[0]["title"].(string), "More passages (from 4)") {
		t.Fatalf("Next: %+v", rp)
	}
	if x := exchangeOf(fake, id2); x.Original == nil || len(x.Followups) != 0 {
		t.Fatalf("Next left %+v", x)
	}
	prev := buttons(t, rp)["Previous"]
	if prev == "" {
		t.Fatalf("page 2 has no Previous: %v", buttons(t, rp))
	}

	// Slow: a deferred update, then the message edited.
	id3, p3 := pressOn("slow", prev, "900", rp.Data.Embeds)
	fake.Dispatch("INTERACTION_CREATE", p3)
	if d := decodeReply(t, fake.WaitFor(callback(id3))); d.Type != 6 {
		t.Fatalf("a slow page was deferred as %d, want 6", d.Type)
	}
	close(release)
	edit := fake.WaitFor(discordtest.Route("PATCH", "/webhooks/"+discordtest.AppID+"/tok"+id3+"/messages/@original"))
	assertNoPings(t, edit.Body)
	var e struct {
		Embeds []map[string]any `json:"embeds"`
	}
	_ = json.Unmarshal(edit.Body, &e)
	if len(e.Embeds) != 1 || e.Embeds[0]["description"] != first.Data.Embeds[0]["description"] {
		t.Fatalf("Previous did not bring back page 1: %s", edit.Body)
	}

	// Expired: a private note; the message is not touched.
	pg, err := decodePage(next)
	if err != nil {
		t.Fatal(err)
	}
	pg.Issued = time.Now().Add(-ButtonLifetime - time.Minute)
	stale, _ := pg.encode()
	id4, p4 := pressOn("u3", stale, "900", first.Data.Embeds)
	fake.Dispatch("INTERACTION_CREATE", p4)
	late := decodeReply(t, fake.WaitFor(callback(id4)))
	if late.Type != 4 || late.Data.Flags != 64 || !strings.Contains(late.Data.Content, "expired") {
		t.Fatalf("an expired page: %+v", late)
	}

	// Expired and slow: the update was deferred, so the note follows
	// privately and the message keeps its page.
	id5, p5 := pressOn("slow-late", stale, "900", first.Data.Embeds)
	fake.Dispatch("INTERACTION_CREATE", p5)
	if d := decodeReply(t, fake.WaitFor(callback(id5))); d.Type != 6 {
		t.Fatalf("deferred as %d, want 6", d.Type)
	}
	close(releaseLate)
	fake.WaitFor(discordtest.Route("POST", "/webhooks/"+discordtest.AppID+"/tok"+id5))
	x := exchangeOf(fake, id5)
	if len(x.Followups) != 1 || !x.Followups[0].Private || !strings.Contains(x.Followups[0].Body["content"].(string), "expired") || x.Original != nil {
		t.Fatalf("an expired page after a deferred update: %+v", x)
	}
}

// TestVotesAreKeptWithTheAnswer: 👍 is kept at once; 👎 opens a form,
// and its submission is kept with the reason; both with the question, the
// answer and the passages, in the server's collection; a vote changed by
// the same user replaces theirs.
func TestVotesAreKeptWithTheAnswer(t *testing.T) {
	t.Parallel()
	env := startConversation(t, Options{})
	fake := env.fake
	q := "What did the ministry urge citizens to make?"
	id, p := slash("u1", "ask", "question", q)
	fake.Dispatch("INTERACTION_CREATE", p)
	_, rp := answerOf(t, fake, id)
	bs := buttons(t, rp)
	if bs["👍"] == "" || bs["👎"] == "" {
		t.Fatalf("no vote buttons: %v", bs)
	}
	msg := "910000000000000001"

	idUp, pUp := pressOn("800000000000000001", bs["👍"], msg, rp.Data.Embeds)
	fake.Dispatch("INTERACTION_CREATE", pUp)
	_, up := answerOf(t, fake, idUp)
	if up.Data.Flags != 64 || !strings.Contains(up.Data.Content, "👍") {
		t.Fatalf("👍: %+v", up)
	}

	idDown, pDown := pressOn("800000000000000002", bs["👎"], msg, rp.Data.Embeds)
	fake.Dispatch("INTERACTION_CREATE", pDown)
	form := decodeReply(t, fake.WaitFor(func(r discordtest.Request) bool { return callback(idDown)(r) && r.Status == 204 }))
	x := exchangeOf(fake, idDown)
	if form.Type != 9 || x.Form == nil {
		t.Fatalf("👎 opened no form: %+v", form)
	}
	formID, _ := x.Form["custom_id"].(string)
	idWhy, pWhy := interaction(5, "800000000000000002", map[string]any{"custom_id": formID, "components": []any{
		map[string]any{"type": 1, "components": []any{map[string]any{"type": 4, "custom_id": reasonField, "value": "It names the wrong thing"}}},
	}}, withMessage(msg, rp.Data.Embeds))
	fake.Dispatch("INTERACTION_CREATE", pWhy)
	_, why := answerOf(t, fake, idWhy)
	if why.Data.Flags != 64 || !strings.Contains(why.Data.Content, "with your reason") {
		t.Fatalf("the form's answer: %+v", why)
	}

	// The first voter changes their mind.
	idAgain, pAgain := pressOn("800000000000000001", bs["👎"], msg, rp.Data.Embeds)
	fake.Dispatch("INTERACTION_CREATE", pAgain)
	fake.WaitFor(func(r discordtest.Request) bool { return callback(idAgain)(r) && r.Status == 204 })
	idWhy2, pWhy2 := interaction(5, "800000000000000001", map[string]any{"custom_id": formID, "components": []any{
		map[string]any{"type": 1, "components": []any{map[string]any{"type": 4, "custom_id": reasonField, "value": ""}}},
	}}, withMessage(msg, rp.Data.Embeds))
	fake.Dispatch("INTERACTION_CREATE", pWhy2)
	answerOf(t, fake, idWhy2)

	votes, err := env.lib.Feedback(context.Background(), testGuild)
	if err != nil {
		t.Fatal(err)
	}
	if len(votes) != 2 {
		t.Fatalf("%d votes kept, want 2: %+v", len(votes), votes)
	}
	sort.Slice(votes, func(i, j int) bool { return votes[i].User < votes[j].User })
	first, second := votes[0], votes[1]
	if first.Vote != library.VoteDown || first.Reason != "" || second.Vote != library.VoteDown || second.Reason != "It names the wrong thing" {
		t.Errorf("votes %+v, %+v", first, second)
	}
	// The vote keeps the answer the asker saw: the same engine's answer.
	shown, err := answer.New(env.lib.Index()).Answer(context.Background(), answer.Request{Kind: answer.Ask, Question: q, Scope: library.Scope(testGuild), N: PageSize})
	if err != nil || len(shown.Passages) == 0 {
		t.Fatalf("%+v %v", shown, err)
	}
	for _, v := range votes {
		if v.Question != q || v.Kind != "ask" || v.Message != msg || v.Channel != testChan || v.Collection != testGuild ||
			v.Answer != shown.Answer || len(v.Passages) == 0 || v.Passages[0].Text != shown.Passages[0].Text {
			t.Errorf("a vote without its question, answer or passages: %+v", v)
		}
	}
}

// TestChannelSettings: a moderator turns mentions off, threads on and
// private answers on for one channel; then a plain question there is
// answered privately, one with private:false opens a thread, and mentions
// there are not answered, while another channel keeps the defaults. A
// member who is not a moderator cannot change them.
func TestChannelSettings(t *testing.T) {
	t.Parallel()
	env := startConversation(t, Options{})
	fake := env.fake
	refused, p := modCommand(reader, CmdSettings, map[string]string{"private": "true"}, nil)
	fake.Dispatch("INTERACTION_CREATE", p)
	waitReply(t, fake, refused, "Only moderators")

	set, p := modCommand(permMod, CmdSettings, nil, nil)
	p["data"].(map[string]any)["options"] = []any{
		map[string]any{"name": "mentions", "type": 5, "value": false},
		map[string]any{"name": "thread", "type": 5, "value": true},
		map[string]any{"name": "private", "type": 5, "value": true},
	}
	fake.Dispatch("INTERACTION_CREATE", p)
	body := waitReply(t, fake, set, "Saved")
	if !strings.Contains(body, "mentions of me (and replies to my answers): **no**") || !strings.Contains(body, "new thread, so that follow-ups stay together: **yes**") {
		t.Fatalf("/settings: %s", body)
	}
	s, err := env.lib.ChannelSettings(context.Background(), testGuild, testChan)
	if err != nil || !s.NoMentions || !s.Thread || !s.Private || !strings.Contains(s.By, permMod.id) {
		t.Fatalf("kept %+v, %v", s, err)
	}

	id, p := slash("u1", "who-said", "quote", "dialogue and peaceful means")
	fake.Dispatch("INTERACTION_CREATE", p)
	if _, rp := answerOf(t, fake, id); rp.Data.Flags != 64 {
		t.Errorf("a private-by-default channel answered in public: %+v", rp)
	}
	id, p = slash("u2", "who-said", "quote", "dialogue and peaceful means", "private", false)
	fake.Dispatch("INTERACTION_CREATE", p)
	if _, rp := answerOf(t, fake, id); rp.Data.Flags != 0 {
		t.Errorf("private:false answered privately: %+v", rp)
	}
	th := waitThread(t, fake)
	if th.Parent != testChan || th.Name != "dialogue and peaceful means" {
		t.Errorf("thread %+v", th)
	}

	mention := func(msgID, channel string) map[string]any {
		return map[string]any{"id": msgID, "channel_id": channel, "guild_id": testGuild,
			"content": "<@" + discordtest.BotUserID + "> who said dialogue and peaceful means?", "author": map[string]any{"id": "7"},
			"mentions": []any{map[string]any{"id": discordtest.BotUserID}}}
	}
	fake.Dispatch("MESSAGE_CREATE", mention("650", testChan))
	waitLogLine(t, fake, "mentions off")
	const other = "400000000000000044"
	fake.Dispatch("MESSAGE_CREATE", mention("651", other))
	fake.WaitFor(func(r discordtest.Request) bool { return strings.Contains(string(r.Body), `"message_id":"651"`) })
	for _, r := range fake.Requests() {
		if strings.Contains(string(r.Body), `"message_id":"650"`) || strings.Contains(r.Path, "/650/") {
			t.Errorf("a mention was answered in a channel with mentions off: %s %s", r.Path, r.Body)
		}
	}
}

func waitThread(t *testing.T, fake *discordtest.Server) discordtest.Thread {
	t.Helper()
	fake.WaitFor(func(r discordtest.Request) bool { return r.Method == "POST" && strings.HasSuffix(r.Path, "/threads") })
	ths := fake.Threads()
	if len(ths) == 0 {
		t.Fatal("no thread")
	}
	return ths[len(ths)-1]
}

// TestAskInAThread: /ask thread:true opens a thread on the answer, named
// after the question; inside a thread, where none can be opened, the
// asker is told privately and the answer stays where it is; a mention in a
// channel in thread mode is answered inside a thread on the question.
func TestAskInAThread(t *testing.T) {
	t.Parallel()
	env := startConversation(t, Options{})
	fake := env.fake
	id, p := slash("u1", "when", "event", "Putin authorized a special military operation", "thread", true)
	fake.Dispatch("INTERACTION_CREATE", p)
	answerOf(t, fake, id)
	th := waitThread(t, fake)
	x := exchangeOf(fake, id)
	if x.Original == nil || th.Parent != testChan || th.Name != "Putin authorized a special military operation" {
		t.Fatalf("thread %+v on %+v", th, x)
	}
	orig := fake.WaitFor(discordtest.Route("GET", "/webhooks/"+discordtest.AppID+"/tok"+id+"/messages/@original"))
	if orig.Status != 200 {
		t.Fatalf("GET @original: %d", orig.Status)
	}

	const inThread = "400000000000000055"
	fake.MarkThread(inThread)
	id, p = slash("u1", "when", "event", "Putin authorized a special military operation", "thread", true)
	p["channel_id"] = inThread
	fake.Dispatch("INTERACTION_CREATE", p)
	answerOf(t, fake, id)
	fake.WaitFor(discordtest.Route("POST", "/webhooks/"+discordtest.AppID+"/tok"+id))
	x = exchangeOf(fake, id)
	if len(x.Followups) != 1 || !x.Followups[0].Private || !strings.Contains(x.Followups[0].Body["content"].(string), "inside a thread") || x.Original == nil {
		t.Fatalf("in a thread: %+v", x)
	}

	// Thread mode for the channel, then a mention.
	if err := env.lib.SetChannelSettings(context.Background(), testGuild, "400000000000000066", library.ChannelSettings{Thread: true}); err != nil {
		t.Fatal(err)
	}
	fake.Dispatch("MESSAGE_CREATE", map[string]any{
		"id": "660", "channel_id": "400000000000000066", "guild_id": testGuild,
		"content": "<@" + discordtest.BotUserID + "> who said dialogue and peaceful means?", "author": map[string]any{"id": "7"},
		"mentions": []any{map[string]any{"id": discordtest.BotUserID}},
	})
	fake.WaitFor(func(r discordtest.Request) bool { return strings.HasSuffix(r.Path, "/messages/660/threads") })
	var mth discordtest.Thread
	for _, t := range fake.Threads() {
		if t.Message == "660" {
			mth = t
		}
	}
	ans := fake.WaitFor(discordtest.Route("POST", "/channels/"+mth.ID+"/messages"))
	if !strings.Contains(string(ans.Body), "Balkhi") || strings.Contains(string(ans.Body), "message_reference") {
		t.Fatalf("the answer in the thread: %s", ans.Body)
	}
	assertNoPings(t, ans.Body)

	// The thread opens, but the answer may not be sent in it (threads are
	// IDs the fake hands out, from 2…; channels are 4…): it goes to the
	// channel, as a reply to the question.
	fake.Fail("POST /channels/2", http.StatusForbidden, 1)
	fake.Dispatch("MESSAGE_CREATE", map[string]any{
		"id": "670", "channel_id": "400000000000000066", "guild_id": testGuild,
		"content": "<@" + discordtest.BotUserID + "> who said dialogue and peaceful means?", "author": map[string]any{"id": "8"},
		"mentions": []any{map[string]any{"id": discordtest.BotUserID}},
	})
	ans = fake.WaitFor(func(r discordtest.Request) bool {
		return r.Method == "POST" && r.Path == "/channels/400000000000000066/messages" && strings.Contains(string(r.Body), `"message_id":"670"`)
	})
	if ans.Status != 200 || !strings.Contains(string(ans.Body), "Balkhi") {
		t.Fatalf("the answer after the thread refused it: %d %s", ans.Status, ans.Body)
	}
	assertNoPings(t, ans.Body)
}

// TestRoleMentionsAndDirectMessages: a mention of the bot's own role is a
// mention of the bot; a direct message needs none and reads the shared
// library; a role mention whose text Discord withheld gets a note.
func TestRoleMentionsAndDirectMessages(t *testing.T) {
	t.Parallel()
	fake := startGateway(t, builtinEngine(t), Options{})
	const botRole, otherRole = "700000000000000099", "700000000000000098"
	fake.Dispatch("GUILD_CREATE", map[string]any{"id": testGuild, "name": "test", "roles": []any{
		map[string]any{"id": otherRole, "name": "news", "managed": false},
		map[string]any{"id": botRole, "name": "StoryBot", "managed": true, "tags": map[string]any{"bot_id": discordtest.BotUserID}},
	}})
	roleMsg := func(id, role, content string) map[string]any {
		return map[string]any{"id": id, "channel_id": testChan, "guild_id": testGuild, "content": content,
			"author": map[string]any{"id": "7"}, "mention_roles": []any{role}}
	}
	// GUILD_CREATE and MESSAGE_CREATE are handled concurrently; wait
	// until the role is known.
	deadline := time.Now().Add(20 * time.Second)
	for fakeRole(fake) != botRole {
		if time.Now().After(deadline) {
			t.Fatal("the bot's role was never learnt")
		}
		time.Sleep(5 * time.Millisecond)
	}
	fake.Dispatch("MESSAGE_CREATE", roleMsg("670", botRole, "<@&"+botRole+"> who said dialogue and peaceful means?"))
	r := fake.WaitFor(func(r discordtest.Request) bool { return strings.Contains(string(r.Body), `"message_id":"670"`) })
	if !strings.Contains(string(r.Body), "Balkhi") {
		t.Fatalf("a role mention: %s", r.Body)
	}
	fake.Dispatch("MESSAGE_CREATE", roleMsg("671", botRole, ""))
	r = fake.WaitFor(func(r discordtest.Request) bool { return strings.Contains(string(r.Body), `"message_id":"671"`) })
	if !strings.Contains(string(r.Body), "couldn't read your message") {
		t.Fatalf("a role mention without its text: %s", r.Body)
	}

	const dm = "400000000000000077"
	fake.Dispatch("MESSAGE_CREATE", map[string]any{"id": "680", "channel_id": dm, "content": "who said dialogue and peaceful means?",
		"author": map[string]any{"id": "7"}})
	r = fake.WaitFor(discordtest.Route("POST", "/channels/"+dm+"/messages"))
	if !strings.Contains(string(r.Body), "Balkhi") || !strings.Contains(string(r.Body), `"message_id":"680"`) {
		t.Fatalf("a direct message: %s", r.Body)
	}
	assertNoPings(t, r.Body)
}

// fakeRole is the role the bot behind fake knows as its own in testGuild.
func fakeRole(fake *discordtest.Server) string {
	var role string
	botsByFake.Range(func(k, v any) bool {
		if k == fake {
			role = v.(*Bot).roles.of(testGuild)
		}
		return true
	})
	return role
}

// TestMessageOfRoles: only the bot's own role counts.
func TestMessageOfRoles(t *testing.T) {
	m := &discordgo.Message{ID: "1", ChannelID: "2", GuildID: "3", Content: "<@&9> who?", Author: &discordgo.User{ID: "7"}, MentionRoles: []string{"9"}}
	if !messageOf(m, "100", "9").MentionsBot {
		t.Error("the bot's role is not a mention")
	}
	if messageOf(m, "100", "8").MentionsBot || messageOf(m, "100", "").MentionsBot {
		t.Error("another role counts as a mention of the bot")
	}
	if r, ok := MentionRequest(messageOf(m, "100", "9"), "100"); !ok || r.Option("question") != "who?" {
		t.Errorf("%+v %v", r, ok)
	}
	dm := &discordgo.Message{ID: "1", ChannelID: "2", Content: "when did it happen?", Author: &discordgo.User{ID: "7"}}
	if r, ok := MentionRequest(messageOf(dm, "100", ""), "100"); !ok || r.Command != CmdWhen || r.Guild != "" {
		t.Errorf("a direct message: %+v %v", r, ok)
	}
	dm.Content = ""
	if _, ok := MentionRequest(messageOf(dm, "100", ""), "100"); ok {
		t.Error("an empty direct message (a file alone) was answered")
	}
	inGuild := &discordgo.Message{ID: "1", ChannelID: "2", GuildID: "3", Content: "when did it happen?", Author: &discordgo.User{ID: "7"}}
	if _, ok := MentionRequest(messageOf(inGuild, "100", "9"), "100"); ok {
		t.Error("a plain message in a server was answered")
	}
}

// TestErrorsAfterAPublicDeferralArePrivate: when an answer deferred in
// public ends in an error, the channel is not shown the error: the
// placeholder is resolved, the error goes to the asker alone as a
// follow-up, and the placeholder is deleted.
func TestErrorsAfterAPublicDeferralArePrivate(t *testing.T) {
	t.Parallel()
	failSlowly := func(next Handler) Handler {
		return func(ctx context.Context, r Request) (Response, error) {
			if r.Option("question") == "fail slowly" {
				time.Sleep(50 * time.Millisecond)
				return Response{}, UserError{"That went wrong, privately."}
			}
			return next(ctx, r)
		}
	}
	for _, mode := range []string{"gateway", "http"} {
		t.Run(mode, func(t *testing.T) {
			o := Options{Middleware: []Middleware{failSlowly}, DeferAfter: time.Millisecond}
			var fake *discordtest.Server
			var post func(p map[string]any)
			if mode == "gateway" {
				fake = startGateway(t, builtinEngine(t), o)
				post = func(p map[string]any) { fake.Dispatch("INTERACTION_CREATE", p) }
			} else {
				rig := newHTTPRig(t, o)
				fake = rig.fake
				post = func(p map[string]any) {
					body, _ := json.Marshal(p)
					go signedPost(rig, body)
				}
			}
			id, p := slash("u1", "ask", "question", "fail slowly")
			post(p)
			fake.WaitFor(discordtest.Route("DELETE", "/webhooks/"+discordtest.AppID+"/tok"+id+"/messages/@original"))
			x := exchangeOf(fake, id)
			if x.Response != 5 || x.Private {
				t.Fatalf("not deferred in public: %+v", x)
			}
			if len(x.Followups) != 1 || !x.Followups[0].Private || x.Followups[0].ReplacedOriginal ||
				x.Followups[0].Body["content"] != "That went wrong, privately." {
				t.Fatalf("the error was not sent to the asker alone: %+v", x.Followups)
			}
			if !x.Deleted || x.Original != nil {
				t.Fatalf("the placeholder stays in the channel: %+v", x)
			}
			for _, r := range fake.Requests() {
				if r.Method == "PATCH" && strings.Contains(string(r.Body), "went wrong") {
					t.Errorf("the error was edited into the public message: %s", r.Body)
				}
			}
		})
	}
}

// TestUserInstalledAppAnswersPrivatelyWhereDiscordRequires: in a server
// that did not install the bot, a member without Use External Apps gets
// answers only they see, and no thread.
func TestUserInstalledAppAnswersPrivatelyWhereDiscordRequires(t *testing.T) {
	t.Parallel()
	fake := startGateway(t, builtinEngine(t), Options{})
	userInstalled := func(perms string) (string, map[string]any) {
		id, p := slash("u1", "who-said", "quote", "dialogue and peaceful means", "thread", true)
		p["authorizing_integration_owners"] = map[string]any{"1": "u1"}
		p["context"] = 0
		p["member"].(map[string]any)["permissions"] = perms
		return id, p
	}
	id, p := userInstalled("3072") // view and send, not Use External Apps
	fake.Dispatch("INTERACTION_CREATE", p)
	if _, rp := answerOf(t, fake, id); rp.Data.Flags != 64 || len(rp.Data.Embeds) != 1 {
		t.Fatalf("without Use External Apps: %+v", rp)
	}
	id, p = userInstalled(fmt.Sprint(int64(3072) | permissionUseExternalApps))
	fake.Dispatch("INTERACTION_CREATE", p)
	if _, rp := answerOf(t, fake, id); rp.Data.Flags != 0 || len(rp.Data.Embeds) != 1 {
		t.Fatalf("with Use External Apps: %+v", rp)
	}
	// A DM with the bot, from a user install.
	id, p = slash("u1", "who-said", "quote", "dialogue and peaceful means")
	_, p = moveTo("", id, p)
	p["authorizing_integration_owners"] = map[string]any{"1": "u1"}
	p["context"] = 1
	fake.Dispatch("INTERACTION_CREATE", p)
	if _, rp := answerOf(t, fake, id); len(rp.Data.Embeds) != 1 || !strings.Contains(fmt.Sprint(rp.Data.Embeds), "Balkhi") {
		t.Fatalf("in a DM: %+v", rp)
	}
	if n := len(fake.Threads()); n != 0 {
		t.Errorf("%d threads opened where the bot is not installed", n)
	}
}

// signedPost posts a signed interaction from a goroutine of its own; what
// the bot sends in reply is what the test looks at.
func signedPost(rig *httpRig, body []byte) {
	stamp := fmt.Sprint(time.Now().Unix())
	req, _ := http.NewRequest("POST", rig.srv.URL+"/interactions", bytes.NewReader(body))
	req.Header.Set("X-Signature-Timestamp", stamp)
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(rig.priv, append([]byte(stamp), body...))))
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
}
