package answer

import (
	porter "github.com/blevesearch/go-porterstemmer"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// People misspell the names they ask about ("Beriods"), write a number one
// way when the story writes it another ("two" and "2"), and shorten names
// to their initials ("the AAA"). Stemming alone sees none of these as the
// same word, so a question could be refused although the story answers it.

// similarStems reports whether two stems are the same word written
// differently: a derived form of a name ("ukrain", "ukrainian"), a slip of
// one letter in a word of five or more, or of two in a long word, or the
// same number.
func similarStems(a, b string) bool {
	if a == b {
		return true
	}
	if a == "" || b == "" {
		return false
	}
	if na, ok := numberKey(a); ok {
		nb, ok := numberKey(b)
		return ok && na == nb
	}
	return similarWords(a, b)
}

// similarWords is similarStems for words that are not numbers. A slip of
// the first letter is rare, and checking it first keeps this cheap.
func similarWords(a, b string) bool {
	if a[0] != b[0] {
		return false
	}
	if sameName(a, b) {
		return true
	}
	la, lb := len(a), len(b)
	if min(la, lb) < 5 || la-lb > 2 || lb-la > 2 {
		return false
	}
	limit := 1
	if min(la, lb) >= 8 {
		limit = 2
	}
	return editDistance(a, b, limit) <= limit
}

// editDistance is the optimal-string-alignment distance of a and b (an
// adjacent swap counts once), or limit+1 once it must exceed limit.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// spelledNumbers are the number words a question or a story may use for digits.
var spelledNumbers = map[string]int{"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
	"six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
	"fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
	"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
	"ninety": 90, "hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000,
	"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
	"ninth": 9, "tenth": 10, "dozen": 12}

// numberKey gives a word's number as digits, for words written either way:
// "two", "2", "2nd", "second" and "1,000" all have one. Words may come
// stemmed ("twenti" for "twenty").
func numberKey(w string) (string, bool) {
	w = strings.ToLower(w)
	if n, ok := spelledStems[w]; ok {
		return strconv.Itoa(n), true
	}
	d := strings.ReplaceAll(strings.TrimRight(w, "stndrh"), ",", "")
	if d == "" || strings.Trim(d, "0123456789") != "" {
		return "", false
	}
	if d = strings.TrimLeft(d, "0"); d == "" {
		d = "0"
	}
	return d, true
}

// spelledStems holds each spelled number as written and as stemmed.
var spelledStems = func() map[string]int {
	m := map[string]int{}
	for w, n := range spelledNumbers {
		m[w] = n
		m[porter.StemString(w)] = n
	}
	return m
}()

// acronymOf reports whether word, written in capitals ("AAA", "NATO"),
// spells the initials of a run of capitalised words of toks, skipping the
// small words inside names ("North Atlantic Treaty Organization").
func acronymOf(word string, toks []token) bool {
	n := utf8.RuneCountInString(word)
	if n < 2 || n > 6 || strings.ToUpper(word) != word || strings.IndexFunc(word, unicode.IsDigit) >= 0 {
		return false
	}
	letters := []rune(strings.ToLower(word))
	for s := range toks {
		k, i := 0, s
		for i < len(toks) && k < len(letters) {
			w := toks[i].Word
			r, _ := utf8.DecodeRuneInString(w)
			if unicode.IsUpper(r) && unicode.ToLower(r) == letters[k] {
				k++
				i++
				continue
			}
			if k > 0 && nameJoiners[strings.ToLower(w)] {
				i++
				continue
			}
			break
		}
		if k == len(letters) {
			return true
		}
	}
	return false
}

// nameJoiners stand inside a name without giving it a letter.
var nameJoiners = map[string]bool{"of": true, "the": true, "and": true, "for": true, "de": true, "&": true}

// termIn reports whether the question word t is in toks, allowing for the
// differences above.
func termIn(t token, toks []token) bool {
	if t.Stem == "" {
		return false
	}
	if n, ok := numberKey(t.Stem); ok {
		for _, p := range toks {
			if m, ok := numberKey(p.Stem); ok && m == n {
				return true
			}
		}
		return false
	}
	for _, p := range toks {
		if p.Stem == t.Stem || p.Stem != "" && similarWords(t.Stem, p.Stem) {
			return true
		}
	}
	return acronymOf(t.Word, toks)
}
