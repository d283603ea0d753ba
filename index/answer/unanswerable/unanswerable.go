// Package unanswerable makes the questions the stories cannot answer that
// abstention is measured and learned on: an evaluation question asked of a
// copy of its story with the answer taken out, as
// ../shared/eval/make-unanswerable.py makes them. Same topic, same names,
// but the fact is gone, so an honest answer gives no short answer.
package unanswerable

import (
	"regexp"
	"strings"

	"github.com/storybot/storybot/corpus/devset"
)

// Story makes the copy of a question's story without its answer: the gold
// paragraph removed, and every other paragraph that holds the gold answer
// (ask), the quote (who) or the time expression (when). It returns the
// copy's file name and text, or false when fewer than two paragraphs would
// be left.
func Story(it devset.Item, text string) (name, out string, ok bool) {
	head, title, paras := splitStory(text)
	var needles []string
	switch it.Kind {
	case "ask":
		if len(it.Answers) > 0 {
			if n := norm(it.Answers[0]); len([]rune(n)) >= 3 {
				needles = append(needles, n)
			}
		}
	case "who":
		needles = append(needles, firstRunes(norm(it.Quote), 60))
	default:
		if n := norm(it.TimexText); len([]rune(n)) >= 4 {
			needles = append(needles, n)
		}
	}
	var keep []string
	for i, p := range paras {
		if i == it.Paragraph {
			continue
		}
		np := norm(p)
		hit := false
		for _, x := range needles {
			if x != "" && strings.Contains(np, x) {
				hit = true
			}
		}
		if !hit {
			keep = append(keep, p)
		}
	}
	if len(keep) < 2 {
		return "", "", false
	}
	var b strings.Builder
	if len(head) > 0 {
		b.WriteString(strings.Join(head, "\n") + "\n")
	}
	b.WriteString(title + "\n\n" + strings.Join(keep, "\n\n") + "\n")
	return strings.TrimSuffix(it.Story, ".txt") + "--minus-" + it.ID + ".txt", b.String(), true
}

func splitStory(text string) (head []string, title string, paras []string) {
	lines := strings.Split(text, "\n")
	for k := 0; k < len(lines) && k < 12; k++ {
		if lines[k] == "---" {
			head, lines = lines[:k+1], lines[k+1:]
			break
		}
	}
	var blocks []string
	var cur []string
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			if len(cur) > 0 {
				blocks = append(blocks, strings.Join(cur, "\n"))
				cur = nil
			}
		} else {
			cur = append(cur, l)
		}
	}
	if len(cur) > 0 {
		blocks = append(blocks, strings.Join(cur, "\n"))
	}
	if len(blocks) == 0 {
		return head, "", nil
	}
	return head, blocks[0], blocks[1:]
}

var nonWord = regexp.MustCompile(`[^\p{L}\p{N}_]+`)

func norm(s string) string {
	return strings.TrimSpace(nonWord.ReplaceAllString(strings.ToLower(s), " "))
}

func firstRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}
