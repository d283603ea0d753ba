package bot

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/storybot/storybot/corpus"
	"github.com/storybot/storybot/corpus/fetch"
	"github.com/storybot/storybot/index/library"
)

// addStory saves an attached file or a fetched page into the server's
// collection and indexes it at once. Everything is checked before the
// store is touched, so a refused story changes nothing.
func (m *moderation) addStory(ctx context.Context, r Request) (Response, error) {
	col, err := m.collection(r)
	if err != nil {
		return Response{}, err
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
	if j := m.lib.Running(col); j != nil {
		// Say so before a download; the library checks again.
		return Response{}, busyError(&library.BusyError{Job: j})
	}
	var up *corpus.Upload
	if fileID != "" {
		up, err = m.prepareAttachment(ctx, att)
	} else {
		up, err = m.preparePage(ctx, pageURL)
	}
	if err != nil {
		return Response{}, rejection(err)
	}
	res, err := m.lib.Add(ctx, col, actor(r), up)
	if err != nil {
		return Response{}, m.changeError(err, up.Story.ID, res.Story != nil)
	}
	st := res.Story
	noteAudit(ctx, "story", st.ID, "paragraphs", len(st.Paragraphs), "replaced", res.Replaced)
	verb := "Added"
	if res.Replaced {
		verb = "Replaced"
	}
	msg := fmt.Sprintf("%s `%s`: %s. It can be asked about now.", verb, codeSafe(st.ID), describeStory(st))
	if res.Replaced {
		msg += " The version it replaced can be brought back with /restore-story."
	}
	return note(msg + "\n" + m.usageLine(col)), nil
}

// usageLine tells a moderator how full the server's collection is.
func (m *moderation) usageLine(col string) string {
	u, q := m.lib.Usage(col), m.lib.Quota(col)
	return fmt.Sprintf("This server now has %d of %d stories (%s of %s).", u.Stories, q.Stories,
		library.FormatBytes(u.Bytes), library.FormatBytes(q.Bytes))
}

// changeError explains a change the library refused or could not finish.
func (m *moderation) changeError(err error, id string, saved bool) error {
	var be *library.BusyError
	var qe *library.QuotaError
	switch {
	case errors.As(err, &be):
		return busyError(be)
	case errors.As(err, &qe):
		return outcome{"rejected", "Not added: " + qe.Error() + ". Nothing was changed.", err}
	case errors.Is(err, library.ErrNotFound):
		return outcome{"rejected", fmt.Sprintf("There is no story `%s` in this server's collection; nothing was changed.", codeSafe(id)), nil}
	case saved:
		return outcome{"failed", fmt.Sprintf("Saved `%s`, but indexing it failed; it will be indexed at the next start or /reindex.", codeSafe(id)), err}
	}
	return outcome{"failed", "The change could not be saved, so nothing was changed. The bot's log has the details.", err}
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

// removeStory takes a story out of the server's collection; it can be
// restored for the library's keep period.
func (m *moderation) removeStory(ctx context.Context, r Request) (Response, error) {
	col, err := m.collection(r)
	if err != nil {
		return Response{}, err
	}
	id := strings.TrimSpace(r.Option("story"))
	if err := corpus.CheckID(id); err != nil {
		return Response{}, outcome{"rejected", "That is not a story name. Pick one from the list that appears as you type; nothing was changed.", err}
	}
	if _, err := m.lib.Remove(ctx, col, actor(r), id); err != nil {
		return Response{}, m.changeError(err, id, false)
	}
	noteAudit(ctx, "story", id)
	return note(fmt.Sprintf("Removed `%s` from this server's stories. /restore-story brings it back within %s.",
		codeSafe(id), library.FormatKeep(m.lib.Keep()))), nil
}

// restoreStory brings back a removed or replaced story of the server.
func (m *moderation) restoreStory(ctx context.Context, r Request) (Response, error) {
	col, err := m.collection(r)
	if err != nil {
		return Response{}, err
	}
	ref := strings.TrimSpace(r.Option("story"))
	if ref == "" {
		return Response{}, outcome{"rejected", "Say which story to restore: pick one from the list that appears as you type.", nil}
	}
	rs, err := m.lib.Restore(ctx, col, actor(r), ref)
	var qe *library.QuotaError
	switch {
	case errors.As(err, &qe):
		return Response{}, outcome{"rejected", "Not restored: " + qe.Error() + ". Nothing was changed.", err}
	case errors.Is(err, library.ErrNotFound):
		return Response{}, outcome{"rejected", fmt.Sprintf("No removed story `%s` can be restored in this server (removed stories are kept for %s); nothing was changed.", codeSafe(clip(ref, 100)), library.FormatKeep(m.lib.Keep())), nil}
	case err != nil:
		return Response{}, m.changeError(err, ref, false)
	}
	noteAudit(ctx, "story", rs.ID, "removed_at", rs.At.UTC().Format(time.RFC3339))
	return note(fmt.Sprintf("Restored `%s` as it was on %s. It can be asked about now.", codeSafe(rs.ID), rs.At.UTC().Format("2006-01-02 15:04 UTC"))), nil
}

// rejection explains why a story was not added. The corpus and fetch
// errors are written for people; a few get a hint of what to do instead.
func rejection(err error) error {
	msg := fetchTrouble(err)
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

// fetchTrouble says why a page could not be fetched, in words that are
// safe to show anyone who can run a moderator command in some server:
// never which private address a name resolved to, nor how an address
// inside the bot's network answered, which would map that network.
func fetchTrouble(err error) string {
	var dnsErr *net.DNSError
	var opErr *net.OpError
	switch {
	case errors.Is(err, fetch.ErrPrivate):
		return "that address is on a private network, which the bot does not fetch from"
	case errors.Is(err, context.DeadlineExceeded):
		return "it took too long to fetch"
	case errors.As(err, &dnsErr):
		return "no such host"
	case errors.As(err, &opErr):
		return "its server could not be reached"
	}
	return err.Error()
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
