package bot

import (
	"context"
	"encoding/json"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storybot/storybot/bot/discordtest"
	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/answer"
	"github.com/storybot/storybot/index/feeds"
	"github.com/storybot/storybot/index/feeds/feedtest"
	"github.com/storybot/storybot/index/library"
)

// testClock is the poller's clock, moved by the test: a 15-minute
// interval passes at once.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

const (
	newsChan   = "410000000000000001"
	forumChan  = "410000000000000002"
	otherChan  = "410000000000000003"
	feedGuildB = "300000000000000099"
)

// feedEnv is a bot whose poller follows feeds on a local news site.
type feedEnv struct {
	fake   *discordtest.Server
	site   *feedtest.Server
	lib    *library.Library
	poller *feeds.Poller
	clock  *testClock
}

func startFeeds(t *testing.T, q library.Quota) feedEnv {
	t.Helper()
	root := filepath.Join(t.TempDir(), "corpus")
	st, err := library.NewFiles(root)
	if err != nil {
		t.Fatal(err)
	}
	lib, err := library.Open(context.Background(), library.Config{Store: st, IndexDir: t.TempDir(), Quota: q})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lib.Close() })
	env := feedEnv{site: feedtest.New(t), lib: lib, clock: &testClock{t: time.Date(2025, 3, 12, 12, 0, 0, 0, time.UTC)}}
	env.poller, err = feeds.New(feeds.Config{Library: lib, Interval: 15 * time.Minute, Jitter: -1, HostGap: -1,
		AllowPrivate: true, Now: env.clock.Now, MaxAge: 30 * 24 * time.Hour, Log: feedLog(t)})
	if err != nil {
		t.Fatal(err)
	}
	var b *Bot
	var conn Connection
	env.fake, b, conn = startGatewayBot(t, answer.New(lib.Index()), Options{
		Moderation: Moderation{Library: lib, Roles: []string{modRole}, AllowPrivateURLs: true},
		Feeds:      Feeds{Poller: env.poller},
	})
	a, err := b.NewAnnouncer(conn)
	if err != nil {
		t.Fatal(err)
	}
	env.poller.SetAnnouncer(a)
	env.fake.AddChannel(forumChan, discordtest.ChannelForum, testGuild)
	return env
}

// follow runs /follow as a moderator of guild and returns the reply.
func (e feedEnv) follow(t *testing.T, guild, path, channel string) string {
	t.Helper()
	opts := map[string]string{"url": e.site.URL + path}
	if channel != "" {
		opts["channel"] = channel
	}
	id, p := modCommand(permMod, CmdFollow, opts, nil)
	p["guild_id"] = guild
	e.fake.Dispatch("INTERACTION_CREATE", p)
	return waitReply(t, e.fake, id, "Following")
}

// poll moves the clock on and polls what is due.
func (e feedEnv) poll(t *testing.T, after time.Duration) []feeds.Report {
	t.Helper()
	e.clock.Advance(after)
	reps := e.poller.PollDue(context.Background())
	for _, r := range reps {
		if r.Err != nil {
			t.Logf("poll of %s: %v", r.URL, r.Err)
		}
	}
	return reps
}

func (e feedEnv) stories(col string) []index.StoryInfo {
	return e.lib.Index().Stories(index.Scope{col})
}

// posts are the messages the bot sent to a channel, decoded.
func (e feedEnv) posts(channel string) []map[string]any {
	var out []map[string]any
	for _, r := range e.fake.Requests() {
		if r.Method == "POST" && r.Path == "/channels/"+channel+"/messages" {
			out = append(out, r.JSON())
		}
	}
	return out
}

var (
	day0 = time.Date(2025, 3, 10, 8, 0, 0, 0, time.UTC)

	ferryArticle = feedtest.Article{Slug: "ferry-terminal", Title: "Harbour Council Approves Ferry Terminal", Published: day0,
		Paragraphs: []string{
			"The harbour council voted on Monday to build a new ferry terminal at the north quay, ending a dispute that had run for two decades.",
			`"It was worth the wait," said councillor Mira Holt after the vote.`,
			"Construction is to start in the autumn and take two years.",
		}}
	libraryArticle = feedtest.Article{Slug: "library-hours", Title: "Town Library Opens on Sundays", Published: day0.Add(2 * time.Hour),
		Paragraphs: []string{
			"The town library will open on Sundays from April, the first change to its hours since it was built.",
			`"Families asked for it again and again," said head librarian Oskar Lind.`,
		}}
	railArticle = feedtest.Article{Slug: "rail-reopens", Title: "Mountain Rail Line Reopens After Storm", Published: day0.Add(48 * time.Hour),
		Paragraphs: []string{
			"The mountain rail line reopened on Wednesday, three months after a storm washed away a bridge near the pass.",
			`"Reopening the line was worth every day of the wait," said chief engineer Tomasz Brandt as the first train left.`,
			"Trains will run hourly until the summer timetable begins.",
		}}
)

func containsAny(items []index.StoryInfo, headline string) bool {
	for _, s := range items {
		if s.Headline == headline {
			return true
		}
	}
	return false
}

// Following a feed indexes its current items and posts none of them; a
// new item is posted with a thread at the next poll; a question in that
// thread is answered from that story, which it does not name.
func TestFeedFollowIndexesThenPostsNewItemsWithAThreadThatAnswersFromThem(t *testing.T) {
	env := startFeeds(t, library.Quota{})
	env.site.Publish("/news.rss", ferryArticle, libraryArticle)
	reply := env.follow(t, testGuild, "/news.rss", newsChan)
	if !strings.Contains(reply, "Coast Gazette") || !strings.Contains(reply, "#"+newsChan) {
		t.Errorf("follow reply: %s", reply)
	}
	env.poll(t, 0)
	got := env.stories(testGuild)
	if len(got) != 2 || !containsAny(got, ferryArticle.Title) || !containsAny(got, libraryArticle.Title) {
		t.Fatalf("after the first poll the server has %+v", got)
	}
	if p := env.posts(newsChan); len(p) != 0 {
		t.Fatalf("the first poll posted %d stories", len(p))
	}
	if len(env.stories(index.Shared)) != 0 || len(env.stories(feedGuildB)) != 0 {
		t.Error("the feed's stories reached another collection")
	}

	env.site.Publish("/news.rss", railArticle)
	reps := env.poll(t, 15*time.Minute)
	if len(reps) != 1 || reps[0].Announced != 1 {
		t.Fatalf("poll reports %+v", reps)
	}
	posts := env.posts(newsChan)
	if len(posts) != 1 {
		t.Fatalf("%d posts, want the new story alone", len(posts))
	}
	post := env.fake.WaitFor(discordtest.Route("POST", "/channels/"+newsChan+"/messages"))
	assertNoPings(t, post.Body)
	var msg struct {
		Content string
		Embeds  []map[string]any
	}
	_ = json.Unmarshal(post.Body, &msg)
	assertEmbedLimits(t, msg.Embeds)
	e := msg.Embeds[0]
	author, _ := e["author"].(map[string]any)
	for what, ok := range map[string]bool{
		"headline":        e["title"] == railArticle.Title,
		"link":            e["url"] == env.site.URL+"/articles/rail-reopens",
		"outlet and date": author != nil && strings.Contains(author["name"].(string), "Coast Gazette") && strings.Contains(author["name"].(string), "2025-03-12"),
		"first paragraph": strings.Contains(e["description"].(string), "three months after a storm"),
	} {
		if !ok {
			t.Errorf("the post lacks the %s: %s", what, post.Body)
		}
	}
	threads := env.fake.Threads()
	if len(threads) != 1 || threads[0].Parent != newsChan || threads[0].Name != railArticle.Title || threads[0].Message == "" {
		t.Fatalf("threads %+v", threads)
	}
	thread := threads[0].ID

	// The same question asked in the channel and in the story's thread:
	// in the channel the whole collection answers (the ferry story says it
	// word for word); in the thread, the thread's story does.
	ask := func(channel, content string, mention bool) string {
		t.Helper()
		id := nextID()
		m := map[string]any{"id": id, "channel_id": channel, "guild_id": testGuild, "content": content,
			"author": map[string]any{"id": reader.id, "username": reader.name}}
		if mention {
			m["content"] = "<@" + discordtest.BotUserID + "> " + content
			m["mentions"] = []any{map[string]any{"id": discordtest.BotUserID, "username": "StoryBot", "bot": true}}
		}
		env.fake.Dispatch("MESSAGE_CREATE", m)
		r := env.fake.WaitFor(func(r discordtest.Request) bool {
			return r.Method == "POST" && r.Path == "/channels/"+channel+"/messages" && strings.Contains(string(r.Body), `"message_id":"`+id+`"`)
		})
		assertNoPings(t, r.Body)
		return string(r.Body)
	}
	if got := ask(otherChan, "who said it was worth the wait?", true); !strings.Contains(got, "Holt") {
		t.Fatalf("outside the thread the ferry story should answer: %s", got)
	}
	got1 := ask(thread, "who said it was worth the wait?", true)
	if !strings.Contains(got1, "Brandt") || strings.Contains(got1, "Holt") || !strings.Contains(got1, "Story: Mountain-Rail") {
		t.Errorf("a mention in the story's thread was not answered from that story: %s", got1)
	}
	// With Message Content, a plain question in the thread needs no mention.
	if got := ask(thread, "When did the line reopen?", false); !strings.Contains(got, "2025-03-12") {
		t.Errorf("a plain question in the thread: %s", got)
	}
	// A slash command in the thread is about its story too.
	id, p := slash(reader.id, CmdWhoSaid, "quote", "worth the wait")
	p["channel_id"] = thread
	env.fake.Dispatch("INTERACTION_CREATE", p)
	if _, rp := answerOf(t, env.fake, id); len(rp.Data.Embeds) == 0 || !strings.Contains(rp.Data.Embeds[0]["title"].(string), "Brandt") {
		t.Errorf("/who-said in the thread: %+v", rp.Data)
	}
}

// In a forum channel each new story is a forum post of its own.
func TestFeedInAForumChannelMakesAForumPostPerStory(t *testing.T) {
	env := startFeeds(t, library.Quota{})
	env.site.Publish("/news.atom", ferryArticle)
	env.follow(t, testGuild, "/news.atom", forumChan)
	env.poll(t, 0)
	env.site.Publish("/news.atom", libraryArticle, railArticle)
	env.poll(t, 15*time.Minute)
	var posts []map[string]any
	for _, r := range env.fake.Requests() {
		if r.Method == "POST" && r.Path == "/channels/"+forumChan+"/threads" {
			assertNoPings(t, mustJSON(t, r.JSON()["message"]))
			posts = append(posts, r.JSON())
		}
	}
	if len(posts) != 2 || len(env.posts(forumChan)) != 0 {
		t.Fatalf("%d forum posts and %d channel messages, want 2 and 0", len(posts), len(env.posts(forumChan)))
	}
	// Posted oldest first.
	if posts[0]["name"] != libraryArticle.Title || posts[1]["name"] != railArticle.Title {
		t.Errorf("forum posts %v, %v", posts[0]["name"], posts[1]["name"])
	}
	th := env.fake.Threads()
	if len(th) != 2 || th[0].Parent != forumChan {
		t.Fatalf("threads %+v", th)
	}
	rec, ok, err := env.poller.Store().Thread(context.Background(), th[1].ID)
	if err != nil || !ok || rec.Collection != testGuild || !strings.HasPrefix(rec.Story, "Mountain-Rail") {
		t.Errorf("the thread's record %+v %v %v", rec, ok, err)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"allowed_mentions": v.(map[string]any)["allowed_mentions"]})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// An unchanged feed is asked for with its validators, and the site
// answers 304.
func TestFeedUnchangedFeedGets304(t *testing.T) {
	env := startFeeds(t, library.Quota{})
	env.site.Publish("/news.rss", ferryArticle)
	env.follow(t, testGuild, "/news.rss", newsChan)
	env.poll(t, 0)
	for range 2 {
		reps := env.poll(t, 15*time.Minute)
		if len(reps) != 1 || !reps[0].NotModified {
			t.Fatalf("reports %+v", reps)
		}
	}
	f := env.site.Fetches("/news.rss")
	// The follow's check, the first poll, then two conditional polls.
	if len(f) != 4 || f[1].Conditional || f[1].Status != 200 {
		t.Fatalf("fetches %+v", f)
	}
	for _, x := range f[2:] {
		if !x.Conditional || x.Status != 304 {
			t.Errorf("fetch %+v, want a conditional GET answered 304", x)
		}
	}
	env.site.Publish("/news.rss", railArticle)
	if reps := env.poll(t, 15*time.Minute); len(reps) != 1 || reps[0].NotModified || len(reps[0].Added[testGuild]) != 1 {
		t.Fatalf("a changed feed: %+v", reps)
	}
}

// Items that repeat a GUID, or (without one) a link, are one story; items
// with their own GUIDs that share a link are stories of their own, each
// indexed from the feed, since the shared page is neither's article.
func TestFeedDuplicateGUIDsAndLinksGiveOneStory(t *testing.T) {
	env := startFeeds(t, library.Quota{})
	ferry := ferryArticle
	ferry.GUID = "urn:ferry"
	ferryAgain := ferry
	ferryAgain.Title = "Harbour Council Approves Ferry Terminal (updated)"
	lib1 := libraryArticle
	lib1.NoGUID = true
	lib2 := lib1
	lib2.Title = "Town Library Opens on Sundays, Council Confirms"
	live := func(guid, title, text string) feedtest.Article {
		return feedtest.Article{Slug: "live-" + guid, GUID: "urn:" + guid, Title: title, Published: day0.Add(time.Hour),
			Link: env.site.URL + "/articles/live", Summary: "<p>" + text + "</p>"}
	}
	live1 := live("1", "Storm live: roads closed", "Police closed the coast road at noon as the storm reached the bay.")
	live2 := live("2", "Storm live: ferries stopped", "The ferry company stopped all crossings for the rest of the day.")
	env.site.Publish("/news.rss", ferry, ferryAgain, lib1, lib2, live1, live2)
	env.follow(t, testGuild, "/news.rss", newsChan)
	env.poll(t, 0)
	got := env.stories(testGuild)
	if len(got) != 4 {
		t.Fatalf("%d stories, want 4 (ferry, library, two live posts): %+v", len(got), got)
	}
	for _, h := range []string{live1.Title, live2.Title} {
		if !containsAny(got, h) {
			t.Errorf("no story %q", h)
		}
	}
	if n := len(env.site.Fetches("/articles/live")); n != 0 {
		t.Errorf("the shared page was fetched %d times", n)
	}
	if n := len(env.site.Fetches("/articles/ferry-terminal")); n != 1 {
		t.Errorf("the ferry page was fetched %d times, want once", n)
	}
	// A later poll that sees the same GUID and the same link again adds
	// and posts nothing.
	again := ferry
	again.Title = "Ferry Terminal Approved"
	env.site.Publish("/news.rss", again, lib1)
	reps := env.poll(t, 15*time.Minute)
	if len(reps) != 1 || len(reps[0].Added[testGuild]) != 0 || reps[0].Announced != 0 || len(env.stories(testGuild)) != 4 {
		t.Fatalf("repeated items: %+v, %d stories", reps, len(env.stories(testGuild)))
	}
}

// A failing feed is polled again after twice the interval, then four
// times, and back to the interval once it answers.
func TestFeedThatFailsBacksOff(t *testing.T) {
	env := startFeeds(t, library.Quota{})
	env.site.Publish("/news.rss", ferryArticle)
	env.follow(t, testGuild, "/news.rss", newsChan)
	env.site.Fail("/news.rss", 503, 2)
	fetches := func() int { return len(env.site.Fetches("/news.rss")) }
	base := fetches()
	steps := []struct {
		after   time.Duration
		fetched bool
	}{
		{0, true},                 // fails: next in 30 min
		{15 * time.Minute, false}, //
		{15 * time.Minute, true},  // fails again: next in 60 min
		{30 * time.Minute, false},
		{29 * time.Minute, false},
		{time.Minute, true}, // answers
		{15 * time.Minute, true},
	}
	for i, s := range steps {
		before := fetches()
		env.poll(t, s.after)
		if (fetches() > before) != s.fetched {
			t.Fatalf("step %d (+%s): fetched %v, want %v; fetches %+v", i, s.after, fetches() > before, s.fetched, env.site.Fetches("/news.rss")[base:])
		}
	}
	st, _ := env.poller.Feeds(context.Background(), testGuild)
	if len(st) != 1 || st[0].State.Failures != 0 || !st[0].Primed || len(env.stories(testGuild)) != 1 {
		t.Errorf("after recovering: %+v", st)
	}
	// /feeds tells a moderator how it went.
	id, p := modCommand(permMod, CmdFeeds, nil, nil)
	env.fake.Dispatch("INTERACTION_CREATE", p)
	waitReply(t, env.fake, id, "Coast Gazette")
}

// Two servers follow one feed: each poll fetches it once, and both
// servers get the new story, each in its own channel.
func TestFeedTwoServersFollowingOneURLFetchItOncePerPoll(t *testing.T) {
	env := startFeeds(t, library.Quota{})
	env.site.Publish("/news.rss", ferryArticle)
	env.follow(t, testGuild, "/news.rss", newsChan)
	env.poll(t, 0)
	env.follow(t, feedGuildB, "/news.rss", otherChan)
	env.poll(t, 0) // the second server's first poll
	if len(env.stories(feedGuildB)) != 1 {
		t.Fatalf("the second server has %+v", env.stories(feedGuildB))
	}
	env.site.Publish("/news.rss", railArticle)
	before := len(env.site.Fetches("/news.rss"))
	env.poll(t, 15*time.Minute)
	if n := len(env.site.Fetches("/news.rss")) - before; n != 1 {
		t.Fatalf("%d fetches in one poll, want 1", n)
	}
	if n := len(env.site.Fetches("/articles/rail-reopens")); n != 1 {
		t.Errorf("the new page was fetched %d times, want once", n)
	}
	for _, c := range []struct{ guild, channel string }{{testGuild, newsChan}, {feedGuildB, otherChan}} {
		if !containsAny(env.stories(c.guild), railArticle.Title) || len(env.posts(c.channel)) != 1 {
			t.Errorf("server %s: stories %+v, %d posts", c.guild, env.stories(c.guild), len(env.posts(c.channel)))
		}
	}
	before = len(env.site.Fetches("/news.rss"))
	env.poll(t, 15*time.Minute)
	if f := env.site.Fetches("/news.rss")[before:]; len(f) != 1 || f[0].Status != 304 {
		t.Errorf("the next poll: %+v", f)
	}
}

// A server at its quota keeps the new stories and retires the oldest,
// which /stories lists as retired and /restore-story can bring back.
func TestFeedBeyondTheQuotaRetiresTheOldestStories(t *testing.T) {
	env := startFeeds(t, library.Quota{Stories: 2})
	env.site.Publish("/news.rss", ferryArticle, libraryArticle)
	env.follow(t, testGuild, "/news.rss", "")
	env.poll(t, 0)
	env.site.Publish("/news.rss", railArticle)
	reps := env.poll(t, 15*time.Minute)
	if len(reps) != 1 || reps[0].Retired != 1 {
		t.Fatalf("reports %+v", reps)
	}
	got := env.stories(testGuild)
	if len(got) != 2 || containsAny(got, ferryArticle.Title) || !containsAny(got, railArticle.Title) || !containsAny(got, libraryArticle.Title) {
		t.Fatalf("stories %+v", got)
	}
	id, p := slash(reader.id, CmdStories)
	env.fake.Dispatch("INTERACTION_CREATE", p)
	_, rp := answerOf(t, env.fake, id)
	body, _ := json.Marshal(rp.Data.Embeds)
	if !strings.Contains(string(body), "Retired: 1") || !strings.Contains(string(body), "Harbour-Council") {
		t.Errorf("/stories does not show the retired story: %s", body)
	}
	if len(env.posts(newsChan)) != 0 {
		t.Error("a follow without a channel posted")
	}
}

// feedLog shows the poller's log when a test fails.
func feedLog(t *testing.T) *slog.Logger {
	buf := &syncBuffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("poller log:\n%s", buf.String())
		}
	})
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// A follow that names another server's channel gets its stories
// indexed, but never posted there.
func TestFeedPostsOnlyInTheFollowingServersOwnChannels(t *testing.T) {
	env := startFeeds(t, library.Quota{})
	env.site.Publish("/news.rss", ferryArticle)
	env.follow(t, feedGuildB, "/news.rss", forumChan) // forumChan is testGuild's
	env.poll(t, 0)
	env.site.Publish("/news.rss", railArticle)
	env.poll(t, 15*time.Minute)
	if !containsAny(env.stories(feedGuildB), railArticle.Title) {
		t.Fatalf("the new story was not indexed: %+v", env.stories(feedGuildB))
	}
	for _, r := range env.fake.Requests() {
		if r.Method == "POST" && strings.HasPrefix(r.Path, "/channels/"+forumChan) {
			t.Errorf("posted in another server's channel: %s %s", r.Path, r.Body)
		}
	}
}

// A question in the thread of a story that has since been retired is
// answered from the server's stories, with a note that the thread's story
// was retired and how to bring it back.
func TestFeedQuestionInARetiredStorysThread(t *testing.T) {
	env := startFeeds(t, library.Quota{Stories: 1})
	env.site.Publish("/news.rss", ferryArticle)
	env.follow(t, testGuild, "/news.rss", newsChan)
	env.poll(t, 0)
	env.site.Publish("/news.rss", railArticle)
	env.poll(t, 15*time.Minute)
	threads := env.fake.Threads()
	if len(threads) != 1 || threads[0].Name != railArticle.Title {
		t.Fatalf("threads %+v", threads)
	}
	railThread := threads[0].ID
	quay := feedtest.Article{Slug: "quay-market", Title: "Fish Market Returns to the Quay", Published: day0.Add(72 * time.Hour),
		Paragraphs: []string{
			"The fish market returned to the old quay on Saturday after the harbour works ended.",
			`"It was worth the wait," said stallholder Ines Varga.`,
		}}
	env.site.Publish("/news.rss", quay)
	if reps := env.poll(t, 15*time.Minute); len(reps) != 1 || reps[0].Retired != 1 {
		t.Fatalf("reports %+v", reps)
	}
	if got := env.stories(testGuild); len(got) != 1 || got[0].Headline != quay.Title {
		t.Fatalf("stories %+v", got)
	}
	// A mention in the rail story's thread.
	id := nextID()
	env.fake.Dispatch("MESSAGE_CREATE", map[string]any{"id": id, "channel_id": railThread, "guild_id": testGuild,
		"content":  "<@" + discordtest.BotUserID + "> who said it was worth the wait?",
		"mentions": []any{map[string]any{"id": discordtest.BotUserID, "username": "StoryBot", "bot": true}},
		"author":   map[string]any{"id": reader.id, "username": reader.name}})
	r := env.fake.WaitFor(func(r discordtest.Request) bool {
		return r.Method == "POST" && r.Path == "/channels/"+railThread+"/messages" && strings.Contains(string(r.Body), `"message_id":"`+id+`"`)
	})
	assertNoPings(t, r.Body)
	var msg struct {
		Content string
		Embeds  []map[string]any
	}
	if err := json.Unmarshal(r.Body, &msg); err != nil {
		t.Fatal(err)
	}
	body := string(r.Body)
	if !strings.Contains(body, "Varga") {
		t.Errorf("the answer is not from the server's stories: %s", body)
	}
	if !strings.Contains(msg.Content, "retired") || !strings.Contains(msg.Content, "/restore-story") || !strings.Contains(msg.Content, "Mountain-Rail") {
		t.Errorf("no note that the thread's story was retired: %q", msg.Content)
	}
	// A slash command in the thread likewise.
	cid, p := slash(reader.id, CmdWhoSaid, "quote", "worth the wait")
	p["channel_id"] = railThread
	env.fake.Dispatch("INTERACTION_CREATE", p)
	_, rp := answerOf(t, env.fake, cid)
	if len(rp.Data.Embeds) == 0 || !strings.Contains(rp.Data.Embeds[0]["title"].(string), "Varga") || !strings.Contains(rp.Data.Content, "retired") {
		t.Errorf("/who-said in the retired story's thread: %+v", rp.Data)
	}
}
