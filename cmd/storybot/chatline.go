package main

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// consoleLine is one typed line of the console, read the way Discord
// reads a slash command and its options.
type consoleLine struct {
	// command is the command's name in lower case, without the slash and
	// with aliases resolved; "" for a plain line, a question to the bot.
	command string
	// text is the rest of the line without the options, words as typed.
	text string
	// story is the story option, when given.
	story string
	// private is the private option, when given as private:true. The bare
	// word "private" is part of the question like any other word.
	private bool
}

// consoleAliases are other names people type for a command.
var consoleAliases = map[string]string{"who": "who-said", "exit": "quit", "?": "help"}

// parseConsoleLine splits a line into its command, its options (story:NAME,
// story:"two words", private:true) and its text. Option names and command
// names are read without regard to case.
func parseConsoleLine(line string) consoleLine {
	var l consoleLine
	line = strings.TrimSpace(line)
	if strings.HasPrefix(line, "/") {
		name, rest, _ := strings.Cut(line[1:], " ")
		l.command = strings.ToLower(name)
		if alias, ok := consoleAliases[l.command]; ok {
			l.command = alias
		}
		line = rest
	}
	if l.command == "" {
		// People type the mention they would type on Discord; on Discord
		// the mention is not part of the question, so neither is it here.
		line = strings.TrimLeft(trimMention(line), ",:; ")
	}
	var words []string
	for len(line) > 0 {
		line = strings.TrimLeftFunc(line, unicode.IsSpace)
		if line == "" {
			break
		}
		word, rest := nextWord(line)
		key, value, isOption := strings.Cut(word, ":")
		switch k := strings.ToLower(key); {
		case isOption && k == "story":
			if strings.HasPrefix(value, `"`) {
				// A quoted name runs to the closing quote, spaces and all.
				v, after, _ := strings.Cut(line[len("story:\""):], `"`)
				value, rest = v, after
			}
			l.story = value
		case isOption && k == "private" && isTrue(value):
			l.private = true
		case isOption && k == "private" && isFalse(value):
		default:
			words = append(words, word)
		}
		line = rest
	}
	l.text = strings.Join(words, " ")
	return l
}

// trimMention drops a leading "@StoryBot" (any case) from a plain line.
func trimMention(line string) string {
	const name = "@storybot"
	if len(line) >= len(name) && strings.EqualFold(line[:len(name)], name) {
		rest := line[len(name):]
		if r, _ := utf8.DecodeRuneInString(rest); rest == "" || !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return rest
		}
	}
	return line
}

func nextWord(s string) (word, rest string) {
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i:]
}

func isTrue(v string) bool {
	switch strings.ToLower(v) {
	case "true", "yes", "1", "on":
		return true
	}
	return false
}

func isFalse(v string) bool {
	switch strings.ToLower(v) {
	case "false", "no", "0", "off":
		return true
	}
	return false
}
