package synth

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// WriteDir writes the archive's story files into dir, and its questions to
// dir/questions.jsonl in the batch format (one {"id","kind","question",
// "story"} object a line), so that `storybot index` and `storybot batch`
// can be run on it by hand. The questions file is not a story: the corpus
// loader ignores files without a story extension.
func (c *Corpus) WriteDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range c.Files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), []byte(f.Text), 0o644); err != nil {
			return err
		}
	}
	out, err := os.Create(filepath.Join(dir, "questions.jsonl"))
	if err != nil {
		return err
	}
	enc := json.NewEncoder(out)
	for i, q := range c.Questions {
		line := struct {
			ID       string `json:"id"`
			Kind     string `json:"kind"`
			Question string `json:"question"`
			Story    string `json:"story"`
		}{fmt.Sprintf("synth-%d", i), q.Kind, q.Question, q.Story}
		if err := enc.Encode(line); err != nil {
			out.Close()
			return err
		}
	}
	return out.Close()
}
