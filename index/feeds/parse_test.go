package feeds

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseRSS2(t *testing.T) {
	f, err := Parse([]byte(`<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel><title>The  Bay
 Times</title><link>https://bay.example/</link><atom:link rel="self" href="https://bay.example/rss"/>
<item><title>Tide &amp; time</title><link>https://bay.example/tide</link><guid isPermaLink="false">tide-1</guid>
<pubDate>Tue, 4 Mar 2025 09:30:00 GMT</pubDate><description>&lt;p&gt;Short.&lt;/p&gt;</description>
<content:encoded><![CDATA[<p>The full text.</p><p>More&nbsp;text.</p>]]></content:encoded><dc:creator>Ana Ruiz</dc:creator></item>
<item><title>Undated</title><link>https://bay.example/undated</link><description>Plain &hellip; text</description></item>
</channel></rss>`), "")
	if err != nil {
		t.Fatal(err)
	}
	if f.Title != "The Bay Times" || f.Link != "https://bay.example/" || len(f.Items) != 2 {
		t.Fatalf("feed %+v", f)
	}
	it := f.Items[0]
	if it.GUID != "tide-1" || it.Link != "https://bay.example/tide" || it.Title != "Tide & time" || it.Author != "Ana Ruiz" ||
		!it.Published.Equal(time.Date(2025, 3, 4, 9, 30, 0, 0, time.UTC)) || !strings.Contains(it.Content, "The full text.") {
		t.Errorf("item %+v", it)
	}
	if f.Items[1].GUID != "" || !f.Items[1].Published.IsZero() || !strings.Contains(f.Items[1].Content, "Plain") {
		t.Errorf("second item %+v", f.Items[1])
	}
}

func TestParseRSS1(t *testing.T) {
	f, err := Parse([]byte(`<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://old.example/"><title>Old Site</title><link>https://old.example/</link></channel>
<item rdf:about="https://old.example/a"><title>A</title><link>https://old.example/a</link><dc:date>2025-03-04T10:00:00+01:00</dc:date><description>Text.</description></item>
</rdf:RDF>`), "")
	if err != nil {
		t.Fatal(err)
	}
	if f.Title != "Old Site" || len(f.Items) != 1 || f.Items[0].GUID != "https://old.example/a" ||
		!f.Items[0].Published.Equal(time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("feed %+v", f)
	}
}

func TestParseAtom(t *testing.T) {
	f, err := Parse([]byte(`<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Hill News</title><link href="https://hill.example/"/><link rel="self" href="https://hill.example/atom"/>
<entry><id>tag:hill.example,2025:1</id><title type="text">Snow</title>
<link rel="replies" href="https://hill.example/snow#comments"/><link rel="alternate" href="https://hill.example/snow"/>
<updated>2025-03-05T12:00:00Z</updated><published>2025-03-04T08:00:00Z</published>
<summary>Sum.</summary><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Deep snow.</p></div></content>
<author><name>Lee Park</name></author></entry>
<entry><id>tag:hill.example,2025:2</id><title>Only updated</title><link href="https://hill.example/2"/><updated>2025-03-06T12:00:00Z</updated><summary type="html">&lt;p&gt;Two.&lt;/p&gt;</summary></entry>
</feed>`), "")
	if err != nil {
		t.Fatal(err)
	}
	if f.Title != "Hill News" || f.Link != "https://hill.example/" || len(f.Items) != 2 {
		t.Fatalf("feed %+v", f)
	}
	a, b := f.Items[0], f.Items[1]
	if a.Link != "https://hill.example/snow" || a.Author != "Lee Park" || !strings.Contains(a.Content, "Deep snow.") ||
		!a.Published.Equal(time.Date(2025, 3, 4, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("entry %+v", a)
	}
	if b.Link != "https://hill.example/2" || b.Content != "<p>Two.</p>" || b.Published.Day() != 6 {
		t.Errorf("entry %+v", b)
	}
}

func TestParseJSONFeed(t *testing.T) {
	f, err := Parse([]byte(`{"version": "https://jsonfeed.org/version/1.1", "title": "Lake Post", "home_page_url": "https://lake.example/",
		"items": [{"id": 7, "url": "https://lake.example/7", "title": "Ice", "content_text": "First.\n\nSecond.", "date_published": "2025-03-04T08:00:00-05:00"}]}`), "")
	if err != nil {
		t.Fatal(err)
	}
	it := f.Items[0]
	if f.Title != "Lake Post" || it.GUID != "7" || it.Content != "<p>First.</p>\n<p>Second.</p>\n" || it.Published.Hour() != 13 {
		t.Errorf("feed %+v", f)
	}
}

func TestParseRefusesWhatIsNotAFeed(t *testing.T) {
	for _, doc := range []string{
		`<!DOCTYPE html><html><head><title>A page</title></head><body><p>Hello</p></body></html>`,
		`{"hello": "world"}`,
		`not even markup`,
		``,
	} {
		if _, err := Parse([]byte(doc), ""); !errors.Is(err, ErrNotAFeed) {
			t.Errorf("%.30q: err %v, want ErrNotAFeed", doc, err)
		}
	}
}

func TestParseDateForms(t *testing.T) {
	want := time.Date(2025, 3, 4, 9, 30, 0, 0, time.UTC)
	for _, s := range []string{
		"Tue, 04 Mar 2025 09:30:00 +0000", "Tue, 4 Mar 2025 09:30:00 GMT", "Tue, 4 Mar 2025 09:30:00 UT",
		"2025-03-04T09:30:00Z", "2025-03-04T10:30:00+01:00", "2025-03-04 09:30:00", "Tue, 4 Mar 2025 09:30 +0000",
	} {
		if got := parseDate(s); !got.Equal(want) {
			t.Errorf("%q: %v", s, got)
		}
	}
	if !parseDate("yesterday").IsZero() {
		t.Error("a date that is not one parsed")
	}
}

func TestEntriesDedupAndSharedLinks(t *testing.T) {
	d := func(day int) time.Time { return time.Date(2025, 3, day, 0, 0, 0, 0, time.UTC) }
	f := &Feed{Items: []Item{
		{GUID: "g1", Link: "https://x.example/a", Title: "A", Published: d(1)},
		{GUID: "g1", Link: "https://x.example/a2", Title: "A again", Published: d(1)}, // same GUID
		{Link: "https://x.example/b", Title: "B", Published: d(3)},
		{Link: "https://X.example/b#top", Title: "B again", Published: d(3)}, // same link
		{Title: "C", Published: d(2)},
		{Title: "c", Published: d(2)}, // same title and date
		{Title: "C", Published: d(4)}, // same title, another day
		{GUID: "live-1", Link: "https://x.example/live", Title: "Live 1"},
		{GUID: "live-2", Link: "https://x.example/live", Title: "Live 2"},
		{},
	}}
	es := entries(f)
	var titles []string
	for _, e := range es {
		titles = append(titles, e.Title)
		if e.sharedLink != strings.HasPrefix(e.Title, "Live") {
			t.Errorf("%s: shared link %v", e.Title, e.sharedLink)
		}
	}
	// Undated first, then newest first.
	if got := strings.Join(titles, "|"); got != "Live 1|Live 2|C|B|C|A" {
		t.Errorf("entries %s", got)
	}
}

func TestBackoffDoublesUpToADay(t *testing.T) {
	iv := 15 * time.Minute
	for _, c := range []struct {
		failures int
		after    time.Duration
		want     time.Duration
	}{
		{0, 0, iv}, {1, 0, 30 * time.Minute}, {2, 0, time.Hour}, {3, 0, 2 * time.Hour},
		{20, 0, 24 * time.Hour}, {1, 3 * time.Hour, 3 * time.Hour}, {1, 48 * time.Hour, 24 * time.Hour},
	} {
		if got := Backoff(iv, c.failures, c.after); got != c.want {
			t.Errorf("Backoff(%d failures, retry after %s) = %s, want %s", c.failures, c.after, got, c.want)
		}
	}
}

// Relative links are read against where the feed was found and any
// xml:base; what is not an http or https address then is no link.
func TestParseResolvesRelativeLinks(t *testing.T) {
	rss := `<rss version="2.0"><channel><title>T</title><link>/</link>
<item><guid>1</guid><title>Rooted</title><link>/news/a.html</link></item>
<item><guid>2</guid><title>Relative</title><link>b.html</link></item>
<item><guid>3</guid><title>Absolute</title><link>https://other.example/c</link></item>
<item><guid>4</guid><title>Script</title><link>javascript:alert(1)</link></item>
<item><guid>5</guid><title>Mail</title><link>mailto:desk@news.example</link></item>
</channel></rss>`
	f, err := Parse([]byte(rss), "https://news.example/feeds/main.rss")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"https://news.example/news/a.html", "https://news.example/feeds/b.html", "https://other.example/c", "", ""}
	if f.Link != "https://news.example/" || len(f.Items) != len(want) {
		t.Fatalf("feed %+v", f)
	}
	for i, it := range f.Items {
		if it.Link != want[i] {
			t.Errorf("%s: link %q, want %q", it.Title, it.Link, want[i])
		}
	}
	atom := `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://cdn.example/blog/"><title>A</title><link href="./"/>
<entry><id>1</id><title>Entry base</title><link href="b.html" xml:base="2025/"/></entry>
<entry xml:base="/archive/"><id>2</id><title>Entry</title><link href="c.html"/></entry>
<entry><id>3</id><title>Feed base</title><link href="d.html"/></entry>
</feed>`
	f, err = Parse([]byte(atom), "https://news.example/atom")
	if err != nil {
		t.Fatal(err)
	}
	want = []string{"https://cdn.example/blog/2025/b.html", "https://cdn.example/archive/c.html", "https://cdn.example/blog/d.html"}
	if f.Link != "https://cdn.example/blog/" || len(f.Items) != len(want) {
		t.Fatalf("feed %+v", f)
	}
	for i, it := range f.Items {
		if it.Link != want[i] {
			t.Errorf("%s: link %q, want %q", it.Title, it.Link, want[i])
		}
	}
	js := `{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"1","url":"/j/1","content_text":"One."}]}`
	if f, err := Parse([]byte(js), "https://news.example/feed.json"); err != nil || f.Items[0].Link != "https://news.example/j/1" {
		t.Errorf("JSON Feed: %+v %v", f, err)
	}
}

// An item without a GUID is known by its link as written, so its key
// stays the same wherever the feed is found (a feed that moves hosts
// brings no item twice).
func TestItemKeyIsTheLinkAsWritten(t *testing.T) {
	rss := `<rss version="2.0"><channel><title>T</title><item><title>A</title><link>/news/a.html</link></item></channel></rss>`
	a, errA := Parse([]byte(rss), "https://news.example/rss")
	b, errB := Parse([]byte(rss), "https://www.news.example/rss")
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if a.Items[0].Link == b.Items[0].Link || itemKey(a.Items[0]) != itemKey(b.Items[0]) {
		t.Errorf("links %q and %q, keys %s and %s", a.Items[0].Link, b.Items[0].Link, itemKey(a.Items[0]), itemKey(b.Items[0]))
	}
}

// Atom's titles and contents are text, HTML or XHTML (RFC 4287, 3.1):
// titles come out as plain text, and text content is escaped as HTML.
func TestParseAtomTextConstructs(t *testing.T) {
	f, err := Parse([]byte(`<feed xmlns="http://www.w3.org/2005/Atom"><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Hill <i>News</i></div></title>
<entry><id>1</id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Minister <b>resigns</b> &amp; leaves</div></title><content type="text">a &lt;b c</content></entry>
<entry><id>2</id><title type="html">&lt;b&gt;Minister&lt;/b&gt; resigns &amp;amp; leaves</title><summary type="text/html">&lt;p&gt;Two.&lt;/p&gt;</summary></entry>
<entry><id>3</id><title type="text">Why 1 &lt; 2</title><summary>Plain &lt;text&gt;</summary></entry>
<entry><id>4</id><title>Four</title><content type="html">&lt;p&gt;Four.&lt;/p&gt;</content></entry>
</feed>`), "")
	if err != nil {
		t.Fatal(err)
	}
	if f.Title != "Hill News" || len(f.Items) != 4 {
		t.Fatalf("feed %+v", f)
	}
	for i, want := range []struct{ title, content string }{
		{"Minister resigns & leaves", "<p>a &lt;b c</p>\n"},
		{"Minister resigns & leaves", "<p>Two.</p>"},
		{"Why 1 < 2", "<p>Plain &lt;text&gt;</p>\n"},
		{"Four", "<p>Four.</p>"},
	} {
		if it := f.Items[i]; it.Title != want.title || it.Content != want.content {
			t.Errorf("entry %d: title %q, content %q; want %q, %q", i+1, it.Title, it.Content, want.title, want.content)
		}
	}
}

// A JSON Feed's numeric IDs keep their digits: 2^53+1 is not 2^53, and
// both items are kept.
func TestParseJSONFeedKeepsLargeNumericIDs(t *testing.T) {
	f, err := Parse([]byte(`{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[
{"id":9007199254740993,"url":"https://x.example/1","title":"one","content_text":"one"},
{"id":9007199254740992,"url":"https://x.example/2","title":"two","content_text":"two"}]}`), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Items) != 2 || f.Items[0].GUID != "9007199254740993" || f.Items[1].GUID != "9007199254740992" {
		t.Fatalf("items %+v", f.Items)
	}
	if n := len(entries(f)); n != 2 {
		t.Errorf("%d items kept of 2", n)
	}
	if _, err := Parse([]byte(`{"version":"https://jsonfeed.org/version/1.1","items":[]} {}`), ""); !errors.Is(err, ErrNotAFeed) {
		t.Errorf("a feed followed by more JSON: %v, want ErrNotAFeed", err)
	}
}

// A numeric ID that float64 holds exactly keeps the key it had when IDs
// were read as float64, so a feed followed then brings no item again.
func TestParseJSONFeedNumericIDsKeepTheirKeys(t *testing.T) {
	f, err := Parse([]byte(`{"version":"https://jsonfeed.org/version/1.1","items":[
{"id":1234567,"url":"https://x.example/1","content_text":"one"},{"id":7,"url":"https://x.example/7","content_text":"seven"}]}`), "")
	if err != nil {
		t.Fatal(err)
	}
	if f.Items[0].GUID != "1234567" || itemKey(f.Items[0]) != itemKey(Item{GUID: "1.234567e+06"}) || itemKey(f.Items[1]) != itemKey(Item{GUID: "7"}) {
		t.Errorf("items %+v", f.Items)
	}
}

// RFC 822's zone names are read as their offsets, whatever the machine's
// own zone: "EST" is not UTC.
func TestParseDateZoneNames(t *testing.T) {
	for _, c := range []struct {
		s    string
		want time.Time
	}{
		{"Wed, 12 Mar 2025 22:00 EST", time.Date(2025, 3, 13, 3, 0, 0, 0, time.UTC)},
		{"Wed, 12 Mar 2025 22:00:00 EST", time.Date(2025, 3, 13, 3, 0, 0, 0, time.UTC)},
		{"Wed, 12 Mar 2025 22:00:00 EDT", time.Date(2025, 3, 13, 2, 0, 0, 0, time.UTC)},
		{"Wed, 12 Mar 2025 22:00:00 CST", time.Date(2025, 3, 13, 4, 0, 0, 0, time.UTC)},
		{"Wed, 12 Mar 2025 22:00:00 CDT", time.Date(2025, 3, 13, 3, 0, 0, 0, time.UTC)},
		{"Wed, 12 Mar 2025 22:00:00 MST", time.Date(2025, 3, 13, 5, 0, 0, 0, time.UTC)},
		{"Wed, 12 Mar 2025 22:00:00 MDT", time.Date(2025, 3, 13, 4, 0, 0, 0, time.UTC)},
		{"Wed, 12 Mar 2025 22:00:00 PST", time.Date(2025, 3, 13, 6, 0, 0, 0, time.UTC)},
		{"Wed, 12 Mar 2025 22:00:00 pdt", time.Date(2025, 3, 13, 5, 0, 0, 0, time.UTC)},
		{"Wed, 12 Mar 2025 22:00:00 GMT", time.Date(2025, 3, 12, 22, 0, 0, 0, time.UTC)},
		{"Wed, 12 Mar 2025 22:00:00 UT", time.Date(2025, 3, 12, 22, 0, 0, 0, time.UTC)},
		{"Wed, 12 Mar 2025 22:00:00 Z", time.Date(2025, 3, 12, 22, 0, 0, 0, time.UTC)},
		{"12 Mar 2025 22:00:00 PST", time.Date(2025, 3, 13, 6, 0, 0, 0, time.UTC)},
		{"Wednesday, 12-Mar-25 22:00:00 EST", time.Date(2025, 3, 13, 3, 0, 0, 0, time.UTC)},
		{"Wed, 12 Mar 2025 22:00:00 -0500 (EST)", time.Date(2025, 3, 13, 3, 0, 0, 0, time.UTC)},
	} {
		if got := parseDate(c.s); !got.Equal(c.want) {
			t.Errorf("%q: %v, want %v", c.s, got, c.want)
		}
	}
}

// Titles and authors lose their control characters, so that no terminal
// or chat showing them obeys an escape sequence a feed put there.
func TestParseDropsControlCharacters(t *testing.T) {
	f, err := Parse([]byte("{\"version\":\"https://jsonfeed.org/version/1\",\"title\":\"News\\u001b]0;pwned\\u0007\\u001b[2J\",\"items\":["+
		"{\"id\":\"1\",\"url\":\"https://x.example/1\",\"title\":\"Tide\\u0000\\u009b31m\\tturns\",\"content_text\":\"one\",\"author\":{\"name\":\"Ana\\u001b[5m Ruiz\"}}]}"), "")
	if err != nil {
		t.Fatal(err)
	}
	if f.Title != "News]0;pwned[2J" || f.Items[0].Title != "Tide31m turns" || f.Items[0].Author != "Ana[5m Ruiz" {
		t.Errorf("feed %q, item %q by %q", f.Title, f.Items[0].Title, f.Items[0].Author)
	}
}
