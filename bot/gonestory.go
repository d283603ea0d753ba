package bot

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/library"
)

// replyStories answers a reply to an old answer from everything the
// server may read when the story that answer quoted is no longer indexed
// (retired to make room for a feed's newer ones, or removed), with a note
// that says why, instead of refusing it as a story nobody named. A story
// the asker names stays an error: they can pick another.
func replyStories(ix *index.Index, lib *library.Library) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, r Request) (Response, error) {
			story := r.Option("story")
			if !r.StoryFromReply || story == "" {
				return next(ctx, r)
			}
			if _, indexed := ix.Story(scope(r), story); indexed {
				return next(ctx, r)
			}
			r.Options = maps.Clone(r.Options)
			delete(r.Options, "story")
			r.StoryFromReply = false
			// Only the server's own removals: the shared library's are
			// not the server's moderators' to restore.
			own, _ := library.GuildCollection(r.Guild)
			return withoutGoneStory(ctx, next, r, lib, own, story, "The story of the answer you replied to")
		}
	}
}

// withoutGoneStory answers r, which no longer names the story it was tied
// to (whose says how), from everything the server may read, and puts a
// note before the answer that says why.
func withoutGoneStory(ctx context.Context, next Handler, r Request, lib *library.Library, col, story, whose string) (Response, error) {
	resp, err := next(ctx, r)
	if err == nil {
		note := goneStoryNote(ctx, lib, col, story, fmt.Sprintf("%s, `%s`,", whose, codeSafe(clip(story, 100))))
		resp.Content = strings.TrimSpace(note + "\n" + resp.Content)
	}
	return resp, err
}

// goneStoryNote says that a story the question was tied to (subject names
// it) is no longer answered from, and how it may come back: it looks for
// the story among what col ("": none) removed or retired within the
// restore window.
func goneStoryNote(ctx context.Context, lib *library.Library, col, story, subject string) string {
	what, back := "is no longer among this server's stories", ""
	if lib != nil && col != "" {
		removed, _ := lib.Removed(ctx, col) // newest first, within the restore window
		for _, r := range removed {
			if r.ID == story {
				what, back = "was removed", " A moderator can bring it back with /restore-story."
				if r.Retired {
					what = "was retired to make room for newer stories"
				}
				break
			}
		}
	}
	return fmt.Sprintf("*%s %s, so this answer is from all of this server's stories.%s*", subject, what, back)
}
