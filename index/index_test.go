package index

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/storybot/storybot/corpus"
)

func story(t testing.TB, id string, paras ...string) *corpus.Story {
	t.Helper()
	st, err := corpus.Parse(id, []byte("date: 2022-02-25\nsource: Test Wire\n---\nHeadline of "+id+"\n\n"+strings.Join(paras, "\n\n")))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func testStories(t testing.TB) []*corpus.Story {
	return []*corpus.Story{
		story(t, "alpha.txt", "The council approved the new budget on Monday.", "Critics said the budget cuts libraries."),
		story(t, "beta.txt", "Ukraine's ministry urged citizens to make Molotov cocktails.", "The storm closed schools across the region."),
	}
}

func TestSearchFindsParagraphWithAttribution(t *testing.T) {
	ix, err := NewMemory(testStories(t))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	hits, err := ix.Search(context.Background(), Query{Text: "molotov cocktails", Size: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) == 0 {
		t.Fatal("no hits")
	}
	h := hits[0]
	if h.Story != "beta.txt" || h.Paragraph != 0 || h.Headline != "Headline of beta.txt" ||
		h.Published != "2022-02-25" || h.Source != "Test Wire" || !strings.Contains(h.Text, "Molotov") {
		t.Errorf("hit = %+v", h)
	}
}

func TestSearchStemsAndFiltersByStory(t *testing.T) {
	ix, err := NewMemory(testStories(t))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	// "approving budgets" reaches "approved the new budget" only through stemming.
	hits, err := ix.Search(context.Background(), Query{Text: "approving budgets", Size: 5})
	if err != nil || len(hits) == 0 || hits[0].Story != "alpha.txt" || hits[0].Paragraph != 0 {
		t.Fatalf("hits = %+v, err = %v", hits, err)
	}
	hits, err = ix.Search(context.Background(), Query{Text: "budget", Story: "beta.txt", Size: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 0 {
		t.Errorf("story filter leaked: %+v", hits)
	}
}

func TestPhraseBoostPrefersExactWords(t *testing.T) {
	ix, err := NewMemory([]*corpus.Story{story(t, "p.txt",
		"Peaceful means of dialogue were not discussed by anyone at all.",
		"They called for dialogue and peaceful means.")})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	hits, err := ix.Search(context.Background(), Query{Text: "dialogue and peaceful means", Phrases: []string{"dialogue and peaceful means"}, Size: 2})
	if err != nil || len(hits) != 2 {
		t.Fatalf("hits = %+v, err = %v", hits, err)
	}
	if hits[0].Paragraph != 1 {
		t.Errorf("the paragraph with the exact phrase ranked %d", hits[1].Paragraph)
	}
}

func TestHostileQueries(t *testing.T) {
	ix, err := NewMemory(corpus.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	inputs := []string{
		"/.*/", "*a*", `"`, "C++ 2:1", strings.Repeat("x", 10000), strings.Repeat("ukraine ", 2000), "",
		"   ", "+story:-foo^5 AND ~bar", "field:value", "\x00\x01", "\xff\xfe", `"unclosed quote`, "((((", "a\\b",
	}
	for _, in := range inputs {
		name := in
		if len(name) > 20 {
			name = name[:20]
		}
		t.Run(fmt.Sprintf("%q", name), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			hits, err := ix.Search(ctx, Query{Text: in, Phrases: []string{in}, Size: 5})
			if err != nil && !errors.Is(err, ErrEmptyQuery) {
				t.Fatalf("err = %v: hostile input must give an answer or the empty-query message", err)
			}
			if errors.Is(err, ErrEmptyQuery) && hasWord(CleanQuery(in)) {
				t.Errorf("input with words was called empty")
			}
			_ = hits
		})
	}
}

func TestCleanQueryBoundsLength(t *testing.T) {
	long := strings.Repeat("word ", 1000)
	if got := CleanQuery(long); len(got) > MaxQueryBytes || !strings.HasSuffix(got, "word") {
		t.Errorf("len %d, suffix %q", len(got), got[len(got)-5:])
	}
	if got := CleanQuery(strings.Repeat("é", 2000)); len(got) > MaxQueryBytes || !strings.HasPrefix(got, "é") || strings.ContainsRune(got, '\uFFFD') {
		t.Errorf("cut inside a rune: %q", got[len(got)-4:])
	}
	if got := CleanQuery("a\tb\x00c\n"); got != "a b c" {
		t.Errorf("got %q", got)
	}
}

func TestPersistentRebuildSwapsAndCleansUp(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Rebuild(context.Background(), Shared, Entries(testStories(t)), Meta{}, nil); err != nil {
		t.Fatal(err)
	}
	cdir := filepath.Join(dir, collectionsDir, Shared)
	first, _ := readCurrent(cdir)
	more := append(testStories(t), story(t, "gamma.txt", "Volcanic ash grounded flights."))
	var calls int
	stats, err := ix.Rebuild(context.Background(), Shared, Entries(more), Meta{}, func(done, total int) { calls++ })
	if err != nil {
		t.Fatal(err)
	}
	if stats.Stories != 3 || stats.Paragraphs != 5 || calls != 3 {
		t.Errorf("stats %+v, progress calls %d", stats, calls)
	}
	second, _ := readCurrent(cdir)
	if first == second {
		t.Fatal("CURRENT still names the old index")
	}
	if _, err := os.Stat(filepath.Join(cdir, first)); !os.IsNotExist(err) {
		t.Errorf("old index %s not deleted: %v", first, err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	// A restart opens what CURRENT names, with its story list.
	ix, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if got := len(ix.Stories(nil)); got != 3 {
		t.Errorf("reopened index lists %d stories", got)
	}
	hits, err := ix.Search(context.Background(), Query{Text: "volcanic ash"})
	if err != nil || len(hits) == 0 || hits[0].Story != "gamma.txt" {
		t.Errorf("hits %+v, err %v", hits, err)
	}
}

func TestSecondRebuildWhileOneRunsIsRefused(t *testing.T) {
	ix, err := NewMemory(testStories(t))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	started, release := make(chan struct{}), make(chan struct{})
	done := make(chan error)
	go func() {
		_, err := ix.Rebuild(context.Background(), Shared, Entries(testStories(t)), Meta{}, func(d, n int) {
			if d == 1 {
				close(started)
				<-release
			}
		})
		done <- err
	}()
	<-started
	if _, err := ix.Rebuild(context.Background(), Shared, Entries(testStories(t)), Meta{}, nil); !errors.Is(err, ErrBusy) {
		t.Errorf("err = %v, want ErrBusy", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestFailedRebuildKeepsOldIndex(t *testing.T) {
	dir := t.TempDir()
	ix, _ := Open(dir)
	if _, err := ix.Rebuild(context.Background(), Shared, Entries(testStories(t)), Meta{}, nil); err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	cdir := filepath.Join(dir, collectionsDir, Shared)
	before, _ := readCurrent(cdir)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.Rebuild(ctx, Shared, Entries(testStories(t)), Meta{}, nil); err == nil {
		t.Fatal("cancelled rebuild succeeded")
	}
	after, _ := readCurrent(cdir)
	entries, _ := os.ReadDir(cdir)
	if before != after || len(entries) != 2 { // CURRENT and the live index
		t.Errorf("CURRENT %s -> %s, dir holds %d entries", before, after, len(entries))
	}
	if hits, err := ix.Search(context.Background(), Query{Text: "budget"}); err != nil || len(hits) == 0 {
		t.Errorf("old index not serving: %v", err)
	}
}

// TestQueriesDuringRebuild runs searches from several goroutines while the
// index is rebuilt again and again: every one must succeed.
func TestQueriesDuringRebuild(t *testing.T) {
	ix, _ := Open(t.TempDir())
	stories := manyStories(t, 200)
	if _, err := ix.Rebuild(context.Background(), Shared, Entries(stories), Meta{}, nil); err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []error
	queries := 0
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				hits, err := ix.Search(context.Background(), Query{Text: "harbour report 17"})
				mu.Lock()
				queries++
				if err == nil && len(hits) == 0 {
					err = errors.New("no hits")
				}
				if err != nil {
					failures = append(failures, err)
				}
				mu.Unlock()
			}
		}()
	}
	for i := 0; i < 3; i++ {
		if _, err := ix.Rebuild(context.Background(), Shared, Entries(stories), Meta{}, nil); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	if len(failures) > 0 {
		t.Fatalf("%d of %d queries failed during rebuilds, first: %v", len(failures), queries, failures[0])
	}
	if queries == 0 {
		t.Fatal("no queries ran")
	}
}

func manyStories(t testing.TB, n int) []*corpus.Story {
	out := make([]*corpus.Story, n)
	for i := range out {
		out[i] = story(t, fmt.Sprintf("s%04d.txt", i),
			fmt.Sprintf("The harbour report %d found the pier in need of repair.", i%50),
			"Officials said work would begin next spring.",
			fmt.Sprintf("The board will meet again, report number %d noted.", i))
	}
	return out
}

// TestKilledRebuildLeavesOldIndexServing kills a rebuilding process with
// SIGKILL at several points of the build, which it reports as it goes;
// after each, a restart must open the old index, serve from it and remove
// the half-built one.
func TestKilledRebuildLeavesOldIndexServing(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	dir := t.TempDir()
	ix, _ := Open(dir)
	if _, err := ix.Rebuild(context.Background(), Shared, Entries(testStories(t)), Meta{}, nil); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	cdir := filepath.Join(dir, collectionsDir, Shared)
	live, _ := readCurrent(cdir)
	const stories = 3000
	for _, at := range []int{1, stories / 2, stories} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperSlowRebuild$")
		cmd.Env = append(os.Environ(), "STORYBOT_HELPER_REBUILD="+dir)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if sc.Text() == fmt.Sprintf("indexed %d", at) {
				break
			}
		}
		cmd.Process.Kill()
		cmd.Wait()

		ix, err := Open(dir)
		if err != nil {
			t.Fatalf("after kill at story %d: %v", at, err)
		}
		if cur, _ := readCurrent(cdir); cur != live {
			t.Errorf("after kill at story %d: CURRENT moved from %s to %s", at, live, cur)
		}
		hits, err := ix.Search(context.Background(), Query{Text: "budget"})
		if err != nil || len(hits) == 0 || hits[0].Story != "alpha.txt" {
			t.Errorf("after kill at story %d: the old index does not serve: %v %v", at, hits, err)
		}
		entries, _ := os.ReadDir(cdir)
		for _, e := range entries {
			if e.Name() != currentFile && e.Name() != live {
				t.Errorf("after kill at story %d: leftover %s not removed", at, e.Name())
			}
		}
		ix.Close()
	}
}

// TestHelperSlowRebuild is the process that the kill test kills. It says
// how far the build has got, and never lets it finish: the last story's
// report comes before the index is merged, closed and named in CURRENT.
func TestHelperSlowRebuild(t *testing.T) {
	dir := os.Getenv("STORYBOT_HELPER_REBUILD")
	if dir == "" {
		t.Skip("helper process for TestKilledRebuildLeavesOldIndexServing")
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ix.Rebuild(context.Background(), Shared, Entries(manyStories(t, 3000)), Meta{}, func(done, total int) {
		fmt.Printf("indexed %d\n", done)
		if done == total {
			time.Sleep(time.Minute)
		}
	})
}

func TestSecondProcessIsRefusedTheLock(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Rebuild(context.Background(), Shared, Entries(testStories(t)), Meta{}, nil); err != nil {
		t.Fatal(err)
	}
	// A half-built index of the running process must survive the attempt.
	building := filepath.Join(dir, collectionsDir, Shared, genPrefix+"29990101T000000.000000000")
	os.Mkdir(building, 0o755)
	if _, err := Open(dir); !errors.Is(err, ErrLocked) {
		t.Errorf("second open: %v, want ErrLocked", err)
	}
	if _, err := os.Stat(building); err != nil {
		t.Errorf("the second open removed the first one's work: %v", err)
	}
	ix.Close()
	ix, err = Open(dir)
	if err != nil {
		t.Fatalf("open after the holder closed: %v", err)
	}
	ix.Close()
}

func TestAddAndRemoveStory(t *testing.T) {
	dir := t.TempDir()
	ix, _ := Open(dir)
	if _, err := ix.Rebuild(context.Background(), Shared, Entries(testStories(t)), Meta{}, nil); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := ix.Apply(ctx, Shared, Change{Put: Entries([]*corpus.Story{story(t, "gamma.txt", "Volcanic ash grounded flights.", "Airlines said delays would last days.", "Third.")})}); err != nil {
		t.Fatal(err)
	}
	if hits, err := ix.Search(ctx, Query{Text: "volcanic ash"}); err != nil || len(hits) == 0 || hits[0].Story != "gamma.txt" {
		t.Fatalf("added story not found: %+v %v", hits, err)
	}
	// Replacing it with a shorter version leaves no stale paragraph behind.
	if err := ix.Apply(ctx, Shared, Change{Put: Entries([]*corpus.Story{story(t, "gamma.txt", "Volcanic ash cleared.")}), Meta: Meta{Version: 7}}); err != nil {
		t.Fatal(err)
	}
	if info, _ := ix.Story(nil, "gamma.txt"); info.Paragraphs != 1 {
		t.Errorf("paragraphs = %d after replacing", info.Paragraphs)
	}
	if hits, _ := ix.Search(ctx, Query{Text: "airlines delays"}); len(hits) != 0 {
		t.Errorf("stale paragraph still found: %+v", hits)
	}
	ix.Close()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if len(ix.Stories(nil)) != 3 {
		t.Fatalf("after restart: %d stories", len(ix.Stories(nil)))
	}
	if m, _ := ix.Manifest(Shared); m.Version != 7 {
		t.Errorf("after restart the manifest is at version %d, want 7", m.Version)
	}
	if err := ix.Apply(ctx, Shared, Change{Remove: []string{"gamma.txt", "nope.txt"}}); err != nil {
		t.Fatalf("remove: %v", err)
	}
	if hits, _ := ix.Search(ctx, Query{Text: "volcanic ash"}); len(hits) != 0 {
		t.Errorf("removed story still found: %+v", hits)
	}
	if _, ok := ix.Story(nil, "gamma.txt"); ok || len(ix.Stories(nil)) != 2 {
		t.Errorf("removed story still listed: %+v", ix.Stories(nil))
	}
}

func TestManyQuotedPhrasesStayWithinLimits(t *testing.T) {
	ix, err := NewMemory(corpus.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	many := make([]string, 300)
	for i := range many {
		many[i] = fmt.Sprintf("peaceful means %d", i)
	}
	text := strings.Repeat(`"x y" `, 300)
	if _, err := ix.Search(context.Background(), Query{Text: text, Phrases: many}); err != nil {
		t.Fatalf("300 quoted phrases: %v", err)
	}
	if got := boundedPhrases("", many); len(got) != MaxPhrases {
		t.Errorf("kept %d phrases", len(got))
	}
	long := []string{strings.Repeat("word ", 150), strings.Repeat("other ", 150)}
	if got := boundedPhrases("", long); len(got) != 1 {
		t.Errorf("kept %d phrases over the byte budget", len(got))
	}
}

// Accents are folded when indexing and when searching, both ways round.
func TestSearchFoldsAccents(t *testing.T) {
	ix, err := NewMemory([]*corpus.Story{
		story(t, "plain.txt", "Troops left Afghanistan in August."),
		story(t, "accented.txt", "The mayor of São Paulo opened the café."),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for q, want := range map[string]string{"Afghanistán": "plain.txt", "Sao Paulo cafe": "accented.txt", "SÃO PAULO": "accented.txt"} {
		hits, err := ix.Search(context.Background(), Query{Text: q, Phrases: []string{q}, Size: 2})
		if err != nil || len(hits) == 0 || hits[0].Story != want {
			t.Errorf("%q: hits %+v, err %v; want %s first", q, hits, err, want)
		}
	}
}

// A rebuild that fails while bleve creates the new index (a full disk)
// removes what it had written at once, and the old index serves on.
func TestRebuildFailingAtCreationLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	ix, _ := Open(dir)
	defer ix.Close()
	if _, err := ix.Rebuild(context.Background(), Shared, Entries(testStories(t)), Meta{}, nil); err != nil {
		t.Fatal(err)
	}
	create := createIndex
	defer func() { createIndex = create }()
	createIndex = func(d string) (bleve.Index, error) {
		os.MkdirAll(d, 0o755)
		os.WriteFile(filepath.Join(d, "index_meta.json"), []byte("{"), 0o644)
		return nil, errors.New("no space left on device")
	}
	if _, err := ix.Rebuild(context.Background(), Shared, Entries(testStories(t)), Meta{}, nil); err == nil {
		t.Fatal("the rebuild did not fail")
	}
	entries, _ := os.ReadDir(filepath.Join(dir, collectionsDir, Shared))
	if len(entries) != 2 { // CURRENT and the live index
		t.Errorf("left behind: %v", entries)
	}
	if hits, err := ix.Search(context.Background(), Query{Text: "budget"}); err != nil || len(hits) == 0 {
		t.Errorf("the old index does not serve: %v", err)
	}
}
