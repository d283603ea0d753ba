package library

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"sort"
	"time"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

// Builtin is the store used when nothing is configured: the shared
// library holds the story built into the program, and nothing can change.
type Builtin struct {
	fsys fs.FS
}

// NewBuiltin serves the built-in story.
func NewBuiltin() *Builtin { return &Builtin{fsys: corpus.BuiltinFS()} }

func (b *Builtin) Collections(ctx context.Context) ([]string, error) {
	return []string{index.Shared}, nil
}

func (b *Builtin) Snapshot(ctx context.Context, col string) (index.Meta, []StoryMeta, error) {
	if col != index.Shared {
		return index.Meta{}, nil, nil
	}
	names, err := fs.Glob(b.fsys, "*")
	if err != nil {
		return index.Meta{}, nil, err
	}
	sort.Strings(names)
	var out []StoryMeta
	for _, n := range names {
		data, err := fs.ReadFile(b.fsys, n)
		if err != nil {
			return index.Meta{}, nil, err
		}
		out = append(out, StoryMeta{ID: n, Fingerprint: contentFingerprint(data), Bytes: int64(len(data))})
	}
	return index.Meta{}, out, nil
}

func (b *Builtin) Read(ctx context.Context, col, id string) ([]byte, string, error) {
	if col != index.Shared || !fs.ValidPath(id) {
		return nil, "", fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	data, err := fs.ReadFile(b.fsys, id)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	return data, contentFingerprint(data), nil
}

func (b *Builtin) Put(context.Context, string, string, []byte, Actor, Quota) (PutResult, error) {
	return PutResult{}, ErrReadOnly
}
func (b *Builtin) Remove(context.Context, string, string, Actor) (Removed, error) {
	return Removed{}, ErrReadOnly
}
func (b *Builtin) Restore(context.Context, string, string, Actor, Quota) (Removed, error) {
	return Removed{}, ErrReadOnly
}
func (b *Builtin) Removed(context.Context, string) ([]Removed, error) { return nil, nil }
func (b *Builtin) Purge(context.Context, time.Time, func(string) Quota) (int, error) {
	return 0, nil
}
func (b *Builtin) Reindex(context.Context, string) (index.Meta, error) { return index.Meta{}, nil }
func (b *Builtin) Audit(context.Context, AuditEntry) error             { return nil }
func (b *Builtin) Watch(context.Context, func(string)) error           { return nil }
func (b *Builtin) Close() error                                        { return nil }

// contentFingerprint names a text by its SHA-256, for stores that hold
// texts rather than files.
func contentFingerprint(data []byte) string {
	sum := sha256.Sum256(data)
	return "s" + hex.EncodeToString(sum[:16])
}
