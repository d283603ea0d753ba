package config

import (
	"os"
	"runtime/debug"
)

// Garbage-collector settings for answering. The index lives in memory-mapped
// files, so the Go heap stays small while each answer makes short-lived
// garbage; at Go's default target the collector runs every hundred answers
// or so and its pauses and assists are the slowest answers' tail. A larger
// target with a memory limit as a backstop collects a quarter as often.
const (
	gcPercent   = 400
	memoryLimit = 256 << 20
)

// TuneRuntime applies those settings unless GOGC or GOMEMLIMIT is set,
// which an operator's choice always overrides.
func TuneRuntime() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}
