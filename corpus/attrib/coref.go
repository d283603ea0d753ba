package attrib

import (
	"math"
	"slices"
	"strings"

	"github.com/storybot/storybot/corpus/text"
)

// entity is someone or something the story names, with where it was named.
type entity struct {
	name  string
	words []string // lowercased name words
	desc  string
	// ownDesc is the description alone, without the mention text.
	ownDesc string
	person  bool
	// place is set for a name written after "in", "at" and the like.
	place bool
	para  int
	pos   int
	count int
}

// resolver turns speaker mentions into the fullest name the story gives.
type resolver struct {
	scans []*paraScan
	// mentions are all capitalised names in the story, in body order.
	mentions []entity
	// speakers are resolved speakers so far, in body order.
	speakers []entity

	// The indexes below let a statement read only the entities that can
	// answer it: reading every earlier speaker and name for each
	// statement made a long story cost the square of its statements.
	spoke          latest             // every speaker
	spokeAs        [2]latest          // speakers, by spokeAs[person]
	personMentions latest             // mentions that name a person
	roleSpeakers   map[string]*latest // by role word, for speakers with a capitalised name
	roleMentions   map[string]*latest // by role word
	// acronyms holds the last mention of a non-person by its initials.
	acronyms map[string]int
	// mentionNames and speakerNames hold each person's name once, by its
	// last word, in the order of its first mention or speech: a name
	// repeated later scores no more than where it first stands, and a
	// tie goes to the first, so the first stands for them all.
	mentionNames map[string][]nameRef
	speakerNames map[string][]nameRef
	spokeName    map[string]bool
	paraWords    map[paraWord]bool
}

// nameRef is a person's name where it first stands, with the score
// expand gives it before it knows whether it stands earlier.
type nameRef struct {
	name      string
	words     []string
	para, pos int
	score     int
}

type paraWord struct {
	para int
	w    string
}

// latest finds the most recent entity added that stands before a place in
// the story. An entity added later that stands no later than an earlier
// one hides it from every question, so only unhidden ones are kept; they
// are in story order and in the order added both, for a binary search.
type latest struct{ ents []latestEnt }

type latestEnt struct{ para, pos, k int }

func (l *latest) add(para, pos, k int) {
	for n := len(l.ents); n > 0 && !before(l.ents[n-1].para, l.ents[n-1].pos, para, pos); n-- {
		l.ents = l.ents[:n-1]
	}
	l.ents = append(l.ents, latestEnt{para, pos, k})
}

// before returns the index given to the most recent entity added that
// stands before (pi, pos), or -1.
func (l *latest) before(pi, pos int) int {
	n, _ := slices.BinarySearchFunc(l.ents, latestEnt{para: pi, pos: pos}, func(e, at latestEnt) int {
		if before(e.para, e.pos, at.para, at.pos) {
			return -1
		}
		return 1
	})
	if n == 0 {
		return -1
	}
	return l.ents[n-1].k
}

func personIndex(person bool) int {
	if person {
		return 1
	}
	return 0
}

func newResolver(scans []*paraScan) *resolver {
	r := &resolver{scans: scans}
	counts := map[string]int{}
	for pi, sc := range scans {
		for _, m := range nameMentions(sc) {
			m.para = pi
			r.mentions = append(r.mentions, m)
			counts[m.name]++
		}
	}
	// One sense per story: a name written once as a place ("in New
	// York") is a place wherever it stands ("a storm hit New York").
	places := map[string]bool{}
	for _, m := range r.mentions {
		if m.place {
			places[m.name] = true
		}
	}
	for i := range r.mentions {
		r.mentions[i].count = counts[r.mentions[i].name]
		if places[r.mentions[i].name] {
			r.mentions[i].person = false
		}
	}
	r.roleSpeakers, r.roleMentions = map[string]*latest{}, map[string]*latest{}
	r.acronyms = map[string]int{}
	r.mentionNames, r.speakerNames = map[string][]nameRef{}, map[string][]nameRef{}
	r.spokeName, r.paraWords = map[string]bool{}, map[paraWord]bool{}
	named := map[string]bool{}
	for k, e := range r.mentions {
		addRoles(r.roleMentions, e, k)
		if !e.person {
			r.acronyms[initials(e.words)] = k
			continue
		}
		r.personMentions.add(e.para, e.pos, k)
		if !named[e.name] && len(e.words) > 0 {
			named[e.name] = true
			last := e.words[len(e.words)-1]
			r.mentionNames[last] = append(r.mentionNames[last], nameRef{e.name, e.words, e.para, e.pos, e.count*4 + len(e.words)})
		}
	}
	return r
}

// addSpeaker records a resolved speaker in the indexes.
func (r *resolver) addSpeaker(e entity) {
	k := len(r.speakers)
	r.speakers = append(r.speakers, e)
	r.spoke.add(e.para, e.pos, k)
	r.spokeAs[personIndex(e.person)].add(e.para, e.pos, k)
	if startsUpper(e.name) {
		addRoles(r.roleSpeakers, e, k)
	}
	if e.person && !r.spokeName[e.name] && len(e.words) > 0 {
		r.spokeName[e.name] = true
		last := e.words[len(e.words)-1]
		r.speakerNames[last] = append(r.speakerNames[last], nameRef{e.name, e.words, e.para, e.pos, len(e.words)})
	}
}

// addRoles files entity k under every word of its name and description,
// the words byRole looks for.
func addRoles(roles map[string]*latest, e entity, k int) {
	ws := slices.Clone(e.words)
	for _, w := range strings.Fields(lower(e.desc)) {
		ws = append(ws, strings.Trim(w, ",."))
	}
	slices.Sort(ws)
	for _, w := range slices.Compact(ws) {
		l := roles[w]
		if l == nil {
			l = &latest{}
			roles[w] = l
		}
		l.add(e.para, e.pos, k)
	}
}

// nameMentions finds runs of capitalised words that look like names of
// people ("Vladimir Putin") or organisations ("Ukrainian Ministry of Defense").
func nameMentions(sc *paraScan) []entity {
	var out []entity
	toks := sc.toks
	for i := 0; i < len(toks); {
		if !isCapWord(toks[i]) {
			i++
			continue
		}
		j := i
		for j < len(toks) {
			if isCapWord(toks[j]) && !isPossessive(toks[j].text) {
				j++
				continue
			}
			if isCapWord(toks[j]) {
				j++ // a possessive ends the name: "Trump’s"
				break
			}
			lw := lower(toks[j].text)
			if (nameParticles[lw] || lw == "of") && j+1 < len(toks) && isCapWord(toks[j+1]) && j > i {
				j++
				continue
			}
			break
		}
		ph := speakerPhrase{from: i, to: j}
		if determiners[lower(toks[i].text)] || leadIn[lower(toks[i].text)] {
			ph.from++
		}
		if ph.from < ph.to {
			name, desc, person := nameParts(toks, ph, sc.text)
			name = stripPossessive(name)
			// "a bomb went off in New York": a place, whom no "he" means.
			place := i > 0 && placePrepositions[lower(toks[i-1].text)] && !titles[lower(toks[ph.from].text)]
			if place {
				person = false
			}
			ws := nameWords(name)
			if len(ws) >= 2 || !person && len(ws) >= 1 && orgWords[ws[len(ws)-1]] {
				out = append(out, entity{name: name, words: ws, desc: desc, person: person, place: place, pos: toks[i].s})
			}
		}
		if j == i {
			j++
		}
		i = j
	}
	return out
}

// placePrepositions put a place, not a person, after them.
var placePrepositions = text.WordSet("in at from near across outside inside throughout within into")

func nameWords(s string) []string {
	f := strings.Fields(lower(s))
	out := f[:0]
	for _, w := range f {
		w = strings.Trim(w, ",.")
		if w != "" && w != "the" {
			out = append(out, w)
		}
	}
	return out
}

// resolve fills in Speaker, Mention and Description of a statement found in
// paragraph pi.
func (r *resolver) resolve(pi int, rs *rawStatement) {
	if rs.inherit != nil {
		src := rs.inherit
		for n := 0; src.inherit != nil && n < 16; n++ {
			src = src.inherit
		}
		if src.speaker == "" {
			return
		}
		rs.speaker, rs.mention, rs.desc, rs.person = src.speaker, src.mention, src.desc, src.person
		rs.how = max(byInheriting, src.how)
		return
	}
	sc := r.scans[pi]
	ph := rs.phrase
	if ph.to <= ph.from {
		return
	}
	pos := sc.toks[ph.from].s
	rs.mention = strings.TrimSpace(sc.text[pos:sc.toks[ph.to-1].e])
	if ph.pronoun {
		rs.speaker, rs.desc, rs.person = r.pronoun(pi, pos, lower(rs.mention))
		rs.how = byPronoun
		if rs.speaker == "" {
			rs.speaker, rs.how = rs.mention, unresolved
		}
		return
	}
	if names, ok := r.coordinated(pi, pos, ph); ok {
		// "Ms. Ruiz and Mr. Berg said": both spoke, and naming only
		// the last would credit one with what two said.
		rs.speaker, rs.person = names, true
		return
	}
	name, desc, person := nameParts(sc.toks, ph, sc.text)
	name = stripPossessive(name)
	switch {
	case desc != "" && ph.appos != "":
		desc += ", " + ph.appos
	case ph.appos != "":
		desc = ph.appos
	}
	full, fullPerson := r.fullName(pi, pos, name, person)
	rs.speaker, rs.desc, rs.person = full, desc, fullPerson
	r.addSpeaker(entity{name: full, words: nameWords(full), desc: desc + " " + rs.mention, ownDesc: desc, person: fullPerson, para: pi, pos: pos})
}

// coordinated resolves a speaker phrase of two or more people joined by
// "and", such as "Sen. Ana Ruiz and Sen. Omar Berg", to their full
// names, "Ana Ruiz and Omar Berg". It reports false unless every
// part is a person's name.
func (r *resolver) coordinated(pi, pos int, ph speakerPhrase) (string, bool) {
	sc := r.scans[pi]
	var parts []speakerPhrase
	from := ph.from
	for k := ph.from; k <= ph.to; k++ {
		if k < ph.to && lower(sc.toks[k].text) != "and" && sc.toks[k].text != "," {
			continue
		}
		if k == from {
			if k > ph.from && sc.toks[k-1].text == "," {
				from = k + 1 // ", and": the comma closed the part
				continue
			}
			return "", false
		}
		parts = append(parts, speakerPhrase{from: from, to: k})
		from = k + 1
	}
	if len(parts) < 2 {
		return "", false
	}
	names := make([]string, 0, len(parts))
	for _, part := range parts {
		name, _, person := nameParts(sc.toks, part, sc.text)
		if !person || name == "" {
			return "", false
		}
		full, _ := r.fullName(pi, pos, stripPossessive(name), true)
		names = append(names, full)
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1], true
}

// before reports whether (pa, pb) comes before (qa, qb) in the story.
func before(pa, pb, qa, qb int) bool { return pa < qa || pa == qa && pb < qb }

// pronoun resolves "he", "she", "they" or "it" at (pi, pos) to the most
// recent fitting speaker or, failing that, a name in the same paragraph.
func (r *resolver) pronoun(pi, pos int, w string) (name, desc string, isPerson bool) {
	person := personPronouns[w]
	k := r.spokeAs[personIndex(person)].before(pi, pos)
	if k >= 0 && r.speakers[k].para == pi {
		e := r.speakers[k]
		return e.name, e.ownDesc, e.person
	}
	if person {
		if m := r.personMentions.before(pi, pos); m >= 0 && r.mentions[m].para == pi {
			e := r.mentions[m]
			return r.expand(pi, pos, e.name, e.words), e.desc, true
		}
	}
	// k is still the nearest speaker of the kind: as it is not in this
	// paragraph, none is, and it may stand up to three paragraphs back.
	if k >= 0 && pi-r.speakers[k].para <= 3 {
		e := r.speakers[k]
		return e.name, e.ownDesc, e.person
	}
	// "Mayor Tom Baker spoke at the airport. | “…,” he said.": with no
	// speaker before it, "he" is the person the previous paragraph named last.
	if person {
		if m := r.personMentions.before(pi, math.MinInt); m >= 0 && r.mentions[m].para == pi-1 {
			e := r.mentions[m]
			return r.expand(pi, pos, e.name, e.words), e.desc, true
		}
	}
	return "", "", person
}

// fullName expands a short reference to the fullest earlier name: a bare
// surname, an acronym, or "the ministry" for an earlier ministry.
func (r *resolver) fullName(pi, pos int, name string, person bool) (string, bool) {
	ws := nameWords(name)
	if len(ws) == 0 {
		return name, person
	}
	if len(ws) == 1 && strings.HasPrefix(lower(name), "the ") && startsLower(strings.TrimSpace(name[4:])) {
		// "the statement said": whoever issued the statement named
		// nearby; "the ministry said": the ministry named earlier.
		if documentNouns[ws[0]] {
			// A paragraph without the word rules out all its speakers.
			for k := r.spoke.before(pi, pos); k >= 0 && pi-r.speakers[k].para <= 3; {
				e := r.speakers[k]
				if r.paraHasWord(e.para, ws[0]) {
					return e.name, e.person
				}
				k = r.spoke.before(e.para, math.MinInt)
			}
		}
		if e, ok := r.byRole(pi, pos, ws[0]); ok {
			return e.name, e.person
		}
		return name, person
	}
	if !startsUpper(strings.TrimSpace(name)) {
		if len(ws) == 1 && strings.HasPrefix(lower(name), "the ") {
			if e, ok := r.byRole(pi, pos, ws[0]); ok {
				return e.name, e.person
			}
		}
		return name, person
	}
	if isAllCaps(name) && len(ws) == 1 && len(ws[0]) >= 2 && len(ws[0]) <= 6 {
		if k, ok := r.acronyms[ws[0]]; ok {
			return r.mentions[k].name, false
		}
	}
	if person || len(ws) == 1 {
		full := r.expand(pi, pos, name, ws)
		if full != name {
			return full, true
		}
	}
	return name, person
}

// expand finds the fullest person name that ends with the words ws, which
// are not empty, preferring earlier and more frequent names.
func (r *resolver) expand(pi, pos int, name string, ws []string) string {
	best, bestScore := name, 0
	try := func(names []nameRef, earlier func(nameRef) bool) {
		for _, n := range names {
			if len(n.words) <= len(ws) || !hasSuffixWords(n.words, ws) {
				continue
			}
			score := n.score
			if earlier(n) {
				score += 1000
			}
			if score > bestScore {
				best, bestScore = n.name, score
			}
		}
	}
	last := ws[len(ws)-1]
	try(r.mentionNames[last], func(n nameRef) bool { return before(n.para, n.pos, pi, pos+1) })
	try(r.speakerNames[last], func(nameRef) bool { return true })
	return best
}

// byRole finds the most recent entity whose name or description holds the
// role word: "the ministry" for "The Ukrainian Ministry of Defense".
func (r *resolver) byRole(pi, pos int, role string) (entity, bool) {
	if l := r.roleSpeakers[role]; l != nil {
		if k := l.before(pi, pos); k >= 0 {
			return r.speakers[k], true
		}
	}
	if l := r.roleMentions[role]; l != nil {
		if k := l.before(pi, pos); k >= 0 {
			return r.mentions[k], true
		}
	}
	return entity{}, false
}

// paraHasWord reports whether paragraph pi holds w as a whole word,
// ignoring case, reading the paragraph once for each word asked.
func (r *resolver) paraHasWord(pi int, w string) bool {
	key := paraWord{pi, w}
	has, ok := r.paraWords[key]
	if !ok {
		has = containsWord(r.scans[pi].lowered(), w)
		r.paraWords[key] = has
	}
	return has
}

func hasSuffixWords(full, suf []string) bool {
	if len(suf) > len(full) {
		return false
	}
	off := len(full) - len(suf)
	for i, w := range suf {
		if full[off+i] != w {
			return false
		}
	}
	return true
}

func initials(ws []string) string {
	var b strings.Builder
	for _, w := range ws {
		if w == "of" || w == "for" || w == "and" || w == "the" {
			continue
		}
		b.WriteString(w[:1])
	}
	return b.String()
}

// containsWord reports whether the lower-case text lt holds w as a whole word.
func containsWord(lt, w string) bool {
	for i := 0; ; {
		k := strings.Index(lt[i:], w)
		if k < 0 {
			return false
		}
		a, b := i+k, i+k+len(w)
		if (a == 0 || !isWordRune(rune(lt[a-1]))) && (b == len(lt) || !isWordRune(rune(lt[b]))) {
			return true
		}
		i = b
	}
}
