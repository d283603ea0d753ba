package main

import (
	"crypto/ed25519"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/bot/discordtest"
	"github.com/storybot/storybot/index/feeds/feedtest"
	"github.com/storybot/storybot/index/library/pgtest"
)

const feedChannel = "410000000000000001"

// Two `storybot serve --http` processes on one PostgreSQL database follow
// one feed: each poll fetches it once (one process claims it), the new
// story is posted once, and both processes answer from it.
func TestFeedTwoProcessesOnPostgresFetchOncePerPollAndBothAnswer(t *testing.T) {
	if testing.Short() {
		t.Skip("runs storybot processes against PostgreSQL")
	}
	dbURL := pgtest.URL(t)
	fake := discordtest.New(t)
	pub, priv, _ := ed25519.GenerateKey(nil)
	site := feedtest.New(t)
	day := time.Now().UTC().Add(-24 * time.Hour)
	site.Publish("/news.rss", feedtest.Article{Slug: "ferry", Title: "Harbour Council Approves Ferry Terminal", Published: day,
		Paragraphs: []string{"The harbour council voted on Monday to build a new ferry terminal at the north quay.",
			`"It was worth the wait," said councillor Mira Holt after the vote.`}})
	const interval = 2 * time.Second
	env := []string{"STORYBOT_FEED_INTERVAL=" + interval.String()}
	one := startReplica(t, fake, dbURL, pub, priv, env...)
	two := startReplica(t, fake, dbURL, pub, priv, env...)

	body := one.interact(fake, 2, replicaAdmin, storyCommand("follow", map[string]string{"url": site.URL + "/news.rss", "channel": feedChannel}))
	if !strings.Contains(body, "Following") {
		t.Fatalf("follow: %s", body)
	}
	two.within(fake, 20*time.Second, "It was worth the wait", "Holt", true)
	one.within(fake, 5*time.Second, "It was worth the wait", "Holt", true)

	site.Publish("/news.rss", feedtest.Article{Slug: "rail", Title: "Mountain Rail Line Reopens After Storm", Published: day.Add(time.Hour),
		Paragraphs: []string{"The mountain rail line reopened on Wednesday, three months after a storm washed away a bridge.",
			`"The tracks held better than we feared," said chief engineer Tomasz Brandt as the first train left.`}})
	isPost := func(r discordtest.Request) bool {
		return r.Method == "POST" && r.Path == "/channels/"+feedChannel+"/messages" && strings.Contains(string(r.Body), "Mountain Rail Line")
	}
	fake.WaitFor(isPost)
	one.within(fake, 10*time.Second, "The tracks held better than we feared", "Brandt", true)
	two.within(fake, 10*time.Second, "The tracks held better than we feared", "Brandt", true)

	time.Sleep(3 * interval) // more polls, which must neither fetch twice nor post again
	posts, threads := 0, 0
	for _, r := range fake.Requests() {
		if isPost(r) {
			posts++
		}
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/threads") {
			threads++
		}
	}
	if posts != 1 || threads != 1 {
		t.Errorf("the new story was posted %d times with %d threads, want once with one", posts, threads)
	}
	f := site.Fetches("/news.rss")
	// The first fetch is /follow's check; the rest are polls, which the
	// two processes would make in pairs if both polled.
	polls := f[1:]
	if len(polls) < 4 {
		t.Fatalf("only %d polls: %+v", len(polls), f)
	}
	for i := 1; i < len(polls); i++ {
		if gap := polls[i].At.Sub(polls[i-1].At); gap < interval*7/10 {
			t.Errorf("polls %d and %d were %s apart, less than the interval %s: two processes polled", i-1, i, gap, interval)
		}
	}
	span := polls[len(polls)-1].At.Sub(polls[0].At)
	if max := int(span/(interval*9/10)) + 1; len(polls) > max {
		t.Errorf("%d polls in %s, at most %d expected", len(polls), span, max)
	}
	for _, r := range []*replica{one, two} {
		if !strings.Contains(r.logs.String(), "polling followed feeds") {
			t.Error("a replica does not poll feeds")
		}
	}
}

// The CLI follows feeds into the shared library or a server's collection,
// lists them and unfollows them; a private address is refused unless
// allowed, and a page that is not a feed is refused.
func TestFeedCommandsOnTheCLI(t *testing.T) {
	site := feedtest.New(t)
	site.Publish("/news.atom", feedtest.Article{Slug: "a", Title: "A", Paragraphs: []string{"Text."}})
	dir := t.TempDir()
	t.Setenv("STORYBOT_ALLOW_PRIVATE_URLS", "")
	if code, _, errs := runCLI(t, "", "follow", "--corpus", dir, site.URL+"/news.atom"); code == 0 || !strings.Contains(errs, "private network") {
		t.Errorf("a private address: exit %d, %s", code, errs)
	}
	t.Setenv("STORYBOT_ALLOW_PRIVATE_URLS", "true")
	if code, _, errs := runCLI(t, "", "follow", "--corpus", dir, site.URL+"/articles/a"); code == 0 || !strings.Contains(errs, "not an RSS, Atom or JSON feed") {
		t.Errorf("a page: exit %d, %s", code, errs)
	}
	code, out, errs := runCLI(t, "", "follow", "--corpus", dir, site.URL+"/news.atom")
	if code != 0 || !strings.Contains(out, `following "Coast Gazette"`) || !strings.Contains(out, "the shared library") {
		t.Fatalf("follow: exit %d, %s %s", code, out, errs)
	}
	code, out, _ = runCLI(t, "", "follow", "--corpus", dir, "--collection", replicaGuild, "--channel", feedChannel, site.URL+"/news.atom")
	if code != 0 || !strings.Contains(out, "collection "+replicaGuild) {
		t.Fatalf("follow into a server: exit %d, %s", code, out)
	}
	code, out, _ = runCLI(t, "", "feeds", "--corpus", dir, "--collection", replicaGuild)
	if code != 0 || !strings.Contains(out, site.URL+"/news.atom") || !strings.Contains(out, feedChannel) {
		t.Errorf("feeds: exit %d, %s", code, out)
	}
	if code, out, _ = runCLI(t, "", "unfollow", "--corpus", dir, site.URL+"/news.atom"); code != 0 {
		t.Errorf("unfollow: exit %d, %s", code, out)
	}
	if code, out, _ = runCLI(t, "", "feeds", "--corpus", dir); code != 0 || !strings.Contains(out, "follows no feeds") {
		t.Errorf("feeds after unfollowing: exit %d, %s", code, out)
	}
	if code, _, errs = runCLI(t, "", "unfollow", "--corpus", dir, site.URL+"/news.atom"); code == 0 || !strings.Contains(errs, "does not follow") {
		t.Errorf("unfollowing twice: exit %d, %s", code, errs)
	}
}
