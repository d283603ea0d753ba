package text

import (
	"os"
	"strings"
	"testing"

	"github.com/storybot/storybot/corpus/devset"
)

func texts(toks []Token) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Text
	}
	return out
}

// The sentences are invented for these tests, in wire style.
func TestTokenize(t *testing.T) {
	cases := []struct{ in, want string }{
		{`Sen. Ana Ruiz (D-Ore.) said the U.S. wasn't ready.`, `Sen.|Ana|Ruiz|(|D-Ore.|)|said|the|U.S.|was|n't|ready|.`},
		{`“We won,” O’Neill said. Trump’s aides left.`, `“|We|won|,|”|O’Neill|said|.|Trump|’s|aides|left|.`},
		{`It cost $2,001 at 10:30 a.m. on 02/25/22 — 5% more.`, `It|cost|$|2,001|at|10:30|a.m.|on|02/25/22|—|5|%|more|.`},
		{`The full-scale invasion, AT&T said...`, `The|full-scale|invasion|,|AT&T|said|...`},
		{`Davis' commentary -- and ''more''`, `Davis|'|commentary|--|and|''|more|''`},
		{`J. Smith of Sacramento, Calif., spoke.`, `J.|Smith|of|Sacramento|,|Calif.|,|spoke|.`},
	}
	for _, c := range cases {
		toks := Tokenize(c.in)
		if got := strings.Join(texts(toks), "|"); got != c.want {
			t.Errorf("Tokenize(%q)\n got %s\nwant %s", c.in, got, c.want)
		}
		for _, tk := range toks {
			if c.in[tk.Start:tk.End] != tk.Text {
				t.Errorf("%q: offsets %d:%d do not give %q", c.in, tk.Start, tk.End, tk.Text)
			}
		}
	}
}

func TestSentences(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{`Gov. Lee Park spoke. “We will rebuild,” he said. Then he left!`,
			[]string{`Gov. Lee Park spoke.`, `“We will rebuild,” he said.`, `Then he left!`}},
		{`“The vote is over.” The mayor left at 5 p.m. on Friday.`,
			[]string{`“The vote is over.”`, `The mayor left at 5 p.m. on Friday.`}},
		{`Troops entered the U.S. The talks ended.`, []string{`Troops entered the U.S.`, `The talks ended.`}},
		{"First line\nSecond line", []string{"First line", "Second line"}},
		{`It rained. ''We stayed,'' said Mr. Berg.`, []string{`It rained.`, `''We stayed,'' said Mr. Berg.`}},
		{`"We won," Ruiz said. "The rest will follow.`, []string{`"We won," Ruiz said.`, `"The rest will follow.`}},
		{`He met Mr. Okafor in St. Louis on Jan. 5. It rained.`, []string{`He met Mr. Okafor in St. Louis on Jan. 5.`, `It rained.`}},
	}
	for _, c := range cases {
		var got []string
		for _, s := range Sentences(c.in) {
			got = append(got, c.in[s.Start:s.End])
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("Sentences(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

func TestAnalyze(t *testing.T) {
	d := Analyze(`Harbor Commission chairwoman Linda Okafor said on Monday that the port would expand. Several strategists disagreed.`)
	if len(d.Sentences) != 2 {
		t.Fatalf("sentences: %+v", d.Sentences)
	}
	pos := map[string]string{}
	for _, tk := range d.Tokens {
		pos[tk.Text] = tk.POS
	}
	for w, want := range map[string]string{"said": "VBD", "would": "MD", "port": "NN", "strategists": "NNS", "Okafor": "NNP", "the": "DT"} {
		if pos[w] != want {
			t.Errorf("POS(%s) = %s, want %s", w, pos[w], want)
		}
	}
	var ents []string
	for _, e := range d.Entities {
		ents = append(ents, e.Type+":"+d.Text[e.Start:e.End])
	}
	if !contains(ents, "PERSON:Okafor") && !contains(ents, "PERSON:Linda Okafor") || !contains(ents, "DATE:Monday") {
		t.Errorf("entities %q", ents)
	}
	var chunks []string
	for _, c := range d.Chunks {
		chunks = append(chunks, d.Text[c.Start:c.End])
	}
	for _, want := range []string{"the port", "Several strategists"} {
		if !contains(chunks, want) {
			t.Errorf("chunks %q lack %q", chunks, want)
		}
	}
}

func contains(a []string, s string) bool {
	for _, x := range a {
		if x == s {
			return true
		}
	}
	return false
}

func BenchmarkAnalyze(b *testing.B) {
	data, err := os.ReadFile("../seed/taliban-call-for-russia-ukraine-peace.txt")
	if err != nil {
		b.Skip(err)
	}
	paras := strings.Split(strings.TrimSpace(string(data)), "\n\n")[1:]
	n := 0
	for _, p := range paras {
		n += len(Tokenize(p))
	}
	b.ReportAllocs()
	cpu := devset.CPUTime()
	for b.Loop() {
		for _, p := range paras {
			Analyze(p)
		}
	}
	devset.ReportCPU(b, cpu, b.N*len(paras), "para")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(paras))/1000, "µs/para")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/token")
	devset.ReportCPU(b, cpu, b.N*n, "token")
}

// BenchmarkTagPOS measures the part-of-speech tagger alone, on the built-in
// story's sentences.
func BenchmarkTagPOS(b *testing.B) {
	data, err := os.ReadFile("../seed/taliban-call-for-russia-ukraine-peace.txt")
	if err != nil {
		b.Skip(err)
	}
	var docs []*Doc
	n := 0
	for _, p := range strings.Split(strings.TrimSpace(string(data)), "\n\n")[1:] {
		d := Scan(p)
		docs = append(docs, d)
		n += len(d.Tokens)
	}
	b.ReportAllocs()
	cpu := devset.CPUTime()
	for b.Loop() {
		for _, d := range docs {
			clear(d.tagged)
			for si := range d.Sentences {
				d.TagPOS(si)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/token")
	devset.ReportCPU(b, cpu, b.N*n, "token")
}
