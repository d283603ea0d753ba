package bot

import (
	"testing"
	"time"
)

// An event that arrives while shutdown waits must not be added to what it
// waits for (sync.WaitGroup forbids Add from zero during Wait); it is
// dropped, and shutdown still waits for the answers already running.
func TestTrackerRefusesWorkOnceClosing(t *testing.T) {
	var tr tracker
	if !tr.start() {
		t.Fatal("refused before closing")
	}
	closed := make(chan struct{})
	go func() { tr.close(20 * time.Second); close(closed) }()
	deadline := time.Now().Add(10 * time.Second)
	for tr.start() {
		tr.done()
		if time.Now().After(deadline) {
			t.Fatal("still accepting work while closing")
		}
		time.Sleep(time.Millisecond)
	}
	select {
	case <-closed:
		t.Fatal("close returned with an answer in flight")
	case <-time.After(20 * time.Millisecond):
	}
	tr.done()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("close did not return after the last answer")
	}
}
