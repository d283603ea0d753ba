//go:build !unix

package devset

import (
	"testing"
	"time"
)

// CPUTime is unknown here; see the Unix version.
func CPUTime() time.Duration { return 0 }

// ReportCPU reports nothing where the CPU time is unknown.
func ReportCPU(b *testing.B, start time.Duration, units int, unit string) {}
