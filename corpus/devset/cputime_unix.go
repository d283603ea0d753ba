//go:build unix

package devset

import (
	"syscall"
	"testing"
	"time"
)

// CPUTime is the CPU time this process has used, for benchmarks: on a
// machine shared with other work it tells a change in cost from a change
// in load better than the wall clock does. It is 0 where unknown.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// ReportCPU reports the CPU time used since start per unit of work, as
// "cpu-<unit>" in microseconds, beside the wall-clock figures.
func ReportCPU(b *testing.B, start time.Duration, units int, unit string) {
	if cpu := CPUTime() - start; cpu > 0 && units > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(units)/1000, "cpu-µs/"+unit)
	}
}
