package main

import (
	"strings"
	"testing"

	"github.com/rivo/uniseg"
)

func TestBlockWrapsAndMarks(t *testing.T) {
	text := "“The   Islamic Emirate calls on both sides to resolve the crisis through dialogue and peaceful means.”"
	i := strings.Index(text, "dialogue")
	j := strings.Index(text, "peaceful")
	marks := []span{{i, i + len("dialogue")}, {j, j + len("peaceful means")}}
	var b strings.Builder
	display{w: &b, style: true, width: 30}.block(text, marks, "[1] ", "    ")
	out := b.String()
	for _, line := range strings.Split(strings.TrimSuffix(visible(out), "\n"), "\n") {
		if w := uniseg.StringWidth(line); w > 30 || !strings.HasPrefix(line, "    ") && !strings.HasPrefix(line, "[1] ") {
			t.Errorf("line %q: %d columns, or not indented", line, w)
		}
	}
	if !strings.Contains(out, styleBold+"dialogue"+styleReset) {
		t.Errorf("the mark is not bold:\n%q", out)
	}
	// A mark broken across lines is bold on both.
	if !strings.Contains(out, styleBold+"peaceful") || !strings.Contains(out, "means"+styleReset) {
		t.Errorf("the second mark:\n%q", out)
	}
	if strings.Contains(visible(out), "  Islamic") {
		t.Errorf("runs of spaces are kept:\n%s", out)
	}

	// Off a terminal: one line, as it is, without styles.
	b.Reset()
	display{w: &b}.block(text, marks, "[1] ", "    ")
	if want := "[1] “The Islamic Emirate calls on both sides to resolve the crisis through dialogue and peaceful means.”\n"; b.String() != want {
		t.Errorf("plain:\n%q\nwant\n%q", b.String(), want)
	}
}
