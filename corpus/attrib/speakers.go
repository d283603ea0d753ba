package attrib

import (
	"github.com/storybot/storybot/corpus/text"
	"strings"
)

// Word lists for reading speaker noun phrases. They are closed classes or
// news-writing conventions, not names: nothing here is tuned to a story.
var (
	// determiners may open a speaker phrase ("the ministry", "one official").
	determiners = text.WordSet("the a an one two three four several some many other both all his her their its our this that these those each another most few")

	// pronouns stand for an earlier speaker.
	personPronouns = text.WordSet("he she")
	groupPronouns  = text.WordSet("they it we")

	// titles precede a name and are kept out of Speaker: "Sen. Lindsey
	// Graham", "Russian President Vladimir Putin".
	titles = text.WordSet("mr. mrs. ms. miss dr. gov. sen. sens. rep. reps. del. lt. gen. col. capt. sgt. maj. adm. cmdr. prof. pres. rev. hon. " +
		"sir dame lord president vice prime minister chancellor secretary speaker senator governor mayor chairman chairwoman chairperson chair " +
		"chief commissioner director judge justice ambassador attorney general leader spokesman spokeswoman spokesperson king queen prince princess " +
		"pope sheikh emir ayatollah cardinal bishop rabbi imam coach officer detective sheriff deputy interim acting former retired lieutenant " +
		"colonel captain sergeant admiral corporal professor congressman congresswoman councilman councilwoman assemblyman assemblywoman " +
		"delegate minority majority whip ceo premier commander marshal agent superintendent inspector trustee treasurer comptroller " +
		"counsel representative nominee candidate founder chancellor pastor reverend gens. press dean senators representatives")

	// descriptors are lowercase words that may sit in front of a name or
	// head a nameless speaker phrase: "longtime Democratic pollster".
	descriptors = text.WordSet("spokesman spokeswoman spokesperson minister president vice-president secretary chairman chairwoman chair director " +
		"pollster nominee candidate senator governor leader official officials chief commissioner lawyer lawyers attorney attorneys adviser advisers " +
		"advisor advisors aide aides analyst analysts economist economists expert experts general retired former longtime campaign manager press " +
		"communications communication executive vice deputy head ambassador judge professor founder co-founder ceo mayor strategist widow " +
		"presidential vice-presidential senior top ranking interim acting assistant associate conservative liberal progressive republican democratic " +
		"political policy foreign defense state federal national regional local police military intelligence security health justice " +
		"representative congressman congresswoman lawmaker lawmakers legislator legislators member members researcher researchers scientist scientists " +
		"author editor co-editor columnist commentator correspondent reporter host anchor co-host owner partner investor businessman businesswoman " +
		"activist activists organizer organizers director-general secretary-general officer officers sheriff prosecutor prosecutors investigators " +
		"investigator staff staffer staffers fellow scholar historian doctor physician surgeon teacher student students resident residents " +
		"witness witnesses voter voters supporter supporters critic critics observer observers source sources authorities authority " +
		"ministry department agency company government administration committee council commission office court report statement study survey poll " +
		"group party union association organization institute foundation center firm bank newspaper paper journal magazine network website " +
		"mother father wife husband son daughter brother sister friend neighbor chairmen medical independent environmental economic legal " +
		"general's white black hispanic")

	// helperWords may stand between a subject and its cue: "has also said".
	helperWords = text.WordSet("monday tuesday wednesday thursday friday saturday sunday today yesterday tonight week month year weekend this last " +
		"has have had also later then again previously reportedly earlier recently repeatedly already would will was is " +
		"were are did does do once further just now only even still often since all both first initially subsequently separately " +
		"privately publicly later, may might could can should must")

	// orgWords mark a capitalised phrase as an organisation, not a person.
	orgWords = text.WordSet("ministry department committee center centre agency fund party campaign post times news journal foundation institute " +
		"council office university college association union commission bureau service services court police government nations " +
		"organization organisation corp corp. corporation inc inc. company co co. bank club board administration emirate army navy force forces " +
		"guard senate congress parliament assembly house network press reuters tribune herald gazette daily magazine group coalition " +
		"alliance league federation authority caucus pac channel review monitor telegraph guardian observer chronicle register examiner " +
		"inquirer bloomberg cnn nbc abc cbs msnbc fox bbc politico twitter facebook google program project survey poll report study " +
		"kremlin pentagon taliban nato imf un eu fbi cia dnc rnc gop trust society laboratory church team school schools hospital " +
		"embassy consulate command ap afp cabinet secretariat state-run media radio television tv institute republic kingdom states " +
		"democrats republicans industries group holdings airlines fund")

	// particles may sit inside a personal name: "Charles de Gaulle".
	nameParticles = text.WordSet("de del della der van von bin al la le du da di ibn dos das")

	// leadIn words open a sentence-initial phrase that precedes the subject.
	leadIn = text.WordSet("in on at after before during when while following as asked speaking earlier later meanwhile but and however still " +
		"yet also then since although though because if with without according from by for under amid despite last this")

	// documentNouns stand for what the previous speaker issued: "the statement said".
	documentNouns = text.WordSet("statement report letter release memo ruling filing complaint brief study poll survey tweet post analysis document " +
		"announcement notice message communique communiqué")
)

func lower(s string) string { return strings.ToLower(s) }

// stripPossessive turns "Trump’s" into "Trump".
func stripPossessive(s string) string {
	for _, suf := range []string{"’s", "'s", "’", "'"} {
		if strings.HasSuffix(s, suf) && len(s) > len(suf) {
			return s[:len(s)-len(suf)]
		}
	}
	return s
}

func isPossessive(s string) bool { return stripPossessive(s) != s }

// isCapWord reports whether a token can be part of a proper name.
func isCapWord(t token) bool {
	return t.kind == tkWord && startsUpper(t.text)
}

// speakerPhrase is a speaker noun phrase found next to a cue.
type speakerPhrase struct {
	from, to int // token range of the phrase itself
	appos    string
	pronoun  bool
}

// phraseBack reads a speaker phrase that ends at token end (inclusive),
// scanning leftwards. It returns ok=false when the words there cannot be a
// speaker, which is what keeps "The said company" from being a statement.
func phraseBack(toks []token, end, limit int) (speakerPhrase, bool) {
	j := end
	if j < limit || toks[j].quote >= 0 {
		return speakerPhrase{}, false
	}
	if toks[j].kind == tkWord && (personPronouns[lower(toks[j].text)] || groupPronouns[lower(toks[j].text)] || toks[j].text == "I") {
		return speakerPhrase{from: j, to: j + 1, pronoun: true}, true
	}
	start := j + 1
	sawHead, sawAnd := false, false
	var listCommas []int // right to left
	// pluralHead is a common plural noun heading the phrase: "allies",
	// "strategists", whether or not a word list knows it.
	pluralHead := toks[j].pos == "NNS" && !isCapWord(toks[j])
	for j >= limit {
		t := toks[j]
		if t.quote >= 0 {
			break
		}
		if t.kind == tkPunct && t.text == ")" {
			// "(R-S.C.)" after a name, or inside a longer phrase.
			k := j - 1
			for k >= limit && toks[k].text != "(" && j-k < 8 {
				k--
			}
			if k < limit || toks[k].text != "(" || !sawHead && j != end {
				break
			}
			start, j = k, k-1
			continue
		}
		if t.text == "," && sawAnd && j > limit && (isCapWord(toks[j-1]) || toks[j-1].text == ")") && isCapWord(toks[j+1]) {
			// "Sens. Ana Ruiz (D-Ore.), Tom Baker (D-Ohio) and Lee Park
			// said": a list of names, once an "and" has closed it.
			listCommas = append(listCommas, j)
			j--
			continue
		}
		if t.kind != tkWord {
			break
		}
		lw := lower(t.text)
		switch {
		case lw == "the" && sawHead && j-2 >= limit && lower(toks[j-1].text) == "of" && isCapWord(toks[j-2]):
			// "Mr. Okafor of the Harbour Trust"
		case determiners[lw]:
			if sawHead {
				start = j
			}
			j = limit - 1 // a determiner opens the phrase
			continue
		case isCapWord(t):
			sawHead = true
		case nameParticles[lw] || lw == "of" || lw == "for":
			// Only inside a name, "Ministry of Defense", or after a role,
			// "the foreign minister of Chile", or a plural's measure,
			// "groups of protesters".
			if !sawHead || j == limit || !isCapWord(toks[j-1]) && !(lw == "of" && (descriptors[lower(toks[j-1].text)] || pluralHead && toks[j-1].pos == "NNS")) {
				j = limit - 1
				continue
			}
		case (lw == "in" || lw == "on" || lw == "at" || lw == "from") && sawHead && j > limit && toks[j-1].pos == "NNS" && (!isCapWord(toks[j-1]) || toks[j-1].sentStart) && isCapWord(toks[j+1]):
			// "supporters in Congress", "analysts at Moody's": a plural
			// common noun with the place or body it belongs to.
			pluralHead = true
		case lw == "and" && pluralHead && j > limit && toks[j-1].pos == "NNS" && toks[j+1].pos == "NNS":
			// "Developers and supporters in Congress"
		case lw == "and" || lw == "&":
			if !sawHead || j == limit || !(isCapWord(toks[j-1]) || toks[j-1].text == ")" || toks[j-1].text == ",") || !isCapWord(toks[j+1]) {
				j = limit - 1
				continue
			}
			sawAnd = true
		case descriptors[lw] || (isPossessive(lw) && sawHead):
			sawHead = true
		case strings.Contains(lw, "-") && sawHead && j < end:
			// "vice-presidential", "Ohio-based"
		default:
			if !sawHead && j == end && plausibleHead(t) {
				sawHead = true
				break
			}
			// A modifier such as "tax" in "Connecticut’s tax commissioner"
			// is kept only when something anchors the phrase to its left.
			if sawHead && j > limit && anchorsPhrase(toks[j-1]) {
				break
			}
			// A plural head takes the adjectives and nouns before it:
			// "Small groups of protesters", "several longtime strategists".
			if sawHead && pluralHead && (t.pos == "JJ" || t.pos == "NN" || t.pos == "NNS" || t.pos == "VBN") {
				break
			}
			j = limit - 1
			continue
		}
		start = j
		j--
	}
	// "In Washington, Ana Ruiz and Lee Park said": a lead-in phrase of
	// time or place before the comma is not one of the names.
	for n := len(listCommas) - 1; n >= 0 && start <= end; n-- {
		lw := lower(toks[start].text)
		if !circumstance[lw] && !leadIn[lw] && !weekdays[lw] {
			break
		}
		start = listCommas[n] + 1
	}
	if start > end || !sawHead {
		return speakerPhrase{}, false
	}
	// "Although Trump has admitted …": a capitalised conjunction at the
	// start of the sentence is not part of the name.
	for start < end && toks[start].sentStart && leadIn[lower(toks[start].text)] {
		start++
	}
	if start == end && (leadIn[lower(toks[start].text)] || determiners[lower(toks[start].text)]) {
		// "As" or "This" at a sentence start is no speaker.
		return speakerPhrase{}, false
	}
	// A phrase that starts at a lowercase word must be anchored by a
	// determiner, a capital or a possessive: "campus security" is not one.
	return speakerPhrase{from: start, to: end + 1}, true
}

// anchorsPhrase reports whether a token can open a speaker phrase.
func anchorsPhrase(t token) bool {
	if t.kind != tkWord || t.quote >= 0 {
		return false
	}
	lw := lower(t.text)
	return determiners[lw] || isPossessive(lw) || (isCapWord(t) && !t.sentStart)
}

// plausibleHead accepts a lowercase noun as the head of a nameless speaker
// phrase: a plural common noun by its part of speech ("allies",
// "strategists"), or a known speaker noun.
func plausibleHead(t token) bool {
	return t.pos == "NNS" || descriptors[lower(t.text)]
}

// phraseForward reads a speaker phrase starting at token i, scanning
// rightwards, as in "said Sen. Ana Ruiz (D-Ore.)".
func phraseForward(toks []token, i, limit int) (speakerPhrase, bool) {
	j := i
	if j >= limit || toks[j].quote >= 0 || toks[j].kind != tkWord {
		return speakerPhrase{}, false
	}
	lw := lower(toks[j].text)
	if personPronouns[lw] || groupPronouns[lw] {
		return speakerPhrase{from: j, to: j + 1, pronoun: true}, true
	}
	if determiners[lw] {
		j++
	}
	sawHead, sawCap := false, false
	lastHead := -1
	for j < limit {
		t := toks[j]
		if t.quote >= 0 {
			break
		}
		if t.text == "(" && sawHead {
			k := j + 1
			for k < limit && toks[k].text != ")" && k-j < 8 {
				k++
			}
			if k >= limit || toks[k].text != ")" {
				break
			}
			j = k + 1
			lastHead = k
			continue
		}
		if t.kind != tkWord {
			break
		}
		w := lower(t.text)
		switch {
		case isCapWord(t):
			sawHead, sawCap, lastHead = true, true, j
		case (nameParticles[w] || w == "of" || w == "for" || w == "and") && sawHead && j+1 < limit && isCapWord(toks[j+1]):
		case descriptors[w] && (sawCap || !forwardAnchor(toks, j+1, limit)):
			sawHead, lastHead = true, j
		case isPossessive(w) || strings.Contains(w, "-") || w == "top" || w == "former" || w == "new" || w == "recent" || startsDigit(w):
			// part of a description before the head
		case !sawCap && startsLower(w) && !determiners[w] && forwardAnchor(toks, j+1, limit):
			// "longtime radio host Dana Cole"
		default:
			j = limit
			continue
		}
		j++
	}
	if !sawHead || lastHead < i {
		return speakerPhrase{}, false
	}
	return speakerPhrase{from: i, to: lastHead + 1}, true
}

// apposition returns the token range of ", the lawyer for the agency,"
// style text starting at the comma at token i, or ok=false.
func apposition(toks []token, i, limit int) (int, bool) {
	if i >= limit || toks[i].text != "," {
		return i, false
	}
	for k := i + 1; k < limit && k-i < 30; k++ {
		t := toks[k]
		if t.quote >= 0 || t.kind == tkEnd || t.kind == tkNL || t.kind == tkOpenQ || t.kind == tkCloseQ || t.kind == tkStraight {
			return i, false
		}
		if t.text == "," || t.text == "—" || t.text == "--" {
			if k == i+1 {
				return i, false
			}
			return k, true
		}
		if t.kind == tkWord && cueWords[lower(t.text)] != cueNone {
			return i, false
		}
	}
	return i, false
}

// nameParts splits a speaker phrase into the name and the description, e.g.
// "Russian President Vladimir Putin" into "Vladimir Putin" and "Russian
// President". A phrase without a name comes back whole as the name.
func nameParts(toks []token, ph speakerPhrase, p string) (name, desc string, isPerson bool) {
	// Drop parentheticals such as "(R-S.C.)" from the name.
	var words []token
	for k := ph.from; k < ph.to; k++ {
		if toks[k].text == "(" {
			for k < ph.to && toks[k].text != ")" {
				k++
			}
			continue
		}
		words = append(words, toks[k])
	}
	if len(words) == 0 {
		return "", "", false
	}
	whole := p[ph.from0(toks):ph.to0(toks)]
	last := words[len(words)-1]
	if !isCapWord(last) {
		// "the Clinton campaign", "Connecticut’s tax commissioner"
		return whole, "", false
	}
	// The trailing run of name words.
	runStart := len(words) - 1
	for runStart > 0 {
		w := words[runStart-1]
		lw := lower(w.text)
		if isCapWord(w) && !isPossessive(w.text) {
			runStart--
			continue
		}
		if (nameParticles[lw] || lw == "of" || lw == "for" || lw == "and" || lw == "the") && runStart >= 2 && isCapWord(words[runStart-2]) {
			runStart--
			continue
		}
		break
	}
	// "Mr. Okafor of the Harbour Trust": a person named before an
	// organisation keeps the organisation as description.
	for k := runStart + 1; k < len(words)-1; k++ {
		if lower(words[k].text) != "of" || !isCapWord(words[k-1]) || orgWords[lower(words[k-1].text)] {
			continue
		}
		pre := words[:k]
		preOrg := false
		for _, w := range pre {
			if orgWords[lower(w.text)] {
				preOrg = true
			}
		}
		if !preOrg && (titles[lower(pre[0].text)] || k-runStart >= 2) {
			n, d, person := nameParts(toks, speakerPhrase{from: indexOf(toks, pre[0]), to: indexOf(toks, pre[len(pre)-1]) + 1}, p)
			if person {
				return n, strings.TrimSpace(d + " " + p[words[k].s:last.e]), true
			}
		}
		break
	}
	run := words[runStart:]
	if pw := lower(words[max(runStart-1, 0)].text); runStart >= 2 && (pw == "in" || pw == "on" || pw == "at" || pw == "from") && words[runStart-2].pos == "NNS" {
		// "People in Ohio", "supporters in Congress": a group, named whole.
		return whole, "", false
	}
	if runStart >= 2 && lower(words[runStart-1].text) == "of" && descriptors[lower(words[runStart-2].text)] {
		// "the foreign minister of France" describes someone unnamed.
		return whole, "", false
	}
	hasOrg := false
	for _, w := range run {
		if orgWords[lower(w.text)] {
			hasOrg = true
		}
	}
	// The name follows the last title in the run.
	lastTitle := -1
	for k, w := range run {
		// After "Mr." or "Dr." comes a surname, even one that is also a
		// title: "Mr. King", "Dr. Dean".
		if titles[lower(w.text)] && !(k > 0 && text.IsHonorific(run[k-1].text)) {
			lastTitle = k
		}
	}
	nameStart := lastTitle + 1
	// "Secretary of State John Kerry": skip the title's "of State".
	for nameStart+1 < len(run) && lower(run[nameStart].text) == "of" {
		nameStart += 2
	}
	if nameStart >= len(run) {
		return whole, "", false
	}
	tail := run[nameStart:]
	tailOrg := false
	for _, w := range tail {
		if orgWords[lower(w.text)] {
			tailOrg = true
		}
	}
	if tailOrg || (hasOrg && lastTitle < 0) {
		// An organisation keeps its full name as written.
		return strings.TrimSpace(p[words[0].s:last.e]), "", false
	}
	// A person: "Elijah Cummings of Maryland" is named "Elijah Cummings".
	for k := 1; k < len(tail); k++ {
		if lower(tail[k].text) == "of" || lower(tail[k].text) == "and" {
			tail = tail[:k]
			break
		}
	}
	name = p[tail[0].s:tail[len(tail)-1].e]
	first := words[0]
	if determiners[lower(first.text)] && len(words) > 1 {
		first = words[1]
	}
	if first.s < tail[0].s {
		desc = strings.TrimSpace(p[first.s:tail[0].s])
	}
	return name, desc, true
}

func (ph speakerPhrase) from0(toks []token) int { return toks[ph.from].s }
func (ph speakerPhrase) to0(toks []token) int   { return toks[ph.to-1].e }

// indexOf returns the index of tok in toks, found by its offset.
func indexOf(toks []token, tok token) int {
	for i := range toks {
		if toks[i].s == tok.s {
			return i
		}
	}
	return -1
}

func startsDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// isAffiliation reports whether w is a party-and-state tag such as "R-Ky."
// or "D-N.Y.", which follows a lawmaker's name and is not a name itself.
func isAffiliation(w string) bool {
	return len(w) >= 3 && (w[0] == 'R' || w[0] == 'D' || w[0] == 'I') && w[1] == '-'
}

// forwardAnchor reports whether a role word or a capital follows within
// two tokens, so that lowercase modifiers before it belong to the phrase.
func forwardAnchor(toks []token, j, limit int) bool {
	for k := j; k < limit && k < j+2; k++ {
		t := toks[k]
		if t.kind != tkWord || t.quote >= 0 {
			return false
		}
		if isCapWord(t) || descriptors[lower(t.text)] {
			return true
		}
	}
	return false
}
