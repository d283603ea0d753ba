package bot

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// discordHost is where discordgo sends REST requests; its endpoint
// variables are fixed at init, so the base is changed per request instead.
const discordHost = "discord.com"

// RewriteTransport sends requests meant for discord.com to base instead,
// keeping the /api/v… path, for a REST proxy such as nirn-proxy or a local
// fake. A base of https://discord.com leaves requests alone.
func RewriteTransport(base string, next http.RoundTripper) (http.RoundTripper, error) {
	if next == nil {
		next = http.DefaultTransport
	}
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil {
		return nil, err
	}
	if u.Host == discordHost && u.Path == "" {
		return next, nil
	}
	return rewrite{base: u, next: next}, nil
}

type rewrite struct {
	base *url.URL
	next http.RoundTripper
}

func (t rewrite) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host != discordHost {
		return t.next.RoundTrip(r)
	}
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host = t.base.Scheme, t.base.Host
	r.URL.Path = t.base.Path + r.URL.Path
	if r.URL.RawPath != "" {
		r.URL.RawPath = t.base.Path + r.URL.RawPath
	}
	r.Host = ""
	return t.next.RoundTrip(r)
}

// RESTClient is the HTTP client for discordgo's REST calls.
func RESTClient(base string) (*http.Client, error) {
	tr, err := RewriteTransport(base, nil)
	if err != nil {
		return nil, err
	}
	return &http.Client{Transport: tr, Timeout: 20 * time.Second}, nil
}
