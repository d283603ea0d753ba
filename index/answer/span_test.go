package answer

import (
	"slices"
	"testing"

	"github.com/storybot/storybot/index"
)

func askCandidate(text string) *candidate {
	return &candidate{hit: index.Hit{Text: text}, toks: tokenize(text)}
}

// Each row is one kind of question. The seed story's sentences come first;
// the rest were written for these tests. The span scorer is learned, so a
// row asks that the right phrase be among its three best (each ranked by
// the scorer's minimum-Bayes-risk choice), and that a question whose type
// no phrase has gets none.
func TestBestSpan(t *testing.T) {
	for _, tc := range []struct {
		name, question, text, want string
	}{
		{"how many", "How many former Afghan government officials were allegedly killed?",
			`In January, the United Nations said it had received "credible allegations" that more than 100 former Afghan government officials, members of the security forces and people who worked with U.S. and allied forces had been killed since the Taliban takeover.`,
			"more than 100"},
		{"what, after the question's last word", "What did Ukraine's defense ministry urge citizens to make?",
			`The Ukrainian Ministry of Defense wrote on Twitter: "We urge citizens to inform us of troop movements, to make Molotov cocktails, and neutralize the enemy."`,
			"Molotov cocktails"},
		{"what, next to the focus word", "What foreign policy does the Islamic Emirate claim to follow?",
			`The statement went on: "The Islamic Emirate of Afghanistan, in line with its foreign policy of neutrality, calls on both sides of the conflict to resolve the crisis through dialogue and peaceful means.`,
			"neutrality"},
		{"where, not the title line", "Where were the Ukrainian troops patrolling?",
			"Ukrainian Soldier on Patrol\nUkrainian troops patrol at the frontline outside the town of Novoluhanske, eastern Ukraine, on February 19, 2022.",
			"Novoluhanske"},
		{"when", "When was the old bridge opened?",
			"The old bridge over the river was opened in 1928 by the mayor, who cut a ribbon.",
			"1928"},
		{"what year", "In what year did the library move?",
			"After a long dispute the library finally moved to the harbour in 1964, taking its maps along.",
			"1964"},
		{"who", "Who designed the first bridge?",
			"The first bridge was designed by Anna Keller, an engineer from the town.",
			"Anna Keller"},
		{"which, a name headed by the focus", "Which university did the students first meet at?",
			"The students first met at Halden University in the winter, long before the strike.",
			"Halden University"},
		{"what percentage", "What percentage of voters turned out in the second round?",
			"Of 80,000 registered voters, 64.5% turned out in the second round, the electoral office said.",
			"64.5%"},
		{"how much money", "How much did the new stadium cost?",
			"The new stadium cost $350 million and seats 40,000 people.",
			"$350 million"},
		{"called", "What are the small silver fish called?",
			"The small silver fish, known as sprats, are caught in winter.",
			"sprats"},
		{"no number where one is asked for", "How many citizens stayed calm?",
			"The ministry urged citizens to stay calm.",
			""},
		{"a weekday is not a number", "How many soldiers entered the town?",
			"Soldiers entered the town on Friday morning, the mayor said.",
			""},
		{"a weekday is not a person", "Who entered the town?",
			"The town was entered on Friday morning.",
			""},
		{"a language is not a person", "Who wrote the statement?",
			"The statement was in English.",
			""},
		{"nothing but the question's words", "Why did the ministry urge calm?",
			"The ministry urged calm.",
			""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			best := bestPhrases(t, tc.question, tc.text, 3)
			if tc.want == "" {
				if len(best) > 0 {
					t.Errorf("%q: phrases %q, want none", tc.question, best)
				}
				return
			}
			if !slices.Contains(best, tc.want) {
				t.Errorf("%q: best phrases %q, want %q among them", tc.question, best, tc.want)
			}
		})
	}
}

func TestAnalyseQuestion(t *testing.T) {
	for _, tc := range []struct {
		question string
		want     answerType
	}{
		{"How many ships sank?", typeNumber},
		{"What percentage of the vote did she win?", typePercent},
		{"How much did the bridge cost?", typeMoney},
		{"When did the war end?", typeDate},
		{"What year did the war end?", typeDate},
		{"Who founded the company?", typePerson},
		{"Where was he born?", typePlace},
		{"What city hosted the games?", typePlace},
		{"What is the population of the city?", typeNumber},
		{"What is the name of the gallery?", typeName},
		// The wh-word after the comma is the one that counts.
		{"When the war ended, what was the treaty called?", typeName},
		{"Why did the talks fail?", typeReason},
	} {
		q := parseQuestion(Ask, tc.question)
		if got := analyseQuestion(q.Raw, weights(q.Search)).typ; got != tc.want {
			t.Errorf("%q: type %d, want %d", tc.question, got, tc.want)
		}
	}
}

// bestPhrases are the n phrases of text that the embedded model likes best
// as answers, each the choice that remains when the better ones are taken
// out, whatever their confidence.
func bestPhrases(t testing.TB, question, text string, n int) []string {
	t.Helper()
	m, err := defaultModel()
	if err != nil {
		t.Fatal(err)
	}
	q := parseQuestion(Ask, question)
	qw := weights(q.Search)
	opts := askOptions(analyseQuestion(q.Raw, qw), qw, askCandidate(text))
	var out []string
	for len(out) < n && len(opts) > 0 {
		ch := chooseSpan(m.Choose[Ask], opts)
		out = append(out, text[ch.opt.span.Start:ch.opt.span.End])
		opts = slices.DeleteFunc(opts, func(o option) bool { return o.span == ch.opt.span })
	}
	return out
}

func BenchmarkBestSpan(b *testing.B) {
	for i := 0; i < b.N; i++ {
		bestPhrases(b, "How many former Afghan government officials were allegedly killed?",
			`In January, the United Nations said it had received "credible allegations" that more than 100 former Afghan government officials, members of the security forces and people who worked with U.S. and allied forces had been killed since the Taliban takeover.`, 1)
	}
}
