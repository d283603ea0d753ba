package answer

import (
	"regexp"
	"strings"

	"github.com/storybot/storybot/corpus/text"
)

// answerType is the kind of phrase a question asks for.
type answerType int

const (
	typeAny answerType = iota
	typeNumber
	typePercent
	typeMoney
	typeDate
	typePerson
	typePlace
	typeName // a proper name of something other than a person or place
	typeReason
)

// spanQuestion is what span finding needs to know about a question.
type spanQuestion struct {
	typ answerType
	// yearOnly is set for "what year" and "in which year": a bare year
	// answers them better than a full date.
	yearOnly bool
	// focus holds the stems of the words right after "what"/"which", as in
	// "What theorem ..." or "Which museum ...": the answer is usually a
	// phrase that sits next to, or is headed by, that word in the passage.
	focus map[string]bool
	// naming is set when the question asks what something is called; the
	// answer then follows "called", "known as", "named" and the like.
	naming bool
	// first and last are the stems of the first content word after the
	// wh-phrase and of the last content word of the question.
	first, last string
	// form is how the question is built around its wh-word, which says
	// on which side of the question's words the answer stands.
	form questionForm
	// afterAux are the stems of the content words after an object
	// question's auxiliary: "What did [the ministry urge citizens to
	// make]". Those before the first that the passage uses as a verb are
	// its subject; the answer stands on that verb's other side.
	afterAux []string
	verbs    map[string]bool
	// bigrams are the pairs of the question's content words that follow
	// each other, stop words aside: a sentence that has them in the same
	// order says what the question says, not just something about it.
	bigrams map[[2]string]bool
}

// questionForm is the shape of a question around its wh-word.
type questionForm int

const (
	formOther   questionForm = iota
	formObject               // "What did the ministry urge ...": the answer follows the question's words
	formCopula               // "What is the capital of ...": either side
	formSubject              // "Who founded ...", "What band is considered ...": the answer comes before them
	formLate                 // "... are an example of what?": the wh-word comes last, and so does the answer
)

var whWords = map[string]bool{"what": true, "which": true, "who": true, "whom": true, "whose": true,
	"when": true, "where": true, "why": true, "how": true}

// auxWords end the focus of a what-question: in "What band is ...", the
// focus is "band".
var auxWords = map[string]bool{"is": true, "was": true, "are": true, "were": true, "did": true, "does": true,
	"do": true, "has": true, "have": true, "had": true, "can": true, "could": true, "will": true, "would": true,
	"should": true, "may": true, "might": true, "must": true, "be": true, "been": true}

// focusTypes maps focus nouns whose meaning fixes the answer type.
var focusTypes = func() map[string]answerType {
	m := map[string]answerType{}
	add := func(t answerType, words string) {
		for _, w := range strings.Fields(words) {
			m[w] = t
		}
	}
	add(typeDate, `year years decade century centuries date day month time period era age season`)
	add(typePercent, `percentage percent proportion share fraction`)
	add(typeNumber, `number amount size population temperature distance length height depth width speed
		weight ratio rate score total quantity`)
	add(typePerson, `person people man woman men women king queen emperor president leader author scientist
		player ceo founder architect writer poet artist singer actor actress minister politician
		mathematician physicist chemist biologist inventor engineer explorer general commander pope bishop
		prince princess duke individual guitarist musician composer designer philosopher economist
		professor director governor mayor chancellor advisor adviser coach owner monarch ruler official
		priest saint chairman member members alumnus alumni student students researcher researchers`)
	add(typePlace, `country countries city cities state states continent region place area town village
		location island islands river county province nation territory district neighborhood
		neighbourhood coast sea ocean lake mountain mountains valley capital site port`)
	return m
}()

var (
	namingQuestion = regexp.MustCompile(`(?i)\b(?:called|known\s+as|named|name|term|termed|referred|nickname|nicknamed|word\s+for|dubbed)\b`)
	yearQuestion   = regexp.MustCompile(`(?i)\b(?:what|which)\s+year\b`)
	moneyQuestion  = regexp.MustCompile(`(?i)\b(?:cost|costs|pay|paid|spend|spent|worth|price|money|fund|funds|funding|budget|revenue|earn|earned|salary|dollars?|pounds?|euros?)\b`)
	percentWords   = regexp.MustCompile(`(?i)\b(?:percent|percentage|per\s+cent)\b|%`)
)

// analyseQuestion works out the answer type and focus of a question.
func analyseQuestion(raw string, qw map[string]float64) spanQuestion {
	sq := spanQuestion{focus: map[string]bool{}, bigrams: map[[2]string]bool{}}
	toks := tokenize(raw)
	prev := ""
	for _, t := range toks {
		if t.Stem == "" {
			continue
		}
		if prev != "" {
			sq.bigrams[[2]string{prev, t.Stem}] = true
		}
		prev = t.Stem
	}
	low := make([]string, len(toks))
	for i, t := range toks {
		low[i] = strings.ToLower(t.Word)
	}
	// The wh-word that matters is the one of the main clause: in "When
	// imperialism spreads, what is it called?" it is "what", after the comma.
	wi := -1
	lastComma := strings.LastIndex(raw, ",")
	for i, w := range low {
		if !whWords[w] {
			continue
		}
		if wi < 0 || (toks[wi].Start < lastComma && toks[i].Start > lastComma) {
			wi = i
		}
	}
	sq.naming = namingQuestion.MatchString(raw)
	if wi < 0 {
		return sq
	}
	next := func(k int) string {
		if wi+k < len(low) {
			return low[wi+k]
		}
		return ""
	}
	sq.form = formOf(low, wi)
	sq.verbs = questionVerbs(raw, toks[wi].End)
	if sq.form == formObject {
		sq.afterAux = questionSyntax(toks, low, wi)
	}
	switch low[wi] {
	case "who", "whom", "whose":
		sq.typ = typePerson
	case "when":
		sq.typ = typeDate
	case "where":
		sq.typ = typePlace
	case "why":
		sq.typ = typeReason
	case "how":
		switch next(1) {
		case "many", "old", "far", "large", "big", "tall", "high", "deep", "wide", "fast", "heavy", "long", "few":
			sq.typ = typeNumber
		case "much":
			switch {
			case percentWords.MatchString(raw):
				sq.typ = typePercent
			case moneyQuestion.MatchString(raw):
				sq.typ = typeMoney
			default:
				sq.typ = typeNumber
			}
		}
	case "what", "which":
		sq.typ = whatType(&sq, raw, low, toks, wi)
	}
	for k := len(toks) - 1; k > wi; k-- {
		if toks[k].Stem != "" {
			sq.last = toks[k].Stem
			break
		}
	}
	for k := wi + 1; k < len(toks); k++ {
		if toks[k].Stem != "" && !sq.focus[toks[k].Stem] && !whWords[low[k]] {
			sq.first = toks[k].Stem
			break
		}
	}
	// "What was the period called ..." asks for a name, not a date.
	if sq.naming && sq.typ == typeDate && (low[wi] == "what" || low[wi] == "which") {
		sq.typ = typeName
	}
	if yearQuestion.MatchString(raw) {
		sq.typ, sq.yearOnly = typeDate, true
	}
	return sq
}

// questionSyntax lists the stems of the content words after an object
// question's auxiliary ("did" in "What did ..."), in order: its subject
// and what follows it.
func questionSyntax(toks []token, low []string, wi int) []string {
	k := wi + 1
	for k < len(low) && !doWords[low[k]] {
		k++
	}
	out := []string{}
	for k++; k < len(toks); k++ {
		if toks[k].Stem != "" {
			out = append(out, toks[k].Stem)
		}
	}
	return out
}

func questionVerbs(raw string, wh int) map[string]bool {
	verbs := map[string]bool{}
	for _, t := range text.Analyze(raw).Tokens {
		if t.Start < wh || !strings.HasPrefix(t.POS, "VB") || auxWords[strings.ToLower(t.Text)] {
			continue
		}
		if s := stem(t.Text); s != "" {
			verbs[s] = true
		}
	}
	return verbs
}

// doWords make an object question of "what did ...".
var doWords = map[string]bool{"did": true, "does": true, "do": true, "can": true, "could": true, "will": true,
	"would": true, "should": true, "may": true, "might": true, "must": true, "has": true, "have": true, "had": true}

var beWords = map[string]bool{"is": true, "was": true, "are": true, "were": true}

// formOf reads the question's form from the words after its wh-word wi.
func formOf(low []string, wi int) questionForm {
	if wi > 1 {
		return formLate
	}
	k := wi + 1
	// Skip the focus words of "What band ...", "Which two treaties ...".
	for k < len(low) && k <= wi+3 && !doWords[low[k]] && !beWords[low[k]] && !strings.HasSuffix(low[k], "ed") {
		k++
	}
	if k >= len(low) {
		return formOther
	}
	switch {
	case doWords[low[k]]:
		return formObject
	case beWords[low[k]]:
		// "What band is considered": a participle after the copula makes
		// the wh-phrase the subject.
		if k+1 < len(low) && strings.HasSuffix(low[k+1], "ed") {
			return formSubject
		}
		return formCopula
	}
	return formSubject
}

// copulaHead is the head noun of the noun phrase that starts at byte off
// of a question.
func copulaHead(raw string, off int) (string, bool) {
	d := text.Analyze(raw)
	for _, c := range d.Chunks {
		if c.Start <= off && off < c.End {
			if p := d.Tokens[c.Head].POS; !strings.HasPrefix(p, "NN") {
				return "", false
			}
			return d.Tokens[c.Head].Text, true
		}
	}
	return "", false
}

// whatType reads the focus of a what- or which-question and the type it implies.
func whatType(sq *spanQuestion, raw string, low []string, toks []token, wi int) answerType {
	i := wi + 1
	// "What is the name of the gallery ...": the name is asked for, and the
	// gallery is what it names.
	if i < len(low) && auxWords[low[i]] {
		// "What did the ministry urge ...": the words after "did" are the
		// subject, not what the answer is.
		if doWords[low[i]] && (i+1 >= len(low) || (low[i+1] != "be" && low[i+1] != "been")) {
			return typeAny
		}
		j := i + 1
		for j < len(low) && (low[j] == "the" || low[j] == "a" || low[j] == "an") {
			j++
		}
		if j+1 < len(low) && (low[j] == "name" || low[j] == "names") && low[j+1] == "of" {
			sq.naming = true
			return typeName
		}
		// "What is the population of ...", "What was the city's
		// population ...": the head of the noun phrase after the verb is
		// the focus, as in "What population ...".
		if j >= len(low) {
			return typeAny
		}
		if head, ok := copulaHead(raw, toks[j].Start); ok {
			if t, ok := focusTypes[strings.ToLower(head)]; ok {
				sq.focus[stem(head)] = true
				return t
			}
		}
		// Otherwise only a determiner may stand between.
		if j == i+1 {
			return typeAny
		}
		i = j
	}
	// "What type of bird ...": the focus is the bird.
	if i+1 < len(low) && low[i+1] == "of" {
		switch low[i] {
		case "type", "kind", "sort", "form", "types", "kinds", "forms", "part", "piece":
			i += 2
		}
	}
	typ := typeAny
	for n := 0; i < len(low) && n < 3; i, n = i+1, n+1 {
		w := low[i]
		if auxWords[w] || toks[i].Stem == "" {
			break
		}
		sq.focus[toks[i].Stem] = true
		if t, ok := focusTypes[w]; ok && typ == typeAny {
			typ = t
		}
		if w == "percentage" || w == "percent" {
			typ = typePercent
		}
	}
	if typ == typeAny && len(sq.focus) > 0 {
		typ = typeName
	}
	return typ
}
