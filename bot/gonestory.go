package bot

import (
	"context"
	"fmt"
	"slices"
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
			sc := scope(r)
			if _, indexed := ix.Story(sc, story); indexed {
				return next(ctx, r)
			}
			opts := make(map[string]string, len(r.Options))
			for k, v := range r.Options {
				if k != "story" {
					opts[k] = v
				}
			}
			r.Options, r.StoryFromReply = opts, false
			resp, err := next(ctx, r)
			if err == nil {
				subject := fmt.Sprintf("The story of the answer you replied to, `%s`,", codeSafe(clip(story, 100)))
				// Only the server's own removals: the shared library's are
				// not the server's moderators' to restore.
				own := slices.DeleteFunc(slices.Clone(sc), func(c string) bool { return c == index.Shared })
				resp.Content = strings.TrimSpace(goneStoryNote(ctx, lib, own, story, subject) + "\n" + resp.Content)
			}
			return resp, err
		}
	}
}

// goneStoryNote says that a story the question was tied to (subject names
// it) is no longer answered from, and how it may come back: it looks for
// the story among what cols removed or retired within the restore window.
func goneStoryNote(ctx context.Context, lib *library.Library, cols []string, story, subject string) string {
	what, back := "is no longer among this server's stories", ""
	if lib != nil {
	search:
		for _, col := range cols {
			removed, _ := lib.Removed(ctx, col) // newest first, within the restore window
			for _, r := range removed {
				if r.ID == story {
					what, back = "was removed", " A moderator can bring it back with /restore-story."
					if r.Retired {
						what = "was retired to make room for newer stories"
					}
					break search
				}
			}
		}
	}
	return fmt.Sprintf("*%s %s, so this answer is from all of this server's stories.%s*", subject, what, back)
}
