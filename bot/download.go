package bot

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"

	"github.com/storybot/storybot/corpus"
)

// download fetches an attachment from Discord's CDN. It never holds more
// than corpus.MaxFileSize bytes: a file Discord says is larger is refused
// before any download, and a body longer than it claimed is cut one byte
// past the limit.
func (m *moderation) download(ctx context.Context, a Attachment) ([]byte, error) {
	const limit = corpus.MaxFileSize
	if a.Size > limit {
		return nil, corpus.ErrTooLarge
	}
	u, err := url.Parse(a.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || !slices.Contains(m.cfg.AttachmentHosts, u.Host) {
		return nil, fmt.Errorf("the attachment is not on Discord's CDN")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	resp, err := m.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("downloading the attachment: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("downloading the attachment: Discord answered %s", resp.Status)
	}
	if resp.ContentLength > limit {
		return nil, corpus.ErrTooLarge
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("downloading the attachment: %w", err)
	}
	if len(data) > limit {
		return nil, corpus.ErrTooLarge
	}
	return data, nil
}
