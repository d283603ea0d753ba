package timex

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/corpus/text"
)

// te3Floor is the share of TE3-Silver calendar dates that must be found
// and resolved to the silver value. The values are automatic (silver), so
// this is a regression table, not a measure of truth: it sits a little
// under the measured rate, and a change that moves it should be looked at.
const te3Floor = 0.785

// te3Dir finds shared/train/te3-silver beside the repository.
func te3Dir(t *testing.T) string {
	dir, _ := os.Getwd()
	for {
		p := filepath.Join(dir, "..", "shared", "train", "te3-silver")
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("../shared/train/te3-silver is not here")
		}
		dir = parent
	}
}

var (
	te3DCT   = regexp.MustCompile(`(?s)<DCT>.*?value="(\d{4}-\d\d-\d\d)`)
	te3Text  = regexp.MustCompile(`(?s)<TEXT>(.*)</TEXT>`)
	te3Tag   = regexp.MustCompile(`<(/?)(TIMEX3|[A-Z]+)([^>]*)>`)
	te3Value = regexp.MustCompile(`type="DATE"[^>]*value="(\d{4}(?:-\d\d(?:-\d\d)?)?)"|value="(\d{4}(?:-\d\d(?:-\d\d)?)?)"[^>]*type="DATE"`)
)

type te3Timex struct {
	start, end int
	value      string
}

// readTE3 strips a TimeML document's tags and returns its text, the
// calendar-date TIMEX3s in it and the creation date.
func readTE3(raw string) (string, []te3Timex, time.Time, bool) {
	m := te3DCT.FindStringSubmatch(raw)
	body := te3Text.FindStringSubmatch(raw)
	if m == nil || body == nil {
		return "", nil, time.Time{}, false
	}
	dct, err := time.Parse(time.DateOnly, m[1])
	if err != nil {
		return "", nil, time.Time{}, false
	}
	var b strings.Builder
	var out []te3Timex
	open := -1
	val := ""
	src := body[1]
	last := 0
	for _, loc := range te3Tag.FindAllStringSubmatchIndex(src, -1) {
		b.WriteString(src[last:loc[0]])
		last = loc[1]
		if src[loc[4]:loc[5]] != "TIMEX3" {
			continue
		}
		if loc[3] > loc[2] { // closing tag
			if open >= 0 && val != "" {
				out = append(out, te3Timex{open, b.Len(), val})
			}
			open, val = -1, ""
			continue
		}
		open = b.Len()
		if v := te3Value.FindStringSubmatch(src[loc[6]:loc[7]]); v != nil {
			val = v[1] + v[2]
		}
	}
	b.WriteString(src[last:])
	return b.String(), out, dct, true
}

// TestTE3Silver resolves the calendar dates of every fourth TE3-Silver
// document and compares them with the silver values at their granularity.
func TestTE3Silver(t *testing.T) {
	dir := te3Dir(t)
	names, _ := filepath.Glob(filepath.Join(dir, "*.tml"))
	sort.Strings(names)
	total, found, right := 0, 0, 0
	for i, n := range names {
		if i%4 != 0 {
			continue
		}
		raw, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		body, gold, dct, ok := readTE3(string(raw))
		if !ok {
			continue
		}
		// Paragraphs are separated by blank lines, as in story files.
		var docs []*text.Doc
		var offs []int
		for off := 0; off < len(body); {
			e := strings.Index(body[off:], "\n\n")
			if e < 0 {
				e = len(body) - off
			}
			docs = append(docs, text.Analyze(body[off:off+e]))
			offs = append(offs, off)
			off += e + 2
		}
		got := FindStory(docs, dct)
		for _, g := range gold {
			total++
			p := sort.SearchInts(offs, g.start+1) - 1
			if p < 0 {
				continue
			}
			for _, te := range got[p] {
				if te.Start+offs[p] < g.end && g.start < te.End+offs[p] {
					found++
					if len(te.Value) >= len(g.value) && te.Value[:len(g.value)] == g.value {
						right++
					} else if testing.Verbose() && os.Getenv("TE3_LOG") != "" {
						t.Logf("%s: %q -> %s, silver %s [dct %s]", filepath.Base(n), te.Text, te.Value, g.value, dct.Format(time.DateOnly))
					}
					break
				}
			}
		}
	}
	if total < 1000 {
		t.Fatalf("only %d TE3 dates read", total)
	}
	acc := float64(right) / float64(total)
	t.Logf("TE3-Silver calendar dates: %d; found %.1f%%; resolved to the silver value %.1f%% (%.1f%% of those found)",
		total, 100*float64(found)/float64(total), 100*acc, 100*float64(right)/float64(max(found, 1)))
	if acc < te3Floor {
		t.Errorf("TE3-Silver agreement %.1f%% is under the floor %.1f%%", 100*acc, 100*te3Floor)
	}
}
