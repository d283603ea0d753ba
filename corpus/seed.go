package corpus

import (
	"embed"
	"fmt"
)

//go:embed seed/*.txt
var seedFS embed.FS

// Builtin returns the story the bot ships with, used whenever no corpus is
// configured, so that it answers questions with no setup at all.
func Builtin() []*Story {
	stories, skipped, err := LoadFS(seedFS, "seed")
	if err != nil || len(skipped) > 0 || len(stories) == 0 {
		// The seed is compiled in and tested; failing here is a build defect.
		panic(fmt.Sprintf("corpus: built-in story does not load: %v %v", err, skipped))
	}
	return stories
}
