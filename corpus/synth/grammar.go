package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// vocab draws words with Zipf-distributed frequencies, so that a few words
// are everywhere and most are rare, as in real text. Each story has its own
// vocab over its own random stream; the lists are shared and read-only.
type vocab struct {
	r                                         *rand.Rand
	noun, verb, adj, country, city, first, sn *rand.Zipf
}

func newVocab(r *rand.Rand) *vocab {
	z := func(list []string) *rand.Zipf { return rand.NewZipf(r, 1.07, 3, uint64(len(list)-1)) }
	return &vocab{r: r, noun: z(nouns), verb: z(verbs), adj: z(adjectives), country: z(countries),
		city: z(cities), first: z(firstNames), sn: z(surnames)}
}

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

func zipf(z *rand.Zipf, list []string) string { return list[z.Uint64()] }

func (v *vocab) Noun() string    { return zipf(v.noun, nouns) }
func (v *vocab) Verb() string    { return zipf(v.verb, verbs) }
func (v *vocab) Adj() string     { return zipf(v.adj, adjectives) }
func (v *vocab) Country() string { return zipf(v.country, countries) }

// City is a real city most of the time and a made-up town otherwise.
func (v *vocab) City() string {
	if v.r.IntN(4) == 0 {
		return madeUpTown(v.r)
	}
	return zipf(v.city, cities)
}

func (v *vocab) Surname() string {
	if v.r.IntN(3) == 0 {
		return madeUpSurname(v.r)
	}
	return zipf(v.sn, surnames)
}

// NP is a noun phrase such as "the new pension reform".
func (v *vocab) NP() string {
	var parts []string
	switch v.r.IntN(4) {
	case 0:
		parts = append(parts, "a")
	case 1:
		parts = append(parts, "its")
	default:
		parts = append(parts, "the")
	}
	if v.r.IntN(3) > 0 {
		parts = append(parts, v.Adj())
	}
	if v.r.IntN(3) == 0 {
		parts = append(parts, v.Noun())
	}
	parts = append(parts, v.Noun())
	np := strings.Join(parts, " ")
	if parts[0] == "a" && strings.ContainsRune("aeiou", rune(parts[1][0])) {
		np = "an" + np[1:]
	}
	if v.r.IntN(4) == 0 {
		np += " for " + plural(v.Noun())
	}
	return np
}

// Quantity is a number with its unit, written as news writes numbers.
func (v *vocab) Quantity() string {
	switch v.r.IntN(6) {
	case 0:
		return fmt.Sprintf("%d %s", 2+v.r.IntN(98), plural(v.Noun()))
	case 1:
		return fmt.Sprintf("more than %d,%03d %s", 1+v.r.IntN(40), v.r.IntN(1000), plural(v.Noun()))
	case 2:
		return fmt.Sprintf("%d percent of %s", 3+v.r.IntN(95), plural(v.Noun()))
	case 3:
		return fmt.Sprintf("$%d.%d billion", 1+v.r.IntN(90), v.r.IntN(10))
	case 4:
		return fmt.Sprintf("%d.%d million %s", 1+v.r.IntN(20), v.r.IntN(10), plural(v.Noun()))
	default:
		return fmt.Sprintf("about %d %s", 10*(1+v.r.IntN(60)), plural(v.Noun()))
	}
}

func plural(n string) string {
	switch {
	case strings.HasSuffix(n, "y") && len(n) > 1 && !strings.ContainsRune("aeiou", rune(n[len(n)-2])):
		return n[:len(n)-1] + "ies"
	case strings.HasSuffix(n, "s"), strings.HasSuffix(n, "sh"), strings.HasSuffix(n, "ch"), strings.HasSuffix(n, "x"):
		return n + "es"
	}
	return n + "s"
}

func past(v string) string {
	if p, ok := irregularPast[v]; ok {
		return p
	}
	switch {
	case strings.HasSuffix(v, "e"):
		return v + "d"
	case strings.HasSuffix(v, "y") && !strings.ContainsRune("aeiou", rune(v[len(v)-2])):
		return v[:len(v)-1] + "ied"
	}
	return v + "ed"
}

func thirdPerson(v string) string {
	switch {
	case strings.HasSuffix(v, "y") && !strings.ContainsRune("aeiou", rune(v[len(v)-2])):
		return v[:len(v)-1] + "ies"
	case strings.HasSuffix(v, "s"), strings.HasSuffix(v, "sh"), strings.HasSuffix(v, "ch"), strings.HasSuffix(v, "x"):
		return v + "es"
	}
	return v + "s"
}

// titleCase capitalises each word of a headline, except short function words.
func titleCase(s string) string {
	w := strings.Fields(s)
	for i, x := range w {
		switch x {
		case "a", "an", "the", "of", "for", "in", "on", "as", "and", "to", "at":
			if i > 0 {
				continue
			}
		}
		w[i] = capitalize(x)
	}
	return strings.Join(w, " ")
}
