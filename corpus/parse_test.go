package corpus

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/corpus/devset"
)

func TestParseFormats(t *testing.T) {
	tests := []struct {
		name, file, data string
		headline         string
		paras            []string
		date, source     string
	}{
		{
			name: "plain text with header", file: "a.txt",
			data:     "date: 2016-09-12\nsource: Example Wire\nurl: https://example.com/a\n---\nHeadline here\n\nFirst paragraph.\n\nSecond paragraph.\n",
			headline: "Headline here", paras: []string{"First paragraph.", "Second paragraph."},
			date: "2016-09-12", source: "Example Wire",
		},
		{
			name: "plain text without header", file: "b.txt",
			data:     "Headline only\n\nBody one.\n\n\n\nBody two.",
			headline: "Headline only", paras: []string{"Body one.", "Body two."},
		},
		{
			name: "CRLF and byte-order mark", file: "c.txt",
			data:     "\ufeffdate: 2020-01-02\r\n---\r\nTitle\r\n\r\nOne.\r\n\r\nTwo.\r\n",
			headline: "Title", paras: []string{"One.", "Two."}, date: "2020-01-02",
		},
		{
			name: "paragraph spanning lines keeps its line break", file: "d.txt",
			data:     "Title\n\nPhoto title\nCaption line goes here.\n",
			headline: "Title", paras: []string{"Photo title\nCaption line goes here."},
		},
		{
			name: "markdown with front matter", file: "e.md",
			data:     "---\ndate: 2021-08-30\nsource: Daily Example\n---\n# The Headline\n\nA paragraph with *emphasis*.\n\n> A quoted paragraph.\n",
			headline: "The Headline", paras: []string{"A paragraph with *emphasis*.", "A quoted paragraph."},
			date: "2021-08-30", source: "Daily Example",
		},
		{
			name: "markdown without front matter", file: "f.md",
			data:     "# Title\n\n- item one\n- item two\n\nLast.",
			headline: "Title", paras: []string{"item one\nitem two", "Last."},
		},
		{
			name: "a colon in the headline is not a header", file: "g.txt",
			data:     "Breaking: markets fall\n\nStocks fell.\n",
			headline: "Breaking: markets fall", paras: []string{"Stocks fell."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := Parse(tt.file, []byte(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			if st.ID != tt.file {
				t.Errorf("ID = %q, want %q", st.ID, tt.file)
			}
			if st.Headline != tt.headline {
				t.Errorf("headline = %q, want %q", st.Headline, tt.headline)
			}
			if len(st.Paragraphs) != len(tt.paras) {
				t.Fatalf("got %d paragraphs %q, want %d", len(st.Paragraphs), texts(st), len(tt.paras))
			}
			for i, p := range st.Paragraphs {
				if p.Index != i || p.Text != tt.paras[i] {
					t.Errorf("paragraph %d = %d %q, want %q", i, p.Index, p.Text, tt.paras[i])
				}
			}
			if got := st.PublishedISO(); got != tt.date {
				t.Errorf("date = %q, want %q", got, tt.date)
			}
			if st.Source != tt.source {
				t.Errorf("source = %q, want %q", st.Source, tt.source)
			}
		})
	}
}

func texts(st *Story) []string {
	var out []string
	for _, p := range st.Paragraphs {
		out = append(out, p.Text)
	}
	return out
}

func TestParseBadFiles(t *testing.T) {
	tests := []struct {
		name string
		file string
		data []byte
		want error
	}{
		{"empty", "a.txt", nil, ErrEmpty},
		{"only blank lines", "a.txt", []byte("\n \n\t\n"), ErrEmpty},
		{"binary", "a.txt", []byte("PK\x03\x04\x00\x00binary"), ErrBinary},
		{"control characters", "a.txt", []byte("\x01\x02\x03\x04\x05\x06abc"), ErrBinary},
		{"latin-1", "a.txt", []byte("Caf\xe9 society\n\nText.\n"), ErrNotUTF8},
		{"headline only", "a.txt", []byte("Just a headline\n"), ErrNoParagraphs},
		{"header only", "a.txt", []byte("date: 2020-01-01\n---\n"), ErrEmpty},
		{"too large", "a.txt", []byte(strings.Repeat("word ", MaxFileSize/5+1)), ErrTooLarge},
		{"unknown type", "a.pdf", []byte("text"), ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.file, tt.data)
			if tt.name == "header only" && errors.Is(err, ErrNoParagraphs) {
				return // a header with nothing after it has no paragraphs either way
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestPublicationDateInference(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"header wins", "date: 2019-03-04\n---\nT\n\nUpdate 02/25/22 06.35 a.m. ET: more.\n", "2019-03-04"},
		{"update stamp", "T\n\nBody.\n\nUpdate 02/25/22 06.35 a.m. ET: This article was updated.\n", "2022-02-25"},
		{"updated with four-digit year", "T\n\nUpdated 11/3/2020 at noon.\n", "2020-11-03"},
		{"dateline", "T\n\nWASHINGTON, Sept. 12, 2016 — The Senate voted.\n", "2016-09-12"},
		{"dateline without city", "T\n\nMarch 3, 1998 — Rain fell.\n", "1998-03-03"},
		{"impossible date is ignored", "T\n\nUpdate 02/31/22: text.\n", ""},
		{"no date anywhere", "T\n\nThe council met on Friday.\n", ""},
		{"a date deep in the body is not a dateline", "T\n\nOne.\n\nTwo.\n\nThree.\n\nJan. 5, 2001 — late.\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := Parse("x.txt", []byte(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			if got := st.PublishedISO(); got != tt.want {
				t.Errorf("published = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestBuiltinSeed(t *testing.T) {
	stories := Builtin()
	if len(stories) != 1 {
		t.Fatalf("got %d built-in stories", len(stories))
	}
	st := stories[0]
	if st.ID != "taliban-call-for-russia-ukraine-peace.txt" {
		t.Errorf("ID = %q", st.ID)
	}
	if !st.Published.Equal(time.Date(2022, 2, 25, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("published = %v, want 2022-02-25 from the update stamp", st.Published)
	}
	// The seed questions count paragraphs this way: 16 body paragraphs,
	// the photo title and caption together the last.
	if len(st.Paragraphs) != 16 {
		t.Fatalf("got %d paragraphs", len(st.Paragraphs))
	}
	checks := map[int]string{
		1:  "Afghanistan Ministry of Foreign Affairs spokesman Abdul Qahar Balkhi",
		9:  "The Ukrainian Ministry of Defense wrote on Twitter",
		14: "Update 02/25/22 06.35 a.m. ET",
		15: "Ukrainian Soldier on Patrol\nUkrainian troops patrol",
	}
	for i, prefix := range checks {
		if !strings.HasPrefix(st.Paragraphs[i].Text, prefix) {
			t.Errorf("paragraph %d = %q, want it to start with %q", i, st.Paragraphs[i].Text, prefix)
		}
	}
}

// TestParagraphNumberingMatchesDevSet checks paragraph numbering against the
// evaluation data's gold paragraphs: the quote of each who-item must be in
// the paragraph the data names.
func TestParagraphNumberingMatchesDevSet(t *testing.T) {
	items := devset.Load(t, "dev-questions.jsonl", "who")
	stories := newDevStories(t)
	checked := 0
	for _, it := range items {
		if len(it.Quote) < 20 {
			continue
		}
		st := stories.get(t, it.Story)
		if it.Paragraph >= len(st.Paragraphs) {
			t.Errorf("%s: paragraph %d out of range (%d)", it.ID, it.Paragraph, len(st.Paragraphs))
			continue
		}
		probe := it.Quote[len(it.Quote)/3 : len(it.Quote)/3+12]
		if !strings.Contains(st.Paragraphs[it.Paragraph].Text, probe) {
			t.Errorf("%s: paragraph %d does not hold %q", it.ID, it.Paragraph, probe)
		}
		checked++
	}
	if checked < 100 {
		t.Fatalf("only %d items checked", checked)
	}
}
