package library

import (
	"fmt"
	"strings"
	"time"
)

// Quota bounds one server's collection. Zero in a field means no limit;
// the shared library, which only the operator fills, has none.
type Quota struct {
	Stories int
	Bytes   int64
}

// Usage is what a collection holds.
type Usage struct {
	Stories int   `json:"stories"`
	Bytes   int64 `json:"bytes"`
}

// QuotaError is an add or restore refused because it would pass a limit.
// Its message names the limit and the current use.
type QuotaError struct {
	Limit string // "stories" or "bytes"
	Max   int64
	Used  Usage
	// Adding is the size of what was refused.
	Adding int64
}

func (e *QuotaError) Error() string {
	if e.Limit == "stories" {
		return fmt.Sprintf("this server's collection is at its limit of %d stories (it holds %d); remove one first", e.Max, e.Used.Stories)
	}
	return fmt.Sprintf("this server's collection may hold %s of stories; it holds %s, and this story is %s",
		FormatBytes(e.Max), FormatBytes(e.Used.Bytes), FormatBytes(e.Adding))
}

// admit checks that a collection using used, less a story of oldBytes that
// the new one replaces (replacing false: none), can take one of newBytes.
func (q Quota) admit(used Usage, replacing bool, oldBytes, newBytes int64) error {
	stories := used.Stories
	bytes := used.Bytes - oldBytes + newBytes
	if !replacing {
		stories++
	}
	if q.Stories > 0 && stories > q.Stories {
		return &QuotaError{Limit: "stories", Max: int64(q.Stories), Used: used, Adding: newBytes}
	}
	if q.Bytes > 0 && bytes > q.Bytes {
		return &QuotaError{Limit: "bytes", Max: q.Bytes, Used: used, Adding: newBytes}
	}
	return nil
}

// FormatBytes writes a size the way people read it: 12 KiB, 3.4 MiB.
func FormatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	s := fmt.Sprintf("%.1f", float64(n)/float64(div))
	s = strings.TrimSuffix(s, ".0")
	return s + " " + string("KMGTPE"[exp]) + "iB"
}

// FormatKeep writes a restore window the way people read it: "7 days".
func FormatKeep(d time.Duration) string {
	n := int(d.Round(time.Hour).Hours())
	if n%24 == 0 {
		if n == 24 {
			return "1 day"
		}
		return fmt.Sprintf("%d days", n/24)
	}
	if n == 1 {
		return "1 hour"
	}
	return fmt.Sprintf("%d hours", n)
}
