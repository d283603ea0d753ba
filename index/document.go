package index

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/storybot/storybot/corpus"
)

// annotations are a paragraph's statements and time expressions, stored
// with it as JSON so that answering needs no re-parsing.
type annotations struct {
	Statements []corpus.Statement `json:"s,omitempty"`
	Times      []corpus.TimeExpr  `json:"t,omitempty"`
}

func docID(story string, para int) string { return story + "#" + strconv.Itoa(para) }

// document is what bleve indexes for one paragraph.
func document(st *corpus.Story, p *corpus.Paragraph) (map[string]any, error) {
	ann, err := json.Marshal(annotations{Statements: p.Statements, Times: p.Times})
	if err != nil {
		return nil, fmt.Errorf("%s paragraph %d: %w", st.ID, p.Index, err)
	}
	return map[string]any{
		fieldStory:     st.ID,
		fieldParagraph: float64(p.Index),
		fieldHeadline:  st.Headline,
		fieldText:      p.Text,
		fieldPublished: st.PublishedISO(),
		fieldSource:    st.Source,
		fieldURL:       st.URL,
		fieldAnn:       string(ann),
	}, nil
}

// hitFromFields rebuilds a Hit from a search hit's stored fields.
func hitFromFields(fields map[string]any, score float64) Hit {
	str := func(k string) string { s, _ := fields[k].(string); return s }
	h := Hit{
		Story:     str(fieldStory),
		Headline:  str(fieldHeadline),
		Text:      str(fieldText),
		Published: str(fieldPublished),
		Source:    str(fieldSource),
		URL:       str(fieldURL),
		Score:     score,
	}
	if f, ok := fields[fieldParagraph].(float64); ok {
		h.Paragraph = int(f)
	}
	if a := str(fieldAnn); a != "" {
		var ann annotations
		if json.Unmarshal([]byte(a), &ann) == nil {
			h.Statements, h.Times = ann.Statements, ann.Times
		}
	}
	return h
}
