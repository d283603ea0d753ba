package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/library"
)

// feedbackLine is one vote in the batch format: the question as batch
// reads it, the answer as batch writes it, and the vote beside them. So
// `storybot batch` re-answers an export, and score.py reads one as answers.
type feedbackLine struct {
	ID       string         `json:"id"`
	Kind     string         `json:"kind"`
	Question string         `json:"question"`
	Story    string         `json:"story"`
	Answer   string         `json:"answer"`
	Date     string         `json:"date"`
	Passages []batchPassage `json:"passages"`
	Feedback feedbackVote   `json:"feedback"`
}

// feedbackVote is the vote itself. Who voted is left out: an export is
// evaluation data, not a list of people.
type feedbackVote struct {
	Vote       string    `json:"vote"`
	Reason     string    `json:"reason,omitempty"`
	Collection string    `json:"collection"`
	Channel    string    `json:"channel,omitempty"`
	Message    string    `json:"message"`
	At         time.Time `json:"at"`
	Offset     int       `json:"offset,omitempty"`
}

func feedbackCommand(ctx context.Context, env *cliEnv, args []string) error {
	var c common
	fs := newFlags("feedback", env)
	fs.StringVar(&c.corpus, "corpus", "", "the stories and votes are kept in `DIR` (or $STORYBOT_CORPUS, or STORYBOT_DATABASE_URL)")
	fs.StringVar(&c.collection, "collection", "", "only the votes of `NAME`: a Discord server's ID, or "+index.Shared+" for direct messages (default: every one)")
	export := fs.Bool("export", false, "write every vote as a JSON line in the batch format, instead of counting them")
	pos, err := parseArgs(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{"feedback takes no arguments"}
	}
	if c.collection != "" {
		if err := c.checkCollection(); err != nil {
			return err
		}
	}
	cfg, err := c.settings(env)
	if err != nil {
		return err
	}
	if cfg.CorpusDir == "" && cfg.DatabaseURL == "" {
		return usageError{"votes are kept where the stories are: say where with --corpus DIR (or STORYBOT_CORPUS, or STORYBOT_DATABASE_URL)"}
	}
	store, err := openStore(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	lib, err := library.Open(ctx, library.Config{Store: store, NoIndex: true})
	if err != nil {
		store.Close()
		return err
	}
	defer lib.Close()
	votes, err := lib.Feedback(ctx, c.collection)
	if err != nil {
		return err
	}
	if *export {
		return exportFeedback(env, votes)
	}
	return countFeedback(env, votes)
}

func exportFeedback(env *cliEnv, votes []library.Feedback) error {
	out := bufio.NewWriter(env.stdout)
	enc := json.NewEncoder(out)
	for _, v := range votes {
		who := sha256.Sum256([]byte(v.Collection + "/" + v.User))
		line := feedbackLine{
			ID: "fb-" + v.Message + "-" + hex.EncodeToString(who[:4]), Kind: v.Kind, Question: v.Question, Story: v.Story,
			Answer: v.Answer, Date: v.Date, Passages: []batchPassage{},
			Feedback: feedbackVote{Vote: v.Vote, Reason: v.Reason, Collection: v.Collection, Channel: v.Channel,
				Message: v.Message, At: v.At.UTC(), Offset: v.Offset},
		}
		for _, p := range v.Passages {
			line.Passages = append(line.Passages, batchPassage{p.Story, p.Paragraph, p.Text, p.Score})
		}
		if err := enc.Encode(line); err != nil {
			return err
		}
	}
	return out.Flush()
}

// countFeedback prints each collection's votes and when the last came.
func countFeedback(env *cliEnv, votes []library.Feedback) error {
	type tally struct {
		up, down, reasons int
		last              time.Time
	}
	by := map[string]*tally{}
	for _, v := range votes {
		t := by[v.Collection]
		if t == nil {
			t = &tally{}
			by[v.Collection] = t
		}
		if v.Vote == library.VoteUp {
			t.up++
		} else {
			t.down++
		}
		if v.Reason != "" {
			t.reasons++
		}
		if v.At.After(t.last) {
			t.last = v.At
		}
	}
	if len(by) == 0 {
		fmt.Fprintln(env.stdout, "no votes yet")
		return nil
	}
	cols := make([]string, 0, len(by))
	for c := range by {
		cols = append(cols, c)
	}
	sort.Strings(cols)
	tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "COLLECTION\t👍\t👎\tWITH A REASON\tLAST")
	for _, c := range cols {
		t := by[c]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\n", c, t.up, t.down, t.reasons, t.last.Local().Format("2006-01-02 15:04"))
	}
	return tw.Flush()
}
