package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
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
	if err != nil || m.checkAttachmentURL(u) != nil {
		return nil, errNotOnCDN
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	// A copy of the client, so one passed in Moderation is not changed.
	client := *m.cfg.HTTPClient
	client.CheckRedirect = m.checkRedirect
	resp, err := client.Do(req)
	if errors.Is(err, errNotOnCDN) {
		return nil, errNotOnCDN
	}
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

var errNotOnCDN = errors.New("the attachment is not on Discord's CDN")

// maxRedirects is plenty for a CDN, which redirects rarely if at all.
const maxRedirects = 3

// checkAttachmentURL allows only the attachment hosts, over https. Plain
// http is allowed only to a loopback address on the list, where nothing
// crosses a network (tests serve attachments so).
func (m *moderation) checkAttachmentURL(u *url.URL) error {
	if !slices.Contains(m.cfg.AttachmentHosts, u.Host) {
		return errNotOnCDN
	}
	if u.Scheme == "https" {
		return nil
	}
	if ip, err := netip.ParseAddr(u.Hostname()); u.Scheme == "http" && err == nil && ip.IsLoopback() {
		return nil
	}
	return errNotOnCDN
}

// checkRedirect holds every redirect to the rule for the first URL: the
// default client would follow one to any host, so an allowed host that
// redirects could make the bot fetch from its own network.
func (m *moderation) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > maxRedirects {
		return fmt.Errorf("more than %d redirects", maxRedirects)
	}
	return m.checkAttachmentURL(req.URL)
}
