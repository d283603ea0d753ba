package corpus

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestSafeName(t *testing.T) {
	good := []struct{ in, want string }{
		{"story.txt", "story.txt"},
		{"  My Story (v2).TXT ", "My-Story-v2.txt"},
		{"notes.md", "notes.md"},
		{"page.HTML", "page.html"},
		{"café.txt", "café.txt"},       // NFC already
		{"cafe\u0301.txt", "café.txt"}, // NFD becomes NFC
		{"Привет мир.md", "Привет-мир.md"},
		{"a#b?c*d:e.txt", "a-b-c-d-e.txt"},
		{"-_-x-_-.txt", "x.txt"},
		{strings.Repeat("é", 200) + ".txt", strings.Repeat("é", 58) + ".txt"},
	}
	for _, g := range good {
		got, err := SafeName(g.in)
		if err != nil || got != g.want {
			t.Errorf("SafeName(%q) = %q, %v; want %q", g.in, got, err, g.want)
		}
		if len(got) > maxNameBytes {
			t.Errorf("SafeName(%q) is %d bytes", g.in, len(got))
		}
	}
	bad := []string{
		"", "   ", "../evil.txt", "..", "a/b.txt", `a\b.txt`, "/etc/passwd", "x/../../y.txt",
		".hidden.txt", ".txt", "a..txt", "evil.exe", "story", "story.txt.exe", "story.php",
		"a\x00b.txt", "a\nb.txt", "\xff.txt", "(((.txt",
	}
	for _, b := range bad {
		if got, err := SafeName(b); !errors.Is(err, ErrBadName) {
			t.Errorf("SafeName(%q) = %q, %v; want ErrBadName", b, got, err)
		}
	}
}

func TestSaveTextKeepsTheFileAsItIs(t *testing.T) {
	dir := t.TempDir()
	data := []byte("Headline\n\nFirst paragraph.\n")
	path, err := Save(dir, "my story.txt", data)
	if err != nil {
		t.Fatal(err)
	}
	if path != filepath.Join(dir, "my-story.txt") {
		t.Errorf("path %s", path)
	}
	if got, _ := os.ReadFile(path); string(got) != string(data) {
		t.Errorf("saved %q", got)
	}
	assertOnly(t, dir, "my-story.txt")
}

func TestSaveHTMLWritesNormalisedText(t *testing.T) {
	dir := t.TempDir()
	path, err := SavePage(dir, "taliban.html", []byte(articleHTML), "https://www.newsweek.com/taliban")
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(path) != "taliban.txt" {
		t.Fatalf("saved as %s", path)
	}
	raw, _ := os.ReadFile(path)
	text := string(raw)
	for _, want := range []string{"date: 2022-02-25\n", "source: Newsweek\n", "author: David Brennan\n",
		"url: https://www.newsweek.com/taliban\n", "---\n\nTaliban Call for Russia-Ukraine Peace"} {
		if !strings.Contains(text, want) {
			t.Errorf("saved file lacks %q:\n%s", want, text)
		}
	}
	if strings.ContainsAny(text, "<>") || strings.Contains(text, "alert") {
		t.Errorf("markup or script kept:\n%s", text)
	}
	// A reindex reads the saved file with the plain parser: same story.
	fromHTML, _ := ParseHTML("taliban.html", []byte(articleHTML), "https://www.newsweek.com/taliban")
	st, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Headline != fromHTML.Headline || st.Source != fromHTML.Source || st.Author != fromHTML.Author ||
		st.URL != fromHTML.URL || !st.Published.Equal(fromHTML.Published) ||
		!slices.Equal(texts(st), texts(fromHTML)) {
		t.Errorf("reread story differs:\n%+v\n%+v", st, fromHTML)
	}
	assertOnly(t, dir, "taliban.txt")
}

func TestSavePlainPageRecordsURL(t *testing.T) {
	dir := t.TempDir()
	path, err := SavePage(dir, "notes.txt", []byte("Notes\n\nSome text.\n"), "https://example.org/notes")
	if err != nil {
		t.Fatal(err)
	}
	st, err := ReadFile(path)
	if err != nil || st.URL != "https://example.org/notes" || st.Headline != "Notes" {
		t.Errorf("story %+v, %v", st, err)
	}
}

func TestSaveRefusesHostileUploadsAndKeepsTheCorpus(t *testing.T) {
	dir := t.TempDir()
	orig := []byte("Old\n\nOld text.\n")
	if err := os.WriteFile(filepath.Join(dir, "story.txt"), orig, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		err  error
	}{
		{"../story.txt", []byte("New\n\nNew text.\n"), ErrBadName},
		{"story.exe", []byte("New\n\nNew text.\n"), ErrBadName},
		{"story.txt", []byte("\x7fELF\x02\x01\x01\x00\x00\x00"), ErrBinary},
		{"story.txt", []byte("caf\xe9 au lait\n\nmore\n"), ErrNotUTF8},
		{"story.txt", make([]byte, MaxFileSize+1), ErrTooLarge},
		{"story.txt", []byte("\n\n"), ErrEmpty},
		{"story.html", []byte("<script>alert(1)</script>"), ErrNoParagraphs},
	}
	for _, tt := range tests {
		if _, err := Save(dir, tt.name, tt.data); !errors.Is(err, tt.err) {
			t.Errorf("Save(%q): %v, want %v", tt.name, err, tt.err)
		}
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "story.txt")); string(got) != string(orig) {
		t.Errorf("story.txt changed to %q", got)
	}
	assertOnly(t, dir, "story.txt")
}

func TestRemove(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "outside.txt")
	for _, p := range []string{filepath.Join(dir, "a.txt"), filepath.Join(dir, "sub", "b.txt"), outside,
		filepath.Join(dir, "README")} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x\n\ny\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(outside, filepath.Join(dir, "link.txt")); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"../outside.txt", "/etc/passwd.txt", "README", ".a.txt", "sub/../a.txt"} {
		if err := Remove(dir, id); !errors.Is(err, ErrBadName) {
			t.Errorf("Remove(%q): %v, want ErrBadName", id, err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "dir.txt"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Remove(dir, "dir.txt"); !errors.Is(err, ErrBadName) {
		t.Errorf("Remove of a directory: %v", err)
	}
	if err := Remove(dir, "link.txt"); err != nil {
		t.Errorf("Remove of a symlink: %v", err)
	}
	if err := Remove(dir, "missing.txt"); !errors.Is(err, ErrNoSuchStory) {
		t.Errorf("Remove(missing): %v", err)
	}
	if err := Remove(dir, "a.txt"); err != nil {
		t.Error(err)
	}
	if err := Remove(dir, "b.txt"); err != nil { // found in sub/, as LoadDir names it
		t.Error(err)
	}
	if _, err := os.Stat(outside); err != nil {
		t.Errorf("file outside the corpus is gone: %v", err)
	}
	stories, _, _ := LoadDir(dir)
	if len(stories) != 0 {
		t.Errorf("stories left: %v", stories)
	}
}

// assertOnly checks dir holds exactly the named files, so a refused or
// finished save left no temporary file behind.
func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if !slices.Equal(got, names) {
		t.Errorf("directory holds %v, want %v", got, names)
	}
}
