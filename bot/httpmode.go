package bot

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// MaxSignatureAge is how old a request's timestamp may be; older ones are
// refused as replays.
const MaxSignatureAge = 5 * time.Minute

// InteractionServer serves Discord's HTTP interactions at POST
// /interactions. It keeps no state between requests, so replicas can run
// behind a load balancer; "More passages" carries its state in the button.
type InteractionServer struct {
	bot  *Bot
	key  ed25519.PublicKey
	rest *discordgo.Session
	now  func() time.Time
	// work outlives each HTTP request: a deferred answer is edited in
	// after the HTTP reply has gone.
	work     context.Context
	stop     context.CancelFunc
	inflight tracker
}

// NewInteractionServer checks requests with the application's public key
// and sends follow-ups over REST through c (token and API base); REST goes
// through discordgo, which waits out Discord's 429s and retries.
func (b *Bot) NewInteractionServer(publicKey ed25519.PublicKey, c Connection) (*InteractionServer, error) {
	b.connected(c)
	s, err := c.session()
	if err != nil {
		return nil, err
	}
	work, stop := context.WithCancel(context.Background())
	return &InteractionServer{bot: b, key: publicKey, rest: s, now: b.now, work: work, stop: stop}, nil
}

// Close waits up to grace for deferred answers to be sent. Interactions
// arriving meanwhile are refused with 503.
func (s *InteractionServer) Close(grace time.Duration) {
	s.inflight.close(grace)
	s.stop()
}

func (s *InteractionServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/interactions" {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	if !s.verify(r.Header.Get("X-Signature-Ed25519"), r.Header.Get("X-Signature-Timestamp"), body) {
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	var i discordgo.Interaction
	if err := json.Unmarshal(body, &i); err != nil {
		http.Error(w, "bad interaction", http.StatusBadRequest)
		return
	}
	if !s.inflight.start() {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	h := &httpResponder{first: make(chan *discordgo.InteractionResponse, 1), acked: make(chan struct{}), rest: s.rest, i: &i}
	// Until the reply below is flushed, Discord does not know the
	// interaction was answered and refuses edits of it; h.Edit waits for
	// this. Every way out of here settles it, so no edit waits forever.
	ackErr := errNotAcknowledged
	defer func() { h.acknowledge(ackErr) }()
	done := make(chan error, 1)
	go func() {
		defer s.inflight.done()
		done <- s.bot.Interact(s.work, &i, body, h)
	}()
	var resp *discordgo.InteractionResponse
	select {
	case resp = <-h.first:
	case err := <-done:
		select {
		case resp = <-h.first:
		default:
			// Interact has logged and counted why.
			if errors.Is(err, ErrUnsupportedInteraction) {
				http.Error(w, "unsupported interaction type", http.StatusBadRequest)
				return
			}
			http.Error(w, "could not answer", http.StatusInternalServerError)
			return
		}
	case <-r.Context().Done():
		return
	}
	w.Header().Set("Content-Type", "application/json")
	err = json.NewEncoder(w).Encode(resp)
	if err == nil {
		err = http.NewResponseController(w).Flush()
	}
	if err != nil {
		// Respond returns this to Interact, which logs and counts it.
		ackErr = fmt.Errorf("%w: sending the HTTP reply: %w", errNotAcknowledged, err)
		return
	}
	ackErr = nil
}

// verify checks Discord's Ed25519 signature over timestamp + body, and
// that the timestamp is recent.
func (s *InteractionServer) verify(sigHex, ts string, body []byte) bool {
	sig, err := hex.DecodeString(sigHex)
	if err != nil || len(sig) != ed25519.SignatureSize || len(s.key) != ed25519.PublicKeySize {
		return false
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	if age := s.now().Sub(time.Unix(sec, 0)); age > MaxSignatureAge || age < -MaxSignatureAge {
		return false
	}
	msg := make([]byte, 0, len(ts)+len(body))
	msg = append(append(msg, ts...), body...)
	return ed25519.Verify(s.key, msg, sig)
}

// httpResponder puts the first response in the HTTP reply and sends the
// edit after a deferral over REST.
type httpResponder struct {
	first chan *discordgo.InteractionResponse
	rest  *discordgo.Session
	i     *discordgo.Interaction
	once  sync.Once
	// acked is closed once the HTTP reply has been sent (ackErr nil) or
	// has failed; ackErr is written before the close.
	acked  chan struct{}
	ackErr error
}

// Respond hands r to ServeHTTP and waits until it has written the reply,
// so that a reply that never reached Discord (the request gone, the write
// failed) is reported like any failed delivery.
func (h *httpResponder) Respond(ctx context.Context, r *discordgo.InteractionResponse) error {
	h.once.Do(func() { h.first <- r })
	select {
	case <-h.acked:
		return h.ackErr
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *httpResponder) acknowledge(err error) {
	h.ackErr = err
	close(h.acked)
}

func (h *httpResponder) Edit(ctx context.Context, e *discordgo.WebhookEdit) error {
	if err := h.sent(ctx); err != nil {
		return err
	}
	_, err := h.rest.InteractionResponseEdit(h.i, e, discordgo.WithContext(ctx))
	return err
}
