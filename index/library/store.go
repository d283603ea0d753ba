package library

import (
	"context"
	"errors"
	"time"

	"github.com/storybot/storybot/index"
)

// Store holds the truth about the stories: which collections there are,
// what each holds, what was removed and may be restored, and (with
// PostgreSQL) the moderators' audit log. Indexes are built from it and
// repaired against it; a Store knows nothing of bleve.
type Store interface {
	// Collections lists every collection the store knows, sorted.
	Collections(ctx context.Context) ([]string, error)
	// Snapshot lists a collection's live stories together with the store
	// version they are at, read at one moment.
	Snapshot(ctx context.Context, col string) (index.Meta, []StoryMeta, error)
	// Read returns a live story's text and the fingerprint of that very
	// text: the story may change between a listing and the read, and the
	// index must never file one text under another's fingerprint.
	Read(ctx context.Context, col, id string) ([]byte, string, error)
	// Put saves data as story name of col, replacing a story of that
	// name, whose old text is kept among the removed stories. The quota
	// is checked in the same step, so two writers cannot both squeeze in.
	Put(ctx context.Context, col, name string, data []byte, by Actor, q Quota) (PutResult, error)
	// Remove takes a live story out of col and keeps it among the removed.
	Remove(ctx context.Context, col, id string, by Actor) (Removed, error)
	// Restore brings back a removed story, by its key or by its ID (the
	// latest removal of that ID). A live story of the same ID is kept
	// among the removed in its place, so a restore can be undone too.
	Restore(ctx context.Context, col, ref string, by Actor, q Quota) (Removed, error)
	// Removed lists the stories of col that can be restored, newest first.
	Removed(ctx context.Context, col string) ([]Removed, error)
	// Purge forgets removed stories older than before, and beyond a
	// collection's quota (the oldest first), so removals cannot fill a disk.
	Purge(ctx context.Context, before time.Time, q func(col string) Quota) (int, error)
	// Reindex starts a new epoch of col: every process rebuilds its index
	// of it from scratch.
	Reindex(ctx context.Context, col string) (index.Meta, error)
	// Audit records one moderator action; a store without an audit table
	// leaves the log line as the only record.
	Audit(ctx context.Context, e AuditEntry) error
	// Watch calls notify with each collection changed by any process,
	// until ctx ends. It calls notify with "" when every collection must
	// be checked: at start and after a lost connection, since changes made
	// meanwhile were never announced. A store that only this process
	// changes returns at once.
	Watch(ctx context.Context, notify func(col string)) error
	Close() error
}

// StoryMeta describes a stored story without its text.
type StoryMeta struct {
	ID string
	// Fingerprint changes whenever the text does.
	Fingerprint string
	Bytes       int64
}

// PutResult is what a Put did.
type PutResult struct {
	Story    StoryMeta
	Replaced bool
}

// Removed is a story that was removed or replaced, restorable for a while.
type Removed struct {
	// Key names this one removal, for Restore; it is short enough for a
	// Discord autocomplete value.
	Key     string    `json:"key"`
	ID      string    `json:"id"`
	Bytes   int64     `json:"bytes"`
	At      time.Time `json:"at"`
	By      string    `json:"by,omitempty"`
	Replace bool      `json:"replaced,omitempty"`
	// Retired marks a story taken out to keep a collection within its
	// quota when a feed brought a new one.
	Retired bool `json:"retired,omitempty"`
}

// Actor is who asks for a change, for the record.
type Actor struct {
	ID   string
	Name string
}

func (a Actor) String() string {
	switch {
	case a.Name != "" && a.ID != "":
		return a.Name + " (" + a.ID + ")"
	case a.Name != "":
		return a.Name
	}
	return a.ID
}

// AuditEntry is one moderator action.
type AuditEntry struct {
	At         time.Time
	Collection string
	Actor      Actor
	Action     string
	Options    map[string]string
	Result     string
	Detail     string
}

// Errors a store returns; test with errors.Is.
var (
	ErrNotFound = errors.New("there is no story by that name")
	ErrReadOnly = errors.New("these stories are built in and cannot be changed")
	// ErrUnreadable refuses to rebuild a collection from stories that all
	// fail to read, which would empty its index.
	ErrUnreadable = errors.New("the collection was not rebuilt")
	// ErrConflict is a change that lost a race with another process.
	ErrConflict = errors.New("the stories were changed by someone else at the same moment")
)
