// Package perceptron holds StoryBot's averaged perceptrons: the trainer,
// the compact model that tagging reads, and the file that carries one from
// the other. The features are the caller's, hashed to uint32; so are the
// decoding loops (greedy, left to right or outwards from a cue), which
// differ between the text layer's taggers and the attribution finder.
//
// A trained model keeps, for each feature, only the classes it votes for,
// as 16-bit weights, and drops weights under a share of the largest: a few
// hundred kilobytes to a megabyte per model, read once at start.
package perceptron

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"slices"
)

// MaxClasses bounds the labels of one model (Penn Treebank has 45).
const MaxClasses = 64

// Scores holds one score per class while a decision is made.
type Scores [MaxClasses]int32

// Model is one perceptron's pruned, quantised weights. Each feature has a
// short list of (class, weight) entries; classes it never voted for are
// left out.
//
// The weights live in an open-addressing hash table whose slots are four
// words: the feature's hash; its entry count (top byte) and an offset;
// and up to two entries inline. Most features have one or two entries, so
// scoring one costs a single cache line. A feature with many entries (the
// frequent words, suffixes and shapes, which every sentence reads) keeps
// a dense row of one weight per class at the offset in dense instead: a
// run of plain additions is several times cheaper than as many scattered
// ones, and tagging time is mostly these additions.
type Model struct {
	// Classes are the labels, in the order of their scores.
	Classes []string
	table   []uint32
	mask    uint32
	shift   uint
	more    []uint32
	dense   []int16
	// Dict gives the label of words that always take the same one, for
	// a tagger that skips scoring them; nil if it has none.
	Dict map[string]uint8
}

// denseFrom is the entry count from which a feature keeps a dense row.
const denseFrom = 8

// denseRow marks a slot whose offset is a dense row.
const denseRow = 0xff

// packEntry packs a class and a weight into one word.
func packEntry(class uint8, w int16) uint32 { return uint32(class)<<16 | uint32(uint16(w)) }

// Add adds the weights of feature f to scores.
func (m *Model) Add(f uint32, scores *Scores) {
	if f == 0 {
		f = 1
	}
	t := m.table
	for k := (f * 0x9e3779b1) >> m.shift; ; k = (k + 1) & m.mask {
		s := t[4*k : 4*k+4 : 4*k+4]
		if s[0] == 0 {
			return
		}
		if s[0] != f {
			continue
		}
		n, off := s[1]>>24, s[1]&0xffffff
		if n == denseRow {
			row := m.dense[off : off+uint32(len(m.Classes))]
			sc := scores[:len(row)]
			for c, w := range row {
				sc[c] += int32(w)
			}
			return
		}
		scores[(s[2]>>16)&(MaxClasses-1)] += int32(int16(s[2]))
		if n > 1 {
			scores[(s[3]>>16)&(MaxClasses-1)] += int32(int16(s[3]))
		}
		if n > 2 {
			for _, e := range m.more[off : off+n-2] {
				scores[(e>>16)&(MaxClasses-1)] += int32(int16(e))
			}
		}
		return
	}
}

// newModel sizes an empty table for nf features.
func newModel(classes []string, nf int) *Model {
	size := 1
	for size < nf+nf/3+1 {
		size *= 2
	}
	return &Model{Classes: classes, table: make([]uint32, 4*size), mask: uint32(size - 1),
		shift: uint(32 - bits.TrailingZeros(uint(size)))}
}

// insert stores feature f with its entries.
func (m *Model) insert(f uint32, es []uint32) error {
	if f == 0 {
		f = 1
	}
	if len(es) == 0 || len(es) >= denseRow || len(m.more) > 0xffffff {
		return errors.New("bad feature")
	}
	k := (f * 0x9e3779b1) >> m.shift
	for m.table[4*k] != 0 {
		if m.table[4*k] == f {
			return errors.New("duplicate feature")
		}
		k = (k + 1) & m.mask
	}
	s := m.table[4*k : 4*k+4]
	s[0] = f
	if len(es) >= denseFrom && len(m.Classes) < 2*len(es)+denseFrom {
		if len(m.dense) > 0xffffff {
			return errors.New("too many dense rows")
		}
		s[1] = denseRow<<24 | uint32(len(m.dense))
		row := make([]int16, len(m.Classes))
		for _, e := range es {
			row[(e>>16)&(MaxClasses-1)] = int16(e)
		}
		m.dense = append(m.dense, row...)
		return nil
	}
	s[1], s[2] = uint32(len(es))<<24|uint32(len(m.more)), es[0]
	if len(es) > 1 {
		s[3] = es[1]
	}
	if len(es) > 2 {
		m.more = append(m.more, es[2:]...)
	}
	return nil
}

// Score sets scores to the sum of the weights of feats.
func (m *Model) Score(feats []uint32, scores *Scores) {
	clear(scores[:len(m.Classes)])
	for _, f := range feats {
		m.Add(f, scores)
	}
}

// Best returns the class with the highest score for feats (the first of
// equal ones) and its margin over the runner-up.
func (m *Model) Best(feats []uint32) (class int, margin int32) {
	var s Scores
	m.Score(feats, &s)
	return Argmax(s[:len(m.Classes)])
}

// Argmax returns the index of the highest score (the first of equal ones)
// and its margin over the runner-up; the margin is 0 for one score.
func Argmax(s []int32) (best int, margin int32) {
	for c := 1; c < len(s); c++ {
		if s[c] > s[best] {
			best = c
		}
	}
	second := int32(0)
	have := false
	for c, v := range s {
		if c != best && (!have || v > second) {
			second, have = v, true
		}
	}
	if have {
		margin = s[best] - second
	}
	return best, margin
}

const modelMagic = "SBPERC1\n"

// entry is one (class, weight) pair as the model file stores it.
type entry struct {
	class uint8
	w     int16
}

// write stores the averaged weights w (feature -> one weight per class),
// dropping weights whose magnitude is under prune times the largest, and
// quantising the rest to 16 bits; then the tag dictionary, if there is one.
func write(out io.Writer, classes []string, w map[uint32][]float32, dict map[string]uint8, prune float64) (features, weights int, err error) {
	maxAbs := float32(0)
	for _, row := range w {
		for _, v := range row {
			maxAbs = max(maxAbs, v, -v)
		}
	}
	if maxAbs == 0 {
		maxAbs = 1
	}
	scale := 32767 / maxAbs
	cut := float32(prune) * maxAbs
	keys := make([]uint32, 0, len(w))
	for k := range w {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	gz, _ := gzip.NewWriterLevel(out, gzip.BestCompression)
	bw := bufio.NewWriter(gz)
	bw.WriteString(modelMagic)
	binary.Write(bw, binary.LittleEndian, uint16(len(classes)))
	for _, c := range classes {
		bw.WriteByte(byte(len(c)))
		bw.WriteString(c)
	}
	var body bytes.Buffer
	for _, k := range keys {
		var es []entry
		for c, v := range w[k] {
			if v >= cut || v <= -cut {
				if q := int16(v * scale); q != 0 {
					es = append(es, entry{uint8(c), q})
				}
			}
		}
		if len(es) == 0 {
			continue
		}
		features++
		weights += len(es)
		binary.Write(&body, binary.LittleEndian, k)
		body.WriteByte(byte(len(es)))
		for _, e := range es {
			body.WriteByte(e.class)
			binary.Write(&body, binary.LittleEndian, e.w)
		}
	}
	binary.Write(bw, binary.LittleEndian, uint32(features))
	bw.Write(body.Bytes())
	if len(dict) > 0 {
		words := make([]string, 0, len(dict))
		for w := range dict {
			if len(w) < 256 {
				words = append(words, w)
			}
		}
		slices.Sort(words)
		binary.Write(bw, binary.LittleEndian, uint32(len(words)))
		for _, w := range words {
			bw.WriteByte(byte(len(w)))
			bw.WriteString(w)
			bw.WriteByte(dict[w])
		}
	}
	if err := bw.Flush(); err != nil {
		return 0, 0, err
	}
	return features, weights, gz.Close()
}

// Read reads a model that a Trainer wrote.
func Read(r io.Reader) (*Model, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(gz)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(data, []byte(modelMagic)) {
		return nil, errors.New("not a model file")
	}
	data = data[len(modelMagic):]
	short := errors.New("model file is cut short")
	if len(data) < 2 {
		return nil, short
	}
	nc := int(binary.LittleEndian.Uint16(data))
	data = data[2:]
	if nc == 0 || nc > MaxClasses {
		return nil, fmt.Errorf("%d classes", nc)
	}
	var classes []string
	for range nc {
		if len(data) < 1 || len(data) < 1+int(data[0]) {
			return nil, short
		}
		classes = append(classes, string(data[1:1+data[0]]))
		data = data[1+data[0]:]
	}
	if len(data) < 4 {
		return nil, short
	}
	nf := int(binary.LittleEndian.Uint32(data))
	data = data[4:]
	if nf > len(data)/8 {
		return nil, short
	}
	m := newModel(classes, nf)
	var es []uint32
	for range nf {
		if len(data) < 5 {
			return nil, short
		}
		k, n := binary.LittleEndian.Uint32(data), int(data[4])
		data = data[5:]
		if len(data) < 3*n {
			return nil, short
		}
		es = es[:0]
		for e := range n {
			b := data[3*e : 3*e+3]
			if int(b[0]) >= nc {
				return nil, errors.New("class out of range")
			}
			es = append(es, packEntry(b[0], int16(binary.LittleEndian.Uint16(b[1:]))))
		}
		data = data[3*n:]
		if err := m.insert(k, es); err != nil {
			return nil, err
		}
	}
	if len(data) == 0 {
		return m, nil
	}
	// The tag dictionary.
	if len(data) < 4 {
		return nil, short
	}
	nw := int(binary.LittleEndian.Uint32(data))
	data = data[4:]
	if nw > len(data)/3 {
		return nil, short
	}
	m.Dict = make(map[string]uint8, nw)
	for range nw {
		if len(data) < 1 || len(data) < int(data[0])+2 {
			return nil, short
		}
		n := int(data[0])
		w, c := string(data[1:1+n]), data[1+n]
		if int(c) >= nc {
			return nil, errors.New("class out of range")
		}
		m.Dict[w] = c
		data = data[n+2:]
	}
	if len(data) != 0 {
		return nil, errors.New("trailing bytes in model file")
	}
	return m, nil
}

// ReadBytes is Read of an embedded model file; name labels its errors.
func ReadBytes(name string, data []byte) (*Model, error) {
	m, err := Read(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", name, err)
	}
	return m, nil
}
