package library

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/index"
)

// feedbackDir holds one file of JSON lines per collection, below the
// corpus directory; it is not a collection and holds no stories.
const feedbackDir = "_feedback"

// feedbackFileLimit is the size past which a collection's feedback file is
// rewritten with only its newest MaxFeedback votes. Votes are appended
// (a replaced vote too), so the file grows by one line per vote until then.
var feedbackFileLimit int64 = 16 << 20

func (f *Files) feedbackPath(col string) string {
	return filepath.Join(f.root, feedbackDir, col+".jsonl")
}

// PutFeedback appends the vote to its collection's file; the last line for
// a user and a message is their vote.
func (f *Files) PutFeedback(ctx context.Context, fb Feedback) error {
	line, err := json.Marshal(fb)
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	path := f.feedbackPath(fb.Collection)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	file, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	// One write per line, so a reader never sees half a vote unless a
	// crash cut it, and a cut line is skipped when read.
	_, err = file.Write(append(line, '\n'))
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if info, err := os.Stat(path); err == nil && info.Size() > feedbackFileLimit {
		return f.compactFeedback(fb.Collection)
	}
	return nil
}

// compactFeedback rewrites a collection's file with its newest votes.
func (f *Files) compactFeedback(col string) error {
	all, err := readFeedback(f.feedbackPath(col))
	if err != nil {
		return err
	}
	var b bytes.Buffer
	for _, fb := range newestVotes(all, feedbackKeep) {
		line, _ := json.Marshal(fb)
		b.Write(line)
		b.WriteByte('\n')
	}
	return corpus.WriteFileAtomic(f.feedbackPath(col), b.Bytes(), 0o644)
}

// ListFeedback reads the votes of col, or of every collection.
func (f *Files) ListFeedback(ctx context.Context, col string) ([]Feedback, error) {
	cols := []string{col}
	if col == "" {
		cols = nil
		entries, err := os.ReadDir(filepath.Join(f.root, feedbackDir))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		for _, e := range entries {
			if name, ok := strings.CutSuffix(e.Name(), ".jsonl"); ok && !e.IsDir() && index.ValidCollection(name) {
				cols = append(cols, name)
			}
		}
	}
	var out []Feedback
	for _, c := range cols {
		all, err := readFeedback(f.feedbackPath(c))
		if err != nil {
			return nil, err
		}
		out = append(out, newestVotes(all, 0)...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}

func readFeedback(path string) ([]Feedback, error) {
	file, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer file.Close()
	var out []Feedback
	sc := bufio.NewScanner(file)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		var fb Feedback
		if json.Unmarshal(sc.Bytes(), &fb) == nil && fb.Message != "" {
			out = append(out, fb)
		}
	}
	return out, sc.Err()
}
