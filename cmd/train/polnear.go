package main

import (
	"bufio"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/storybot/storybot/corpus/text"
)

// article is one PolNeAR article with its CoreNLP sentences.
type article struct {
	name  string
	text  string
	sents []sentence
}

// sentence is one CoreNLP sentence: tokens with byte offsets into the
// article text, and their gold (silver) annotations.
type sentence struct {
	toks   []text.Token
	pos    []string
	ner    []string
	head   []int // 0-based head token, -1 for the root
	deprel []string
}

func readPolNeAR(dir string) ([]article, error) {
	names, err := filepath.Glob(filepath.Join(dir, "conll", "*.conll"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []article
	for _, n := range names {
		base := strings.TrimSuffix(filepath.Base(n), ".conll")
		raw, err := os.ReadFile(filepath.Join(dir, "text", base+".txt"))
		if err != nil {
			return nil, err
		}
		a := article{name: base, text: string(raw)}
		if a.sents, err = readConll(n, a.text); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// readConll reads "ID FORM LEMMA POS NER HEAD DEPREL START END" lines.
// START and END count characters; they become byte offsets here.
func readConll(path, txt string) ([]sentence, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Character offset -> byte offset.
	byteAt := make([]int, 0, len(txt)+1)
	for i := range txt {
		byteAt = append(byteAt, i)
	}
	byteAt = append(byteAt, len(txt))
	var out []sentence
	var cur sentence
	flush := func() {
		if len(cur.toks) > 0 {
			out = append(out, cur)
		}
		cur = sentence{}
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		if len(p) < 9 {
			flush()
			continue
		}
		s, _ := strconv.Atoi(p[7])
		e, _ := strconv.Atoi(p[8])
		h, _ := strconv.Atoi(p[5])
		if s < 0 || e >= len(byteAt) || s >= e {
			continue
		}
		bs, be := byteAt[s], byteAt[e]
		cur.toks = append(cur.toks, text.Token{Text: txt[bs:be], Start: bs, End: be, POS: p[3]})
		cur.pos = append(cur.pos, p[3])
		cur.ner = append(cur.ner, p[4])
		cur.head = append(cur.head, h-1)
		cur.deprel = append(cur.deprel, p[6])
	}
	flush()
	return out, sc.Err()
}

// labeled turns articles into one task's training sentences.
func labeled(arts []article, task text.Task) []text.Labeled {
	var out []text.Labeled
	for _, a := range arts {
		for _, s := range a.sents {
			var labels []string
			switch task {
			case "pos":
				labels = s.pos
			case "ner":
				labels = s.ner
			case "chunk":
				labels = s.chunks()
			}
			out = append(out, text.Labeled{Tokens: s.toks, Labels: labels})
		}
	}
	return out
}

// premodifier relations attach a word to the noun phrase of its head.
var premodifier = map[string]bool{"det": true, "amod": true, "compound": true, "nummod": true, "nmod:poss": true,
	"det:predet": true, "advmod": true, "neg": true, "cc:preconj": true}

// chunks derives base noun phrases from the dependency parse, as B/I/O
// labels: a noun or pronoun with the contiguous run of its premodifiers
// (and theirs) before it. "the Ukrainian Ministry of Defense" gives "the
// Ukrainian Ministry" and "Defense"; "Trump 's campaign" is one chunk.
func (s sentence) chunks() []string {
	n := len(s.toks)
	labels := make([]string, n)
	for i := range labels {
		labels[i] = "O"
	}
	// premod reports whether k hangs from a word in [from, to] through
	// premodifier relations, each pointing rightwards.
	premod := func(k, from, to int) bool {
		for steps := 0; steps < 8; steps++ {
			if !premodifier[s.deprel[k]] {
				return false
			}
			h := s.head[k]
			if h >= from && h <= to {
				return true
			}
			if h < k || h > to {
				return false
			}
			k = h
		}
		return false
	}
	for h := n - 1; h >= 0; h-- {
		if labels[h] != "O" || !nounish(s.pos[h]) {
			continue
		}
		from := h
		for from > 0 && labels[from-1] == "O" && (s.pos[from-1] == "POS" || premod(from-1, from, h)) {
			from--
		}
		for from < h && s.pos[from] == "POS" {
			from++
		}
		labels[from] = "B"
		for k := from + 1; k <= h; k++ {
			labels[k] = "I"
		}
	}
	return labels
}

func nounish(pos string) bool {
	return strings.HasPrefix(pos, "NN") || pos == "PRP" || pos == "EX" || pos == "WP"
}
