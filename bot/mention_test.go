package bot

import "testing"

func TestChooseCommand(t *testing.T) {
	for q, want := range map[string]string{
		"who said dialogue and peaceful means?":   CmdWhoSaid,
		"Who urged citizens to make cocktails?":   CmdWhoSaid,
		"when did Putin authorize the operation?": CmdWhen,
		"On what date did the US invade?":         CmdWhen,
		"what did the ministry urge?":             CmdAsk,
		"Who is the Taliban spokesman?":           CmdAsk,
		"who took the photo?":                     CmdAsk,
		"Who has warned of civilian casualties?":  CmdWhoSaid,
		"Whose words were these?":                 CmdWhoSaid,
	} {
		if got := ChooseCommand(q); got != want {
			t.Errorf("%q: %s, want %s", q, got, want)
		}
	}
}

func TestMentionRequest(t *testing.T) {
	const bot = "999"
	base := Message{ID: "m1", Channel: "c", Author: "u", Content: "<@999> who said peace?", MentionsBot: true}
	r, ok := MentionRequest(base, bot)
	if !ok || r.Command != CmdWhoSaid || r.Option("question") != "who said peace?" {
		t.Fatalf("%+v %v", r, ok)
	}
	for name, m := range map[string]Message{
		"other bot":    {Author: "b", AuthorIsBot: true, Content: "<@999> hi", MentionsBot: true},
		"itself":       {Author: bot, Content: "<@999> hi", MentionsBot: true},
		"@everyone":    {Author: "u", Content: "@everyone who said peace?"},
		"not for us":   {Author: "u", Content: "who said peace?"},
		"empty reply":  {Author: "u", ReplyToBot: true},
		"no author id": {Content: "<@999> hi", MentionsBot: true},
	} {
		if _, ok := MentionRequest(m, bot); ok {
			t.Errorf("%s: answered", name)
		}
	}
	follow := Message{Author: "u", Content: "and when?", ReplyToBot: true, ReplyStory: "s.txt"}
	r, ok = MentionRequest(follow, bot)
	if !ok || r.Option("story") != "s.txt" || r.Command != CmdWhen {
		t.Fatalf("follow-up: %+v %v", r, ok)
	}
	r, _ = MentionRequest(Message{Author: "u", Content: "<@!999>", MentionsBot: true}, bot)
	if r.Command != cmdHelp {
		t.Fatalf("bare mention: %+v", r)
	}
}

// A direct message is always for the bot, question or not.
func TestMentionRequestInADirectMessage(t *testing.T) {
	for _, content := range []string{"Tell me who the Taliban spokesman is", "taliban spokesman", "who is the spokesman"} {
		r, ok := MentionRequest(Message{Author: "u", Channel: "dm", Content: content, DM: true}, "999")
		if !ok || r.Option("question") != content {
			t.Errorf("%q in a direct message: %+v, answered %v", content, r, ok)
		}
	}
}

// In a thread the bot opened on a story, a plain message that asks
// something is a question; people talking there are left alone, and so
// is a message whose text the bot may not read.
func TestMentionRequestInAStoryThread(t *testing.T) {
	const bot = "999"
	for content, want := range map[string]bool{
		"who said the tracks held?":       true,
		"When did the line reopen":        true,
		"how many trains a day?":          true,
		"great news, finally":             false,
		"lol":                             false,
		"":                                false, // no Message Content intent
		"<@999> the engineer's name":      true,
		"Is the bridge new? asking for a": true,
	} {
		m := Message{Author: "u", Channel: "t", Content: content, InStoryThread: true, MentionsBot: content != "" && content[0] == '<'}
		if _, ok := MentionRequest(m, bot); ok != want {
			t.Errorf("%q in a story thread: answered %v, want %v", content, ok, want)
		}
	}
}
