package library

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/storybot/storybot/index"
)

// Feedback is one reader's vote on one answer, kept with what it judged:
// the question, the answer and the passages quoted, so that votes can be
// turned into evaluation data. A vote by the same user on the same message
// replaces their earlier one.
type Feedback struct {
	// Collection is the server's collection (its guild ID), or the shared
	// library for a direct message.
	Collection string    `json:"collection"`
	Channel    string    `json:"channel,omitempty"`
	Message    string    `json:"message"`
	User       string    `json:"user"`
	At         time.Time `json:"at"`
	Vote       string    `json:"vote"` // VoteUp or VoteDown
	Reason     string    `json:"reason,omitempty"`

	// Kind is who, when or ask; Story is the story the question was
	// limited to, if any; Offset is how many passages came before the page
	// that was voted on.
	Kind     string `json:"kind"`
	Question string `json:"question"`
	Story    string `json:"story,omitempty"`
	Offset   int    `json:"offset,omitempty"`
	Answer   string `json:"answer"`
	Date     string `json:"date,omitempty"`
	// Passages are those of the page voted on, as the engine gave them.
	Passages []FeedbackPassage `json:"passages"`
}

// FeedbackPassage is a passage an answer quoted.
type FeedbackPassage struct {
	Story     string  `json:"story"`
	Paragraph int     `json:"paragraph"`
	Text      string  `json:"text"`
	Score     float64 `json:"score"`
}

// Votes.
const (
	VoteUp   = "up"
	VoteDown = "down"
)

// Bounds on what one vote may hold, and on how many votes a collection
// keeps: the oldest go first, so a flood of votes cannot fill a disk.
const (
	MaxFeedbackReason   = 1000
	MaxFeedbackQuestion = 2000
	MaxFeedback         = 10000
)

// feedbackKeep is MaxFeedback, smaller in tests.
var feedbackKeep = MaxFeedback

// FeedbackStore keeps votes: the files and PostgreSQL do; the built-in
// story has nowhere to keep them.
type FeedbackStore interface {
	// PutFeedback records a vote, replacing the same user's vote on the
	// same message.
	PutFeedback(ctx context.Context, f Feedback) error
	// ListFeedback returns the votes of col, or of every collection when
	// col is "", oldest first.
	ListFeedback(ctx context.Context, col string) ([]Feedback, error)
}

// ErrNoFeedbackStore means the store keeps no feedback.
var ErrNoFeedbackStore = errors.New("no store is configured to keep feedback (STORYBOT_CORPUS or STORYBOT_DATABASE_URL)")

// KeepsFeedback says whether votes can be stored.
func (l *Library) KeepsFeedback() bool {
	_, ok := l.store.(FeedbackStore)
	return ok
}

// PutFeedback checks a vote and records it.
func (l *Library) PutFeedback(ctx context.Context, f Feedback) error {
	fs, ok := l.store.(FeedbackStore)
	if !ok {
		return ErrNoFeedbackStore
	}
	f, err := checkFeedback(f)
	if err != nil {
		return err
	}
	return fs.PutFeedback(ctx, f)
}

// Feedback lists the votes of col ("" for every collection), oldest first.
func (l *Library) Feedback(ctx context.Context, col string) ([]Feedback, error) {
	fs, ok := l.store.(FeedbackStore)
	if !ok {
		return nil, ErrNoFeedbackStore
	}
	if col != "" && !index.ValidCollection(col) {
		return nil, fmt.Errorf("%q is not a collection name", col)
	}
	return fs.ListFeedback(ctx, col)
}

func checkFeedback(f Feedback) (Feedback, error) {
	switch {
	case !index.ValidCollection(f.Collection):
		return f, fmt.Errorf("%q is not a collection name", f.Collection)
	case !validID(f.Message) || !validID(f.User) || (f.Channel != "" && !validID(f.Channel)):
		return f, errors.New("a vote needs the message and the user it comes from")
	case f.Vote != VoteUp && f.Vote != VoteDown:
		return f, fmt.Errorf("%q is not a vote", f.Vote)
	}
	if f.At.IsZero() {
		f.At = time.Now()
	}
	f.At = f.At.UTC()
	f.Reason = clipUTF8(strings.TrimSpace(f.Reason), MaxFeedbackReason)
	f.Question = clipUTF8(f.Question, MaxFeedbackQuestion)
	if f.Passages == nil {
		f.Passages = []FeedbackPassage{}
	}
	return f, nil
}

// validID is a Discord snowflake: digits, at most 20 of them.
func validID(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func clipUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// feedbackKey identifies the one vote a user has on a message.
func feedbackKey(f Feedback) string { return f.Collection + "/" + f.Message + "/" + f.User }

// newestVotes keeps the last vote of each user on each message, at most
// limit of them (the newest), in the order they were cast.
func newestVotes(all []Feedback, limit int) []Feedback {
	last := map[string]int{}
	for i, f := range all {
		last[feedbackKey(f)] = i
	}
	out := make([]Feedback, 0, len(last))
	for i, f := range all {
		if last[feedbackKey(f)] == i {
			out = append(out, f)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	if limit > 0 && len(out) > limit {
		out = out[len(out)-limit:]
	}
	return out
}
