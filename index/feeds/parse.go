package feeds

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
)

// Feed is a parsed RSS, Atom or JSON Feed document.
type Feed struct {
	Title string
	Link  string
	Items []Item
}

// Item is one entry of a feed.
type Item struct {
	GUID string
	// Link is the item's page, an absolute http or https address, or "".
	Link  string
	Title string
	// Published is the item's date (published, else updated); zero when
	// the feed gives none that can be read.
	Published time.Time
	// Content is the item's fullest text, usually HTML: the full content
	// when the feed carries it, else the summary.
	Content string
	Author  string
	// written is the link as the feed wrote it, maybe relative, which
	// keys the item: where the feed is found may change, the key must not.
	written string
	// oldID, when set, keys the item instead of its GUID: a JSON Feed's
	// numeric ID as it was written before IDs kept their digits.
	oldID string
}

// ErrNotAFeed is a document that is none of RSS, Atom or JSON Feed.
var ErrNotAFeed = errors.New("that is not an RSS, Atom or JSON feed")

// Parse reads an RSS (0.9x, 1.0 and 2.0), Atom or JSON Feed document
// found at feedURL (after redirects), against which, and any xml:base,
// relative links are read; links that are not http or https are dropped.
//
// github.com/mmcdole/gofeed is what the issue named, but the module proxy
// here serves it only from an earlier copy that is not an approved
// release; these three formats are small enough to read with the
// standard library, leniently, as feed readers must.
func Parse(data []byte, feedURL string) (*Feed, error) {
	base, err := url.Parse(feedURL)
	if err != nil || !base.IsAbs() {
		base = nil
	}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return parseJSON(trimmed, base)
	}
	root, err := rootElement(data)
	if err != nil {
		return nil, err
	}
	var f *Feed
	switch strings.ToLower(root) {
	case "rss":
		var doc rssDoc
		err = decoder(data).Decode(&doc)
		f = doc.Channel.feed(rebase(base, doc.Base), doc.Channel.Items)
	case "rdf":
		var doc rdfDoc
		err = decoder(data).Decode(&doc)
		f = doc.Channel.feed(rebase(base, doc.Base), doc.Items)
	case "feed":
		var doc atomDoc
		err = decoder(data).Decode(&doc)
		f = doc.feed(base)
	default:
		return nil, fmt.Errorf("%w (its root element is <%s>)", ErrNotAFeed, root)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotAFeed, err)
	}
	return f, nil
}

// decoder is lenient as feeds need: HTML entities, unclosed HTML tags in
// unescaped descriptions, and any declared charset. A body that is
// already UTF-8 (the fetcher converts what the server declared) is read
// as it is, whatever its prolog says.
func decoder(data []byte) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.AutoClose = voidHTML
	d.Entity = xml.HTMLEntity
	valid := utf8.Valid(data)
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		if valid {
			return r, nil
		}
		return charset.NewReaderLabel(label, r)
	}
	return d
}

// voidHTML are the HTML elements that never have an end tag, as they
// appear unescaped in careless descriptions. Not xml.HTMLAutoClose, which
// holds "link": in RSS, <link> has content.
var voidHTML = []string{"br", "hr", "img", "input", "area", "base", "col", "embed", "param", "source", "track", "wbr"}

func rootElement(data []byte) (string, error) {
	d := decoder(data)
	for {
		tok, err := d.Token()
		if err != nil {
			return "", fmt.Errorf("%w: %v", ErrNotAFeed, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local, nil
		}
	}
}

// link is an RSS <link> (text) or an Atom-style <link href rel> inside RSS.
type link struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Text string `xml:",chardata"`
	Base string `xml:"http://www.w3.org/XML/1998/namespace base,attr"`
}

// rebase is the base within an element whose xml:base is ref.
func rebase(base *url.URL, ref string) *url.URL {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return base
	}
	u, err := url.Parse(ref)
	if err != nil {
		return base
	}
	if base != nil {
		return base.ResolveReference(u)
	}
	if u.IsAbs() {
		return u
	}
	return nil
}

// resolve is the address of a link as written, read against base: ""
// unless that is an absolute http or https address, which the fetcher
// would take. An absolute link is kept as written.
func resolve(ref string, base *url.URL) string {
	ref = strings.TrimSpace(ref)
	u, err := url.Parse(ref)
	if ref == "" || err != nil {
		return ""
	}
	if !u.IsAbs() {
		if base == nil {
			return ""
		}
		u = base.ResolveReference(u)
		ref = u.String()
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return ""
	}
	return ref
}

type rssItem struct {
	Title       string `xml:"title"`
	Links       []link `xml:"link"`
	GUID        string `xml:"guid"`
	About       string `xml:"about,attr"` // RSS 1.0
	PubDate     string `xml:"pubDate"`
	Date        string `xml:"date"` // dc:date
	Description string `xml:"description"`
	Encoded     string `xml:"encoded"` // content:encoded
	Author      string `xml:"author"`
	Creator     string `xml:"creator"` // dc:creator
	Base        string `xml:"http://www.w3.org/XML/1998/namespace base,attr"`
}

type rssChannel struct {
	Title string    `xml:"title"`
	Links []link    `xml:"link"`
	Items []rssItem `xml:"item"`
	Base  string    `xml:"http://www.w3.org/XML/1998/namespace base,attr"`
}

type rssDoc struct {
	Channel rssChannel `xml:"channel"`
	Base    string     `xml:"http://www.w3.org/XML/1998/namespace base,attr"`
}

// rdfDoc is RSS 1.0, whose items stand beside the channel.
type rdfDoc struct {
	Channel rssChannel `xml:"channel"`
	Items   []rssItem  `xml:"item"`
	Base    string     `xml:"http://www.w3.org/XML/1998/namespace base,attr"`
}

// rssLink is the link as written and the base it is read against.
func rssLink(base *url.URL, ls []link) (string, *url.URL) {
	for _, l := range ls {
		if t := strings.TrimSpace(l.Text); t != "" {
			return t, rebase(base, l.Base)
		}
	}
	for _, l := range ls {
		if l.Href != "" && (l.Rel == "" || l.Rel == "alternate") {
			return strings.TrimSpace(l.Href), rebase(base, l.Base)
		}
	}
	return "", base
}

// feed reads the channel's items, whose links are read against base, the
// document's.
func (c rssChannel) feed(base *url.URL, items []rssItem) *Feed {
	base = rebase(base, c.Base)
	f := &Feed{Title: clean(c.Title), Link: resolve(rssLink(base, c.Links))}
	for _, it := range items {
		content := it.Encoded
		if strings.TrimSpace(content) == "" {
			content = it.Description
		}
		guid := strings.TrimSpace(it.GUID)
		if guid == "" {
			guid = strings.TrimSpace(it.About)
		}
		written, lbase := rssLink(rebase(base, it.Base), it.Links)
		f.Items = append(f.Items, Item{
			GUID: guid, Link: resolve(written, lbase), Title: clean(it.Title),
			Published: parseDate(first(it.PubDate, it.Date)),
			Content:   strings.TrimSpace(content), Author: clean(first(it.Creator, it.Author)),
			written: written,
		})
	}
	return f
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",innerxml"`
	Text string `xml:",chardata"`
}

// kind is the construct's type (RFC 4287, 3.1): text unless it says html
// or xhtml, which content may also name by media type.
func (t atomText) kind() string {
	switch strings.ToLower(strings.TrimSpace(t.Type)) {
	case "html", "text/html":
		return "html"
	case "xhtml", "application/xhtml+xml":
		return "xhtml"
	}
	return "text"
}

// html is the text as HTML: escaped HTML comes as character data, XHTML
// as inner markup, and plain text is escaped, since a "<" in it is no tag.
func (t atomText) html() string {
	switch t.kind() {
	case "html":
		return strings.TrimSpace(t.Text)
	case "xhtml":
		return strings.TrimSpace(t.Body)
	}
	return textToHTML(t.Text)
}

// text is the construct as one line of plain text, without the markup of
// HTML and XHTML, as a title must be.
func (t atomText) text() string {
	switch t.kind() {
	case "html":
		return clean(htmlText(t.Text))
	case "xhtml":
		return clean(htmlText(t.Body))
	}
	return clean(t.Text)
}

// htmlText is the text of an HTML fragment, its entities decoded; a line
// break or a block's end counts as a space.
func htmlText(s string) string {
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return s
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style):
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		switch n.DataAtom {
		case atom.Br, atom.P, atom.Div, atom.Li, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			b.WriteByte(' ')
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return b.String()
}

type atomEntry struct {
	ID        string   `xml:"id"`
	Title     atomText `xml:"title"`
	Links     []link   `xml:"link"`
	Published string   `xml:"published"`
	Updated   string   `xml:"updated"`
	Issued    string   `xml:"issued"` // Atom 0.3
	Summary   atomText `xml:"summary"`
	Content   atomText `xml:"content"`
	Author    struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Base string `xml:"http://www.w3.org/XML/1998/namespace base,attr"`
}

type atomDoc struct {
	Title   atomText    `xml:"title"`
	Links   []link      `xml:"link"`
	Entries []atomEntry `xml:"entry"`
	Base    string      `xml:"http://www.w3.org/XML/1998/namespace base,attr"`
}

// atomLink is the link as written and the base it is read against.
func atomLink(base *url.URL, ls []link) (string, *url.URL) {
	for _, rel := range []string{"alternate", ""} {
		for _, l := range ls {
			if l.Rel == rel && l.Href != "" {
				return strings.TrimSpace(l.Href), rebase(base, l.Base)
			}
		}
	}
	return "", base
}

// feed reads the entries, whose links are read against base, where the
// document was found.
func (d atomDoc) feed(base *url.URL) *Feed {
	base = rebase(base, d.Base)
	f := &Feed{Title: d.Title.text(), Link: resolve(atomLink(base, d.Links))}
	for _, e := range d.Entries {
		content := e.Content.html()
		if content == "" {
			content = e.Summary.html()
		}
		written, lbase := atomLink(rebase(base, e.Base), e.Links)
		f.Items = append(f.Items, Item{
			GUID: strings.TrimSpace(e.ID), Link: resolve(written, lbase), Title: e.Title.text(),
			Published: parseDate(first(e.Published, e.Issued, e.Updated)),
			Content:   content, Author: clean(e.Author.Name), written: written,
		})
	}
	return f
}

type jsonFeed struct {
	Version string `json:"version"`
	Title   string `json:"title"`
	Home    string `json:"home_page_url"`
	Items   []struct {
		ID            any    `json:"id"` // a string by the spec; numbers are seen
		URL           string `json:"url"`
		ExternalURL   string `json:"external_url"`
		Title         string `json:"title"`
		ContentHTML   string `json:"content_html"`
		ContentText   string `json:"content_text"`
		Summary       string `json:"summary"`
		DatePublished string `json:"date_published"`
		DateModified  string `json:"date_modified"`
		Author        struct {
			Name string `json:"name"`
		} `json:"author"`
	} `json:"items"`
}

func parseJSON(data []byte, base *url.URL) (*Feed, error) {
	var doc jsonFeed
	// Numeric IDs are kept as written: as float64, IDs past 2^53 would
	// collide, and dedup would drop all but one of their items.
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	if err := d.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotAFeed, err)
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: more follows the JSON document", ErrNotAFeed)
	}
	if !strings.Contains(doc.Version, "jsonfeed.org") {
		return nil, fmt.Errorf("%w (a JSON document without a JSON Feed version)", ErrNotAFeed)
	}
	f := &Feed{Title: clean(doc.Title), Link: resolve(doc.Home, base)}
	for _, it := range doc.Items {
		content := it.ContentHTML
		if content == "" && it.ContentText != "" {
			content = textToHTML(it.ContentText)
		}
		if content == "" {
			content = textToHTML(it.Summary)
		}
		id, oldID := "", ""
		if it.ID != nil {
			id = strings.TrimSpace(fmt.Sprint(it.ID))
		}
		// IDs float64 held exactly keep the key they had when they were
		// read as float64 ("1.234567e+06"), or the items of the feeds
		// followed then would all come again as new.
		if n, ok := it.ID.(json.Number); ok {
			if i, err := n.Int64(); err == nil && -1<<53 <= i && i <= 1<<53 && fmt.Sprint(float64(i)) != id {
				oldID = fmt.Sprint(float64(i))
			}
		}
		written := first(it.URL, it.ExternalURL)
		f.Items = append(f.Items, Item{
			GUID: id, Link: resolve(written, base), Title: clean(it.Title),
			Published: parseDate(first(it.DatePublished, it.DateModified)),
			Content:   content, Author: clean(it.Author.Name), written: written, oldID: oldID,
		})
	}
	return f, nil
}

// dateLayouts are the date forms feeds use: RFC 822 and its variants in
// RSS, RFC 3339 in Atom and JSON Feed, and the common mistakes.
var dateLayouts = []string{
	time.RFC1123Z, time.RFC1123, time.RFC3339Nano, time.RFC3339,
	"Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST", "Mon, 2 Jan 2006 15:04 -0700",
	"Mon, 02 Jan 2006 15:04 -0700", "Mon, 2 Jan 2006 15:04 MST", "2 Jan 2006 15:04:05 -0700", "2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 06 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05", time.RFC822Z, time.RFC822, "Monday, 02-Jan-06 15:04:05 -0700",
	"Monday, 02-Jan-06 15:04:05 MST",
	"2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05", "2006-01-02",
}

// zones are the zone names of RFC 822 (US time zones, UT and GMT, and
// military Z) as offsets: time.Parse takes a zone name that the machine's
// own zone does not use for UTC, so "EST" would be read as +0000.
var zones = map[string]string{
	"UT": "+0000", "UTC": "+0000", "GMT": "+0000", "Z": "+0000",
	"EST": "-0500", "EDT": "-0400", "CST": "-0600", "CDT": "-0500",
	"MST": "-0700", "MDT": "-0600", "PST": "-0800", "PDT": "-0700",
}

func parseDate(s string) time.Time {
	s = strings.TrimSpace(s)
	if i := strings.LastIndex(s, " ("); i > 0 && strings.HasSuffix(s, ")") {
		s = strings.TrimSpace(s[:i]) // a comment, as in "-0500 (EST)"
	}
	if s == "" {
		return time.Time{}
	}
	if i := strings.LastIndexByte(s, ' '); i >= 0 {
		if off, ok := zones[strings.ToUpper(s[i+1:])]; ok {
			s = s[:i+1] + off
		}
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

func first(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// clean makes a title one line of plain text. Control characters go: a
// feed's title is shown in terminals and chats, where ESC and BEL would
// be obeyed (retitle the window, clear the screen), not shown.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && !unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// textToHTML keeps a plain text's paragraphs as paragraphs.
func textToHTML(s string) string {
	var b strings.Builder
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			b.WriteString("<p>")
			xml.EscapeText(&b, []byte(p))
			b.WriteString("</p>\n")
		}
	}
	return b.String()
}
