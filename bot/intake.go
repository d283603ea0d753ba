package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/corpus/fetch"
)

// addStory saves an attached file or a fetched page into the corpus, so a
// later reindex keeps it, and indexes it at once. Everything is checked
// before the corpus is touched, so a refused story changes nothing.
func (m *moderation) addStory(ctx context.Context, r Request) (Response, error) {
	if m.cfg.CorpusDir == "" {
		return Response{}, notConfigured()
	}
	fileID, pageURL := strings.TrimSpace(r.Option("file")), strings.TrimSpace(r.Option("url"))
	if (fileID == "") == (pageURL == "") {
		return Response{}, outcome{"rejected", "Attach a .txt, .md or .html file, or give the url of a web page: one of the two.", nil}
	}
	var att Attachment
	if fileID != "" {
		var ok bool
		if att, ok = r.Attachments[fileID]; !ok {
			return Response{}, outcome{"rejected", "The attachment did not arrive with the command. Please attach it again.", nil}
		}
		// Refuse what the name or size alone rules out before downloading.
		if _, err := corpus.SafeName(att.Filename); err != nil {
			return Response{}, rejection(err)
		}
		if att.Size > corpus.MaxFileSize {
			return Response{}, rejection(corpus.ErrTooLarge)
		}
	}
	if _, err := m.begin(r); err != nil {
		return Response{}, err
	}
	defer m.end()
	var up *corpus.Upload
	var err error
	if fileID != "" {
		up, err = m.prepareAttachment(ctx, att)
	} else {
		up, err = m.preparePage(ctx, pageURL)
	}
	if err != nil {
		return Response{}, rejection(err)
	}
	st := up.Story
	_, existed := m.ix.Story(st.ID)
	if _, err := up.Save(m.cfg.CorpusDir); err != nil {
		return Response{}, outcome{"failed", "The story could not be saved into the corpus, so nothing was changed. The bot's log has the details.", err}
	}
	noteAudit(ctx, "story", st.ID, "paragraphs", len(st.Paragraphs), "replaced", existed)
	if err := m.ix.AddStory(ctx, st); err != nil {
		return Response{}, outcome{"failed", fmt.Sprintf("Saved `%s` into the corpus, but indexing it failed; /reindex will pick it up.", codeSafe(st.ID)), err}
	}
	verb := "Added"
	if existed {
		verb = "Replaced"
	}
	return note(fmt.Sprintf("%s `%s`: %s. It can be asked about now.", verb, codeSafe(st.ID), describeStory(st))), nil
}

func (m *moderation) prepareAttachment(ctx context.Context, a Attachment) (*corpus.Upload, error) {
	data, err := m.download(ctx, a)
	if err != nil {
		return nil, err
	}
	return corpus.PrepareUpload(a.Filename, data, "")
}

func (m *moderation) preparePage(ctx context.Context, pageURL string) (*corpus.Upload, error) {
	page, err := fetch.Fetch(ctx, pageURL, fetch.Options{AllowPrivate: m.cfg.AllowPrivateURLs})
	if err != nil {
		return nil, err
	}
	return corpus.PrepareUpload(page.FileName(), page.Body, page.URL)
}

// removeStory deletes the story's file first: the corpus is what a
// reindex reads, so a failure between the two steps cannot bring it back.
func (m *moderation) removeStory(ctx context.Context, r Request) (Response, error) {
	if m.cfg.CorpusDir == "" {
		return Response{}, notConfigured()
	}
	id := strings.TrimSpace(r.Option("story"))
	if err := corpus.CheckID(id); err != nil {
		return Response{}, outcome{"rejected", "That is not a story name. Pick one from the list that appears as you type; nothing was changed.", err}
	}
	if _, err := m.begin(r); err != nil {
		return Response{}, err
	}
	defer m.end()
	fileErr := corpus.Remove(m.cfg.CorpusDir, id)
	if fileErr != nil && !errors.Is(fileErr, corpus.ErrNoSuchStory) {
		return Response{}, outcome{"failed", "The story's file could not be removed, so nothing was changed. The bot's log has the details.", fileErr}
	}
	indexed, err := m.ix.RemoveStory(ctx, id)
	if err != nil {
		return Response{}, outcome{"failed", fmt.Sprintf("Removed `%s` from the corpus, but not from the index; /reindex will drop it.", codeSafe(id)), err}
	}
	noteAudit(ctx, "story", id, "file_removed", fileErr == nil, "unindexed", indexed)
	switch {
	case fileErr == nil && indexed:
		return note(fmt.Sprintf("Removed `%s` from the corpus and the index.", codeSafe(id))), nil
	case fileErr == nil:
		return note(fmt.Sprintf("Removed `%s` from the corpus; it was not in the index.", codeSafe(id))), nil
	case indexed:
		return note(fmt.Sprintf("Removed `%s` from the index; its file was already gone.", codeSafe(id))), nil
	}
	return Response{}, outcome{"rejected", fmt.Sprintf("There is no story `%s` in the corpus or the index; nothing was changed.", codeSafe(id)), nil}
}

// rejection explains why a story was not added. The corpus and fetch
// errors are written for people; a few get a hint of what to do instead.
func rejection(err error) error {
	msg := err.Error()
	switch {
	case errors.Is(err, corpus.ErrTooLarge):
		msg = fmt.Sprintf("the file is larger than %d MiB, the most a story may be", corpus.MaxFileSize>>20)
	case errors.Is(err, corpus.ErrBinary):
		msg = "the file is binary, not text; attach a .txt, .md or .html story"
	case errors.Is(err, corpus.ErrNotUTF8):
		msg = "the file's text is not valid UTF-8; save it as UTF-8 and try again"
	case errors.Is(err, corpus.ErrEmpty):
		msg = "the file is empty"
	case errors.Is(err, corpus.ErrNoParagraphs):
		msg = "no paragraphs of a story were found in it"
	case errors.Is(err, context.DeadlineExceeded):
		msg = "it took too long to fetch"
	}
	return outcome{"rejected", "Not added: " + Escape(clip(msg, 500)) + ". Nothing was changed.", err}
}

// describeStory is a story in a few words, to confirm what was added.
func describeStory(st *corpus.Story) string {
	parts := []string{fmt.Sprintf("%d %s", len(st.Paragraphs), plural(len(st.Paragraphs), "paragraph", "paragraphs"))}
	if st.DateKnown() {
		parts = append(parts, st.PublishedISO())
	}
	if st.Source != "" {
		parts = append(parts, Escape(clip(st.Source, 80)))
	}
	return fmt.Sprintf("“%s” (%s)", Escape(clip(st.Headline, 200)), strings.Join(parts, ", "))
}
