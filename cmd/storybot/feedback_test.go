package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index/library"
)

// The export is one batch line per vote: batch answers it again, with the
// same ids, and it carries the vote beside the answer it judged.
func TestFeedbackExportIsBatchInput(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "corpus")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, st := range corpus.Builtin() {
		data, _, err := library.NewBuiltin().Read(context.Background(), "shared", st.ID)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, st.ID), data, 0o644)
	}
	files, err := library.NewFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	lib, err := library.Open(context.Background(), library.Config{Store: files, NoIndex: true})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, v := range []library.Feedback{
		{Collection: "300000000000000003", Channel: "4", Message: "91", User: "7", At: at, Vote: library.VoteUp, Kind: "who",
			Question: "Who said dialogue and peaceful means?", Answer: "Abdul Qahar Balkhi",
			Passages: []library.FeedbackPassage{{Story: "taliban-call-for-russia-ukraine-peace.txt", Paragraph: 1, Text: "…", Score: 2}}},
		{Collection: "shared", Message: "92", User: "8", At: at.Add(time.Minute), Vote: library.VoteDown, Reason: "wrong date", Kind: "when",
			Question: "When did Putin authorize the special military operation?", Answer: "on Wednesday", Date: "2022-02-23"},
	} {
		if err := lib.PutFeedback(context.Background(), v); err != nil {
			t.Fatal(err)
		}
	}
	lib.Close()

	code, out, errs := runCLI(t, "", "feedback", "--corpus", dir)
	if code != 0 || !strings.Contains(out, "300000000000000003  1") || !strings.Contains(out, "shared") {
		t.Fatalf("feedback: exit %d %s\n%s", code, errs, out)
	}
	code, out, errs = runCLI(t, "", "feedback", "--export", "--corpus", dir)
	if code != 0 {
		t.Fatalf("feedback --export: exit %d %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines:\n%s", len(lines), out)
	}
	var first feedbackLine
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if first.Kind != "who" || first.Question != "Who said dialogue and peaceful means?" || first.Answer != "Abdul Qahar Balkhi" ||
		len(first.Passages) != 1 || first.Passages[0].Paragraph != 1 || first.Feedback.Vote != "up" || first.Feedback.Collection != "300000000000000003" ||
		!strings.HasPrefix(first.ID, "fb-91-") {
		t.Errorf("first line %+v", first)
	}
	if strings.Contains(out, `"7"`) || strings.Contains(out, `"user"`) {
		t.Errorf("the export names who voted:\n%s", out)
	}
	code, again, errs := runCLI(t, out, "batch", "--corpus", dir)
	if code != 0 {
		t.Fatalf("batch of the export: exit %d %s", code, errs)
	}
	answers := strings.Split(strings.TrimSpace(again), "\n")
	if len(answers) != 2 {
		t.Fatalf("batch gave %d answers:\n%s", len(answers), again)
	}
	for i, a := range answers {
		var ans batchAnswer
		var q feedbackLine
		json.Unmarshal([]byte(a), &ans)
		json.Unmarshal([]byte(lines[i]), &q)
		if ans.ID != q.ID || ans.Error != "" || len(ans.Passages) == 0 {
			t.Errorf("batch answer %d: %+v for %s", i, ans, q.ID)
		}
	}
	code, out, _ = runCLI(t, "", "feedback", "--export", "--corpus", dir, "--collection", "shared")
	if code != 0 || strings.Count(out, "\n") != 1 || !strings.Contains(out, "wrong date") {
		t.Errorf("one collection: exit %d\n%s", code, out)
	}
	if code, _, errs := runCLI(t, "", "feedback", "--export"); code != 2 || !strings.Contains(errs, "--corpus") {
		t.Errorf("no store: exit %d %s", code, errs)
	}
}
