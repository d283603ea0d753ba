package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/storybot/storybot/index"
)

const seedStory = "../../corpus/seed/taliban-call-for-russia-ukraine-peace.txt"

const bridgeStory = `Mayor Opens the Zanzibar Bridge

The mayor opened the new Zanzibar bridge on Monday. "This bridge joins our city together at last," Mayor Ana Ruiz said.

Traffic will flow over the bridge from Tuesday.
`

const bridgePage = `<!DOCTYPE html><html><head>
<title>Mayor Opens the Zanzibar Bridge</title>
<meta property="og:site_name" content="City Herald">
<meta property="article:published_time" content="2023-05-01T09:00:00Z">
<script>window.exfiltrate = "hijackedscript";</script>
<style>p { content: "stylesheetword" }</style>
</head><body><article>
<h1>Mayor Opens the Zanzibar Bridge</h1>
<p>The mayor opened the new Zanzibar bridge on Monday. "This bridge joins our city together at last," Mayor Ana Ruiz said.</p>
<script>document.write("hijackedscript")</script>
<p>Traffic will flow over the bridge from Tuesday, the city's transport office said in a statement.</p>
</article></body></html>`

// moderated is a corpus with the seed story and an index built from it.
func moderated(t *testing.T) (corpusDir, indexDir string) {
	t.Helper()
	corpusDir, indexDir = t.TempDir(), filepath.Join(t.TempDir(), "index")
	seed, err := os.ReadFile(seedStory)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(corpusDir, filepath.Base(seedStory)), seed)
	if code, _, errs := runCLI(t, "", "index", "--quiet", "--corpus", corpusDir, "--index", indexDir); code != 0 {
		t.Fatalf("index: %s", errs)
	}
	t.Setenv("STORYBOT_ALLOW_PRIVATE_URLS", "false")
	return corpusDir, indexDir
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// found reports which stories a search for text finds in the index.
func found(t *testing.T, indexDir, text string) []string {
	t.Helper()
	ix, err := index.Open(indexDir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	hits, err := ix.Search(context.Background(), index.Query{Text: text, Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range hits {
		if !slices.Contains(ids, h.Story) {
			ids = append(ids, h.Story)
		}
	}
	return ids
}

func TestAddThenRemoveRoundTrips(t *testing.T) {
	corpusDir, indexDir := moderated(t)
	src := filepath.Join(t.TempDir(), "Zanzibar Bridge.txt")
	writeFile(t, src, []byte(bridgeStory))

	code, out, errs := runCLI(t, "", "add", src, "--corpus", corpusDir, "--index", indexDir)
	if code != 0 {
		t.Fatalf("add: exit %d: %s", code, errs)
	}
	if want := `added Zanzibar-Bridge.txt: "Mayor Opens the Zanzibar Bridge" (2 paragraphs)` + "\n"; out != want {
		t.Errorf("add printed %q, want %q", out, want)
	}
	saved := filepath.Join(corpusDir, "Zanzibar-Bridge.txt")
	if got, err := os.ReadFile(saved); err != nil || string(got) != bridgeStory {
		t.Fatalf("saved file: %q, %v", got, err)
	}
	if ids := found(t, indexDir, "Zanzibar bridge"); !slices.Equal(ids, []string{"Zanzibar-Bridge.txt"}) {
		t.Errorf("search after add found %v", ids)
	}
	if code, out, _ := runCLI(t, "", "who-said", "joins our city together", "--index", indexDir); code != 0 ||
		!strings.Contains(out, "Ana Ruiz") {
		t.Errorf("who-said after add: %s", out)
	}

	code, out, errs = runCLI(t, "", "remove", "Zanzibar-Bridge.txt", "--corpus", corpusDir, "--index", indexDir)
	if code != 0 || out != "removed Zanzibar-Bridge.txt; 'storybot restore Zanzibar-Bridge.txt' brings it back within 7 days\n" {
		t.Fatalf("remove: exit %d: %q %s", code, out, errs)
	}
	if _, err := os.Stat(saved); !os.IsNotExist(err) {
		t.Errorf("file still there: %v", err)
	}
	if ids := found(t, indexDir, "Zanzibar bridge"); len(ids) != 0 {
		t.Errorf("search after remove found %v", ids)
	}
	if ids := found(t, indexDir, "Molotov cocktails"); len(ids) != 1 {
		t.Errorf("the seed story was disturbed: %v", ids)
	}
	// A reindex from the corpus agrees: the story stays gone.
	if code, _, errs := runCLI(t, "", "index", "--quiet", "--corpus", corpusDir, "--index", indexDir); code != 0 {
		t.Fatal(errs)
	}
	if ids := found(t, indexDir, "Zanzibar bridge"); len(ids) != 0 {
		t.Errorf("search after reindex found %v", ids)
	}

	code, _, errs = runCLI(t, "", "remove", "Zanzibar-Bridge.txt", "--corpus", corpusDir, "--index", indexDir)
	if code != 1 || !strings.Contains(errs, `there is no story "Zanzibar-Bridge.txt"`) {
		t.Errorf("second remove: exit %d: %s", code, errs)
	}
}

func TestAddURLKeepsMetadataAndStripsScripts(t *testing.T) {
	corpusDir, indexDir := moderated(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, bridgePage)
	}))
	defer srv.Close()
	t.Setenv("STORYBOT_ALLOW_PRIVATE_URLS", "true") // httptest listens on 127.0.0.1

	code, out, errs := runCLI(t, "", "add", srv.URL+"/2023/05/zanzibar-bridge-opens", "--corpus", corpusDir, "--index", indexDir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.HasPrefix(out, `added zanzibar-bridge-opens.txt: "Mayor Opens the Zanzibar Bridge" (2 paragraphs, 2023-05-01, City Herald)`) {
		t.Errorf("printed %q", out)
	}
	saved, err := os.ReadFile(filepath.Join(corpusDir, "zanzibar-bridge-opens.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"date: 2023-05-01\n", "source: City Herald\n", "url: " + srv.URL + "/2023/05/zanzibar-bridge-opens\n"} {
		if !strings.Contains(string(saved), want) {
			t.Errorf("saved story lacks %q:\n%s", want, saved)
		}
	}
	if strings.Contains(string(saved), "hijackedscript") || strings.Contains(string(saved), "stylesheetword") {
		t.Errorf("script or style text saved:\n%s", saved)
	}
	if ids := found(t, indexDir, "hijackedscript stylesheetword"); len(ids) != 0 {
		t.Errorf("script text indexed in %v", ids)
	}
	if ids := found(t, indexDir, "transport office"); !slices.Equal(ids, []string{"zanzibar-bridge-opens.txt"}) {
		t.Errorf("search found %v", ids)
	}
}

func TestAddHTMLFileWithScripts(t *testing.T) {
	corpusDir, indexDir := moderated(t)
	src := filepath.Join(t.TempDir(), "bridge.html")
	writeFile(t, src, []byte(bridgePage))
	code, out, errs := runCLI(t, "", "add", src, "--corpus", corpusDir, "--index", indexDir)
	if code != 0 || !strings.HasPrefix(out, "added bridge.txt:") {
		t.Fatalf("exit %d: %q %s", code, out, errs)
	}
	if ids := found(t, indexDir, "hijackedscript"); len(ids) != 0 {
		t.Errorf("script text indexed in %v", ids)
	}
}

// TestAddRefusesHostileInput feeds add each hostile input of issue 5 and
// checks that each fails with a clear message and changes nothing.
func TestAddRefusesHostileInput(t *testing.T) {
	corpusDir, indexDir := moderated(t)
	dir := t.TempDir()

	binary := filepath.Join(dir, "story.txt")
	writeFile(t, binary, []byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00>\x00"))
	invalid := filepath.Join(dir, "latin1.txt")
	writeFile(t, invalid, []byte("Caf\xe9 opens\n\nThe caf\xe9 opened on Monday.\n"))
	good := filepath.Join(dir, "good.txt")
	writeFile(t, good, []byte(bridgeStory))
	// A 1 GB file, sparse so the test writes nothing: it must be refused
	// from its size, before anything reads it.
	huge := filepath.Join(dir, "huge.txt")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(1 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()

	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://127.0.0.1:9/admin", http.StatusFound)
	}))
	defer redirect.Close()
	endless := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		chunk := []byte(strings.Repeat("<p>and on and on</p>", 500))
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer endless.Close()

	tests := []struct {
		name         string
		args         []string
		allowPrivate bool
		want         string
	}{
		{"binary file", []string{binary}, false, "file is binary, not text"},
		{"1 GB file", []string{huge}, false, "file is larger than 5 MiB"},
		{"invalid UTF-8", []string{invalid}, false, "text is not valid UTF-8"},
		{"name with ../", []string{good, "--name", "../../escape.txt"}, false, "that file name is not allowed: it contains a path separator"},
		{"name that is ..", []string{good, "--name", "...txt"}, false, `that file name is not allowed: it contains ".."`},
		// The redirect itself is refused in corpus/fetch's tests, where a
		// permitted test server stands in for a public one; here the
		// server is on 127.0.0.1 too, so the first dial is refused.
		{"URL redirecting to 127.0.0.1", []string{redirect.URL + "/story"}, false, "that address is on a private network (127.0.0.1)"},
		{"page that never ends", []string{endless.URL}, true, "the page is larger than 5 MiB"},
		{"file URL", []string{"file:///etc/passwd"}, false, "only http:// and https:// addresses can be added, not file://"},
	}
	before := snapshot(t, corpusDir, indexDir)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("STORYBOT_ALLOW_PRIVATE_URLS", fmt.Sprint(tt.allowPrivate))
			args := append([]string{"add", "--corpus", corpusDir, "--index", indexDir}, tt.args...)
			code, out, errs := runCLI(t, "", args...)
			if code != 1 || !strings.Contains(errs, tt.want) || out != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want %q", code, out, errs, tt.want)
			}
			if strings.Count(strings.TrimSpace(errs), "\n") != 0 {
				t.Errorf("message is not one line: %q", errs)
			}
			if after := snapshot(t, corpusDir, indexDir); !slices.Equal(before, after) {
				t.Errorf("corpus or index changed:\n%v\n%v", before, after)
			}
		})
	}
	if ids := found(t, indexDir, "Molotov cocktails"); len(ids) != 1 {
		t.Errorf("the seed story was lost: %v", ids)
	}
}

func TestRemoveRefusesPathsOutsideTheCorpus(t *testing.T) {
	corpusDir, indexDir := moderated(t)
	outside := filepath.Join(filepath.Dir(corpusDir), "outside.txt")
	writeFile(t, outside, []byte(bridgeStory))
	before := snapshot(t, corpusDir, indexDir)
	for _, name := range []string{"../outside.txt", "/etc/hostname.txt", ".hidden.txt", "go.mod"} {
		code, _, errs := runCLI(t, "", "remove", name, "--corpus", corpusDir, "--index", indexDir)
		if code != 1 || !strings.Contains(errs, "not") {
			t.Errorf("remove %s: exit %d: %s", name, code, errs)
		}
	}
	if _, err := os.Stat(outside); err != nil {
		t.Error(err)
	}
	if after := snapshot(t, corpusDir, indexDir); !slices.Equal(before, after) {
		t.Errorf("corpus or index changed")
	}
}

func TestAddBuildsAMissingIndex(t *testing.T) {
	corpusDir, indexDir := t.TempDir(), filepath.Join(t.TempDir(), "index")
	src := filepath.Join(t.TempDir(), "bridge.txt")
	writeFile(t, src, []byte(bridgeStory))
	code, out, errs := runCLI(t, "", "add", src, "--corpus", corpusDir, "--index", indexDir)
	if code != 0 || out != `added bridge.txt: "Mayor Opens the Zanzibar Bridge" (2 paragraphs)`+"\n" {
		t.Fatalf("exit %d: %q %s", code, out, errs)
	}
	if ids := found(t, indexDir, "Zanzibar"); !slices.Equal(ids, []string{"bridge.txt"}) {
		t.Errorf("found %v", ids)
	}
}

// The running bot holds the index; the story is saved into the store, and
// the bot, which follows the store, indexes it.
func TestAddWhileTheIndexIsInUse(t *testing.T) {
	corpusDir, indexDir := moderated(t)
	ix, err := index.Open(indexDir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	src := filepath.Join(t.TempDir(), "bridge.txt")
	writeFile(t, src, []byte(bridgeStory))
	code, out, errs := runCLI(t, "", "add", src, "--corpus", corpusDir, "--index", indexDir)
	if code != 0 || !strings.Contains(out, "is in use by another process") {
		t.Errorf("exit %d: %s %s", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(corpusDir, "bridge.txt")); err != nil {
		t.Errorf("story not saved: %v", err)
	}
}

func TestAddRemoveUsage(t *testing.T) {
	for _, args := range [][]string{
		{"add"}, {"add", "a.txt", "b.txt", "--corpus", "c", "--index", "i"}, {"add", "a.txt", "--index", "i"},
		{"remove", "x.txt", "--index", "i"}, {"restore"}, {"restore", "x.txt", "--list", "--corpus", "c"},
		{"add", "a.txt", "--corpus", "c", "--collection", "../x"},
	} {
		if code, _, errs := runCLI(t, "", args...); code != 2 || errs == "" {
			t.Errorf("%v: exit %d: %s", args, code, errs)
		}
	}
}

// snapshot lists every file below the directories with a hash of its
// content, so a test can tell that nothing was written.
func snapshot(t *testing.T, dirs ...string) []string {
	t.Helper()
	var out []string
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			out = append(out, fmt.Sprintf("%s %x", path, sha256.Sum256(data)))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}
