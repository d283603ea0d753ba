package corpus

import (
	"embed"
	"fmt"
	"io/fs"
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

// BuiltinFS holds the built-in story's file, for stores that serve it as
// they serve any other.
func BuiltinFS() fs.FS {
	sub, err := fs.Sub(seedFS, "seed")
	if err != nil {
		panic(err) // "seed" is a fixed, embedded directory
	}
	return sub
}
