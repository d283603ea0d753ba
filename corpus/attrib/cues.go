package attrib

import (
	"strings"

	"github.com/storybot/storybot/corpus/text"
)

// cueKind says how a cue word relates to its speaker and content.
type cueKind uint8

const (
	cueNone cueKind = iota
	// cueVerb is a finite speech verb: "said", "tells", "has warned".
	cueVerb
	// cuePart is a participle whose subject is the sentence's speaker:
	// "…, adding that …", "…, urging a resolution".
	cuePart
	// cueNoun is a noun of speech owned by a possessive: "Trump’s claim that".
	cueNoun
)

// cueWords maps speech verbs in all their forms to their kind. Verbs that
// take the addressee as object are listed in objectCues as well.
var cueWords = buildCues()

// objectCues take an addressee before the content: "told reporters that".
var objectCues = text.WordSet("told tells tell telling asked asks asking urged urges urging warned warns warning reminded reminds " +
	"reminding assured assures assuring informed informs informing")

// framingCues introduce a characterisation, not a report: "called the
// action a “full-scale invasion”", "what he described as".
var framingCues = text.WordSet("called calls calling described describes describing dubbed labeled labelled branded termed")

func buildCues() map[string]cueKind {
	m := map[string]cueKind{}
	verbs := "say says said tell tells told add adds added write writes wrote tweet tweets tweeted report reports reported " +
		"argue argues argued claim claims claimed note notes noted state states stated insist insists insisted explain explains explained " +
		"announce announces announced warn warns warned urge urges urged suggest suggests suggested acknowledge acknowledges acknowledged " +
		"respond responds responded recall recalls recalled stress stresses stressed emphasize emphasizes emphasized emphasise emphasised " +
		"declare declares declared vow vows vowed joke jokes joked complain complains complained admit admits admitted ask asks asked " +
		"describe describes described call calls called predict predicts predicted contend contends contended maintain maintains maintained " +
		"concede concedes conceded confirm confirms confirmed deny denies denied testify testifies testified reply replies replied " +
		"assert asserts asserted observe observes observed caution cautions cautioned estimate estimates estimated posted " +
		"promise promises promised pledge pledges pledged remark remarks remarked reiterate reiterates reiterated counter counters countered " +
		"agree agrees agreed allege alleges alleged charge charges charged concluded conclude concludes predicted recounted recount " +
		"disclosed revealed reveal reveals boasted boast boasts lamented lament laments quipped quip mused muses wondered wonders " +
		"observed dubbed labeled labelled branded termed informed assured reminded"
	for _, v := range strings.Fields(verbs) {
		m[v] = cueVerb
	}
	parts := "saying telling adding writing tweeting reporting arguing claiming noting stating insisting explaining announcing " +
		"warning urging suggesting acknowledging responding recalling stressing emphasizing emphasising declaring vowing joking complaining " +
		"admitting asking describing calling predicting contending maintaining conceding confirming denying testifying replying asserting " +
		"cautioning promising pledging remarking reiterating countering alleging charging concluding revealing boasting lamenting quipping"
	for _, v := range strings.Fields(parts) {
		m[v] = cuePart
	}
	return m
}

// nounCues are nouns of speech that take "that" content after a possessive.
var nounCues = text.WordSet("claim claims statement assertion argument remarks comments warning promise contention insistence " +
	"suggestion charge allegation accusation insistence pledge vow")

// nounOnly lists cue forms that are far more often nouns or adjectives
// when no speaker stands right before them ("the said company", "a report").
var nounOnly = text.WordSet("report reports state states note notes claim claims call calls charge charges counter tweet tweets " +
	"remark remarks promise promises pledge pledges vow vows")
