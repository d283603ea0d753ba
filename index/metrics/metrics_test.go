package metrics

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

func TestMetricsAndHealth(t *testing.T) {
	ix, err := index.NewMemory(corpus.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	m := New(ix)
	m.Answered("ask", true, 3*time.Millisecond)
	m.Answered("who-said", false, time.Millisecond)
	m.Reindexed(2*time.Second, nil)
	m.Reindexed(0, errors.New("disk full"))
	m.Failed("ask", "timeout")
	m.Failed("ask", "timeout")
	m.Failed("more", "delivery")
	srv := httptest.NewServer(m.Handler(ix))
	defer srv.Close()

	body := get(t, srv.URL+"/metrics", 200)
	for _, want := range []string{
		`storybot_answers_total{command="ask"} 1`,
		`storybot_no_answer_total{command="who-said"} 1`,
		`storybot_answer_seconds_bucket{command="ask",le="0.005"} 1`,
		`storybot_reindex_seconds_count 1`,
		`storybot_reindex_failures_total 1`,
		`storybot_answer_failures_total{command="ask",reason="timeout"} 2`,
		`storybot_answer_failures_total{command="more",reason="delivery"} 1`,
		`storybot_index_stories 1`,
		`storybot_index_paragraphs 16`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	get(t, srv.URL+"/healthz", 200)
	ix.Close()
	get(t, srv.URL+"/healthz", 503)
}

func get(t *testing.T, url string, code int) string {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != code {
		t.Fatalf("%s: status %d, want %d", url, res.StatusCode, code)
	}
	return string(b)
}
