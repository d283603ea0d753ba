// Package fetch downloads a web page for a moderator's /add-story, and
// only what a public news site should serve: http or https, a public
// address, HTML or plain text, bounded in size and time. Every refusal is
// an error written for the moderator who gave the URL.
package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/transform"

	"github.com/storybot/storybot/corpus"
)

// Defaults for the zero Options.
const (
	DefaultTimeout      = 20 * time.Second
	DefaultMaxBytes     = corpus.MaxFileSize
	DefaultMaxRedirects = 5
	userAgent           = "StoryBot/1 (+https://github.com/storybot/storybot)"
)

// Errors a fetch fails with; each is wrapped with details, so test for
// them with errors.Is. Their text is meant for users.
var (
	ErrScheme      = errors.New("only http:// and https:// addresses can be added")
	ErrBadURL      = errors.New("that is not a web address")
	ErrPrivate     = errors.New("that address is on a private network")
	ErrTooLarge    = errors.New("the page is too large")
	ErrTimeout     = errors.New("the site took too long to answer")
	ErrRedirects   = errors.New("the page redirects too many times")
	ErrContentType = errors.New("the page is not HTML or plain text")
	ErrStatus      = errors.New("the site did not return the page")
	ErrUnreachable = errors.New("the site could not be reached")
	ErrCharset     = errors.New("the page's text encoding is not supported")
)

// Options tune a fetch; the zero value is the safe default.
type Options struct {
	// AllowPrivate lets the fetch reach loopback and private addresses
	// (STORYBOT_ALLOW_PRIVATE_URLS): for a bot that indexes an intranet,
	// and for tests against httptest servers.
	AllowPrivate bool
	Timeout      time.Duration // whole fetch, body included
	MaxBytes     int64
	MaxRedirects int
	// Types are the media types accepted; the default is text/html and
	// text/plain. A Discord attachment may add text/markdown.
	Types []string

	// permit, in tests, lets exactly some addresses through the dial check
	// so that a redirect from a permitted server to a refused one can be
	// tried on 127.0.0.1.
	permit func(addr string) bool
}

func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = DefaultMaxRedirects
	}
	if len(o.Types) == 0 {
		o.Types = []string{"text/html", "text/plain"}
	}
	return o
}

// Page is a fetched page, its body converted to UTF-8.
type Page struct {
	// URL is where the page was found, after redirects.
	URL string
	// MediaType is one of Options.Types: "text/html" or "text/plain" by
	// default.
	MediaType string
	Body      []byte
}

// IsHTML reports whether the page is HTML rather than plain text.
func (p *Page) IsHTML() bool { return p.MediaType == "text/html" }

// FileName is a story file name for the page, from the last segment of its
// path ("/2022/02/taliban-peace.html" gives "taliban-peace.html") or else
// its host. Pass it to corpus.SavePage, which makes it safe.
func (p *Page) FileName() string {
	ext := ".txt"
	switch p.MediaType {
	case "text/html":
		ext = ".html"
	case "text/markdown", "text/x-markdown":
		ext = ".md"
	}
	stem := ""
	if u, err := url.Parse(p.URL); err == nil {
		stem = path.Base(strings.TrimRight(u.Path, "/"))
		stem = strings.TrimSuffix(stem, path.Ext(stem))
		if stem == "" || stem == "." || stem == "/" || strings.EqualFold(stem, "index") {
			stem = strings.TrimPrefix(u.Hostname(), "www.")
		}
	}
	if strings.Trim(stem, ".") == "" || strings.Contains(stem, "..") {
		stem = "page"
	}
	return strings.TrimLeft(stem, ".") + ext
}

// Fetch gets the page at rawURL.
func Fetch(ctx context.Context, rawURL string, opt Options) (*Page, error) {
	r, err := Get(ctx, rawURL, opt, Validators{})
	if err != nil {
		return nil, err
	}
	return r.Page, nil
}

// tooLargeError says what the cap is; it matches ErrTooLarge.
type tooLargeError struct{ max int64 }

func (e tooLargeError) Error() string {
	if e.max >= 1<<20 && e.max%(1<<20) == 0 {
		return fmt.Sprintf("the page is larger than %d MiB", e.max>>20)
	}
	return fmt.Sprintf("the page is larger than %d bytes", e.max)
}

func (e tooLargeError) Is(target error) bool { return target == ErrTooLarge }

// checkURL accepts absolute http and https URLs with a host and without
// credentials, which a news link never needs.
func checkURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: %q", ErrBadURL, raw)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	case "":
		return nil, fmt.Errorf("%w: %q has no http:// or https://", ErrBadURL, raw)
	default:
		return nil, fmt.Errorf("%w, not %s://", ErrScheme, u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("%w: %q has no host", ErrBadURL, raw)
	}
	if u.User != nil {
		return nil, fmt.Errorf("%w: addresses with a user name or password are not accepted", ErrBadURL)
	}
	u.Fragment = ""
	return u, nil
}

func newClient(opt Options) *http.Client {
	dialer := &net.Dialer{
		Timeout: 10 * time.Second,
		// The check runs on the address actually being dialled, after DNS:
		// a host name that resolves to 127.0.0.1, a redirect to one, or a
		// DNS answer that changes between look-ups are all caught here.
		Control: guard(opt),
	}
	tr := &http.Transport{
		// A proxy would dial for us, out of the guard's sight.
		Proxy:                  nil,
		DialContext:            dialer.DialContext,
		TLSHandshakeTimeout:    10 * time.Second,
		ResponseHeaderTimeout:  opt.Timeout,
		MaxResponseHeaderBytes: 64 << 10,
		DisableKeepAlives:      true,
		ForceAttemptHTTP2:      true,
	}
	return &http.Client{
		Transport: tr,
		Timeout:   opt.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > opt.MaxRedirects {
				return fmt.Errorf("%w (more than %d)", ErrRedirects, opt.MaxRedirects)
			}
			if s := req.URL.Scheme; s != "http" && s != "https" {
				return fmt.Errorf("%w; the page redirects to %s://", ErrScheme, s)
			}
			if req.URL.User != nil {
				return fmt.Errorf("%w: the page redirects to an address with a password", ErrBadURL)
			}
			return nil
		},
	}
}

// explain turns a transport error into one of the package's errors, so the
// moderator reads why rather than a Go error chain.
func explain(err error, opt Options) error {
	for _, known := range []error{ErrPrivate, ErrScheme, ErrRedirects, ErrBadURL} {
		if errors.Is(err, known) {
			return unwrapTo(err, known)
		}
	}
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		return fmt.Errorf("%w (more than %s)", ErrTimeout, opt.Timeout)
	case errors.As(err, &dnsErr):
		return fmt.Errorf("%w: no such host %s", ErrUnreachable, dnsErr.Name)
	case errors.Is(err, context.Canceled):
		return err
	}
	return fmt.Errorf("%w: %v", ErrUnreachable, rootCause(err))
}

// unwrapTo returns the error in err's chain that wraps known directly: the
// one that adds the detail, without url.Error's method and URL or
// net.OpError's socket addresses around it.
func unwrapTo(err, known error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil || next == known || !errors.Is(next, known) {
			return err
		}
		err = next
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func rootCause(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

// toUTF8 decodes the body from the charset the server or the page
// declares. Undeclared bytes are left alone even when they are not UTF-8,
// so that the parser refuses them rather than a guessed Windows-1252
// silently turning them into other text.
func toUTF8(body []byte, mediaType, declared string) ([]byte, error) {
	name := strings.ToLower(strings.TrimSpace(declared))
	if name == "" && !utf8.Valid(body) && mediaType == "text/html" {
		head := bytes.ToLower(body[:min(len(body), 1024)])
		if _, n, _ := charset.DetermineEncoding(body, mediaType); n != "windows-1252" || bytes.Contains(head, []byte("charset")) {
			name = n
		}
	}
	switch name {
	case "", "utf-8", "utf8", "us-ascii", "ascii":
		return body, nil
	}
	enc, _ := charset.Lookup(name)
	if enc == nil {
		return nil, fmt.Errorf("%w (%s)", ErrCharset, name)
	}
	out, _, err := transform.Bytes(enc.NewDecoder(), body)
	if err != nil {
		return nil, fmt.Errorf("%w (%s)", ErrCharset, name)
	}
	return bytes.TrimPrefix(out, []byte("\xef\xbb\xbf")), nil
}
