package answer

import (
	"regexp"
	"strings"
)

// question is a user's question taken apart for searching and answering.
type question struct {
	Raw     string
	Search  string   // the words to search for, without the question frame
	Phrases []string // quoted parts, and for who-said the quotation itself
	WH      string   // who, when, where, howmany, howmuch, what, which, why, how, other
}

var (
	quoted = regexp.MustCompile(`["“”]([^"“”]{3,})["“”]`)
	// Frames that carry no content, such as "Who said that …?". They are
	// removed so that "said" or "when was it" does not steer the search.
	whoFrame  = regexp.MustCompile(`(?i)^\s*(?:who|which\s+\w+)\s+(?:said|says|say|stated|wrote|tweeted|claimed|argued|told\s+\w+|called|described|warned|urged|asked|added|noted|insisted|announced|reported)\s*(?:that\s+|:\s*)?`)
	whenFrame = regexp.MustCompile(`(?i)^\s*(?:when\s+(?:was\s+it\s+that|did|does|do|was|were|is|are|will|has|had|have)?|what\s+(?:day|date|time|year|month)\s+(?:did|was|were|is|will)?|on\s+what\s+date\s+(?:did|was|were)?)\s*`)
	trailingQ = regexp.MustCompile(`[\s?!.]+$`)
)

func parseQuestion(kind Kind, text string) question {
	q := question{Raw: text, WH: whType(text)}
	body := strings.TrimSpace(text)
	switch kind {
	case Who:
		body = whoFrame.ReplaceAllString(body, "")
	case When:
		body = whenFrame.ReplaceAllString(body, "")
	}
	body = trailingQ.ReplaceAllString(body, "")
	// A link pasted beside the question ("check this out https://…") is
	// not about the story: its words (https, com, the path's) would only
	// dilute the question's, and the gate would refuse it.
	body = strings.TrimSpace(webLink.ReplaceAllString(body, " "))
	for _, m := range quoted.FindAllStringSubmatch(body, -1) {
		q.Phrases = append(q.Phrases, strings.TrimSpace(m[1]))
	}
	q.Search = body
	if q.Search == "" {
		q.Search = text
	}
	return q
}

var webLink = regexp.MustCompile(`(?i)<?\b(?:https?://|www\.)[^\s<>]*>?`)

// whType is the rough type of the answer a question asks for.
func whType(text string) string {
	l := strings.ToLower(text)
	for _, p := range []struct{ prefix, wh string }{
		{"how many", "howmany"}, {"how much", "howmuch"}, {"how long", "howlong"},
		{"how old", "howmany"}, {"what year", "when"}, {"in what year", "when"},
		{"in which year", "when"}, {"what day", "when"}, {"what date", "when"},
		{"what percentage", "howmuch"}, {"what percent", "howmuch"},
	} {
		if strings.Contains(l, p.prefix) {
			return p.wh
		}
	}
	for _, t := range tokenize(l) {
		switch w := strings.ToLower(t.Word); w {
		case "who", "whom", "whose", "when", "where", "why", "what", "which", "how":
			return w
		}
	}
	return "other"
}
