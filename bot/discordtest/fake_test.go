package discordtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

func (s *Server) send(t *testing.T, method, path, body string) (int, float64) {
	t.Helper()
	req, _ := http.NewRequest(method, s.URL+"/api/v10"+path, bytes.NewReader([]byte(body)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e struct{ Code float64 }
	_ = json.NewDecoder(resp.Body).Decode(&e)
	return resp.StatusCode, e.Code
}

// The fake answers as Discord does when a bot gets the order wrong.
func TestWebhookNeedsAnAnsweredInteraction(t *testing.T) {
	s := New(t)
	s.deliver([]byte(`{"id":"11","token":"tokA"}`))
	s.deliver([]byte(`{"id":"12","token":"tokB"}`))
	steps := []struct {
		method, path, body string
		status             int
		code               float64
	}{
		{"PATCH", "/webhooks/" + AppID + "/tokA/messages/@original", `{}`, 404, 10015}, // before the callback
		{"POST", "/webhooks/" + AppID + "/tokA", `{}`, 404, 10015},
		{"POST", "/interactions/99/tokA/callback", `{"type":5}`, 404, 10062}, // wrong ID
		{"POST", "/interactions/11/tokA/callback", `{"type":5}`, 204, 0},
		{"POST", "/interactions/11/tokA/callback", `{"type":4}`, 400, 40060}, // twice
		{"PATCH", "/webhooks/" + AppID + "/tokA/messages/@original", `{}`, 200, 0},
		{"POST", "/webhooks/" + AppID + "/tokA", `{}`, 200, 0},
		{"POST", "/interactions/12/tokB/callback", `{"type":8}`, 204, 0}, // choices leave no message
		{"PATCH", "/webhooks/" + AppID + "/tokB/messages/@original", `{}`, 404, 10015},
		{"PATCH", "/webhooks/" + AppID + "/never/messages/@original", `{}`, 404, 10015},
	}
	for _, st := range steps {
		if status, code := s.send(t, st.method, st.path, st.body); status != st.status || code != st.code {
			t.Errorf("%s %s: %d (code %v), want %d (code %v)", st.method, st.path, status, code, st.status, st.code)
		}
	}
}

func TestA429ChangesNothing(t *testing.T) {
	s := New(t)
	s.deliver([]byte(`{"id":"11","token":"tokA"}`))
	s.Fail429Once("POST /interactions/", 0.01)
	if status, _ := s.send(t, "POST", "/interactions/11/tokA/callback", `{"type":4}`); status != 429 {
		t.Fatalf("status %d", status)
	}
	if status, _ := s.send(t, "POST", "/interactions/11/tokA/callback", `{"type":4}`); status != 204 {
		t.Fatalf("the retry got %d", status)
	}
}

func TestEndpointCountsTheFlushedReply(t *testing.T) {
	s := New(t)
	edit := "/webhooks/" + AppID + "/tokH/messages/@original"
	var before, after int
	h := s.Endpoint(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"type":5}`))
		before, _ = s.send(t, "PATCH", edit, `{}`)
		_ = http.NewResponseController(w).Flush()
		after, _ = s.send(t, "PATCH", edit, `{}`)
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/interactions", bytes.NewReader([]byte(`{"id":"13","type":2,"token":"tokH"}`))))
	if before != 404 || after != 200 {
		t.Fatalf("edit before the flush %d, after %d; want 404, 200", before, after)
	}
}

// The first follow-up after a deferral becomes the deferred message and
// keeps its visibility, as on Discord; once the deferral is resolved, a
// follow-up is a message of its own, private if it says so.
func TestFollowupsAfterADeferral(t *testing.T) {
	s := New(t)
	s.deliver([]byte(`{"id":"21","token":"tokF","type":2,"channel_id":"4"}`))
	s.deliver([]byte(`{"id":"22","token":"tokG","type":2,"channel_id":"4"}`))
	hook := "/webhooks/" + AppID
	for _, st := range []struct{ method, path, body string }{
		{"POST", "/interactions/21/tokF/callback", `{"type":5}`},
		{"POST", hook + "/tokF", `{"content":"secret","flags":64}`},
		{"POST", "/interactions/22/tokG/callback", `{"type":5}`},
		{"PATCH", hook + "/tokG/messages/@original", `{"content":"placeholder"}`},
		{"POST", hook + "/tokG", `{"content":"secret","flags":64}`},
		{"DELETE", hook + "/tokG/messages/@original", ``},
	} {
		if status, _ := s.send(t, st.method, st.path, st.body); status >= 300 {
			t.Fatalf("%s %s: %d", st.method, st.path, status)
		}
	}
	f := s.Exchange("tokF")
	if len(f.Followups) != 1 || !f.Followups[0].ReplacedOriginal || f.Followups[0].Private || f.Original["content"] != "secret" {
		t.Errorf("a follow-up straight after a public deferral: %+v", f)
	}
	g := s.Exchange("tokG")
	if len(g.Followups) != 1 || g.Followups[0].ReplacedOriginal || !g.Followups[0].Private || !g.Deleted || g.Original != nil {
		t.Errorf("a follow-up after the deferral was resolved: %+v", g)
	}
	if status, code := s.send(t, "PATCH", hook+"/tokG/messages/@original", `{}`); status != 404 || code != 10015 {
		t.Errorf("editing a deleted message: %d %v", status, code)
	}
}

// Discord takes each kind of first response only for the interactions it
// suits: an update for a button, a form not for a form, choices only for
// an autocomplete.
func TestResponseTypesSuitTheInteraction(t *testing.T) {
	s := New(t)
	form := `{"type":9,"data":{"custom_id":"why:1","title":"Why?","components":[{"type":1,"components":[]}]}}`
	for i, c := range []struct {
		typ  int
		body string
		ok   bool
	}{
		{2, `{"type":7,"data":{}}`, false}, {3, `{"type":7,"data":{}}`, true}, {3, `{"type":6}`, true},
		{5, form, false}, {3, form, true}, {2, form, true}, {2, `{"type":9,"data":{"custom_id":"x"}}`, false},
		{4, `{"type":4,"data":{}}`, false}, {4, `{"type":8,"data":{}}`, true}, {2, `{"type":8,"data":{}}`, false},
	} {
		id, tok := fmt.Sprint(30+i), fmt.Sprint("tokT", i)
		s.deliver([]byte(fmt.Sprintf(`{"id":%q,"token":%q,"type":%d,"message":{"id":"77"}}`, id, tok, c.typ)))
		status, _ := s.send(t, "POST", "/interactions/"+id+"/"+tok+"/callback", c.body)
		if (status == 204) != c.ok {
			t.Errorf("interaction type %d, response %s: %d", c.typ, c.body, status)
		}
	}
}

func TestThreads(t *testing.T) {
	s := New(t)
	status, _ := s.send(t, "POST", "/channels/4/messages/77/threads", `{"name":"Who said it?"}`)
	th := s.Threads()
	if status != 201 || len(th) != 1 || th[0].Parent != "4" || th[0].Message != "77" || th[0].Name != "Who said it?" {
		t.Fatalf("%d %+v", status, th)
	}
	if status, code := s.send(t, "POST", "/channels/"+th[0].ID+"/messages/78/threads", `{"name":"again"}`); status != 400 || code != 50024 {
		t.Errorf("a thread in a thread: %d %v", status, code)
	}
}

// Threads start as Discord starts them: from a message in a text channel,
// and as a post with its first message in a forum, which needs one.
func TestThreadsAndForumPosts(t *testing.T) {
	s := New(t)
	s.AddChannel("21", ChannelForum, "9")
	for _, c := range []struct {
		path, body string
		want       int
	}{
		{"/channels/20/messages/30/threads", `{"name":"On a message"}`, 201},
		{"/channels/21/threads", `{"name":"A post","message":{"content":"first"}}`, 201},
		{"/channels/21/threads", `{"name":"No message"}`, 400},
		{"/channels/21/messages/30/threads", `{"name":"From a message in a forum"}`, 400},
		{"/channels/20/threads", `{"name":"x","message":{"content":"only forums"}}`, 400},
		{"/channels/20/messages/30/threads", `{"name":""}`, 400},
	} {
		if got, _ := s.send(t, "POST", c.path, c.body); got != c.want {
			t.Errorf("POST %s %s: %d, want %d", c.path, c.body, got, c.want)
		}
	}
	th := s.Threads()
	if len(th) != 2 || th[0].Parent != "20" || th[0].Message != "30" || th[1].Parent != "21" || th[1].Message != th[1].ID || th[1].Guild != "9" {
		t.Fatalf("threads %+v", th)
	}
	var ch struct {
		Type     int    `json:"type"`
		ParentID string `json:"parent_id"`
	}
	req, _ := http.NewRequest("GET", s.URL+"/api/v10/channels/"+th[0].ID, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_ = json.NewDecoder(resp.Body).Decode(&ch)
	if ch.Type != ChannelPublicThread || ch.ParentID != "20" {
		t.Errorf("GET the thread: %+v", ch)
	}
}
