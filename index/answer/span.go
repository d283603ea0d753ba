package answer

import (
	"regexp"
	"strings"
	"unicode"
)

// askAnswer picks a short answer from the best passage: the phrase that
// answers the question, not the whole paragraph. The sentence that shares
// most of the question's words holds it; inside that sentence, the answer
// is a run of words the question does not have, next to words it does, and
// of the type the question asks for (a number for "how many", a date for
// "when", a name for "who").
func askAnswer(a *Answer, q question, qw map[string]float64, c *candidate) {
	sp, ok := bestSpan(q, qw, c)
	if !ok {
		return
	}
	a.Answer = c.hit.Text[sp.Start:sp.End]
	a.Span = &sp
}

func bestSpan(q question, qw map[string]float64, c *candidate) (Span, bool) {
	text := c.hit.Text
	sents := sentences(text)
	var bestSent Span
	bestCov := -1.0
	for _, s := range sents {
		cov, _ := coverage(qw, tokensIn(c.toks, s))
		if cov > bestCov {
			bestSent, bestCov = s, cov
		}
	}
	toks := tokensIn(c.toks, bestSent)
	if len(toks) == 0 {
		return Span{}, false
	}
	var best Span
	bestScore := -1e9
	for _, r := range runs(text, toks, qw) {
		s := scoreRun(q.WH, text, r, toks, qw)
		if s > bestScore {
			best, bestScore = Span{toks[r.from].Start, toks[r.to-1].End}, s
		}
	}
	return best, bestScore > -1e9
}

func tokensIn(toks []token, s Span) []token {
	var out []token
	for _, t := range toks {
		if t.Start >= s.Start && t.End <= s.End {
			out = append(out, t)
		}
	}
	return out
}

// run is a stretch of tokens [from, to) holding no question word and no
// clause punctuation.
type run struct{ from, to int }

func runs(text string, toks []token, qw map[string]float64) []run {
	var out []run
	from := -1
	end := func(i int) {
		if from < 0 {
			return
		}
		// Trim stop words at the edges: "of neutrality" answers as "neutrality".
		f, t := from, i
		for f < t && toks[f].Stem == "" && !isNumberWord(toks[f].Word) {
			f++
		}
		for t > f && toks[t-1].Stem == "" && !isNumberWord(toks[t-1].Word) {
			t--
		}
		if f < t {
			out = append(out, run{f, t})
		}
		from = -1
	}
	for i, t := range toks {
		_, inQ := qw[t.Stem]
		if inQ && t.Stem != "" {
			end(i)
			continue
		}
		if from >= 0 && breaks(text[toks[i-1].End:t.Start]) {
			end(i)
		}
		if from < 0 {
			from = i
		}
	}
	end(len(toks))
	return out
}

// breaks reports whether the text between two words ends a phrase.
func breaks(between string) bool {
	return strings.ContainsAny(between, ",;:()—–\"“”?!") || strings.Contains(between, ". ")
}

var numberLike = regexp.MustCompile(`^(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozen|half)$`)

func isNumberWord(w string) bool { return numberLike.MatchString(strings.ToLower(w)) }

var yearLike = regexp.MustCompile(`^(1[0-9]|20)\d\d$|^\d{3,4}s$`)

var monthNames = regexp.MustCompile(`(?i)^(january|february|march|april|may|june|july|august|september|october|november|december|spring|summer|autumn|fall|winter|century)$`)

func scoreRun(wh, text string, r run, toks []token, qw map[string]float64) float64 {
	n := r.to - r.from
	s := 0.0
	// Answers sit next to the words the question repeats.
	near := false
	if r.from > 0 {
		if _, ok := qw[toks[r.from-1].Stem]; ok {
			near = true
		}
	}
	if r.to < len(toks) {
		if _, ok := qw[toks[r.to].Stem]; ok {
			near = true
		}
	}
	if near {
		s += 1
	}
	// Short answers are the norm; long runs are rarely all answer.
	switch {
	case n <= 3:
		s += 0.5
	case n <= 6:
		s += 0.2
	default:
		s -= 0.1 * float64(n-6)
	}
	var nums, caps, dates int
	for _, t := range toks[r.from:r.to] {
		w := t.Word
		if isNumberWord(w) {
			nums++
		}
		if yearLike.MatchString(w) || monthNames.MatchString(w) {
			dates++
		}
		if unicode.IsUpper([]rune(w)[0]) {
			caps++
		}
	}
	switch wh {
	case "howmany", "howmuch", "howlong":
		if nums > 0 {
			s += 2
		} else {
			s -= 1
		}
	case "when":
		if dates > 0 {
			s += 2
		} else {
			s -= 1
		}
	case "who", "whom", "whose":
		if caps > 0 {
			s += 1.5
		}
	case "where":
		if caps > 0 {
			s += 1.5
		}
	}
	return s
}
