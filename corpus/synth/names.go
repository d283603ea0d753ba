package synth

import (
	"math/rand/v2"
	"strings"
)

// Made-up names give the corpus the long tail of rare proper nouns that
// real news has: most towns and people appear in one story only. They are
// built from syllables so that there are tens of thousands of them without
// a list that long.

var (
	nameOnsets = fields(`b br ch d dr g h k kh l m n p r s sh st t tr v z`)
	nameVowels = fields(`a e i o u ai ia ou y`)
	nameCodas  = fields(`n r l s k v m sk nk rd`)
	surnameEnd = fields(`enko ov ova ski sky ic ez son sen er ani ian ello oni ura ada`)
	townEnd    = fields(`ovo ivka burg ville stad grad pol ton ford field haven dorf ske ino ia`)
)

func syllables(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(pick(r, nameOnsets))
		b.WriteString(pick(r, nameVowels))
		if r.IntN(3) == 0 {
			b.WriteString(pick(r, nameCodas))
		}
	}
	return b.String()
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// madeUpSurname is a plausible surname such as "Dravenko".
func madeUpSurname(r *rand.Rand) string {
	return capitalize(syllables(r, 1+r.IntN(2)) + pick(r, surnameEnd))
}

// madeUpTown is a plausible place name such as "Novoluhanske".
func madeUpTown(r *rand.Rand) string {
	return capitalize(syllables(r, 1+r.IntN(2)) + pick(r, townEnd))
}
