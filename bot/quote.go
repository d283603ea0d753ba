package bot

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storybot/storybot/index/answer"
)

// quoteMarked renders a passage as a Discord block quote with the matched
// words in bold, within max characters. A passage that does not fit is cut
// in the raw text, at the last sentence end that fits (or, when even the
// first sentence is too long, the last word end), and only then escaped
// and marked up, so a cut can never split a word, an escape or a pair of
// asterisks.
func quoteMarked(text string, matches []answer.Span, max int) string {
	if s := renderQuote(text, matches, false); dlen(s) <= max {
		return s
	}
	for _, cuts := range [][]int{sentenceEnds(text), wordEnds(text)} {
		// Rendered length grows with the cut, so search for the longest fit.
		i := sort.Search(len(cuts), func(i int) bool {
			return dlen(renderQuote(text[:cuts[i]], matches, true)) > max
		})
		if i > 0 {
			return renderQuote(text[:cuts[i-1]], matches, true)
		}
	}
	return "> …"
}

func renderQuote(text string, matches []answer.Span, cut bool) string {
	var b strings.Builder
	b.WriteString("> ")
	pos := 0
	write := func(s string) {
		b.WriteString(strings.ReplaceAll(Escape(s), "\n", "\n> "))
	}
	for _, m := range sortedSpans(matches) {
		if m.Start < pos || m.End > len(text) || m.Start >= m.End {
			continue
		}
		word := text[m.Start:m.End]
		if strings.ContainsAny(word, "\n*") {
			continue
		}
		write(text[pos:m.Start])
		b.WriteString("**")
		write(word)
		b.WriteString("**")
		pos = m.End
	}
	write(text[pos:])
	s := b.String()
	if cut {
		s = trimRightSpace(s) + " …"
	}
	return s
}

func sortedSpans(ms []answer.Span) []answer.Span {
	out := append([]answer.Span(nil), ms...)
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// sentenceEnds lists the byte offsets just after each sentence-ending mark
// (with any closing quotes or brackets), in increasing order.
func sentenceEnds(text string) []int {
	var out []int
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		i += n
		if r != '.' && r != '!' && r != '?' && r != '…' {
			continue
		}
		j := i
		for j < len(text) {
			c, m := utf8.DecodeRuneInString(text[j:])
			if !strings.ContainsRune(`"'”’)]»`, c) {
				break
			}
			j += m
		}
		if j == len(text) {
			continue // the end of the text is not a cut
		}
		if c, _ := utf8.DecodeRuneInString(text[j:]); unicode.IsSpace(c) {
			out = append(out, j)
		}
	}
	return out
}

// wordEnds lists the byte offsets where a word ends and a space follows.
func wordEnds(text string) []int {
	var out []int
	prevSpace := true
	for i, r := range text {
		sp := unicode.IsSpace(r)
		if sp && !prevSpace {
			out = append(out, i)
		}
		prevSpace = sp
	}
	return out
}
