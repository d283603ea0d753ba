package answer

import "strings"

// sentences splits a passage into sentence spans. Abbreviations common in
// news ("U.S.", "Mr.", "Feb.") do not end a sentence.
func sentences(text string) []Span {
	var out []Span
	start := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c != '.' && c != '?' && c != '!' && c != '\n' {
			continue
		}
		end := i + 1
		for end < len(text) && strings.IndexByte(`"'”’)`, text[end]) >= 0 {
			end++
		}
		// Curly closing quotes are three bytes long.
		for strings.HasPrefix(text[end:], "”") || strings.HasPrefix(text[end:], "’") {
			end += len("”")
		}
		if c != '\n' && (end < len(text) && text[end] != ' ' && text[end] != '\n') {
			continue
		}
		if c == '.' && isAbbreviation(text[start:i]) {
			continue
		}
		if s := strings.TrimSpace(text[start:end]); s != "" {
			off := start + strings.Index(text[start:end], s)
			out = append(out, Span{off, off + len(s)})
		}
		start = end
		i = end - 1
	}
	if s := strings.TrimSpace(text[start:]); s != "" {
		off := start + strings.Index(text[start:], s)
		out = append(out, Span{off, off + len(s)})
	}
	return out
}

var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "sen": true, "rep": true, "gov": true, "gen": true,
	"col": true, "lt": true, "sgt": true, "st": true, "jr": true, "sr": true, "prof": true, "rev": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true,
	"sep": true, "sept": true, "oct": true, "nov": true, "dec": true, "no": true, "vs": true,
	"inc": true, "corp": true, "co": true, "ltd": true, "u.s": true, "u.n": true, "u.k": true, "d.c": true,
	"a.m": true, "p.m": true, "e.g": true, "i.e": true, "etc": false,
}

// isAbbreviation reports whether the text before a full stop ends with an
// abbreviation or a single initial, such as the "J" of "J. Smith".
func isAbbreviation(before string) bool {
	i := strings.LastIndexAny(before, " \n(\"“")
	w := strings.ToLower(before[i+1:])
	if len(w) == 1 && w[0] >= 'a' && w[0] <= 'z' {
		return true
	}
	return abbreviations[w]
}

// sentenceAt returns the sentence holding byte offset off.
func sentenceAt(sents []Span, off int) Span {
	for _, s := range sents {
		if off >= s.Start && off < s.End {
			return s
		}
	}
	if len(sents) > 0 {
		return sents[len(sents)-1]
	}
	return Span{}
}
