package feeds

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/storybot/storybot/corpus/fetch"
	"github.com/storybot/storybot/index/library"
)

// FollowResult is what a follow did.
type FollowResult struct {
	URL   string
	Title string
	// Items is how many items the feed carries now, when it was fetched
	// to check it.
	Items int
	// Added is false when the follow existed and only its channel changed.
	Added bool
}

// NormalURL is the form a feed URL is kept in, so that one feed followed
// by two servers is one feed: scheme and host in lower case, no fragment.
func NormalURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err == nil {
		u.Scheme = strings.ToLower(u.Scheme)
	}
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%w: give the feed's http:// or https:// address", fetch.ErrBadURL)
	}
	if u.User != nil {
		return "", fmt.Errorf("%w: addresses with a user name or password are not accepted", fetch.ErrBadURL)
	}
	u.Host = strings.ToLower(u.Host)
	u.Fragment = ""
	return u.String(), nil
}

// Follow makes col follow the feed at rawURL, posting its new stories in
// channel ("" for none). A feed nobody follows yet is fetched and parsed
// first, so a web page or a typo is refused at once; the first poll then
// indexes its items, without posting them.
func (p *Poller) Follow(ctx context.Context, col, rawURL, channel string, by library.Actor) (FollowResult, error) {
	u, err := NormalURL(rawURL)
	if err != nil {
		return FollowResult{}, err
	}
	res := FollowResult{URL: u}
	states, err := p.store.FeedStates(ctx)
	if err != nil {
		return res, err
	}
	known := false
	for _, s := range states {
		if s.URL == u {
			known, res.Title = true, s.Title
		}
	}
	if !known {
		if err := p.polite(ctx, u); err != nil {
			return res, err
		}
		resp, err := fetch.Get(ctx, u, p.feedOptions(), fetch.Validators{})
		if err != nil {
			return res, err
		}
		f, err := Parse(resp.Page.Body, resp.Page.URL)
		if err != nil {
			return res, err
		}
		res.Title, res.Items = f.Title, len(f.Items)
	}
	res.Added, err = p.store.Follow(ctx, library.Follow{Collection: col, URL: u, Channel: channel, By: by.String(), At: p.cfg.Now()}, p.limit(col))
	if err != nil {
		return res, err
	}
	p.Kick()
	return res, nil
}

// Unfollow stops col following the feed; its stories stay.
func (p *Poller) Unfollow(ctx context.Context, col, rawURL string) error {
	u, err := NormalURL(rawURL)
	if err != nil {
		return err
	}
	return p.store.Unfollow(ctx, col, u)
}

// FeedInfo is a follow with its feed's state, for /feeds.
type FeedInfo struct {
	library.Follow
	State library.FeedState
}

// Feeds lists what col follows, with how each feed's polls go.
func (p *Poller) Feeds(ctx context.Context, col string) ([]FeedInfo, error) {
	follows, err := p.store.Follows(ctx, col)
	if err != nil {
		return nil, err
	}
	states, err := p.store.FeedStates(ctx)
	if err != nil {
		return nil, err
	}
	byURL := map[string]library.FeedState{}
	for _, s := range states {
		byURL[s.URL] = s
	}
	out := make([]FeedInfo, len(follows))
	for i, f := range follows {
		out[i] = FeedInfo{Follow: f, State: byURL[f.URL]}
	}
	return out, nil
}

// IsLimit reports whether err refuses a follow over the limit.
func IsLimit(err error) bool { return errors.Is(err, library.ErrFeedLimit) }

// Limit is how many feeds a server may follow.
func (p *Poller) Limit() int { return p.cfg.MaxFeeds }
