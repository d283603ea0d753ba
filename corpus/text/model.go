package text

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"slices"
	"sync"
)

// The weights, written by `go run ./cmd/train` (see cmd/train).
//
//go:embed models/*.bin.gz
var modelFiles embed.FS

// model is one perceptron's pruned, quantised weights. Each feature has a
// short list of (class, weight) entries; classes it never voted for are left out.
type model struct {
	classes []string
	// slots is an open-addressing table: feature hash << 32 | offset << 8 | count.
	slots   []uint64
	shift   uint
	entries []entry
}

// lookup returns the entries of feature f.
func (m *model) lookup(f uint32) []entry {
	if f == 0 {
		f = 1
	}
	mask := len(m.slots) - 1
	for k := int((f * 0x9e3779b1) >> m.shift); ; k = (k + 1) & mask {
		s := m.slots[k]
		if s == 0 {
			return nil
		}
		if uint32(s>>32) == f {
			v := uint32(s)
			return m.entries[v>>8 : v>>8+v&0xff]
		}
	}
}

func (m *model) insert(f, v uint32) {
	if f == 0 {
		f = 1
	}
	mask := len(m.slots) - 1
	k := int((f * 0x9e3779b1) >> m.shift)
	for m.slots[k] != 0 {
		k = (k + 1) & mask
	}
	m.slots[k] = uint64(f)<<32 | uint64(v)
}

type entry struct {
	class uint8
	w     int16
}

// Analyzer tags text with one set of models. Package-level Analyze uses
// the embedded ones; cmd/train builds others to measure them.
type Analyzer struct {
	pos, ner, chunk *model
}

// NewAnalyzer reads the three model files that cmd/train writes.
func NewAnalyzer(pos, ner, chunk []byte) (*Analyzer, error) {
	a := &Analyzer{}
	for _, m := range []struct {
		name string
		data []byte
		dst  **model
	}{{"pos", pos, &a.pos}, {"ner", ner, &a.ner}, {"chunk", chunk, &a.chunk}} {
		var err error
		if *m.dst, err = readModel(bytes.NewReader(m.data)); err != nil {
			return nil, fmt.Errorf("text: model %s: %w", m.name, err)
		}
	}
	return a, nil
}

var (
	embedded     *Analyzer
	embeddedOnce sync.Once
)

func defaultAnalyzer() *Analyzer {
	embeddedOnce.Do(func() {
		read := func(name string) []byte {
			b, err := modelFiles.ReadFile("models/" + name + ".bin.gz")
			if err != nil {
				panic(err)
			}
			return b
		}
		a, err := NewAnalyzer(read("pos"), read("ner"), read("chunk"))
		if err != nil {
			// The models are compiled in; a broken one is a build error.
			panic(err)
		}
		embedded = a
	})
	return embedded
}

// tag labels every word of the sentence in ctx, left to right.
func (m *model) tag(ctx *tagContext, fx featureFunc) {
	var scoreBuf [64]int32
	scores := scoreBuf[:len(m.classes)]
	for i := 0; i < ctx.n; i++ {
		ctx.feats = ctx.feats[:0]
		fx(ctx, i)
		clear(scores)
		for _, f := range ctx.feats {
			for _, e := range m.lookup(f) {
				scores[e.class] += int32(e.w)
			}
		}
		best := 0
		for c := 1; c < len(scores); c++ {
			if scores[c] > scores[best] {
				best = c
			}
		}
		ctx.labels[i] = uint8(best)
	}
}

const modelMagic = "SBPERC1\n"

// writeModel stores the averaged weights w (feature -> one weight per
// class), dropping weights whose magnitude is under prune times the
// largest, and quantising the rest to 16 bits.
func writeModel(out io.Writer, classes []string, w map[uint32][]float32, prune float64) (features, weights int, err error) {
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
	if err := bw.Flush(); err != nil {
		return 0, 0, err
	}
	return features, weights, gz.Close()
}

func readModel(r io.Reader) (*model, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReader(gz)
	magic := make([]byte, len(modelMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != modelMagic {
		return nil, errors.New("not a model file")
	}
	var nc uint16
	if err := binary.Read(br, binary.LittleEndian, &nc); err != nil {
		return nil, err
	}
	if nc == 0 || nc > 64 {
		return nil, fmt.Errorf("%d classes", nc)
	}
	m := &model{}
	for range nc {
		n, err := br.ReadByte()
		if err != nil {
			return nil, err
		}
		b := make([]byte, n)
		if _, err := io.ReadFull(br, b); err != nil {
			return nil, err
		}
		m.classes = append(m.classes, string(b))
	}
	var nf uint32
	if err := binary.Read(br, binary.LittleEndian, &nf); err != nil {
		return nil, err
	}
	size := 1
	for size < 2*int(nf)+1 {
		size *= 2
	}
	m.slots = make([]uint64, size)
	m.shift = uint(32 - bits.TrailingZeros(uint(size)))
	m.entries = make([]entry, 0, nf*3)
	var hdr [5]byte
	var eb [3]byte
	for range nf {
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			return nil, err
		}
		k := binary.LittleEndian.Uint32(hdr[:4])
		n := int(hdr[4])
		m.insert(k, uint32(len(m.entries))<<8|uint32(n))
		for range n {
			if _, err := io.ReadFull(br, eb[:]); err != nil {
				return nil, err
			}
			if int(eb[0]) >= len(m.classes) {
				return nil, errors.New("class out of range")
			}
			m.entries = append(m.entries, entry{eb[0], int16(binary.LittleEndian.Uint16(eb[1:]))})
		}
	}
	return m, nil
}
