package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode"

	"github.com/storybot/storybot/corpus/synth"
	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/answer"
)

// TestHostileUsersLeaveOthersP99Within2x is issue 11's stress test at a
// small scale, over signed HTTP interactions with the default rate limits:
// ordinary users (a new one on every request) ask at a steady rate while
// ten hostile users, taking turns so that each asks exactly as often as the
// per-user rate limit allows, ask the most expensive questions there are (a word typed 200 times, the archive's 36
// commonest words). Their p99 must stay within 2× of the same users' p99
// with the hostile ones idle.
//
// The two conditions alternate in short phases and each p99 pools its
// phases, so a neighbour's load on a shared machine falls on both; and a
// failing comparison is measured again, up to three times, before the test
// fails. A regression fails every time: before issue 11 a repeated word
// alone kept both cores busy for a quarter of a second.
func TestHostileUsersLeaveOthersP99Within2x(t *testing.T) {
	if testing.Short() {
		t.Skip("a 10k-paragraph archive and some seconds of load")
	}
	c, err := synth.Shared(10_000)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.NewMemory(c.Stories)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	r := newLogRig(t, answer.New(ix), Options{RatePerUser: 0.5, RatePerChannel: 2}, nil)
	var ordinary []map[string]any
	for _, k := range []struct{ kind, cmd, opt string }{{"ask", "ask", "question"}, {"who", "who-said", "quote"}, {"when", "when", "event"}} {
		for _, q := range c.Sample(k.kind, 100, 3) {
			ordinary = append(ordinary, map[string]any{"cmd": k.cmd, "opt": k.opt, "q": q.Question})
		}
	}
	hostile := []string{strings.TrimSpace(strings.Repeat("said ", 200)), strings.Join(commonSurfaceWords(c, 36), " ")}

	for attempt := 1; attempt <= 3; attempt++ {
		m := r.measureUnderHostiles(t, ordinary, hostile)
		u99, l99 := p99(m.unloaded), p99(m.loaded)
		u50, un := pooled(m.unloaded, 50)
		l50, ln := pooled(m.loaded, 50)
		pu99, _ := pooled(m.unloaded, 99)
		pl99, _ := pooled(m.loaded, 99)
		t.Logf("attempt %d: ordinary users unloaded: p50 %v, p99 %v (pooled %v) over %d requests; "+
			"with 10 hostile users (%d requests): p50 %v, p99 %v (pooled %v) over %d requests; p99 ratio %.2f",
			attempt, u50, u99, pu99, un, m.hostile, l50, l99, pl99, ln, float64(l99)/float64(u99))
		if n := r.rec.total(ReasonThrottled); n != 0 {
			t.Fatalf("%d requests were throttled: the hostile users must stay within the rate limit", n)
		}
		if m.hostile < 25 {
			t.Fatalf("only %d hostile requests were answered", m.hostile)
		}
		if l99 <= 2*u99 {
			return
		}
	}
	t.Errorf("three times out of three, 10 hostile users more than doubled the others' p99")
}

// loadResult holds the ordinary users' latencies, phase by phase.
type loadResult struct {
	unloaded, loaded [][]time.Duration
	hostile          int
}

// p99 is a condition's figure: the median of its phases' p99s, so that a
// stall of the whole machine in one phase, which a shared machine has now
// and then, moves it no more than a little.
func p99(phases [][]time.Duration) time.Duration {
	var ps []time.Duration
	for _, ph := range phases {
		if len(ph) > 0 {
			ps = append(ps, synth.Percentile(ph, 99))
		}
	}
	return synth.Percentile(ps, 50)
}

func pooled(phases [][]time.Duration, p int) (time.Duration, int) {
	var all []time.Duration
	for _, ph := range phases {
		all = append(all, ph...)
	}
	return synth.Percentile(all, p), len(all)
}

const (
	loadPhase = 1500 * time.Millisecond
	loadPairs = 5
	loadEvery = 20 * time.Millisecond // an ordinary request 50 times a second
	// Ten hostile users, each at the default limit of one request every
	// two seconds (a little slower, so timing jitter never throttles).
	hostileUsers = 10
	hostileEvery = 2010 * time.Millisecond / hostileUsers
)

func (r *logRig) measureUnderHostiles(t *testing.T, ordinary []map[string]any, hostile []string) loadResult {
	var (
		mu      sync.Mutex
		res     loadResult
		loaded  atomic.Bool
		measure atomic.Int32 // 0: none; 2i+1: unloaded phase i; 2i+2: loaded phase i
		wg      sync.WaitGroup
		seq     atomic.Int64
		busy    atomic.Int32 // requests in flight
	)
	ctx, cancel := context.WithCancel(context.Background())
	post := func(user, channel, guild string, o map[string]any) (time.Duration, bool) {
		_, p := slash(user, o["cmd"].(string), o["opt"].(string), o["q"].(string))
		p["channel_id"], p["guild_id"] = channel, guild
		body, _ := json.Marshal(p)
		start := time.Now()
		code, resp := r.post(t, body, time.Now(), r.priv)
		return time.Since(start), code == 200 && !strings.Contains(string(resp), "faster than I can")
	}
	// The hostile users take turns, one request every hostileEvery, so
	// each asks exactly as often as its rate limit allows.
	wg.Go(func() {
		tick := time.NewTicker(hostileEvery)
		defer tick.Stop()
		for i := 0; ctx.Err() == nil; {
			<-tick.C
			if !loaded.Load() {
				continue
			}
			h := i % hostileUsers
			o := map[string]any{"cmd": "ask", "opt": "question", "q": hostile[(i/hostileUsers)%len(hostile)]}
			i++
			busy.Add(1)
			wg.Go(func() {
				defer busy.Add(-1)
				if _, ok := post(fmt.Sprint("hostile-", h), fmt.Sprint("hostile-chan-", h), "hostile-guild", o); ok {
					mu.Lock()
					res.hostile++
					mu.Unlock()
				}
			})
		}
	})
	wg.Go(func() {
		tick := time.NewTicker(loadEvery)
		defer tick.Stop()
		for ctx.Err() == nil {
			<-tick.C
			phase := measure.Load()
			if phase == 0 {
				continue
			}
			n := seq.Add(1)
			o := ordinary[int(n)%len(ordinary)]
			busy.Add(1)
			wg.Go(func() {
				defer busy.Add(-1)
				d, ok := post(fmt.Sprint("user-", n), fmt.Sprint("chan-", n), fmt.Sprint("guild-", n%4), o)
				if !ok {
					return
				}
				mu.Lock()
				if phase%2 == 1 {
					res.unloaded[phase/2] = append(res.unloaded[phase/2], d)
				} else {
					res.loaded[phase/2-1] = append(res.loaded[phase/2-1], d)
				}
				mu.Unlock()
			})
		}
	})
	res.unloaded, res.loaded = make([][]time.Duration, loadPairs), make([][]time.Duration, loadPairs)
	for i := range int32(loadPairs) {
		measure.Store(2*i + 1)
		time.Sleep(loadPhase)
		loaded.Store(true)
		measure.Store(2*i + 2)
		time.Sleep(loadPhase)
		loaded.Store(false)
		measure.Store(0)
		// The next phase starts once every answer of this one is out and
		// its garbage collected, so that no phase inherits a backlog.
		for deadline := time.Now().Add(time.Minute); busy.Load() > 0 && time.Now().Before(deadline); {
			time.Sleep(10 * time.Millisecond)
		}
		runtime.GC()
	}
	cancel()
	wg.Wait()
	return res
}

// commonSurfaceWords are the n words of at least four letters that most
// paragraphs of c hold.
func commonSurfaceWords(c *synth.Corpus, n int) []string {
	df := map[string]int{}
	for _, st := range c.Stories {
		for _, p := range st.Paragraphs {
			seen := map[string]bool{}
			for _, w := range strings.FieldsFunc(strings.ToLower(p.Text), func(r rune) bool { return !unicode.IsLetter(r) }) {
				if len(w) >= 4 && !seen[w] {
					seen[w] = true
					df[w]++
				}
			}
		}
	}
	words := make([]string, 0, len(df))
	for w := range df {
		words = append(words, w)
	}
	sort.Slice(words, func(i, j int) bool {
		return df[words[i]] > df[words[j]] || df[words[i]] == df[words[j]] && words[i] < words[j]
	})
	return words[:min(n, len(words))]
}
