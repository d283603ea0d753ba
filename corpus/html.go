package corpus

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxHTMLElements bounds the work readability does on one page: a real
// article has a few thousand elements, and readability's scoring grows
// faster than linearly with more.
const maxHTMLElements = 60000

// ParseHTML reads one HTML article. pageURL, when known, is where the page
// was fetched from; it is kept as the story's URL and decides the source
// when the page names none. The name's base becomes the story ID.
func ParseHTML(name string, data []byte, pageURL string) (*Story, error) {
	text, err := cleanText(data)
	if err != nil {
		return nil, err
	}
	return finish(parseHTML(text, pageURL), name)
}

// parseHTML extracts the article from a page: readability picks the
// content and the metadata, and the paragraphs are its block elements.
func parseHTML(text, pageURL string) *Story {
	st := &Story{}
	doc, err := html.Parse(strings.NewReader(text))
	if err != nil {
		return st // html.Parse only fails on reader errors
	}
	// Readability mutates the document, so read what it does not look at
	// first.
	meta := scanMeta(doc)
	u := pageOrCanonical(pageURL, meta.canonical)
	if u != nil {
		st.URL = u.String()
	}
	p := readability.NewParser()
	p.MaxElemsToParse = maxHTMLElements
	art, err := p.ParseAndMutate(doc, u)
	content := art.Node
	if err != nil || content == nil {
		// Too small or too odd for readability: take the whole body, which
		// still never includes scripts or styles.
		content = findBody(doc)
		art = readability.Article{}
	}

	st.Headline = oneLine(art.Title())
	if st.Headline == "" {
		st.Headline = oneLine(meta.title)
	}
	st.Author = cleanByline(art.Byline())
	st.Source = oneLine(art.SiteName())
	if st.Source == "" && u != nil {
		st.Source = strings.TrimPrefix(u.Hostname(), "www.")
	}
	if t, err := art.PublishedTime(); err == nil && plausibleDate(t) {
		st.Published = dateOnly(t)
	} else if t, ok := parseMetaDate(meta.dates); ok {
		st.Published = t
	}

	paras := blockTexts(content)
	// Readability often keeps the page's own <h1> as the first block.
	if len(paras) > 0 && strings.EqualFold(paras[0], st.Headline) {
		paras = paras[1:]
	}
	if st.Headline == "" && len(paras) > 1 {
		st.Headline, paras = paras[0], paras[1:]
	}
	for _, t := range paras {
		st.Paragraphs = append(st.Paragraphs, Paragraph{Index: len(st.Paragraphs), Text: t})
	}
	return st
}

// pageMeta is what scanMeta finds before readability rewrites the page.
type pageMeta struct {
	title     string
	canonical string
	dates     []string // candidate publication dates, best first
}

// metaDateNames are <meta name|property|itemprop> values that carry a
// publication date on pages readability's own list misses.
var metaDateNames = map[string]bool{
	"datepublished": true, "date": true, "pubdate": true, "publishdate": true,
	"publish-date": true, "publish_date": true, "dc.date": true, "dc.date.issued": true,
	"article:published_time": true, "article.published": true, "sailthru.date": true,
	"og:published_time": true, "parsely-pub-date": true,
}

// jsonLDDate finds datePublished anywhere in JSON-LD, which readability
// reads only for a few layouts of it.
var jsonLDDate = regexp.MustCompile(`"datePublished"\s*:\s*"([^"]{4,40})"`)

func scanMeta(doc *html.Node) pageMeta {
	var m pageMeta
	var timeDates []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Title:
				if m.title == "" {
					m.title = textOf(n)
				}
			case atom.Link:
				if strings.EqualFold(attr(n, "rel"), "canonical") && m.canonical == "" {
					m.canonical = attr(n, "href")
				}
			case atom.Meta:
				content := attr(n, "content")
				for _, k := range []string{"name", "property", "itemprop"} {
					v := strings.ToLower(attr(n, k))
					if v == "og:url" && m.canonical == "" {
						m.canonical = content
					}
					if metaDateNames[v] && content != "" {
						m.dates = append(m.dates, content)
					}
				}
			case atom.Time:
				if dt := attr(n, "datetime"); dt != "" {
					if strings.EqualFold(attr(n, "itemprop"), "datePublished") || hasAttr(n, "pubdate") {
						m.dates = append(m.dates, dt)
					} else {
						timeDates = append(timeDates, dt)
					}
				}
			case atom.Script:
				if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") {
					if sm := jsonLDDate.FindStringSubmatch(textOf(n)); sm != nil {
						m.dates = append(m.dates, sm[1])
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	// A bare <time> is often a comment's or a related story's, so it only
	// counts after every explicitly marked date.
	if len(timeDates) > 0 {
		m.dates = append(m.dates, timeDates[0])
	}
	return m
}

// pageOrCanonical is the page's own URL, else the canonical URL it
// declares; only absolute http(s) URLs count.
func pageOrCanonical(pageURL, canonical string) *url.URL {
	for _, s := range []string{pageURL, canonical} {
		u, err := url.Parse(strings.TrimSpace(s))
		if err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			u.User = nil // never keep credentials in a story file
			u.Fragment = ""
			return u
		}
	}
	return nil
}

func parseMetaDate(cands []string) (time.Time, bool) {
	for _, c := range cands {
		c = strings.TrimSpace(c)
		if t, ok := parseHeaderDate(c); ok {
			return t, true
		}
		if t, ok := parseMetaDateString(c); ok && plausibleDate(t) {
			return dateOnly(t), true
		}
	}
	return time.Time{}, false
}

// plausibleDate rejects what a lenient date parser makes of junk: a news
// story is neither from before 1900 nor from more than a day ahead.
func plausibleDate(t time.Time) bool {
	return t.Year() >= 1900 && t.Before(time.Now().Add(48*time.Hour))
}

// dateOnly keeps the calendar date as the page wrote it, in its own time
// zone: that is the date a reader of the page saw.
func dateOnly(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

var bylinePrefix = regexp.MustCompile(`(?i)^(?:written\s+)?by[:\s]+`)

func cleanByline(s string) string {
	s = bylinePrefix.ReplaceAllString(oneLine(s), "")
	if utf8.RuneCountInString(s) > 200 {
		return "" // a paragraph mistaken for a byline
	}
	return s
}

// skipTags never hold article text; readability removes most of them, and
// the fallback over the whole body relies on this list alone.
var skipTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Svg: true, atom.Math: true, atom.Iframe: true, atom.Object: true, atom.Embed: true,
	atom.Head: true, atom.Title: true, atom.Button: true, atom.Select: true,
	atom.Textarea: true, atom.Canvas: true, atom.Nav: true, atom.Form: true,
}

// blockTags end one paragraph and start another.
var blockTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Ul: true, atom.Ol: true, atom.Li: true, atom.Dl: true, atom.Dt: true, atom.Dd: true,
	atom.Blockquote: true, atom.Pre: true, atom.Table: true, atom.Tr: true, atom.Td: true,
	atom.Th: true, atom.Caption: true, atom.Figure: true, atom.Figcaption: true,
	atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Address: true,
	atom.Hr: true, atom.Details: true, atom.Summary: true, atom.Body: true, atom.Html: true,
}

// blockTexts returns the text of each block element below n, in order,
// with white space collapsed.
func blockTexts(n *html.Node) []string {
	if n == nil {
		return nil
	}
	var out []string
	var buf strings.Builder
	flush := func() {
		if t := cleanInline(buf.String()); t != "" {
			out = append(out, t)
		}
		buf.Reset()
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			buf.WriteString(n.Data)
			return
		case html.ElementNode:
			if skipTags[n.DataAtom] || hasAttr(n, "hidden") || attr(n, "aria-hidden") == "true" {
				return
			}
			if n.DataAtom == atom.Br {
				buf.WriteByte(' ')
				return
			}
		}
		block := n.Type == html.ElementNode && blockTags[n.DataAtom]
		if block {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			flush()
		}
	}
	walk(n)
	flush()
	return out
}

// cleanInline collapses white space and drops control and format
// characters, which would otherwise reach quotes shown to users.
func cleanInline(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return ' '
		case unicode.IsControl(r), r == '\u00ad', r == '\ufeff':
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

func oneLine(s string) string { return cleanInline(s) }

func findBody(doc *html.Node) *html.Node {
	var body *html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if body != nil {
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Body {
			body = n
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if body == nil {
		return doc
	}
	return body
}

func textOf(n *html.Node) string {
	var b bytes.Buffer
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return true
		}
	}
	return false
}
