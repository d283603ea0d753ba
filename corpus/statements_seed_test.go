package corpus

import (
	"os"
	"strings"
	"testing"
)

// TestFindStatementsSeed checks the speakers the seed story is known to
// have, paragraph by paragraph.
func TestFindStatementsSeed(t *testing.T) {
	st := parseSeed(t)
	want := []struct {
		para    int
		quote   string
		speaker []string // any one is right
	}{
		{1, "dialogue and peaceful means", []string{"Abdul Qahar Balkhi"}},
		{2, "closely monitoring the situation", []string{"Abdul Qahar Balkhi", "Islamic Emirate of Afghanistan"}},
		{3, "calls for restraint", []string{"Taliban"}},
		{4, "in line with its foreign policy of neutrality", []string{"Abdul Qahar Balkhi", "Islamic Emirate of Afghanistan"}},
		{5, "safeguarding the lives of Afghan students", []string{"Abdul Qahar Balkhi", "Islamic Emirate of Afghanistan"}},
		{7, "credible allegations", []string{"United Nations"}},
		{9, "We urge citizens", []string{"Ukrainian Ministry of Defense"}},
		{10, "We ask citizens", []string{"Ukrainian Ministry of Defense"}},
		{10, "Peaceful residents", []string{"Ukrainian Ministry of Defense"}},
		{11, "special military operation", []string{"Vladimir Putin"}},
		{11, "full-scale invasion", []string{"the Ukrainian government"}},
		{12, "join the army", []string{"Ministry of Defense"}},
		{13, "Ukraine needs everything", []string{"Ministry of Defense"}},
		{13, "Bring only your passport", []string{"Ministry of Defense"}},
	}
	for _, w := range want {
		p := st.Paragraphs[w.para]
		checkStatementOffsets(t, p.Text, p.Statements)
		var got []string
		ok := false
		for _, s := range p.Statements {
			if !strings.Contains(s.Quote, w.quote) {
				continue
			}
			got = append(got, s.Speaker)
			for _, sp := range w.speaker {
				if strings.Contains(strings.ToLower(s.Speaker), strings.ToLower(sp)) {
					ok = true
				}
			}
		}
		if !ok {
			t.Errorf("para %d %q: speakers %q, want one of %q", w.para, w.quote, got, w.speaker)
		}
	}
	// Paragraph 11 names Putin with his title; the title is description.
	for _, s := range st.Paragraphs[11].Statements {
		if s.Speaker == "Vladimir Putin" && s.Description != "Russian President" {
			t.Errorf("Putin's description = %q", s.Description)
		}
	}
	// The update line and the photo caption attribute nothing.
	for _, i := range []int{6, 8, 14} {
		if n := len(st.Paragraphs[i].Statements); n != 0 {
			t.Errorf("para %d: want no statements, got %+v", i, st.Paragraphs[i].Statements)
		}
	}
}

func checkStatementOffsets(t *testing.T, p string, stmts []Statement) {
	t.Helper()
	for _, s := range stmts {
		if s.Start < 0 || s.End > len(p) || s.Start >= s.End || p[s.Start:s.End] != s.Quote {
			t.Errorf("bad offsets %d:%d for %q", s.Start, s.End, s.Quote)
		}
		if s.Speaker == "" {
			t.Errorf("statement without speaker: %+v", s)
		}
	}
}

func parseSeed(tb testing.TB) *Story {
	tb.Helper()
	const name = "seed/taliban-call-for-russia-ukraine-peace.txt"
	data, err := os.ReadFile(name)
	if err != nil {
		tb.Fatal(err)
	}
	st, err := Parse(name, data)
	if err != nil {
		tb.Fatal(err)
	}
	return st
}
