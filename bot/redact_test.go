package bot

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/bot/discordtest"
)

// TestNoTokenInLogsWhenEditsFail runs an answer whose progress note and
// every edit fail, on the network (so net/http quotes the URL in its
// error) and with Discord errors, until the bot gives up; then it reads
// every line logged and finds neither the bot token nor the interaction
// token, and the URL shown is the real base, not discord.com.
func TestNoTokenInLogsWhenEditsFail(t *testing.T) {
	t.Parallel()
	progressive := func(next Handler) Handler {
		return func(ctx context.Context, r Request) (Response, error) {
			ShowProgress(ctx, note("Working on it…"))
			time.Sleep(30 * time.Millisecond)
			return next(ctx, r)
		}
	}
	r := newLogRig(t, builtinEngine(t), Options{DeferAfter: 1, EditRetry: 5 * time.Millisecond, Middleware: []Middleware{progressive}},
		func(b *Bot) { b.tokenLifetime = 300 * time.Millisecond })
	r.fake.Fail("PATCH /webhooks/", 0, 3)
	r.fake.Fail("PATCH /webhooks/", 500, 1000)
	id, p := slash("u1", "ask", "question", "Molotov cocktails")
	if code, body := r.send(t, p); code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	r.waitLog(t, noAnswerLine(ReasonDelivery))
	r.waitLog(t, noAnswerLine(ReasonProgress))
	logs := r.logs.String()
	if testing.Verbose() {
		t.Log(logs)
	}
	interactionToken := "tok" + id
	for _, secret := range []string{testToken, interactionToken} {
		if strings.Contains(logs, secret) {
			t.Errorf("%q appears in the log:\n%s", secret, logs)
		}
	}
	if !strings.Contains(logs, r.fake.URL+"/api/") || !strings.Contains(logs, "/webhooks/"+discordtest.AppID+"/"+redacted+"/messages") {
		t.Errorf("the log does not show the real base with the token redacted:\n%s", logs)
	}
	if strings.Contains(logs, "discord.com") {
		t.Errorf("the log names discord.com, where no request went:\n%s", logs)
	}
}

func TestRedactorRemovesTokensEverywhere(t *testing.T) {
	var buf bytes.Buffer
	s := &secrets{}
	s.connect(Connection{Token: "Bot MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz012345", APIBase: "http://proxy.internal:8080/"})
	log := slog.New(redactingHandler{next: slog.NewTextHandler(&buf, nil), s: s})
	tok := "aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OnNlY3JldA"
	url := "https://discord.com/api/v10/webhooks/100000000000000002/" + tok + "/messages/@original"
	log.With("url", url).Warn("edit failed: Patch \""+url+"\": EOF",
		"err", errors.New(`Post "https://discord.com/api/v10/interactions/1/`+tok+`/callback": reset`),
		"payload", map[string]any{"raw": `{"token":"` + tok + `"}`},
		"header", "Authorization: Bot MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz012345",
		slog.Group("g", "inner", url), "n", 3)
	out := buf.String()
	if strings.Contains(out, tok) || strings.Contains(out, "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe") {
		t.Errorf("a token survived:\n%s", out)
	}
	if strings.Contains(out, "discord.com") || !strings.Contains(out, "http://proxy.internal:8080/api/v10/webhooks/100000000000000002/[redacted]/messages") {
		t.Errorf("the URL does not show the real base:\n%s", out)
	}
	if !strings.Contains(out, "n=3") {
		t.Errorf("other values changed:\n%s", out)
	}
}

// The errors the bot returns to its caller, which prints them, name the
// API base the requests went to and no token, as its log lines do.
func TestReturnedErrorsNameTheRealBase(t *testing.T) {
	const token = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz012345"
	c := Connection{Token: "Bot " + token, AppID: discordtest.AppID, APIBase: "http://127.0.0.1:1"}
	b := New(builtinEngine(t), Options{Log: quietLog()})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for name, err := range map[string]error{"gateway": b.RunGateway(ctx, c), "registration": RegisterOverREST(c)} {
		if err == nil {
			t.Fatalf("%s: no error from a closed port", name)
		}
		if msg := err.Error(); strings.Contains(msg, "discord.com") || !strings.Contains(msg, "127.0.0.1:1") || strings.Contains(msg, token) {
			t.Errorf("%s: %s", name, msg)
		}
	}
}
