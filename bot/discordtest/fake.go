// Package discordtest is a fake Discord for end-to-end tests: the REST
// routes and the gateway websocket a bot uses, on 127.0.0.1. It records
// every request the bot sends, so tests assert on the real JSON.
package discordtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/gorilla/websocket"
)

// BotUserID is the bot's user ID in READY.
const BotUserID = "100000000000000001"

// AppID is the application ID in READY.
const AppID = "100000000000000002"

// Request is one request the bot sent.
type Request struct {
	Method string
	// Path is without the /api/vN prefix, e.g. "/channels/1/messages".
	Path  string
	Query string
	Auth  string
	Body  json.RawMessage
	// Status is what the fake answered.
	Status int
	At     time.Time
}

// JSON decodes the body into a generic map, for assertions.
func (r Request) JSON() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(r.Body, &m)
	return m
}

// Server is a running fake.
type Server struct {
	// URL is the base to give the bot as DISCORD_API_BASE.
	URL string
	srv *httptest.Server
	t   testing.TB

	mu       sync.Mutex
	requests []Request
	changed  chan struct{} // closed and replaced on every new request
	fail429  map[string]float64
	failures []failure
	conns    []*gatewayConn
	identify []json.RawMessage
	seq      atomic.Int64
	nextID   atomic.Int64
	observer func(Request)
	files    map[string]file
	fetched  map[string]int
	// interactions are those delivered to the bot, by token. Discord
	// refuses a webhook request for an interaction before its initial
	// response, so the fake does too: a bot that edits too early fails
	// here as it would in production.
	interactions map[string]*interaction
	// channels are the channels tests declared, by ID, and the threads
	// the bot opened; any other channel is a text channel.
	channels map[string]Channel
}

// failure is an injected fault: the next n requests whose "METHOD /path"
// starts with prefix get status, or with status 0 lose their connection.
type failure struct {
	prefix string
	status int
	n      int
}

// interaction is what the fake knows of one delivered interaction.
type interaction struct {
	id string
	// typ is the interaction's type (0 when the payload did not say);
	// channel is where it happened; message is the ID of the message a
	// button was on.
	typ              int
	channel, message string
	// answered is the type of the initial response once Discord has it
	// (0 before): after the callback in gateway mode, after the HTTP
	// response has been flushed in HTTP mode.
	answered int
	// deferFlags are the flags of a deferral (type 5); resolved is set
	// once its "thinking…" placeholder was replaced by a message.
	deferFlags int
	resolved   bool
	// original is the message the first response left, as edited since.
	original      map[string]any
	originalID    string
	originalFlags int
	deleted       bool
	followups     []Followup
	form          map[string]any
}

// Exchange is what became of one interaction, as its channel and its
// asker would see it.
type Exchange struct {
	// Response is the type of the first response (0 before it).
	Response int
	// Original is the message the first response left, as edited since;
	// nil when there is none or it was deleted. Private is whether only
	// the asker sees it.
	Original map[string]any
	Private  bool
	Deleted  bool
	// Followups are the messages sent after the first response.
	Followups []Followup
	// Form is the form a type 9 response opened.
	Form map[string]any
}

// Followup is one follow-up message. ReplacedOriginal marks the first
// follow-up after a deferral, which Discord turns into the deferred
// message itself, with the deferral's visibility whatever its own flags.
type Followup struct {
	Body             map[string]any
	Private          bool
	ReplacedOriginal bool
}

// hasMessage says whether an initial response of type t leaves a message
// behind whose webhook can be edited or followed up: a message (4), a
// deferral (5) or a component update (6, 7); not a pong or choices.
func hasMessage(t int) bool { return t >= 4 && t <= 7 }

// file is an attachment the fake serves, as Discord's CDN would.
type file struct {
	contentType string
	body        []byte
	endless     bool
}

// Observe calls f with every request from now on, as it is recorded; f
// must not block. Benchmarks use it to time answers without polling.
func (s *Server) Observe(f func(Request)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.observer = f
}

type gatewayConn struct {
	mu sync.Mutex
	ws *websocket.Conn
}

func (c *gatewayConn) send(v any) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ws.WriteJSON(v)
}

// New starts a fake Discord and stops it when the test ends.
func New(t testing.TB) *Server {
	s := &Server{t: t, changed: make(chan struct{}), fail429: map[string]float64{}, files: map[string]file{}, fetched: map[string]int{},
		interactions: map[string]*interaction{}, channels: map[string]Channel{}}
	s.nextID.Store(200000000000000000)
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve)) // binds 127.0.0.1
	s.URL = s.srv.URL
	t.Cleanup(s.Close)
	return s
}

// Close stops the server and its websockets.
func (s *Server) Close() {
	s.mu.Lock()
	for _, c := range s.conns {
		c.ws.Close()
	}
	s.mu.Unlock()
	s.srv.CloseClientConnections()
	s.srv.Close()
}

var apiPath = regexp.MustCompile(`^/api/v\d+(/.*)$`)

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if strings.TrimSuffix(r.URL.Path, "/") == "/gateway-ws" {
		s.gateway(w, r)
		return
	}
	if strings.HasPrefix(r.URL.Path, cdnPath) {
		s.serveFile(w, r)
		return
	}
	m := apiPath.FindStringSubmatch(r.URL.EscapedPath())
	if m == nil {
		http.NotFound(w, r)
		return
	}
	path := m[1]
	body, _ := io.ReadAll(r.Body)
	rec := Request{Method: r.Method, Path: path, Query: r.URL.RawQuery, Auth: r.Header.Get("Authorization"), Body: body, At: time.Now()}

	// A 429 is decided first: a request Discord refuses changes nothing,
	// so its retry is judged like the first try.
	key := r.Method + " " + path
	s.mu.Lock()
	var status int
	var resp any
	for prefix, after := range s.fail429 {
		if strings.HasPrefix(key, prefix) {
			delete(s.fail429, prefix)
			status, resp = http.StatusTooManyRequests, map[string]any{"message": "You are being rate limited.", "retry_after": after, "global": false}
			w.Header().Set("Retry-After", fmt.Sprint(after))
			break
		}
	}
	drop := false
	for i := range s.failures {
		f := &s.failures[i]
		if status == 0 && !drop && f.n > 0 && strings.HasPrefix(key, f.prefix) {
			f.n--
			status, resp = f.status, map[string]any{"message": "injected failure", "code": 0}
			drop = f.status == 0
		}
	}
	if status == 0 && !drop {
		status, resp = s.route(r.Method, path, body)
	}
	rec.Status = status
	s.requests = append(s.requests, rec)
	if s.observer != nil {
		s.observer(rec)
	}
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()

	if drop {
		if c, _, err := http.NewResponseController(w).Hijack(); err == nil {
			c.Close()
		}
		return
	}
	if resp == nil {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(resp)
}

var (
	routeCommands = regexp.MustCompile(`^/applications/\d+(/guilds/\d+)?/commands$`)
	routeCallback = regexp.MustCompile(`^/interactions/(\d+)/([^/]+)/callback$`)
	routeOriginal = regexp.MustCompile(`^/webhooks/\d+/([^/]+)/messages/(?:@original|%40original)$`)
	routeFollowup = regexp.MustCompile(`^/webhooks/\d+/([^/]+)$`)
	routeMessages = regexp.MustCompile(`^/channels/(\d+)/messages$`)
	routeChannel  = regexp.MustCompile(`^/channels/(\d+)$`)
	routeThreads  = regexp.MustCompile(`^/channels/(\d+)(?:/messages/(\d+))?/threads$`)
)

// route answers one REST request; s.mu is held.
func (s *Server) route(method, path string, body []byte) (int, any) {
	if method == "POST" || method == "PATCH" {
		var v any
		if json.Unmarshal(body, &v) == nil && overLimit(v) {
			return 400, map[string]any{"message": "Invalid Form Body", "code": 50035}
		}
	}
	switch {
	case method == "GET" && (path == "/gateway" || path == "/gateway/bot"):
		return 200, map[string]any{"url": "ws" + strings.TrimPrefix(s.URL, "http") + "/gateway-ws", "shards": 1,
			"session_start_limit": map[string]any{"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}}
	case method == "PUT" && routeCommands.MatchString(path):
		var cmds []map[string]any
		if err := json.Unmarshal(body, &cmds); err != nil {
			return 400, map[string]any{"message": "bad JSON", "code": 50109}
		}
		for _, c := range cmds {
			c["id"] = s.id()
			c["application_id"] = AppID
			c["version"] = "1"
		}
		return 200, cmds
	case method == "POST" && routeCallback.MatchString(path):
		m := routeCallback.FindStringSubmatch(path)
		return s.callback(m[1], m[2], body)
	case routeOriginal.MatchString(path):
		return s.original(method, routeOriginal.FindStringSubmatch(path)[1], body)
	case method == "POST" && routeFollowup.MatchString(path):
		return s.followup(routeFollowup.FindStringSubmatch(path)[1], body)
	case method == "POST" && routeMessages.MatchString(path):
		return 200, s.message(routeMessages.FindStringSubmatch(path)[1], body)
	case method == "GET" && routeChannel.MatchString(path):
		return 200, s.channel(routeChannel.FindStringSubmatch(path)[1]).json()
	case method == "POST" && routeThreads.MatchString(path):
		m := routeThreads.FindStringSubmatch(path)
		return s.startThread(m[1], m[2], body)
	}
	return 404, map[string]any{"message": "404: Not Found", "code": 0}
}

// callback is the initial response to an interaction over REST. Discord
// takes one per interaction, and only for one it delivered.
func (s *Server) callback(id, token string, body []byte) (int, any) {
	in := s.interactions[token]
	if in == nil || in.id != id {
		return 404, map[string]any{"message": "Unknown interaction", "code": 10062}
	}
	if in.answered != 0 {
		return 400, map[string]any{"message": "Interaction has already been acknowledged.", "code": 40060}
	}
	var r struct {
		Type int            `json:"type"`
		Data map[string]any `json:"data"`
	}
	if err := json.Unmarshal(body, &r); err != nil || r.Type == 0 || !in.accepts(r.Type, r.Data) {
		return 400, map[string]any{"message": "Invalid Form Body", "code": 50035}
	}
	in.answered = r.Type
	s.answer(in, r.Type, r.Data)
	return 204, nil
}

// accepts says whether Discord takes a first response of type t to the
// interaction: an update (6, 7) only for a button or a form sent from
// one, a form (9) not for a form nor an autocomplete, choices (8) only for
// an autocomplete. An interaction of unknown type takes anything.
func (in *interaction) accepts(t int, data map[string]any) bool {
	switch {
	case in.typ == 0:
		return true
	case t == 6 || t == 7:
		return in.typ == 3 || in.typ == 5
	case t == 8:
		return in.typ == 4
	case t == 9:
		title, _ := data["title"].(string)
		id, _ := data["custom_id"].(string)
		comps, _ := data["components"].([]any)
		return (in.typ == 2 || in.typ == 3) && title != "" && len([]rune(title)) <= 45 && id != "" && len(id) <= 100 &&
			len(comps) >= 1 && len(comps) <= 5
	case in.typ == 4:
		return false // an autocomplete takes choices only
	}
	return true
}

// answer records what the first response of type t leaves behind; s.mu
// is held.
func (s *Server) answer(in *interaction, t int, data map[string]any) {
	flags, _ := data["flags"].(float64)
	switch t {
	case 4:
		in.original, in.originalFlags, in.resolved = data, int(flags), true
	case 5:
		in.deferFlags, in.originalFlags = int(flags), int(flags)
	case 6:
		in.originalID, in.resolved = in.message, true
	case 7:
		in.originalID, in.original, in.resolved = in.message, data, true
	case 9:
		in.form = data
	}
	if in.originalID == "" && hasMessage(t) {
		in.originalID = s.id()
	}
}

// original serves GET, PATCH and DELETE of the message the first
// response left; s.mu is held.
func (s *Server) original(method, token string, body []byte) (int, any) {
	in := s.interactions[token]
	if in == nil || !hasMessage(in.answered) || in.deleted {
		return unknownWebhook()
	}
	switch method {
	case "GET":
	case "PATCH":
		m := map[string]any{}
		if err := json.Unmarshal(body, &m); err != nil {
			return 400, map[string]any{"message": "Invalid Form Body", "code": 50035}
		}
		in.original, in.resolved = m, true
	case "DELETE":
		in.deleted = true
		return 204, nil
	default:
		return 405, map[string]any{"message": "405: Method Not Allowed", "code": 0}
	}
	return 200, s.echo(in, in.original)
}

// followup sends a message after the first response. The first one after
// a deferral becomes the deferred message, as on Discord; s.mu is held.
func (s *Server) followup(token string, body []byte) (int, any) {
	in := s.interactions[token]
	if in == nil || !hasMessage(in.answered) {
		return unknownWebhook()
	}
	m := map[string]any{}
	_ = json.Unmarshal(body, &m)
	flags, _ := m["flags"].(float64)
	f := Followup{Body: m, Private: int(flags)&64 != 0}
	if in.answered == 5 && !in.resolved && !in.deleted {
		f.Private, f.ReplacedOriginal = in.deferFlags&64 != 0, true
		in.original, in.resolved = m, true
		in.followups = append(in.followups, f)
		return 200, s.echo(in, m)
	}
	in.followups = append(in.followups, f)
	return 200, s.message(in.channel, body)
}

// echo is the original message as Discord returns it.
func (s *Server) echo(in *interaction, m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	out["id"], out["channel_id"] = in.originalID, in.channel
	out["author"] = map[string]any{"id": BotUserID, "username": "StoryBot", "bot": true}
	return out
}

// Exchange is what became of the interaction with this token so far.
func (s *Server) Exchange(token string) Exchange {
	s.mu.Lock()
	defer s.mu.Unlock()
	in := s.interactions[token]
	if in == nil {
		return Exchange{}
	}
	x := Exchange{Response: in.answered, Deleted: in.deleted, Form: in.form, Private: in.originalFlags&64 != 0,
		Followups: append([]Followup(nil), in.followups...)}
	if !in.deleted {
		x.Original = in.original
	}
	return x
}

// answered says whether the interaction with this token has an initial
// response that left a message to edit or follow up; s.mu is held.
func (s *Server) answered(token string) bool {
	in := s.interactions[token]
	return in != nil && hasMessage(in.answered)
}

func unknownWebhook() (int, any) {
	return 404, map[string]any{"message": "Unknown Webhook", "code": 10015}
}

// deliver notes an interaction sent to the bot, so that its callback and
// webhook are known.
func (s *Server) deliver(payload []byte) {
	var in struct {
		ID      string `json:"id"`
		Token   string `json:"token"`
		Type    int    `json:"type"`
		Channel string `json:"channel_id"`
		Message struct {
			ID string `json:"id"`
		} `json:"message"`
	}
	if json.Unmarshal(payload, &in) != nil || in.Token == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.interactions[in.Token] == nil {
		s.interactions[in.Token] = &interaction{id: in.ID, typ: in.Type, channel: in.Channel, message: in.Message.ID}
	}
}

// overLimit reports whether a request body breaks one of Discord's limits
// that it enforces on every message, wherever the message sits in the body:
// a custom ID over 100 characters, or content over 2000.
// Discord refuses the whole request then, answer and buttons alike.
func overLimit(v any) bool {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if str, ok := x.(string); ok {
				n := len(utf16.Encode([]rune(str)))
				if (k == "custom_id" && n > 100) || (k == "content" && n > 2000) {
					return true
				}
			}
			if overLimit(x) {
				return true
			}
		}
	case []any:
		for _, x := range v {
			if overLimit(x) {
				return true
			}
		}
	}
	return false
}

func (s *Server) id() string { return fmt.Sprint(s.nextID.Add(1)) }

// message echoes a sent message back the way Discord does, with an ID and
// the bot as author.
func (s *Server) message(channel string, body []byte) map[string]any {
	m := map[string]any{}
	_ = json.Unmarshal(body, &m)
	m["id"] = s.id()
	m["channel_id"] = channel
	m["author"] = map[string]any{"id": BotUserID, "username": "StoryBot", "bot": true}
	return m
}

// Fail429Once makes the next request whose "METHOD /path" starts with
// prefix get 429 with retry_after seconds.
func (s *Server) Fail429Once(prefix string, retryAfter float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail429[prefix] = retryAfter
}

// Fail makes the next n requests whose "METHOD /path" starts with prefix
// get status and a JSON error, or, with status 0, lose their connection
// before any reply, as a network failure would. Recorded with Status 0.
func (s *Server) Fail(prefix string, status, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures = append(s.failures, failure{prefix: prefix, status: status, n: n})
}

// Requests returns what the bot sent so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// WaitFor waits until the bot has sent a request that match accepts and
// returns the first one. It fails the test after the timeout, which is
// generous: it bounds a hang, it is not a performance assertion.
func (s *Server) WaitFor(match func(Request) bool) Request {
	s.t.Helper()
	deadline := time.NewTimer(20 * time.Second)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		for _, r := range s.requests {
			if match(r) {
				s.mu.Unlock()
				return r
			}
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-deadline.C:
			s.t.Fatalf("discordtest: the bot never sent the expected request; it sent %d others", len(s.Requests()))
			return Request{}
		}
	}
}

// Route matches requests by method and a path suffix or exact path.
func Route(method, pathSuffix string) func(Request) bool {
	return func(r Request) bool { return r.Method == method && strings.HasSuffix(r.Path, pathSuffix) }
}

// WaitReady waits until a bot has identified on the gateway and returns
// its IDENTIFY payload.
func (s *Server) WaitReady() json.RawMessage {
	s.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		s.mu.Lock()
		if len(s.identify) > 0 {
			id := s.identify[0]
			s.mu.Unlock()
			return id
		}
		s.mu.Unlock()
		time.Sleep(5 * time.Millisecond)
	}
	s.t.Fatal("discordtest: the bot never identified")
	return nil
}

func (s *Server) gateway(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{}
	ws, err := up.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &gatewayConn{ws: ws}
	if err := c.send(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 41250}}); err != nil {
		return
	}
	for {
		var msg struct {
			Op int             `json:"op"`
			D  json.RawMessage `json:"d"`
		}
		if err := ws.ReadJSON(&msg); err != nil {
			return
		}
		switch msg.Op {
		case 1: // heartbeat
			_ = c.send(map[string]any{"op": 11})
		case 2: // identify
			ready := map[string]any{
				"v": 10, "session_id": "fake-session", "resume_gateway_url": "ws" + strings.TrimPrefix(s.URL, "http") + "/gateway-ws",
				"user":        map[string]any{"id": BotUserID, "username": "StoryBot", "discriminator": "0", "bot": true},
				"application": map[string]any{"id": AppID, "flags": 0},
				"guilds":      []any{},
			}
			if err := c.send(s.dispatchFrame("READY", ready)); err != nil {
				return
			}
			s.mu.Lock()
			s.identify = append(s.identify, msg.D)
			s.conns = append(s.conns, c)
			s.mu.Unlock()
		}
	}
}

func (s *Server) dispatchFrame(event string, d any) map[string]any {
	return map[string]any{"op": 0, "t": event, "s": s.seq.Add(1), "d": d}
}

// Dispatch sends a gateway event (such as INTERACTION_CREATE or
// MESSAGE_CREATE) to every connected bot.
func (s *Server) Dispatch(event string, d any) {
	s.t.Helper()
	s.mu.Lock()
	conns := append([]*gatewayConn(nil), s.conns...)
	s.mu.Unlock()
	if len(conns) == 0 {
		s.t.Fatal("discordtest: no bot connected")
	}
	if event == "INTERACTION_CREATE" {
		raw, err := json.Marshal(d)
		if err != nil {
			s.t.Fatalf("discordtest: dispatch %s: %v", event, err)
		}
		s.deliver(raw)
	}
	for _, c := range conns {
		if err := c.send(s.dispatchFrame(event, d)); err != nil {
			s.t.Errorf("discordtest: dispatch %s: %v", event, err)
		}
	}
}

// cdnPath is where the fake serves attachments.
const cdnPath = "/attachments/"

// ServeFile serves body as an attachment named name and returns its URL,
// for the url field of an attachment in an interaction's resolved data.
func (s *Server) ServeFile(name, contentType string, body []byte) string {
	return s.addFile(name, file{contentType: contentType, body: body})
}

// ServeEndless serves an attachment whose body never ends, as a hostile
// or broken CDN might; it stops when the client hangs up.
func (s *Server) ServeEndless(name, contentType string) string {
	return s.addFile(name, file{contentType: contentType, endless: true})
}

func (s *Server) addFile(name string, f file) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := s.id() + "/" + name
	s.files[key] = f
	return s.URL + cdnPath + key
}

// Fetched counts the downloads of attachments named name.
func (s *Server) Fetched(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fetched[name]
}

func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	key := strings.TrimPrefix(r.URL.Path, cdnPath)
	s.mu.Lock()
	f, ok := s.files[key]
	if ok {
		_, name, _ := strings.Cut(key, "/")
		s.fetched[name]++
	}
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.contentType)
	if !f.endless {
		_, _ = w.Write(f.body)
		return
	}
	chunk := []byte(strings.Repeat("All work and no play. ", 3000))
	for {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

// Endpoint wraps a bot's HTTP interactions endpoint the way Discord sees
// it: each interaction posted through it becomes known to the fake, and
// counts as answered once the bot has flushed a 200 response (or finished
// the request), not before. Only then do its callback and webhook work, so
// a bot that edits its reply before sending it gets Discord's 404.
func (s *Server) Endpoint(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.deliver(body)
		var in struct {
			Token string `json:"token"`
		}
		_ = json.Unmarshal(body, &in)
		aw := &answerWriter{ResponseWriter: w, answered: func(resp []byte) { s.answeredOverHTTP(in.Token, resp) }}
		h.ServeHTTP(aw, r)
		aw.done()
	})
}

// answeredOverHTTP records the HTTP response to an interaction.
func (s *Server) answeredOverHTTP(token string, resp []byte) {
	var r struct {
		Type int `json:"type"`
	}
	if json.Unmarshal(resp, &r) != nil || r.Type == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if in := s.interactions[token]; in != nil && in.answered == 0 {
		in.answered = r.Type
		var d struct {
			Data map[string]any `json:"data"`
		}
		_ = json.Unmarshal(resp, &d)
		s.answer(in, r.Type, d.Data)
	}
}

// answerWriter keeps what the bot writes and reports it as answered on the
// first flush, or when the handler returns.
type answerWriter struct {
	http.ResponseWriter
	status   int
	body     bytes.Buffer
	answered func(resp []byte)
	reported bool
}

func (w *answerWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *answerWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.body.Write(p)
	return w.ResponseWriter.Write(p)
}

// Flush sends what was written; after it, Discord has the response.
func (w *answerWriter) Flush() {
	_ = http.NewResponseController(w.ResponseWriter).Flush()
	w.done()
}

func (w *answerWriter) done() {
	if w.reported || w.status != http.StatusOK {
		return
	}
	w.reported = true
	w.answered(w.body.Bytes())
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *answerWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Channel types, as Discord numbers them.
const (
	ChannelText         = 0
	ChannelAnnouncement = 5
	ChannelPublicThread = 11
	ChannelForum        = 15
)

// Channel is a channel the fake knows: one a test declared with
// AddChannel, or a thread the bot started.
type Channel struct {
	ID    string
	Type  int
	Guild string
	Name  string
	// Parent is a thread's channel, and Message the message it was
	// started from (in a forum, its first post, which has the thread's ID).
	Parent  string
	Message string
}

func (c Channel) json() map[string]any {
	m := map[string]any{"id": c.ID, "type": c.Type, "name": c.Name}
	if c.Guild != "" {
		m["guild_id"] = c.Guild
	}
	if c.Parent != "" {
		m["parent_id"] = c.Parent
	}
	return m
}

// AddChannel declares a channel of a type (ChannelText, ChannelForum…) in
// a guild; channels not declared are text channels.
func (s *Server) AddChannel(id string, typ int, guild string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels[id] = Channel{ID: id, Type: typ, Guild: guild, Name: "channel-" + id}
}

// Thread is a thread the bot started: a channel whose Parent is where.
type Thread = Channel

// MarkThread makes a channel a thread, in which no thread can be opened.
func (s *Server) MarkThread(channel string) {
	s.AddChannel(channel, ChannelPublicThread, "")
}

// channel is the channel of that ID; s.mu is held.
func (s *Server) channel(id string) Channel {
	if c, ok := s.channels[id]; ok {
		return c
	}
	return Channel{ID: id, Type: ChannelText, Name: "channel-" + id}
}

// Threads are the threads the bot started, in order.
func (s *Server) Threads() []Channel {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Channel
	for _, c := range s.channels {
		if c.Type == ChannelPublicThread {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// startThread is POST /channels/{id}/threads (a forum post, which must
// carry its first message, or a thread without one in a text channel) and
// POST /channels/{id}/messages/{message}/threads; s.mu is held.
func (s *Server) startThread(parent, message string, body []byte) (int, any) {
	var req struct {
		Name    string          `json:"name"`
		Message json.RawMessage `json:"message"`
	}
	if err := json.Unmarshal(body, &req); err != nil || req.Name == "" || len([]rune(req.Name)) > 100 {
		return 400, map[string]any{"message": "Invalid Form Body", "code": 50035}
	}
	p := s.channel(parent)
	forum := p.Type == ChannelForum
	switch {
	case p.Type == ChannelPublicThread:
		return 400, map[string]any{"message": "Cannot execute action on this channel type", "code": 50024}
	case forum && (message != "" || len(req.Message) == 0 || string(req.Message) == "null"):
		return 400, map[string]any{"message": "A forum post needs a message", "code": 50035}
	case !forum && message == "" && len(req.Message) > 0 && string(req.Message) != "null":
		return 400, map[string]any{"message": "Only forum posts start with a message", "code": 50035}
	}
	th := Channel{ID: s.id(), Type: ChannelPublicThread, Guild: p.Guild, Name: req.Name, Parent: parent, Message: message}
	out := th.json()
	if forum {
		th.Message = th.ID
		msg := s.message(th.ID, req.Message)
		msg["id"] = th.ID
		out["message"] = msg
	}
	s.channels[th.ID] = th
	return 201, out
}
