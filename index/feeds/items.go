package feeds

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/corpus/fetch"
)

// entry is an item of one fetched feed with what dedup decided about it.
type entry struct {
	Item
	key string
	// sharedLink is set when other items of the same feed link to the same
	// page (a live blog, or a feed whose every item points to the front
	// page): that page is not this item's article, so the item is indexed
	// from its own content.
	sharedLink bool
}

// itemKey is what identifies an item within its feed: its GUID, else its
// link as the feed wrote it, else its title and date. Keys are hashed, so
// a long GUID costs the store no more than a short one.
func itemKey(it Item) string {
	var raw string
	switch {
	case it.oldID != "":
		raw = "guid\x00" + it.oldID
	case it.GUID != "":
		raw = "guid\x00" + it.GUID
	case first(it.written, it.Link) != "":
		raw = "link\x00" + normalLink(first(it.written, it.Link))
	case it.Title != "":
		day := ""
		if !it.Published.IsZero() {
			day = it.Published.Format(time.DateOnly)
		}
		raw = "title\x00" + strings.ToLower(it.Title) + "\x00" + day
	default:
		return ""
	}
	h := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(h[:16])
}

// normalLink is a link as far as telling two links apart goes: without
// its fragment, and with the host in lower case.
func normalLink(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return strings.TrimSpace(s)
	}
	u.Fragment = ""
	u.Host = strings.ToLower(u.Host)
	return u.String()
}

// entries dedups a feed's items by key, keeping the first of each, marks
// the items whose link others share, and orders them newest first (an
// undated item counts as new, and otherwise the feed's order is kept).
func entries(f *Feed) []entry {
	var out []entry
	seen := map[string]bool{}
	keysByLink := map[string]map[string]bool{}
	for _, it := range f.Items {
		k := itemKey(it)
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, entry{Item: it, key: k})
		if it.Link != "" {
			l := normalLink(it.Link)
			if keysByLink[l] == nil {
				keysByLink[l] = map[string]bool{}
			}
			keysByLink[l][k] = true
		}
	}
	for i := range out {
		if out[i].Link != "" && len(keysByLink[normalLink(out[i].Link)]) > 1 {
			out[i].sharedLink = true
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Published, out[j].Published
		return !a.IsZero() && !b.IsZero() && a.After(b) || a.IsZero() && !b.IsZero()
	})
	return out
}

// storyName is the file name of an item's story: its title made safe and
// short, and a hash of the feed and the item, so the same item always
// gets the same name and two items never share one.
func storyName(feedURL string, e entry) string {
	h := sha256.Sum256([]byte(feedURL + "\x00" + e.key))
	tag := hex.EncodeToString(h[:4])
	stem := e.Title
	if len(stem) > 60 {
		stem = stem[:60]
	}
	if name, err := corpus.SafeName(stem + "-" + tag + ".html"); err == nil {
		return strings.TrimSuffix(name, ".html")
	}
	return "feed-item-" + tag
}

// upload makes the story of an item: its page, fetched with the same
// limits and refusals as /add-story and extracted the same way, or, when
// the page cannot be had or is not the item's own, the item's content as
// the feed gives it.
func (p *Poller) upload(ctx context.Context, feedTitle, feedURL string, e entry) (*corpus.Upload, string, error) {
	stem := storyName(feedURL, e)
	if e.Link != "" && !e.sharedLink {
		up, err := p.pageUpload(ctx, stem, e)
		if err == nil {
			return withFeedFacts(up, e), "page", nil
		}
		p.log.Info("indexing a feed item from the feed, as its page could not be used", "feed", feedURL, "link", e.Link, "err", err)
	}
	if strings.TrimSpace(e.Content) == "" {
		return nil, "", fmt.Errorf("the item has no page to fetch and no content in the feed")
	}
	up, err := corpus.PrepareUpload(stem+".html", feedHTML(feedTitle, e), linkOrEmpty(e.Link))
	if err != nil {
		return nil, "", err
	}
	return withFeedFacts(up, e), "feed", nil
}

func linkOrEmpty(s string) string {
	if u, err := url.Parse(s); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		return s
	}
	return ""
}

func (p *Poller) pageUpload(ctx context.Context, stem string, e entry) (*corpus.Upload, error) {
	if err := p.polite(ctx, e.Link); err != nil {
		return nil, err
	}
	page, err := fetch.Fetch(ctx, e.Link, fetch.Options{AllowPrivate: p.cfg.AllowPrivate, Timeout: p.cfg.Timeout})
	if err != nil {
		return nil, err
	}
	return corpus.PrepareUpload(stem+filepath.Ext(page.FileName()), page.Body, page.URL)
}

// feedHTML wraps an item's content in a page that carries its title, date,
// author and outlet where the HTML extraction looks for them.
func feedHTML(feedTitle string, e entry) []byte {
	var b strings.Builder
	esc := html.EscapeString
	b.WriteString("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + esc(e.Title) + "</title>")
	if feedTitle != "" {
		b.WriteString(`<meta property="og:site_name" content="` + esc(feedTitle) + `">`)
	}
	if !e.Published.IsZero() {
		b.WriteString(`<meta property="article:published_time" content="` + e.Published.Format(time.RFC3339) + `">`)
	}
	if e.Author != "" {
		b.WriteString(`<meta name="author" content="` + esc(e.Author) + `">`)
	}
	b.WriteString("</head><body><article><h1>" + esc(e.Title) + "</h1>\n")
	b.WriteString(e.Content)
	b.WriteString("\n</article></body></html>")
	return []byte(b.String())
}

// withFeedFacts gives a story the date the feed gives its item when the
// page names none, so that "on Friday" can be resolved.
func withFeedFacts(up *corpus.Upload, e entry) *corpus.Upload {
	if up.Story.DateKnown() || e.Published.IsZero() {
		return up
	}
	data := append([]byte("date: "+e.Published.Format(time.DateOnly)+"\n"), up.Data...)
	st, err := corpus.Parse(up.Name, data)
	if err != nil || !st.DateKnown() {
		return up
	}
	return &corpus.Upload{Name: up.Name, Data: data, Story: st}
}
