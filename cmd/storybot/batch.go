package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/storybot/storybot/index/answer"
)

func init() {
	register("batch", "answer JSON-lines questions from stdin (the evaluation format)", batchCommand)
}

type batchQuestion struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Question string `json:"question"`
	Story    string `json:"story"`
}

type batchPassage struct {
	Story     string  `json:"story"`
	Paragraph int     `json:"paragraph"`
	Text      string  `json:"text"`
	Score     float64 `json:"score"`
}

type batchAnswer struct {
	ID     string `json:"id"`
	Answer string `json:"answer"`
	Date   string `json:"date"`
	// Status is answered, closest (passages but no short answer) or none.
	Status     answer.Status  `json:"status"`
	Confidence float64        `json:"confidence"`
	Passages   []batchPassage `json:"passages"`
	Error      string         `json:"error,omitempty"`
}

func batchCommand(ctx context.Context, env *cliEnv, args []string) error {
	var c common
	fs := newFlags("batch", env)
	c.corpusFlags(fs)
	fs.IntVar(&c.n, "n", 5, "how many passages to return per question")
	pos, err := parseArgs(env, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{"batch reads questions from stdin and takes no arguments"}
	}
	eng, cfg, err := c.engine(env)
	if err != nil {
		return err
	}
	defer eng.Index().Close()
	in := bufio.NewScanner(env.stdin)
	in.Buffer(make([]byte, 0, 64<<10), 1<<20)
	out := bufio.NewWriter(env.stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	line := 0
	for in.Scan() {
		line++
		if len(in.Bytes()) == 0 {
			continue
		}
		var q batchQuestion
		if err := json.Unmarshal(in.Bytes(), &q); err != nil {
			return fmt.Errorf("stdin line %d: not a JSON question: %v", line, err)
		}
		if err := enc.Encode(answerOne(ctx, eng, q, c.n, cfg.QueryTimeout)); err != nil {
			return err
		}
	}
	if errors.Is(in.Err(), bufio.ErrTooLong) {
		return fmt.Errorf("stdin line %d: longer than 1 MiB", line+1)
	}
	return in.Err()
}

func answerOne(ctx context.Context, eng *answer.Engine, q batchQuestion, n int, timeout time.Duration) batchAnswer {
	out := batchAnswer{ID: q.ID, Passages: []batchPassage{}}
	kind, err := answer.ParseKind(q.Kind)
	if err != nil {
		out.Error = err.Error()
		return out
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	a, err := eng.Answer(ctx, answer.Request{Kind: kind, Question: q.Question, Story: q.Story, N: n})
	if err != nil {
		out.Error = err.Error()
		return out
	}
	out.Answer, out.Date, out.Status, out.Confidence = a.Answer, a.Date, a.Status, a.Confidence
	for _, p := range a.Passages {
		out.Passages = append(out.Passages, batchPassage{p.Story, p.Paragraph, p.Text, p.Score})
	}
	return out
}
