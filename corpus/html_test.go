package corpus

import (
	"strings"
	"testing"
)

// articleHTML is a news page as sites serve it: metadata in the head,
// navigation and scripts around the article, a byline and a dateline.
const articleHTML = `<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Taliban Call for Russia-Ukraine Peace | Newsweek</title>
<meta property="og:site_name" content="Newsweek">
<meta property="og:title" content="Taliban Call for Russia-Ukraine Peace, Say They Fear for Civilians">
<meta name="author" content="By David Brennan">
<meta property="article:published_time" content="2022-02-25T06:35:00-05:00">
<link rel="canonical" href="https://www.newsweek.com/taliban-call-russia-ukraine-peace-1682637">
<style>body { color: red } .ad { display: none }</style>
<script>var tracking = "The Taliban said nothing"; document.write("<p>injected</p>");</script>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article>
<h1>Taliban Call for Russia-Ukraine Peace, Say They Fear for Civilians</h1>
<div class="content">
<p>The Taliban government of Afghanistan has called for peace between Russia and Ukraine and expressed
concern over civilian casualties as Russian forces threatened the Ukrainian capital of Kyiv on Friday.</p>
<script>alert("xss")</script>
<p>Afghanistan Ministry of Foreign Affairs spokesman Abdul Qahar Balkhi issued a statement in English on
Twitter on Friday morning urging a resolution to the crisis through &quot;dialogue and peaceful means.&quot;</p>
<p>"The Islamic Emirate calls for restraint by both parties. All sides need to desist from taking positions
that could intensify violence," the Taliban said.</p>
<p>The Taliban returned to power in Afghanistan following the final withdrawal of <b>U.S. forces</b> from
the country in August 2021. The U.S. had invaded Afghanistan in 2001 following the 9/11 terrorist attacks.</p>
<style>.x{}</style>
<p>Russian President Vladimir Putin authorized what he described as a "special military operation" against
Ukraine late on Wednesday U.S. time.<br>Ukraine has called it a full-scale invasion.</p>
</div>
</article>
<footer>Copyright Newsweek</footer>
<script src="/analytics.js"></script>
</body></html>`

func TestParseHTMLArticle(t *testing.T) {
	st, err := ParseHTML("taliban.html", []byte(articleHTML), "https://www.newsweek.com/taliban-call-russia-ukraine-peace-1682637?utm=x#top")
	if err != nil {
		t.Fatal(err)
	}
	if st.ID != "taliban.html" {
		t.Errorf("ID %q", st.ID)
	}
	if st.Headline != "Taliban Call for Russia-Ukraine Peace, Say They Fear for Civilians" {
		t.Errorf("headline %q", st.Headline)
	}
	if st.Source != "Newsweek" || st.Author != "David Brennan" {
		t.Errorf("source %q author %q", st.Source, st.Author)
	}
	if st.PublishedISO() != "2022-02-25" {
		t.Errorf("published %q", st.PublishedISO())
	}
	if st.URL != "https://www.newsweek.com/taliban-call-russia-ukraine-peace-1682637?utm=x" {
		t.Errorf("URL %q", st.URL)
	}
	if len(st.Paragraphs) != 5 {
		t.Fatalf("%d paragraphs: %q", len(st.Paragraphs), texts(st))
	}
	all := strings.Join(texts(st), "\n")
	for _, bad := range []string{"alert", "xss", "tracking", "injected", "color: red", "Home", "Copyright", "<"} {
		if strings.Contains(all, bad) {
			t.Errorf("paragraphs contain %q:\n%s", bad, all)
		}
	}
	if got := st.Paragraphs[1].Text; !strings.Contains(got, `through "dialogue and peaceful means."`) || strings.Contains(got, "\n") {
		t.Errorf("entities or white space not cleaned: %q", got)
	}
	if got := st.Paragraphs[4].Text; !strings.HasSuffix(got, "U.S. time. Ukraine has called it a full-scale invasion.") {
		t.Errorf("<br> not a space: %q", got)
	}
	var saidBy string
	for _, p := range st.Paragraphs {
		for _, s := range p.Statements {
			if strings.Contains(s.Quote, "restraint by both parties") {
				saidBy = s.Speaker
			}
		}
	}
	if saidBy == "" {
		t.Errorf("statements were not annotated: %+v", st.Paragraphs[2])
	}
}

func TestParseDispatchesHTMLByExtension(t *testing.T) {
	for _, name := range []string{"a.html", "b.HTM"} {
		st, err := Parse(name, []byte(articleHTML))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// Without a page URL the canonical link is the story's URL.
		if st.URL != "https://www.newsweek.com/taliban-call-russia-ukraine-peace-1682637" {
			t.Errorf("%s: URL %q", name, st.URL)
		}
	}
	if !IsStoryFile("x.html") || !IsStoryFile("x.htm") {
		t.Error("LoadDir would not read .html files")
	}
}

func TestParseHTMLMetadataFallbacks(t *testing.T) {
	tests := []struct {
		name, page, date, source string
	}{
		{"JSON-LD in a graph readability skips", `<html><head><title>T</title>
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebPage"},{"@type":"Thing","datePublished":"2021-08-15T10:00:00Z"}]}</script>
</head><body><p>One paragraph of body text that is long enough to count as an article.</p></body></html>`, "2021-08-15", "example.org"},
		{"itemprop time", `<html><head><title>T</title></head><body><article>
<time itemprop="datePublished" datetime="2020-03-11">March 11</time>
<p>One paragraph of body text that is long enough to count as an article.</p></article></body></html>`, "2020-03-11", "example.org"},
		{"meta name date", `<html><head><title>T</title><meta name="date" content="2019-07-04"></head>
<body><p>One paragraph of body text that is long enough to count as an article.</p></body></html>`, "2019-07-04", "example.org"},
		{"junk date is ignored", `<html><head><title>T</title><meta name="date" content="soon"></head>
<body><p>One paragraph of body text that is long enough to count as an article.</p></body></html>`, "", "example.org"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := ParseHTML("x.html", []byte(tt.page), "http://www.example.org/x")
			if err != nil {
				t.Fatal(err)
			}
			if st.PublishedISO() != tt.date || st.Source != tt.source {
				t.Errorf("date %q source %q", st.PublishedISO(), st.Source)
			}
		})
	}
}

func TestParseHTMLHostileInput(t *testing.T) {
	tests := []struct {
		name string
		page string
		err  error
	}{
		{"only scripts", `<html><body><script>alert(1)</script><style>p{}</style></body></html>`, ErrNoParagraphs},
		{"binary", "<html>\x00\x01\x02\x03</html>", ErrBinary},
		{"invalid UTF-8", "<html><body><p>caf\xe9</p></body></html>", ErrNotUTF8},
		{"empty", "  \n", ErrEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParseHTML("x.html", []byte(tt.page), ""); err != tt.err {
				t.Errorf("err %v, want %v", err, tt.err)
			}
		})
	}
}

func TestParseHTMLWithoutReadableArticle(t *testing.T) {
	// Too little text for readability to score: the body is used instead.
	st, err := ParseHTML("x.html", []byte(`<p>Short one.</p><div hidden>secret</div><p>Short two.</p>`), "")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(texts(st), "|"); strings.Contains(got, "secret") || !strings.Contains(got, "Short two.") {
		t.Errorf("paragraphs %q headline %q", got, st.Headline)
	}
}
