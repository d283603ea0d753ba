package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"time"

	"github.com/storybot/storybot/index"
	"github.com/storybot/storybot/index/answer"
)

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
	if c.n < 1 || c.n > 20 {
		return usageError{"-n must be between 1 and 20"}
	}
	sess, err := c.session(ctx, env)
	if err != nil {
		return err
	}
	defer sess.Close()
	eng, cfg := sess.eng, sess.cfg
	out := bufio.NewWriter(env.stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	in := bufio.NewReaderSize(env.stdin, 64<<10)
	for line := 1; ; line++ {
		text, err := readBatchLine(in)
		if errors.Is(err, io.EOF) && len(text) == 0 {
			return nil
		}
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, errLineTooLong) {
			return fmt.Errorf("stdin line %d: %w", line, err)
		}
		if len(bytes.TrimSpace(text)) == 0 {
			if err != nil {
				return nil // a blank last line
			}
			continue
		}
		var a batchAnswer
		var q batchQuestion
		if errors.Is(err, errLineTooLong) {
			a = batchError(batchID(text), fmt.Sprintf("line %d: longer than %d bytes", line, maxBatchLine))
		} else if jerr := json.Unmarshal(text, &q); jerr != nil {
			a = batchError(batchID(text), fmt.Sprintf("line %d: not a JSON question: %v", line, jerr))
		} else {
			a = answerOne(ctx, eng, sess.scope, q, c.n, cfg.QueryTimeout)
		}
		if err := enc.Encode(a); err != nil {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

// maxBatchLine is the longest question line read; a longer one is
// answered with an error, and reading goes on after its end.
const maxBatchLine = 1 << 20

var errLineTooLong = errors.New("line too long")

// readBatchLine reads one line without its newline. A line over
// maxBatchLine returns its first maxBatchLine bytes and errLineTooLong,
// and the rest of it is skipped.
func readBatchLine(r *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(line)+len(chunk) <= maxBatchLine+1 {
			line = append(line, chunk...)
		} else if len(line) <= maxBatchLine {
			line = append(line, chunk[:maxBatchLine+1-len(line)]...)
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err != nil && !errors.Is(err, io.EOF):
			return nil, err
		}
		line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
		if len(line) > maxBatchLine {
			return line[:maxBatchLine], errLineTooLong
		}
		return line, err
	}
}

// batchIDPattern finds a question's id in a line that is not valid JSON,
// so that its error answer can still be matched to it.
var batchIDPattern = regexp.MustCompile(`"id"\s*:\s*("(?:[^"\\]|\\.)*")`)

func batchID(line []byte) string {
	var id string
	if m := batchIDPattern.FindSubmatch(line); m != nil {
		_ = json.Unmarshal(m[1], &id)
	}
	return id
}

func batchError(id, msg string) batchAnswer {
	return batchAnswer{ID: id, Passages: []batchPassage{}, Error: msg}
}

func answerOne(ctx context.Context, eng *answer.Engine, scope index.Scope, q batchQuestion, n int, timeout time.Duration) batchAnswer {
	out := batchAnswer{ID: q.ID, Passages: []batchPassage{}}
	kind, err := answer.ParseKind(q.Kind)
	if err != nil {
		return batchError(q.ID, err.Error())
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	a, err := eng.Answer(ctx, answer.Request{Kind: kind, Question: q.Question, Scope: scope, Story: q.Story, N: n})
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
