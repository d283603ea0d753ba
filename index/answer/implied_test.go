package answer

import (
	"context"
	"testing"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

// Within a story the asker named, what the search finds is quoted, at
// least as the closest passages; within a story only implied by where
// they asked (a story's thread), an unrelated question still gets "the
// stories do not say".
func TestImpliedStoryKeepsTheGate(t *testing.T) {
	ix, err := index.NewMemory(corpus.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	eng := New(ix)
	story := corpus.Builtin()[0].ID
	q := "Is it going to rain in Lisbon tomorrow afternoon?"
	named, err := eng.Answer(context.Background(), Request{Kind: Ask, Question: q, Story: story})
	if err != nil {
		t.Fatal(err)
	}
	implied, err := eng.Answer(context.Background(), Request{Kind: Ask, Question: q, Story: story, ImpliedStory: true})
	if err != nil {
		t.Fatal(err)
	}
	if implied.Found || implied.Status != NotFound || len(implied.Passages) != 0 {
		t.Errorf("an unrelated question in a story's thread: %+v", implied)
	}
	if named.Status == Answered {
		t.Errorf("an unrelated question in a named story was answered: %+v", named)
	}
	// A real question in the thread is still answered from its story.
	onTopic, err := eng.Answer(context.Background(), Request{Kind: Who, Question: "Who said dialogue and peaceful means?", Story: story, ImpliedStory: true})
	if err != nil || !onTopic.Found || onTopic.Passages[0].Story != story {
		t.Errorf("a real question in a story's thread: %+v %v", onTopic, err)
	}
}
