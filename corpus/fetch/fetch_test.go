package fetch

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"
)

const page = `<html><head><title>T</title></head><body><p>Hello.</p></body></html>`

// server is an httptest server on 127.0.0.1 that counts its requests.
func server(t *testing.T, h http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s, &n
}

func htmlPage(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(page))
}

var allow = Options{AllowPrivate: true}

func TestFetchPage(t *testing.T) {
	s, _ := server(t, htmlPage)
	p, err := Fetch(context.Background(), s.URL+"/2022/02/taliban-peace.html#frag", allow)
	if err != nil {
		t.Fatal(err)
	}
	if string(p.Body) != page || !p.IsHTML() || p.URL != s.URL+"/2022/02/taliban-peace.html" {
		t.Errorf("page %+v", p)
	}
	if p.FileName() != "taliban-peace.html" {
		t.Errorf("file name %q", p.FileName())
	}
}

func TestFileName(t *testing.T) {
	tests := map[string]string{
		"https://www.example.org/":                  "example.org.html",
		"https://www.example.org/news/index.html":   "example.org.html",
		"https://example.org/a/story-slug/":         "story-slug.html",
		"https://example.org/..":                    "example.org.html",
		"https://example.org/.hidden":               "example.org.html",
		"https://example.org/...":                   "page.html",
		"https://example.org/%2e%2e%2fetc%2fpasswd": "passwd.html",
	}
	for u, want := range tests {
		p := &Page{URL: u, MediaType: "text/html"}
		if got := p.FileName(); got != want {
			t.Errorf("%s: %q, want %q", u, got, want)
		}
	}
}

func TestRefusesPrivateAddresses(t *testing.T) {
	s, hits := server(t, htmlPage)
	for _, u := range []string{s.URL, strings.Replace(s.URL, "127.0.0.1", "localhost", 1)} {
		_, err := Fetch(context.Background(), u, Options{})
		if !errors.Is(err, ErrPrivate) || !strings.HasPrefix(err.Error(), "that address is on a private network") {
			t.Errorf("%s: %v", u, err)
		}
	}
	if hits.Load() != 0 {
		t.Errorf("the private server was reached %d times", hits.Load())
	}
}

func TestRefusesRedirectToPrivateAddress(t *testing.T) {
	inner, innerHits := server(t, htmlPage)
	outer, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, inner.URL+"/secret", http.StatusFound)
	})
	// Only the first server stands in for a public site; the redirect's
	// target is refused by the same dial-time check a real one would be.
	outerAddr := strings.TrimPrefix(outer.URL, "http://")
	opt := Options{permit: func(addr string) bool { return addr == outerAddr }}
	_, err := Fetch(context.Background(), outer.URL, opt)
	if !errors.Is(err, ErrPrivate) {
		t.Fatalf("err %v", err)
	}
	if innerHits.Load() != 0 {
		t.Error("the redirect reached the private server")
	}
}

func TestRefusals(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", htmlPage)
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/to-file", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	mux.HandleFunc("/png", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write([]byte("\x89PNG"))
	})
	mux.HandleFunc("/untyped", func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = nil
		w.Write([]byte("x"))
	})
	mux.HandleFunc("/gone", http.NotFound)
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", "1073741824")
	})
	s, _ := server(t, mux.ServeHTTP)
	tests := []struct {
		url  string
		want error
		msg  string
	}{
		{"file:///etc/passwd", ErrScheme, "only http:// and https:// addresses can be added, not file://"},
		{"ftp://example.org/x", ErrScheme, ""},
		{"javascript:alert(1)", ErrScheme, ""},
		{"example.org/story", ErrBadURL, ""},
		{"http://user:pw@example.org/", ErrBadURL, ""},
		{"http:///nohost", ErrBadURL, ""},
		{s.URL + "/loop", ErrRedirects, "the page redirects too many times (more than 5)"},
		{s.URL + "/to-file", ErrScheme, ""},
		{s.URL + "/png", ErrContentType, "the page is not HTML or plain text (it is image/png)"},
		{s.URL + "/untyped", ErrContentType, ""},
		{s.URL + "/gone", ErrStatus, "the site did not return the page: it answered 404 Not Found"},
		{s.URL + "/huge", ErrTooLarge, "the page is larger than 5 MiB"},
	}
	for _, tt := range tests {
		_, err := Fetch(context.Background(), tt.url, allow)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.url, err, tt.want)
			continue
		}
		if tt.msg != "" && err.Error() != tt.msg {
			t.Errorf("%s: message %q, want %q", tt.url, err, tt.msg)
		}
	}
}

func TestPageThatNeverEnds(t *testing.T) {
	chunk := []byte(strings.Repeat("<p>more</p>", 1000))
	fast, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	_, err := Fetch(context.Background(), fast.URL, allow)
	if !errors.Is(err, ErrTooLarge) || err.Error() != "the page is larger than 5 MiB" {
		t.Errorf("endless fast page: %v", err)
	}
	_, err = Fetch(context.Background(), fast.URL, Options{AllowPrivate: true, MaxBytes: 1000})
	if !errors.Is(err, ErrTooLarge) || err.Error() != "the page is larger than 1000 bytes" {
		t.Errorf("endless fast page, small cap: %v", err)
	}

	slow, _ := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		for {
			select {
			case <-r.Context().Done():
				return
			case <-time.After(20 * time.Millisecond):
			}
			if _, err := w.Write([]byte("<p>drip</p>")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
		}
	})
	_, err = Fetch(context.Background(), slow.URL, Options{AllowPrivate: true, Timeout: 300 * time.Millisecond})
	if !errors.Is(err, ErrTimeout) || !strings.HasPrefix(err.Error(), "the site took too long to answer") {
		t.Errorf("endless slow page: %v", err)
	}
}

func TestCharsets(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/latin1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=ISO-8859-1")
		w.Write([]byte("<p>caf\xe9</p>"))
	})
	mux.HandleFunc("/meta", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<meta charset=\"windows-1252\"><p>caf\xe9 \x93quoted\x94</p>"))
	})
	mux.HandleFunc("/undeclared", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<p>caf\xe9</p>"))
	})
	mux.HandleFunc("/unknown", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=x-klingon")
		w.Write([]byte("x"))
	})
	mux.HandleFunc("/notes.md", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
		w.Write([]byte("# Notes"))
	})
	s, _ := server(t, mux.ServeHTTP)
	if _, err := Fetch(context.Background(), s.URL+"/notes.md", allow); !errors.Is(err, ErrContentType) {
		t.Errorf("markdown accepted by default: %v", err)
	}
	md := Options{AllowPrivate: true, Types: []string{"text/markdown"}}
	if p, err := Fetch(context.Background(), s.URL+"/notes.md", md); err != nil || p.FileName() != "notes.md" {
		t.Errorf("markdown with Types: %v", err)
	}
	get := func(p string) (*Page, error) { return Fetch(context.Background(), s.URL+p, allow) }
	if p, err := get("/latin1"); err != nil || string(p.Body) != "<p>café</p>" {
		t.Errorf("latin1: %q %v", p.Body, err)
	}
	if p, err := get("/meta"); err != nil || !strings.Contains(string(p.Body), "café “quoted”") {
		t.Errorf("meta charset: %v", err)
	}
	// Undeclared bytes that are not UTF-8 are kept for the parser to refuse.
	if p, err := get("/undeclared"); err != nil || utf8.Valid(p.Body) {
		t.Errorf("undeclared: %q %v", p.Body, err)
	}
	if _, err := get("/unknown"); !errors.Is(err, ErrCharset) {
		t.Errorf("unknown charset: %v", err)
	}
}

func TestPublicAddr(t *testing.T) {
	refused := []string{
		"127.0.0.1", "127.1.2.3", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
		"100.64.0.1", "100.127.255.255", "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.250",
		"255.255.255.255", "240.0.0.1", "192.0.2.1", "198.18.0.1",
		"::", "::1", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "ff01::1",
		"::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe",
		"2002:7f00:1::1", "2002:c0a8:101::", "::7f00:1", "2001:db8::1", "2001:0:4136:e378::1", "fec0::1",
	}
	for _, s := range refused {
		if publicAddr(netip.MustParseAddr(s)) {
			t.Errorf("%s is allowed", s)
		}
	}
	allowed := []string{"8.8.8.8", "1.1.1.1", "93.184.216.34", "100.128.0.1", "2606:4700:4700::1111",
		"64:ff9b::808:808", "::ffff:8.8.8.8", "2002:808:808::1"}
	for _, s := range allowed {
		if !publicAddr(netip.MustParseAddr(s)) {
			t.Errorf("%s is refused", s)
		}
	}
}

func TestGuardRefusesWhatItCannotRead(t *testing.T) {
	if err := guard(Options{})("tcp", "not-an-address", nil); !errors.Is(err, ErrPrivate) {
		t.Errorf("err %v", err)
	}
	if err := guard(Options{})("tcp", "[2606:4700:4700::1111]:443", nil); err != nil {
		t.Errorf("public address refused: %v", err)
	}
	if err := guard(Options{AllowPrivate: true})("tcp", "127.0.0.1:80", nil); err != nil {
		t.Errorf("AllowPrivate ignored: %v", err)
	}
}
