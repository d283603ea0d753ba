package bot

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/storybot/storybot/bot/discordtest"
	"github.com/storybot/storybot/corpus/synth"
)

// BenchmarkGatewayAnswerLatency measures, through the fake Discord, the
// time from an INTERACTION_CREATE leaving the gateway to the bot's answer
// arriving at the callback route, with 50 interactions in flight at once.
func BenchmarkGatewayAnswerLatency(b *testing.B) {
	const concurrent = 50
	fake := startGateway(b, builtinEngine(b), Options{RatePerUser: 1e6, RatePerChannel: 1e6})
	questions := []struct{ cmd, opt, q string }{
		{"ask", "question", "What did the ministry urge citizens to make?"},
		{"who-said", "quote", "dialogue and peaceful means"},
		{"when", "event", "Putin authorized a special military operation"},
		{"ask", "question", "When did the Taliban return to power?"},
	}
	var mu sync.Mutex
	sent := map[string]time.Time{}
	var latencies []time.Duration
	var wg sync.WaitGroup
	fake.Observe(func(r discordtest.Request) {
		if r.Method != "POST" || !strings.HasSuffix(r.Path, "/callback") || r.Status != 204 {
			return
		}
		id := strings.Split(r.Path, "/")[2]
		mu.Lock()
		if t, ok := sent[id]; ok {
			delete(sent, id)
			latencies = append(latencies, r.At.Sub(t))
			wg.Done()
		}
		mu.Unlock()
	})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		wg.Add(concurrent)
		for j := 0; j < concurrent; j++ {
			q := questions[j%len(questions)]
			id, p := slash("bench-user", q.cmd, q.opt, q.q)
			mu.Lock()
			sent[id] = time.Now()
			mu.Unlock()
			go fake.Dispatch("INTERACTION_CREATE", p)
		}
		wg.Wait()
	}
	b.StopTimer()
	synth.ReportLatency(b, latencies)
	b.ReportMetric(0, "ns/op")
}
