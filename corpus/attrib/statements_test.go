package attrib

import (
	"os"
	"strings"
	"testing"
)

// One row per attribution pattern. The sentences are written for these
// tests in the style of wire copy; none is taken from a published story.
func TestFindStatementsPatterns(t *testing.T) {
	tests := []struct {
		name    string
		para    string
		speaker string // "" means no statement may be found
		quote   string // a substring the statement's quote must contain
		direct  bool
	}{
		{"quote then X said", `“We will rebuild the bridge by spring,” Mayor Ana Ortiz said.`, "Ana Ortiz", "rebuild the bridge by spring", true},
		{"quote then said X", `"The budget is balanced," said Treasurer Paul Kim.`, "Paul Kim", "The budget is balanced", true},
		{"X said colon quote", `The Ukrainian Ministry of Defense said: “Stay indoors tonight.”`, "The Ukrainian Ministry of Defense", "Stay indoors tonight", true},
		{"X wrote on Twitter", `Senator Maria Lopez wrote on Twitter: "The vote is a victory for working families."`, "Maria Lopez", "victory for working families", true},
		{"X told Y quote", `Coach Dan Reyes told reporters, “We played our best game of the year.”`, "Dan Reyes", "best game of the year", true},
		{"X tweeted", `Governor Lee Park tweeted that the state would reopen its parks on Monday.`, "Lee Park", "reopen its parks", false},
		{"X said that", `Police Chief Ann Wu said that the suspect had been arrested near the station.`, "Ann Wu", "the suspect had been arrested", false},
		{"X said without that", `Energy Minister Olav Berg said prices would fall next winter.`, "Olav Berg", "prices would fall next winter", false},
		{"according to X first", `According to the Environmental Protection Agency, the river is safe for swimming.`, "the Environmental Protection Agency", "the river is safe for swimming", false},
		{"according to X last", `Unemployment fell to 4 percent in March, according to the Labor Department.`, "the Labor Department", "Unemployment fell to 4 percent", false},
		{"called the action a", `The Ukrainian government has called the action a "full-scale invasion" and asked for help.`, "The Ukrainian government", "full-scale invasion", false},
		{"described it as", `Russian President Vladimir Putin authorized what he described as a "special military operation" against Ukraine.`, "Vladimir Putin", "special military operation", false},
		{"X urged", `The United Nations urged both sides to protect civilians in the capital.`, "The United Nations", "protect civilians", false},
		{"X warned", `Health officials warned that the flu season could peak early this year.`, "Health officials", "flu season could peak", false},
		{"X added", `Ms. Tran added that the company would hire 200 workers at the new plant.`, "Tran", "hire 200 workers", false},
		{"X argued", `Defense lawyer Ruth Ames argued that the evidence had been collected illegally.`, "Ruth Ames", "collected illegally", false},
		{"X, description, said", `Omar Said, a spokesman for the port authority, said the ships would dock on Friday.`, "Omar Said", "ships would dock", false},
		{"trailing attribution", `The plant will close by the end of the year, the company said on Tuesday.`, "the company", "plant will close", false},
		{"participle", `Mayor Ana Ortiz defended the plan on Monday, saying that it would save the city millions.`, "Ana Ortiz", "save the city millions", false},
		{"possessive claim", `Reporters checked Jon Hale’s claim that the factory had never been inspected.`, "Jon Hale", "never been inspected", false},
		{"two speakers", `Sen. Ruth Ames and Sen. Omar Berg said the bill would fail in committee.`, "Ruth Ames and Omar Berg", "bill would fail", false},
		{"age, place and relative clause", `Ana Ruiz, 59, of Tolva, Ore., who watched the vote from the gallery, said the plan was fair.`, "Ana Ruiz", "the plan was fair", false},
		{"relative clause", `Tom Baker, who has led the union for a decade, told reporters the strike would go on.`, "Tom Baker", "the strike would go on", false},
		{"list of names", `Sens. Ana Ruiz (D-Ore.), Tom Baker (D-Ohio) and Lee Park (D-N.J.) all suggested that the plan could fail.`, "Ana Ruiz, Tom Baker and Lee Park", "the plan could fail", false},
		{"honorific before a title word", `Mr. King and Mr. Dean said that nobody had told them what to say.`, "King and Dean", "nobody had told them", false},
		{"plural title", `Senators Ana Ruiz and Tom Baker said they want the law changed.`, "Ana Ruiz and Tom Baker", "want the law changed", false},
		{"lead-in before the names", `In Washington, Ana Ruiz and Lee Park said the plan could fail.`, "Ana Ruiz and Lee Park", "the plan could fail", false},
		{"dashed apposition", `Lee Park -- co-author of Counting The Votes, a book about recounts -- said the count had been fair.`, "Lee Park", "the count had been fair", false},
		{"name, description and dashes", `Ana Ruiz, the head of Ora Media -- the company that owns the station, which also streams online -- told me, "We are a content provider."`, "Ana Ruiz", "We are a content provider", true},
		{"conjunction before the subject", `Although Ana Ruiz has said she pays her taxes, she does not defend the code.`, "Ana Ruiz", "she pays her taxes", false},
		{"editor's label", `CORRECTION: An earlier version of this story misstated the date of the vote.`, "", "", false},
		{"plural group with its body", `Developers and supporters in Congress say the program has brought billions of dollars.`, "Developers and supporters in Congress", "brought billions", false},
		{"plural group with its place", `People in Ohio said the rally was loud.`, "People in Ohio", "the rally was loud", false},
		{"adjective said", `The said company filed suit in federal court.`, "", "", false},
		{"scare quotes", `The film “Top Gun” opened in theaters across the country on Friday.`, "", "", false},
		{"title quotes", `She appeared on the program "Meet the Press" last year.`, "", "", false},
		{"no cue", `Russian forces entered the capital on Friday morning.`, "", "", false},
		{"names are not cues", `He moved to the United States and later worked for The Washington Post.`, "", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := FindText([]string{tc.para})[0]
			checkOffsets(t, tc.para, got)
			if tc.speaker == "" {
				if len(got) > 0 {
					t.Fatalf("want no statement, got %+v", got)
				}
				return
			}
			for _, s := range got {
				if strings.Contains(s.Quote, tc.quote) {
					if s.Speaker != tc.speaker {
						t.Errorf("speaker = %q, want %q (%+v)", s.Speaker, tc.speaker, s)
					}
					if s.Direct != tc.direct {
						t.Errorf("direct = %v, want %v", s.Direct, tc.direct)
					}
					return
				}
			}
			t.Fatalf("no statement quoting %q; got %+v", tc.quote, got)
		})
	}
}

// TestFindStatementsCoreference checks that later mentions resolve to the
// fullest earlier name and that quotations continue across paragraphs.
func TestFindStatementsCoreference(t *testing.T) {
	paras := []string{
		`Harbor Commission chairwoman Linda Okafor said on Monday that the port would expand.`,
		`"We have waited long enough," Okafor said. "The ships are getting bigger.`,
		`"And the city has to keep up."`,
		`She added that the plan still needed a vote.`,
		`The Coastal Fisheries Department opposed the plan. The department said the dredging would harm the bay.`,
	}
	got := FindText(paras)
	want := []struct {
		para    int
		quote   string
		speaker string
	}{
		{0, "the port would expand", "Linda Okafor"},
		{1, "We have waited long enough", "Linda Okafor"},
		{1, "The ships are getting bigger", "Linda Okafor"},
		{2, "And the city has to keep up", "Linda Okafor"},
		{3, "the plan still needed a vote", "Linda Okafor"},
		{4, "the dredging would harm the bay", "Coastal Fisheries Department"},
	}
	for _, w := range want {
		checkOffsets(t, paras[w.para], got[w.para])
		found := false
		for _, s := range got[w.para] {
			if strings.Contains(s.Quote, w.quote) {
				found = true
				if !strings.Contains(s.Speaker, w.speaker) {
					t.Errorf("para %d %q: speaker %q, want %q", w.para, w.quote, s.Speaker, w.speaker)
				}
			}
		}
		if !found {
			t.Errorf("para %d: no statement quoting %q in %+v", w.para, w.quote, got[w.para])
		}
	}
}

func checkOffsets(t *testing.T, p string, stmts []Statement) {
	t.Helper()
	for _, s := range stmts {
		if s.Start < 0 || s.End > len(p) || s.Start >= s.End || p[s.Start:s.End] != s.Quote {
			t.Errorf("bad offsets %d:%d for %q", s.Start, s.End, s.Quote)
		}
		if s.Speaker == "" {
			t.Errorf("statement without speaker: %+v", s)
		}
	}
}

// seedParagraphs reads the body paragraphs of the built-in seed story.
func seedParagraphs(tb testing.TB) []string {
	tb.Helper()
	data, err := os.ReadFile("../seed/taliban-call-for-russia-ukraine-peace.txt")
	if err != nil {
		tb.Fatal(err)
	}
	parts := strings.Split(strings.TrimSpace(string(data)), "\n\n")
	return parts[1:] // the headline is not a paragraph
}

func BenchmarkFindStatements(b *testing.B) {
	paras := seedParagraphs(b)
	b.ReportAllocs()
	for b.Loop() {
		FindText(paras)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(paras))/1000, "µs/para")
}

// TestContentStopsAtTheNextAttribution checks that a statement's content
// ends where another speaker's begins, and that a cue framing a whole
// attribution ("when she wrote her memoir, X said …") is no statement.
func TestContentStopsAtTheNextAttribution(t *testing.T) {
	tests := []struct {
		name, para string
		want       map[string]string // content → speaker
		absent     []string          // no statement's content holds these
	}{
		{"coordinated speakers",
			`The mayor stressed that the budget was not final, and union leaders warned that layoffs would follow.`,
			map[string]string{"the budget was not final": "The mayor", "layoffs would follow": "union leaders"},
			[]string{"union leaders"}},
		{"framing cue",
			`Back when she wrote her memoir, Ms. Alvarez said that she saw debt as a last resort.`,
			map[string]string{"she saw debt as a last resort": "Alvarez"},
			[]string{"her memoir"}},
		{"embedded report stays",
			`The senators said developers had stretched the rules, amounting to what the senators called gerrymandering.`,
			map[string]string{"developers had stretched the rules, amounting to what": "senators"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := FindText([]string{tc.para})[0]
			checkOffsets(t, tc.para, got)
			for content, speaker := range tc.want {
				found := false
				for _, s := range got {
					if strings.Contains(s.Quote, content) {
						found = true
						if !strings.Contains(s.Speaker, speaker) {
							t.Errorf("%q: speaker %q, want %q", content, s.Speaker, speaker)
						}
					}
				}
				if !found {
					t.Errorf("no statement quoting %q in %+v", content, got)
				}
			}
			for _, a := range tc.absent {
				for _, s := range got {
					if strings.Contains(s.Quote, a) {
						t.Errorf("statement %q (by %q) runs into %q", s.Quote, s.Speaker, a)
					}
				}
			}
		})
	}
}

// TestPronounAfterANamingParagraph checks that a "he" with no speaker
// before it is the person the previous paragraph named, and never a place.
func TestPronounAfterANamingParagraph(t *testing.T) {
	paras := []string{
		`Mayor Tom Baker spoke to reporters at the airport in New York on Saturday night.`,
		`"Just before I got off the plane a storm hit New York and nobody knows what is going on," he said.`,
	}
	got := FindText(paras)
	if len(got[1]) != 1 {
		t.Fatalf("want one statement, got %+v", got[1])
	}
	if s := got[1][0]; s.Speaker != "Tom Baker" {
		t.Errorf("speaker %q, want Tom Baker", s.Speaker)
	}
	// Content must end where the subordinate clause ends.
	if s := got[1][0]; strings.HasSuffix(s.Quote, ",") {
		t.Errorf("quote %q keeps its comma", s.Quote)
	}
}

// TestLongSentenceContentIsBounded checks that in a sentence with no full
// stop, what each statement quotes stays within a piece of the sentence:
// with every content running to the sentence's end, a feed item of 260 KB
// quoted a gigabyte. A sentence below the limit is read whole.
func TestLongSentenceContentIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("Ana Ruiz said the talks would resume")
	for i := range 4000 {
		b.WriteString(", adding that plan " + strings.Repeat("x", i%7+1) + " was ready")
	}
	b.WriteString(".")
	quoted := 0
	for _, s := range FindText([]string{b.String()})[0] {
		quoted += len(s.Quote)
	}
	if quoted > 20*b.Len() {
		t.Errorf("statements quote %d bytes of a %d-byte sentence", quoted, b.Len())
	}

	short := "Ana Ruiz said the talks would resume" + strings.Repeat(", adding that the plan was ready", maxSentence/8) + "."
	got := FindText([]string{short})[0]
	if len(got) == 0 || !strings.HasSuffix(got[0].Quote, "the plan was ready") || got[0].Speaker != "Ana Ruiz" {
		t.Fatalf("want Ana Ruiz quoted to the end of the sentence, got %+v", got[:min(len(got), 1)])
	}
}
