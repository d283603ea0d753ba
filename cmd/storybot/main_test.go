package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs storybot in-process with no .env and a clean environment.
func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	for _, k := range []string{"STORYBOT_CORPUS", "STORYBOT_INDEX", "STORYBOT_QUERY_TIMEOUT"} {
		t.Setenv(k, "")
	}
	var out, errw bytes.Buffer
	env := &cliEnv{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errw}
	code = run(context.Background(), env, args)
	return code, out.String(), errw.String()
}

func TestAskBuiltinStoryPrintsAttributedAnswer(t *testing.T) {
	code, out, errs := runCLI(t, "", "ask", "What did Ukraine's defense ministry urge citizens to make?")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"Molotov cocktails",
		"Taliban Call for Russia-Ukraine Peace, Say They Fear for Civilians",
		"2022-02-25", "paragraph 10", // the index's 9: readers count from 1
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestFlagsAfterTheQuestion(t *testing.T) {
	code, out, errs := runCLI(t, "", "who-said", "dialogue and peaceful means", "--json", "-n", "1",
		"--story", "taliban-call-for-russia-ukraine-peace.txt")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var a struct {
		Kind     string
		Found    bool
		Answer   string
		Passages []struct{ Story, Text string }
	}
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if a.Kind != "who" || !a.Found || len(a.Passages) != 1 {
		t.Errorf("answer %+v", a)
	}
}

func TestNothingFoundSaysSo(t *testing.T) {
	code, out, _ := runCLI(t, "", "ask", "quantum chromodynamics lattice gauge theory")
	if code != 0 || !strings.Contains(out, "Nothing in the stories matches") {
		t.Errorf("exit %d, output %q", code, out)
	}
}

func TestErrorsAreOneClearLine(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	bad := t.TempDir()
	if err := os.WriteFile(filepath.Join(bad, "CURRENT"), []byte("idx-gone\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown flag", []string{"ask", "--bogus", "q"}, 2, "flag provided but not defined: -bogus"},
		{"unknown command", []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"missing corpus", []string{"ask", "--corpus", missing, "q"}, 1, "corpus directory " + missing},
		{"unreadable index", []string{"ask", "--index", bad, "q"}, 1, "index " + bad},
		{"index without corpus", []string{"index", "--index", bad}, 2, "--corpus"},
		{"no question", []string{"ask"}, 2, "give a question"},
		{"bad n", []string{"ask", "-n", "0", "q"}, 2, "-n must be"},
		{"bad n in batch", []string{"batch", "-n", "-3"}, 2, "-n must be"},
		{"no words for who-said", []string{"who-said"}, 2, "storybot who-said \"dialogue"},
		{"index with a directory", []string{"index", "other/dir", "--index", bad}, 2, "index takes no arguments"},
		{"serve with an address", []string{"serve", ":8080"}, 2, "--http ADDR"},
		{"stories with text", []string{"stories", "taliban"}, 2, "stories takes no arguments"},
		{"feeds with text", []string{"feeds", "x"}, 2, "feeds takes no arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runCLI(t, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (%s)", code, tt.code, errs)
			}
			if !strings.Contains(errs, tt.want) {
				t.Errorf("stderr %q lacks %q", errs, tt.want)
			}
			if lines := strings.Count(strings.TrimSpace(errs), "\n"); lines > 0 {
				t.Errorf("stderr has %d lines, want one: %q", lines+1, errs)
			}
			if strings.Contains(errs, "goroutine") || strings.Contains(errs, "panic") {
				t.Errorf("stack trace on stderr: %s", errs)
			}
		})
	}
}

func TestFlagMistakeKeepsStdoutClean(t *testing.T) {
	code, out, errs := runCLI(t, "", "batch", "--bogus")
	if code != 2 || out != "" || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	code, out, _ = runCLI(t, "", "ask", "-h")
	if code != 0 || !strings.Contains(out, "-story") {
		t.Errorf("-h: exit %d, stdout %q", code, out)
	}
}

func TestBatchFormat(t *testing.T) {
	in := `{"id":"q1","kind":"who","question":"Who said “dialogue and peaceful means”?","story":"taliban-call-for-russia-ukraine-peace.txt"}
{"id":"q2","kind":"when","question":"When did the U.S. invade Afghanistan?"}

{"id":"q3","kind":"ask","question":"How many former Afghan government officials were allegedly killed?"}
{"id":"q4","kind":"nonsense","question":"x"}
`
	code, out, errs := runCLI(t, in, "batch")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("got %d lines:\n%s", len(lines), out)
	}
	type passage struct {
		Story     string   `json:"story"`
		Paragraph *int     `json:"paragraph"`
		Text      string   `json:"text"`
		Score     *float64 `json:"score"`
	}
	var answers []map[string]json.RawMessage
	for _, l := range lines {
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		answers = append(answers, m)
	}
	for i, id := range []string{"q1", "q2", "q3", "q4"} {
		if string(answers[i]["id"]) != `"`+id+`"` {
			t.Errorf("line %d id %s", i, answers[i]["id"])
		}
		for _, k := range []string{"answer", "date", "passages"} {
			if _, ok := answers[i][k]; !ok {
				t.Errorf("%s lacks %q", id, k)
			}
		}
	}
	var ps []passage
	json.Unmarshal(answers[1]["passages"], &ps)
	if len(ps) == 0 || ps[0].Story != "taliban-call-for-russia-ukraine-peace.txt" || ps[0].Paragraph == nil || ps[0].Score == nil || ps[0].Text == "" {
		t.Errorf("q2 passages %+v", ps)
	}
	if string(answers[1]["date"]) != `"2001"` {
		t.Errorf("q2 date %s, want 2001", answers[1]["date"])
	}
	if _, ok := answers[3]["error"]; !ok {
		t.Errorf("unknown kind gave no error: %v", answers[3])
	}
}

func TestIndexThenQueryPersistentIndex(t *testing.T) {
	corpusDir, indexDir := t.TempDir(), filepath.Join(t.TempDir(), "ix")
	seed, err := os.ReadFile(filepath.Join("..", "..", "corpus", "seed", "taliban-call-for-russia-ukraine-peace.txt"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(corpusDir, "seed.txt"), seed, 0o644)
	os.WriteFile(filepath.Join(corpusDir, "broken.txt"), []byte{0, 1, 2}, 0o644)
	code, out, errs := runCLI(t, "", "index", "--quiet", "--corpus", corpusDir, "--index", indexDir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "indexed 1 story, 16 paragraphs") || !strings.Contains(out, "broken.txt: file is binary") {
		t.Errorf("summary: %s", out)
	}
	code, out, errs = runCLI(t, "", "stories", "--index", indexDir)
	if code != 0 || !strings.Contains(out, "seed.txt") || !strings.Contains(out, "16") || !strings.Contains(out, "2022-02-25") {
		t.Errorf("stories: exit %d %s %s", code, out, errs)
	}
	code, out, _ = runCLI(t, "", "when", "--index", indexDir, "When did the Taliban return to power in Afghanistan?")
	if code != 0 || !strings.Contains(out, "2021-08") {
		t.Errorf("when: exit %d %s", code, out)
	}
}
