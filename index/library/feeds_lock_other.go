//go:build !unix

package library

import "sync"

var feedsMu sync.Mutex

// lockFile orders the feed files' changes within this process; without
// flock, a 'storybot follow' beside the bot is not ordered with it.
func lockFile(path string) (func(), error) {
	feedsMu.Lock()
	return feedsMu.Unlock, nil
}

// lockDir orders a corpus's changes within this process only.
func lockDir(path string) (func(), error) { return lockFile(path) }
