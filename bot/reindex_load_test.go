package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/storybot/storybot/bot/discordtest"
	"github.com/storybot/storybot/corpus/synth"
	"github.com/storybot/storybot/index/answer"
)

// TestQueriesDuringLargeReindex asks questions from 8 goroutines through
// the fake Discord while /reindex rebuilds a 5,000-story corpus: every
// question gets an answer, from the old index or the new one.
func TestQueriesDuringLargeReindex(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 5,000-story index")
	}
	const (
		stories  = 5000
		askers   = 8
		minEach  = 3 // questions each asker has answered before the build may finish
		oldStory = 100
	)
	// About 12 paragraphs a story, as synth writes them.
	c, err := synth.Generate(stories*12, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Stories) < stories {
		t.Fatalf("synth wrote %d stories", len(c.Stories))
	}
	root := filepath.Join(t.TempDir(), "corpus")
	dir := filepath.Join(root, "_servers", testGuild)
	// The live index holds the first stories; the questions are about
	// them, so both the old index and the new one can answer.
	first := &synth.Corpus{Files: c.Files[:oldStory]}
	if err := first.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	lib := openLibrary(t, root)
	ix := lib.Index()
	if err := c.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	old := map[string]bool{}
	for _, st := range c.Stories[:oldStory] {
		old[st.ID] = true
	}
	var questions []synth.Question
	for _, q := range c.Questions {
		if old[q.Story] {
			questions = append(questions, q)
		}
	}

	// Halfway through the build, it waits until every asker has had
	// answers, so the questions certainly overlap the reindex.
	var answeredAll sync.WaitGroup
	answeredAll.Add(askers)
	hook := func(done, total int) {
		if done == total/2 {
			waitGroupTimeout(&answeredAll, time.Minute)
		}
	}
	fake := startGateway(t, answer.New(ix), Options{Moderation: Moderation{
		Library: lib, Audit: quietLog(), progressHook: hook,
	}})
	replies := routeReplies(fake)

	id, p := modCommand(permMod, CmdReindex, nil, nil)
	fake.Dispatch("INTERACTION_CREATE", p)
	var reindexed atomic.Bool

	var wg sync.WaitGroup
	var asked, failed atomic.Int64
	var firstFailure atomic.Value
	commands := map[string][2]string{"ask": {CmdAsk, "question"}, "who": {CmdWhoSaid, "quote"}, "when": {CmdWhen, "event"}}
	for g := range askers {
		wg.Go(func() {
			counted := false
			for i := 0; ; i++ {
				if i >= minEach && !counted {
					answeredAll.Done()
					counted = true
				}
				if counted && reindexed.Load() {
					return
				}
				q := questions[(g*7919+i*31)%len(questions)]
				cmdName := commands[q.Kind]
				qid, p := slash(fmt.Sprintf("asker-%d", g), cmdName[0], cmdName[1], q.Question)
				asked.Add(1)
				fake.Dispatch("INTERACTION_CREATE", p)
				if err := replies.await(qid); err != nil {
					failed.Add(1)
					firstFailure.CompareAndSwap(nil, fmt.Sprintf("%s %q: %v", cmdName[0], q.Question, err))
					if !counted {
						answeredAll.Done()
						counted = true
					}
					return
				}
			}
		})
	}
	// A reindex under the race detector on a busy machine takes a while;
	// the bound is for a hang, not a measure of speed.
	summary, err := replies.awaitContaining(id, "Reindexed", 5*time.Minute)
	reindexed.Store(true)
	if err != nil {
		t.Fatal(err)
	}
	assertNoPings(t, []byte(summary))
	wg.Wait()
	if f := failed.Load(); f > 0 {
		t.Fatalf("%d of %d questions failed; the first: %v", f, asked.Load(), firstFailure.Load())
	}
	if !strings.Contains(summary, fmt.Sprintf("Reindexed %d stories", len(c.Stories))) {
		t.Errorf("summary %s", summary)
	}
	if n := len(ix.Stories(guildScope)); n != len(c.Stories) {
		t.Errorf("%d stories indexed, want %d", n, len(c.Stories))
	}
	t.Logf("%d questions answered during the reindex", asked.Load())
}

func waitGroupTimeout(wg *sync.WaitGroup, d time.Duration) {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
	}
}

// replyRouter hands each interaction's replies to whoever waits for them,
// so that many goroutines can wait without scanning every request.
type replyRouter struct {
	mu    sync.Mutex
	boxes map[string]chan discordtest.Request
}

var tokenInPath = regexp.MustCompile(`/tok(\d+)/`)

func routeReplies(fake *discordtest.Server) *replyRouter {
	rr := &replyRouter{boxes: map[string]chan discordtest.Request{}}
	fake.Observe(func(r discordtest.Request) {
		if m := tokenInPath.FindStringSubmatch(r.Path); m != nil {
			select {
			case rr.box(m[1]) <- r:
			default:
			}
		}
	})
	return rr
}

func (rr *replyRouter) box(id string) chan discordtest.Request {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	b := rr.boxes[id]
	if b == nil {
		b = make(chan discordtest.Request, 8)
		rr.boxes[id] = b
	}
	return b
}

// awaitContaining waits for a reply to interaction id containing want.
func (rr *replyRouter) awaitContaining(id, want string, d time.Duration) (string, error) {
	timeout := time.After(d)
	for {
		select {
		case r := <-rr.box(id):
			if strings.Contains(string(r.Body), want) {
				return string(r.Body), nil
			}
		case <-timeout:
			return "", fmt.Errorf("no reply containing %q to interaction %s", want, id)
		}
	}
}

// await waits for interaction id's answer, following a deferral to its
// edit, and checks that it is an answer rather than an error note.
func (rr *replyRouter) await(id string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		select {
		case r := <-rr.box(id):
			var msg struct {
				Type int `json:"type"`
				Data struct {
					Content string            `json:"content"`
					Embeds  []json.RawMessage `json:"embeds"`
				} `json:"data"`
			}
			body := r.Body
			if r.Method == "PATCH" {
				body = []byte(`{"type":4,"data":` + string(r.Body) + `}`)
			}
			if err := json.Unmarshal(body, &msg); err != nil {
				return err
			}
			if msg.Type == 5 {
				continue // deferred: the edit follows
			}
			if len(msg.Data.Embeds) != 1 || msg.Data.Content != "" {
				return fmt.Errorf("not an answer: %s", r.Body)
			}
			return nil
		case <-ctx.Done():
			return fmt.Errorf("no answer")
		}
	}
}
