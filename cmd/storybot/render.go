package main

import (
	"fmt"
	"strings"

	"github.com/storybot/storybot/bot"
	"github.com/storybot/storybot/index/answer"
)

// printAnswer writes an answer for people, from the answer itself: the
// short answer, any note, then each passage quoted word for word with the
// words it shares with the question marked, and its source. first is the
// number of the first passage, from 1, for the pages of the console's /more.
func printAnswer(d display, a answer.Answer, first int) {
	if !a.Found {
		fmt.Fprintln(d.w, d.paint(styleYellow, a.Note))
		return
	}
	if first <= 1 {
		if s := shortAnswer(a); s != "" {
			label, value, _ := strings.Cut(s, ": ")
			fmt.Fprintf(d.w, "%s: %s   %s\n", label, d.paint(styleBold, value),
				d.paint(styleDim, fmt.Sprintf("[confidence %.0f%%]", 100*a.Confidence)))
		} else {
			// Passages without a short answer are only the closest ones:
			// the stories may not say.
			fmt.Fprintln(d.w, d.paint(styleYellow, "Closest passages (no short answer):"))
		}
		if a.Note != "" {
			fmt.Fprintln(d.w, d.paint(styleYellow, a.Note))
		}
	}
	indent := "    "
	for i, p := range a.Passages {
		fmt.Fprintln(d.w)
		// The quotation marks shift the text, and so its marks, by one rune each.
		const open, shut = "“", "”"
		marks := make([]span, 0, len(p.Matches))
		for _, m := range p.Matches {
			marks = append(marks, span{m.Start + len(open), m.End + len(open)})
		}
		num := fmt.Sprintf("[%d]", first+i)
		d.block(open+p.Text+shut, marks, d.paint(styleCyan, num)+strings.Repeat(" ", max(1, len(indent)-len(num))), indent)
		d.block("— "+attribution(p), nil, indent, indent)
		if p.URL != "" {
			fmt.Fprintf(d.w, "%s%s\n", indent, d.paint(styleDim, p.URL))
		}
	}
}

// shortAnswer is the answer's first line, "Label: value", or "".
func shortAnswer(a answer.Answer) string {
	switch {
	case a.Answer == "":
		return ""
	case a.Kind == answer.Who && a.Description != "":
		return fmt.Sprintf("Said by: %s (%s)", a.Answer, a.Description)
	case a.Kind == answer.Who:
		return "Said by: " + a.Answer
	case a.Kind == answer.When && a.Date != "":
		return fmt.Sprintf("When: %s (%q)", a.Date, a.Answer)
	case a.Kind == answer.When:
		return fmt.Sprintf("When: %q", a.Answer)
	case a.Date != "" && a.Date != a.Answer:
		return fmt.Sprintf("Answer: %s (%s)", a.Answer, a.Date)
	}
	return "Answer: " + a.Answer
}

// attribution names where a passage comes from.
func attribution(p answer.Passage) string {
	parts := []string{p.Headline}
	if p.Source != "" {
		parts = append(parts, p.Source)
	}
	date := p.Published
	if date == "" {
		date = "date unknown"
	}
	parts = append(parts, date, fmt.Sprintf("paragraph %d", bot.ParagraphNumber(p.Paragraph)))
	return strings.Join(parts, " · ")
}
