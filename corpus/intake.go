package corpus

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxNameBytes keeps story file names well inside every file system's
// limit (255 bytes) and short enough to read in a Discord list.
const maxNameBytes = 120

// Errors that explain why an upload's name is refused; test with errors.Is.
var (
	ErrBadName     = errors.New("that file name is not allowed")
	ErrNoSuchStory = errors.New("there is no story by that name in the corpus")
)

// intakeExts are the upload types accepted; .htm and .markdown are
// spellings of the same two formats.
var intakeExts = map[string]bool{".txt": true, ".md": true, ".markdown": true, ".html": true, ".htm": true}

// SafeName turns an uploaded file name into a story file name that cannot
// leave the corpus directory or hide in it: NFC-normalised, no path
// separators or "..", not hidden, with a story extension, and short. Odd
// characters become "-" rather than failing, so "My Story (v2).txt" is
// "My-Story-v2.txt"; what could be an attack fails with ErrBadName.
func SafeName(name string) (string, error) {
	bad := func(why string) (string, error) { return "", fmt.Errorf("%w: %s", ErrBadName, why) }
	if !utf8.ValidString(name) {
		return bad("it is not valid UTF-8")
	}
	name = norm.NFC.String(strings.TrimSpace(name))
	switch {
	case name == "":
		return bad("it is empty")
	case strings.ContainsAny(name, `/\`):
		return bad("it contains a path separator")
	case strings.Contains(name, ".."):
		return bad(`it contains ".."`)
	case strings.HasPrefix(name, "."):
		return bad("it starts with a dot")
	case strings.ContainsFunc(name, unicode.IsControl):
		return bad("it contains control characters")
	}
	ext := strings.ToLower(filepath.Ext(name))
	if !intakeExts[ext] {
		return bad("stories must be .txt, .md or .html files")
	}
	stem := slug(strings.TrimSuffix(name, filepath.Ext(name)))
	if stem == "" {
		return bad("it has no letters or digits")
	}
	stem = truncateUTF8(stem, maxNameBytes-len(ext))
	return strings.TrimRight(stem, "-._") + ext, nil
}

// slug keeps letters, digits, "-", "_" and "."; runs of anything else
// become one "-". Letters of every script are kept: story titles are not
// all English.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		ok := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) ||
			r == '-' || r == '_' || r == '.'
		if !ok {
			dash = b.Len() > 0
			continue
		}
		if dash {
			b.WriteByte('-')
			dash = false
		}
		b.WriteRune(r)
	}
	return strings.Trim(b.String(), "-._")
}

func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Upload is a checked story, ready to be written into the corpus.
type Upload struct {
	// Name is the safe file name it is saved under.
	Name string
	// Data is the file's content.
	Data []byte
	// Story is what a reindex will read from the file.
	Story *Story
}

// Save checks an uploaded story and writes it into dir, replacing a story
// file of the same name. Nothing is written unless the story parses, so a
// bad upload leaves the corpus as it was. It returns the path written.
func Save(dir, name string, data []byte) (string, error) {
	return SavePage(dir, name, data, "")
}

// SavePage is Save for a page fetched from pageURL, which the story keeps.
func SavePage(dir, name string, data []byte, pageURL string) (string, error) {
	u, err := PrepareUpload(name, data, pageURL)
	if err != nil {
		return "", err
	}
	return u.Save(dir)
}

// PrepareUpload checks an upload without writing anything: the name is
// made safe and the content must parse as a story. HTML, and any page with
// a URL, becomes a normalised .txt with a header block (date, source,
// author, url), so a later reindex reads it with the plain parser and gets
// the same story, without the page's markup.
func PrepareUpload(name string, data []byte, pageURL string) (*Upload, error) {
	safe, err := SafeName(name)
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, ErrTooLarge
	}
	ext := strings.ToLower(filepath.Ext(safe))
	isHTML := ext == ".html" || ext == ".htm"
	var st *Story
	if isHTML {
		st, err = ParseHTML(safe, data, pageURL)
	} else {
		st, err = Parse(safe, data)
	}
	if err != nil {
		return nil, err
	}
	if !isHTML && pageURL == "" {
		return &Upload{Name: safe, Data: data, Story: st}, nil
	}
	if u := pageOrCanonical(pageURL, ""); st.URL == "" && u != nil {
		st.URL = u.String()
	}
	safe = strings.TrimSuffix(safe, filepath.Ext(safe)) + ".txt"
	out := formatText(st)
	// Index what a reindex will read, not what the page gave.
	st, err = Parse(safe, out)
	if err != nil {
		return nil, fmt.Errorf("the story could not be saved as text: %w", err)
	}
	return &Upload{Name: safe, Data: out, Story: st}, nil
}

// Save writes the upload into dir (created if need be) by write, fsync and
// rename, so a crash leaves the old file or the new one, never a torn one.
func (u *Upload) Save(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, u.Name)
	if err := WriteFileAtomic(path, u.Data, 0o644); err != nil {
		return "", fmt.Errorf("saving %s: %w", u.Name, err)
	}
	return path, nil
}

// formatText writes a story in the plain format: a header block, the
// headline as the first block, then one block per paragraph. The header
// always ends in "---", so a body line of "---" is never taken for one.
func formatText(st *Story) []byte {
	var b strings.Builder
	field := func(k, v string) {
		if v = oneLine(v); v != "" {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	field("date", st.PublishedISO())
	field("source", st.Source)
	field("author", st.Author)
	field("url", st.URL)
	field("license", st.License)
	b.WriteString("---\n\n")
	head := st.Headline
	if strings.TrimSpace(head) == "" {
		// Without one, the plain parser would take the first paragraph.
		head = firstNonBlank(st.Source, strings.TrimSuffix(st.ID, filepath.Ext(st.ID)), "Untitled")
	}
	b.WriteString(head)
	for _, p := range st.Paragraphs {
		b.WriteString("\n\n")
		b.WriteString(p.Text)
	}
	b.WriteString("\n")
	return []byte(b.String())
}

func firstNonBlank(vals ...string) string {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// Remove deletes the story file id (its name, or its path below dir as
// LoadDir gives it to duplicates) from dir. The path is resolved inside dir
// with os.Root, so neither ".." nor a symbolic link reaches outside it.
func Remove(dir, id string) error {
	id = norm.NFC.String(strings.TrimSpace(id))
	if err := CheckID(id); err != nil {
		return err
	}
	rel := filepath.FromSlash(id)
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	info, err := root.Lstat(rel)
	if errors.Is(err, fs.ErrNotExist) && !strings.Contains(id, "/") {
		// LoadDir names a story in a subdirectory by its base name alone.
		if found, ok := findByBase(root.FS(), id); ok {
			rel = filepath.FromSlash(found)
			info, err = root.Lstat(rel)
		}
	}
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: %s", ErrNoSuchStory, id)
	}
	if err != nil {
		return err
	}
	// A symbolic link is removed itself; what it points to is untouched.
	if info.IsDir() {
		return fmt.Errorf("%w: %s is a directory", ErrBadName, id)
	}
	if err := root.Remove(rel); err != nil {
		return err
	}
	// The unlink is only durable once the directory is synced.
	return syncDir(filepath.Join(dir, filepath.Dir(rel)))
}

// CheckID reports whether id can name a story file below a corpus
// directory: a relative path that stays inside it, with no hidden parts
// and a story extension. Callers check before they change anything.
func CheckID(id string) error {
	if id == "" || !filepath.IsLocal(filepath.FromSlash(id)) || strings.Contains(id, `\`) {
		return fmt.Errorf("%w: %q is not a story name", ErrBadName, id)
	}
	for _, part := range strings.Split(id, "/") {
		if strings.HasPrefix(part, ".") {
			return fmt.Errorf("%w: %q is not a story name", ErrBadName, id)
		}
	}
	if !IsStoryFile(id) {
		return fmt.Errorf("%w: %q is not a story file", ErrBadName, id)
	}
	return nil
}

// findByBase finds the one story file named base below the root, skipping
// hidden directories as LoadDir does. Two such files are ambiguous, and
// LoadDir then names the second by its path, which Remove takes directly.
func findByBase(fsys fs.FS, base string) (string, bool) {
	var found string
	_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && p != "." && strings.HasPrefix(d.Name(), ".") {
			return fs.SkipDir
		}
		if !d.IsDir() && d.Name() == base && found == "" {
			found = p
		}
		return nil
	})
	return found, found != ""
}
