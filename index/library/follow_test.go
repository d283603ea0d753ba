package library

import (
	"context"
	"testing"
	"time"

	"github.com/storybot/storybot/index"
)

// slowStore is a file store whose listing of one collection waits until
// released, as a long rebuild would keep its sync busy.
type slowStore struct {
	*Files
	slow    string
	release chan struct{}
}

func (s slowStore) Snapshot(ctx context.Context, col string) (index.Meta, []StoryMeta, error) {
	if col == s.slow {
		<-s.release
	}
	return s.Files.Snapshot(ctx, col)
}

// A collection whose sync takes long does not hold up another's: each is
// brought up to date on its own, and news of a busy one collapses into one
// more sync of it.
func TestFollowingOneSlowCollectionDoesNotHoldUpOthers(t *testing.T) {
	root := t.TempDir()
	fs, _ := NewFiles(root)
	st := slowStore{Files: fs, slow: guildA, release: make(chan struct{})}
	l, err := Open(context.Background(), Config{Store: st, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	other, _ := NewFiles(root)
	for _, col := range []string{guildA, guildB} {
		if _, err := other.Put(context.Background(), col, "x.txt", []byte("X\n\nThe avalanche closed the pass.\n"), alice, Quota{}); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	q := newSyncQueue(ctx, l, 2)
	q.notify(guildA)
	q.notify(guildA) // collapses into one more
	q.notify(guildB)
	deadline := time.Now().Add(5 * time.Second)
	for len(found(t, l, index.Scope{guildB}, "avalanche")) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("B waited for A")
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(st.release)
	for len(found(t, l, index.Scope{guildA}, "avalanche")) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("A never caught up")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	q.wait()
}
