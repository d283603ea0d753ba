package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/storybot/storybot/bot/discordtest"
	"github.com/storybot/storybot/index/answer"
)

const (
	testToken = "test-token-SECRET"
	testGuild = "300000000000000003"
	testChan  = "400000000000000004"
)

// syncBuffer collects log output from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startGateway runs a bot against a fake Discord until the test ends, and
// checks afterwards that the token never reached the log.
func startGateway(t testing.TB, eng *answer.Engine, o Options) *discordtest.Server {
	t.Helper()
	fake, _, _ := startGatewayBot(t, eng, o)
	return fake
}

// startGatewayBot is startGateway that also returns the bot and how it
// reaches the fake, for tests that post through the bot's REST session.
func startGatewayBot(t testing.TB, eng *answer.Engine, o Options) (*discordtest.Server, *Bot, Connection) {
	t.Helper()
	fake := discordtest.New(t)
	logs := &syncBuffer{}
	gatewayLogs.Store(fake, logs)
	o.Log = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if o.RatePerUser == 0 {
		o.RatePerUser, o.RatePerChannel = 1000, 1000
	}
	b := New(eng, o)
	botsByFake.Store(fake, b)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	conn := Connection{Token: testToken, GuildID: testGuild, APIBase: fake.URL}
	go func() {
		errc <- b.RunGateway(ctx, conn)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-errc; err != nil {
			t.Errorf("RunGateway: %v", err)
		}
		if strings.Contains(logs.String(), testToken) {
			t.Errorf("the token appears in the log")
		}
	})
	fake.WaitReady()
	fake.WaitFor(discordtest.Route("PUT", "/guilds/"+testGuild+"/commands"))
	return fake, b, conn
}

// gatewayLogs and botsByFake hold the log and the bot that startGateway
// runs against each fake.
var gatewayLogs, botsByFake sync.Map

var interactionSeq struct {
	sync.Mutex
	n int
}

func nextID() string {
	interactionSeq.Lock()
	defer interactionSeq.Unlock()
	interactionSeq.n++
	return fmt.Sprint(500000000000000000 + interactionSeq.n)
}

// interaction builds an INTERACTION_CREATE payload as Discord sends it;
// each of mods may change it.
func interaction(typ int, user string, data map[string]any, mods ...func(map[string]any)) (id string, payload map[string]any) {
	id = nextID()
	payload = map[string]any{
		"id": id, "application_id": discordtest.AppID, "type": typ, "token": "tok" + id, "version": 1,
		"channel_id": testChan, "guild_id": testGuild,
		"member": map[string]any{"user": map[string]any{"id": user, "username": "someone"}},
		"data":   data,
	}
	for _, m := range mods {
		m(payload)
	}
	return id, payload
}

func slash(user, name string, opts ...any) (string, map[string]any) {
	var options []map[string]any
	for i := 0; i+1 < len(opts); i += 2 {
		o := map[string]any{"name": opts[i], "value": opts[i+1], "type": 3}
		if _, ok := opts[i+1].(bool); ok {
			o["type"] = 5
		}
		options = append(options, o)
	}
	return interaction(2, user, map[string]any{"id": "1", "name": name, "type": 1, "options": options})
}

func callback(id string) func(discordtest.Request) bool {
	return discordtest.Route("POST", "/interactions/"+id+"/tok"+id+"/callback")
}

// reply is the decoded body of an interaction callback.
type reply struct {
	Type int `json:"type"`
	Data struct {
		Content         string           `json:"content"`
		Flags           int              `json:"flags"`
		Embeds          []map[string]any `json:"embeds"`
		Components      []map[string]any `json:"components"`
		Choices         []map[string]any `json:"choices"`
		AllowedMentions json.RawMessage  `json:"allowed_mentions"`
	} `json:"data"`
}

// answerOf waits for the answer to interaction id, whether it came as the
// callback or, on a loaded machine, as the edit after a deferral. It
// returns the JSON carrying the message and the reply with the message's
// flags (a deferral's flags say whether the edit is ephemeral).
func answerOf(t testing.TB, fake *discordtest.Server, id string) (discordtest.Request, reply) {
	t.Helper()
	req := fake.WaitFor(func(r discordtest.Request) bool { return callback(id)(r) && r.Status == 204 })
	rp := decodeReply(t, req)
	if rp.Type != 5 {
		return req, rp
	}
	assertNoPings(t, req.Body)
	edit := fake.WaitFor(discordtest.Route("PATCH", "/webhooks/"+discordtest.AppID+"/tok"+id+"/messages/@original"))
	var data struct {
		Data json.RawMessage
	}
	data.Data = edit.Body
	wrapped, _ := json.Marshal(map[string]any{"type": 4, "data": data.Data})
	rp2 := decodeReply(t, discordtest.Request{Body: wrapped})
	rp2.Data.Flags = rp.Data.Flags
	edit.Body = wrapped
	return edit, rp2
}

func decodeReply(t testing.TB, r discordtest.Request) reply {
	t.Helper()
	var rp reply
	if err := json.Unmarshal(r.Body, &rp); err != nil {
		t.Fatalf("callback body %s: %v", r.Body, err)
	}
	return rp
}

// assertNoPings checks the exact allowed_mentions JSON: an empty parse
// list, not null and not missing.
func assertNoPings(t testing.TB, raw []byte) {
	t.Helper()
	var m struct {
		AllowedMentions json.RawMessage `json:"allowed_mentions"`
		Data            *struct {
			AllowedMentions json.RawMessage `json:"allowed_mentions"`
		} `json:"data"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	am := m.AllowedMentions
	if m.Data != nil {
		am = m.Data.AllowedMentions
	}
	if string(am) != `{"parse":[],"replied_user":false}` {
		t.Fatalf("allowed_mentions = %s in %s", am, raw)
	}
}

// assertEmbedLimits checks the sizes Discord enforces, on the sent JSON.
func assertEmbedLimits(t testing.TB, embeds []map[string]any) {
	t.Helper()
	for _, e := range embeds {
		str := func(m map[string]any, k string) string { s, _ := m[k].(string); return s }
		total := dlen(str(e, "title")) + dlen(str(e, "description"))
		if dlen(str(e, "title")) > MaxTitle || dlen(str(e, "description")) > MaxDescription {
			t.Fatalf("title or description too long")
		}
		fields, _ := e["fields"].([]any)
		if len(fields) > MaxFields {
			t.Fatalf("%d fields", len(fields))
		}
		for _, f := range fields {
			fm := f.(map[string]any)
			if dlen(str(fm, "name")) > MaxFieldName || dlen(str(fm, "value")) > MaxFieldValue {
				t.Fatalf("field too long")
			}
			total += dlen(str(fm, "name")) + dlen(str(fm, "value"))
		}
		for _, k := range []string{"footer", "author"} {
			if m, ok := e[k].(map[string]any); ok {
				total += dlen(str(m, "text")) + dlen(str(m, "name"))
			}
		}
		if total > MaxEmbedTotal {
			t.Fatalf("embed total %d", total)
		}
	}
}

func TestGatewayRegistersCommands(t *testing.T) {
	t.Parallel()
	fake := startGateway(t, builtinEngine(t), Options{})
	reg := fake.WaitFor(discordtest.Route("PUT", "/guilds/"+testGuild+"/commands"))
	if reg.Auth != "Bot "+testToken {
		t.Errorf("authorization %q", reg.Auth)
	}
	var cmds []struct {
		Name    string `json:"name"`
		Type    int    `json:"type"`
		Options []struct {
			Name         string `json:"name"`
			Autocomplete bool   `json:"autocomplete"`
		} `json:"options"`
	}
	if err := json.Unmarshal(reg.Body, &cmds); err != nil {
		t.Fatal(err)
	}
	names := map[string]int{}
	for _, c := range cmds {
		names[c.Name] = c.Type
		if c.Type == 1 && !moderatorCommand[c.Name] && c.Name != cmdHelp {
			var story, private bool
			for _, o := range c.Options {
				story = story || o.Name == "story" && o.Autocomplete
				private = private || o.Name == "private"
			}
			if !story || !private {
				t.Errorf("/%s lacks story (autocomplete) or private", c.Name)
			}
		}
	}
	for _, n := range []string{"ask", "who-said", "when", "quotes", "timeline", "stories"} {
		if names[n] != 1 {
			t.Errorf("slash command %s not registered", n)
		}
	}
	if names[CheckCommand] != 3 {
		t.Errorf("message command not registered: %v", names)
	}
	var ident struct {
		Intents int `json:"intents"`
		Shard   []int
	}
	_ = json.Unmarshal(fake.WaitReady(), &ident)
	if ident.Intents&(1<<15) != 0 {
		t.Errorf("asked for Message Content without being told to")
	}
}

func TestGatewayEveryCommand(t *testing.T) {
	t.Parallel()
	fake := startGateway(t, builtinEngine(t), Options{})
	cases := []struct {
		name    string
		opts    []any
		private bool
		want    string
	}{
		{"ask", []any{"question", "What did the ministry urge citizens to make?"}, false, "Molotov"},
		{"who-said", []any{"quote", "dialogue and peaceful means"}, false, "Balkhi"},
		{"when", []any{"event", "Putin authorized a special military operation", "private", true}, true, "Wednesday"},
		{"quotes", nil, false, "Balkhi"},
		{"timeline", []any{"story", "taliban-call-for-russia-ukraine-peace.txt"}, false, "2021"},
		{"stories", []any{"private", true}, true, "Taliban Call"},
	}
	ids := make([]string, len(cases))
	for i, c := range cases {
		var p map[string]any
		ids[i], p = slash("u"+fmt.Sprint(i), c.name, c.opts...)
		fake.Dispatch("INTERACTION_CREATE", p)
	}
	for i, c := range cases {
		req, rp := answerOf(t, fake, ids[i])
		assertNoPings(t, req.Body)
		if rp.Type != 4 {
			t.Errorf("/%s: response type %d", c.name, rp.Type)
		}
		if wantFlags := map[bool]int{true: 64}[c.private]; rp.Data.Flags != wantFlags {
			t.Errorf("/%s: flags %d, want %d", c.name, rp.Data.Flags, wantFlags)
		}
		if len(rp.Data.Embeds) != 1 || !strings.Contains(string(req.Body), c.want) {
			t.Errorf("/%s: no %q in %s", c.name, c.want, req.Body)
		}
		assertEmbedLimits(t, rp.Data.Embeds)
	}
}

func TestGatewayAutocomplete(t *testing.T) {
	t.Parallel()
	fake := startGateway(t, builtinEngine(t), Options{})
	id, p := interaction(4, "u1", map[string]any{"id": "1", "name": "ask", "type": 1, "options": []any{
		map[string]any{"name": "question", "type": 3, "value": "peace"},
		map[string]any{"name": "story", "type": 3, "value": "tali", "focused": true},
	}})
	fake.Dispatch("INTERACTION_CREATE", p)
	rp := decodeReply(t, fake.WaitFor(callback(id)))
	if rp.Type != 8 || len(rp.Data.Choices) != 1 || rp.Data.Choices[0]["value"] != "taliban-call-for-russia-ukraine-peace.txt" {
		t.Fatalf("%+v", rp)
	}
}

func TestGatewayContextMenu(t *testing.T) {
	t.Parallel()
	fake := startGateway(t, builtinEngine(t), Options{})
	id, p := interaction(2, "u1", map[string]any{"id": "2", "name": CheckCommand, "type": 3, "target_id": "777",
		"resolved": map[string]any{"messages": map[string]any{"777": map[string]any{
			"id": "777", "channel_id": testChan, "content": "The Taliban refused to call for peace in Ukraine @everyone",
			"author": map[string]any{"id": "5"},
		}}}})
	fake.Dispatch("INTERACTION_CREATE", p)
	req, rp := answerOf(t, fake, id)
	assertNoPings(t, req.Body)
	if rp.Type != 4 || rp.Data.Flags != 64 || len(rp.Data.Embeds) != 1 {
		t.Fatalf("%s", req.Body)
	}
	if e := rp.Data.Embeds[0]; !strings.Contains(e["description"].(string), "may support it") {
		t.Errorf("description %q", e["description"])
	}
	if strings.Contains(string(req.Body), "@everyone") {
		t.Errorf("claim text pings: %s", req.Body)
	}
}

func TestGatewayMention(t *testing.T) {
	t.Parallel()
	fake := startGateway(t, builtinEngine(t), Options{})
	fake.Dispatch("MESSAGE_CREATE", map[string]any{
		"id": "600", "channel_id": testChan, "guild_id": testGuild,
		"content":  "<@" + discordtest.BotUserID + "> who said dialogue and peaceful means?",
		"author":   map[string]any{"id": "7", "username": "reader"},
		"mentions": []any{map[string]any{"id": discordtest.BotUserID, "username": "StoryBot", "bot": true}},
	})
	req := fake.WaitFor(discordtest.Route("POST", "/channels/"+testChan+"/messages"))
	assertNoPings(t, req.Body)
	var m struct {
		Reference struct {
			MessageID string `json:"message_id"`
		} `json:"message_reference"`
		Embeds []map[string]any `json:"embeds"`
	}
	_ = json.Unmarshal(req.Body, &m)
	if m.Reference.MessageID != "600" || len(m.Embeds) != 1 || !strings.Contains(m.Embeds[0]["title"].(string), "Balkhi") {
		t.Fatalf("%s", req.Body)
	}
	assertEmbedLimits(t, m.Embeds)

	// A reply to that answer, without a ping, is a follow-up on its story.
	fake.Dispatch("MESSAGE_CREATE", map[string]any{
		"id": "601", "channel_id": testChan, "guild_id": testGuild, "content": "and when was that?",
		"author":             map[string]any{"id": "7", "username": "reader"},
		"message_reference":  map[string]any{"message_id": "599", "channel_id": testChan},
		"referenced_message": map[string]any{"id": "599", "channel_id": testChan, "author": map[string]any{"id": discordtest.BotUserID, "bot": true}, "embeds": m.Embeds},
	})
	req = fake.WaitFor(func(r discordtest.Request) bool {
		return r.Method == "POST" && strings.Contains(string(r.Body), `"message_id":"601"`)
	})
	assertNoPings(t, req.Body)
	if !strings.Contains(string(req.Body), `"title":"When`) && !strings.Contains(string(req.Body), "When: and when") {
		t.Fatalf("follow-up not answered as a when-question: %s", req.Body)
	}
}

func TestGatewayRateLimitedUser(t *testing.T) {
	t.Parallel()
	fake := startGateway(t, builtinEngine(t), Options{RatePerUser: 0.0001, RatePerChannel: 1000})
	var ids []string
	for i := 0; i < 4; i++ { // the burst is 3
		id, p := slash("same-user", "stories")
		ids = append(ids, id)
		fake.Dispatch("INTERACTION_CREATE", p)
	}
	limited := 0
	for _, id := range ids {
		req, rp := answerOf(t, fake, id)
		assertNoPings(t, req.Body)
		if strings.Contains(rp.Data.Content, "faster than I can") {
			limited++
			if rp.Data.Flags != 64 || len(rp.Data.Embeds) != 0 {
				t.Errorf("rate-limit note not ephemeral: %s", req.Body)
			}
		}
	}
	if limited != 1 {
		t.Fatalf("%d of 4 limited, want 1", limited)
	}
}

func TestGateway429FromDiscord(t *testing.T) {
	t.Parallel()
	fake := startGateway(t, builtinEngine(t), Options{})
	fake.Fail429Once("POST /interactions/", 0.05)
	id, p := slash("u1", "stories")
	fake.Dispatch("INTERACTION_CREATE", p)
	fake.WaitFor(func(r discordtest.Request) bool { return callback(id)(r) && r.Status == 204 })
	var statuses []int
	for _, r := range fake.Requests() {
		if callback(id)(r) {
			statuses = append(statuses, r.Status)
		}
	}
	if fmt.Sprint(statuses) != "[429 204]" {
		t.Fatalf("callback statuses %v, want a 429 then a retry", statuses)
	}
}

func TestGatewayHostileStory(t *testing.T) {
	t.Parallel()
	fake := startGateway(t, hostileEngine(t), Options{})
	for _, c := range [][]any{{"ask", "question", "mayor come Monday"}, {"quotes"}, {"stories"}} {
		id, p := slash("u1", c[0].(string), c[1:]...)
		fake.Dispatch("INTERACTION_CREATE", p)
		req, rp := answerOf(t, fake, id)
		assertNoPings(t, req.Body)
		assertEmbedLimits(t, rp.Data.Embeds)
		var all strings.Builder
		for _, e := range rp.Data.Embeds {
			for _, k := range []string{"title", "description"} {
				s, _ := e[k].(string)
				all.WriteString(s + "\n")
			}
		}
		if !strings.Contains(all.String(), `\<@&123\>`) && c[0] != "stories" {
			t.Errorf("%s: role mention not escaped: %q", c[0], all.String())
		}
		assertInert(t, c[0].(string), all.String())
	}
}

func TestGatewayDefersSlowAnswers(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	slow := func(next Handler) Handler {
		return func(ctx context.Context, r Request) (Response, error) {
			if r.Option("question") == "slow" {
				<-release
			}
			return next(ctx, r)
		}
	}
	fake := startGateway(t, builtinEngine(t), Options{Middleware: []Middleware{slow}, DeferAfter: 1})
	id, p := slash("u1", "ask", "question", "slow", "private", true)
	fake.Dispatch("INTERACTION_CREATE", p)
	rp := decodeReply(t, fake.WaitFor(callback(id)))
	if rp.Type != 5 || rp.Data.Flags != 64 {
		t.Fatalf("deferral %+v", rp)
	}
	close(release)
	edit := fake.WaitFor(discordtest.Route("PATCH", "/webhooks/"+discordtest.AppID+"/tok"+id+"/messages/@original"))
	assertNoPings(t, edit.Body)
	if !strings.Contains(string(edit.Body), `"embeds":[{`) {
		t.Fatalf("edit %s", edit.Body)
	}
}

// A question of any length gets its answer with its buttons: the question
// rides in the buttons' custom IDs, which Discord refuses over 100
// characters, and with them the whole answer.
func TestGatewayQuestionOfAnyLength(t *testing.T) {
	t.Parallel()
	fake := startGateway(t, builtinEngine(t), Options{RatePerUser: 1e9, RatePerChannel: 1e9})
	base := "What did the ministry urge citizens to make"
	var ids []string
	for n := 55; n <= 110; n++ {
		q := base + strings.Repeat("?", n-len(base))
		id, p := slash("u"+fmt.Sprint(n), "ask", "question", q)
		ids = append(ids, id)
		fake.Dispatch("INTERACTION_CREATE", p)
	}
	for i, id := range ids {
		req := fake.WaitFor(func(r discordtest.Request) bool { return callback(id)(r) })
		if req.Status != 204 {
			t.Errorf("a question of %d characters: the answer was refused (%d): %s", 55+i, req.Status, req.Body)
		}
	}
}
