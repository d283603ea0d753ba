package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadDirReportsBadFilesAndKeepsGoodOnes(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("good.txt", []byte("Title\n\nBody.\n"))
	write("sub/deeper/also-good.md", []byte("# T\n\nBody.\n"))
	write("empty.txt", nil)
	write("binary.txt", []byte{0, 1, 2, 3})
	write("latin1.txt", []byte("T\n\nCaf\xe9\n"))
	write("README.json", []byte("{}")) // not a story type: ignored, not reported
	write(".hidden/x.txt", []byte("T\n\nB\n"))
	write("sub/good.txt", []byte("Another\n\nSame name, other folder.\n"))

	stories, skipped, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range stories {
		ids = append(ids, s.ID)
	}
	want := "also-good.md good.txt sub/good.txt"
	if strings.Join(ids, " ") != want {
		t.Errorf("loaded %v, want %s", ids, want)
	}
	reasons := map[string]string{}
	for _, s := range skipped {
		reasons[s.Path] = s.Reason
	}
	for path, want := range map[string]string{"empty.txt": "empty", "binary.txt": "binary", "latin1.txt": "UTF-8"} {
		if !strings.Contains(reasons[path], want) {
			t.Errorf("%s: reason %q, want it to mention %q", path, reasons[path], want)
		}
	}
	if len(skipped) != 3 {
		t.Errorf("skipped %v, want exactly the three bad files", skipped)
	}
}

func TestLoadDirMissing(t *testing.T) {
	if _, _, err := LoadDir(filepath.Join(t.TempDir(), "nope")); err == nil {
		t.Fatal("want an error for a missing directory")
	}
}

// TestLoadDirSameNameInSubfolder: a file in a subfolder, walked first, must
// not take the plain name from the file at the top, or one of the two would
// hide the other in the index.
func TestLoadDirSameNameInSubfolder(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "a"), 0o755)
	os.WriteFile(filepath.Join(dir, "a", "x.txt"), []byte("Apples\n\nApples grow here.\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "x.txt"), []byte("Pears\n\nPears grow there.\n"), 0o644)
	stories, _, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, s := range stories {
		ids[s.ID] = s.Headline
	}
	if len(ids) != 2 || ids["a/x.txt"] != "Apples" || ids["x.txt"] != "Pears" {
		t.Errorf("ids %v", ids)
	}
}
