package corpus

// Annotate finds the statements and time expressions of every paragraph.
// It runs once, when a story is loaded, so that answering never re-parses text.
func Annotate(st *Story) {
	texts := make([]string, len(st.Paragraphs))
	for i, p := range st.Paragraphs {
		texts[i] = p.Text
	}
	stmts := FindStatements(texts)
	for i := range st.Paragraphs {
		if i < len(stmts) {
			st.Paragraphs[i].Statements = stmts[i]
		}
		st.Paragraphs[i].Times = FindTimes(texts[i], st.Published)
	}
}
