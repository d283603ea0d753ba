package bot

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/storybot/storybot/bot/discordtest"
	"github.com/storybot/storybot/index/library"
)

// A reply to an old answer is a follow-up on the story that answer quoted;
// once that story is removed, the follow-up is answered from the server's
// stories with a note, not refused as a story nobody named.
func TestReplyToAnAnswerWhoseStoryIsGone(t *testing.T) {
	t.Parallel()
	env := startGuilds(t, library.Quota{})
	send := env.sender(t)
	if body := send(in(guildB)(modCommand(permMod, CmdRemoveStory, map[string]string{"story": "b-lighthouse.txt"}, nil))); !strings.Contains(body, "Removed") {
		t.Fatalf("remove: %s", body)
	}
	reply := func(id, story string) (content, body string) {
		t.Helper()
		embeds := []any{map[string]any{"title": "x", "footer": map[string]any{"text": footerStory + story}}}
		env.fake.Dispatch("MESSAGE_CREATE", map[string]any{
			"id": id, "channel_id": testChan, "guild_id": guildB, "content": "and who said inflation is easing?",
			"author":             map[string]any{"id": "7", "username": "reader"},
			"message_reference":  map[string]any{"message_id": "599", "channel_id": testChan},
			"referenced_message": map[string]any{"id": "599", "channel_id": testChan, "author": map[string]any{"id": discordtest.BotUserID, "bot": true}, "embeds": embeds},
		})
		req := env.fake.WaitFor(func(r discordtest.Request) bool {
			return r.Method == "POST" && strings.Contains(string(r.Body), `"message_id":"`+id+`"`)
		})
		assertNoPings(t, req.Body)
		var msg struct{ Content string }
		if err := json.Unmarshal(req.Body, &msg); err != nil {
			t.Fatal(err)
		}
		return msg.Content, string(req.Body)
	}
	content, body := reply("620", "b-lighthouse.txt")
	if !strings.Contains(body, "Okafor") {
		t.Errorf("the follow-up is not answered from the server's stories: %s", body)
	}
	if !strings.Contains(content, "b-lighthouse.txt") || !strings.Contains(content, "was removed") || !strings.Contains(content, "/restore-story") {
		t.Errorf("no note that the replied-to answer's story was removed: %q", content)
	}
	// Another server's story is not confirmed, nor offered for restoring.
	content, body = reply("621", "a-harbour.txt")
	if strings.Contains(body, "Pryce") || !strings.Contains(content, "no longer among this server's stories") || strings.Contains(content, "restore") {
		t.Errorf("a follow-up on another server's story: %q %s", content, body)
	}
}
