package library

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/library/pgtest"
)

func vote(col, msg, user, v string, at time.Time) Feedback {
	return Feedback{Collection: col, Channel: "5", Message: msg, User: user, At: at, Vote: v, Kind: "who",
		Question: "Who said it?", Answer: "Someone", Passages: []FeedbackPassage{{Story: "s.txt", Paragraph: 2, Text: "“It,” Someone said.", Score: 1.5}}}
}

// feedbackStores runs f on a library over each store that keeps feedback.
func feedbackStores(t *testing.T, f func(t *testing.T, l *Library)) {
	t.Run("files", func(t *testing.T) {
		l := openFiles(t, t.TempDir(), "", Quota{})
		defer l.Close()
		f(t, l)
	})
	t.Run("postgres", func(t *testing.T) {
		f(t, openPostgres(t, pgtest.URL(t), Quota{}))
	})
}

func TestFeedbackIsKeptPerServerAndReplacedPerUser(t *testing.T) {
	feedbackStores(t, func(t *testing.T, l *Library) {
		ctx := context.Background()
		t0 := time.Date(2024, 5, 3, 10, 0, 0, 0, time.UTC)
		for _, fb := range []Feedback{
			vote(guildA, "1001", "7", VoteUp, t0),
			vote(guildA, "1001", "8", VoteDown, t0.Add(time.Second)),
			vote(guildB, "2001", "7", VoteUp, t0.Add(2*time.Second)),
			vote(index.Shared, "3001", "9", VoteUp, t0.Add(3*time.Second)),
		} {
			if err := l.PutFeedback(ctx, fb); err != nil {
				t.Fatal(err)
			}
		}
		// User 7 changes their mind about message 1001, with a reason.
		changed := vote(guildA, "1001", "7", VoteDown, t0.Add(4*time.Second))
		changed.Reason = "  the wrong speaker  "
		if err := l.PutFeedback(ctx, changed); err != nil {
			t.Fatal(err)
		}
		a, err := l.Feedback(ctx, guildA)
		if err != nil {
			t.Fatal(err)
		}
		if len(a) != 2 || a[0].User != "8" || a[1].User != "7" || a[1].Vote != VoteDown || a[1].Reason != "the wrong speaker" {
			t.Fatalf("server A: %+v", a)
		}
		if p := a[1].Passages; len(p) != 1 || p[0].Paragraph != 2 || p[0].Text != "“It,” Someone said." || a[1].Question != "Who said it?" {
			t.Fatalf("the question and passages were not kept: %+v", a[1])
		}
		b, _ := l.Feedback(ctx, guildB)
		if len(b) != 1 || b[0].Message != "2001" {
			t.Fatalf("server B: %+v", b)
		}
		all, _ := l.Feedback(ctx, "")
		if len(all) != 4 {
			t.Fatalf("%d votes in all, want 4: %+v", len(all), all)
		}
		for i := 1; i < len(all); i++ {
			if all[i].At.Before(all[i-1].At) {
				t.Fatalf("not oldest first: %+v", all)
			}
		}
	})
}

func TestFeedbackIsChecked(t *testing.T) {
	l := openFiles(t, t.TempDir(), "", Quota{})
	defer l.Close()
	ctx := context.Background()
	for name, fb := range map[string]Feedback{
		"no message":    {Collection: guildA, User: "7", Vote: VoteUp},
		"no user":       {Collection: guildA, Message: "1", Vote: VoteUp},
		"a path":        {Collection: "../x", Message: "1", User: "7", Vote: VoteUp},
		"not a vote":    {Collection: guildA, Message: "1", User: "7", Vote: "meh"},
		"a forged user": {Collection: guildA, Message: "1", User: "7/../8", Vote: VoteUp},
	} {
		if err := l.PutFeedback(ctx, fb); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	long := vote(guildA, "1", "7", VoteDown, time.Now())
	long.Reason = strings.Repeat("é", MaxFeedbackReason)
	if err := l.PutFeedback(ctx, long); err != nil {
		t.Fatal(err)
	}
	got, _ := l.Feedback(ctx, guildA)
	if len(got) != 1 || len(got[0].Reason) > MaxFeedbackReason || !strings.HasPrefix(got[0].Reason, "éé") {
		t.Fatalf("reason not clipped to %d bytes: %d", MaxFeedbackReason, len(got[0].Reason))
	}
	builtin, err := Open(ctx, Config{Store: NewBuiltin()})
	if err != nil {
		t.Fatal(err)
	}
	defer builtin.Close()
	if builtin.KeepsFeedback() || !errors.Is(builtin.PutFeedback(ctx, long), ErrNoFeedbackStore) {
		t.Error("the built-in store claims to keep feedback")
	}
}

// Neither store grows without bound: past its limit a server keeps its
// newest votes.
func TestFeedbackKeepsTheNewest(t *testing.T) {
	keep, limit := feedbackKeep, feedbackFileLimit
	feedbackKeep, feedbackFileLimit = 5, 4<<10
	defer func() { feedbackKeep, feedbackFileLimit = keep, limit }()
	feedbackStores(t, func(t *testing.T, l *Library) {
		ctx := context.Background()
		t0 := time.Date(2024, 5, 3, 10, 0, 0, 0, time.UTC)
		for i := 0; i < 40; i++ {
			if err := l.PutFeedback(ctx, vote(guildA, fmt.Sprint(1000+i), "7", VoteUp, t0.Add(time.Duration(i)*time.Second))); err != nil {
				t.Fatal(err)
			}
		}
		got, err := l.Feedback(ctx, guildA)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) > 40 || got[len(got)-1].Message != "1039" {
			t.Fatalf("%d votes, the last %+v", len(got), got[len(got)-1])
		}
		if fs, ok := l.Store().(*Files); ok {
			info, err := os.Stat(fs.feedbackPath(guildA))
			if err != nil || info.Size() > 2*feedbackFileLimit {
				t.Fatalf("the feedback file grew to %d bytes (%v)", info.Size(), err)
			}
		} else if len(got) != 5 {
			t.Fatalf("PostgreSQL kept %d votes, want the newest 5", len(got))
		}
	})
}

// The feedback and settings files live beside the stories, and are never
// read as stories or collections.
func TestConversationFilesAreNotStories(t *testing.T) {
	root := t.TempDir()
	l := openFiles(t, root, "", Quota{})
	defer l.Close()
	ctx := context.Background()
	if err := l.PutFeedback(ctx, vote(index.Shared, "1", "7", VoteUp, time.Now())); err != nil {
		t.Fatal(err)
	}
	if err := l.SetChannelSettings(ctx, guildA, "5", ChannelSettings{Thread: true}); err != nil {
		t.Fatal(err)
	}
	// A story-looking file among them is not picked up either.
	os.WriteFile(filepath.Join(root, feedbackDir, "note.txt"), []byte("Headline\n\nA paragraph.\n"), 0o644)
	cols, _ := l.Store().Collections(ctx)
	_, stories, _ := l.Store().Snapshot(ctx, index.Shared)
	for _, s := range stories {
		if strings.HasPrefix(s.ID, "_") {
			t.Errorf("read as a story: %s", s.ID)
		}
	}
	if fmt.Sprint(cols) != "[shared]" {
		t.Errorf("collections %v", cols)
	}
}

func TestChannelSettings(t *testing.T) {
	feedbackStores(t, func(t *testing.T, l *Library) {
		ctx := context.Background()
		s, err := l.ChannelSettings(ctx, guildA, "5")
		if err != nil || s != (ChannelSettings{}) {
			t.Fatalf("defaults: %+v %v", s, err)
		}
		at := time.Date(2024, 5, 3, 10, 0, 0, 0, time.UTC)
		if err := l.SetChannelSettings(ctx, guildA, "5", ChannelSettings{NoMentions: true, Private: true, By: "mod (1)", At: at}); err != nil {
			t.Fatal(err)
		}
		if err := l.SetChannelSettings(ctx, guildA, "6", ChannelSettings{Thread: true, At: at}); err != nil {
			t.Fatal(err)
		}
		s, _ = l.ChannelSettings(ctx, guildA, "5")
		if !s.NoMentions || !s.Private || s.Thread || s.By != "mod (1)" || !s.At.Equal(at) {
			t.Fatalf("channel 5: %+v", s)
		}
		if s, _ := l.ChannelSettings(ctx, guildA, "6"); !s.Thread || s.Private {
			t.Fatalf("channel 6: %+v", s)
		}
		// Another server's channel of the same ID is its own.
		if s, _ := l.ChannelSettings(ctx, guildB, "5"); s != (ChannelSettings{}) {
			t.Fatalf("server B sees server A's settings: %+v", s)
		}
		if err := l.SetChannelSettings(ctx, guildA, "5", ChannelSettings{}); err != nil {
			t.Fatal(err)
		}
		if s, _ := l.ChannelSettings(ctx, guildA, "5"); s.NoMentions || s.Private {
			t.Fatalf("not back to the defaults: %+v", s)
		}
		for _, bad := range [][2]string{{"", "5"}, {index.Shared, "5"}, {guildA, "x/../y"}, {guildA, ""}} {
			if err := l.SetChannelSettings(ctx, bad[0], bad[1], ChannelSettings{Thread: true}); err == nil {
				t.Errorf("%q: accepted", bad)
			}
		}
	})
}

// Settings written by one process are read by another.
func TestPostgresChannelSettingsAreShared(t *testing.T) {
	url := pgtest.URL(t)
	a, b := openPostgres(t, url, Quota{}), openPostgres(t, url, Quota{})
	ctx := context.Background()
	if err := a.SetChannelSettings(ctx, guildA, "5", ChannelSettings{Private: true}); err != nil {
		t.Fatal(err)
	}
	if s, err := b.ChannelSettings(ctx, guildA, "5"); err != nil || !s.Private {
		t.Fatalf("the other process reads %+v, %v", s, err)
	}
	if err := b.PutFeedback(ctx, vote(guildA, "1", "7", VoteUp, time.Now())); err != nil {
		t.Fatal(err)
	}
	if got, _ := a.Feedback(ctx, guildA); len(got) != 1 {
		t.Fatalf("the other process reads %d votes", len(got))
	}
}
