//go:build unix

package library

import (
	"os"
	"syscall"
)

// lockFile holds an exclusive flock on path until the returned function
// is called. Separate opens conflict even within one process, so it
// orders goroutines as well as the bot and a 'storybot follow' beside it.
func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	return holdFlock(f)
}

// lockDir holds an exclusive flock on the directory itself, so that
// ordering changes to a corpus leaves no file of ours among its stories
// and works on a volume mounted read-only.
func lockDir(path string) (func(), error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return holdFlock(f)
}

// holdFlock takes an exclusive flock on f, which it closes on failure and
// when the returned function is called.
func holdFlock(f *os.File) (func(), error) {
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() { f.Close() }, nil
}
