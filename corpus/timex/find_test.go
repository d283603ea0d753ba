package timex

import (
	"github.com/storybot/storybot/corpus/text"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type txWant struct {
	text  string
	value string
	prec  Precision
	rel   bool
}

func txPub(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// Sentences are written for these tests in wire style; rows marked seed
// come from the seed story, published Friday 2022-02-25.
var txCases = []struct {
	name string
	pub  string
	text string
	want []txWant
}{
	// The seed story.
	{"seed weekday", "2022-02-25", "Russian forces threatened the Ukrainian capital of Kyiv on Friday.",
		[]txWant{{"Friday", "2022-02-25", Day, true}}},
	{"seed part of day", "2022-02-25", "The spokesman issued a statement on Twitter on Friday morning urging a resolution.",
		[]txWant{{"Friday morning", "2022-02-25", Day, true}}},
	{"seed late on weekday", "2022-02-25", "Putin authorized the operation late on Wednesday U.S. time.",
		[]txWant{{"late on Wednesday U.S. time", "2022-02-23", Day, true}}},
	{"seed month", "2022-02-25", "In January, the United Nations said it had received allegations.",
		[]txWant{{"January", "2022-01", Month, true}}},
	{"seed month year and year", "2022-02-25", "The Taliban returned to power following the withdrawal of U.S. forces in August 2021. The U.S. had invaded Afghanistan in 2001 following the 9/11 terrorist attacks.",
		[]txWant{{"August 2021", "2021-08", Month, false}, {"2001", "2001", Year, false}}},
	{"seed update stamp", "2022-02-25", "Update 02/25/22 06.35 a.m. ET: This article was updated to include more information.",
		[]txWant{{"02/25/22 06.35 a.m. ET", "2022-02-25T06:35", Minute, false}}},
	{"seed full date", "2022-02-25", "Troops patrol outside the town, eastern Ukraine, on February 19, 2022.",
		[]txWant{{"February 19, 2022", "2022-02-19", Day, false}}},
	{"seed today in quote", "2022-02-25", `"Today, Ukraine needs everything," the ministry tweeted.`,
		[]txWant{{"Today", "2022-02-25", Day, true}}},

	// Absolute dates.
	{"month ahead in reported speech", "2021-08-20", "Regulators told the airlines of a sharp cut in flights in September.",
		[]txWant{{"September", "2021-09", Month, true}}},
	{"month ahead with a past verb", "2021-08-20", "The company said it cut jobs in September.",
		[]txWant{{"September", "2020-09", Month, true}}},
	{"date naming an event", "2021-03-12", "Police are still looking for the driver in the Jan. 9 hit-and-run.",
		[]txWant{{"Jan. 9", "2021-01-09", Day, true}}},
	{"abbreviated full date", "2022-02-25", "The deal was signed Feb. 19, 2022, in Geneva.",
		[]txWant{{"Feb. 19, 2022", "2022-02-19", Day, false}}},
	{"day month year", "2022-02-25", "The ceasefire began on 19 February 2022.",
		[]txWant{{"19 February 2022", "2022-02-19", Day, false}}},
	{"iso date", "2022-02-25", "The filing is dated 2021-11-30.",
		[]txWant{{"2021-11-30", "2021-11-30", Day, false}}},
	{"bare year after in", "2022-02-25", "The plant closed in 1998 after a fire.",
		[]txWant{{"1998", "1998", Year, false}}},
	{"decade", "2022-02-25", "Crime fell sharply in the 1990s.",
		[]txWant{{"the 1990s", "199", Decade, false}}},
	{"mid year", "2022-02-25", "The line should open by mid-2019, officials had said.",
		[]txWant{{"mid-2019", "2019", Year, false}}},
	{"season with year", "2022-02-25", "The company went public in the fall of 2020.",
		[]txWant{{"the fall of 2020", "2020", Year, false}}},
	{"spelled year", "2022-02-25", "It was nineteen ninety-one when the wall came down.",
		[]txWant{{"nineteen ninety-one", "1991", Year, false}}},

	// Days relative to publication.
	{"yesterday", "2022-02-25", "The minister returned to the capital yesterday.",
		[]txWant{{"yesterday", "2022-02-24", Day, true}}},
	{"late yesterday", "2022-02-25", "The bill passed late yesterday.",
		[]txWant{{"late yesterday", "2022-02-24", Day, true}}},
	{"tonight", "2022-02-25", "The mayor will address the city tonight.",
		[]txWant{{"tonight", "2022-02-25", Day, true}}},
	{"last night", "2022-02-25", "Shelling resumed last night.",
		[]txWant{{"last night", "2022-02-24", Day, true}}},
	{"tomorrow", "2022-02-25", "Talks resume tomorrow in Minsk.",
		[]txWant{{"tomorrow", "2022-02-26", Day, true}}},
	{"days ago", "2022-02-25", "The convoy left two days ago.",
		[]txWant{{"two days ago", "2022-02-23", Day, true}}},
	{"weeks ago", "2022-02-25", "She was hired three weeks ago.",
		[]txWant{{"three weeks ago", "2022-02-04", Day, true}}},

	// Weekdays: past by default, the coming one under a future verb.
	{"past weekday", "2022-02-25", "The committee met on Monday.",
		[]txWant{{"Monday", "2022-02-21", Day, true}}},
	{"future weekday", "2022-02-25", "The committee will meet on Monday.",
		[]txWant{{"Monday", "2022-02-28", Day, true}}},
	{"scheduled weekday", "2022-02-25", "Officials are scheduled to meet Tuesday in Brussels.",
		[]txWant{{"Tuesday", "2022-03-01", Day, true}}},
	{"future same weekday", "2022-02-25", "The council will vote on Friday.",
		[]txWant{{"Friday", "2022-02-25", Day, true}}},
	{"next weekday", "2022-02-25", "The trial opens next Monday.",
		[]txWant{{"next Monday", "2022-02-28", Day, true}}},
	{"last weekday", "2022-02-25", "The talks collapsed last Friday.",
		[]txWant{{"last Friday", "2022-02-18", Day, true}}},
	{"possessive weekday", "2022-02-25", "Monday's meeting ended without a deal.",
		[]txWant{{"Monday", "2022-02-21", Day, true}}},
	{"fronted future weekday", "2022-02-25", "On Monday, the board will vote on the merger.",
		[]txWant{{"Monday", "2022-02-28", Day, true}}},
	{"clock before weekday", "2022-02-25", "The blast happened at 10 p.m. Wednesday.",
		[]txWant{{"10 p.m. Wednesday", "2022-02-23T22:00", Minute, true}}},
	{"noon weekday", "2022-02-25", "Polls closed at noon Thursday.",
		[]txWant{{"noon Thursday", "2022-02-24T12:00", Minute, true}}},
	{"weekday with date settles year", "1998-11-21", "The paper said in an editorial on Friday, Oct. 23:",
		[]txWant{{"Friday, Oct. 23", "1998-10-23", Day, true}}},
	{"weekend", "2000-04-24", "Two people were hurt over the weekend.",
		[]txWant{{"the weekend", "2000-04-22", Day, true}}},

	// Weeks, months, years.
	{"last week", "2022-02-25", "Prices rose sharply last week.",
		[]txWant{{"last week", "2022-02", Month, true}}},
	{"next month", "2022-02-25", "The summit will be held next month.",
		[]txWant{{"next month", "2022-03", Month, true}}},
	{"earlier this month", "2022-02-25", "Sales fell earlier this month.",
		[]txWant{{"earlier this month", "2022-02", Month, true}}},
	{"last year", "2022-02-25", "Inflation hit a record last year.",
		[]txWant{{"last year", "2021", Year, true}}},
	{"early next year", "2022-02-25", "The sale should close early next year.",
		[]txWant{{"early next year", "2023", Year, true}}},
	{"a year ago", "2022-02-25", "The factory opened a year ago.",
		[]txWant{{"a year ago", "2021", Year, true}}},
	{"past month name", "2022-02-25", "He resigned in March for health reasons.",
		[]txWant{{"March", "2021-03", Month, true}}},
	{"future month name", "2022-02-25", "The law is expected to take effect in March.",
		[]txWant{{"March", "2022-03", Month, true}}},
	{"month name as modifier", "1999-02-10", "The March summit will let the three leaders sign.",
		[]txWant{{"March", "1999-03", Month, true}}},
	{"last month name", "2022-02-25", "The company was sold last June.",
		[]txWant{{"last June", "2021-06", Month, true}}},
	{"last month name skips the month just gone", "1998-03-01", "Prices peaked last February.",
		[]txWant{{"last February", "1997-02", Month, true}}},
	{"month with this year", "2022-06-10", "Exports fell in January this year.",
		[]txWant{{"January this year", "2022-01", Month, true}}},
	{"past month day", "2022-02-25", "The memorial held on Sept. 11 drew crowds.",
		[]txWant{{"Sept. 11", "2021-09-11", Day, true}}},
	{"future month day", "2022-02-25", "The plant will reopen Sept. 11.",
		[]txWant{{"Sept. 11", "2022-09-11", Day, true}}},
	{"near month day", "2022-02-25", "Lawmakers face a March 3 deadline.",
		[]txWant{{"March 3", "2022-03-03", Day, true}}},
	{"ordinal of month", "2022-02-25", "The festival opens on the 1st of May.",
		[]txWant{{"the 1st of May", "2022-05-01", Day, true}}},
	{"last spring", "2022-02-25", "The school was rebuilt last spring.",
		[]txWant{{"last spring", "2021", Year, true}}},
	{"this fall", "2022-02-25", "The school will reopen this fall.",
		[]txWant{{"this fall", "2022", Year, true}}},
	{"holiday", "2000-01-07", "The boy was found Thanksgiving Day at sea.",
		[]txWant{{"Thanksgiving Day", "1999-11-25", Day, true}}},

	// Publication date unknown: relative values stay empty, absolute ones do not.
	{"unknown weekday", "", "The talks ended on Friday.",
		[]txWant{{"Friday", "", Day, true}}},
	{"unknown yesterday", "", "The minister returned yesterday.",
		[]txWant{{"yesterday", "", Day, true}}},
	{"unknown absolute", "", "Forces withdrew in August 2021 and the city fell on Aug. 15, 2021.",
		[]txWant{{"August 2021", "2021-08", Month, false}, {"Aug. 15, 2021", "2021-08-15", Day, false}}},

	// Words that only look like dates.
	{"may as verb", "2022-02-25", "The deal may be signed soon, and prices may fall.", nil},
	{"march as noun", "2022-02-25", "Thousands joined the march on the capital.", nil},
	{"march as name", "2022-02-25", "The March on Washington drew thousands.", nil},
	{"may as surname", "2022-02-25", "Prime Minister Theresa May said she would stay.", nil},
	{"band name", "2022-02-25", "Fall Out Boy played a sold-out set.", nil},
	{"weekday abbreviations", "2022-02-25", "The Sun reported it, and Wed said nothing.", nil},
	{"count with comma", "2022-02-25", "The measure passed with 2,001 votes.", nil},
	{"count of people", "2022-02-25", "The firm employs 2001 workers.", nil},
	{"money", "2022-02-25", "He paid $2001 for the car.", nil},
	{"product name", "2022-02-25", "Computers running Windows 2000 crashed.", nil},
	{"fall of a city", "2022-02-25", "Analysts warned about the fall of Kabul.", nil},
	{"programme name", "2022-02-25", "The manager told CBS This Morning that he was confident.", nil},
	{"newspaper name", "2022-02-25", "The Sunday Times first reported the story.", nil},
	{"generic holiday", "2022-02-25", "Tariffs hit Christmas trees from Oregon.", nil},
	{"event name", "2022-02-25", "The 9/11 attacks changed the region.", nil},
	{"bare season", "2022-02-25", "Prices fall in the fall of demand.", nil},
	{"fall as verb before unit", "2022-02-25", "Stocks could fall this year.",
		[]txWant{{"this year", "2022", Year, true}}},
	{"last year of a war", "2022-02-25", "He died in the last year of the war.", nil},

	// Tense from the governing verb, not from nearby words.
	{"noun plan is no future", "2022-02-25", "The council approved the plan Feb. 21 after a long debate.",
		[]txWant{{"Feb. 21", "2022-02-21", Day, true}}},
	{"past perfect scheduled", "2022-02-23", "The vote had been scheduled for Friday before the storm.",
		[]txWant{{"Friday", "2022-02-18", Day, true}}},
	{"future scheduled", "2022-02-23", "The vote is scheduled for Friday.",
		[]txWant{{"Friday", "2022-02-25", Day, true}}},
	{"future auxiliary", "2022-02-23", "The board will meet Monday to pick a chair.",
		[]txWant{{"Monday", "2022-02-28", Day, true}}},

	// Relative forms.
	{"current year", "2022-02-25", "Sales rose in the current year.",
		[]txWant{{"the current year", "2022", Year, true}}},
	{"year-earlier", "2022-02-25", "Profit beat the year-earlier level.",
		[]txWant{{"year-earlier", "2021", Year, true}}},
	{"in five years", "2022-02-25", "The mayor will retire in five years.",
		[]txWant{{"five years", "2027", Year, true}}},
	{"in five years as a span", "2022-02-25", "Prices fell to the lowest level in five years.", nil},
	{"the fiscal year", "1989-11-02", "The truck maker said the drop in net income will result in lower earnings for the fiscal year.",
		[]txWant{{"the fiscal year", "1989", Year, true}}},
	{"last fiscal year", "1989-11-02", "Sales fell 4% last fiscal year.",
		[]txWant{{"last fiscal year", "1988", Year, true}}},
	{"the fiscal year by its end", "1989-11-02", "Earnings rose in the fiscal year ended Sept. 30.",
		[]txWant{{"Sept. 30", "1989-09-30", Day, true}}},
}

// Narrative time: expressions read against the date of the event before them.
func TestFindStoryNarrativeAnchors(t *testing.T) {
	pub := txPub("2022-02-25")
	paras := []string{
		"The storm reached the coast on Feb. 3, 2022. That day, the harbour closed.",
		"The next morning, crews began to clear the roads.",
		"Repairs began in October 2021 and ended the following month.",
	}
	var docs []*text.Doc
	for _, p := range paras {
		docs = append(docs, text.Analyze(p))
	}
	got := FindStory(docs, pub)
	want := []struct {
		para        int
		text, value string
	}{
		{0, "That day", "2022-02-03"},
		{1, "The next morning", "2022-02-04"},
		{2, "the following month", "2021-11"},
	}
	for _, w := range want {
		found := false
		for _, te := range got[w.para] {
			if te.Text == w.text {
				found = true
				if te.Value != w.value || te.Confidence <= 0 {
					t.Errorf("%q = %s (confidence %.2f), want %s", w.text, te.Value, te.Confidence, w.value)
				}
			}
		}
		if !found {
			t.Errorf("paragraph %d: no %q in %+v", w.para, w.text, got[w.para])
		}
	}
}

func TestFindTimes(t *testing.T) {
	for _, c := range txCases {
		t.Run(c.name, func(t *testing.T) {
			got := Find(c.text, txPub(c.pub))
			if len(got) != len(c.want) {
				t.Fatalf("Find(%q) = %+v, want %d expressions", c.text, got, len(c.want))
			}
			for i, w := range c.want {
				g := got[i]
				if g.Text != w.text || g.Value != w.value || g.Precision != w.prec || g.Relative != w.rel {
					t.Errorf("expression %d = {%q %q %s rel=%v}, want {%q %q %s rel=%v}",
						i, g.Text, g.Value, g.Precision, g.Relative, w.text, w.value, w.prec, w.rel)
				}
			}
		})
	}
}

// TestFindTimesSpans checks the contract every caller relies on: Text is
// the slice at Start:End, in text order, without overlap.
func TestFindTimesSpans(t *testing.T) {
	for _, c := range txCases {
		end := 0
		for _, g := range Find(c.text, txPub(c.pub)) {
			if c.text[g.Start:g.End] != g.Text {
				t.Errorf("%s: text[%d:%d] = %q, Text %q", c.name, g.Start, g.End, c.text[g.Start:g.End], g.Text)
			}
			if g.Start < end {
				t.Errorf("%s: %q overlaps or precedes the previous expression", c.name, g.Text)
			}
			end = g.End
		}
	}
}

func BenchmarkFindTimes(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "seed", "taliban-call-for-russia-ukraine-peace.txt"))
	if err != nil {
		b.Skip(err)
	}
	paras := strings.Split(strings.TrimSpace(string(data)), "\n\n")[1:]
	pub := time.Date(2022, 2, 25, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range paras {
			Find(p, pub)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(paras)), "ns/paragraph")
}

// TestFindTimesAtTextEnd covers text that ends where a year rule looks one
// word ahead; the fuzzer found it crashing on a paragraph ending in "the".
func TestFindTimesAtTextEnd(t *testing.T) {
	pub := time.Date(2022, 2, 25, 0, 0, 0, 0, time.UTC)
	for _, text := range []string{"The", "the", "In the", "Back in the"} {
		if got := Find(text, pub); len(got) != 0 {
			t.Errorf("%q: %+v, want nothing", text, got)
		}
	}
	if got := Find("In 1999 the", pub); len(got) != 1 || got[0].Value != "1999" {
		t.Errorf("%q: %+v, want 1999", "In 1999 the", got)
	}
}

// Event time: "the weeks before X happened" takes its date from the
// sentence, anywhere in the story, that dates X.
func TestFindStoryEventAnchors(t *testing.T) {
	pub := txPub("2021-03-12")
	paras := []string{
		"Maria Okafor, a nurse, was killed by a hit-and-run driver on Jan. 9 outside the hospital.",
		"Neighbours said a grey van was seen on the street in the weeks before Okafor was killed.",
		"Officials met in the days after the vote.",
		"Shops were busy in the weeks before Christmas.",
	}
	var docs []*text.Doc
	for _, p := range paras {
		docs = append(docs, text.Analyze(p))
	}
	got := FindStory(docs, pub)
	var found bool
	for _, te := range got[1] {
		if te.Text == "the weeks before" {
			found = true
			if te.Value != "2020-12" && te.Value != "2021-01" || te.Precision != Month {
				t.Errorf("%q = %s at %s, want a month near 2021-01-09", te.Text, te.Value, te.Precision)
			}
		}
	}
	if !found {
		t.Errorf("no \"the weeks before\" in %+v", got[1])
	}
	// Which vote is not said, so nothing dates it.
	for _, te := range got[2] {
		t.Errorf("undated event read as %+v", te)
	}
	for _, te := range got[3] {
		if te.Text == "the weeks before" {
			t.Errorf("a named date's lead read as an event expression: %+v", te)
		}
	}
}
