package main

import (
	"strings"
	"testing"
)

func TestChatGoesThroughTheBotsHandlers(t *testing.T) {
	in := strings.Join([]string{
		"/who-said dialogue and peaceful means",
		"/more",
		"/when When did Putin authorize the special military operation?",
		"/stories",
		"what did the ministry urge citizens to make?",
		"/frobnicate",
		"/quit",
	}, "\n")
	code, out, errs := runCLI(t, in, "chat")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"Abdul Qahar Balkhi", // who-said names the speaker
		"2022-02-23",         // when gives the calendar date
		"taliban-call-for-russia-ukraine-peace.txt", // stories lists the story
		"Molotov cocktails",                         // a plain question is answered as a mention
		"Unknown command",                           // a typo is explained
	} {
		if !strings.Contains(out, want) {
			t.Errorf("console output lacks %q:\n%s", want, out)
		}
	}
}
