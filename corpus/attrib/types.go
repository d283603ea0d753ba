package attrib

// Statement is something a speaker said, directly or in reported speech.
type Statement struct {
	// Speaker is the fullest name the story gives for whoever spoke,
	// e.g. "Abdul Qahar Balkhi" for a later "Balkhi" or "he".
	Speaker string `json:"speaker"`
	// Mention is the speaker as written next to the cue: "he", "the ministry".
	Mention string `json:"mention,omitempty"`
	// Description is what the story calls the speaker, e.g.
	// "Afghanistan Ministry of Foreign Affairs spokesman".
	Description string `json:"description,omitempty"`
	// Quote is the content of the statement, without surrounding quotation marks.
	Quote string `json:"quote"`
	// Cue is the verb or phrase that introduces it: "said", "wrote on Twitter", "according to".
	Cue string `json:"cue,omitempty"`
	// Direct is true for quoted words, false for reported speech.
	Direct bool `json:"direct"`
	// Start and End are the byte offsets of Quote within the paragraph text.
	Start int `json:"start"`
	End   int `json:"end"`
	// Confidence is how sure the attribution is, from 0 to 1, by how the
	// speaker was found: named next to the cue, reached through a pronoun
	// or a continued quotation, or left as a pronoun no name resolves.
	// These are fixed priors per kind, for the answer side to calibrate.
	Confidence float64 `json:"confidence,omitempty"`
}
