package corpus

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// Run one at a time, e.g.
//
//	go test -fuzz=FuzzParse -fuzztime=60s ./corpus/
//
// Without -fuzz, the seeds below run as ordinary tests.

func addSeeds(f *testing.F, add func(name string, data []byte)) {
	seed, err := os.ReadFile(filepath.Join("seed", "taliban-call-for-russia-ukraine-peace.txt"))
	if err != nil {
		f.Fatal(err)
	}
	add("story.txt", seed)
	add("story.md", []byte("---\ntitle: T\ndate: 2022-02-25\n---\n# Head\n\n- \"We will,\" he said on Friday.\n\n> quote\n"))
	add("story.html", []byte(articleHTML))
	add("page.htm", []byte(`<p>"Yes," she said <b>late on Wednesday</b>.</p><script>x()</script><p>In 1990s.</p>`))
	add("h.txt", []byte("date: 2022-02-25\nsource: X\n---\n\nHead\n\nLast week, the minister said \"no\".\n"))
	add("x.txt", []byte("\xef\xbb\xbfBOM\r\n\r\nCR LF text, said Ann.\r"))
	add("x.txt", []byte("caf\xe9"))
	add("x.txt", []byte("\x00\x01binary"))
	add("x.html", []byte("<html><head><meta name=date content='Feb 30, 2022'><script type='application/ld+json'>{\"datePublished\":\"0000-00-00\"}</script>"))
	add("x", []byte("Headline only"))
	add("../x.TXT", []byte("A\n\n---\n\nB\n"))
}

// FuzzParse checks that no input makes Parse panic and that what it finds
// points into the paragraph it was found in.
func FuzzParse(f *testing.F) {
	addSeeds(f, func(name string, data []byte) { f.Add(name, data) })
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		st, err := Parse(name, data)
		if err != nil {
			if st != nil {
				t.Fatal("a story and an error")
			}
			return
		}
		checkStory(t, st)
	})
}

func checkStory(t *testing.T, st *Story) {
	t.Helper()
	if len(st.Paragraphs) == 0 {
		t.Fatal("a story without paragraphs")
	}
	for i, p := range st.Paragraphs {
		if p.Index != i || strings.TrimSpace(p.Text) == "" || !utf8.ValidString(p.Text) {
			t.Fatalf("paragraph %d: index %d, text %q", i, p.Index, p.Text)
		}
		for _, s := range p.Statements {
			if s.Start < 0 || s.Start > s.End || s.End > len(p.Text) || p.Text[s.Start:s.End] != s.Quote {
				t.Fatalf("paragraph %d: statement %+v does not point at its quote in %q", i, s, p.Text)
			}
		}
		for _, x := range p.Times {
			if x.Start < 0 || x.Start > x.End || x.End > len(p.Text) || p.Text[x.Start:x.End] != x.Text {
				t.Fatalf("paragraph %d: time %+v does not point at its text in %q", i, x, p.Text)
			}
		}
	}
}

// FuzzSafeName checks that whatever a user names an upload, the name
// SafeName returns stays in the corpus directory, is visible to LoadDir
// and is stable.
func FuzzSafeName(f *testing.F) {
	for _, s := range []string{"story.txt", "../evil.txt", "a/b.md", `..\x.html`, ".hidden.txt",
		"My Story (v2).TXT", "cafe\u0301.md", "Привет.html", "a\x00.txt", "\xff.txt", strings.Repeat("é", 300) + ".txt",
		"x.txt.exe", "CON.txt", " .txt", "-.txt", "a..b.txt", "\u202etxt.exe", "x\u0307\u0307.md"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got, err := SafeName(name)
		if err != nil {
			if !errors.Is(err, ErrBadName) {
				t.Fatalf("SafeName(%q): %v is not ErrBadName", name, err)
			}
			return
		}
		switch {
		case got == "", len(got) > maxNameBytes, !utf8.ValidString(got):
			t.Fatalf("SafeName(%q) = %q", name, got)
		case strings.ContainsAny(got, `/\`), strings.Contains(got, ".."), strings.HasPrefix(got, "."):
			t.Fatalf("SafeName(%q) = %q escapes or hides", name, got)
		case filepath.Base(got) != got, !filepath.IsLocal(got), !IsStoryFile(got), CheckID(got) != nil:
			t.Fatalf("SafeName(%q) = %q is not a plain story file name", name, got)
		case strings.ContainsFunc(got, func(r rune) bool { return r < 0x20 || r == 0x7f || r == utf8.RuneError }):
			t.Fatalf("SafeName(%q) = %q has control characters", name, got)
		}
		if again, err := SafeName(got); err != nil || again != got {
			t.Fatalf("SafeName is not stable: %q -> %q -> %q, %v", name, got, again, err)
		}
	})
}

// FuzzIntake checks an upload end to end: whatever PrepareUpload accepts
// is saved under a safe name, and the saved file reads back, through
// LoadDir as a reindex would, as the very story that was indexed.
func FuzzIntake(f *testing.F) {
	addSeeds(f, func(name string, data []byte) { f.Add(name, data, "") })
	f.Add("page.html", []byte(articleHTML), "https://user:pw@example.org/a?b=c#d")
	f.Add("page.txt", []byte("Plain\n\nText page.\n"), "http://example.org/x")
	f.Add("page.html", []byte("<title>\"Quoted\" title</title><p>Body.</p>"), "javascript:alert(1)")
	f.Fuzz(func(t *testing.T, name string, data []byte, pageURL string) {
		up, err := PrepareUpload(name, data, pageURL)
		if err != nil {
			return
		}
		checkStory(t, up.Story)
		if up.Story.ID != up.Name || filepath.Base(up.Name) != up.Name || strings.HasPrefix(up.Name, ".") {
			t.Fatalf("upload %q saved as %q, ID %q", name, up.Name, up.Story.ID)
		}
		dir := t.TempDir()
		path, err := up.Save(dir)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Dir(path) != dir {
			t.Fatalf("saved outside the corpus: %s", path)
		}
		stories, skipped, err := LoadDir(dir)
		if err != nil || len(skipped) != 0 || len(stories) != 1 {
			t.Fatalf("reindex reads %d stories, skipped %v, %v", len(stories), skipped, err)
		}
		re := stories[0]
		if re.ID != up.Story.ID || re.Headline != up.Story.Headline || re.Source != up.Story.Source ||
			re.Author != up.Story.Author || re.URL != up.Story.URL || !re.Published.Equal(up.Story.Published) ||
			!slices.Equal(texts(re), texts(up.Story)) {
			t.Fatalf("reindex reads another story:\n%+v\nwas indexed as\n%+v", re, up.Story)
		}
	})
}
