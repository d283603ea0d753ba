package library

import (
	"fmt"
	"os"
	"strconv"
	"sync/atomic"
)

// Crash tests stop a change at every step: with STORYBOT_CRASH_AT=N in the
// environment, the process kills itself with SIGKILL at the Nth crash
// point it reaches, as a power cut would. Unset, a crash point costs one
// atomic load.
var (
	crashAt    = crashSetting()
	crashCount atomic.Int64
)

func crashSetting() int64 {
	n, err := strconv.ParseInt(os.Getenv("STORYBOT_CRASH_AT"), 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

func crashPoint(name string) {
	if crashAt == 0 {
		return
	}
	if crashCount.Add(1) == crashAt {
		fmt.Fprintf(os.Stderr, "crash point %d: %s\n", crashAt, name)
		if p, err := os.FindProcess(os.Getpid()); err == nil {
			_ = p.Kill() // SIGKILL: nothing deferred runs
		}
		select {} // the signal is on its way
	}
}
