package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// abbreviations end with a period that does not end a sentence: titles,
// months, US state abbreviations of the AP style, and company suffixes.
// Keeping the period on the word also keeps "Sen." or "Gov." readable as a
// title. This is the one list; every splitter in the project uses it.
var abbreviations = WordSet("mr mrs ms dr messrs gov govs sen sens rep reps del lt gen gens col capt cmdr cpl sgt maj adm pvt " +
	"prof pres rev hon st ste mt ft jr sr sec atty supt insp amb " +
	"jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun " +
	"ala ariz ark calif colo conn fla ga ill ind kan kans ky la md mass mich minn miss mo mont neb nev okla ore pa tenn tex " +
	"va vt wash wis wyo " +
	"inc corp co ltd llc bros assn dept univ est approx no nos vs vol op ed etc")

// IsAbbreviation reports whether w, with or without its final period, is
// a word whose period does not end a sentence: a listed abbreviation
// ("Sen.", "Calif."), an initial ("J."), an acronym written with periods
// ("U.S.", "a.m."), or a party-and-state tag ("R-Ky.").
func IsAbbreviation(w string) bool {
	w = strings.TrimSuffix(w, ".")
	if w == "" {
		return false
	}
	if strings.Contains(w, ".") {
		return true // "U.S", "a.m"
	}
	if utf8.RuneCountInString(w) == 1 {
		r, _ := utf8.DecodeRuneInString(w)
		return unicode.IsLetter(r)
	}
	return abbreviations[strings.ToLower(w)] || isAffiliation(w)
}

// isAffiliation reports whether w is a party-and-state tag such as "R-Ky"
// or "D-N.Y".
func isAffiliation(w string) bool {
	return len(w) >= 3 && (w[0] == 'R' || w[0] == 'D' || w[0] == 'I') && w[1] == '-'
}

// Lower is strings.ToLower, named once for the word lists.
func Lower(s string) string { return strings.ToLower(s) }

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// Tokenize splits s into tokens. It never allocates strings: token texts
// are slices of s.
func Tokenize(s string) []Token {
	toks := make([]Token, 0, len(s)/5+4)
	add := func(i, j int) { toks = append(toks, Token{Text: s[i:j], Start: i, End: j}) }
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += n
		case r == '\'' && strings.HasPrefix(s[i:], "''"), r == '`' && strings.HasPrefix(s[i:], "``"):
			add(i, i+2)
			i += 2
		case r == '.' || r == '!' || r == '?':
			j := i + 1
			for j < len(s) && (s[j] == '.' || s[j] == '!' || s[j] == '?') {
				j++
			}
			add(i, j)
			i = j
		case r == '-' && strings.HasPrefix(s[i:], "--"):
			j := i + 2
			for j < len(s) && s[j] == '-' {
				j++
			}
			add(i, j)
			i = j
		case isWordRune(r):
			j := scanWord(s, i)
			// Split clitics off the word: "don't" -> "do" "n't", "Trump’s" -> "Trump" "’s".
			if k := clitics(s, i, j); k > i {
				add(i, k)
				add(k, j)
			} else {
				add(i, j)
			}
			i = j
		default:
			add(i, i+n)
			i += n
		}
	}
	return toks
}

// scanWord reads a word from i. Internal apostrophes, hyphens, slashes,
// ampersands and periods stay inside ("O’Neill", "R-Ky.", "9/11", "U.S.",
// "AT&T"), so do separators between digits ("2,001", "10:30"), and a
// trailing period stays on abbreviations and initials.
func scanWord(s string, i int) int {
	j := i
	for j < len(s) {
		r, n := utf8.DecodeRuneInString(s[j:])
		if isWordRune(r) {
			j += n
			continue
		}
		if j+n < len(s) {
			r2, _ := utf8.DecodeRuneInString(s[j+n:])
			switch r {
			case '\'', '’', '-', '/', '&', '.':
				if isWordRune(r2) && !(r == '\'' && s[j+n] == '\'') {
					j += n
					continue
				}
			case ',', ':':
				if isDigit(s[j-1]) && isDigit(s[j+n]) {
					j += n
					continue
				}
			}
		}
		break
	}
	if j < len(s) && s[j] == '.' && IsAbbreviation(s[i:j]) && !(j+1 < len(s) && s[j+1] == '.') {
		j++
	}
	return j
}

// clitics returns where a clitic at the end of the word [i, j) starts, or
// i when there is none.
func clitics(s string, i, j int) int {
	w := s[i:j]
	lw := strings.ToLower(w)
	for _, suf := range [...]string{"n't", "n’t"} {
		if strings.HasSuffix(lw, suf) && len(w) > len(suf) {
			return j - len(suf)
		}
	}
	for _, ap := range [...]string{"'", "’"} {
		k := strings.LastIndex(w, ap)
		if k <= 0 {
			continue
		}
		switch strings.ToLower(w[k+len(ap):]) {
		case "s", "re", "ve", "ll", "d", "m":
			return i + k
		}
	}
	return i
}
