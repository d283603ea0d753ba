package bot

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/storybot/storybot/bot/discordtest"
)

func TestAttachmentRedirectsStayOnTheCDN(t *testing.T) {
	t.Parallel()
	// inside stands for a server on the bot's own network.
	inside := discordtest.New(t)
	secret := inside.ServeFile("secret.txt", "text/plain", []byte("internal"))
	var hops atomic.Int64
	cdn := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/story.txt":
			_, _ = w.Write([]byte("a story"))
		case "/moved.txt":
			http.Redirect(w, r, "/story.txt", http.StatusFound)
		case "/to-inside.txt":
			http.Redirect(w, r, secret, http.StatusFound)
		case "/to-plain-http.txt":
			http.Redirect(w, r, "http://cdn.discordapp.com/attachments/1/2/x.txt", http.StatusFound)
		default: // an endless chain
			hops.Add(1)
			http.Redirect(w, r, "/loop"+r.URL.Path, http.StatusFound)
		}
	}))
	defer cdn.Close()
	u, _ := url.Parse(cdn.URL)
	m := newModeration(Moderation{AttachmentHosts: []string{u.Host, "cdn.discordapp.com"}}, nil, quietLog())
	get := func(path string) (string, error) {
		data, err := m.download(context.Background(), Attachment{Filename: "x.txt", Size: 10, URL: cdn.URL + path})
		return string(data), err
	}
	if data, err := get("/moved.txt"); err != nil || data != "a story" {
		t.Errorf("a redirect on the CDN: %q, %v", data, err)
	}
	for _, path := range []string{"/to-inside.txt", "/to-plain-http.txt", "/loop.txt"} {
		if _, err := get(path); err == nil {
			t.Errorf("%s: downloaded", path)
		}
	}
	if n := inside.Fetched("secret.txt"); n != 0 {
		t.Errorf("followed a redirect off the CDN %d times", n)
	}
	if n := hops.Load(); n > maxRedirects+1 {
		t.Errorf("followed %d redirects", n)
	}
}

func TestAttachmentsNeedHTTPSExceptOnLoopback(t *testing.T) {
	m := newModeration(Moderation{AttachmentHosts: []string{"cdn.discordapp.com", "127.0.0.1:8080", "10.0.0.1:80"}}, nil, quietLog())
	for raw, ok := range map[string]bool{
		"https://cdn.discordapp.com/a.txt": true,
		"http://cdn.discordapp.com/a.txt":  false,
		"http://127.0.0.1:8080/a.txt":      true,
		"http://10.0.0.1:80/a.txt":         false,
		"https://evil.example/a.txt":       false,
		"ftp://cdn.discordapp.com/a.txt":   false,
	} {
		u, _ := url.Parse(raw)
		if got := m.checkAttachmentURL(u) == nil; got != ok {
			t.Errorf("%s: allowed %v, want %v", raw, got, ok)
		}
	}
}
