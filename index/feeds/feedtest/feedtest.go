// Package feedtest is a news site for tests, on 127.0.0.1: RSS, Atom and
// JSON feeds whose items tests publish, and the items' article pages. It
// answers conditional GETs with 304 as a real server does, can be made to
// fail, and records every request, so tests assert what the poller sent.
package feedtest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Article is an item of a feed, and its page.
type Article struct {
	Slug      string
	Title     string
	Published time.Time
	// Paragraphs are the page's body; the feed carries the first one as
	// the item's summary unless Summary is set.
	Paragraphs []string
	Summary    string
	// GUID is the item's ID (default: its page's URL); NoGUID leaves it out.
	GUID   string
	NoGUID bool
	// Link is the item's link (default: its page on this server).
	Link string
	// NoPage makes the page answer 404, so the item is indexed from the feed.
	NoPage bool
}

// Fetch is one request the server answered.
type Fetch struct {
	Path        string
	At          time.Time
	Status      int
	Conditional bool
}

// Server is a running site.
type Server struct {
	URL string
	srv *httptest.Server

	mu       sync.Mutex
	feeds    map[string][]Article // by path, newest first
	changed  map[string]time.Time
	pages    map[string]Article
	failures map[string][]int // statuses the next requests of a path get
	fetches  []Fetch
	// Source is the outlet the pages name.
	Source string
}

// New starts a site and stops it when the test ends.
func New(t testing.TB) *Server {
	s := &Server{feeds: map[string][]Article{}, changed: map[string]time.Time{}, pages: map[string]Article{},
		failures: map[string][]int{}, Source: "Coast Gazette"}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// Publish adds articles at the top of the feed at path; its format follows
// the path's extension: .rss (RSS 2.0), .atom (Atom) or .json (JSON Feed).
func (s *Server) Publish(path string, as ...Article) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range as {
		if a.Link == "" {
			a.Link = s.URL + "/articles/" + a.Slug
		}
		if a.GUID == "" && !a.NoGUID {
			a.GUID = a.Link
		}
		s.feeds[path] = append([]Article{a}, s.feeds[path]...)
		s.pages[a.Slug] = a
	}
	s.changed[path] = time.Now().UTC().Truncate(time.Second)
}

// Fail makes the next n requests of path get status.
func (s *Server) Fail(path string, status, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.failures[path] = append(s.failures[path], status)
	}
}

// Fetches are the requests of path so far.
func (s *Server) Fetches(path string) []Fetch {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Fetch
	for _, f := range s.fetches {
		if f.Path == path {
			out = append(out, f)
		}
	}
	return out
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := Fetch{Path: r.URL.Path, At: time.Now(), Conditional: r.Header.Get("If-None-Match") != "" || r.Header.Get("If-Modified-Since") != ""}
	defer func() { s.fetches = append(s.fetches, f) }()
	if q := s.failures[r.URL.Path]; len(q) > 0 {
		f.Status, s.failures[r.URL.Path] = q[0], q[1:]
		http.Error(w, "unavailable", f.Status)
		return
	}
	if slug, ok := strings.CutPrefix(r.URL.Path, "/articles/"); ok {
		a, ok := s.pages[slug]
		if !ok || a.NoPage {
			f.Status = 404
			http.NotFound(w, r)
			return
		}
		f.Status = 200
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, s.page(a))
		return
	}
	items, ok := s.feeds[r.URL.Path]
	if !ok {
		f.Status = 404
		http.NotFound(w, r)
		return
	}
	body, typ := s.render(r.URL.Path, items)
	sum := sha256.Sum256([]byte(body))
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Last-Modified", s.changed[r.URL.Path].Format(http.TimeFormat))
	if r.Header.Get("If-None-Match") == etag {
		f.Status = http.StatusNotModified
		w.WriteHeader(f.Status)
		return
	}
	f.Status = 200
	w.Header().Set("Content-Type", typ)
	fmt.Fprint(w, body)
}

func (s *Server) page(a Article) string {
	var b strings.Builder
	esc := html.EscapeString
	fmt.Fprintf(&b, `<!DOCTYPE html><html><head><meta charset="utf-8"><title>%s</title>`, esc(a.Title))
	fmt.Fprintf(&b, `<meta property="og:site_name" content="%s">`, esc(s.Source))
	if !a.Published.IsZero() {
		fmt.Fprintf(&b, `<meta property="article:published_time" content="%s">`, a.Published.Format(time.RFC3339))
	}
	fmt.Fprintf(&b, "</head><body><nav><a href=\"/\">Home</a></nav><article><h1>%s</h1>\n", esc(a.Title))
	for _, p := range a.Paragraphs {
		fmt.Fprintf(&b, "<p>%s</p>\n", esc(p))
	}
	b.WriteString("</article><footer>Copyright the site</footer></body></html>")
	return b.String()
}

func (a Article) summary() string {
	if a.Summary != "" {
		return a.Summary
	}
	if len(a.Paragraphs) > 0 {
		return "<p>" + html.EscapeString(a.Paragraphs[0]) + "</p>"
	}
	return ""
}

func (s *Server) render(path string, items []Article) (string, string) {
	x := func(v string) string {
		var b strings.Builder
		_ = xml.EscapeText(&b, []byte(v))
		return b.String()
	}
	var b strings.Builder
	switch {
	case strings.HasSuffix(path, ".atom"):
		b.WriteString(`<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">`)
		fmt.Fprintf(&b, "<title>%s</title><id>%s</id><link href=\"%s\"/>", x(s.Source), x(s.URL+path), x(s.URL))
		for _, a := range items {
			b.WriteString("<entry>")
			if !a.NoGUID {
				fmt.Fprintf(&b, "<id>%s</id>", x(a.GUID))
			}
			fmt.Fprintf(&b, `<title>%s</title><link rel="alternate" href="%s"/>`, x(a.Title), x(a.Link))
			if !a.Published.IsZero() {
				fmt.Fprintf(&b, "<published>%s</published><updated>%s</updated>", a.Published.Format(time.RFC3339), a.Published.Format(time.RFC3339))
			}
			fmt.Fprintf(&b, `<summary type="html">%s</summary></entry>`, x(a.summary()))
		}
		b.WriteString("</feed>")
		return b.String(), "application/atom+xml; charset=utf-8"
	case strings.HasSuffix(path, ".json"):
		type item struct {
			ID          string `json:"id,omitempty"`
			URL         string `json:"url"`
			Title       string `json:"title"`
			ContentHTML string `json:"content_html"`
			Date        string `json:"date_published,omitempty"`
		}
		doc := struct {
			Version string `json:"version"`
			Title   string `json:"title"`
			Items   []item `json:"items"`
		}{Version: "https://jsonfeed.org/version/1.1", Title: s.Source}
		for _, a := range items {
			it := item{ID: a.GUID, URL: a.Link, Title: a.Title, ContentHTML: a.summary()}
			if !a.Published.IsZero() {
				it.Date = a.Published.Format(time.RFC3339)
			}
			doc.Items = append(doc.Items, it)
		}
		out, _ := json.Marshal(doc)
		return string(out), "application/feed+json"
	}
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>`)
	fmt.Fprintf(&b, "<title>%s</title><link>%s</link><description>News</description>", x(s.Source), x(s.URL))
	for _, a := range items {
		b.WriteString("<item>")
		fmt.Fprintf(&b, "<title>%s</title><link>%s</link>", x(a.Title), x(a.Link))
		if !a.NoGUID {
			fmt.Fprintf(&b, `<guid isPermaLink="false">%s</guid>`, x(a.GUID))
		}
		if !a.Published.IsZero() {
			fmt.Fprintf(&b, "<pubDate>%s</pubDate>", a.Published.Format(time.RFC1123Z))
		}
		fmt.Fprintf(&b, "<description>%s</description></item>", x(a.summary()))
	}
	b.WriteString("</channel></rss>")
	return b.String(), "application/rss+xml; charset=utf-8"
}
